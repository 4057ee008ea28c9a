"""The preview's watch of the project (tisite.adapters.enginewatch): the system's file events
at once, the engine's polling as a safety net that never reports a save twice.

Every wait is for a state (an event received, a report dropped), never for a time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from watchdog.events import FileModifiedEvent, FileMovedEvent, FileSystemEvent
from watchdog.events import FileSystemEventHandler as Handler
from watchdog.observers.polling import PollingObserver

from tisite.adapters import enginewatch


def wait_for(state: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not state():
        assert time.monotonic() < deadline, "état jamais atteint"
        time.sleep(0.02)


class Record(Handler):
    """What MkDocs' server does with an event (it rebuilds on any file's), recorded."""

    def __init__(self) -> None:
        self.events: list[FileSystemEvent] = []
        self.lock = threading.Lock()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if not event.is_directory:
            with self.lock:
                self.events.append(event)

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


def test_a_save_is_reported_by_the_system_and_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed = _polled(monkeypatch)
    folder = tmp_path / "territoires"
    folder.mkdir()
    letter = folder / "lettre.md"
    letter.write_text("Bonjour\n", encoding="utf-8")
    observers = enginewatch.Observers(PollingObserver(timeout=0.2))
    record = Record()
    observers.schedule(record, str(folder), recursive=True)
    observers.start()
    try:
        letter.write_text("Bonjour, une ligne de plus\n", encoding="utf-8")
        wait_for(lambda: str(letter) in record.paths())  # the system told
        wait_for(lambda: observers.seen.dropped >= 1)  # the polling observer saw it too
        assert handed == []  # and left it out: one save, one rebuild
    finally:
        observers.stop()
        observers.join(5)


def test_control_without_the_system_s_report_the_polling_one_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control, and the safety net: when the system tells nothing (a shared folder), the
    polling observer reports the save."""
    handed = _polled(monkeypatch)
    monkeypatch.setattr(enginewatch._Noted, "dispatch", lambda self, event: None)  # silent
    folder = tmp_path / "territoires"
    folder.mkdir()
    letter = folder / "lettre.md"
    letter.write_text("Bonjour\n", encoding="utf-8")
    observers = enginewatch.Observers(PollingObserver(timeout=0.2))
    record = Record()
    observers.schedule(record, str(folder), recursive=True)
    observers.start()
    try:
        letter.write_text("Bonjour, une ligne de plus\n", encoding="utf-8")
        wait_for(lambda: str(letter) in record.paths())
        assert [str(e.src_path) for e in handed] == [str(letter)]
    finally:
        observers.stop()
        observers.join(5)


def _read_then_touch(folder: Path, record: Record) -> Path:
    """Read one file, then change another: once the change is reported, every report about
    the read file would be in too (the system reports in order)."""
    read = folder / "lu.md"
    read.write_text("lu\n", encoding="utf-8")
    sentinel = folder / "temoin.md"
    wait_for(lambda: str(read) in record.paths())
    with record.lock:
        record.events.clear()
    assert read.read_text(encoding="utf-8") == "lu\n"
    sentinel.write_text("changé\n", encoding="utf-8")
    wait_for(lambda: str(sentinel) in record.paths())
    return read


def test_reading_a_file_is_not_a_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build reads every file of the project: reading must not start another build."""
    folder = tmp_path / "projet"
    folder.mkdir()
    observers = enginewatch.Observers(PollingObserver(timeout=30))  # the system's only
    record = Record()
    observers.schedule(record, str(folder), recursive=True)
    observers.start()
    try:
        read = _read_then_touch(folder, record)
        assert str(read) not in record.paths()
    finally:
        observers.stop()
        observers.join(5)
    # Control: with every kind of event the system reports, reading is reported.
    monkeypatch.setattr(enginewatch, "CHANGES", None)
    observers = enginewatch.Observers(PollingObserver(timeout=30))
    record = Record()
    other = tmp_path / "autre"
    other.mkdir()
    observers.schedule(record, str(other), recursive=True)
    observers.start()
    try:
        read = _read_then_touch(other, record)
        assert str(read) in record.paths()
    finally:
        observers.stop()
        observers.join(5)


def test_without_the_system_s_events_the_preview_says_so_and_polls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "territoires"
    folder.mkdir()
    observers = enginewatch.Observers(PollingObserver(timeout=0.2))

    def refused() -> None:
        raise OSError(28, "limite de surveillance atteinte")

    assert observers.native is not None
    monkeypatch.setattr(observers.native, "start", refused)
    record = Record()
    observers.schedule(record, str(folder), recursive=True)
    with caplog.at_level(logging.WARNING):
        observers.start()
    try:
        assert "le système ne signale pas les modifications" in caplog.text
        assert observers.native is None
        (folder / "lettre.md").write_text("Bonjour\n", encoding="utf-8")
        wait_for(lambda: str(folder / "lettre.md") in record.paths())
    finally:
        observers.stop()
        observers.join(5)
