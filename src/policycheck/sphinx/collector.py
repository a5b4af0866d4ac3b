"""The cyclic garbage collector during a build.

Sphinx loads the pickled environment (every document's data) right after
``config-inited``. While it is unpickled, the cyclic garbage collector rescans the
growing heap many times over: a quarter of an incremental build of 4,000 items.
The collector is paused until the builder is made; then the loaded environment,
which lives for the whole build and holds no garbage, is kept out of later scans
(``gc.freeze``), and the youngest generation is collected every 10,000
allocations instead of 700 (a build allocates millions of short-lived objects; a
few per cent more memory, a third of the collector's time). All of it is undone
when the build ends, so a process that builds again (tests, sphinx-autobuild)
frees that environment as usual. The output is the same; only the time changes
(``bench/site_build.py``).
"""

from __future__ import annotations

import gc

from sphinx.application import Sphinx
from sphinx.config import Config

_YOUNGEST = 10_000  # allocations between collections of the youngest generation
_paused: list[bool] = []  # one entry while this process's collector is paused by us
_thresholds: list[tuple[int, int, int]] = []  # the process's own, while ours apply


def _pause(_app: Sphinx, _config: Config) -> None:
    if gc.isenabled():
        gc.disable()
        _paused.append(True)


def _resume(_app: Sphinx | None = None) -> None:
    if _paused:
        _paused.clear()
        gc.freeze()
        gc.enable()
    if not _thresholds:
        _thresholds.append(gc.get_threshold())
        youngest, *older = _thresholds[0]
        gc.set_threshold(max(youngest, _YOUNGEST), *older)


def _release(_app: Sphinx, _exception: BaseException | None) -> None:
    _resume()  # never left paused, whatever happened in between
    gc.set_threshold(*_thresholds.pop())
    gc.unfreeze()


def setup_collector(app: Sphinx) -> None:
    # a previous build in this process that failed between the two events (a theme
    # that does not exist, say) left the collector paused: it is on again here
    if _paused:
        _paused.clear()
        gc.enable()
    app.connect("config-inited", _pause, priority=999)  # the last: the load follows
    app.connect("builder-inited", _resume, priority=0)  # the first: the load is done
    app.connect("build-finished", _release, priority=900)
