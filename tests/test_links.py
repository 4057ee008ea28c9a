"""Every internal link and anchor of the built site resolves; external links are listed."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup


def collect(site: Path) -> tuple[dict[str, set[str]], list[tuple[str, str]]]:
    """Ids of every page, and every (page, link) pair found in href/src attributes."""
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    for path in site.rglob("*.html"):
        if path.name == "envoi.html":
            continue  # the document to send: its links are those of email.html + the merge tag
        rel = path.relative_to(site).as_posix()
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        ids[rel] = {tag["id"] for tag in soup.find_all(id=True)}
        for tag in soup.find_all(["a", "link", "img", "script", "source"]):
            for attr in ("href", "src"):
                if tag.get(attr) and not (tag.name == "link" and "canonical" in tag.get("rel", [])):
                    links.append((rel, tag[attr]))
    return ids, links


def resolve(site: Path, page: str, link: str) -> tuple[str | None, str]:
    parts = urlsplit(link)
    base = "" if parts.path.startswith("/") else posixpath.dirname(page)
    path = unquote(parts.path).lstrip("/")
    target = posixpath.normpath(posixpath.join(base, path)) if parts.path else page
    target = "" if target == "." else target
    if not target or (site / target).is_dir():
        target = posixpath.join(target, "index.html")
    return (target if (site / target).is_file() else None), parts.fragment


SITE_URL = "https://territoires-industrie.example.org/"  # the example's site_url


def text_links(site: Path) -> list[tuple[str, str]]:
    """Addresses of the plain-text email versions (« texte (adresse) » or alone on a line)."""
    found = []
    for path in site.rglob("email.txt"):
        rel = path.relative_to(site).as_posix()
        for url in re.findall(r"https?://[^\s)]+", path.read_text(encoding="utf-8")):
            found.append((rel, url.rstrip(".,;")))
    return found


def test_internal_links_and_anchors_resolve(built_site: Path) -> None:
    """A crawl of every page and every email version (HTML and text): the site's own absolute
    addresses (emails use them) must resolve too."""
    ids, links = collect(built_site)
    links += text_links(built_site)
    broken, external = [], set()
    for page, link in links:
        if link.startswith(SITE_URL):
            link = "/" + link.removeprefix(SITE_URL)
        scheme = urlsplit(link).scheme
        if scheme in {"http", "https"}:
            external.add(link)
            continue
        if scheme in {"mailto", "tel", "data"}:
            continue
        target, fragment = resolve(built_site, page, link)
        if target is None:
            broken.append(f"{page} → {link} (fichier absent)")
        elif fragment and target.endswith(".html") and fragment not in ids.get(target, set()):
            broken.append(f"{page} → {link} (ancre absente)")
    assert not broken, "\n".join(broken)
    assert len(links) > 500
    # External links are listed, never fetched.
    report = built_site.parent / "liens-externes.txt"
    report.write_text("\n".join(sorted(external)) + "\n", encoding="utf-8")
    assert all("\\" not in link for _, link in links)


def test_a_reported_link_is_found_on_its_own_line() -> None:
    """A link's line in its source: where it ends as a link ends (« /t/p » written after
    « /t/p/#x » was reported on the line of the latter), and with Markdown's escapes read
    (« priorite\\_s » had no line). Control: a text that is nowhere has none."""
    from tisite.build import _line_of_link

    source = "Titre\n[a](/t/p/#x)\n[b](/t/p)\n[c](priorite\\_s/index.md)\n"
    assert _line_of_link(source, "/t/p") == 3
    assert _line_of_link(source, "/t/p/#x") == 2
    assert _line_of_link(source, "priorite_s/index.md") == 4
    assert source.find("/t/p") < source.find("[b]")  # the first match, as it was: line 2
    assert _line_of_link(source, "/ailleurs/") is None
