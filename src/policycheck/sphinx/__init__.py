"""The Sphinx extension: sphinx-needs configured with the policy vocabulary, and checks."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.fileutil import copy_asset_file

from policycheck import __version__, i18n
from policycheck.sphinx.accessibility import setup_accessibility
from policycheck.sphinx.checks import run_checks
from policycheck.sphinx.collector import setup_collector
from policycheck.sphinx.config_reference import setup_config_reference
from policycheck.sphinx.created import setup_created
from policycheck.sphinx.directives import setup_directives
from policycheck.sphinx.freshness import setup_freshness
from policycheck.sphinx.history import setup_history
from policycheck.sphinx.needs_config import configure_needs
from policycheck.sphinx.register import setup_register
from policycheck.sphinx.state import ENV_VERSION, read_policy, setup_state


def _config_inited(app: Sphinx, config: Config) -> None:
    # The TOML table is read again, once, by the build (state.policy_config): it is
    # not a config value, so it takes no part in Sphinx's config comparison.
    configure_needs(config, read_policy(app))
    # Sphinx merges extensions' source suffixes into config.source_suffix in place; left
    # unset, that is Sphinx's module-level default, and a MyST build would then give
    # every later project in the process a ".md" suffix without a parser. A copy of
    # the same value keeps one build from changing the next.
    config.source_suffix = copy.copy(config.source_suffix)


STATIC = Path(__file__).parent / "static"
ASSETS = ("policycheck.css", "policycheck.js")


def _add_static(app: Sphinx) -> None:
    """Local assets only (the site works offline): sorting and filtering of tables.

    Registered on the builder and copied before any page is written, so that every
    page links them with Sphinx's checksum (``?v=``): copied when the build was
    done, a clean build's pages linked them without one and an incremental build's
    with one. The user's ``html_static_path`` is left as it was, so a rebuild sees no
    configuration change.
    """
    if app.builder.format != "html":
        return
    app.add_css_file("policycheck.css")
    app.add_js_file("policycheck.js", loading_method="defer")
    target = Path(app.outdir) / "_static"
    target.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        # ours alone, so replaced when they differ (an upgrade brings new bytes);
        # Sphinx's copy leaves an identical file as it is: a rebuild writes nothing
        copy_asset_file(STATIC / name, target, force=True)


def setup(app: Sphinx) -> dict[str, Any]:
    # No source parser is loaded here: a reStructuredText project stays one (MyST
    # projects list "myst_parser" in their own extensions).
    app.setup_extension("sphinx.ext.graphviz")
    app.setup_extension("sphinx_needs")
    app.add_message_catalog(
        i18n.DOMAIN, str(i18n.LOCALE_DIR)
    )  # read now: one may point it elsewhere
    setup_state(app)
    app.add_config_value("policycheck_today", "", "", types=(str,))
    app.add_config_value("policycheck_checks", True, "", types=(bool,))
    app.connect("config-inited", _config_inited, priority=11)
    setup_directives(app)
    setup_config_reference(app)
    setup_register(app)
    setup_freshness(app)
    setup_history(app)
    setup_accessibility(app)
    setup_created(app)
    setup_collector(app)
    app.connect("builder-inited", _add_static)
    app.connect("needs-before-sealing", run_checks)
    return {
        "version": __version__,
        # a pickled environment of another policycheck state layout is not trusted
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
