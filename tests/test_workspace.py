"""What the commands write, and where: destinations that are never the project's own files,
one command at a time per project, temporary folders out of sight, system errors in French."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from filelock import FileLock

from conftest import TI, copy_project, override_in_copy, switch_off, ti_inprocess
from tisite.adapters.buildlog import os_error_text
from tisite.cli import commands as cli
from tisite.cli import workspace
from tisite.publish import export, registry

URL = "https://exemple.org/"
NO_WATCH = """
def stop_with_parent(parent, interval=None, grace=None):  # negative control: no watch on ti
    return None
"""

STOP_AS_BEFORE = """
def _serve_environment(scratch):  # negative control: the system's temporary folder, as before
    import os as _os

    from tisite.adapters import engine as _engine

    return {**_engine.environment(), _engine.PARENT_VARIABLE: str(_os.getpid())}


def _stop(child):  # negative control: ti stops its engine by Ctrl+C's signal, as it did
    import signal as _signal
    import subprocess as _subprocess

    if child.poll() is None:
        child.send_signal(_signal.SIGINT)
        try:
            child.wait(timeout=10)
        except _subprocess.TimeoutExpired:
            child.kill()
            child.wait()
"""

NO_LOCK = """
import contextlib as _contextlib


@_contextlib.contextmanager
def project_lock(root, wait=None, announce=None):  # negative control: no lock at all
    yield
"""


@contextmanager
def no_lock(root: Path, wait: float | None = None, announce: object = None) -> Iterator[None]:
    """NO_LOCK in this process (switch_off)."""
    yield


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of ``folder`` and its content (to show that nothing changed)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(folder).parts
    }


def ti(root: Path, *args: str) -> int:
    """``ti`` in this process (a refusal comes before any build: nothing slow)."""
    return cli.main(["--racine", str(root), *args])


# --- 1. destinations of `ti build` ------------------------------------------------------------

REFUSED = [
    (".", "c'est le dossier du projet"),
    ("..", "ce dossier contient le projet"),
    ("territoires", "c'est le dossier territoires/ du projet"),
    ("docs", "c'est le dossier docs/ du projet"),
    (
        "territoires/hainaut-douaisis-cambresis/lettres/x",
        "ce dossier est dans le dossier territoires/",
    ),
    ("docs/sortie", "ce dossier est dans le dossier docs/ du projet"),
    ("hooks", "c'est le dossier hooks/ du projet"),
    (".cache/site", "ce dossier est dans le dossier .cache/ du projet"),
]


@pytest.mark.parametrize(("folder", "reason"), REFUSED)
def test_build_never_writes_over_the_project(
    project: Path, folder: str, reason: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.chdir(project)
    before = tree(project.parent)
    assert ti(project, "build", "--site-dir", folder) == 1
    err = capsys.readouterr().err
    shown = workspace.shown(project, (project / folder).resolve())
    assert err.startswith(f"--site-dir {shown} : {reason}"), err
    assert "choisissez un dossier vide ou nouveau hors des sources" in err
    assert "Traceback" not in err
    assert tree(project.parent) == before


@pytest.mark.lent
def test_build_replaces_only_a_site_it_wrote(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a folder of the user's, a git repository, a file: refused, untouched
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a-garder.txt").write_text("à garder", encoding="utf-8")
    repo = tmp_path / "depot"
    (repo / ".git").mkdir(parents=True)
    afile = tmp_path / "fichier"
    afile.write_text("x", encoding="utf-8")
    for folder, reason in (
        (notes, "n'a pas été écrit par ti build (il n'a pas de fichier .ti-site) : choisissez"),
        (repo, "ce dossier est un dépôt git"),
        (afile, "c'est un fichier, pas un dossier"),
    ):
        assert ti(project, "build", "--site-dir", str(folder)) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"--site-dir {folder} : ") and reason in err, err
    assert [p.name for p in notes.iterdir()] == ["a-garder.txt"]
    assert [p.name for p in repo.iterdir()] == [".git"]
    # a site/ from before the mark: refused, and the message says how to go on
    old = project / "site"
    old.mkdir()
    (old / "index.html").write_text("ancien", encoding="utf-8")
    assert ti(project, "build") == 1
    err = capsys.readouterr().err
    assert err.startswith("site/ : ce dossier existe, n'est pas vide") and "rm -r site" in err
    assert (old / "index.html").read_text(encoding="utf-8") == "ancien"
    # an empty folder is fine; a site that a build wrote is replaced whole
    shutil.rmtree(old)
    old.mkdir()
    assert ti(project, "build") == 0, capsys.readouterr().err
    assert (old / workspace.SITE_MARK).is_file() and (old / "index.html").is_file()
    (old / "reste.html").write_text("ancien", encoding="utf-8")
    assert ti(project, "build", "--territoire", "grand-chatellerault") == 0
    assert not (old / "reste.html").exists() and (old / workspace.SITE_MARK).is_file()
    assert not list(project.glob(".site-*")) and not list(project.glob("site.old"))
    assert not any((project / workspace.TMP).iterdir())


@pytest.mark.lent
def test_without_the_destination_rule_a_build_deletes_the_content(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: what `ti build --site-dir territoires` did before the rule."""
    monkeypatch.setattr(workspace, "destination_problem", lambda *args, **kwargs: None)
    assert ti(project, "build", "--site-dir", str(project / "territoires")) == 0
    assert not (project / "territoires/hainaut-douaisis-cambresis/territoire.yml").exists()
    assert (project / "territoires/index.html").is_file()  # the site took its place


# --- 2. destinations of `ti exporter`, 6. its message names the path --------------------------


@pytest.mark.parametrize(
    "folder", ["territoires/hainaut-douaisis-cambresis/lettres/x", "docs/sortie", "."]
)
def test_export_never_writes_into_the_sources(
    project: Path, folder: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.chdir(project)
    before = tree(project)
    assert ti(project, "exporter", folder) == 1
    err = capsys.readouterr().err
    shown = workspace.shown(project, (project / folder).resolve())
    assert err.startswith(f"{shown} : "), err
    assert "../export/" in err and "rien n'a été écrit ni effacé" in err
    assert "None" not in err and "chemin inconnu" not in err and "Traceback" not in err
    assert tree(project) == before


@pytest.mark.lent
def test_without_the_rule_an_export_writes_into_the_sources(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the export lands among the letters of a territory."""
    monkeypatch.setattr(workspace, "destination_problem", lambda *args, **kwargs: None)
    letters = project / "territoires/hainaut-douaisis-cambresis/lettres"
    export.export(project, letters / "x", URL)
    assert (letters / "x" / "mkdocs.yml").is_file()


# --- 3. one command at a time ----------------------------------------------------------------


def _as_in_a_terminal() -> None:
    """Ctrl+C as in a terminal, even when the tests run where it is ignored (nohup, a background
    job), which `ti` then respects."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_build(root: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*TI, "--racine", str(root), "build"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=_as_in_a_terminal,
    )


class _Output:
    """What a process prints, line by line, read by a thread of its own. Waiting with
    ``select`` on the pipe misses the lines a read already took into the stream's buffer (a
    loaded machine writes several at once): the wait then lasted until its deadline."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self.process = process
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.ended = threading.Event()
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        with stream:
            for line in stream:
                self.lines.put(line)
        self.lines.put(None)  # the end of the output
        self.ended.set()

    def until(self, text: str | None, seconds: float) -> list[str]:
        """The lines printed until one holds ``text`` (None: until the output ended)."""
        lines: list[str] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                self.lines.put(None)  # ended: so for the next wait too
                break
            lines.append(line)
            if text is not None and text in line:
                break
        return lines

    def rest(self, seconds: float) -> str:
        """Everything printed until the process ends; TimeoutExpired as ``communicate``."""
        self.process.wait(timeout=seconds)
        if not self.ended.wait(seconds):
            raise subprocess.TimeoutExpired(self.process.args, seconds)
        return "".join(self.until(None, seconds))


def _output(process: subprocess.Popen[str]) -> _Output:
    """The reader of ``process``'s output (made at the first wait, kept with the process)."""
    output: _Output | None = getattr(process, "ti_output", None)
    if output is None:
        output = _Output(process)
        process.ti_output = output  # type: ignore[attr-defined]
    return output


def _wait_for_line(process: subprocess.Popen[str], text: str, seconds: float = 300) -> list[str]:
    """The lines the process printed until one holds ``text`` (or it ended). A state, not a
    time: the deadline only stops a process that hangs (a loaded machine builds slowly)."""
    return _output(process).until(text, seconds)


@pytest.mark.processus
def test_a_second_build_waits_for_the_first_and_two_at_once_take_turns(
    project: Path, tmp_path: Path
) -> None:
    """The lock between two processes: a build waits while another holds the project (here
    the test), and of two `ti build` started at once, one waits for the other."""
    lock = FileLock(project / workspace.LOCK)
    (project / workspace.LOCK).parent.mkdir(parents=True, exist_ok=True)
    with lock:  # a build that is running
        process = _start_build(project)
        lines = _wait_for_line(process, "attente")
        assert any(workspace.WAITING in line for line in lines), lines
        assert process.poll() is None and not (project / "site").exists()
    out = "".join(lines) + _output(process).rest(300)
    assert process.returncode == 0, out
    assert "Traceback" not in out
    assert (project / "site" / workspace.SITE_MARK).is_file()
    # two builds at once, in a fresh copy of the project
    project = copy_project(tmp_path / "ensemble")
    registry_before = (project / "urls-publiees.txt").read_text(encoding="utf-8")
    first, second = _start_build(project), _start_build(project)
    outputs = [p.communicate(timeout=600)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert not any("Traceback" in out or "Error" in out for out in outputs), outputs
    assert sum(workspace.WAITING in out for out in outputs) == 1, outputs
    site = project / "site"
    assert (site / workspace.SITE_MARK).is_file() and (site / "index.html").is_file()
    assert (site / "hainaut-douaisis-cambresis/index.html").is_file()
    assert (project / "urls-publiees.txt").read_text(encoding="utf-8") == registry_before
    assert not any((project / workspace.TMP).iterdir())


def _in_the_background() -> None:
    """Ctrl+C ignored, as for a command a script starts in the background (« ti serve & »)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_serve(
    root: Path, env: dict[str, str] | None = None, background: bool = False
) -> subprocess.Popen[str]:
    from browser import free_port

    port = free_port()
    server = subprocess.Popen(
        [*TI, "--racine", str(root), "serve", "--adresse", f"127.0.0.1:{port}"],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=_in_the_background if background else _as_in_a_terminal,
    )
    server.ti_port = port  # type: ignore[attr-defined]
    return server


@pytest.mark.parametrize(
    ("locked", "watched", "ending"),
    [
        (True, True, "kill"),
        (False, True, "kill"),
        (True, False, "kill"),
        (True, True, "kill-early"),
        (True, True, "term-background"),
        (True, True, "term-background-control"),
    ],
)
@pytest.mark.processus
def test_a_preview_waits_for_a_build_holds_the_lock_only_while_building_and_ends_with_ti(
    project: Path, tmp_path: Path, locked: bool, watched: bool, ending: str
) -> None:
    """The preview's rebuilds write the cache: they wait for a running build. Negative
    control (``locked`` False): the lock switched off, the preview does not wait.

    Then ``ti serve`` alone is killed (kill -9: it cannot stop its engine itself), once the
    preview serves or (« kill-early ») while its engine waits for the lock, before its first
    build: the engine's process ends too, its port is free and its temporary folder removed.
    Negative control (``watched`` False): without the engine's watch on ``ti``, it goes on
    serving the site after ``ti`` is gone. « term-background »: ``ti serve`` started by a
    script in the background (Ctrl+C ignored, by it and its engine) and stopped by SIGTERM
    stops its engine as well, its folder removed. Negative control (« …-control »): ``ti``
    stopping its engine by Ctrl+C's signal, as it did, the engine is killed after 10 s and its
    folder left.

    The engine's temporary folder is under the project's .cache/tmp/, in ti's own folder
    (removed by ti at its end, by the next command when ti was killed): nothing is left in the
    system's, even by an engine killed. Negative control (« …-control », the system's
    temporary folder as before): the killed engine's folder is left there."""
    early = ending == "kill-early"
    env = None if locked else override_in_copy(project, "cli.workspace", NO_LOCK)
    if not watched:
        env = override_in_copy(project, "adapters.enginewatch", NO_WATCH)
    control = ending.endswith("-control")
    if control:
        env = override_in_copy(project, "cli.commands", STOP_AS_BEFORE)
    temporary = tmp_path / "tmp"  # the engine's temporary site folder goes there
    temporary.mkdir()
    (project / workspace.LOCK).parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(project / workspace.LOCK)
    lock.acquire()  # a build that is running
    background = ending.startswith("term-background")
    server = _start_serve(project, {**(env or {}), "TMPDIR": str(temporary)}, background)
    url = f"http://127.0.0.1:{server.ti_port}/"  # type: ignore[attr-defined]
    lines: list[str] = []
    try:
        lines += _wait_for_line(server, "attente" if locked else "Aperçu sur")
        assert any(workspace.WAITING in line for line in lines) is locked, lines
        assert any("Aperçu sur" in line for line in lines) is not locked, lines
        if not early:
            lock.release()
            if locked:
                lines += _wait_for_line(server, "Aperçu sur")
                assert "Aperçu sur" in lines[-1], lines
            # the preview is up and idle: it does not keep the project from a build
            lock.acquire(timeout=0)
            lock.release()
            assert _serves(url)
        # the engine's served folder: under ti's folder in .cache/tmp/, none in the system's
        served = list(project.glob(".cache/tmp/apercu-*/mkdocs_*"))
        assert (served == []) is control, served
        assert (list(temporary.glob("mkdocs_*")) != []) is control
        engine = _engine_of(server.pid)
        os.kill(server.pid, signal.SIGTERM if background else signal.SIGKILL)  # ti alone
        lines.append(_output(server).rest(30))
        if background:
            assert server.returncode == 143, lines
        if watched:
            assert _ended(engine, 60), f"le moteur de l'aperçu ({engine}) survit à ti"
            assert not _serves(url)
        else:  # watched long enough for the watch to have seen it (every 0.5 s)
            assert not _ended(engine, 5), "témoin : sans la surveillance, le moteur survit"
            assert _serves(url), "témoin : il sert encore le site"
            os.kill(engine, signal.SIGTERM)  # stopped as ti stops it: its folder removed
            assert _ended(engine, 60)
        left = list(temporary.glob("mkdocs_*"))
        if control:
            assert left, "témoin : le moteur tué, son dossier temporaire reste"
        else:
            assert not list(temporary.iterdir()), "dossier temporaire laissé dans celui du système"
            assert cli.FORCED_STOP not in "".join(lines), lines
            assert not list(project.glob(".cache/tmp/*/mkdocs_*")), "dossier de l'aperçu laissé"
            # ti removes its own folder at its end; when killed, the next command does
            ours = list(project.glob(".cache/tmp/apercu-*"))
            assert (ours == []) is background, ours
            workspace.clean(project)
            assert not list(project.glob(".cache/tmp/apercu-*"))
    finally:
        if lock.is_locked:
            lock.release()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # the group: the engine too, if still there
        server.wait(30)
    assert "Traceback" not in "".join(lines)


def _serves(url: str) -> bool:
    """Whether the preview answers at ``url`` with the site's home page."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status == 200 and b"<html" in answer.read()
    except (urllib.error.URLError, ConnectionError):
        return False


def _engine_of(pid: int) -> int:
    """The engine's process started by the ``ti`` process ``pid`` (Linux's /proc)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    engines = [
        int(child)
        for child in children
        if b"tisite.adapters.engine" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]
    assert len(engines) == 1, children
    return engines[0]


def _ended(pid: int, seconds: float) -> bool:
    """Whether process ``pid`` ended (or is a zombie not yet reaped) within ``seconds``."""
    from browser import until

    def gone() -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        return state in ("Z", "X")

    return until(gone, seconds)


@pytest.mark.parametrize(
    "command", [("build",), ("check",), ("exporter", "../export"), ("retirer-exemples",)]
)
def test_a_command_gives_up_in_french_when_the_project_stays_busy(
    project: Path, command: tuple[str, ...]
) -> None:
    site = project / "site"
    site.mkdir()
    (site / workspace.SITE_MARK).write_text("", encoding="utf-8")
    (site / "index.html").write_text("précédent", encoding="utf-8")
    before = tree(project.parent)
    (project / workspace.LOCK).parent.mkdir(parents=True, exist_ok=True)
    with FileLock(project / workspace.LOCK):
        result = ti_inprocess("--attente", "0.2", *command, cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert workspace.WAITING in output
    assert "Une autre construction occupe ce projet depuis plus de 0.2 s" in output
    assert "l'option --attente règle cette attente" in output and "Traceback" not in output
    assert tree(project.parent) == before


@pytest.mark.lent
def test_without_the_lock_a_build_and_removing_the_examples_run_over_a_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the lock switched off, a build runs over one that holds the project,
    and `ti retirer-exemples` changes the registry and the content meanwhile."""
    switch_off(monkeypatch, "cli.workspace", "project_lock", no_lock)
    (project / workspace.LOCK).parent.mkdir(parents=True, exist_ok=True)
    with FileLock(project / workspace.LOCK):
        built = ti_inprocess("build", cwd=project)
        assert built.returncode == 0, built.stderr
        assert workspace.WAITING not in built.stdout + built.stderr
        result = ti_inprocess("--attente", "0", "retirer-exemples", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (project / "territoires/hainaut-douaisis-cambresis").exists()


def test_the_registry_is_replaced_whole_or_not_at_all(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "urls-publiees.txt"
    before = path.read_text(encoding="utf-8")
    site = tmp_path / "site"
    (site / "nouvelle").mkdir(parents=True)
    (site / "nouvelle/index.html").write_text("x", encoding="utf-8")
    real_write = Path.write_text

    def disk_full(self: Path, text: str, *args: object, **kwargs: object) -> int:
        real_write(self, text[: len(text) // 2], encoding="utf-8")  # half, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", disk_full)
    with pytest.raises(OSError):
        registry.record(project, site)
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []
    # Control: written in place, the same failure leaves half a registry.
    monkeypatch.setattr(registry, "_write", lambda p, text: p.write_text(text, encoding="utf-8"))
    with pytest.raises(OSError):
        registry.record(project, site)
    assert path.read_text(encoding="utf-8") != before


# --- 4. temporary folders --------------------------------------------------------------------


def _has(folder: Path, prefix: str) -> bool:
    return folder.is_dir() and any(p.name.startswith(prefix) for p in folder.iterdir())


def _lost_interrupt() -> None:
    """Ctrl+C landing where Python loses it: in a weakref callback (as in an import lock's
    clean-up), the current SIGINT handler raises there and Python reports it as unraisable."""
    import weakref

    class Thing:
        pass

    thing = Thing()
    handler = signal.getsignal(signal.SIGINT)
    assert callable(handler)
    keep = weakref.ref(thing, lambda _ref: handler(signal.SIGINT, None))
    del thing  # the callback runs now, raises KeyboardInterrupt, and Python swallows it
    assert keep() is None


@pytest.mark.lent
def test_a_lost_ctrl_c_still_stops_the_build(
    project: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """A Ctrl+C that Python swallows (printed "Exception ignored … KeyboardInterrupt", the build
    going on to replace the site) still stops the build before it replaces anything, silently.
    Negative control: without the guard, the swallowed interrupt is printed with a traceback and
    the site is replaced as if nothing happened."""
    assert ti_inprocess("build", cwd=project).returncode == 0
    witness = project / "site" / "temoin.txt"
    real = cli._build_into

    def interrupted(*args: object, **kwargs: object) -> int:
        code = real(*args, **kwargs)  # type: ignore[arg-type]
        _lost_interrupt()
        return code

    monkeypatch.setattr(cli, "_build_into", interrupted)
    # Ctrl+C as in a terminal, whatever started the tests (nohup ignores it: ti leaves it so)
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    request.addfinalizer(lambda: signal.signal(signal.SIGINT, before))
    reported: list[object] = []  # what Python reports as unraisable (it prints it by default)
    monkeypatch.setattr(sys, "unraisablehook", lambda info: reported.append(info.exc_type))
    hook = sys.unraisablehook
    for guarded in (True, False):
        witness.write_text("ancien site", encoding="utf-8")
        (project / "territoires" / "hainaut-douaisis-cambresis" / "territoire.yml").touch()
        if not guarded:
            monkeypatch.setattr(workspace, "interruptible", contextlib.nullcontext)
        result = ti_inprocess("build", "--sans-cache", cwd=project)
        if guarded:
            assert result.returncode == 130, result.stderr
            assert witness.exists()  # the previous site is kept
            assert reported == [] and "Traceback" not in result.stderr, result.stderr
            assert not any((project / workspace.TMP).iterdir())
            assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
            assert sys.unraisablehook is hook  # both put back
        else:
            assert result.returncode == 0 and not witness.exists()
            assert reported == [KeyboardInterrupt]
    # started where Ctrl+C is ignored (nohup, a background job), ti leaves it ignored
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with workspace.interruptible():
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN


@pytest.mark.processus
def test_an_interrupted_build_leaves_nothing_in_sight(project: Path, tmp_path: Path) -> None:
    """Ctrl+C and kill -9 of a `ti build` process. Negative control: the build's folder beside
    the site (as before), ``kill -9`` leaves it among the project's files."""
    entries = sorted(p.name for p in project.iterdir())
    for stop in (signal.SIGKILL, signal.SIGINT):
        process = _start_build(project)
        tmp = project / workspace.TMP
        own = f"site-{process.pid}-"
        deadline = time.monotonic() + 60
        while not _has(tmp, own) and time.monotonic() < deadline:
            time.sleep(0.05)  # the build's folder appears (a file state, not a timing guess)
        assert _has(tmp, own)
        os.killpg(process.pid, stop)
        out = process.communicate(timeout=60)[0]
        assert "Traceback" not in out, out
        assert sorted(p.name for p in project.iterdir() if p.name != ".cache") == entries
        if stop == signal.SIGINT:  # Ctrl+C: the build removes its folder itself
            assert process.returncode == 130 and not any(tmp.iterdir()), out
    # kill -9 leaves the folder under .cache/; the next command, whatever it is, removes it,
    # but not the folder of a process that is alive
    alive = project / workspace.TMP / f"site-{os.getpid()}-en-cours"
    alive.mkdir(parents=True)
    dead = project / workspace.TMP / "site-999999-abcd"
    dead.mkdir()
    assert ti_inprocess("epci", "Lacq", cwd=project).returncode == 0
    assert [p.name for p in (project / workspace.TMP).iterdir()] == [alive.name]
    # the control, in a fresh copy whose hooks/ put the folder beside the site
    project = copy_project(tmp_path / "controle")
    env = override_in_copy(
        project,
        "cli.workspace",
        "def temporary_folder(root, near, kind):  # beside the destination\n"
        "    return Path(tempfile.mkdtemp(prefix=f'.ti-{kind}-{os.getpid()}-', dir=near))\n",
    )
    entries = sorted(p.name for p in project.iterdir())
    process = _start_build(project, env)
    own = f".ti-site-{process.pid}-"
    deadline = time.monotonic() + 60
    while not _has(project, own) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)
    left = sorted(p.name for p in project.iterdir() if p.name != ".cache")
    assert left != entries and any(name.startswith(own) for name in left)


# --- 5. system errors in French, 7. one wording for check and build ---------------------------


@pytest.mark.parametrize(
    ("number", "french"),
    [
        (errno.EACCES, "permission refusée"),
        (errno.EPERM, "permission refusée"),
        (errno.ENOSPC, "plus de place sur le disque"),
        (errno.EROFS, "système de fichiers en lecture seule"),
        (errno.ENOENT, "fichier ou dossier introuvable"),
        (errno.EISDIR, "c'est un dossier, pas un fichier"),
        (errno.ENOTDIR, "un élément du chemin est un fichier, pas un dossier"),
        (errno.EEXIST, "un fichier ou un dossier porte déjà ce nom"),
        (errno.ELOOP, "erreur système ELOOP"),
    ],
)
def test_system_errors_are_said_in_french(number: int, french: str) -> None:
    text = os_error_text(OSError(number, os.strerror(number), "/projet/site"))
    assert text.startswith(f"{french} (/projet/site)"), text
    assert os.strerror(number) not in text


def test_a_failed_copy_names_its_file() -> None:
    failed = shutil.Error([("/a/docs/x.md", "/b/docs/x.md", "[Errno 13] Permission denied")])
    assert os_error_text(failed).startswith("permission refusée (/b/docs/x.md) : ")
    assert os_error_text(OSError("?")) == "erreur système"


def test_an_unwritable_destination_is_said_in_french(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(root: Path, near: Path, kind: str) -> Path:
        raise PermissionError(errno.EPERM, "Operation not permitted", str(near))

    monkeypatch.setattr(workspace, "temporary_folder", refused)
    assert ti(project, "build") == 1
    err = capsys.readouterr().err
    assert f"Impossible d'écrire le site dans {project} : permission refusée ({project})" in err
    assert "Operation not permitted" not in err
    assert ti(project, "exporter", str(project.parent / "export")) == 1
    err = capsys.readouterr().err
    assert "Impossible d'écrire l'export dans" in err and "permission refusée" in err, err
    assert "Operation not permitted" not in err


FULL_DISK = "La construction a échoué : plus de place sur le disque ("


@pytest.mark.lent
def test_a_full_disk_is_said_alike_by_check_and_build(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tisite.adapters.buildlog import crash_message
    from tisite.build import SiteBuild

    def full(self: SiteBuild, site_dir: Path, **_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(site_dir / "rss.xml"))

    monkeypatch.setattr(SiteBuild, "write_artefacts", full)
    assert ti(project, "check") == 1
    checked = capsys.readouterr().err
    assert FULL_DISK in checked and "libérez de l'espace, puis relancez." in checked, checked
    assert "erreur interne" not in checked and "No space left" not in checked
    built = ti_inprocess("build", cwd=project)
    assert built.returncode == 1
    assert FULL_DISK in built.stderr and "libérez de l'espace, puis relancez." in built.stderr
    assert "erreur interne" not in built.stderr and "No space left" not in built.stderr
    # Control: the exception as `ti check` reported it before (its repr) is an internal error.
    error = OSError(errno.ENOSPC, "No space left on device")
    assert "erreur interne" in crash_message(repr(error))


def test_a_preview_crash_and_an_unreadable_configuration_are_said_in_french(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tisite.adapters.buildlog import serve_crash
    from tisite.content.yamlio import config_syntax_problem

    line = "PermissionError: [Errno 1] Operation not permitted: '/projet/.cache/pages'\n"
    assert serve_crash(line) == (
        "La construction a échoué : permission refusée (/projet/.cache/pages) : vérifiez les "
        "droits sur ce fichier ou dossier, ou choisissez-en un autre."
    )
    assert serve_crash("KeyError: 'x'").startswith("Erreur interne pendant la construction")
    real = Path.read_text

    def denied(self: Path, *args: object, **kwargs: object) -> str:
        if self.name == "mkdocs.yml":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", denied)
    problem = config_syntax_problem(project / "mkdocs.yml", "mkdocs.yml")
    assert problem is not None
    assert problem.format() == (
        f"mkdocs.yml: fichier illisible : permission refusée ({project / 'mkdocs.yml'}) : "
        "vérifiez les droits sur ce fichier ou dossier, ou choisissez-en un autre"
    )


def _git_in(project: Path, *args: str) -> None:
    from tisite.content.history import git

    done = git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", *args)
    assert done is not None and done.returncode == 0, done and done.stderr


@pytest.mark.lent
def test_a_cache_that_came_with_the_repository_stops_every_command(
    built_site: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """.cache/ holds compiled templates (code the build runs) and finished pages published
    without another check: one committed with the content (``git add -f``, a pull request's)
    could run code in CI or publish a page with a script. Every command refuses it, in French,
    before reading it; a link as .cache/ too (the build would write and prune elsewhere).
    Control: the check switched off, the poisoned page is published as it came."""
    from conftest import built_copy
    from tisite import pipeline
    from tisite.content.errors import ContentError

    project = built_copy(built_site, tmp_path / "projet")
    entries = sorted((project / ".cache" / "pages").glob("*.json"))
    assert entries
    for entry in entries:  # a poisoned page cache: every cached page carries a script
        text = entry.read_text(encoding="utf-8")
        entry.write_text(text.replace("<body", "<script>pirate()</script><body", 1), "utf-8")
    site = project / "site"
    before = (site / "index.html").read_bytes()
    _git_in(project, "init", "-q", "-b", "main")
    _git_in(project, "add", "-A")
    _git_in(project, "add", "-f", ".cache/pages")
    _git_in(project, "commit", "-qm", "contenu et cache")
    for command in ("check", "build"):
        result = ti_inprocess(command, cwd=project)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "« .cache/ » est suivi par git" in result.stderr
        assert "git rm -r -f .cache" in result.stderr  # from the disk too: untracked, still read
        # the copy has no .gitignore: how to keep it out of the next « git add -A »
        assert "ajoutez la ligne « .cache/ » au fichier .gitignore" in result.stderr
    (project / ".gitignore").write_text("site/\n.cache/\n", "utf-8")  # control: it is there
    result = ti_inprocess("check", cwd=project)
    assert "est suivi par git" in result.stderr and ".gitignore" not in result.stderr
    with pytest.raises(ContentError, match="est suivi par git"):
        pipeline.build(project, tmp_path / "ailleurs")
    from mkdocs.commands.build import build as engine_build  # the engine run by hand
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        engine_build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "main")))
    assert "est suivi par git" in caplog.text
    assert (site / "index.html").read_bytes() == before
    assert not any("pirate()" in p.read_text("utf-8") for p in site.rglob("*.html"))
    # a link as .cache: refused before anything is written through it
    _git_in(project, "rm", "-q", "-r", "--cached", ".cache")
    _git_in(project, "commit", "-qm", "sans cache")
    elsewhere = tmp_path / "ailleurs-cache"
    (project / ".cache").rename(elsewhere)
    (project / ".cache").symlink_to(elsewhere)
    listing = sorted(p.name for p in elsewhere.iterdir())
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1 and "« .cache » est un lien symbolique" in result.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == listing
    (project / ".cache").unlink()
    elsewhere.rename(project / ".cache")
    # a name that is .cache where case is ignored (macOS, Windows)
    _git_in(project, "add", "-f", ".cache/pages")
    _git_in(project, "mv", ".cache/pages", ".CACHE")
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1 and "« .CACHE/ » est suivi par git" in result.stderr
    _git_in(project, "mv", ".CACHE", ".cache/pages")
    _git_in(project, "rm", "-q", "-r", "--cached", ".cache")
    # a repository git can't read: the cache can't be checked, nothing runs (fails closed)
    head = project / ".git" / "HEAD"
    saved = head.read_text(encoding="utf-8")
    head.write_text("illisible\n", encoding="utf-8")
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1 and "git ne peut pas lire ce dépôt" in result.stderr
    head.write_text(saved, encoding="utf-8")
    assert ti_inprocess("check", cwd=project).returncode == 0  # control: readable, not tracked
    # Control: the check off, the committed cache is read and its page published.
    _git_in(project, "add", "-f", ".cache/pages")
    _git_in(project, "commit", "-qm", "cache encore")
    monkeypatch.setattr(workspace, "cache_problem", lambda root: None)
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert any("pirate()" in p.read_text("utf-8") for p in site.rglob("*.html"))


def test_the_previews_folder_is_the_projects_or_else_the_systems(project: Path) -> None:
    """``ti serve`` gives its engine a temporary folder under .cache/tmp/ (kept while ti runs,
    by any other command); when it cannot be made there (a project that cannot be written),
    none: the engine keeps the system's, nothing is made in the project itself (a folder
    beside the sources would be left after a ``kill -9``)."""
    scratch = workspace.scratch_folder(project, "apercu")
    assert scratch is not None and scratch.parent == project / workspace.TMP
    assert scratch.name.startswith(f"apercu-{os.getpid()}-")
    assert cli._serve_environment(scratch)["TMPDIR"] == str(scratch)
    workspace.clean(project)  # another command while ti serve runs: the folder is kept
    assert scratch.is_dir()
    shutil.rmtree(project / ".cache")
    (project / ".cache").write_text("", encoding="utf-8")  # .cache/tmp/ cannot be made
    before = sorted(p.name for p in project.iterdir())
    assert workspace.scratch_folder(project, "apercu") is None
    assert sorted(p.name for p in project.iterdir()) == before
    assert not {"TMPDIR", "TEMP", "TMP"} & set(cli._serve_environment(None))


@pytest.mark.parametrize("platform", ["win32", "linux"])
def test_whether_a_process_lives_is_asked_without_signal_on_windows(
    monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    """On Windows, ``os.kill(pid, 0)`` sends Ctrl+C to the console (CTRL_C_EVENT is 0): the
    question goes to the system there (OpenProcess), never through os.kill; elsewhere, signal 0
    asks it (the control)."""
    killed: list[tuple[int, int]] = []
    asked: list[int] = []

    def kill(pid: int, signum: int) -> None:
        killed.append((pid, signum))

    monkeypatch.setattr(workspace.sys, "platform", platform)
    monkeypatch.setattr(workspace.os, "kill", kill)
    monkeypatch.setattr(workspace, "_alive_on_windows", asked.append, raising=False)
    workspace._alive(999_999)
    if platform == "win32":
        assert asked == [999_999] and not killed
    else:
        assert killed == [(999_999, 0)] and not asked
