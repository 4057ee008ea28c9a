"""Results kept within one process, by the content they are made from (never by a file's name
or date): a long-lived process that builds again and again (``ti serve``, a test session, the
bench's preview) parses and converts only what changed since the last build.

Only for pure functions of their key: the YAML of a text, the HTML of contributor Markdown
with the site's Markdown settings. The code that computes them is loaded once per process, so
it is not part of the key; the settings are. A result is shared between builds: it must never
be modified (callers copy what they change). Bounded: the least recently used results go
first.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """At most ``size`` results, by key; the least recently used leaves first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self.hits = self.misses = 0
        _ALL.add(self)

    def get(self, key: Hashable, produce: Callable[[], V]) -> V:
        try:
            value = self._kept[key]
        except KeyError:
            self.misses += 1
            value = self._kept[key] = produce()
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)
            return value
        self.hits += 1
        self._kept.move_to_end(key)
        return value

    def clear(self) -> None:
        self._kept.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._kept)

    def peek(self, key: Hashable) -> V | None:
        return self._kept.get(key)

    def put(self, key: Hashable, value: V) -> None:
        self._kept[key] = value
        self._kept.move_to_end(key)
        if len(self._kept) > self.size:
            self._kept.popitem(last=False)


_ALL: weakref.WeakSet[Recent[Any]] = weakref.WeakSet()


def forget_all() -> None:
    """Every result kept in this process forgotten: the next build starts as in a new process
    (the tests do so when they replace a function of the code, which a real process never
    does)."""
    for recent in list(_ALL):
        recent.clear()
