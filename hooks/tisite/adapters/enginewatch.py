"""The preview's watch of the project (``ti serve``): told of a save by the system at once.

MkDocs' live-reload server looks at every watched file twice a second (a polling observer: it
works on every file system). For a national site that is 4,400 files under territoires/ read
again every half second, in the preview's own process: a tenth of a second each time, taken
from the rebuild that runs meanwhile (a third of a rebuild at N = 183), and a quarter of a
second on average before a save is even noticed.

``QuickServer`` is that same server (its requests, rebuilds and reloads unchanged), with two
observers behind it:

- the system's file events (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
  Windows, through watchdog's native observer): a save is seen at once, and nothing is read
  while nothing changes. Only the events that change a file count: reading one (the build
  reads every file) is not a change;
- the polling observer, every ``FALLBACK`` seconds: where the system tells nothing (a folder
  shared with a virtual machine, a network drive, WSL on a Windows drive), a save is still
  seen, a little later. A change the system already reported is not reported again (the same
  save would be built twice).

Only this adapter knows MkDocs' server; the core knows nothing of it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    EventsLostEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

log = logging.getLogger(f"{LiveReloadServer.__module__.split('.')[0]}.hooks.territoires")

FALLBACK = 3.0  # seconds between two looks of the polling observer
# what the system reports that changes a file (not: opened, closed without writing)
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileAttribEvent,
    EventsLostEvent,
]


def _paths(event: FileSystemEvent) -> set[str]:
    paths = {str(event.src_path)}
    if event.dest_path:
        paths.add(str(event.dest_path))
    return paths


class Seen:
    """The paths the system reported, and when: the polling observer's report of the same
    change (at its next look, within ``window`` seconds) is dropped."""

    def __init__(self, window: float) -> None:
        self.window = window
        self._when: dict[str, float] = {}
        self._lock = threading.Lock()
        self.dropped = 0  # reports of the polling observer left out (tests wait for it)

    def note(self, event: FileSystemEvent) -> None:
        now = time.monotonic()
        with self._lock:
            for path in _paths(event):
                self._when[path] = now

    def already(self, event: FileSystemEvent) -> bool:
        """Whether the system reported every path of ``event`` lately."""
        now = time.monotonic()
        with self._lock:
            self._when = {p: t for p, t in self._when.items() if now - t <= self.window}
            known = all(path in self._when for path in _paths(event))
            self.dropped += known
            return known


class _Noted(FileSystemEventHandler):
    """The system's events: noted, then handed on."""

    def __init__(self, inner: FileSystemEventHandler, seen: Seen) -> None:
        self.inner, self.seen = inner, seen

    def dispatch(self, event: FileSystemEvent) -> None:
        self.seen.note(event)
        self.inner.dispatch(event)


class _Unless(FileSystemEventHandler):
    """The polling observer's events: handed on unless the system reported them."""

    def __init__(self, inner: FileSystemEventHandler, seen: Seen) -> None:
        self.inner, self.seen = inner, seen

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.is_directory or not self.seen.already(event):
            self.inner.dispatch(event)


class Observers:
    """The system's observer and the polling one, as the one observer MkDocs' server uses
    (schedule, unschedule, start, stop, join)."""

    def __init__(self, polling: BaseObserver, native: BaseObserver | None = None) -> None:
        self.polling = polling
        self.native: BaseObserver | None = native if native is not None else Observer()
        self.seen = Seen(window=2 * polling.timeout + 1)

    def schedule(
        self, handler: FileSystemEventHandler, path: str, *, recursive: bool = False
    ) -> tuple[ObservedWatch | None, ObservedWatch]:
        native = None
        if self.native is not None:
            native = self.native.schedule(
                _Noted(handler, self.seen), path, recursive=recursive, event_filter=CHANGES
            )
        polled = self.polling.schedule(_Unless(handler, self.seen), path, recursive=recursive)
        return native, polled

    def unschedule(self, watches: tuple[ObservedWatch | None, ObservedWatch]) -> None:
        native, polled = watches
        if self.native is not None and native is not None:
            self.native.unschedule(native)
        self.polling.unschedule(polled)

    def start(self) -> None:
        if self.native is not None:
            try:
                self.native.start()
            except OSError as exc:  # e.g. the system's limit of watched folders reached
                log.warning(
                    "Aperçu : le système ne signale pas les modifications des fichiers "
                    f"({exc.strerror or exc}) ; elles sont vues toutes les {FALLBACK:g} s."
                )
                self.native = None
        self.polling.start()

    def stop(self) -> None:
        if self.native is not None:
            self.native.stop()
        self.polling.stop()

    def join(self, timeout: float | None = None) -> None:
        if self.native is not None:
            self.native.join(timeout)
        self.polling.join(timeout)


class QuickServer(LiveReloadServer):
    """MkDocs' live-reload server, told of a save by the system (see the module)."""

    def __init__(
        self, builder: Any, host: str, port: int, root: str, mount_path: str = "/"
    ) -> None:
        super().__init__(builder, host, port, root, mount_path, polling_interval=FALLBACK)
        self.observer: Any = Observers(self.observer)


def quicker(server: LiveReloadServer, watched: list[str]) -> LiveReloadServer:
    """The server ``mkdocs serve`` made, replaced before it starts by a ``QuickServer`` with
    the same address, folder, builder and error pages, watching ``watched`` (the engine's
    documentation folder and configuration file; the configuration's ``watch`` list is added
    by the engine afterwards)."""
    host, port = server.server_address[:2]
    quick = QuickServer(
        builder=server.builder,
        host=str(host),
        port=int(port),
        root=server.root,
        mount_path=server.mount_path,
    )
    quick.error_handler = server.error_handler
    for path in watched:
        quick.watch(path)
    server.server_close()  # never bound: its socket only
    return quick
