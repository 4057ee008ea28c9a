"""A disk cache for whatever is slow to make: atomic writes, content-addressed files, and
values kept under a hash of everything they are made from, our code and templates included.

Used by the page cache (pagecache), the email versions and calendars (publishing), published
images (images) and social images (social). Nothing here knows what it stores.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from tisite.memo import Recent

FORMAT = "2"  # bump when what is stored changes shape: every entry is made again
PRUNE_DAYS = 30
# Folders of .cache/ that diskcache.memo fills (a page's finished HTML, email versions,
# calendars): their entries unused for PRUNE_DAYS days are removed after a whole build.
MEMO_FOLDERS = ("html", "courriels", "agendas")
# The libraries whose versions shape our outputs (a new version makes every entry again).
PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "Markdown",
    "Jinja2",
    "nh3",
    "pymdown-extensions",
    "css-inline",
    "icalendar",
    "Pillow",
    "Babel",  # numbers and dates (textutil)
    "pyuca",  # French alphabetical order (textutil)
    "MarkupSafe",  # escaping
)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``path`` so that readers (other builds, worker processes) never see it half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (no copy) when the file system allows it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


# Parts of the package read again by every build (the engine loads templates and assets anew):
# the rest, Python modules and data, is what this process loaded when it started.
READ_PER_BUILD = ("templates", "assets")


def code_files(package: Path, per_build: bool) -> list[Path]:
    """The files of the package read by every build (``per_build``: templates and assets) or
    loaded once by a process (modules and data), in order."""
    return [
        path
        for path in sorted(package.rglob("*"))
        if (path.relative_to(package).parts[0] in READ_PER_BUILD) == per_build
        and path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix != ".pyc"
    ]


def _files(package: Path, per_build: bool) -> dict[str, str]:
    """The digest of each of the package's ``code_files``, by path under the package."""
    return {
        path.relative_to(package).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in code_files(package, per_build)
    }


@cache
def _loaded() -> dict[str, str]:
    """The package's modules and data as this process loaded them: read when this module is
    imported (the build imports it first), never again."""
    return _files(Path(__file__).parents[1], per_build=False)


@cache
def loaded_digest() -> str:
    """Our Python code and data files, as this process loaded them (``_loaded``), and the
    versions of the libraries that shape the output.

    Python does not import a module again when its file changes: a module edited while
    ``ti serve`` runs is not the code that runs (the preview starts again to take it, see
    adapters.enginewatch). Its outputs stay under the key of the code that made them, so no
    later build takes them for the new code's. What social images and published images are
    made from (they read no template).
    """
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(json.dumps(_loaded()).encode())
    digest.update(versions(*PACKAGES).encode())
    return digest.hexdigest()


def loaded_files_changed() -> list[str]:
    """The modules and data files (under the package) whose file is no longer what this
    process loaded: changed, added or removed since."""
    now = _files(Path(__file__).parents[1], per_build=False)
    loaded = _loaded()
    return sorted(rel for rel in loaded.keys() | now.keys() if loaded.get(rel) != now.get(rel))


def forget_loaded() -> None:
    """As a new process: the package's modules and data read again (tests)."""
    _loaded.cache_clear()
    loaded_digest.cache_clear()
    code_digest.cache_clear()


@cache
def code_digest() -> str:
    """Our code and templates, and the versions of the libraries that shape the output.

    The templates and assets are read once per build (``new_build`` forgets them): a template
    edited while ``ti serve`` runs changes the key of every page at the next rebuild. The code
    is the one this process runs (``loaded_digest``).
    """
    digest = hashlib.sha256(loaded_digest().encode())
    digest.update(json.dumps(_files(Path(__file__).parents[1], per_build=True)).encode())
    return digest.hexdigest()


def versions(*names: str) -> str:
    """« name=version » of each installed package (« name=absent » when it is not): the part
    of a cache key that changes when a library that shapes an output changes."""
    out = []
    for name in names:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=absent")
    return ";".join(out)


def new_build() -> None:
    """Forget what was read of the templates (see code_digest) and what ``kept`` was asked
    for: a build starts."""
    code_digest.cache_clear()
    _KEPT.clear()


_RECENT: Recent[Any] = Recent()  # the values of this process's builds (tisite.memo)


def memo(directory: Path | None, material: Any, produce: Callable[[], Any]) -> Any:
    """``produce()``, kept on disk under a hash of ``material`` and of the code (JSON values).

    For generated files that are slow to make and depend on few inputs (email versions of a
    letter, a territory's iCalendar agenda, a page's finished HTML): an unchanged input costs
    one file read, and nothing in a process that builds again (``ti serve``), which keeps the
    values it read or made by the same key. A value is shared: callers never modify it.
    """
    if directory is None:
        return produce()
    path = directory / f"{signature({'memo': material})[:32]}.json"

    def read_or_make() -> Any:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # absent or unreadable: produced again
        else:
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: kept by prune_older
            return value
        value = produce()
        atomic_write(path, json.dumps(value, ensure_ascii=False).encode("utf-8"))
        return value

    return _RECENT.get(str(path), read_or_make)


def kept(directory: Path | None, key: str, produce: Callable[[], bytes]) -> bytes:
    """``produce()``, stored in ``directory`` under ``key`` (a hash of what it is made from):
    made once, then read; written atomically, so a crash never leaves half a file."""
    if directory is None:
        return produce()
    stored = directory / key
    _KEPT.add(stored.name)

    def read_or_make() -> bytes:
        try:
            return stored.read_bytes()
        except OSError:
            pass  # absent or unreadable: made again
        made = produce()
        atomic_write(stored, made)
        return made

    # a process that builds again keeps the bytes by key (tisite.memo): made for another
    # project of the same process (the tests), they are written to this one's cache too
    data = _RECENT_BYTES.get(key, read_or_make)
    if not stored.is_file():
        atomic_write(stored, data)
    return data


_RECENT_BYTES: Recent[bytes] = Recent()


_KEPT: set[str] = set()  # the names ``kept`` was asked for since the build started


def prune_unused(directory: Path | None, used: set[str], max_age_days: int = PRUNE_DAYS) -> int:
    """Remove the files of ``directory`` this whole build did not use (``used``: their names)
    and older than ``max_age_days``: an entry made by former code (every code change makes
    every image again) does not stay for ever. Returns how many."""
    if directory is None or not directory.is_dir():
        return 0
    limit = time.time() - max_age_days * 86400
    removed = 0
    for path in directory.iterdir():
        with contextlib.suppress(OSError):
            if path.name not in used and path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
    return removed


def kept_names() -> set[str]:
    """The names ``kept`` was asked for in this build (see prune_unused)."""
    return set(_KEPT)


def link_blob(directory: Path | None, content: str | bytes, target: Path) -> None:
    """Write ``content`` to ``target`` as a hard link to a content-addressed copy in ``directory``.

    Creating a file costs far more than linking one on most file systems: the email versions
    of hundreds of letters are linked from ``.cache/fichiers`` instead of being written again.
    Falls back to a plain write when there is no cache folder or links are not possible.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if directory is None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return
    blob = directory / hashlib.sha256(data).hexdigest()[:40]
    if not blob.is_file():
        atomic_write(blob, data)
    else:
        with contextlib.suppress(OSError):
            os.utime(blob)  # recently used: kept by prune_older
    link_or_copy(blob, target)


def prune_older(directory: Path | None, pattern: str, max_age_days: int = PRUNE_DAYS) -> int:
    """Remove the files of ``directory`` matching ``pattern`` unused for ``max_age_days``."""
    if directory is None or not directory.is_dir():
        return 0
    limit = time.time() - max_age_days * 86400
    removed = 0
    for path in directory.glob(pattern):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
    return removed


def signature(parts: dict[str, Any]) -> str:
    """Hash of ``parts`` (JSON values) and of the code: what a cached output depends on.

    For the page cache, everything besides its own Markdown that a leaf page's HTML depends on.
    """
    payload = json.dumps(
        {"code": code_digest(), **parts}, sort_keys=True, default=str, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_loaded()  # what this process runs: read now, before a save can make the files differ
