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

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """At most ``size`` results, by key; the least recently used leaves first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self.hits = self.misses = 0

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
