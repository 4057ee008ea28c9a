"""Navigation stays inside a territory: the footer's previous/next links never cross into
another territory or the guide, and search results name their territory."""

from __future__ import annotations

import posixpath
from pathlib import Path

from bs4 import BeautifulSoup

from pagefind_index import indexed_pages

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
    """The index files every page under its kind and territory (shown beside each result)."""
    pages = indexed_pages(built_site)
    priorities = pages["/hainaut-douaisis-cambresis/priorites/"]
    assert priorities["meta"]["territoire"] == "Hainaut-Douaisis-Cambrésis"
    assert priorities["meta"]["type"] == "Territoire"
    assert pages["/grand-chatellerault/priorites/"]["meta"]["territoire"] == "Grand-Châtellerault"
    action = pages["/hainaut-douaisis-cambresis/plan-action/chef-de-projet/"]
    assert action["filters"]["type"] == ["Fiche action"]
    assert action["filters"]["region"] == ["Hauts-de-France"]
    assert action["filters"]["statut"] == ["En cours"]
    assert pages["/hainaut-douaisis-cambresis/lettres/14/"]["meta"]["type"] == "Lettre"
    assert "territoire" not in pages["/tableau-de-bord/"]["meta"]
    # the « ¶ » of headings is not a word of the titles
    assert "¶" not in action["meta"]["title"] and "¶" not in action["content"]


def test_only_the_site_pages_are_indexed(built_site: Path) -> None:
    """Redirections, email copies, the 404 page and the finder's lists stay out of results."""
    urls = set(indexed_pages(built_site))
    assert "/actions/" in urls and "/hainaut-douaisis-cambresis/lettres/14/" in urls
    assert not [u for u in urls if "email" in u or "envoi" in u or "404" in u]
    assert not [u for u in urls if u.startswith("/actions/") and u != "/actions/"]
    assert (built_site / "actions/region/hauts-de-france/index.html").is_file()
    # Pagefind's own interfaces are not published: only the site's script reads the index
    assert not list((built_site / "pagefind").glob("pagefind-ui*"))
