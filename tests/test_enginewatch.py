"""The preview's watch of the project (tisite.adapters.enginewatch): the system's file events
at once, the engine's polling as a safety net that never reports a save twice.

Every wait is for a state (an event received, a report dropped), never for a time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from watchdog.events import (
    DirDeletedEvent,
    DirMovedEvent,
    EventsLostEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
)
from watchdog.events import FileSystemEventHandler as Handler
from watchdog.observers.polling import PollingObserver

from browser import until
from tisite.adapters import enginewatch


def wait_for(state: Callable[[], bool], seconds: float = 20) -> None:
    assert until(state, seconds), "état jamais atteint"


class Record(Handler):
    """What MkDocs' server does with an event (it rebuilds on any file's), recorded."""

    def __init__(self) -> None:
        self.events: list[FileSystemEvent] = []
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            with self.lock:
                self.events.append(event)

    def has(self, kind: type[FileSystemEvent], path: Path) -> bool:
        with self.lock:
            return any(type(e) is kind and e.src_path == str(path) for e in self.events)

    def paths(self) -> set[str]:
        with self.lock:
            return {str(e.src_path) for e in self.events} | {
                str(e.dest_path) for e in self.events if e.dest_path
            }


def test_the_polling_report_of_a_change_the_system_reported_is_dropped() -> None:
    seen = enginewatch.Seen(window=10)
    seen.note(FileModifiedEvent("/p/a.md"))
    assert seen.already(FileModifiedEvent("/p/a.md"))
    assert not seen.already(FileModifiedEvent("/p/b.md"))
    seen.note(FileMovedEvent("/p/.a.md.swp", "/p/c.md"))  # an editor's atomic save
    assert seen.already(FileModifiedEvent("/p/c.md"))
    # Control: once the window is over, the polling observer's report counts.
    late = enginewatch.Seen(window=-1)
    late.note(FileModifiedEvent("/p/a.md"))
    assert not late.already(FileModifiedEvent("/p/a.md"))


def _polled(monkeypatch: pytest.MonkeyPatch) -> list[FileSystemEvent]:
    """The file events the polling observer hands on (recorded)."""
    handed: list[FileSystemEvent] = []
    dispatch = enginewatch._Unless.dispatch

    def counting(self: enginewatch._Unless, event: FileSystemEvent) -> None:
        dropped = self.seen.dropped
        dispatch(self, event)
        if not event.is_directory and self.seen.dropped == dropped:
            handed.append(event)

    monkeypatch.setattr(enginewatch._Unless, "dispatch", counting)
    return handed


@contextmanager
def watching(
    folder: Path, polling: float, prepare: Callable[[enginewatch.Observers], None] | None = None
) -> Iterator[tuple[enginewatch.Observers, Record]]:
    """``folder`` (made) watched as the preview watches the project, the polling observer
    looking every ``polling`` seconds; ``prepare``: called before the observers start."""
    folder.mkdir(exist_ok=True)
    observers = enginewatch.Observers(PollingObserver(timeout=polling))
    record = Record()
    observers.schedule(record, str(folder), recursive=True)
    if prepare is not None:
        prepare(observers)
    observers.start()
    try:
        yield observers, record
    finally:
        observers.stop()
        observers.join(5)


def _saved(folder: Path) -> Path:
    letter = folder / "lettre.md"
    letter.write_text("Bonjour, une ligne de plus\n", encoding="utf-8")
    return letter


def test_a_save_is_reported_by_the_system_and_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed = _polled(monkeypatch)
    with watching(tmp_path / "territoires", 0.2) as (observers, record):
        letter = _saved(tmp_path / "territoires")
        wait_for(lambda: str(letter) in record.paths())  # the system told
        wait_for(lambda: observers.seen.dropped >= 1)  # the polling observer saw it too
        assert handed == []  # and left it out: one save, one rebuild


def test_control_without_the_system_s_report_the_polling_one_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control, and the safety net: when the system tells nothing (a shared folder), the
    polling observer reports the save."""
    handed = _polled(monkeypatch)
    monkeypatch.setattr(enginewatch._Noted, "dispatch", lambda self, event: None)  # silent
    with watching(tmp_path / "territoires", 0.2) as (_, record):
        letter = _saved(tmp_path / "territoires")
        wait_for(lambda: str(letter) in record.paths())
        assert str(letter) in {str(e.src_path) for e in handed}


def _read_then_touch(folder: Path, record: Record) -> Path:
    """Read one file, then change another: once the change is reported, every report about
    the read file would be in too (the system reports in order)."""
    read = folder / "lu.md"
    read.write_text("lu\n", encoding="utf-8")
    sentinel = folder / "temoin.md"
    # The write's last report (closed after writing), not its first (created): a report of
    # the write arriving after the clearing below would be taken for one of the read.
    wait_for(lambda: record.has(FileClosedEvent, read))
    with record.lock:
        record.events.clear()
    assert read.read_text(encoding="utf-8") == "lu\n"
    sentinel.write_text("changé\n", encoding="utf-8")
    wait_for(lambda: str(sentinel) in record.paths())
    return read


def test_reading_a_file_is_not_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build reads every file of the project: reading must not start another build."""
    with watching(tmp_path / "projet", 30) as (_, record):  # the system's reports only
        read = _read_then_touch(tmp_path / "projet", record)
        assert str(read) not in record.paths()
    # Control: with every kind of event the system reports, reading is reported.
    monkeypatch.setattr(enginewatch, "CHANGES", None)
    with watching(tmp_path / "autre", 30) as (_, record):
        read = _read_then_touch(tmp_path / "autre", record)
        assert str(read) in record.paths()


def test_without_the_system_s_events_the_preview_says_so_and_polls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(observers: enginewatch.Observers) -> None:
        def refused() -> None:
            raise OSError(28, "limite de surveillance atteinte")

        monkeypatch.setattr(observers.native, "start", refused)

    with (
        caplog.at_level(logging.WARNING),
        watching(tmp_path / "territoires", 0.2, refuse) as (observers, record),
    ):
        assert "le système refuse de surveiller les fichiers" in caplog.text
        assert observers.native is None
        letter = _saved(tmp_path / "territoires")
        wait_for(lambda: str(letter) in record.paths())


def test_a_file_changed_since_the_system_s_report_counts(tmp_path: Path) -> None:
    """A host's edit the system did not report (WSL, a shared folder), after a reported one:
    the polling observer's report is kept."""
    letter = tmp_path / "lettre.md"
    letter.write_text("Bonjour\n", encoding="utf-8")
    seen = enginewatch.Seen(window=60)
    seen.note(FileModifiedEvent(str(letter)))
    assert seen.already(FileModifiedEvent(str(letter)))  # as reported: the same change
    letter.write_text("Bonjour, modifié ailleurs\n", encoding="utf-8")
    assert not seen.already(FileModifiedEvent(str(letter)))
    seen.note(FileDeletedEvent(str(tmp_path / "parti.md")))  # gone, and still gone
    assert seen.already(FileDeletedEvent(str(tmp_path / "parti.md")))


def test_lost_events_and_folders_taken_away_are_changes() -> None:
    """The engine ignores folders' events: a folder removed or moved away, or events the
    system lost (its queue overflowed), are handed on as a change of a file."""
    record = Record()
    seen = enginewatch.Seen(window=60)
    noted = enginewatch._Noted(record, seen)
    seen.note(FileModifiedEvent("/p/territoires/a/lettre.md"))
    lost = EventsLostEvent("/p/territoires", is_directory=True)
    removed = DirDeletedEvent("/p/territoires/b")
    moved = DirMovedEvent("/p/territoires/c", "/tmp/corbeille/c")
    control = Record()  # Control: as the system reports them, the engine would see nothing
    for event in (lost, removed, moved):
        control.dispatch(event)
    assert control.events == []
    for event in (lost, removed, moved):
        noted.dispatch(event)
    assert [type(e) for e in record.events] == [
        FileModifiedEvent,
        FileDeletedEvent,
        FileDeletedEvent,
    ]
    # after lost events, the polling observer's reports count again
    assert not seen.already(FileModifiedEvent("/p/territoires/a/lettre.md"))


def test_the_preview_server_is_the_engine_s_own(tmp_path: Path) -> None:
    """``quicker`` hands the engine a server with the same address, folder, builder, error
    pages and watched paths (the theme's too, with --watch-theme)."""
    from mkdocs.livereload import LiveReloadServer

    site, docs, theme = tmp_path / "site", tmp_path / "docs", tmp_path / "theme"
    for folder in (site, docs, theme):
        folder.mkdir()

    def builder() -> None:
        return None

    def errors(code: int) -> bytes | None:
        return b"page d'erreur"

    server = LiveReloadServer(builder, "127.0.0.1", 0, str(site), "/ti/")
    server.error_handler = errors
    for path in (docs, tmp_path / "mkdocs.yml", theme, docs):
        server.watch(str(path))
    quick = enginewatch.quicker(server)
    try:
        assert isinstance(quick, enginewatch.QuickServer)
        assert quick.builder is builder and quick.error_handler is errors
        assert (quick.root, quick.mount_path, quick.url) == (server.root, "/ti/", server.url)
        # and the generator's code (hooks/), whose saves are told, not built (CodeWatch)
        assert quick._watched_paths == {**server._watched_paths, str(enginewatch.HOOKS): 1}
        assert len(quick._watched_paths) == 4 and quick._watched_paths[str(docs)] == 2
        assert server.socket.fileno() == -1  # the engine's server let go of its socket
        assert isinstance(quick.observer, enginewatch.Observers)
        assert (quick.observer.native is not None) == enginewatch.NATIVE
    finally:
        quick.server_close()


def test_a_refused_watch_leaves_the_polling_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Too many watchers for this user (other editors): the system's observer refuses a
    folder when it is scheduled; the preview says so, stops it, and polls."""
    stopped: list[bool] = []

    def refuse(observers: enginewatch.Observers) -> None:
        assert observers.native is None  # refused at schedule (the fixture schedules first)

    def refusing(self: object, *args: object, **kwargs: object) -> None:
        raise OSError(24, "trop de fichiers ouverts")

    monkeypatch.setattr(enginewatch.Observer, "schedule", refusing)
    monkeypatch.setattr(enginewatch.Observer, "stop", lambda self: stopped.append(True))
    with (
        caplog.at_level(logging.WARNING),
        watching(tmp_path / "territoires", 0.2, refuse) as (_, record),
    ):
        assert "trop de fichiers ouverts" in caplog.text and stopped == [True]
        letter = _saved(tmp_path / "territoires")
        wait_for(lambda: str(letter) in record.paths())


def test_a_save_of_the_generator_s_code_is_told_not_built(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A module, a data file or the hooks file saved: the running process can't take it (Python
    does not import a module again), so the engine is not asked to rebuild with the former
    code; the preview says so once (``ti serve`` then starts it again). Templates and styles,
    read by every build, and the project's own files are built as before (control)."""
    hooks, package = enginewatch.HOOKS, enginewatch.PACKAGE
    code = [
        package / "generate" / "views.py",
        package / "data" / "epci-reference.json",
        hooks / "mkdocs_hooks.py",
    ]
    built = [
        package / "templates" / "pages" / "action.html.j2",
        package / "assets" / "css" / "ti.css",
        hooks.parent / "territoires" / "outils.py",
        hooks.parent / "docs" / "script.py",
    ]
    # a compiled module, an editor's swap file: nothing a build reads, neither told nor built
    noise = [
        package / "generate" / "__pycache__" / "views.cpython-311.pyc",
        package / "generate" / ".views.py.swp",
        hooks / "mkdocs_hooks.py~",
    ]
    record = Record()
    noted = enginewatch._Noted(record, enginewatch.Seen(window=60))
    polled = enginewatch._Unless(record, enginewatch.Seen(window=60), noted.code)
    with caplog.at_level(logging.INFO):
        for path in code:
            noted.dispatch(FileModifiedEvent(str(path)))
            polled.dispatch(FileModifiedEvent(str(path)))
        noted.dispatch(FileMovedEvent(str(package / ".tmp-views"), str(code[0])))  # atomic save
        assert record.events == []
        for path in [*built, *noise]:
            noted.dispatch(FileModifiedEvent(str(path)))
        assert record.paths() == {str(p) for p in built}
    told = [r.getMessage() for r in caplog.records if "Le code du générateur" in r.getMessage()]
    assert len(told) == 1 and "(hooks/tisite/generate/views.py)" in told[0], told
    assert enginewatch.loaded_code(str(code[0])) == "tisite/generate/views.py"
    assert [enginewatch.loaded_code(str(p)) for p in [*built, *noise]] == [None] * 7


class _Preview:
    """A stand-in for the engine's preview process: prints ``lines``, then ends (or is
    stopped)."""

    def __init__(self, lines: list[str], ends_with: int = 0) -> None:
        self.stdout = iter(lines)
        self.returncode: int | None = None
        self.stopped = False
        self.ends_with = ends_with

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, number: int) -> None:  # Ctrl+C: the engine cleans up and ends
        self.stopped, self.returncode = True, -number

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self.ends_with  # its output is over: it ended by itself
        return self.returncode


@pytest.mark.parametrize("saved", [True, False])
def test_ti_serve_starts_the_preview_again_when_the_code_changed(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], saved: bool
) -> None:
    """``ti serve`` reads the engine's lines: told that the generator's code changed, it stops
    that process and starts a new one with the same command. Control (``saved`` False): a
    preview that says nothing of the code is the only one started."""
    from tisite.adapters.buildlog import CODE_CHANGED
    from tisite.cli import commands

    told = f"INFO    -  {CODE_CHANGED} (hooks/tisite/generate/views.py) : …\n"
    first = ["INFO    -  Serving on http://127.0.0.1:8000/\n"]
    first += [told, "INFO    -  jamais lu\n"] if saved else []
    previews = [_Preview(first), _Preview(["INFO    -  Serving on http://127.0.0.1:8000/\n"])]
    commands_run: list[list[str]] = []

    def start(command: list[str], env: dict[str, str], cwd: Path) -> _Preview:
        commands_run.append(command)
        return previews[len(commands_run) - 1]

    monkeypatch.setattr(commands, "_mkdocs_process", start)
    monkeypatch.setattr(commands.signal, "signal", lambda *args: None)
    assert commands.main(["--racine", str(project), "serve", "--adresse", "127.0.0.1:0"]) == 0
    err = capsys.readouterr().err
    assert len(commands_run) == (2 if saved else 1)
    assert previews[0].stopped is saved and not previews[1].stopped
    assert len({tuple(c) for c in commands_run}) == 1  # the same address and options
    assert ("redémarrage avec le nouveau code" in err) is saved
    assert "jamais lu" not in err


def test_only_the_preview_s_own_line_restarts_it() -> None:
    """A message about the content may quote a value « Le code du générateur a changé »: it
    would restart the preview again and again (the new one reports the same). Only the line
    the watch logs does (control)."""
    from tisite.adapters.buildlog import CODE_CHANGED, asks_restart

    own = f"INFO    -  {CODE_CHANGED} (hooks/tisite/generate/views.py) : ce processus…"
    quoted = (
        "INFO    -  territoires/x/agenda.yml:3: champ « date » : date invalide (reçu "
        f"« {CODE_CHANGED} (hooks/tisite/x.py) »)"
    )
    assert asks_restart(own) and asks_restart(f"\x1b[32m{own}\x1b[0m")
    assert not asks_restart(quoted)


def test_a_package_installed_elsewhere_is_named_by_its_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``pip install .`` puts the code in site-packages: the preview names the file saved
    there by its whole path (it said « hooks/… », a folder of the project that does not hold
    it), and that line still restarts the preview; in a project, « hooks/… » (control)."""
    from tisite.adapters import enginewatch
    from tisite.adapters.buildlog import CODE_CHANGED, asks_restart

    assert enginewatch.shown("tisite/generate/views.py") == "hooks/tisite/generate/views.py"
    installed = Path("/usr/lib/python3/dist-packages")
    monkeypatch.setattr(enginewatch, "HOOKS", installed)
    named = enginewatch.shown("tisite/generate/views.py")
    assert named == "/usr/lib/python3/dist-packages/tisite/generate/views.py"
    assert asks_restart(f"INFO    -  {CODE_CHANGED} ({named}) : ce processus…")


@pytest.mark.parametrize("restarted", [True, False])
def test_new_code_that_does_not_start_waits_for_the_next_save(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restarted: bool,
) -> None:
    """A module saved with a syntax error: the restarted preview ends at once. ``ti serve``
    says so and waits for the next save of the code, then starts it again. Control
    (``restarted`` False): a preview that fails before any restart ends ``ti serve``, with
    its exit code."""
    from tisite.adapters.buildlog import CODE_CHANGED
    from tisite.cli import commands

    told = f"INFO    -  {CODE_CHANGED} (hooks/tisite/generate/views.py) : …\n"
    if restarted:
        previews = [_Preview([told]), _Preview(["SyntaxError\n"], 1), _Preview([])]
    else:
        previews = [_Preview(["erreur\n"], 1)]
    started: list[int] = []
    waited: list[bool] = []

    def start(command: list[str], env: dict[str, str], cwd: Path) -> _Preview:
        started.append(1)
        return previews[len(started) - 1]

    monkeypatch.setattr(commands, "_mkdocs_process", start)
    monkeypatch.setattr(commands, "_wait_for_code_change", lambda: waited.append(True))
    monkeypatch.setattr(commands.signal, "signal", lambda *args: None)
    code = commands.main(["--racine", str(project), "serve", "--adresse", "127.0.0.1:0"])
    err = capsys.readouterr().err
    assert (code, len(started), waited) == ((0, 3, [True]) if restarted else (1, 1, []))
    assert ("ne démarre pas" in err) is restarted


def test_the_code_s_state_changes_when_a_module_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ``ti serve`` waits on: the time and size of each module and data file."""
    import shutil

    import tisite
    from tisite.cli import commands

    copy = tmp_path / "hooks" / "tisite"
    shutil.copytree(
        Path(tisite.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    monkeypatch.setattr(tisite, "__file__", str(copy / "__init__.py"))
    before = commands._code_state()
    assert commands._code_state() == before  # control: nothing saved
    views = copy / "generate" / "views.py"
    views.write_text(views.read_text(encoding="utf-8") + "\n# corrigé\n", encoding="utf-8")
    assert commands._code_state() != before
