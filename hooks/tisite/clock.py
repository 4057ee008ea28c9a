"""The build's date and time, in Paris: now, or the moment ``SOURCE_DATE_EPOCH`` gives.

``SOURCE_DATE_EPOCH`` (seconds since 1970, https://reproducible-builds.org/specs/source-date-epoch/)
is what MkDocs already reads for the sitemap's dates: with it, two builds of the same sources
give the same site whenever they run (a late action, an agenda's « au … », a feed's date, the
future-date checks), and a build that starts before midnight and ends after it has one date.
The tests set it once for their whole run. Every « today » of the build comes from here.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from tisite.content.errors import Problem

PARIS = ZoneInfo("Europe/Paris")  # the time of the site's dates and hours
VARIABLE = "SOURCE_DATE_EPOCH"


# the latest moment the site's files can carry (a gzip header's 32-bit time: the sitemap)
LATEST = 4_294_967_295  # 7 February 2106


def _given() -> int | None:
    text = os.environ.get(VARIABLE, "").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 11):
        return None
    return int(text) if int(text) <= LATEST else None


def now() -> dt.datetime:
    """The build's moment, to the second, in Paris time."""
    given = _given()
    if given is not None:
        return dt.datetime.fromtimestamp(given, PARIS)
    return dt.datetime.now(PARIS).replace(microsecond=0)


def today() -> dt.date:
    """The build's day in Paris (a build at 0:30 in Paris is dated that day, not the day
    before as the machine's UTC clock would say)."""
    return now().date()


def problem() -> Problem | None:
    """A ``SOURCE_DATE_EPOCH`` that is not a number of seconds: refused before a build (MkDocs
    would stop on it with a traceback), in French."""
    text = os.environ.get(VARIABLE)
    if text is None or _given() is not None:
        return None
    if text.strip().isascii() and text.strip().isdigit():  # a number, too large
        said = (
            f"« {text.strip()[:40]} » est au-delà du 7 février 2106, la dernière date que les "
            f"fichiers du site peuvent porter : donnez au plus {LATEST}, ou retirez la variable"
        )
    else:
        said = (
            f"« {text[:40]} » n'est pas un nombre de secondes depuis 1970 : donnez par exemple "
            f"« {int(dt.datetime.now(dt.UTC).timestamp())} » (maintenant) ou retirez la variable"
        )
    return Problem(f"variable d'environnement {VARIABLE}", None, None, said)
