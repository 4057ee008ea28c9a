"""What the ``ti`` commands write in a project, and where.

- One command at a time writes a project's shared state (the site, urls-publiees.txt, .cache):
  ``project_lock`` (a file lock under .cache/, released by the system when a process dies);
  a second command waits for the first, saying so in French, or gives up after a while.
- Temporary folders live under .cache/tmp/, out of the user's sight; their name carries the
  process id, and those of processes that are gone are removed by the next command.
- Ctrl+C always stops a command before it replaces anything (``interruptible``): Python may
  lose the interrupt when it lands in a callback it runs for itself; the command still notices it
  before it replaces a folder, and says nothing of the lost one.
- A destination (``ti build --site-dir``, ``ti exporter``) is never the project, a folder
  holding it, a git repository or a source folder; an existing folder is replaced only when an
  earlier run of the same command wrote it (a mark file inside it).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK = Path(".cache") / "verrou"
TMP = Path(".cache") / "tmp"
SITE_MARK = ".ti-site"  # written into every site `ti build` makes: only such a folder is replaced
SITE_MARK_TEXT = (
    "Site construit par `ti build` : ce dossier est remplacé en entier à chaque construction.\n"
)
DEFAULT_WAIT = 1800.0  # seconds a command waits for another one (`ti --attente`)
WAITING = "Une autre construction est en cours dans ce projet ; attente…"
# Folders of a project that hold its sources, tools or history: never an output.
SOURCE_FOLDERS = (
    "territoires",
    "docs",
    "hooks",
    "tests",
    "schemas",
    "scripts",
    ".cache",
    ".git",
    ".github",
    ".gitlab",
    ".ci",
    ".venv",
    ".vscode",
)
_OWNED = re.compile(r"^(?:\.ti-)?[a-z]+-(\d+)-")  # kind-<pid>-… (see temporary_folder)


class Busy(Exception):
    """Another command held the project's lock for longer than the wait allowed (French)."""


class Refused(Exception):
    """A destination that must not be written (French, naming it and what to choose)."""


_interrupted = False


@contextmanager
def interruptible() -> Iterator[None]:
    """Ctrl+C raises KeyboardInterrupt as usual and is also remembered: when it lands in code that
    Python runs for itself (an import lock's clean-up, a finaliser), Python prints it as
    "Exception ignored" and goes on; here it is silent, and ``stop_if_interrupted`` ends the
    command before it replaces anything."""
    global _interrupted

    def on_interrupt(signum: int, frame: object) -> None:
        global _interrupted
        _interrupted = True
        raise KeyboardInterrupt

    def unraisable(info: sys.UnraisableHookArgs) -> None:
        if info.exc_type is not None and issubclass(info.exc_type, KeyboardInterrupt):
            return
        previous_hook(info)

    _interrupted = False
    previous_handler = signal.getsignal(signal.SIGINT)
    previous_hook = sys.unraisablehook
    if previous_handler is not signal.default_int_handler:  # ignored (nohup, a background job)
        yield
        return
    try:
        signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread (a command run from a test's thread)
        yield
        return
    sys.unraisablehook = unraisable
    try:
        yield
    finally:
        _interrupted = False
        signal.signal(signal.SIGINT, previous_handler)
        sys.unraisablehook = previous_hook


def stop_if_interrupted() -> None:
    """Raise KeyboardInterrupt if Ctrl+C came and was lost (see ``interruptible``)."""
    if _interrupted:
        raise KeyboardInterrupt


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


@contextmanager
def project_lock(
    root: Path, wait: float = DEFAULT_WAIT, announce: Callable[[str], None] = _say
) -> Iterator[None]:
    """Hold the project's lock: wait (saying so) while another command holds it; raise Busy
    after ``wait`` seconds. A project where nothing can be written (read-only
    checkout) runs unlocked: there is no shared state to protect."""
    from filelock import FileLock, Timeout

    # not per thread: a preview takes it in one thread and may release it in another
    lock: FileLock | None = FileLock(root / LOCK, thread_local=False)
    try:
        (root / LOCK).parent.mkdir(parents=True, exist_ok=True)
        assert lock is not None
        try:
            lock.acquire(timeout=0)
        except Timeout:
            announce(WAITING)
            try:
                lock.acquire(timeout=max(0.0, wait))
            except Timeout:
                raise Busy(
                    f"Une autre construction occupe ce projet depuis plus de {wait:g} s "
                    f"(verrou {LOCK.as_posix()}) : rien n'a été fait. Attendez qu'elle finisse "
                    "ou arrêtez-la (Ctrl+C dans son terminal), puis relancez ; l'option --attente "
                    "règle cette attente, en secondes (ti --attente 3600 build)."
                ) from None
    except OSError:
        lock = None
    try:
        remove_stale(root / TMP)
        yield
    finally:
        if lock is not None:
            lock.release()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (its temporary folders are then kept)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


if sys.platform == "win32":  # (type-checked on Windows only: ctypes.WinDLL)

    def _alive_on_windows(pid: int) -> bool:
        """``_alive`` on Windows, where ``os.kill(pid, 0)`` is no question: it sends Ctrl+C
        (CTRL_C_EVENT is 0) to the console's processes. Asked to the system instead: a process
        that cannot be opened for lack of rights exists; one that can, until it has ended."""
        import ctypes
        from ctypes import wintypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.restype = wintypes.HANDLE  # a pointer: not cut to an int
        kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
        kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
        kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
        query_limited_information, still_active, access_denied = 0x1000, 259, 5
        handle = kernel32.OpenProcess(query_limited_information, False, pid)
        if not handle:
            return bool(ctypes.get_last_error() == access_denied)
        try:
            code = wintypes.DWORD()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return bool(code.value == still_active)
        finally:
            kernel32.CloseHandle(handle)


def remove_stale(folder: Path, hidden_only: bool = False) -> None:
    """Remove the temporary folders in ``folder`` whose process is gone (a build stopped by
    Ctrl+C, ``kill -9`` or a power cut); ``hidden_only``: only ``.ti-…`` ones (a folder beside
    a destination, where other files live)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if hidden_only and not entry.name.startswith(".ti-"):
            continue
        match = _OWNED.match(entry.name)
        if match is None or not _alive(int(match[1])):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def remove_legacy(root: Path) -> None:
    """Temporary folders of earlier versions of ``ti build`` (``.site-<pid>-…`` in the project)."""
    for leftover in root.glob(".site-*"):
        match = re.match(r"\.site-(\d+)-", leftover.name)
        if match and _alive(int(match[1])):
            continue  # a build of an earlier version is running
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


CACHE = ".cache"


def cache_problem(root: Path) -> str | None:
    """Why the project's .cache/ can't be trusted (French), or None.

    The cache is this machine's, never content: it holds compiled templates (Python code the
    build runs), finished pages published without another check, and what a build writes and
    prunes. One that came with the repository (a file committed with ``git add -f``, a pull
    request's, a link among them) could run code in CI or publish an unchecked page; .cache
    itself as a link would make the build write and delete outside the project. Both stop
    every command. (A link made inside it on this machine, such as the tests' link to the
    installed editor, is this machine's own.)
    """
    from tisite.content.history import git
    from tisite.generate.textutil import plural

    cache = root / CACHE
    if cache.is_symlink():
        return (
            f"« {CACHE} » est un lien symbolique : le cache de la construction doit être un "
            "dossier ordinaire du projet (elle y écrit et y supprime des fichiers). Supprimez "
            "le lien, puis relancez."
        )
    # « .CACHE » is .cache on a file system that ignores case (macOS, Windows)
    listed = git(root, "ls-files", "-z", "--", f":(icase){CACHE}")
    if listed is None:
        return None  # no git here: no repository brought anything
    if listed.returncode != 0:
        if not (root / ".git").exists():
            return None  # not a repository
        said = (listed.stderr.strip().splitlines() or ["erreur inconnue"])[0]
        return (
            f"git ne peut pas lire ce dépôt (« {ascii(said)[1:-1][:200]} ») : impossible de "
            f"vérifier que « {CACHE}/ » n'en vient pas. Corrigez l'accès au dépôt (propriétaire "
            "différent : git config --global --add safe.directory <dossier du projet>), puis "
            "relancez."
        )
    tracked = [p for p in listed.stdout.split("\0") if p]
    if tracked:
        folder = ascii(tracked[0].split("/")[0])[1:-1]  # .cache, or .CACHE…
        return (
            f"« {folder}/ » est suivi par git ({plural(len(tracked), 'fichier')}, dont "
            f"« {ascii(tracked[0])[1:-1]} ») : ce dossier est le cache de chaque machine, jamais "
            "du contenu, et un cache venu d'ailleurs pourrait exécuter du code ou publier des "
            f"pages non vérifiées. Retirez-le du dépôt et du disque (git rm -r -f {folder}), "
            "puis relancez : il sera refait." + _ignore_advice(root)
        )
    return None


def _ignore_advice(root: Path) -> str:
    """How to keep the cache out of the next « git add -A »: the project's .gitignore names
    it (the project's own does; a copy made without it does not)."""
    try:
        ignored = (root / ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:
        ignored = ""
    if any(line.strip().strip("/") == CACHE for line in ignored.splitlines()):
        return ""
    return (
        f" Pour qu'il ne revienne pas au prochain « git add », ajoutez la ligne « {CACHE}/ » "
        "au fichier .gitignore à la racine du projet."
    )


def clean(root: Path) -> None:
    """What any command does first: remove what interrupted commands left behind."""
    remove_stale(root / TMP)
    remove_legacy(root)


def temporary_folder(root: Path, near: Path, kind: str) -> Path:
    """A new empty folder for a command's output, renamed into ``near`` at the end: under
    .cache/tmp/; beside the destination (hidden, ``.ti-…``) when that is on another disk (a
    folder cannot be renamed from one disk to another)."""
    made = scratch_folder(root, kind, disk_of=near)
    if made is not None:
        return made
    remove_stale(near, hidden_only=True)
    return Path(tempfile.mkdtemp(prefix=f".ti-{_owned_prefix(kind)}", dir=near))


def scratch_folder(root: Path, kind: str, disk_of: Path | None = None) -> Path | None:
    """A new empty folder under the project's .cache/tmp/ for a process's own temporary files
    (removed by its owner, or by the next command once the owner is gone); None when it cannot
    be made there (the system's temporary folder serves then), or when ``disk_of`` is given
    and on another disk."""
    base = root / TMP
    try:
        base.mkdir(parents=True, exist_ok=True)
        if disk_of is not None and base.stat().st_dev != disk_of.stat().st_dev:
            return None
        return Path(tempfile.mkdtemp(prefix=_owned_prefix(kind), dir=base))
    except OSError:
        return None


def _owned_prefix(kind: str) -> str:
    """The start of the name of this process's temporary folders (``_OWNED`` reads it)."""
    return f"{kind}-{os.getpid()}-"


def replace_folder(new: Path, target: Path) -> None:
    """Put ``new`` (a temporary folder) in place of ``target`` (a checked destination): the
    previous one is moved beside ``new``, then deleted; if the last step fails, it is put back."""
    stop_if_interrupted()
    old = new.with_name(new.name + "-ancien")
    moved = False
    if target.exists():
        target.rename(old)
        moved = True
    try:
        new.rename(target)
    except OSError:
        if moved:
            old.rename(target)
        raise
    if moved:
        shutil.rmtree(old, ignore_errors=True)


def shown(root: Path, path: Path) -> str:
    """A path as messages show it: relative to the project when inside it."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
    return "." if rel == "." else rel + "/"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def destination_problem(
    root: Path,
    dest: Path,
    mark: str,
    command: str,
    docs_dir: str = "docs",
    example: str = "site/",
) -> str | None:
    """Why the resolved folder ``dest`` cannot receive the output of ``command`` (« ti build »),
    in French with what to write instead; None when it can (missing, empty, or written by an
    earlier run, with ``mark`` inside)."""
    fix = (
        f"choisissez un dossier vide ou nouveau hors des sources, par exemple {example} ; "
        "rien n'a été écrit ni effacé"
    )
    if dest == root:
        return (
            f"c'est le dossier du projet : {command} le remplacerait en entier (sources et "
            f"historique git compris) ; {fix}"
        )
    if root in dest.parents:
        sources = {f.parts[0] for f in (Path(s) for s in (*SOURCE_FOLDERS, docs_dir))}
        for name in sorted(sources):
            folder = root / name
            if _inside(dest, folder):
                where = "c'est le" if dest == folder else "ce dossier est dans le"
                return (
                    f"{where} dossier {name}/ du projet : {command} effacerait ce qu'il "
                    f"contient ; {fix}"
                )
        nested = root / docs_dir
        if dest in nested.parents:
            return (
                f"ce dossier contient le dossier des pages {docs_dir}/ : {command} "
                f"l'effacerait ; {fix}"
            )
    elif dest in root.parents:
        return (
            f"ce dossier contient le projet : {command} l'effacerait avec tout ce que ce dossier "
            f"contient ; {fix}"
        )
    if (dest / ".git").exists():
        return f"ce dossier est un dépôt git (il contient .git) : {command} l'effacerait ; {fix}"
    if dest.exists() and not dest.is_dir():
        return f"c'est un fichier, pas un dossier ; {fix}"
    if dest.is_dir() and any(dest.iterdir()) and not (dest / mark).is_file():
        message = (
            f"ce dossier existe, n'est pas vide et n'a pas été écrit par {command} (il n'a pas "
            f"de fichier {mark}) : choisissez un dossier vide ou nouveau, ou supprimez "
            "celui-ci s'il ne contient rien à garder ; rien n'a été écrit ni effacé"
        )
        if mark == SITE_MARK and dest == root / "site":
            message += (
                ". Un site/ construit avant cette protection n'a pas ce fichier : supprimez-le "
                "(rm -r site), puis relancez `make site`"
            )
        return message
    return None
