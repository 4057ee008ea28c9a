"""When each source file last changed, from the repository's history.

Content dates come first (a letter's date, an action's progress entries); where a page has none,
the date of the last commit of its source file says when it changed, never the build's date.
A shallow clone (CI's default) knows only its last commit: it gives no date rather than a false
one, as do dates outside 1900 and today (a commit's date is whatever its author's clock said).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from tisite import clock
from tisite.content import sources

CONTENT = (*sources.CONTENT_FOLDERS, sources.SITE)
_DATE = "\x01"


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    """``git -C root <args>`` (paths unquoted, text), or None without git."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), "-c", "core.quotePath=false", *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def file_dates(root: Path, today: dt.date | None = None) -> dict[str, dt.date]:
    """Date of the last commit of every content file, by path relative to ``root``. Empty
    outside a git repository, without git, or in a shallow clone."""
    shallow = git(root, "rev-parse", "--is-shallow-repository")
    if shallow is None or shallow.returncode != 0 or shallow.stdout.strip() != "false":
        return {}
    result = git(
        root,
        "log",
        "--first-parent",  # a merged file changed when it reached this branch
        "--diff-merges=first-parent",
        f"--format={_DATE}%cs",
        "--name-only",
        "--relative",
        "--no-renames",
        "-z",
        "--",
        *CONTENT,
    )
    if result is None or result.returncode != 0:
        return {}
    latest = today or clock.today()
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for token in result.stdout.split("\0"):
        token = token.strip("\n")
        if token.startswith(_DATE):
            try:
                current = dt.date.fromisoformat(token[1:])
            except ValueError:
                current = None
            if current is not None and not dt.date(1900, 1, 1) <= current <= latest:
                current = None
        elif token and current is not None:
            dates.setdefault(token, current)  # newest commit first
    return dates


def newest(*dates: dt.date | None) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None
