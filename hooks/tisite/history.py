"""When each source file last changed, from the repository's history.

Content dates come first (a letter's date, an action's progress entries); where a page has none,
the date of the last commit of its source file says when it changed, never the build's date.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

CONTENT = ("territoires", "docs", "site.yml")


def file_dates(root: Path) -> dict[str, dt.date]:
    """Date of the last commit of every content file, by path relative to ``root``. Empty
    outside a git repository or without git: pages then have no modification date."""
    try:
        result = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "log",
                "--format=%x00%cs",
                "--name-only",
                "--relative",
                "--no-renames",
                "--",
                *CONTENT,
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in result.stdout.splitlines():
        if line.startswith("\x00"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None:
            dates.setdefault(line, current)  # newest commit first
    return dates


def newest(*dates: dt.date | None) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None
