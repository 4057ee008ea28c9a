"""The preview's folder, written again only where a save changed it.

``ti serve`` serves the site from a folder of its own that it keeps from one rebuild to the next
(the engine's « dirty » builds): each file this process wrote there is recorded with the key of
what it holds (a page: its page-cache key, which covers its content, the navigation, the
settings, the code, the engine; a file: the digest of its bytes). At the next rebuild, a file
whose key is the same and which is still there is neither rendered nor written again; a file
the new build no longer makes (a fiche action removed, an address changed) is removed. The
files written beside a page (its share image) go with it.

Nothing here guesses from a date: what is kept is what this process wrote, under the very key
it has now. When a rebuild fails, every file this process wrote is written again if the next
rebuild still makes it, and removed if not; when the folder is emptied (the preview's error
page), nothing is known any more and the next rebuild writes everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from tisite import memo


def digest(content: str | bytes) -> str:
    """The key of a file: the digest of its bytes."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()


_HELD: memo.Held[str] = memo.Held()  # digest_held's results (only while a process builds again)


def digest_held(content: str | bytes) -> str:
    """``digest`` of a generated file's content: the files of a territory that did not change
    are the very objects of the last build (see tisite.generate.reuse), not digested again."""
    return _HELD.get((content,), lambda: digest(content))


class Served:
    """What this process wrote into the preview's folder, and under which key."""

    def __init__(self) -> None:
        self.site_dir: Path | None = None
        self.keys: dict[str, str] = {}  # path under the folder → key of what it holds
        self.companions: dict[str, tuple[str, ...]] = {}  # a page → files written with it
        self._keys: dict[str, str] = {}  # this build's
        self._companions: dict[str, tuple[str, ...]] = {}
        self.kept = 0  # this build's files left as they were

    def begin(self, site_dir: Path) -> None:
        """A rebuild starts, into ``site_dir`` (another folder: nothing of it is known)."""
        if site_dir != self.site_dir:
            self.forget()
            self.site_dir = site_dir
        self._keys, self._companions, self.kept = {}, {}, 0

    def changed(self, path: str, key: str | None) -> bool:
        """Whether ``path`` must be written in this build (``key``: what it holds; None: always
        written). Recorded as this build's either way."""
        assert self.site_dir is not None, "begin() first"
        if key is None:
            self._keys[path] = ""  # written, and removed when a build no longer makes it
            return True
        self._keys[path] = key
        # (os.path: called for each of a national site's ten thousand files at each save)
        if self.keys.get(path) == key and os.path.isfile(os.path.join(self.site_dir, path)):
            self.kept += 1
            if path in self.companions:  # its share image stays with it
                self._companions[path] = self.companions[path]
            return False
        return True

    def written_with(self, path: str, companions: tuple[str, ...]) -> None:
        """Files written with the page at ``path`` in this build (its share image)."""
        self._companions[path] = companions

    def end(self) -> int:
        """The build succeeded: what the last one wrote and this one no longer makes is removed
        (with the folders left empty); returns how many files were removed."""
        assert self.site_dir is not None
        now = set(self._keys) | {c for group in self._companions.values() for c in group}
        before = set(self.keys) | {c for group in self.companions.values() for c in group}
        removed = 0
        folded = {path.casefold() for path in now}
        for path in sorted(before - now):
            if path.casefold() in folded:  # renamed in case only: on a file system that
                continue  # ignores case, the same file as the one just written
            target = self.site_dir / path
            with contextlib.suppress(OSError):
                target.unlink()
                removed += 1
                _remove_empty_parents(target.parent, self.site_dir)
        self.keys, self.companions = self._keys, self._companions
        self._keys, self._companions = {}, {}
        return removed

    def forget(self) -> None:
        """The folder emptied (the preview's error page): nothing is known of it any more, the
        next rebuild writes every file."""
        self.keys, self.companions = {}, {}
        self._keys, self._companions = {}, {}

    def failed(self) -> None:
        """A rebuild failed, the folder maybe half written: every file this process wrote (in
        that build or before) is written again by the next build if it still makes it, and
        removed if it does not."""
        owned = set(self.keys) | set(self._keys)
        owned |= {
            c for group in (*self.companions.values(), *self._companions.values()) for c in group
        }
        self.keys, self.companions = dict.fromkeys(owned, ""), {}
        self._keys, self._companions = {}, {}


def _remove_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and top in folder.parents:
        try:
            os.rmdir(folder)
        except OSError:
            return  # not empty (or gone): the folders above are not empty either
        folder = folder.parent
