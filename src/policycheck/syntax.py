"""Examples of items in the syntax and with the type names of the project at hand.

Examples (the rule catalogue's) are written once, in MyST; a reStructuredText
project sees the same item written as an RST directive, and a project that renamed
a type (``types = { action = "plan_action" }``) sees its own directive name.
"""

from __future__ import annotations

import re

from policycheck.config import PolicyConfig

_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[A-Za-z][\w-]*)\}[ \t]*(?P<title>.*)$")
_OPTION = re.compile(r"^:[\w-]+:")


def rename_types(example: str, config: PolicyConfig) -> str:
    """The MyST ``example`` with each of policycheck's directives under its configured name."""

    def rename(match: re.Match[str]) -> str:
        return f"{match['fence']}{{{config.type_name(match['name'])}}}"

    return re.sub(r"(?m)^(?P<fence>`{3,}|:{3,})\{(?P<name>[A-Za-z][\w-]*)\}", rename, example)


def myst_to_rst(example: str) -> str:
    """The MyST directive blocks of ``example`` as reStructuredText directives; any
    other line (a heading, a paragraph) is kept as it is."""
    out: list[str] = []
    lines = example.splitlines()
    i = 0
    while i < len(lines):
        opened = _OPEN.match(lines[i])
        if not opened:
            out.append(lines[i])
            i += 1
            continue
        title = opened["title"].strip()
        out.append(f".. {opened['name']}::" + (f" {title}" if title else ""))
        fence = opened["fence"]
        i += 1
        in_options = True
        while i < len(lines) and lines[i].strip() != fence:
            line = lines[i]
            if in_options and not _OPTION.match(line):
                in_options = False
                if line.strip():
                    out.append("")
            out.append(f"   {line}" if line.strip() else "")
            i += 1
        i += 1  # the closing fence
    return "\n".join(out)


def example_for(example: str, config: PolicyConfig, rst: bool) -> str:
    """``example`` for a project: its type names, and RST when ``rst``."""
    renamed = rename_types(example, config)
    return myst_to_rst(renamed) if rst else renamed
