"""Navigation stays inside a territory: the footer's previous/next links never cross into
another territory or the guide, and search results name their territory."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from bs4 import BeautifulSoup

TERRITORIES = {"hainaut-douaisis-cambresis", "grand-chatellerault"}


def section(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return first if first in TERRITORIES or first == "contribuer" else ""


def test_footer_links_stay_in_their_territory(built_site: Path) -> None:
    crossings, links = [], 0
    for path in built_site.rglob("index.html"):
        page = path.parent.relative_to(built_site).as_posix()
        page = "" if page == "." else page
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for link in soup.select("a.md-footer__link"):
            links += 1
            target = posixpath.normpath(posixpath.join(page or ".", link["href"]))
            if section(target) != section(page):
                crossings.append(f"{page or '/'} → {target}")
    assert not crossings, crossings
    assert links > 10  # the footer links are there, within each territory


def test_search_results_name_their_territory(built_site: Path) -> None:
    index = json.loads((built_site / "search/search_index.json").read_text("utf-8"))
    titles = {d["location"]: d["title"] for d in index["docs"]}
    assert titles["hainaut-douaisis-cambresis/priorites/"] == (
        "Priorités — Hainaut-Douaisis-Cambrésis"
    )
    assert titles["grand-chatellerault/priorites/"] == "Priorités — Grand-Châtellerault"
    assert titles["hainaut-douaisis-cambresis/"] == "Hainaut-Douaisis-Cambrésis"  # not twice
    assert titles["tableau-de-bord/"] == "Tableau de bord national"
