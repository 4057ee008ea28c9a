"""Cache of rendered leaf pages (fiches actions, lettres) between builds.

A territory may publish hundreds of letters and actions, and the pages that did not change are
the same from one build to the next. A leaf page is cached under a key made of its generated
Markdown and everything else its HTML depends on (the navigation, the configuration, the site
settings, the code and templates, the versions of MkDocs and Material). On a hit, MkDocs is
handed an empty placeholder for the page and the cached HTML is written instead: no Markdown
conversion, no theme rendering. (The search index is made from the written HTML, after the
build: cached pages are indexed like the others.)

What MkDocs would still check on a full render is checked here: every link of a cached page must
reach a file of the current build (otherwise the page is rendered again, and MkDocs reports the
broken link); its anchors and anchor links are handed back to MkDocs, which checks anchors once
every page is built. Entries are only stored after a build that logged no warning; entries
unused for PRUNE_DAYS days are removed. The output is byte for byte that of a full render.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FORMAT = "2"  # bump when the entry layout changes
PRUNE_DAYS = 30
PLACEHOLDER_TEMPLATE = "ti-cache.html"
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
)
_LINK = re.compile(r"""\s(?:href|src)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


@dataclass
class Entry:
    """One rendered page, as written by MkDocs, with what MkDocs knew about it."""

    output: str
    anchors: list[str] = field(default_factory=list)  # ids present in the page
    anchor_links: dict[str, dict[str, str]] = field(default_factory=dict)  # src_uri → anchors
    targets: list[str] = field(default_factory=list)  # site paths its content links to


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


@cache
def code_digest() -> str:
    """Our code and templates, and the versions of the libraries that shape the output.

    Computed once per build (``new_build`` forgets it): a template edited while ``ti serve``
    runs changes the key of every page at the next rebuild.
    """
    digest = hashlib.sha256(FORMAT.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    for name in PACKAGES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=absent".encode())
    return digest.hexdigest()


def new_build() -> None:
    """Forget what was read of the code and templates: a build starts (see code_digest)."""
    code_digest.cache_clear()


def memo(directory: Path | None, material: Any, produce: Callable[[], Any]) -> Any:
    """``produce()``, kept on disk under a hash of ``material`` and of the code (JSON values).

    For generated files that are slow to make and depend on few inputs (email versions of a
    letter, a territory's iCalendar agenda): an unchanged input costs one file read.
    """
    if directory is None:
        return produce()
    path = directory / f"{signature({'memo': material})[:32]}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # absent or unreadable: produced again
    value = produce()
    atomic_write(path, json.dumps(value, ensure_ascii=False).encode("utf-8"))
    return value


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


def linked_paths(html: str, page_url: str) -> list[str]:
    """Site paths (``a/b/`` or ``a/b/file.csv``) that relative links of ``html`` point to."""
    out: set[str] = set()
    for raw in _LINK.findall(html):
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            continue
        joined = posixpath.normpath(posixpath.join(page_url or ".", parts.path))
        if joined.startswith(".."):
            out.add("..")  # outside the site: never satisfied, the page is rendered again
            continue
        if parts.path.endswith("/") and joined != ".":
            joined += "/"
        out.add("" if joined == "." else joined)
    return sorted(out)


def site_paths(urls: list[str]) -> set[str]:
    """Every path a link may name for the given file URLs (``a/`` also as ``a/index.html``)."""
    out: set[str] = set()
    for url in urls:
        url = "" if url in (".", "./") else url
        out.add(url)
        if url == "" or url.endswith("/"):
            out.add(url + "index.html")
    return out


class PageCache:
    """Entries on disk (``.cache/pages/<key>.json``) for one build."""

    def __init__(self, directory: Path | None, sig: str) -> None:
        self.directory = directory
        self.sig = sig
        self.keys: dict[str, str] = {}  # src_uri → key, for every cacheable page
        self.hits: dict[str, Entry] = {}  # src_uri → entry used instead of rendering
        self.fresh: set[str] = set()  # src_uris rendered in this build, staged on disk
        self.urls: dict[str, str] = {}  # src_uri → page URL

    def key(self, page_repr: str) -> str:
        return hashlib.sha256((self.sig + "\n" + page_repr).encode("utf-8")).hexdigest()[:32]

    def _path(self, key: str) -> Path | None:
        return self.directory / f"{key}.json" if self.directory else None

    def plan(self, pages: list[tuple[str, str, str]], existing: set[str]) -> set[str]:
        """Decide the hits among ``(src_uri, url, repr)``; returns the src_uris served cached.

        A hit needs every path its content links to among ``existing``. Its anchor links are
        handed back to MkDocs, which checks them once every page is built.
        """
        candidates: dict[str, Entry] = {}
        for src_uri, url, page_repr in pages:
            key = self.key(page_repr)
            self.keys[src_uri] = key
            self.urls[src_uri] = url
            entry = self._read(key)
            if entry is not None and all(t in existing for t in entry.targets):
                candidates[src_uri] = entry
        self.hits = candidates
        now = time.time()
        for src in candidates:
            path = self._path(self.keys[src])
            if path is not None:
                with contextlib.suppress(OSError):
                    os.utime(path, (now, now))  # recently used: kept by prune()
        return set(candidates)

    def _read(self, key: str) -> Entry | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Entry(**data)
        except (OSError, ValueError, TypeError):
            return None  # unreadable or from another layout: rendered again

    def remember(
        self,
        src_uri: str,
        output: str,
        anchors: set[str],
        anchor_links: dict[str, dict[str, str]],
        content: str,
    ) -> None:
        """A cacheable page that MkDocs rendered in this build: written at once to a staging
        folder (the pages of a national build would not fit in memory), kept by ``store``."""
        if src_uri not in self.keys or src_uri in self.hits or self.directory is None:
            return
        entry = Entry(
            output,
            anchors=sorted(anchors),
            anchor_links=anchor_links,
            targets=linked_paths(content, self.urls[src_uri]),
        )
        data = json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8")
        atomic_write(self.staging / f"{self.keys[src_uri]}.json", data)
        self.fresh.add(src_uri)

    @property
    def staging(self) -> Path:
        assert self.directory is not None
        return self.directory / f".en-cours-{os.getpid()}"

    def store(self, keep: bool = True) -> int:
        """Keep the entries rendered in this build (``keep``) or drop them; returns how many
        were kept."""
        if self.directory is None:
            return 0
        kept = 0
        for src_uri in self.fresh:
            name = f"{self.keys[src_uri]}.json"
            if keep:
                with contextlib.suppress(OSError):
                    (self.staging / name).replace(self.directory / name)
                    kept += 1
        shutil.rmtree(self.staging, ignore_errors=True)
        self.fresh.clear()
        return kept

    def prune(self, max_age_days: int = PRUNE_DAYS) -> int:
        """Remove entries unused for ``max_age_days``, and the staging folders of builds
        interrupted a day ago or more; returns how many entries were removed."""
        if self.directory is not None and self.directory.is_dir():
            for folder in self.directory.glob(".en-cours-*"):
                with contextlib.suppress(OSError):
                    if time.time() - folder.stat().st_mtime > 86400:
                        shutil.rmtree(folder, ignore_errors=True)
        return prune_older(self.directory, "*.json", max_age_days)
