"""The preview's watch of the project (``ti serve``): told of a save by the system at once.

MkDocs' live-reload server looks at every watched file twice a second (a polling observer: it
works on every file system). For a national site that is 4,400 files under territoires/ read
again every half second, in the preview's own process: a tenth of a second each time, taken
from the rebuild that runs meanwhile (a third of a rebuild at N = 183), and a quarter of a
second on average before a save is even noticed.

``QuickServer`` is that same server (its requests, rebuilds and reloads unchanged), with two
observers behind it:

- the system's file events (inotify, through watchdog's native observer; on Linux only, where
  they are tested: elsewhere the engine's polling every half second, as before): a save is
  seen at once, and nothing is read while nothing changes. Only the events that change a file
  count: reading one (the build reads every file) is not a change. A folder removed or moved
  away, and events the system lost (its queue overflowed), are told as a change;
- the polling observer, every ``FALLBACK`` seconds: where the system tells nothing (a folder
  shared with a virtual machine, a network drive, WSL on a Windows drive), a save is still
  seen, a little later. A change the system already reported is not reported again (the same
  save would be built twice): the polling report of a file is left out only while the file is
  as it was when the system reported it (an edit made from elsewhere since still counts).

When the system refuses to watch (its limit of watchers reached), the preview says so and
relies on the polling observer alone.

A save of the generator's own code (a Python module, a data file, the hooks file) is not
built: Python does not import a module again, so the rebuild would show the former code's
pages (their cache entries stay under the former code's key, see diskcache.loaded_digest).
The preview says the code changed instead (``buildlog.CODE_CHANGED``), and ``ti serve`` starts
it again in a new process. Templates and styles are read by every build: saved, they are built.

Only this adapter knows MkDocs' server; the core knows nothing of it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    DirDeletedEvent,
    DirMovedEvent,
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

import tisite
from tisite.adapters.buildlog import CODE_CHANGED
from tisite.adapters.engine import PARENT_VARIABLE, STOP_SIGNAL
from tisite.publish.diskcache import READ_PER_BUILD

log = logging.getLogger(f"{LiveReloadServer.__module__.split('.')[0]}.hooks.territoires")

FALLBACK = 3.0  # seconds between two looks of the polling observer beside the system's events
ENGINE_POLLING = 0.5  # the engine's own interval, when the system's events are not used
NATIVE = sys.platform.startswith("linux")  # inotify: reading a file reports nothing there
# what the system reports that changes a file (not: opened, closed without writing)
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    FileAttribEvent,
    DirDeletedEvent,
    DirMovedEvent,
    EventsLostEvent,
]


PACKAGE = Path(tisite.__file__).resolve().parent  # the code this process runs
HOOKS = PACKAGE.parent  # beside it, the engine's hooks file (mkdocs_hooks.py)


def _under_hooks(path: str) -> Path | None:
    try:
        rel = Path(os.path.realpath(path)).relative_to(HOOKS)
    except ValueError:
        return None
    return rel if rel.parts else None


def shown(rel: str) -> str:
    """A file of the code as the preview names it: « hooks/… » in a project, its whole path
    when the package is installed elsewhere (``pip install .``: site-packages)."""
    return f"hooks/{rel}" if HOOKS.name == "hooks" else (HOOKS / rel).as_posix()


def _noise(rel: Path) -> bool:
    """A compiled module or an editor's temporary file (a swap file rewritten every few
    seconds): nothing a build reads."""
    name = rel.name
    return "__pycache__" in rel.parts or name.startswith(".") or name.endswith("~")


def loaded_code(path: str) -> str | None:
    """``path`` relative to the hooks folder when it is code this process loaded once and
    can't take again (a module, a data file, the hooks file); None otherwise (templates and
    styles, read by every build; compiled files, editors' temporary files)."""
    rel = _under_hooks(path)
    if rel is None or _noise(rel):
        return None
    if rel.parts[0] == PACKAGE.name and len(rel.parts) > 1:
        if rel.parts[1] in READ_PER_BUILD:
            return None
        if rel.parts[1] == "data" and len(rel.parts) > 2:
            return rel.as_posix()
    return rel.as_posix() if rel.suffix == ".py" else None


class CodeWatch:
    """Saves of the generator's code: told once (``CODE_CHANGED``), never built."""

    def __init__(self) -> None:
        self.changed: str | None = None  # the first file saved

    def takes(self, event: FileSystemEvent) -> bool:
        """Whether ``event`` is a save of the code (then told, and not handed on), or of a
        compiled module or an editor's temporary file under hooks/ (dropped)."""
        if event.is_directory:
            return False
        paths = _paths(event)
        found = sorted(filter(None, (loaded_code(p) for p in paths)))
        if not found:
            under = [_under_hooks(p) for p in paths]
            return all(rel is not None and _noise(rel) for rel in under)
        self.tell(found[0])
        return True

    def tell(self, rel: str) -> None:
        """Say once that the code changed (``rel``: the first file found saved)."""
        if self.changed is None:
            self.changed = rel
            log.info(
                f"{CODE_CHANGED} ({shown(rel)}) : ce processus ne peut pas le reprendre, "
                "l'aperçu doit redémarrer (`ti serve` le fait ; `mkdocs serve` lancé à la "
                "main : arrêtez-le et relancez-le)."
            )


def _paths(event: FileSystemEvent) -> set[str]:
    paths = {str(event.src_path)}
    if event.dest_path:
        paths.add(str(event.dest_path))
    return paths


def _state(path: str) -> tuple[int, int, int] | None:
    """What a file is now, as the polling observer compares it (None: not there)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ino


class Seen:
    """The paths the system reported, when, and what each file was then: the polling
    observer's report of the same change (at its next look, within ``window`` seconds) is
    dropped, unless the file changed since (an edit the system did not report)."""

    def __init__(self, window: float) -> None:
        self.window = window
        self._noted: dict[str, tuple[float, tuple[int, int, int] | None]] = {}
        self._pruned = time.monotonic()
        self._lock = threading.Lock()
        self.dropped = 0  # reports of the polling observer left out (tests wait for it)

    def note(self, event: FileSystemEvent) -> None:
        now = time.monotonic()
        with self._lock:
            for path in _paths(event):
                self._noted[path] = (now, _state(path))
            self._prune(now)

    def forget(self) -> None:
        """The system lost events: every polling report counts again."""
        with self._lock:
            self._noted.clear()

    def already(self, event: FileSystemEvent) -> bool:
        """Whether the system reported every path of ``event`` lately, each file being as it
        was then."""
        now = time.monotonic()
        with self._lock:
            self._prune(now)
            for path in _paths(event):
                noted = self._noted.get(path)
                if noted is None or now - noted[0] > self.window or _state(path) != noted[1]:
                    return False
            self.dropped += 1
            return True

    def _prune(self, now: float) -> None:
        """Entries older than the window dropped, at most once per window (a national
        project's every file may be reported at once)."""
        if now - self._pruned > self.window:
            self._noted = {p: n for p, n in self._noted.items() if now - n[0] <= self.window}
            self._pruned = now


class _Noted(FileSystemEventHandler):
    """The system's events: noted, then handed on. What the engine would not take for a change
    (it leaves folders' events out) is handed on as a change of a file: a folder removed or
    moved away, events lost (then every polling report counts again)."""

    def __init__(
        self, inner: FileSystemEventHandler, seen: Seen, code: CodeWatch | None = None
    ) -> None:
        self.inner, self.seen, self.code = inner, seen, code or CodeWatch()

    def dispatch(self, event: FileSystemEvent) -> None:
        if self.code.takes(event):
            return
        if isinstance(event, EventsLostEvent):
            self.seen.forget()
            self.inner.dispatch(FileModifiedEvent(event.src_path))
            return
        self.seen.note(event)
        if isinstance(event, DirDeletedEvent | DirMovedEvent):
            self.inner.dispatch(FileDeletedEvent(event.src_path))
        else:
            self.inner.dispatch(event)


class _Unless(FileSystemEventHandler):
    """The polling observer's events: handed on unless the system reported them."""

    def __init__(
        self, inner: FileSystemEventHandler, seen: Seen, code: CodeWatch | None = None
    ) -> None:
        self.inner, self.seen, self.code = inner, seen, code or CodeWatch()

    def dispatch(self, event: FileSystemEvent) -> None:
        if self.code.takes(event):
            return
        if event.is_directory or not self.seen.already(event):
            self.inner.dispatch(event)


class Observers:
    """The system's observer and the polling one, as the one observer MkDocs' server uses
    (schedule, unschedule, start, stop, join). ``system``: False where the system's events are
    not used (the polling observer alone, every half second)."""

    def __init__(
        self, polling: BaseObserver, native: BaseObserver | None = None, system: bool = True
    ) -> None:
        self.polling = polling
        self.native: BaseObserver | None = None
        if system:
            self.native = native if native is not None else Observer()
        self.seen = Seen(window=2 * polling.timeout + 1)
        self.code = CodeWatch()

    def schedule(
        self, handler: FileSystemEventHandler, path: str, *, recursive: bool = False
    ) -> tuple[ObservedWatch | None, ObservedWatch]:
        native = None
        if self.native is not None:
            try:
                native = self.native.schedule(
                    _Noted(handler, self.seen, self.code),
                    path,
                    recursive=recursive,
                    event_filter=CHANGES,
                )
            except OSError as exc:  # e.g. too many watchers for this user (other editors)
                self._without_native(exc)
        polled = self.polling.schedule(
            _Unless(handler, self.seen, self.code), path, recursive=recursive
        )
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
                self._without_native(exc)
        self.polling.start()

    def _without_native(self, exc: OSError) -> None:
        """The system refuses to watch: its observer stopped (what it started of its watches
        too), the polling one alone (every ``FALLBACK`` seconds)."""
        log.warning(
            "Aperçu : le système refuse de surveiller les fichiers "
            f"({exc.strerror or exc}) ; une modification sera vue dans les {FALLBACK:g} s."
        )
        native, self.native = self.native, None
        if native is not None:
            with contextlib.suppress(Exception):
                native.stop()
                native.unschedule_all()
        self.seen.forget()

    def stop(self) -> None:
        if self.native is not None:
            self.native.stop()
        self.polling.stop()

    def join(self, timeout: float | None = None) -> None:
        if self.native is not None:
            self.native.join(timeout)
        self.polling.join(timeout)


# How often the preview's process looks whether ``ti`` is still there, and how long it is given
# to stop as on Ctrl+C once ``ti`` is gone before it is ended (a preview stops in a second).
WATCH_SECONDS = 0.5
GRACE_SECONDS = 10.0


def under_ti() -> None:
    """The engine's process started by ``ti serve`` (which gave its process number,
    engine.PARENT_VARIABLE): stopped by ``ti`` with a signal that is never ignored, and never
    outliving ``ti``. A preview started by hand (``mkdocs serve``) is left alone."""
    given = os.environ.pop(PARENT_VARIABLE, "")
    if not given.isdigit() or sys.platform == "win32":
        # (Windows: a virtual environment's python.exe starts the interpreter as its own
        # child, whose parent is then never ``ti``; and no signal interrupts as Ctrl+C does)
        return
    stop_on_signal()
    stop_with_parent(int(given))


def stop_on_signal() -> None:
    """The engine's process under ``ti serve``: STOP_SIGNAL stops it as Ctrl+C does (MkDocs'
    preview removes its temporary folder). Ctrl+C itself may be ignored by the process (``ti``
    started in the background by a script): a stop through it would then do nothing, and the
    preview would only be killed, its folder left behind.

    A terminal closed (SIGHUP) stops it the same way. Only the first of these stops
    interrupts: Ctrl+C in a terminal, or its closing, reaches ``ti`` and its engine at once,
    and ``ti`` then stops its engine too; a second interrupt during the preview's own stop
    would cut it short (its folder left behind)."""
    stops = [STOP_SIGNAL, signal.SIGHUP]
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not ignored
        stops.append(signal.SIGINT)

    def interrupted(*_: object) -> None:
        for number in stops:
            signal.signal(number, signal.SIG_IGN)  # the stop under way is not interrupted
        raise KeyboardInterrupt

    for number in stops:
        signal.signal(number, interrupted)


def stop_with_parent(
    parent: int, interval: float = WATCH_SECONDS, grace: float = GRACE_SECONDS
) -> threading.Thread:
    """End the preview's process when ``ti serve`` (process ``parent``), which started it, is
    gone, however it ended.

    ``ti serve`` stops its engine when it is stopped itself (Ctrl+C, a signal). But after a
    ``kill -9``, or a signal caught before it could stop the engine, the engine would go on
    serving the former site on its port, unseen, and the next preview would move to another
    port. A thread watches the parent from the engine's start (``ti`` may be gone before the
    first build is over): once it is gone (the process is given to another parent), the
    engine is stopped by STOP_SIGNAL (the preview removes its temporary folder), then ended if
    it is still there after ``grace`` seconds. Linux and macOS (see under_ti).
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os.kill(os.getpid(), STOP_SIGNAL)
        time.sleep(grace)
        os._exit(1)

    watcher = threading.Thread(target=watch, name="ti-fin-avec-ti", daemon=True)
    watcher.start()
    return watcher


class QuickServer(LiveReloadServer):
    """MkDocs' live-reload server, told of a save by the system (see the module)."""

    def __init__(
        self, builder: Any, host: str, port: int, root: str, mount_path: str = "/"
    ) -> None:
        interval = FALLBACK if NATIVE else ENGINE_POLLING
        super().__init__(builder, host, port, root, mount_path, polling_interval=interval)
        self.observer: Any = Observers(self.observer, system=NATIVE)


def quicker(server: LiveReloadServer) -> LiveReloadServer:
    """The server ``mkdocs serve`` made, replaced before it starts by a ``QuickServer`` with
    the same address, folder, builder, error pages and watched paths (the documentation folder,
    the configuration file, the theme with ``--watch-theme``; the configuration's ``watch``
    list is added by the engine afterwards)."""
    host, port = server.server_address[:2]
    quick = QuickServer(
        builder=server.builder,
        host=str(host),
        port=int(port),
        root=server.root,
        mount_path=server.mount_path,
    )
    quick.error_handler = server.error_handler
    for path, count in dict(server._watched_paths).items():  # the engine's own record
        for _ in range(count):
            quick.watch(path)
    # the code: a save is told, not built (see CodeWatch); the hooks file's folder when the
    # package is beside it (the project's hooks/), the package alone otherwise (an install)
    quick.watch(str(HOOKS if (HOOKS / "mkdocs_hooks.py").is_file() else PACKAGE))
    server.server_close()  # never bound: its socket only
    # saved while the first build ran, before anything was watched: told at once
    changed = loaded_code_changed()
    if changed is not None:
        quick.observer.code.tell(changed)
    return quick


def loaded_code_changed() -> str | None:
    """The first module or data file that differs from what this process loaded (see
    diskcache.loaded_digest), as ``tisite/…``; or None."""
    from tisite.publish import diskcache

    for rel in diskcache.loaded_files_changed():
        return f"{PACKAGE.name}/{rel}"
    return None
