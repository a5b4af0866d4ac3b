"""The Sphinx extension: sphinx-needs configured with the policy vocabulary, and checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError as SphinxConfigError

from policycheck import __version__
from policycheck.config import load_config
from policycheck.errors import PolicycheckError
from policycheck.i18n import DOMAIN, LOCALE_DIR
from policycheck.rules import rule_names
from policycheck.sphinx.accessibility import setup_accessibility
from policycheck.sphinx.checks import locate_schema_violations, run_checks
from policycheck.sphinx.directives import setup_directives
from policycheck.sphinx.freshness import setup_freshness
from policycheck.sphinx.history import setup_history
from policycheck.sphinx.needs_config import configure_needs
from policycheck.sphinx.register import setup_register


def _config_inited(app: Sphinx, config: Config) -> None:
    try:
        policy = load_config(Path(app.confdir), rule_names())
    except PolicycheckError as exc:
        raise SphinxConfigError(f"policycheck: {exc}") from None
    # Kept on the app, not as a config value: it is read from the TOML table, not
    # from conf.py, and must not take part in Sphinx's config comparison.
    app.policycheck_config = policy  # type: ignore[attr-defined]
    configure_needs(config, policy)


STATIC = Path(__file__).parent / "static"


def _add_static(app: Sphinx) -> None:
    """Local assets only (the site works offline): sorting and filtering of tables."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("policycheck.css")
    app.add_js_file("policycheck.js", loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx.ext.graphviz")
    app.setup_extension("sphinx_needs")
    app.add_message_catalog(DOMAIN, str(LOCALE_DIR))
    app.add_config_value("policycheck_today", "", "", types=(str,))
    app.add_config_value("policycheck_checks", True, "", types=(bool,))
    app.connect("config-inited", _config_inited, priority=11)
    setup_directives(app)
    setup_register(app)
    setup_freshness(app)
    setup_history(app)
    setup_accessibility(app)
    app.connect("builder-inited", _add_static)
    app.connect("needs-before-sealing", run_checks)
    # after sphinx-needs' own schema validation (write-started, priority 500)
    app.connect("write-started", locate_schema_violations, priority=900)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
