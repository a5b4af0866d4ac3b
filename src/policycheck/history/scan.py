"""Items read from a source file's text, without Sphinx: the history's fast path.

The register's history needs the items at every commit. Building the needs with
Sphinx at each of thousands of commits would take hours, so the history reads the
item directives straight from each file version's text, once per git blob (the
results are cached by blob id, see :mod:`~policycheck.history.log`). sphinx-needs'
directive options are simple ``:key: value`` lines (or a ``---`` YAML-like block in
MyST), the title is the directive's argument and the content its body, both in
MyST fences (```` ```{goal} ```` / ``:::{goal}``) and RST directives
(``.. goal::``). Items are recognised by the project's own need directives (so
renamed types work), code blocks are skipped, and items without an ``:id:`` are
left out (their generated ids change from build to build). What this reader cannot
see (``needextend``, items made by other extensions, ``include``) the history does
not show; the pull-request report uses the real Sphinx build instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterator

from policycheck.model import ITEM_FIELDS, LINK_NAMES, Item

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})\s*(?P<info>.*)$")
_MYST_DIRECTIVE = re.compile(r"^\{(?P<name>[\w:+.-]+)\}\s*(?P<arg>.*)$")
_RST_DIRECTIVE = re.compile(r"^(?P<indent>\s*)\.\.\s+(?P<name>[\w:+.-]+)::\s*(?P<arg>.*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*)$")
_YAML_OPTION = re.compile(r"^(?P<key>[\w-]+)\s*:\s*(?P<value>.*)$")
_FENCES = ("```", "~~~", ":::")
_RAW = frozenset({"code", "code-block", "sourcecode", "code-cell", "literalinclude", "raw", "math"})
_TEXT_FIELDS = frozenset(ITEM_FIELDS) - {
    "id",
    "type",
    "title",
    "docname",
    "doctype",
    "lineno",
    "content",
    "tags",
    *LINK_NAMES,
}


def split_links(value: str) -> list[str]:
    """Link ids as sphinx-needs splits them: on ``,`` or ``;``."""
    return [part for raw in re.split(r"[,;]", value) if (part := raw.strip())]


def make_item(
    kind: str,
    title: str,
    options: dict[str, str],
    content: str,
    docname: str,
    doctype: str,
    lineno: int,
) -> Item | None:
    item_id = options.get("id", "").strip()
    if not item_id:
        return None
    fields: dict[str, object] = {
        key: value.strip()
        for key, value in options.items()
        if key in _TEXT_FIELDS and value.strip()
    }
    for name in LINK_NAMES:
        if name in options:
            fields[name] = split_links(options[name])
    return Item(
        id=item_id,
        type=kind,
        title=" ".join(title.split()),
        docname=docname,
        doctype=doctype,
        lineno=lineno,
        content=content.strip() or None,
        **fields,  # type: ignore[arg-type]
    )


Memo = dict[tuple[object, ...], "Item | None"]


def scan(text: str, path: str, directives: Collection[str], memo: Memo | None = None) -> list[Item]:
    """The items with ids in one MyST (``.md``) or RST file's text.

    With a ``memo`` (shared across the versions of a file), an item written the same
    way as in another version is made once; its ``lineno`` is then that version's
    (the history compares what items say, never where).
    """
    stem, dot, suffix = path.rpartition(".")
    docname, doctype = (stem, dot + suffix) if dot else (path, "")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found = _myst(lines, 0, directives) if doctype == ".md" else _rst(lines, 0, directives)
    out = []
    for kind, title, options, content, lineno in found:
        if memo is None:
            item = make_item(kind, title, options, content, docname, doctype, lineno)
        else:
            key = (kind, title, content, docname, doctype, *options.items())
            if key not in memo:
                memo[key] = make_item(kind, title, options, content, docname, doctype, lineno)
            item = memo[key]
        if item is not None:
            out.append(item)
    return out


Found = tuple[str, str, dict[str, str], str, int]


def _myst(lines: list[str], offset: int, directives: Collection[str]) -> Iterator[Found]:
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _FENCE.match(line) if line.lstrip(" ").startswith(_FENCES) else None
        if not match:
            i += 1
            continue
        fence, info = match["fence"], match["info"].strip()
        end = _fence_end(lines, i + 1, fence)
        body = lines[i + 1 : end]
        directive = _MYST_DIRECTIVE.match(info)
        if directive and directive["name"] in directives:
            options, content, start = _myst_options(body)
            yield directive["name"], directive["arg"], options, "\n".join(content), offset + i + 1
            yield from _myst(content, offset + i + 1 + start, directives)
        elif directive and directive["name"] not in _RAW:
            yield from _myst(body, offset + i + 1, directives)  # an admonition, a note, …
        i = end + 1


@functools.cache
def _closing(fence: str) -> re.Pattern[str]:
    return re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")


def _fence_end(lines: list[str], start: int, fence: str) -> int:
    closing, prefix = _closing(fence), fence[:3]
    for j in range(start, len(lines)):
        if prefix in lines[j] and closing.match(lines[j]):
            return j
    return len(lines)


def _myst_options(body: list[str]) -> tuple[dict[str, str], list[str], int]:
    options: dict[str, str] = {}
    i = 0
    if body and body[0].strip() == "---":
        for j in range(1, len(body)):
            if body[j].strip() == "---":
                for line in body[1:j]:
                    if m := _YAML_OPTION.match(line.strip()):
                        options[m["key"]] = m["value"].strip().strip("\"'")
                i = j + 1
                break
    while i < len(body) and (m := _OPTION.match(body[i].strip())):
        options[m["key"]] = m["value"]
        i += 1
    return options, body[i:], i


def _rst(lines: list[str], offset: int, directives: Collection[str]) -> Iterator[Found]:
    i = 0
    while i < len(lines):
        line = lines[i]
        match = _RST_DIRECTIVE.match(line)
        if match is None:
            if line.rstrip().endswith("::") and not line.lstrip().startswith(".."):
                i = _block_end(lines, i + 1, _indent(line))  # a literal block
            else:
                i += 1
            continue
        indent = len(match["indent"])
        end = _block_end(lines, i + 1, indent)
        body = _dedent(lines[i + 1 : end])
        name = match["name"]
        if name in directives:
            options, content, start = _rst_options(body)
            yield name, match["arg"], options, "\n".join(content), offset + i + 1
            yield from _rst(content, offset + i + 1 + start, directives)
        elif name not in _RAW:
            yield from _rst(body, offset + i + 1, directives)
        i = end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The first line after ``start`` indented no more than ``indent`` (blank lines belong)."""
    j = start
    while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) > indent):
        j += 1
    while j > start and not lines[j - 1].strip():
        j -= 1
    return j


def _dedent(lines: list[str]) -> list[str]:
    width = min((_indent(line) for line in lines if line.strip()), default=0)
    return [line[width:] for line in lines]


def _rst_options(body: list[str]) -> tuple[dict[str, str], list[str], int]:
    options: dict[str, str] = {}
    i = 0
    key = None
    while i < len(body) and body[i].strip():
        m = _OPTION.match(body[i])
        if m:
            key = m["key"]
            options[key] = m["value"]
        elif key is not None and _indent(body[i]) > 0:
            options[key] += " " + body[i].strip()  # a continued option value
        else:
            break
        i += 1
    return options, body[i:], i
