"""A build with nothing to do: when nothing that shapes the site changed since the build that
made the site folder, ``ti build`` keeps that folder and says so.

Nothing that shapes the site is left out of the key, so it is never stale: every file of the
repository that git sees (tracked, or new and not ignored: a letter not yet committed counts),
and every file of what the build reads whole even when git ignores it (the content folders,
``docs/`` and ``territoires/``; the settings; the hooks), the dates of last change the pages
show (from the history; for a content file no commit dates, the time it was written, which a
feed without letter shows), the web editor's files installed
under .cache/editeur, our code and templates, the versions of the engine, the theme and the
other libraries (``diskcache.code_digest``), the engine chosen, the build's options and the
day (late actions, the national index's date). The
site folder itself must be the one that build wrote, file for file (names, sizes, times): a file
removed or edited by hand makes a full build. Without git, or for a national portal that
harvests other sites (their data is an input too), every build is a full one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from tisite.content import history, sources
from tisite.publish import searchindex
from tisite.publish.diskcache import atomic_write, code_digest, versions

FORMAT = "1"
RECORD = Path(".cache") / "constructions.json"  # site folder → key, listing, report
UNCHANGED = (
    "Rien n'a changé depuis la construction qui a fait ce site (contenu, réglages, code, "
    "versions, date) : il est gardé tel quel (`ti build --sans-cache` le refait en entier). "
    "Ce que cette construction avait dit :"
)
# Build settings that change how a site is made, not what it is (``--sans-cache`` builds are
# recorded too: the next build may keep what they made).
NOT_SHAPING = ("cache_pages", "processus_images")
EDITOR_FILES = Path(".cache") / "editeur"  # read by the build (editor.cms.EDITOR_DIR)
SKIPPED = {".git", ".cache", ".venv", "node_modules", "__pycache__"}
HOOKS = "hooks"  # the engine's hooks file and our code (diskcache.code_digest reads the code)


def inputs_key(
    root: Path,
    engine: str,
    options: dict[str, Any],
    today: dt.date,
    output: Path | None = None,
    docs_dir: str = sources.DOCS,
) -> str | None:
    """The digest of everything a build of ``root`` is made from; None when it can't be known
    (no git). ``output``: the site folder (not an input, even when git does not ignore it);
    ``docs_dir``: mkdocs.yml's, as the build reads it."""
    if _harvests(root):
        return None  # what the sources publish is an input no file of ours tells
    listed = history.git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listed is None or listed.returncode != 0:
        return None
    digest = hashlib.sha256(f"{FORMAT}\0{engine}\0{today.isoformat()}\0".encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    dates = {path: day.isoformat() for path, day in history.file_dates(root, today).items()}
    digest.update(json.dumps(dates, sort_keys=True).encode())
    digest.update(code_digest().encode())
    # the web editor's files, installed under .cache/ (make editeur) and copied to admin/
    for path in sorted((root / EDITOR_FILES).rglob("*")) if (root / EDITOR_FILES).is_dir() else []:
        if path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    skipped = None  # the site folder, when it is inside the project
    if output is not None and output.resolve().is_relative_to(root.resolve()):
        skipped = output.resolve().relative_to(root.resolve()).parts
    digest.update(versions(engine, "mkdocs-material").encode())
    digest.update(searchindex.program().version.encode())
    content = (sources.TERRITORIES, docs_dir)
    read = set(listed.stdout.split("\0")) | _read_whole(root, (*content, HOOKS), sources.ROOT_FILES)
    for rel in sorted(read - {""}):
        parts = Path(rel).parts
        if SKIPPED.intersection(parts) or any(part.startswith(".ti-") for part in parts):
            continue  # caches, tools, a build's temporary folder
        if skipped and parts[: len(skipped)] == skipped:
            continue
        path = root / rel
        digest.update(rel.encode("utf-8") + b"\0")
        if rel not in dates and _under(parts, content):
            with contextlib.suppress(OSError):  # no commit: its time shows (Renderer)
                digest.update(f"{int(path.stat().st_mtime)}\0".encode())
        digest.update(_content(path))
    return digest.hexdigest()


def _content(path: Path) -> bytes:
    """What a file holds, for the key: a link's target (never followed: a link to /dev/zero
    or outside the project is refused by the build, not read here), a file's bytes."""
    try:
        found = path.lstat()
    except FileNotFoundError:
        return b"absent"  # deleted, not yet committed
    if stat.S_ISLNK(found.st_mode):
        return b"lien\0" + os.fsencode(os.readlink(path))
    if stat.S_ISDIR(found.st_mode):
        return b"dossier"  # a git submodule
    if not stat.S_ISREG(found.st_mode):
        return b"special"  # a pipe, a device: refused by the build
    return hashlib.sha256(path.read_bytes()).digest()


def _under(parts: tuple[str, ...], folders: tuple[str, ...]) -> bool:
    return any(parts[: len(head)] == head for head in (Path(f).parts for f in folders))


def _read_whole(root: Path, folders: tuple[str, ...], files: tuple[str, ...]) -> set[str]:
    """Every file under ``folders`` and each of ``files`` (paths relative to ``root``), git
    ignoring them or not: the build reads them (a page of docs/ in a folder .gitignore names
    is published all the same)."""
    found = {name for name in files if (root / name).is_file()}
    inside = root.resolve()
    for folder in folders:
        if not (root / folder).resolve().is_relative_to(inside):
            continue  # a docs_dir outside the project: the build refuses it, nothing read here
        for current, dirs, names in os.walk(root / folder):
            dirs[:] = [d for d in dirs if d not in SKIPPED and not d.startswith(".ti-")]
            here = Path(os.path.relpath(current, root))
            found.update((here / name).as_posix() for name in names)
    return found


def _harvests(root: Path) -> bool:
    """A national portal with sources (site.yml, « portail: sources: »)."""
    from ruamel.yaml import YAML

    path = root / sources.SITE
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return True  # a link (to /dev/zero, a pipe…): never read here; the build refuses it
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
    except Exception:  # unreadable: the build reports it, and builds
        return True
    portail = data.get("portail") if isinstance(data, dict) else None
    return bool(isinstance(portail, dict) and portail.get("sources"))


def listing(site_dir: Path) -> str:
    """Every file of a site folder: name, size, time of last change."""
    digest = hashlib.sha256()
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            stat = path.stat()
            rel = path.relative_to(site_dir).as_posix()
            digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _records(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def unchanged(root: Path, site_dir: Path, key: str) -> list[str] | None:
    """The report of the build that made ``site_dir`` when it was made from ``key`` and is
    still as that build left it; None otherwise."""
    record = _records(root).get(os.fspath(site_dir.resolve()))
    if not isinstance(record, dict) or record.get("cle") != key or not site_dir.is_dir():
        return None
    if record.get("fichiers") != listing(site_dir):
        return None
    lines = record.get("lignes")
    return [str(x) for x in lines] if isinstance(lines, list) else []


def remember(root: Path, site_dir: Path, built: Path, key: str, lines: list[str]) -> None:
    """``built`` (the folder just written, about to become ``site_dir``) was made from
    ``key``. Written atomically; other site folders keep their records."""
    records = _records(root)
    records[os.fspath(site_dir.resolve())] = {
        "cle": key,
        "fichiers": listing(built),
        "lignes": lines,
    }
    atomic_write(root / RECORD, json.dumps(records, ensure_ascii=False, indent=1).encode())


def forget(root: Path, site_dir: Path) -> None:
    """The folder is about to be rebuilt: its record no longer holds."""
    records = _records(root)
    if records.pop(os.fspath(site_dir.resolve()), None) is not None:
        atomic_write(root / RECORD, json.dumps(records, ensure_ascii=False, indent=1).encode())
