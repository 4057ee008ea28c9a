"""Pruning of a cache folder: entries unused for long go, those a build used stay."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

_UTIME = os.utime  # the controls switch the caches' own os.utime off


def aged(path: Path, days: int = 40) -> None:
    old = time.time() - days * 86400
    _UTIME(path, (old, old))


def pruned_after_a_build(
    project: Path, folder: str, pattern: str, unused_name: str, before: Callable[[], None]
) -> tuple[bool, bool]:
    """(an unused old entry of ``.cache/<folder>`` is still there, the used old ones are)
    after a build of ``project`` (built once already); ``before`` runs before the build."""
    from conftest import build_site

    cache = project / ".cache" / folder
    entries = sorted(cache.glob(pattern))
    assert len(entries) >= 40
    unused = cache / unused_name
    unused.write_bytes(b"{}")
    for path in [unused, *entries]:
        aged(path)
    before()
    build_site(project)
    return unused.exists(), all(p.exists() for p in entries)
