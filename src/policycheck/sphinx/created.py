"""Items written in the sources that sphinx-needs could not create.

sphinx-needs drops an item with a warning when its id is a duplicate, does not
match the id pattern or is missing, and docutils drops a directive whose option
block does not parse. The warning is gone on a cached run, and the item is simply
absent from needs.json, so the checks would pass. Here every item directive that
did not become a need is recorded, per document, in the build environment (kept
across incremental builds, purged and merged per document like any env data):

- each need-type directive is wrapped in a subclass of sphinx-needs'
  :class:`~sphinx_needs.directives.need.NeedDirective` (not documented API, so it
  comes through ``policycheck.sphinx.needs_access``) that notes a run which
  created nothing, with the warning sphinx-needs gave as the reason;
- a transform notes item directives that never ran because their option block
  did not parse (the error docutils or MyST put into the document).

The records become the ``item-not-created`` findings in the build, and are written
next to needs.json (:data:`SIDE_FILE`) for ``policycheck check``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util import logging as sphinx_logging

from policycheck.errors import ConfigError
from policycheck.fileio import write_atomic
from policycheck.model import NotCreated
from policycheck.patterns import user_pattern
from policycheck.reader import NOT_CREATED_FILE
from policycheck.sphinx.needs_access import NeedDirective, need_node_type
from policycheck.sphinx.state import per_document
from policycheck.textsafe import one_line

logger = sphinx_logging.getLogger(__name__)
SIDE_FILE = NOT_CREATED_FILE
_ENV_KEY = "not_created"
_GENERATED_KEY = "generated_ids"
# sphinx-needs appends " [needs.create_need]" when Sphinx does not show warning types
_TYPE_SUFFIX = re.compile(r"\s*\[[\w-]+\.[\w-]+\]\s*$")
_ID_OPTION = re.compile(r"^\s*:id:\s*(\S+)", re.MULTILINE)


def _records(env: BuildEnvironment) -> dict[str, list[NotCreated]]:
    return per_document(env, _ENV_KEY)


def _note(env: BuildEnvironment, line: int, item_type: str, item_id: str, reason: str) -> None:
    docname = env.docname
    file = str(env.doc2path(docname, False))
    records = _records(env).setdefault(docname, [])
    records.append(NotCreated(file=file, line=line, type=item_type, id=item_id, reason=reason))


class _Capture(logging.Handler):
    """Collects the warnings sphinx-needs logs while one directive runs."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = str(record.msg) % record.args if record.args else str(record.msg)
        self.messages.append(_TYPE_SUFFIX.sub("", text))


@contextmanager
def _captured_warnings() -> Iterator[_Capture]:
    capture = _Capture()
    logger = logging.getLogger("sphinx.sphinx_needs")
    logger.addHandler(capture)
    try:
        yield capture
    finally:
        logger.removeHandler(capture)


def _id_matches(regex: str, item_id: str) -> bool:
    try:
        return user_pattern(regex, "needs_id_regex").match(item_id) is not None
    except ConfigError:
        return True  # not RE2 syntax: left to sphinx-needs' own check


class ItemDirective(NeedDirective):
    """sphinx-needs' need directive, noting a run that created no need."""

    def run(self) -> Sequence[nodes.Node]:
        item_id = str(self.options.get("id") or "").strip()
        deleted = str(self.options.get("delete") or "").strip().lower() in ("true", "yes", "1")
        regex = str(self.env.config.needs_id_regex or "")
        if item_id and regex and not deleted and not _id_matches(regex, item_id):
            # checked here in linear time: sphinx-needs' own check (Python's re)
            # would backtrack for minutes on a hostile pattern and id
            _, line = self.get_source_info()
            reason = f"its id does not match the id pattern {regex!r}"
            _note(self.env, line or self.lineno, self.name, item_id, reason)
            if not self.env.config.policycheck_checks:
                # in place of sphinx-needs' own warning; with the checks on, the
                # item-not-created rule reports it (once: it was reported twice)
                logger.warning(
                    "%s",
                    one_line(f"{self.name} {item_id} was not created: {reason}"),
                    type="policycheck",
                    subtype="item-not-created",
                    location=self.get_location(),
                )
            return []
        with _captured_warnings() as capture:
            result = super().run()
        if not result and not deleted:
            _, line = self.get_source_info()
            reason = capture.messages[-1] if capture.messages else "sphinx-needs created nothing"
            _note(self.env, line or self.lineno, self.name, item_id, reason)
        elif not item_id:
            # created with an id sphinx-needs made up: the item-id rule reports it
            need = need_node_type()
            made_up = [i for node in result if isinstance(node, need) for i in node["ids"]]
            generated = per_document(self.env, _GENERATED_KEY)
            generated.setdefault(self.env.docname, []).extend(made_up)
        return result


class UnparsedItems(SphinxTransform):
    """Item directives that never ran: their options or arguments did not parse."""

    default_priority = 200  # before Sphinx filters system messages out (999)

    def apply(self, **_kwargs: Any) -> None:
        types = _type_names(self.config)
        for message in self.document.findall(nodes.system_message):
            if message.get("level", 0) < 3 or not message.children:
                continue
            text = message.children[0].astext()
            match = re.match(r"""(?:Error in "|Directive ')([\w-]+)["'] ?(?:directive)?""", text)
            if not match or match.group(1) not in types:
                continue
            item_id = _ID_OPTION.search(message.astext())
            reason = " ".join(text.split("\n\n")[0].split())
            _note(
                self.env,
                int(message.get("line") or 0),
                match.group(1),
                item_id.group(1) if item_id else "",
                reason,
            )


def _type_names(config: Config) -> frozenset[str]:
    return frozenset(str(t["directive"]) for t in config.needs_types if "directive" in t)


def _wrap_need_directives(app: Sphinx, config: Config) -> None:
    """Register the wrapper under every need type's name (after sphinx-needs has)."""
    for name in sorted(_type_names(config)):
        app.add_directive(name, ItemDirective, override=True)


def not_created(env: BuildEnvironment) -> list[NotCreated]:
    """Every item the sources hold that did not become a need, in file and line order."""
    return sorted(
        (r for records in _records(env).values() for r in records),
        key=lambda r: (r.file, r.line),
    )


def generated_ids(env: BuildEnvironment) -> frozenset[str]:
    """The ids sphinx-needs made up for items written without ``:id:``."""
    return frozenset(i for ids in per_document(env, _GENERATED_KEY).values() for i in ids)


def docname_of(env: BuildEnvironment, record: NotCreated) -> str | None:
    return next((d for d, rs in _records(env).items() if record in rs), None)


def _write_side_file(app: Sphinx, exception: BaseException | None) -> None:
    """Next to every needs.json the build writes (the ``needs`` builder, or
    ``needs_build_json``), never into a site that has none."""
    if exception is not None:
        return
    if app.builder.name != "needs" and not app.config.needs_build_json:
        return
    record = {
        "not_created": not_created(app.env),
        "generated_ids": sorted(generated_ids(app.env)),
    }
    data = msgspec.json.encode(record)
    write_atomic(Path(app.outdir) / SIDE_FILE, data.decode("utf-8") + "\n")


def setup_created(app: Sphinx) -> None:
    # after sphinx-needs registered the need types' directives (config-inited, 500)
    app.connect("config-inited", _wrap_need_directives, priority=800)
    app.add_transform(UnparsedItems)
    app.connect("build-finished", _write_side_file)
