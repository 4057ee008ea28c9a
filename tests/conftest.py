"""Shared fixtures: copies of the example project in temporary folders, and one built site."""

from __future__ import annotations

import functools
import io
import os
import re
import subprocess
import sys
import time
import types
import warnings
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from synthetic import copy_entries
from tisite.memo import collect_less, keep_between_builds

ROOT = Path(__file__).resolve().parent.parent
PROJECT_ENTRIES = ("mkdocs.yml", "site.yml", "docs", "territoires", "hooks", "urls-publiees.txt")

# --- one date for the whole run: a build made before midnight and one made after it agree ---
# (tisite.clock reads it, as MkDocs does for the sitemap; set here in the controller before
# pytest-xdist starts its workers, which inherit it)
os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))

# --- no test reads the live project's settings or content (a territory's fork changes them) ---
# Test projects are copies of tests/fixtures/exemple plus the project's hooks/ (synthetic.py).
# An audit hook records every file this process opens or lists under these entries of the
# project; a test that did so fails (see test_fixtures.py for the negative control).
LIVE_FILES = frozenset(str(ROOT / n) for n in ("mkdocs.yml", "site.yml", "urls-publiees.txt"))
LIVE_FOLDERS = tuple(str(ROOT / n) for n in ("docs", "territoires"))
_AUDITED = frozenset(("open", "os.listdir", "os.scandir"))
live_reads: list[str] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if event not in _AUDITED or not args or not isinstance(args[0], str | bytes | os.PathLike):
        return
    caller = sys._getframe(1).f_code.co_filename
    if event != "open" and caller.endswith("pkgutil.py"):
        return  # pkgutil.iter_modules (frictionless) lists the folders of sys.path: no reading
    if caller.endswith("shutil.py") and not os.path.isabs(os.fsdecode(args[0])):  # type: ignore[arg-type]
        return  # rmtree opens names relative to a folder's descriptor, not to the project
    path = os.path.abspath(os.fsdecode(args[0]))  # type: ignore[arg-type]
    if (
        path in LIVE_FILES
        or path in LIVE_FOLDERS
        or path.startswith(tuple(f + os.sep for f in LIVE_FOLDERS))
    ):
        live_reads.append(path)


sys.addaudithook(_audit)


@contextmanager
def reading_live_project() -> Iterator[None]:
    """For the one test that copies the live project on purpose (test_fixtures.py)."""
    start = len(live_reads)
    yield
    del live_reads[start:]


@pytest.fixture(autouse=True)
def _engine_logging_restored() -> Iterator[None]:
    """In-process builds share the engine's loggers: a test that changes them (a level, a
    handler) must not hide the warnings of the next test's `ti check` or build."""
    import logging

    saved = {}
    for name in ("mkdocs", "mkdocs.commands.build", "properdocs"):
        logger = logging.getLogger(name)
        saved[name] = (logger.level, list(logger.handlers), list(logger.filters), logger.propagate)
    yield
    for name, (level, handlers, filters, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)  # (clears the loggers' cache of enabled levels)
        logger.handlers[:], logger.filters[:], logger.propagate = handlers, filters, propagate


@pytest.fixture(autouse=True)
def _url_table_of_a_network() -> Iterator[None]:
    """A build of a one-territory site sets the home territory of the URL table for its
    addresses (tisite.urls.set_home_territory): the next test starts from a network's table."""
    yield
    from tisite import urls

    urls.set_home_territory(None)


@pytest.fixture(autouse=True)
def _reads_no_live_content() -> Iterator[None]:
    """Fails the test if anything (the test, a fixture it set up, a module it imported) read
    the live project since the previous test ended."""
    yield
    read = sorted(set(live_reads))
    live_reads.clear()
    assert not read, (
        f"le contenu ou les réglages du projet ont été lus ({', '.join(read)}) : les tests "
        "lisent tests/fixtures/exemple (copy_project), jamais le projet lui-même"
    )


def flat(text: str) -> str:
    """Text with French no-break spaces (see tisite.finish.typography) as plain spaces, for tests
    that read a phrase."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (config, content, hooks, docs) into ``dest``."""
    return copy_entries(dest, PROJECT_ENTRIES)


def own_legal_notices(root: Path) -> None:
    """site.yml of ``root`` with a publisher's own notices instead of the example's (no
    « (à remplacer) », no @example.org mailbox, no demonstration banner): a site ready to be
    published, whose build has no warning of its own."""
    path = root / "site.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^demonstration:.*\n", "", text)
    text = text.replace(" (à remplacer)", "").replace(" (à renseigner)", "")
    path.write_text(text.replace("@example.org", "@portail.example.fr"), encoding="utf-8")


def copied_hooks_env(root: Path) -> dict[str, str]:
    """The environment that makes a build use the hooks copied into ``root`` (changed by a
    negative control) rather than the project's."""
    return {"PYTHONPATH": os.pathsep.join([str(root / "hooks"), os.environ.get("PYTHONPATH", "")])}


def override_in_copy(root: Path, module: str, code: str) -> dict[str, str]:
    """Negative controls: append ``code`` (a function that switches a protection off) to
    ``hooks/tisite/<module>.py`` of the copy at ``root``; returns copied_hooks_env(root)."""
    path = root / "hooks" / "tisite" / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")
    return copied_hooks_env(root)


# The test session builds again and again in one process, as `ti serve` does: it keeps what a
# build made for the next one (tisite.memo), so that what a preview reuses is tested too.
keep_between_builds()
# and collects its garbage as `ti` does (every `ti` command run in this process would set it)
collect_less()


def _is_code(target: object) -> bool:
    """Whether a monkeypatch target is our code (a module, class or object of tisite or of the
    hooks), as ``setattr(target, …)`` or ``setattr("tisite.x.y", …)`` name it."""
    if isinstance(target, str):
        module = target
    elif isinstance(target, types.ModuleType):
        module = target.__name__
    else:
        module = getattr(target, "__module__", None) or type(target).__module__
    return str(module).startswith(("tisite", "mkdocs_hooks"))


def _forgetting(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def forgets(self: pytest.MonkeyPatch, *args: Any, **kwargs: Any) -> Any:
        from tisite.memo import forget_all

        if method.__name__ == "undo":
            ours = getattr(self, "_ti_code", False)  # it put back some of our code
        else:
            ours = bool(args) and _is_code(args[0])
        if not ours:
            return method(self, *args, **kwargs)
        self._ti_code = True  # type: ignore[attr-defined]
        forget_all()
        try:
            return method(self, *args, **kwargs)
        finally:
            forget_all()

    return forgets


# A monkeypatch of our code (the fixture, MonkeyPatch.context(), switch_off) also forgets what
# this process kept of former builds (tisite.memo: converted texts, territories' pages), when
# it replaces a value and when it puts it back: a build after a replaced function runs that
# function, as a new process would, and nothing made by a replaced function outlives it.
for _name in ("setattr", "delattr", "undo"):
    setattr(pytest.MonkeyPatch, _name, _forgetting(getattr(pytest.MonkeyPatch, _name)))


def switch_off(
    monkeypatch: pytest.MonkeyPatch, module: str, name: str, replacement: object
) -> None:
    """Negative controls, in this process: ``tisite.<module>.<name>`` becomes ``replacement``,
    and so does every name bound to the same object in the modules of ``tisite`` that imported
    it (``from .sanitize import sanitize``), as a redefinition at the end of the module would
    (override_in_copy). ``monkeypatch`` puts everything back after the test."""
    import importlib

    target = importlib.import_module(f"tisite.{module}")
    original = getattr(target, name)
    monkeypatch.setattr(target, name, replacement)
    for loaded in [m for n, m in sys.modules.items() if n.startswith("tisite.") and m]:
        for attribute, value in list(vars(loaded).items()):
            if value is original and loaded is not target:
                monkeypatch.setattr(loaded, attribute, replacement)


# --- at most 10 test functions start a `ti` process (or an engine's, the bench's, pytest's) ---
# They test the command line itself (exit codes, signals, the lock between two processes, an
# engine that replaces MkDocs for its whole process) and carry the marker « processus »; any
# other test that starts such a process fails (_no_ti_process below; test_fixtures.py counts).
MAX_PROCESS_TESTS = 10
_current: list[pytest.Item] = []
_starting: list[str] = []  # the fixture of starts_ti being set up


def starts_ti(fixture: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    """For a (module- or session-scoped) generator fixture that starts one `ti` process shared
    by several tests (`ti serve` for the editor's browser tests): its setup may start it, and
    it counts once among the MAX_PROCESS_TESTS (test_fixtures.py)."""

    @functools.wraps(fixture)
    def setting_up(*args: Any, **kwargs: Any) -> Iterator[Any]:
        steps = fixture(*args, **kwargs)
        _starting.append(fixture.__name__)
        try:
            value = next(steps)
        finally:
            _starting.pop()
        yield value
        yield from steps

    return setting_up


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    _current.append(item)
    try:
        yield
    finally:
        _current.pop()


# What a test is expected to cost, in seconds, by its markers (never by former timings): a
# rough guess, enough to start the longest files first.
_EXPECTED_SECONDS = {"bench": 60.0, "processus": 4.0, "browser": 2.0, "editeur": 2.0, "lent": 1.0}
_OTHER_TEST_SECONDS = 0.05


def expected_seconds(item: pytest.Item) -> float:
    found = [s for name, s in _EXPECTED_SECONDS.items() if item.get_closest_marker(name)]
    return max(found, default=_OTHER_TEST_SECONDS)


@pytest.hookimpl(trylast=True)  # after -m and -k have left tests out: the tests that run
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files whose tests are expected to take longest come first, each file's own order
    kept. `make test` hands whole files to its workers in this order (pytest-xdist,
    ``--dist loadfile --no-loadscope-reorder``; by default, it hands out the files with the
    most tests first): a long file started last keeps one worker busy after the others have
    ended (the benchmark's test, alone in its file, ended the suite a minute after the rest)."""
    per_file: dict[Path, float] = {}
    for item in items:
        per_file[item.path] = per_file.get(item.path, 0.0) + expected_seconds(item)
    items.sort(key=lambda item: -per_file[item.path])  # stable: a file keeps its own order


# `ti` as people run it: the console script installed beside the interpreter (pip install -e).
# Not ``python -m tisite.cli.commands``: there, CPython 3.11 ends a process whose Ctrl+C landed
# in an ``exec`` of generated code (dataclasses, during an import) by killing itself with SIGINT,
# even though ti caught the interrupt and returned 130; a console script exits with 130.
_SCRIPT = Path(sys.executable).with_name("ti")
TI = (
    [str(_SCRIPT)]
    if _SCRIPT.is_file()
    else [
        sys.executable,
        "-c",
        "import sys; from tisite.cli.commands import main; sys.exit(main())",
    ]
)


def spawns_ti(command: object) -> bool:
    """Whether a command line (as subprocess takes it) runs ti, an engine, the bench or pytest
    (``ti``, ``python -m tisite.cli.commands``, ``python -c <code using tisite>``, ``scripts/bench.py``)."""
    if isinstance(command, str | bytes | os.PathLike):
        command = [command]
    words = [os.fsdecode(w) for w in command]  # type: ignore[attr-defined]
    program = Path(words[0]).name if words else ""
    if program in ("ti", "mkdocs", "properdocs"):
        return True
    if not program.startswith("python") or len(words) < 2:
        return False
    if words[1] == "-m" and len(words) > 2:
        return words[2].split(".")[0] in ("tisite", "mkdocs", "properdocs", "pytest")
    if words[1] == "-c" and len(words) > 2:
        return "tisite" in words[2] or "mkdocs" in words[2]
    return Path(words[1]).name == "bench.py"


@pytest.fixture(autouse=True, scope="session")
def _no_ti_process() -> Iterator[None]:
    """Fails a test (fixtures included) that starts a `ti` process without the marker."""
    real = subprocess.Popen.__init__

    def guarded(self: subprocess.Popen[str], args: object, *rest: object, **kw: object) -> None:
        item = _current[-1] if _current else None
        allowed = _starting or item is None or item.get_closest_marker("processus")
        if not allowed and spawns_ti(args):
            raise AssertionError(
                f"{item.nodeid if item else ''} lance un processus ({args!r}) : appelez le pipeline dans ce "
                "processus (build_site, ti_inprocess, switch_off) ou marquez le test "
                "« processus » s'il teste la ligne de commande elle-même"
            )
        real(self, args, *rest, **kw)  # type: ignore[arg-type]

    subprocess.Popen.__init__ = guarded  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        subprocess.Popen.__init__ = real  # type: ignore[method-assign]


def run_ti(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [*TI, "--racine", str(cwd), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


@dataclass
class TiResult:
    """What a `ti` command returned and printed (like subprocess.CompletedProcess)."""

    returncode: int
    stdout: str
    stderr: str


class _EngineRun:
    """The engine's process of `ti build` (tisite.cli.commands._mkdocs_process) run in this process:
    its output (both streams, as the child's pipe) is read back by the real ``run_mkdocs``,
    which shows it in French and recognises a crash."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: Path) -> None:
        import logging
        import traceback

        from tisite import settings
        from tisite.adapters import engine

        moteur, options, *arguments = command[3:]  # python -m tisite.adapters.engine <moteur> ...
        assert moteur == "mkdocs", "ProperDocs replaces mkdocs for the whole process: run_ti"
        logger = logging.getLogger("mkdocs")
        saved = (list(logger.handlers), logger.level, logger.propagate)
        # MkDocs' CLI adds to this logger a filter that drops a message seen before in the
        # process (the same error in the next build would vanish), and sets warning filters
        build_log = logging.getLogger("mkdocs.commands.build")
        build_filters = list(build_log.filters)
        names = [k for k in env if "MKDOCS_2" in k]
        before = {k: os.environ.get(k) for k in names}
        output = io.StringIO()
        self.code = 0
        try:
            os.environ.update({k: env[k] for k in names})
            with (
                redirect_stdout(output),
                redirect_stderr(output),
                chdir(cwd),
                settings.given(),
                warnings.catch_warnings(),
            ):
                try:
                    engine.main([moteur, options, *arguments])
                except SystemExit as exc:
                    self.code = exc.code if isinstance(exc.code, int) else int(bool(exc.code))
                except Exception:
                    output.write(traceback.format_exc())  # as the child's stderr would show it
                    self.code = 1
        finally:
            logger.handlers[:], logger.propagate = saved[0], saved[2]  # MkDocs' CLI adds one
            logger.setLevel(saved[1])
            build_log.filters[:] = build_filters
            for k, v in before.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.stdout = io.StringIO(output.getvalue())

    def wait(self) -> int:
        return self.code


def ti_inprocess(*args: str, cwd: Path) -> TiResult:
    """`ti --racine <cwd> <args>` in this process (tisite.cli.commands.main), its exit code and output.
    `ti build`'s engine process runs here too (_EngineRun); ProperDocs and copied hooks
    (override_in_copy) need a process of their own: run_ti."""
    from tisite.cli import commands as cli

    if "properdocs" in args:
        raise ValueError("ProperDocs remplace mkdocs pour tout le processus : run_ti")
    out, err = io.StringIO(), io.StringIO()
    real = cli._mkdocs_process
    cli._mkdocs_process = _EngineRun  # type: ignore[assignment]
    try:
        with redirect_stdout(out), redirect_stderr(err), chdir(cwd):
            try:
                code = cli.main(["--racine", str(cwd), *args])
            except SystemExit as exc:  # argparse's usage errors, find_root
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    finally:
        cli._mkdocs_process = real  # type: ignore[method-assign]
    return TiResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the example project."""
    return copy_project(tmp_path / "projet")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, shared by the browser tests."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The example site served on a local port."""
    from browser import static_server

    with static_server(built_site) as url:
        yield url


BUILD_LINES: dict[Path, list[str]] = {}


def build_site(root: Path, **options: object) -> Path:
    """A strict build of the project at ``root`` into ``root/site``, in this process: the
    pipeline (tisite.pipeline.build; the settings of tisite.settings as keywords). What the
    build reports (as `ti build` prints it): build_lines."""
    from tisite import pipeline

    result = pipeline.build(root, root / "site", **options)
    BUILD_LINES[root / "site"] = result.lines
    return root / "site"


def build_lines(site: Path) -> str:
    """What the build of ``site`` by build_site reported, one line each."""
    return "\n".join(BUILD_LINES[site])


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per test session with --strict."""
    return build_site(copy_project(tmp_path_factory.mktemp("exemple") / "projet"))


def built_copy(built_site: Path, dest: Path) -> Path:
    """A writable copy of the project of a shared built site (its site/ and .cache/ included),
    for a test that changes the content after a first build: no build of its own."""
    import shutil

    shutil.copytree(built_site.parent, dest, symlinks=True)
    return dest


HDC_ACTIONS = "territoires/hainaut-douaisis-cambresis/actions"
SECRET_ACTION = "Action secrète en préparation sur l'emploi"


@pytest.fixture(scope="session")
def renamed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with a territory renamed (grand-chatellerault → grand-chatellerault-vienne)
    and a fiche action renamed (communication → communication-linkedin), both declaring their
    former identifier, and a draft fiche action (action-secrete), built once by `ti build`
    (test_sharing.py, test_actions.py: they only read it). Returns the project."""
    root = copy_project(tmp_path_factory.mktemp("renomme") / "projet")
    old = root / "territoires/grand-chatellerault"
    new = root / "territoires/grand-chatellerault-vienne"
    old.rename(new)
    text = (new / "territoire.yml").read_text("utf-8")
    (new / "territoire.yml").write_text(
        text + "anciens_identifiants: [grand-chatellerault]\n", "utf-8"
    )
    old = root / HDC_ACTIONS / "communication.md"
    text = old.read_text(encoding="utf-8")
    (root / HDC_ACTIONS / "communication-linkedin.md").write_text(
        text.replace("---\n", "---\nanciens_identifiants: [communication]\n", 1), "utf-8"
    )
    old.unlink()
    source = (root / HDC_ACTIONS / "emploi-competences.md").read_text(encoding="utf-8")
    draft = source.replace("---\n", "---\nbrouillon: true\n", 1).replace(
        "Apporter un appui sur l'emploi", SECRET_ACTION
    )
    (root / HDC_ACTIONS / "action-secrete.md").write_text(draft, encoding="utf-8")
    result = ti_inprocess("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with every payload of tests/hostile.py, built once per test session."""
    from hostile import make_hostile

    root = copy_project(tmp_path_factory.mktemp("hostile") / "projet")
    make_hostile(root)
    return build_site(root)
