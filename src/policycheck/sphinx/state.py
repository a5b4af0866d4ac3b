"""Where the extension keeps its state: a Sphinx domain, as Sphinx expects.

- Per-document facts (which pages hold views, which needs a page references) are
  the domain's ``data``: pickled with the environment, cleared when a page is
  re-read (:meth:`PolicycheckDomain.clear_doc`) and merged from parallel readers
  (:meth:`PolicycheckDomain.merge_domaindata`).
- What the freshness check remembers of the previous build (its fingerprints) is
  also in ``data``, so it lives exactly as long as the environment does.
- Build-wide objects derived from the whole project (the configuration, the model
  and the report) are attributes of the domain *instance*, which Sphinx makes anew
  for every run and never pickles: they cannot be stale.

``ENV_VERSION`` is returned from ``setup()``: an environment pickled by a
policycheck with another version of this data is not trusted, Sphinx reads every
document again. Bump it whenever the shape of ``data`` changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any, ClassVar

from sphinx.application import Sphinx
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.errors import ConfigError as SphinxConfigError

from policycheck.config import PolicyConfig, load_config, suppressed_rules
from policycheck.domain import ITEM_TYPES, Vocabulary
from policycheck.errors import PolicycheckError
from policycheck.findings import Report
from policycheck.i18n import sphinx_translator
from policycheck.model import Project

ENV_VERSION = 10  # 10: references with whether they show the title


class PolicycheckDomain(Domain):
    """policycheck's state in the build (no directives or roles of its own)."""

    name = "policycheck"
    label = "policycheck"
    data_version = ENV_VERSION
    initial_data: ClassVar[dict[str, Any]] = {
        "views": set(),  # pages holding a policycheck view
        "dynamic": set(),  # pages with aggregate views (policycheck's or sphinx-needs')
        "refs": {},  # page -> (id, shows its title) of each need it references inline
        "prints": {},  # page -> fingerprint of what it showed in the previous build
        "dated": {},  # page -> digest of what its goals' timelines showed as overdue
        "extends": "",  # digest of the needextend directives in the previous build
        "data": "",  # fingerprint of all the needs in the previous build (aggregate views)
        "inputs": "",  # the same, with the date and settings policycheck's views show
        "navigation": "",  # fingerprint of the pages, titles and tables of contents
        "needs": {},  # need id -> its state in the previous build (freshness.NeedState)
        "docs": {},  # per-document tables of the other parts: table -> page -> value
        "history_head": "",  # the git HEAD the history views were last written for
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.policy: PolicyConfig | None = None
        self.project: Project | None = None
        self.report: Report | None = None
        # what one run derives once (history read from git, per-item events): never pickled
        self.memo: dict[str, Any] = {}

    def clear_doc(self, docname: str) -> None:
        self.data["views"].discard(docname)
        self.data["dynamic"].discard(docname)
        self.data["refs"].pop(docname, None)
        for table in self.data["docs"].values():
            table.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        self.data["views"] |= otherdata["views"] & docnames
        self.data["dynamic"] |= otherdata["dynamic"] & docnames
        self.data["refs"].update({d: r for d, r in otherdata["refs"].items() if d in docnames})
        for name, theirs in otherdata["docs"].items():
            ours = self.data["docs"].setdefault(name, {})
            ours.update({d: v for d, v in theirs.items() if d in docnames})

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list[tuple[str, Any]]:
        return []

    # The register's items are this domain's objects, so that the site's search lists
    # each by its title and id and lands on the item, not on the top of its page.
    object_types: ClassVar[dict[str, ObjType]] = {
        # lazy: translated when the search index is written, in the site's language
        t.name: ObjType(sphinx_translator()(t.label), t.name)
        for t in ITEM_TYPES
    }

    def get_type_name(self, type: ObjType, primary: bool = False) -> str:
        return str(type.lname)

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        project = self.project
        if project is None:
            return
        for item in project.items.values():
            if item.docname and item.type in self.object_types:
                # the search splits names at dots; the title is shown whole
                shown = f"{item.title} ({item.id})".replace(".", "\u2024")
                # a name that is not the anchor, so that the index keeps the anchor
                yield f"{self.name}.{item.id}", shown, item.type, item.docname, item.id, 1


def domain_of(env: BuildEnvironment) -> PolicycheckDomain:
    domain = env.get_domain(PolicycheckDomain.name)
    assert isinstance(domain, PolicycheckDomain)
    return domain


def per_document(env: BuildEnvironment, table: str) -> dict[str, Any]:
    """A table of per-page values kept in the domain (``table``: its name): a page's
    entry is dropped when the page is read again, and merged from parallel readers."""
    tables: dict[str, dict[str, Any]] = domain_of(env).data["docs"]
    return tables.setdefault(table, {})


def memo(app: Sphinx) -> dict[str, Any]:
    """What this run derives once and shares between events (not kept between runs)."""
    return domain_of(app.env).memo


def policy_config(app: Sphinx) -> PolicyConfig:
    """The project's policycheck table, read once per run."""
    domain = domain_of(app.env)
    if domain.policy is None:
        domain.policy = read_policy(app)
    return domain.policy


def vocabulary_of(app: Sphinx) -> Vocabulary:
    """The project's item types, fields and links, with their configured names: views
    find items by role, ``vocabulary_of(app).name_of("org")``, never by a literal."""
    return policy_config(app).vocabulary()


def read_policy(app: Sphinx) -> PolicyConfig:
    from policycheck.rules import rule_names

    try:
        policy = load_config(Path(app.confdir), rule_names())
    except PolicycheckError as exc:
        raise SphinxConfigError(f"policycheck: {exc.text(sphinx_translator())}") from None
    # suppress_warnings silences a rule as severity "off" would: the same verdict in
    # the build, its findings page and `policycheck check`.
    return policy.with_rules_off(suppressed_rules(app.config.suppress_warnings))


def project_of(app: Sphinx) -> Project | None:
    """The model of this build's needs (None until the checks ran, or when they are off)."""
    return domain_of(app.env).project if app.env is not None else None


def report_of(app: Sphinx) -> Report | None:
    """The report of this build's checks (None until they ran, or when they are off)."""
    return domain_of(app.env).report if app.env is not None else None


def keep_results(app: Sphinx, project: Project, report: Report) -> None:
    domain = domain_of(app.env)
    domain.project, domain.report = project, report


def mark_view(env: BuildEnvironment, docname: str) -> None:
    """``docname`` holds a policycheck view: filled when written, rewritten when stale."""
    data = domain_of(env).data
    data["views"].add(docname)
    data["dynamic"].add(docname)


def has_views(env: BuildEnvironment, docname: str) -> bool:
    """Whether the page holds a policycheck view (no need to search its doctree)."""
    return docname in domain_of(env).data["views"]


def setup_state(app: Sphinx) -> None:
    app.add_domain(PolicycheckDomain)
