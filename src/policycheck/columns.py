"""Column-wise pre-filters for the rules' fast paths (a 100,000-item export).

A rule that must look at every item usually finds nothing on almost all of them.
These helpers read one attribute of all items at once (``map`` with an
``attrgetter``: no Python bytecode per item), so a rule can decide from the
*distinct* values of a column which items may break it, and then run its one
definition on those items only. A pre-filter only ever proves "nothing here":
an item it cannot clear goes through the rule's definition unchanged, so the
verdict is the definition's on every path.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from itertools import compress
from typing import TypeVar

T = TypeVar("T")


class Suspects:
    """The positions (in a sequence of ``size`` items) that a pre-filter could not clear."""

    def __init__(self, size: int) -> None:
        self.flags = bytearray(size)
        self.any = False

    def mark_where(self, values: Iterable[object], bad: Collection[object]) -> None:
        """Mark every position whose value (``values``, in item order) is in ``bad``."""
        if not bad:
            return
        flags = self.flags
        for position in compress(range(len(flags)), map(bad.__contains__, values)):
            flags[position] = 1
            self.any = True

    def mark(self, position: int) -> None:
        self.flags[position] = 1
        self.any = True

    def of(self, items: Sequence[T]) -> Iterator[T]:
        """The marked items, in their order."""
        return compress(items, self.flags) if self.any else iter(())


def column(items: Sequence[T], read: Callable[[T], object]) -> list[object]:
    """``read`` of every item, in item order."""
    return list(map(read, items))
