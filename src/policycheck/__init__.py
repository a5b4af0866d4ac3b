"""policycheck: policy-as-code for public strategy, as a Sphinx extension and a checker.

Add ``"policycheck"`` to ``extensions`` in conf.py. Importing this package does not
import Sphinx, so ``policycheck check --needs-json`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    from policycheck.sphinx import setup as _setup

    return _setup(app)
