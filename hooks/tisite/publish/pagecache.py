"""Cache of rendered leaf pages (fiches actions, lettres) between builds.

A territory may publish hundreds of letters and actions, and the pages that did not change are
the same from one build to the next. A leaf page is cached under a key made of its generated
source and everything else its HTML depends on (the navigation, the configuration, the site
settings, the code and templates, the engine, the adapter, the versions of the libraries). On
a hit, the engine is handed an empty placeholder for the page and the cached HTML is written
instead: no theme rendering. (The search index is made from the written HTML, after the
build: cached pages are indexed like the others.)

Nothing is checked here: the core checks every link and anchor of every page, cached or not,
before the engine runs (see pagehtml.check_links). Entries are only stored after a build that
logged no warning; entries unused for PRUNE_DAYS days are removed. The output is byte for byte
that of a full render.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tisite.publish.diskcache import PRUNE_DAYS, atomic_write, prune_older

PLACEHOLDER_TEMPLATE = "ti-cache.html"


@dataclass
class Entry:
    """One rendered page, as written by the engine."""

    output: str


class PageCache:
    """Entries on disk (``.cache/pages/<key>.json``) for one build."""

    def __init__(self, directory: Path | None, sig: str) -> None:
        self.directory = directory
        self.sig = sig
        self.keys: dict[str, str] = {}  # src_uri → key, for every cacheable page
        self.hits: set[str] = set()  # src_uris served from their entry instead of rendering
        self.fresh: set[str] = set()  # src_uris rendered in this build, staged on disk

    def key(self, source: str) -> str:
        """A page's key: ``source`` (what the page is made from: its fields and finished HTML,
        or their digest) with everything else its HTML depends on (the signature)."""
        return hashlib.sha256((self.sig + "\n" + source).encode("utf-8")).hexdigest()[:32]

    def _path(self, key: str) -> Path | None:
        return self.directory / f"{key}.json" if self.directory else None

    def plan(self, pages: list[tuple[str, str]]) -> set[str]:
        """Decide the hits among ``(src_uri, source)`` (see ``key``); returns the src_uris
        served cached. An entry is read whole here (a damaged one is a miss) and again when its
        page is written (``entry``): a national site's cached pages are not held in memory."""
        candidates: set[str] = set()
        for src_uri, source in pages:
            key = self.key(source)
            self.keys[src_uri] = key
            if self._read(key) is not None:
                candidates.add(src_uri)
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

    def entry(self, src_uri: str) -> Entry | None:
        """The entry of a page ``plan`` chose to serve from the cache."""
        if src_uri not in self.hits:
            return None
        entry = self._read(self.keys[src_uri])
        if entry is None:  # removed or damaged since plan (by hand): the build cannot go on
            raise OSError(
                f"entrée du cache de pages illisible ({self._path(self.keys[src_uri])}) : "
                "relancez avec « ti build --sans-cache »"
            )
        return entry

    def remember(self, src_uri: str, output: str) -> None:
        """A cacheable page that the engine rendered in this build: written at once to a
        staging folder (the pages of a national build would not fit in memory), kept by
        ``store``."""
        if src_uri not in self.keys or src_uri in self.hits or self.directory is None:
            return
        data = json.dumps(asdict(Entry(output)), ensure_ascii=False).encode("utf-8")
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
