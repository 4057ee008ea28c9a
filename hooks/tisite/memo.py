"""Results kept within one process, by the content they are made from (never by a file's name
or date): a process that builds again and again (``ti serve``, a test session) parses and
converts only what changed since its last build.

Only for pure functions of their key: the YAML of a text, the HTML of contributor Markdown
with the site's Markdown settings, a template's compiled code (generate/templatecache), a
cleaned image (diskcache.kept), mkdocs.yml's settings. The code that computes them is loaded
once per process, so it is not part of the key; the settings are. A result is shared between
builds: it must never be modified (callers copy what they change).

Off by default: a process that builds once (``ti build``, ``ti check``) keeps nothing, its
memory is the build's. ``keep_between_builds`` turns it on (the preview's engine process, the
tests). Then what a build used is kept for the next one, and what the last build did not use
is dropped when a build starts (``new_build``): at most two builds' results, never more. The
preview drops it as soon as its build is over (``build_over``): between saves it holds one
build's results.
"""

from __future__ import annotations

import gc
import threading
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
        # one lookup: taken from the former build's results if it is there
        value = self._previous.pop(key, _MISSING)
        if value is not _MISSING:
            self.hits += 1
            self._current[key] = value
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

    def build_over(self) -> None:
        """The build is over: what the build before it made and this one did not use goes now,
        not when the next build starts (the preview waits for a save without holding it)."""
        self._previous = {}

    def clear(self) -> None:
        self._current.clear()
        self._previous.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._current) + len(self._previous)


_ALL: weakref.WeakSet[Recent[Any]] = weakref.WeakSet()
_MISSING: Any = object()


class Held(Generic[V]):
    """Results by the identity of the objects they are made from (a territory kept by the
    loader, its pages and files reused: the very objects of the last build). Each entry holds
    its objects, so that no other object can take their identity while it is kept."""

    def __init__(self) -> None:
        self._recent: Recent[tuple[tuple[object, ...], V]] = Recent()

    def get(self, objects: tuple[object, ...], produce: Callable[[], V], *more: Hashable) -> V:
        """The result for ``objects`` (and ``more``, values it also depends on)."""
        key = (*(id(o) for o in objects), *more)
        held, value = self._recent.get(key, lambda: (objects, produce()))
        assert all(a is b for a, b in zip(held, objects, strict=True))
        return value


_CLEARS: list[Callable[[], None]] = []


def on_forget(clear: Callable[[], None]) -> None:
    """``clear`` runs with forget_all too: a cache kept elsewhere (a ``functools`` cache of
    results made by functions a test may replace, such as publishing._letter_html)."""
    _CLEARS.append(clear)


def forget_all() -> None:
    """Every result kept in this process forgotten: the next build starts as in a new process
    (the tests do so when they replace a function of the code, which a real process never
    does)."""
    for recent in list(_ALL):
        recent.clear()
    for clear in _CLEARS:
        clear()


def new_build() -> None:
    """A build starts (SiteBuild.load): every memo drops what the last build did not use."""
    for recent in list(_ALL):
        recent.new_build()


def build_over() -> None:
    """A build is over (the preview's): every memo keeps only what this build used."""
    for recent in list(_ALL):
        recent.build_over()


# Allocations between two collections of the youngest objects, in a process that builds.
# Python's default (700) starts one every few hundred new objects, and a build makes millions:
# 1,400 collections in a cold build of 60 territories (0.75 s of processor time, 4 % of the
# process); at 10,000, 80 of them (0.3 s), for the same peak memory (210 MB).
YOUNG_COLLECTIONS_EVERY = 10_000


def collect_less() -> None:
    """Python's garbage collector tuned for a process that builds (``ti`` and the preview's
    engine process): most of what a build makes lives until the build is over, so looking for
    garbage among it every 700 allocations is mostly wasted. The older generations keep their
    settings (IdleCollection reads them)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTIONS_EVERY, middle, old)


class IdleCollection:
    """The preview's full garbage collections, done while it waits for a save, not during a
    rebuild.

    What a process keeps between builds (the territories, their pages and HTML: several hundred
    thousand objects for a national site) makes each of Python's full collections take about
    half a second, and a rebuild allocates enough to start one: a save then showed half a second
    later, one time out of two. During a build (``building``), only the full collections wait
    (the young objects, where most garbage is, are still collected); ``idle``, once the build is
    over, restores them and runs one after ``delay`` seconds unless another build started.
    """

    _NEVER = 2**30  # a count of young collections no build reaches

    def __init__(self, delay: float = 1.0) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._build = 0  # builds started, so that a late collection knows it is late
        self._threshold: tuple[int, int, int] | None = None  # while a build runs
        self._timer: threading.Timer | None = None

    def building(self) -> None:
        with self._lock:
            self._build += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._threshold is None:
                self._threshold = gc.get_threshold()
                young, middle, _ = self._threshold
                gc.set_threshold(young, middle, self._NEVER)

    def idle(self) -> None:
        with self._lock:
            if self._threshold is not None:
                gc.set_threshold(*self._threshold)
                self._threshold = None
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._collect, (self._build,))
            self._timer.daemon = True
            self._timer.start()

    def _collect(self, build: int) -> None:
        with self._lock:  # a build that starts now waits for it (it would wait for the GIL)
            if build == self._build and self._threshold is None:
                gc.collect()
