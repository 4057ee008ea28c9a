"""Results kept within one process, by the content they are made from (never by a file's name
or date): a process that builds again and again (``ti serve``, a test session) parses and
converts only what changed since its last build.

Only for pure functions of their key: the YAML of a text, the HTML of contributor Markdown
with the site's Markdown settings. The code that computes them is loaded once per process, so
it is not part of the key; the settings are. A result is shared between builds: it must never
be modified (callers copy what they change).

Off by default: a process that builds once (``ti build``, ``ti check``) keeps nothing, its
memory is the build's. ``keep_between_builds`` turns it on (the preview's engine process, the
tests). Then what a build used is kept for the next one, and what the last build did not use
is dropped when a build starts (``new_build``): at most two builds' results, never more.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")
_on = {"kept": False}


def keeping() -> bool:
    """Whether this process keeps results for its next build (see keep_between_builds)."""
    return _on["kept"]


def keep_between_builds(on: bool = True) -> None:
    """This process builds again (``ti serve``, tests): results are kept for the next build."""
    _on["kept"] = on
    if not on:
        forget_all()


class Recent(Generic[V]):
    """Results by key: those of the build under way, and those of the previous build (a
    result used again moves to the build under way; the others go at the next ``new_build``)."""

    def __init__(self) -> None:
        self._current: dict[Hashable, V] = {}
        self._previous: dict[Hashable, V] = {}
        self.hits = self.misses = 0
        _ALL.add(self)

    def get(self, key: Hashable, produce: Callable[[], V]) -> V:
        if not _on["kept"]:
            return produce()
        if key in self._current:
            self.hits += 1
            return self._current[key]
        if key in self._previous:
            self.hits += 1
            value = self._current[key] = self._previous.pop(key)
            return value
        self.misses += 1
        value = self._current[key] = produce()
        return value

    def peek(self, key: Hashable) -> V | None:
        if key in self._current:
            return self._current[key]
        return self._previous.get(key)

    def put(self, key: Hashable, value: V) -> None:
        if _on["kept"]:
            self._current[key] = value

    def new_build(self) -> None:
        """A build starts: what the last build used stays, what it did not use is dropped."""
        self._previous, self._current = self._current, {}

    def clear(self) -> None:
        self._current.clear()
        self._previous.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)


_ALL: weakref.WeakSet[Recent[Any]] = weakref.WeakSet()


def forget_all() -> None:
    """Every result kept in this process forgotten: the next build starts as in a new process
    (the tests do so when they replace a function of the code, which a real process never
    does)."""
    for recent in list(_ALL):
        recent.clear()


def new_build() -> None:
    """A build starts (SiteBuild.load): every memo drops what the last build did not use."""
    for recent in list(_ALL):
        recent.new_build()
