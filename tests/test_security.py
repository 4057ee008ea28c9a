"""The threat model of the README (« Sécurité »), one class of attack per test, each with a
negative control that shows the test fails when the protection is removed.

- a payload in every text field of every schema (and in site.yml and mkdocs.yml) is inert in
  every output, statically and in Chromium;
- contributed HTML can't replace the theme's elements (``__config``…);
- every page carries a Content-Security-Policy;
- the build reads only the repository (links, special files);
- published images carry no metadata, and decompression bombs are refused;
- a resource from another host is refused by ``check`` with its file and line (the line where
  the address is written, even spelt with character references);
- every image is a file the build publishes (no broken image: missing file, absolute path,
  ``data:``), refused otherwise with its file and line, by ``check`` and ``build`` alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import markdown
import pytest
from bs4 import BeautifulSoup
from PIL import Image
from playwright.sync_api import Browser
from pydantic import BaseModel, ValidationError

from browser import injected_script_events, static_server, wait_until
from conftest import (
    build_site,
    built_copy,
    copy_project,
    switch_off,
    ti_inprocess,
)
from hostile import LOOKALIKE_NAME, RUN, USERINFO_LINK, live_injections, make_hostile, make_tricky
from pagefind_index import indexed_pages
from tisite.content import schema
from tisite.content.yamlio import _yaml

GC = "territoires/grand-chatellerault"
HDC = "territoires/hainaut-douaisis-cambresis"
LETTER = f"{HDC}/lettres/14.md"
# « <svg onload> » runs without loading anything: an <img src=x> is refused by check in a
# Markdown field (not a file the build publishes), so it would stop the build, not test it
PAYLOAD = f'<script>{RUN}</script><svg onload="{RUN}"></svg>"\'&'

# --- a payload in every field ---------------------------------------------------------------

MODELS: dict[str, type[BaseModel]] = {
    "site.yml": schema.Site,
    "territoire.yml": schema.Territoire,
    "priorites.yml": schema.Priorites,
    "gouvernance.yml": schema.Gouvernance,
    "agenda.yml": schema.Agenda,
}


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    elif isinstance(node, str):
        yield path


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


def _set(node: Any, path: tuple[Any, ...], value: Any) -> None:
    _get(node, path[:-1])[path[-1]] = value


def _poison(tree: Any, model: type[BaseModel], counter: list[int]) -> int:
    """Put PAYLOAD in every string of ``tree`` that ``model`` still accepts; returns how many."""
    from tisite.content.yamlio import to_plain

    changed = 0
    for path in list(_leaves(tree)):
        old = _get(tree, path)
        counter[0] += 1
        _set(tree, path, f"P{counter[0]} {PAYLOAD}")
        try:
            model.model_validate(to_plain(tree))
            changed += 1
        except ValidationError:
            _set(tree, path, old)
    return changed


def poison_everything(root: Path) -> dict[str, int]:
    """Every text field of every content file (and the site's title in mkdocs.yml)."""
    yaml = _yaml()
    counter = [0]
    counts: dict[str, int] = {}
    files = [root / "site.yml", *sorted((root / "territoires").rglob("*.yml"))]
    files += sorted((root / "territoires").rglob("*.md"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            _, header, body = text.split("---\n", 2)
            model: type[BaseModel] = schema.Action if "actions" in path.parts else schema.Lettre
            tree = yaml.load(header)
            counts[path.name] = _poison(tree, model, counter)
            out = io.StringIO()
            yaml.dump(tree, out)
            path.write_text(
                f"---\n{out.getvalue()}---\n{body}\n\nCorps {PAYLOAD}\n", encoding="utf-8"
            )
        else:
            tree = yaml.load(text)
            counts[path.name] = _poison(tree, MODELS[path.name], counter)
            out = io.StringIO()
            yaml.dump(tree, out)
            path.write_text(out.getvalue(), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "site_name: Territoires d'industrie",
            'site_name: "Site <script>window.__ti_pirate=1</script>"',
        ),
        encoding="utf-8",
    )
    return counts


@pytest.fixture(scope="module")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    root = copy_project(tmp_path_factory.mktemp("partout") / "projet")
    counts = poison_everything(root)
    return build_site(root), counts


@pytest.mark.lent
def test_the_payload_reached_every_kind_of_file(poisoned: tuple[Path, dict[str, int]]) -> None:
    _, counts = poisoned
    for name in ("site.yml", "territoire.yml", "priorites.yml", "gouvernance.yml", "14.md"):
        assert counts.get(name, 0) >= 3, counts
    assert sum(counts.values()) > 150, counts


@pytest.mark.lent
def test_every_html_output_is_inert(poisoned: tuple[Path, dict[str, int]]) -> None:
    site, _ = poisoned
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not live_injections(html), (page, live_injections(html))


@pytest.mark.lent
def test_navigation_and_footer_show_the_payload_as_text(
    poisoned: tuple[Path, dict[str, int]],
) -> None:
    site, _ = poisoned
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = soup.select_one("nav.md-nav--primary")
    assert nav is not None and "<script>" in nav.get_text(), "titre de territoire non affiché"
    footer = soup.select_one(".ti-footer")
    assert footer is not None and "<script>" in footer.get_text()
    assert soup.title is not None and "<script>" in soup.title.get_text()


@pytest.mark.lent
def test_feeds_calendars_exports_and_search_are_inert(
    poisoned: tuple[Path, dict[str, int]],
) -> None:
    site, _ = poisoned
    contents = 0
    for feed in [*site.rglob("rss.xml"), *site.rglob("atom.xml")]:
        # as written (feedparser would clean the HTML itself, as a careful reader does)
        parsed = feedparser.parse(feed.read_bytes(), sanitize_html=False)
        assert not parsed.bozo, feed
        for entry in parsed.entries:
            # what a feed reader renders as HTML holds no live tag: summary, whole letter
            if entry.summary_detail.type == "text/html":
                assert not live_injections(entry.summary), feed
            for content in entry.get("content", []):
                contents += 1
                assert not live_injections(content.value), feed
    assert contents  # the letters' whole text is in the feeds, and was looked at
    # control: a poisoned letter converted without the email's sanitiser holds a live tag
    letters = sorted((site.parent / "territoires").glob("*/lettres/*.md"))
    raw = [
        markdown.markdown(p.read_text(encoding="utf-8").split("\n---\n", 1)[-1]) for p in letters
    ]
    assert any(live_injections(html) for html in raw)
    for ics in site.rglob("*.ics"):
        calendar = icalendar.Calendar.from_ical(ics.read_bytes())
        for event in calendar.walk("VEVENT"):
            assert "\n" not in str(event["SUMMARY"])
    for path in site.rglob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                for part in re.split(r"[;\n]", cell):
                    assert not part.lstrip().startswith(("=", "+", "-", "@")) or re.match(
                        r"^-?\d", part.lstrip()
                    ), (path, cell)
    for path in site.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    # The search index holds the pages' text as it reads (« <script> » included): results
    # are written as text, see test_search_results_show_hostile_text_as_text.
    assert any(live_injections(r["content"]) for r in indexed_pages(site).values())
    for text_version in site.rglob("email.txt"):
        content = text_version.read_text(encoding="utf-8")
        assert "&lt;" not in content and "&#39;" not in content, text_version


@pytest.mark.browser
def test_no_payload_runs_in_chromium(
    browser: Browser, poisoned: tuple[Path, dict[str, int]]
) -> None:
    site, _ = poisoned
    pages = [
        "",
        "tableau-de-bord/",
        "hainaut-douaisis-cambresis/",
        "hainaut-douaisis-cambresis/carte-identite/",
        "hainaut-douaisis-cambresis/priorites/",
        "hainaut-douaisis-cambresis/gouvernance/",
        "hainaut-douaisis-cambresis/plan-action/",
        "hainaut-douaisis-cambresis/plan-action/chef-de-projet/",
        "hainaut-douaisis-cambresis/plan-action/avancement/",
        "hainaut-douaisis-cambresis/lettres/",
        "hainaut-douaisis-cambresis/lettres/14/",
        "hainaut-douaisis-cambresis/agenda/",
        "mentions-legales/",
    ]
    with static_server(site) as url:
        for page in pages:
            assert injected_script_events(browser, url + page) == [], page
        assert injected_script_events(browser, url, search="P1") == []


@pytest.mark.browser
def test_search_results_show_hostile_text_as_text(
    browser: Browser, poisoned: tuple[Path, dict[str, int]]
) -> None:
    site, _ = poisoned
    with static_server(site) as url:
        page = browser.new_page()
        page.goto(url, wait_until="networkidle")
        page.keyboard.press("s")
        page.keyboard.type("P1")
        page.wait_for_selector(".ti-recherche__resultats li", timeout=10_000)
        results = page.locator(".ti-recherche__resultats")
        assert "<script>" in results.inner_text()  # the payload, shown as text
        assert results.locator("script, img, [onerror]").count() == 0
        # control: the titles and details Pagefind returns (its excerpts are escaped) are
        # live HTML if written as HTML
        live = page.evaluate(
            """() => window.tiRecherche.load()
                .then(pf => pf.search("P1"))
                .then(s => Promise.all(s.results.map(r => r.data())))
                .then(all => all.some(d => Object.values(d.meta).some(value => {
                  const box = document.createElement("template");
                  box.innerHTML = value;
                  return box.content.querySelector("script, img") !== null;
                })))"""
        )
        assert live
        page.close()


# --- contributed HTML and the theme's machinery ------------------------------------------


def _ids(html: str) -> list[str]:
    return [str(e["id"]) for e in BeautifulSoup(html, "html.parser").find_all(id=True)]


def test_contributed_identifiers_are_namespaced(hostile_site: Path) -> None:
    html = (hostile_site / "grand-chatellerault/lettres/1/index.html").read_text(encoding="utf-8")
    ids = _ids(html)
    assert ids.count("__config") == 1 and ids.count("__search") == 1  # the theme's own
    assert "uc-__config" in ids and "uc-__search" in ids and "uc-__drawer" in ids
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(id="__config").name == "script"
    assert soup.find(attrs={"name": "getElementById"}) is None  # no clobbering of document
    article = soup.select_one("article")
    assert article is not None
    for element in article.select(".mermaid, [data-md-component]"):
        raise AssertionError(f"classe ou attribut du thème conservé : {element}")
    # in-page links of the contributor follow their target
    assert not [a for a in article.select('a[href^="#"]') if a["href"] == "#__config"]


TEMPLATE_IGNORED = [
    ("nav", {"ti-tabs"}),
    ("ul", {"ti-liees"}),
    ("p", {"ti-vers-plan"}),
    ("p", {"ti-non-renseigne"}),  # the parts of a fiche left empty
]


def foreign_index_marks(html: str) -> list[str]:
    """Pagefind attributes outside the theme's own hidden list (see main.html)."""
    soup = BeautifulSoup(html, "html.parser")
    own = soup.select_one("[data-pagefind-body] > [data-pagefind-ignore][hidden]")
    shares = soup.select('aside.ti-share[aria-labelledby="partager"]')
    share = shares[-1] if len(shares) == 1 else None
    found = []
    for element in soup.find_all(True):
        marks = [a for a in element.attrs if a.startswith("data-pagefind")]
        if marks == ["data-pagefind-body"] and element.name == "div":
            continue
        # the share box of the page's template (tisite templates: pages/_macros.html.j2)
        if marks == ["data-pagefind-ignore"] and element.name == "aside" and element is share:
            continue
        # what the page's template leaves out of the index: the territory's tabs, the titles
        # of a fiche's linked actions, its link to the plan (pages/_macros, pages/action)
        classes = set(element.get("class") or [])
        if marks == ["data-pagefind-ignore"] and (element.name, classes) in TEMPLATE_IGNORED:
            continue
        if marks and (own is None or (element is not own and own not in element.parents)):
            found.append(str(element)[:120])
    return found


def test_contributors_cannot_steer_the_search_index(hostile_site: Path) -> None:
    html = hostile_site / "grand-chatellerault/plan-action/diagnostic-attractivite/index.html"
    assert foreign_index_marks(html.read_text(encoding="utf-8")) == []
    record = indexed_pages(hostile_site)[
        "/grand-chatellerault/plan-action/diagnostic-attractivite/"
    ]
    assert record["filters"]["territoire"] == ["Grand-Châtellerault"]
    assert record["meta"]["title"] != "Titre pirate" and "caché" in record["content"]
    # control: the check finds the marks when they get through
    leaked = html.read_text(encoding="utf-8").replace(
        "<p>Paragraphe pagefind", '<p data-pagefind-meta="title">Paragraphe pagefind', 1
    )
    assert foreign_index_marks(leaked)


def test_headings_keep_working_anchors(built_site: Path) -> None:
    """Contributors' headings are namespaced; the table of contents points to them."""
    html = (built_site / "hainaut-douaisis-cambresis/lettres/14/index.html").read_text(
        encoding="utf-8"
    )
    soup = BeautifulSoup(html, "html.parser")
    ids = set(_ids(html))
    toc = [a["href"][1:] for a in soup.select("nav.md-nav--secondary a[href^='#']")]
    assert toc and all(target in ids for target in toc), toc
    assert "uc-actualite-nationale" in ids


@pytest.mark.lent
def test_negative_control_without_namespaces_the_theme_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "projet")
    make_hostile(root)
    from tisite.finish.sanitize import Sanitized

    def no_second_pass(cleaned: str, blocks: object, contributed: bool = False) -> Sanitized:
        return Sanitized(cleaned)

    switch_off(monkeypatch, "finish.sanitize", "_second_pass", no_second_pass)
    build_site(root)
    html = (root / "site/grand-chatellerault/lettres/1/index.html").read_text(encoding="utf-8")
    first = BeautifulSoup(html, "html.parser").find(id="__config")
    assert first is not None and first.name == "div"  # the attack works without the pass


@pytest.mark.browser
def test_search_still_works_on_a_page_that_tries_to_replace_it(
    browser: Browser, hostile_site: Path
) -> None:
    with static_server(hostile_site) as url:
        page = browser.new_page()
        page.goto(url + "grand-chatellerault/lettres/1/", wait_until="networkidle")
        page.keyboard.press("s")
        page.keyboard.type("chaudronnerie")
        page.wait_for_selector(".ti-recherche__resultats li", timeout=10_000)
        page.close()


# --- Content-Security-Policy --------------------------------------------------------------

_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def test_every_page_has_a_strict_policy(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        policies = _POLICY.findall(html)
        assert len(policies) == 1, page
        head = html[: html.index("</head>")]
        # the policy comes before anything that runs or loads
        where = head.index("Content-Security-Policy")
        for tag in ("<script", "<link", "<style"):
            assert head.find(tag) == -1 or where < head.find(tag), (page, tag)
        policy = policies[0]
        assert "'unsafe-inline'" not in policy.split("style-src")[0], page
        assert "object-src 'none'" in policy or "default-src 'none'" in policy, page
        assert "base-uri" in policy and "form-action" in policy, page
        for match in re.finditer(r"https?://", policy):
            assert policy[match.start() :].startswith("https://territoires-industrie"), page


# --- the build reads only the repository --------------------------------------------------


def _links(root: Path, secret: Path) -> None:
    (root / "docs" / "x.txt").symlink_to(secret)
    (root / GC / "actions" / "piege.md").symlink_to(root / ".." / "secret.md")
    (root / GC / "lettres").mkdir()
    (root / GC / "lettres" / "2.md").symlink_to(root / "hooks" / "mkdocs_hooks.py")


@pytest.mark.lent
@pytest.mark.parametrize("command", ["check", "build"])
def test_links_leaving_the_repository_are_refused(tmp_path: Path, command: str) -> None:
    root = copy_project(tmp_path / "projet")
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitre: SECRET-DU-CI\n---\nSECRET-DU-CI\n", encoding="utf-8")
    _links(root, secret)
    os.mkfifo(root / GC / "tube")
    result = ti_inprocess(command, cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    assert f"docs/x.txt: lien symbolique (vers « {secret} ») refusé" in output
    assert f"{GC}/actions/piege.md: lien symbolique" in output
    assert f"{GC}/lettres/2.md: lien symbolique (vers « {root / 'hooks'}" in output
    assert f"{GC}/tube: fichier spécial" in output
    assert not (root / "site").exists()


@pytest.mark.lent
def test_negative_control_without_the_guard_the_secret_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "projet")
    secret = tmp_path / "secret.md"  # a page: the docs/ allow-list accepts it
    secret.write_text("SECRET-DU-CI", encoding="utf-8")
    (root / "docs" / "x.md").symlink_to(secret)
    switch_off(monkeypatch, "content.loader", "unsafe_entries", lambda root: [])
    build_site(root)
    assert "SECRET-DU-CI" in (root / "site" / "x" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "link",
    [
        ("docs/programme-bis.md", "docs/programme.md"),  # inside: would publish it twice
        ("docs/apercu.md", f"{HDC}/lettres/14.md"),  # a letter (or a draft) on another page
        ("docs-lien", "docs"),  # the content folder itself
    ],
)
def test_every_link_is_refused_even_inside_the_repository(tmp_path: Path, link: Any) -> None:
    root = copy_project(tmp_path / "projet")
    name, target = link
    if name == "docs-lien":
        (root / "vrai-docs").mkdir()
        shutil.move(str(root / "docs"), str(root / "vrai-docs" / "docs"))
        (root / "docs").symlink_to(root / "vrai-docs" / "docs")
        name = "docs"
    else:
        (root / name).symlink_to(root / target)
    result = ti_inprocess("check", cwd=root)
    assert result.returncode == 1, result.stdout
    assert f"{name}: lien symbolique" in result.stderr, result.stderr


# --- images -------------------------------------------------------------------------------

GPS_MARK = "LatitudeSecrete"


def _photo_with_metadata() -> bytes:
    img = Image.new("RGB", (2400, 1600), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Fabricant-Secret"  # Make
    exif[0x013B] = "Auteur-Secret"  # Artist
    exif[0x8825] = {1: "N", 2: (50.0, 21.0, 0.0)}  # GPS IFD
    exif[0x9286] = GPS_MARK  # UserComment
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">XMP-Secret</x:xmpmeta>'
    img.save(out, "JPEG", exif=exif, comment=b"Commentaire-Secret", xmp=xmp)
    return out.getvalue()


def _png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Auteur-Secret")
    info.add_itxt("Comment", "Commentaire-Secret")
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 145, 255)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A PNG whose header announces 400 million pixels, in a few kilobytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width // 8 + 1) * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


SECRETS = [b"Fabricant-Secret", b"Auteur-Secret", b"XMP-Secret", b"Commentaire-Secret", b"GPS"]


def _with_images(root: Path) -> None:
    folder = root / HDC / "lettres" / "images"
    (folder / "photo.jpg").write_bytes(_photo_with_metadata())
    (folder / "schema.png").write_bytes(_png_with_text())
    letter = root / LETTER
    letter.write_text(
        letter.read_text(encoding="utf-8")
        + "\n\n![Une photo](images/photo.jpg)\n\n![Un schéma](images/schema.png)\n",
        encoding="utf-8",
    )


PRIVATE_COMMENT = "\n<!-- COMMENTAIRE-PRIVE : appeler M. X au 06 00 00 00 00 -->\n"
ESSAI = (
    "---\ntitle: Essai\n---\n"
    '<div id="ti-post-text" class="mermaid ti-share">y</div>\n\n'
    '<select id="f-axe" name="axe"><option value="a">a</option></select>\n\n'
    '<pre class="mermaid">graph TD; A-->B</pre>\n'
)
ZIBAC = "  - titre: Zones industrielles bas carbone (ZIBAC)\n"


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with what several tests below add to it, built once (they only read it):
    images with metadata in a letter and in docs/, a private comment, a draft, leftover
    temporary folders, a docs page that takes the page's names, a link field with Markdown
    attributes, table-of-contents traps. Returns the project (its site in site/)."""
    root = copy_project(tmp_path_factory.mktemp("variante") / "projet")
    _with_images(root)
    letter = root / LETTER
    letter.write_text(letter.read_text(encoding="utf-8") + PRIVATE_COMMENT, encoding="utf-8")
    (root / HDC / "lettres" / "16.md").write_text(
        "---\ntitre: BROUILLON-PRIVE\ndate: 2023-01-01\nresume: BROUILLON-PRIVE\n"
        "brouillon: true\n---\nBROUILLON-PRIVE\n",
        encoding="utf-8",
    )
    (root / "docs" / "photo.jpg").write_bytes(_photo_with_metadata())
    (root / ".site-999999-abcd" / "x").mkdir(parents=True)  # a build whose process is gone
    (root / ".site-k2j3h4").mkdir()  # an older build's folder
    (root / "docs" / "essai.md").write_text(ESSAI, encoding="utf-8")
    letter15 = root / HDC / "lettres" / "15.md"
    text = letter15.read_text(encoding="utf-8")
    assert ZIBAC in text
    letter15.write_text(
        text.replace(ZIBAC, ZIBAC + "    lien: https://a.fr/x){#ti-post-text}\n", 1),
        encoding="utf-8",
    )
    for rel in (LETTER, "docs/programme.md"):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8") + "\n\n" + TOC_TRAPS, encoding="utf-8")
    result = ti_inprocess("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.lent
def test_published_images_carry_no_metadata(variant: Path) -> None:
    root = variant
    originals = b"".join(p.read_bytes() for p in (root / HDC / "lettres" / "images").iterdir())
    assert all(secret in originals for secret in SECRETS[:4])  # negative control
    published = sorted((root / "site").rglob("images/*"))
    assert {p.name for p in published} >= {"photo.jpg", "schema.png"}
    for path in published:
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret not in data, (path, secret)
        for marker in (b"Exif\x00\x00", b"tEXt", b"iTXt", b"zTXt", b"http://ns.adobe.com"):
            assert marker not in data, (path, marker)
        with Image.open(path) as img:
            assert max(img.size) <= 1600
    for path in (root / ".cache").rglob("*"):
        if path.is_file():
            assert not any(s in path.read_bytes() for s in SECRETS[:4]), path


@pytest.mark.lent
@pytest.mark.parametrize("command", ["check", "build"])
def test_decompression_bomb_is_refused_with_its_line(tmp_path: Path, command: str) -> None:
    root = copy_project(tmp_path / "projet")
    (root / HDC / "lettres" / "images" / "bombe.png").write_bytes(_bomb())
    letter = root / LETTER
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text + "\n\n![Bombe](images/bombe.png)\n", encoding="utf-8")
    line = len((text + "\n\n").splitlines()) + 1
    result = ti_inprocess(command, cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert (
        f"{LETTER}:{line}: « images/bombe.png » mesure 20000 × 20000 pixels, plus que les 40 millions"
        in output
    ), output


def _animation(frames: int, size: tuple[int, int] = (1600, 1200), first: int = 0) -> bytes:
    """An animated GIF of ``frames`` pictures of ``size``, each one pixel apart: a few kilobytes
    that decode into ``frames`` × width × height pixels. ``first``: the side of a small first
    picture, the size the file then declares (a GIF's later pictures may be larger)."""
    import io

    base = Image.new("P", size, 0)
    pictures = [Image.new("P", (first, first), 0)] if first else []
    for i in range(frames):
        if first:  # whole pictures of another colour each: the file keeps them whole
            pictures.append(Image.new("P", size, 1 + i % 2))
            continue
        picture = base.copy()
        picture.putpixel((i % size[0], i // size[0] % size[1]), 1 + i % 3)
        pictures.append(picture)
    out = io.BytesIO()
    pictures[0].save(out, "GIF", save_all=True, append_images=pictures[1:], duration=50, loop=0)
    return out.getvalue()


ANIMATIONS = {
    "trop-grande": (lambda: _animation(30), "est une animation de 30 images jusqu'à 1600 × 1200"),
    # the file declares 10 × 10: the pictures' own sizes count
    "images-plus-grandes": (
        lambda: _animation(8, (3000, 3000), first=10),
        "est une animation de 9 images jusqu'à 3000 × 3000",
    ),
    "trop-d-images": (lambda: _animation(1200, (8, 8)), "est une animation de 1200 images, plus"),
    "controle": (lambda: _animation(20), None),  # 38 million pixels: published
}


@pytest.mark.parametrize("name", ANIMATIONS)
def test_an_animation_too_large_in_all_is_refused_with_its_line(tmp_path: Path, name: str) -> None:
    """Each picture of an animation is decoded and kept while it is encoded again: 3,000
    pictures of 1600 × 1600 in 69 KB would take 30 GB. Refused by their total (50 million
    pixels, each picture at its own size) and their number (1,000); control: 20 pictures of
    1600 × 1200 (38 million pixels) are published."""
    from tisite.content import images

    make, expected = ANIMATIONS[name]
    root = copy_project(tmp_path / "projet")
    gif = root / HDC / "lettres" / "images" / "anim.gif"
    gif.write_bytes(make())
    letter = root / LETTER
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text + "\n\n![Animation](images/anim.gif)\n", encoding="utf-8")
    line = len((text + "\n\n").splitlines()) + 1
    errors = _content_errors(root)
    refused = [e for e in errors if e.startswith(f"{LETTER}:{line}: « images/anim.gif » ")]
    if expected is None:
        assert refused == [] and images.problem(gif) is None
        assert len(images.clean(gif.read_bytes())) > 0
    else:
        assert len(refused) == 1 and expected in refused[0], errors


@pytest.mark.parametrize("where", ["lettre", "champ"])
def test_a_paragraph_crowded_with_brackets_is_refused_before_it_is_read(
    tmp_path: Path, where: str
) -> None:
    """Python-Markdown's search for links takes a time that grows with the square of the
    opening brackets of a paragraph (12,000 « ![ »: 143 s per conversion). More than 1,000 in
    one paragraph are refused, in French with the line, before any conversion; controls: 900,
    and 1,500 in two paragraphs, are read."""
    from tisite.content.remote import CROWDED

    root = copy_project(tmp_path / "projet")
    crowded, fine = "![" * 1200, "[x] " * 900 + "\n\n" + "[x] " * 600

    def errors_with(text: str) -> list[str]:
        if where == "lettre":
            path, line = root / LETTER, None
            original = path.read_text(encoding="utf-8")
            path.write_text(original + "\n\n" + text + "\n", encoding="utf-8")
            line = len((original + "\n\n").splitlines()) + 1
            at = f"{LETTER}:{line}: "
        else:
            path = root / GC / "priorites.yml"
            original = path.read_text(encoding="utf-8")
            old = "  Comme les autres territoires pilotes,"
            assert old in original
            path.write_text(original.replace(old, "  " + text.replace("\n\n", " ") + old), "utf-8")
            at = f"{GC}/priorites.yml:2: champ « ambition » : "
        try:
            return [e for e in _content_errors(root) if e.startswith(at + CROWDED)]
        finally:
            path.write_text(original, encoding="utf-8")

    assert len(errors_with(crowded)) == 1
    assert errors_with("[x] " * 900) == []
    if where == "lettre":
        assert errors_with(fine) == []
        # a line of no-break spaces is no blank line for Markdown: one paragraph of 1,800
        assert len(errors_with("[x] " * 900 + "\n\u00a0\n" + "[x] " * 900)) == 1
        # paragraphs joined again by one HTML block, or too many in one text
        many = "\n\n".join(["[x] " * 900] * 6)  # reported on the text's first line
        letter = root / LETTER
        original = letter.read_text(encoding="utf-8")
        letter.write_text(original + "\n\n" + many + "\n", encoding="utf-8")
        found = [e for e in _content_errors(root) if e.startswith(LETTER) and CROWDED in e]
        letter.write_text(original, encoding="utf-8")
        assert len(found) == 1, found


# --- resources from another host ----------------------------------------------------------

REMOTE = {
    "image": ("![p](https://tracker.example/p.gif)", "image chargée depuis un autre site"),
    "protocole-relatif": ("![p](//tracker.example/p.gif)", "image chargée"),
    "barre-oblique-inverse": ('<img src="/\\tracker.example/p.gif" alt="p">', "image chargée"),
    # reported on the line of the definition, where the address is
    "reference": ("[c]: https://tracker.example/c.png\n\n![c][c]", "image chargée"),
    "srcset": ('<img src="a.png" srcset="https://t.example/a.png 2x" alt="a">', "image"),
    "video": ('<video poster="https://t.example/p.jpg"></video>', "vidéo chargée"),
    "iframe": ('<iframe src="https://t.example/"></iframe>', "cadre (iframe) chargé depuis"),
    "style": ('<p style="background: url(https://t.example/p.gif)">x</p>', "style chargé depuis"),
    # the message agrees with its kind (« script chargée … remplacez-la » before)
    "script": (
        '<script src="https://t.example/s.js"></script>',
        "script chargé depuis un autre site (« https://t.example/s.js ») : le site ne fait rien "
        "charger d'ailleurs à ses visiteurs ; remplacez-le par un lien [texte](adresse) vers la "
        "page qui le montre",
    ),
    # an SVG shape's paint is CSS too: « url(…) » fetches a paint server
    "svg-fill": (
        '<svg width="9" height="9"><rect width="9" height="9" fill="url(https://t.example/p.svg#g)"'
        "/></svg>",
        "style chargé depuis",
    ),
    "svg-stroke": (
        '<svg width="9" height="9"><path d="M0 0L9 9" stroke="url(//t.example/s.svg#p)"/></svg>',
        "style chargé depuis",
    ),
}


@pytest.mark.lent
@pytest.mark.parametrize("name", REMOTE)
def test_remote_resources_are_refused_by_check(tmp_path: Path, name: str) -> None:
    root = copy_project(tmp_path / "projet")
    letter = root / LETTER
    text = letter.read_text(encoding="utf-8")
    markdown, expected = REMOTE[name]
    letter.write_text(text + "\n\nAvant.\n\n" + markdown + "\n", encoding="utf-8")
    line = len((text + "\n\nAvant.\n\n").splitlines()) + 1
    result = ti_inprocess("check", cwd=root)
    assert result.returncode == 1, result.stdout
    assert f"{LETTER}:{line}: {expected}" in result.stderr, result.stderr
    assert (
        "placez" in result.stderr
        or "remplacez" in result.stderr
        or "enregistrez" in (result.stderr)
    )


def test_remote_image_in_a_yaml_markdown_field(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "projet")
    path = root / GC / "priorites.yml"
    text = path.read_text(encoding="utf-8")
    old = "  Comme les autres territoires pilotes,"
    assert old in text
    path.write_text(text.replace(old, "  ![carte](https://t.example/c.png) " + old.strip()))
    result = ti_inprocess("check", cwd=root)
    assert result.returncode == 1
    expected = f"{GC}/priorites.yml:2: champ « ambition » : image chargée depuis un autre site"
    assert expected in result.stderr, result.stderr


def test_the_sanitiser_never_keeps_a_remote_image() -> None:
    """Defence in depth, below the check: the address is dropped from the page."""
    from tisite.finish.sanitize import sanitize_html

    for src in ("https://t.example/p.gif", "//t.example/p.gif", "/\\t.example/p.gif", "/\t/t.ex"):
        html = sanitize_html(f'<p><img src="{src}" alt="p"></p>')
        assert "t.ex" not in html, html
    assert 'src="images/a.png"' in sanitize_html('<img src="images/a.png" alt="a">')
    # an image that is not a file (refused by check) loses its address too
    assert "data:" not in sanitize_html('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="d">')


def test_the_sanitiser_keeps_only_colours_as_an_svg_paint() -> None:
    """Defence in depth: a contributed shape's fill or stroke is a colour, never a paint server
    (« url(…) », spelt with CSS escapes too); control: colours are kept."""
    from tisite.finish.sanitize import sanitize

    for paint in ("url(https://t.example/p.svg#g)", "url(//t.example/s)", "\\75rl(https://t.ex)"):
        for attribute in ("fill", "stroke"):
            svg = f'<svg width="9" height="9"><path d="M0 0L9 9" {attribute}="{paint}"/></svg>'
            html = sanitize(svg, contributed=True).html
            assert "t.ex" not in html and "<path" in html, html
    for colour in ("#c00", "red", "none", "currentColor", "rgb(0, 0, 145)"):
        svg = f'<svg width="9" height="9"><rect width="9" height="9" fill="{colour}"/></svg>'
        assert f'fill="{colour}"' in sanitize(svg, contributed=True).html


def _content_errors(root: Path) -> list[str]:
    """The errors of the content at ``root``, as ``ti check`` prints them (in this process)."""
    from tisite.content.errors import ContentError
    from tisite.content.loader import load_site

    try:
        load_site(root)
    except ContentError as exc:
        return [p.format() for p in exc.errors]
    return []


def _append(root: Path, rel: str, markdown: str) -> int:
    """Add ``markdown`` at the end of the file ``rel``; the line where it starts."""
    path = root / rel
    text = path.read_text(encoding="utf-8") + "\n\nAvant.\n\n"
    path.write_text(text + markdown + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


ENCODED = '<img alt="p" src="&#104;ttps://evil.example/x.png">'
SPREAD = '<img\n  alt="p"\n  class="large"\n  src="&#x68;ttps://evil.example/y.png">'


def test_an_entity_encoded_remote_image_is_reported_at_its_own_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The address is found where it is written, spelt with character references, and not
    at the first line of the body; on a tag spread over lines, at the line of ``src``."""
    root = copy_project(tmp_path / "projet")
    first = _append(root, LETTER, ENCODED)
    second = _append(root, LETTER, SPREAD) + 3
    expected = [
        f"{LETTER}:{first}: image chargée depuis un autre site (« https://evil.example/x.png »)",
        f"{LETTER}:{second}: image chargée depuis un autre site (« https://evil.example/y.png »)",
    ]
    errors = _content_errors(root)
    for line in expected:
        assert any(e.startswith(line) for e in errors), (line, errors)
    # negative control: the former search, for the address as the browser reads it, finds
    # neither and falls back on the first line of the body
    from tisite.content import remote
    from tisite.generate.textutil import line_of

    monkeypatch.setattr(remote, "line_in", lambda t, ref, f: line_of(t, ref.url, f) or f)
    errors = _content_errors(root)
    assert not any(e.startswith(line) for line in expected for e in errors), errors


# Images that would show as broken: each refused with its file and line, and what to write.
UNPUBLISHED = {
    "html-absente": (
        LETTER,
        '<img src="images/absente.png" alt="Plan">',
        "image introuvable : « images/absente.png » (placez le fichier dans le dossier lettres/",
    ),
    "chemin-absolu": (LETTER, "![c](/etc/passwd)", "image « /etc/passwd » : chemin absolu"),
    "html-hors-du-dossier": (
        LETTER,
        '<img src="../territoire.yml" alt="t">',
        "image « ../territoire.yml » hors du dossier lettres/",
    ),
    # a file of lettres/, but the browser reads the path from the letter's page, a folder below
    "remonte-et-revient": (
        LETTER,
        "![x](../lettres/images/couverture-bilan-relance.jpg)",
        "image « ../lettres/images/couverture-bilan-relance.jpg » hors du dossier lettres/",
    ),
    "data": (
        LETTER,
        "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "image qui n'est pas un fichier (« data:image/svg+xml;base64,",
    ),
    "src-vide": (LETTER, '<img src="" alt="vide">', "image sans adresse (src vide)"),
    "action": (
        f"{GC}/actions/diagnostic-attractivite.md",
        "![Plan](images/plan.png)",
        "image « images/plan.png » : aucune image n'est publiée avec ce texte",
    ),
    # raw HTML is read from the page's address (/programme/), Markdown from its file
    "docs-html": (
        "docs/programme.md",
        '<img src="images/editeur-lettre.png" alt="x">',
        "image introuvable : « images/editeur-lettre.png », cherchée en "
        "docs/programme/images/editeur-lettre.png (une balise <img> se lit depuis l'adresse",
    ),
    "docs-markdown": (
        "docs/contribuer/index.md",
        "![Capture](captures/absente.png)",
        "image introuvable : « captures/absente.png », cherchée en "
        "docs/contribuer/captures/absente.png : placez",
    ),
}


@pytest.mark.parametrize("name", UNPUBLISHED)
def test_every_image_is_a_file_the_build_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    root = copy_project(tmp_path / "projet")
    rel, markdown, expected = UNPUBLISHED[name]
    line = _append(root, rel, markdown)
    errors = _content_errors(root)
    assert any(e.startswith(f"{rel}:{line}: {expected}") for e in errors), errors
    # negative control: without the check, the image goes through (the page shows it broken)
    from tisite.content import remote

    monkeypatch.setattr(remote, "_not_published", lambda url, place: None)
    assert not any(e.startswith(f"{rel}:{line}: {expected}") for e in _content_errors(root))


def test_an_image_name_must_match_capitals_included(tmp_path: Path) -> None:
    """A Mac or Windows disk opens « Photo.JPG » for « photo.jpg »; the web server does not."""
    from tisite.content.images import named_as_written

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "Photo.JPG").write_bytes(b"x")
    assert named_as_written(tmp_path, "images/Photo.JPG")
    assert named_as_written(tmp_path, "./images/../images/Photo.JPG")
    assert not named_as_written(tmp_path, "images/photo.jpg")
    assert not named_as_written(tmp_path, "Images/Photo.JPG")


def test_a_docs_image_in_html_on_an_index_page_and_in_markdown_is_accepted(tmp_path: Path) -> None:
    """Negative control of the docs/ cases above: the same images, where they are published."""
    root = copy_project(tmp_path / "projet")
    _append(root, "docs/contribuer/index.md", '<img src="images/editeur-lettre.png" alt="x">')
    _append(root, "docs/programme.md", "![x](contribuer/images/editeur-lettre.png)")
    assert _content_errors(root) == []


def test_an_image_written_with_backslash_escapes_is_reported_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Markdown reads « images\\\\a.png » as « images\\a.png » and « a\\_b » as « a_b »: the
    message names the line where the author wrote them (it named the text's first line)."""
    from tisite.content import remote

    root = copy_project(tmp_path / "projet")
    first = _append(root, LETTER, "![x](images\\\\absente.png)")
    second = _append(root, LETTER, "Fin ![y](images/a\\_b.png)")
    errors = _content_errors(root)
    assert f"{LETTER}:{first}: chemin d'image « images\\absente.png » écrit avec" in errors[0]
    assert f"{LETTER}:{second}: image introuvable : « images/a_b.png »" in errors[1], errors
    # control: the address found only as Markdown read it, as before
    monkeypatch.setattr(remote, "_PUNCTUATION", frozenset())
    assert f"{LETTER}:{first}: " not in _content_errors(root)[0]


def test_check_and_build_refuse_a_broken_image_and_keep_the_previous_site(
    tmp_path: Path, built_site: Path
) -> None:
    """The command line: both refuse with the same lines, exit 1, and the site stays whole."""
    root = built_copy(built_site, tmp_path / "projet")  # the example, built
    assert (root / "site" / "index.html").is_file()
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    first = _append(root, LETTER, '<img src="images/absente.png" alt="Plan">')
    second = _append(root, LETTER, "![c](/etc/passwd)")
    expected = [
        f"{LETTER}:{first}: image introuvable : « images/absente.png »",
        f"{LETTER}:{second}: image « /etc/passwd » : chemin absolu",
    ]
    for command in ("check", "build"):
        result = ti_inprocess(command, cwd=root)
        output = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in output, output
        for line in expected:
            assert line in output, (command, output)
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


# --- nothing private is published ------------------------------------------------------------


@pytest.mark.lent
def test_drafts_comments_and_metadata_never_reach_site_or_cache(variant: Path) -> None:
    root, letter = variant, variant / LETTER
    assert (root / HDC / "lettres" / "16.md").read_text(encoding="utf-8").count("BROUILLON") == 3
    markers = [b"COMMENTAIRE-PRIVE", b"BROUILLON-PRIVE", *SECRETS[:4]]
    assert markers[0] in letter.read_bytes()  # negative control: the marker is in the source
    for folder in (root / "site", root / ".cache"):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                found = [m for m in markers if m in data]
                assert not found, (path, found)


SECRET = "SECRET-MARKER"
SECRET_COMMENT = f"<!-- {SECRET} : appeler M. X au 06 00 00 00 00 -->"


def _is_markdown(annotation: Any) -> bool:
    """A field the schema declares as Markdown (schema.MarkdownText)."""
    import typing

    for meta in getattr(annotation, "__metadata__", ()):
        if getattr(meta, "func", None) is schema._no_control_markdown:
            return True
    return any(_is_markdown(arg) for arg in typing.get_args(annotation))


def _comment_markdown(node: Any, model: Any) -> int:
    """Append SECRET_COMMENT to every Markdown field of ``node`` (validated as ``model``)."""
    from tisite.content.validation import _unwrap

    count = 0
    if isinstance(node, list):
        return sum(_comment_markdown(item, model) for item in node)
    if not isinstance(node, dict) or not isinstance(model, type):
        return 0
    for key, value in node.items():
        info = model.model_fields.get(key)
        if info is None:
            continue
        if isinstance(value, str) and _is_markdown(info.annotation):
            node[key] = f"{value}\n\n{SECRET_COMMENT}\n\nSuite du texte."
            count += 1
        else:
            count += _comment_markdown(value, _unwrap(info.annotation))
    return count


def comment_every_markdown(root: Path) -> int:
    """A private comment in every Markdown field and body of the project at ``root`` (its
    hand-written pages included); returns how many."""
    yaml = _yaml()
    count = 0
    files = sorted((root / "territoires").rglob("*.yml")) + sorted(root.rglob("*.md"))
    for path in files:
        if "site" in path.relative_to(root).parts[:1] or path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".yml":
            tree = yaml.load(text)
            count += _comment_markdown(tree, MODELS[path.name])
            out = io.StringIO()
            yaml.dump(tree, out)
            path.write_text(out.getvalue(), encoding="utf-8")
            continue
        if text.startswith("---\n"):
            _, header, body = text.split("---\n", 2)
            if "territoires" in path.parts:
                model = schema.Action if "actions" in path.parts else schema.Lettre
                tree = yaml.load(header)
                count += _comment_markdown(tree, model)
                out = io.StringIO()
                yaml.dump(tree, out)
                header = out.getvalue()
            text = f"---\n{header}---\n{body}"
        path.write_text(f"{text}\n\n{SECRET_COMMENT}\n\nFin du texte.\n", encoding="utf-8")
        count += 1
    return count


@pytest.mark.lent
def test_no_comment_of_any_markdown_reaches_any_output(tmp_path: Path) -> None:
    """A comment in a Markdown field or body is private: no file of the built site (pages,
    open data, feeds, calendars, emails, search index, finder data) carries it."""
    root = copy_project(tmp_path / "projet")
    count = comment_every_markdown(root)
    assert count >= 30, count  # every action, letter and docs page, and the YAML fields
    for name in ("presentation", "ambition", "diagnostic", "binomes_description"):
        assert any(
            SECRET in p.read_text(encoding="utf-8") and f"{name}:" in p.read_text(encoding="utf-8")
            for p in (root / "territoires").rglob("*.*")
            if p.suffix in (".yml", ".md")
        ), name
    site = build_site(root)
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 100
    leaks = [p.relative_to(site).as_posix() for p in files if SECRET.encode() in p.read_bytes()]
    assert leaks == []
    # the text around the comment is published: the fields were read, only the comment left
    data = json.loads(
        (site / "hainaut-douaisis-cambresis/plan-action/actions.json").read_text(encoding="utf-8")
    )
    assert all("Suite du texte." in (a["diagnostic"] or "Suite du texte.") for a in data["actions"])
    assert all("Fin du texte." in a["description"] for a in data["actions"])


def test_negative_control_raw_markdown_in_open_data_leaks_the_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the conversion to text, actions.json carries the source and its comment."""
    from tisite.content.loader import load_site
    from tisite.generate import actionplan

    root = copy_project(tmp_path / "projet")
    comment_every_markdown(root)
    territory = next(t for t in load_site(root).territories if t.slug in HDC)
    licence = {"nom": "Licence", "url": "https://exemple.fr/"}
    assert SECRET not in actionplan.actions_json(territory, None, licence, dt.date(2026, 1, 1))
    monkeypatch.setattr(actionplan, "markdown_text", lambda text: text)
    assert SECRET in actionplan.actions_json(territory, None, licence, dt.date(2026, 1, 1))


# --- text that misleads the eye ----------------------------------------------------------------


def test_misleading_text_is_refused_with_its_file_line_and_field(tmp_path: Path) -> None:
    from tisite.content.errors import ContentError
    from tisite.content.loader import load_site

    root = copy_project(tmp_path / "projet")
    make_tricky(root)
    with pytest.raises(ContentError) as refused:
        load_site(root)
    report = str(refused.value)
    assert "diagnostic-attractivite.md:3: champ « titre » : U+202E" in report
    assert "hainaut-douaisis-cambresis/territoire.yml:4: champ « nom » : le nom mêle" in report
    assert (
        "hainaut-douaisis-cambresis/territoire.yml:131: champ « diffusion.inscription » : "
        "l'adresse contient « brevo.com@ »" in report
    )


@pytest.mark.lent
def test_negative_control_without_the_checks_misleading_text_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the checks switched off, the same content builds: the reversed title reaches
    page after page, the look-alike name is published beside the real one, and the sign-up
    link leads to evil.example."""
    from tisite.content import validation

    for module in (schema, validation):
        monkeypatch.setattr(module, "invisible_character", lambda *_, **__: None)
    monkeypatch.setattr(schema, "mixed_scripts", lambda _: None)
    monkeypatch.setattr(schema, "confusable_key", lambda name: name)
    monkeypatch.setattr(schema, "url_problem", lambda _: None)
    root = copy_project(tmp_path / "projet")
    make_tricky(root)
    site = build_site(root)
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix != ".png"]
    reversed_title = [p for p in files if "\u202e".encode() in p.read_bytes()]
    assert len(reversed_title) >= 10, reversed_title
    assert any(LOOKALIKE_NAME.encode() in p.read_bytes() for p in files)
    assert any(USERINFO_LINK.encode() in p.read_bytes() for p in site.rglob("*.html"))


# --- smaller breaches ---------------------------------------------------------------------------


def test_joined_csv_values_are_guarded_one_by_one() -> None:
    from tisite.generate.actionplan import to_csv

    value = 'CCI; =HYPERLINK("https://pirate.example/","x"), @SUM(1)'
    assert not value.startswith(("=", "+", "-", "@"))  # negative control: the old guard passed
    text = to_csv([{"partenaires": value}], ["partenaires"])
    cell = next(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))["partenaires"]
    for part in re.split(r"[;,]", cell):
        assert not part.strip().startswith(("=", "+", "-", "@")), cell


def test_github_annotations_cannot_inject_workflow_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from tisite.cli.commands import report_problems
    from tisite.content.errors import Problem

    name = "territoires/x/a.md\n::add-mask::secret,title=x:y"
    report_problems(
        [Problem(name, 3, "titre", "ligne 1\n::set-env name=X::1 100%")],
        argparse.Namespace(format="github", rapport_gitlab=None),
    )
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("::error "), out
    assert "\n::" not in out.rstrip("\n")
    assert "file=territoires/x/a.md%0A%3A%3Aadd-mask%3A%3Asecret%2Ctitle=x%3Ay,line=3" in out
    assert "100%25" in out


def test_unwritable_output_gets_a_french_message(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "projet")
    blocker = tmp_path / "fichier"
    blocker.write_text("x", encoding="utf-8")
    result = ti_inprocess("build", "--site-dir", str(blocker / "site"), cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert f"Impossible d'écrire le site dans {blocker}" in output, output


def test_disk_full_is_explained() -> None:
    from tisite.adapters.buildlog import crash_message

    trace = "Traceback (most recent call last):\n  …\nOSError: [Errno 28] No space left on device: '/s/x'"
    assert crash_message(trace) == (
        "La construction a échoué : plus de place sur le disque (/s/x) : libérez de l'espace, "
        "puis relancez."
    )


@pytest.mark.lent
def test_leftover_temporary_folders_are_removed(variant: Path) -> None:
    root = variant
    stale = root / ".site-999999-abcd"  # a build whose process is gone
    old_style = root / ".site-k2j3h4"
    assert not stale.exists() and not old_style.exists()
    assert not list(root.glob(".site-*"))


@pytest.mark.browser
def test_no_page_of_the_site_breaks_its_policy_or_calls_another_host(
    browser: Browser, built_site: Path, base_url: str
) -> None:
    """Every HTML file of the example site (pages, email copies, 404), with a search."""
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    assert len(pages) > 30
    blocked: list[str] = []
    outside: list[str] = []
    current = [""]  # the page being read, named in what the handlers record
    page = browser.new_page()
    page.on(
        "console",
        lambda m: (
            blocked.append(f"{current[0]} : {m.text}")
            if "Content Security Policy" in m.text
            else None
        ),
    )
    page.on(
        "request",
        lambda r: (
            outside.append(f"{current[0]} : {r.url}")
            if not r.url.startswith((base_url, "data:", "blob:"))
            and not r.url.startswith("https://territoires-industrie.example.org/")
            else None
        ),
    )
    for path in pages:
        current[0] = path
        # every request a page makes without a visitor is made before « load » (the search
        # index is fetched when the visitor types, below): no quiet half-second per page
        page.goto(base_url + path, wait_until="load")
        if path == "index.html":
            page.keyboard.press("s")
            page.keyboard.type("industrie")
            page.wait_for_selector(".ti-recherche__resultats li", timeout=10_000)
    assert not blocked, blocked
    assert not outside, outside
    # Control: one of these pages with an inline script and an image from another host, read
    # the same way, is caught (the policy blocks both, the console says so before « load »)
    html = (built_site / "index.html").read_text(encoding="utf-8")
    hostile = html.replace(
        "</body>", '<script>document.title="x"</script><img src="https://autre.example/i.png">'
    )
    page.route(
        base_url + "controle.html",
        lambda route: route.fulfill(body=hostile, content_type="text/html"),
    )
    current[0] = "controle.html"
    page.goto(base_url + "controle.html", wait_until="load")
    page.close()
    assert any("inline" in b for b in blocked) and any("autre.example" in b for b in blocked), (
        blocked
    )


@pytest.mark.browser
def test_table_alignment_survives_the_policy(browser: Browser, base_url: str) -> None:
    """Inline styles are forbidden by the policy: Markdown's column alignment is a class."""
    page = browser.new_page()
    page.goto(base_url + "hainaut-douaisis-cambresis/carte-identite/", wait_until="networkidle")
    aligned = page.evaluate(
        "[...document.querySelectorAll('td.ti-align-right')].map(e => getComputedStyle(e).textAlign)"
    )
    inline = page.evaluate("document.querySelectorAll('article [style]').length")
    page.close()
    assert aligned and set(aligned) == {"right"}, aligned
    assert inline == 0


# --- found by the outside review: docs/, swallowed markers, email pixels, deep HTML ----------


def test_docs_front_matter_holds_only_the_keys_the_site_uses(tmp_path: Path) -> None:
    """Material prints « subtitle » and « status » raw in the navigation of every page."""
    root = copy_project(tmp_path / "projet")
    page = root / "docs" / "programme.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace(
            "---\ntitle:", '---\nsubtitle: "<script src=/assets/js/x.js></script>"\ntitle:', 1
        ),
        encoding="utf-8",
    )
    result = ti_inprocess("check", cwd=root)
    assert result.returncode == 1
    assert "docs/programme.md:2: champ « subtitle » : champ inconnu" in result.stderr, result.stderr


@pytest.mark.lent
@pytest.mark.parametrize("name", ["x.js", "evil.html", "evil.svg", "sous/page.htm", "a.css"])
def test_docs_publishes_only_pages_and_raster_images(tmp_path: Path, name: str) -> None:
    root = copy_project(tmp_path / "projet")
    path = root / "docs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<script>{RUN}</script>", encoding="utf-8")
    for command in ("check", "build"):
        result = ti_inprocess(command, cwd=root)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert f"docs/{name}: fichier refusé dans docs/" in output, output


def test_docs_share_image_must_be_next_to_the_page(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "projet")
    page = root / "docs" / "programme.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text.replace("---\ntitle:", "---\nimage: ../mkdocs.yml\nimage_alt: x\ntitle:", 1),
        encoding="utf-8",
    )
    result = ti_inprocess("check", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "docs/programme.md:2: champ « image » : le chemin ne peut pas remonter" in (
        result.stderr
    ), result.stderr


@pytest.mark.lent
def test_docs_images_are_published_without_metadata(variant: Path) -> None:
    root = variant
    assert all(s in (root / "docs" / "photo.jpg").read_bytes() for s in SECRETS[:3])
    data = (root / "site" / "photo.jpg").read_bytes()
    assert not [s for s in SECRETS if s in data]


def test_animated_gif_loses_its_comment(tmp_path: Path) -> None:
    from tisite.content.images import clean

    frames = [Image.new("RGB", (40, 40), color) for color in ((200, 0, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], comment=b"Auteur-Secret", loop=0
    )
    assert b"Auteur-Secret" in out.getvalue()  # negative control
    cleaned = clean(out.getvalue())
    assert b"Auteur-Secret" not in cleaned
    with Image.open(io.BytesIO(cleaned)) as img:
        assert img.n_frames == 2


def _two_blocks(
    root: Path, description: str, diagnostic: str, name: str = "chef-de-projet"
) -> None:
    path = root / HDC / "actions" / f"{name}.md"
    text = (root / HDC / "actions" / "chef-de-projet.md").read_text(encoding="utf-8")
    head, _, _ = text.partition("\n---\n")
    head = re.sub(r"\ndiagnostic: >-\n(?:  .*\n)+", "\n", head + "\n").rstrip("\n")
    path.write_text(
        f"{head}\ndiagnostic: {json.dumps(diagnostic)}\n---\n{description}\n", encoding="utf-8"
    )


OPENERS = ["<!-- ouvert", "<textarea>", "<script>", "<style>", "<xmp>"]


def _leave_open(root: Path, opener: str, name: str = "chef-de-projet") -> str:
    """A contributor leaves a tag open in one field of a fiche action (``name``, a copy of
    the chef de projet's) and, in the next field, writes what would close it, then elements
    that take the page's own names (the share box's textarea, a diagram hook). Returns the
    address of its page in the site."""
    import hashlib

    description = f"Texte de description.\n\n{opener}"
    nonce = hashlib.sha256(description.encode()).hexdigest()[:24]
    closer = {"<!-- ouvert": "", "<textarea>": "</textarea>", "<script>": "</script>"}
    closer |= {"<style>": "</style>", "<xmp>": "</xmp>"}
    diagnostic = (
        f"{closer[opener]}<!--/ti-uc:{nonce}-->\n\n"
        '<textarea id="ti-post-text">Pirate</textarea>\n\n<pre class="mermaid">graph</pre>'
    )
    _two_blocks(root, description, diagnostic, name)
    return f"hainaut-douaisis-cambresis/plan-action/{name}/index.html"


def _left_open(root: Path, opener: str) -> str:
    """The built page of _leave_open."""
    page = _leave_open(root, opener)
    return (build_site(root) / page).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def left_open(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], int]:
    """Every opener of OPENERS in a fiche action of its own, built once: the page of each, and
    the exit code of `ti check` on the same content."""
    root = copy_project(tmp_path_factory.mktemp("ouvert") / "projet")
    pages = {opener: _leave_open(root, opener, f"ouvert-{i}") for i, opener in enumerate(OPENERS)}
    site = build_site(root)
    html = {opener: (site / page).read_text(encoding="utf-8") for opener, page in pages.items()}
    return html, ti_inprocess("check", cwd=root).returncode


@pytest.mark.lent
@pytest.mark.parametrize("opener", OPENERS)
def test_a_tag_left_open_stays_in_its_field(
    left_open: tuple[dict[str, str], int], opener: str
) -> None:
    """Each contributor field of an HTML page is converted and sanitised on its own: a tag left
    open ends with its field, and nothing in the next field takes the page's own names."""
    pages, checked = left_open
    page = BeautifulSoup(pages[opener], "html.parser")
    article = page.select_one("article")
    assert article is not None
    # the page's own textarea (share box) only; the contributor's is namespaced
    named = [t.get("id") for t in article.select("textarea") if t.get("id")]
    assert named == ["uc-ti-post-text", "ti-post-text"]
    assert article.select("aside.ti-share #ti-post-text")
    assert not article.select(".mermaid") and not live_injections(str(article))
    # the rest of the page is there: the field did not swallow it
    assert "Budget prévisionnel" in article.get_text()
    assert checked == 0  # check and build agree


@pytest.mark.lent
def test_a_field_left_open_has_a_negative_control(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: without the per-field sanitiser, the contributor's elements keep the page's
    names."""
    from tisite.finish.sanitize import Sanitized
    from tisite.generate import render

    monkeypatch.setattr(render, "sanitize", lambda html, contributed=False: Sanitized(html))
    page = BeautifulSoup(_left_open(copy_project(tmp_path / "projet"), "<xmp>"), "html.parser")
    assert len(page.select("#ti-post-text")) == 2 or page.select(".mermaid")


def test_the_block_sequence_check_has_a_negative_control() -> None:
    """Without the expected sequence, the forged marker would close the block: the ids after
    it would keep their names."""
    from tisite.finish.sanitize import _second_pass, block_nonce

    nonce = block_nonce("x")
    html = (
        f"<!--ti-uc:{nonce}--><p>a</p><!--/ti-uc:{nonce}-->"
        '<textarea id="ti-post-text">Pirate</textarea>'
    )
    trusting = _second_pass(html, (nonce,))  # as the page said: one block, then the template
    assert 'id="ti-post-text"' in trusting.html and trusting.intact
    checked = _second_pass(html, ())  # the page has no contributor block: forged markers
    assert not checked.intact and 'id="uc-ti-post-text"' in checked.html


def test_attribute_names_nobody_reads_the_same_way_are_dropped() -> None:
    from tisite.finish.sanitize import sanitize

    out = sanitize('<pre id="__config" hidden data-a"b="1">{}</pre>', ())
    assert 'id="uc-__config"' in out.html and "data-a" not in out.html


def test_email_version_never_loads_a_remote_image(tmp_path: Path) -> None:
    """``{ src=… }`` shows a local image on the page and the remote one in the email."""
    root = copy_project(tmp_path / "projet")
    letter = root / LETTER
    text = letter.read_text(encoding="utf-8")
    pixel = '![logo](https://t.example/pixel.png){ src="images/couverture-bilan-relance.jpg" }'
    letter.write_text(text + "\n\n" + pixel + "\n", encoding="utf-8")
    result = ti_inprocess("check", cwd=root)
    assert result.returncode == 1
    assert "image chargée depuis un autre site (« https://t.example/pixel.png »)" in (
        result.stderr
    ), result.stderr
    from tisite.publish.publishing import _body_html

    site = "https://territoires-industrie.example.org/"
    html = _body_html(pixel, f"{site}l/14/", site)
    assert "t.example" not in html, html


def test_absurdly_nested_html_gets_a_french_message(tmp_path: Path) -> None:
    """500 blocks « <div markdown> » one in another: Python-Markdown's recursion is caught,
    with a French message."""
    from tisite.content import remote

    root = copy_project(tmp_path / "projet")
    letter = root / LETTER
    deep = '<div markdown="1">\n' * 500 + "x\n" + "</div>\n" * 500
    letter.write_text(letter.read_text(encoding="utf-8") + "\n\n" + deep, encoding="utf-8")
    result = ti_inprocess("check", cwd=root)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output[-2000:]
    assert f"{LETTER}:" in output and remote.TOO_DEEP_TEXT in output


def _admonitions(n: int) -> str:
    return "\n\n".join("    " * i + '!!! note "x"' for i in range(n)) + "\n\n" + "    " * n + "z"


NESTED = {  # name: (text nested n times, n refused, n read, line of the error from the text's)
    "encadres": (_admonitions, 400, 50, 2 * 51),
    "listes": (lambda n: "\n".join("    " * i + "- a" for i in range(n)), 300, 50, 50),
    "listes-sur-une-ligne": (lambda n: "- " * n + "z", 700, 50, 0),
    "citations-en-listes": (
        lambda n: "".join("    " * i + "- > a\n" for i in range(n)),
        300,
        48,
        49,
    ),
    "tabulations": (lambda n: "\n".join("\t" * i + "- a" for i in range(n)), 300, 50, 50),
    # indentation after « > »: lists inside the quote (a second outside review)
    "tabulations-citees": (
        lambda n: "\n".join(">" + "\t" * k + "* a" for k in range(1, n)),
        250,
        50,
        49,
    ),
    "definitions": (lambda n: "Terme\n: définition\n" * n, 500, 50, 2 * 51 - 1),
    "citations-definitions": (lambda n: "> a\n: a\n" * n, 500, 50, 2 * 50),
    "emphase": (lambda n: "*a " * n + "z" + "*" * n, 1000, 500, 0),
    "soulignes": (lambda n: "_a " * n + "z" + "_" * n, 1000, 500, 0),
}


@pytest.mark.lent  # each case converts thousands of nested blocks (2 to 3 s)
@pytest.mark.parametrize("name", NESTED)
def test_markdown_nested_beyond_what_python_reads_is_refused_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Python-Markdown reads nested blocks and emphasis by recursion: 400 admonitions one in
    another stopped the build with an internal error naming mkdocs.yml. Nesting of more than
    50 levels (or more than 1,000 emphasis marks in a paragraph) is refused by check, in
    French, on its line; 50 levels are read by check and by the build (the same page);
    control: with the rule switched off, check lets the text through and the conversion
    exhausts Python's stack, or nests its HTML deeper than the build reads."""
    from tisite.content import remote
    from tisite.finish.sanitize import deepest_nesting
    from tisite.generate.convert import Converter, markdown_settings

    make, refused, read, offset = NESTED[name]
    monkeypatch.setattr(remote, "MAX_TEXT_LENGTH", 10**9)  # 400 admonitions indented: 320 KB
    root = copy_project(tmp_path / "projet")
    page = root / "docs" / "imbrique.md"
    page.write_text("# Imbriqué\n\n" + make(refused) + "\n", encoding="utf-8")
    errors = _content_errors(root)
    assert len(errors) == 1 and errors[0].startswith(f"docs/imbrique.md:{3 + offset}: "), errors
    reason = remote.TOO_EMPHASISED if name in ("emphase", "soulignes") else "niveaux de listes"
    assert reason in errors[0], errors

    # what the rule spares the build: Python's stack exhausted (Python-Markdown up to 3.11.3),
    # or HTML nested deeper than the build reads (3.11.4 reads lists and definitions without
    # recursion, nesting them hundreds of levels deep)
    converter = Converter(*markdown_settings(root))
    try:
        html = converter.convert("imbrique.md", make(refused)).html
    except RecursionError:
        pass
    else:
        assert deepest_nesting(html) > remote.MAX_HTML_DEPTH, name
    switch_off(monkeypatch, "content.remote", "overloaded", lambda text: None)
    assert _content_errors(root) == []
    monkeypatch.undo()

    page.write_text("# Imbriqué\n\n" + make(read) + "\n", encoding="utf-8")
    assert _content_errors(root) == []
    site = build_site(root)
    assert "Imbriqué" in (site / "imbrique" / "index.html").read_text(encoding="utf-8")


FORM = "Bulletin d'inscription\n" + "".join(f"Champ {i} : {'_' * 40}\n" for i in range(40))
CODE = "```python\n" + "".join(f"    ma_variable_{i} = une_fonction(a_b)\n" for i in range(300))
ORDINARY = {  # legitimate texts near the limits: read, never refused
    "formulaire": FORM,  # blanks to fill in: no emphasis
    "code": CODE + "```\n",  # snake_case in a code block: no emphasis
    "code-en-ligne": "Les champs " + "`nom_du_champ` " * 600,
    "mots-composes": "Le fichier " + "donnees_2025_par_epci " * 400,
    "filet": "Texte.\n\n" + "- " * 60 + "\n\nSuite.",  # a thematic break, not 60 lists
    "glossaire-serre": "Terme\n: définition\n" * 50,
    "glossaire-aere": "Terme\n: définition\n\n" * 300,
    "balises-fermees": "<b>gras</b> " * 800,
    "comparaisons": "Si a < b et " * 800,
    # 2,000 Windows paths in a code block: 8,000 « \\ » and « & », read in 0.03 s
    "chemins": "```\n" + "".join(f"C:\\Users\\a\\R&D\\f{i}.txt\n" for i in range(2000)) + "```\n",
    "liens": ("[un lien](https://exemple.fr/a_(b)) " + "mot " * 25) * 900,
    # found refused by a third outside review: Markdown reads each list item and each table
    # row on its own, and closed code blocks cost little
    "liste-en-gras": "".join(f"- **Entreprise {i}** : Douai, 120 salariés\n" for i in range(300)),
    "tableau-en-gras": "| Nom | Ville |\n|---|---|\n"
    + "".join(f"| **Entreprise {i}** | Douai |\n" for i in range(300)),
    "tableau-de-liens": "| Site |\n|---|\n"
    + "".join(f"| [site {i}](https://exemple.fr/{i}) |\n" for i in range(1200)),
    # a fourth outside review: distinct headings and code comments, long tables
    "annuaire": "".join(f"### Entreprise {i}\n\nDouai.\n\n" for i in range(1500)),
    "commentaires-de-code": "```bash\n" + "# étape\necho a\n" * 2500 + "```\n",
    "communes": "| Commune | Dép. | Habitants | EPCI |\n|---|---|---|---|\n"
    + "| Commune | 59 | 1 200 | CAPH |\n" * 6000,
    # a table pasted from a spreadsheet: a raw HTML block, never read inline
    "tableau-html-colle": "<table>\n"
    + "".join(
        f'<tr><td><font face="Arial">Entreprise {i}</font></td><td>Douai &amp; Lens</td></tr>\n'
        for i in range(1500)
    )
    + "</table>\n",
    "guide-et-code": "".join(f"Étape {i}.\n\n```yaml\ncle: {i}\n```\n\n" for i in range(400))
    + "Suite. " * 20000,
}


# what lets each through, switched off in the control: every mark counted alone, no break
_EVERY_MARK = ("_EMPHASIS", re.compile(r"[*_]"))
_NO_BREAK = ("_RULE", re.compile(r"(?!)"))
CONTROLS = {
    "formulaire": _EVERY_MARK,
    "code": _EVERY_MARK,
    "code-en-ligne": _EVERY_MARK,
    "mots-composes": _EVERY_MARK,
    "filet": _NO_BREAK,
    "chemins": ("INLINE_WORK", 1000),  # the work bound, not a count, lets it through
    "liens": ("BRACKETS_WORK", 1000),
    # each paragraph read whole again, every fence a cost
    "liste-en-gras": (
        "_blocks",
        lambda text: __import__("tisite.content.remote").content.remote._paragraphs(text),
    ),
    "tableau-html-colle": ("_inline_text", lambda text: text),  # its tags counted inline
    "tableau-de-liens": (
        "_blocks",
        lambda text: __import__("tisite.content.remote").content.remote._paragraphs(text),
    ),
}


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_texts_near_the_nesting_limits_are_read(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """False positives an outside review found (a form's blanks, snake_case in code, a
    thematic break « - - - ») and neighbours: not refused, and converted by the build's
    converter with the check's stack; control: without the rule that lets each through (a
    run of marks counted once, a word's underscores left out, a break that opens no list),
    the rule refuses it."""
    from tisite.content import remote
    from tisite.generate.convert import Converter, markdown_settings

    text = ORDINARY[name]
    assert remote.overloaded(text) is None
    with remote._less_stack():
        Converter(*markdown_settings(None)).convert("a.md", text)
    if name in CONTROLS:
        monkeypatch.setattr(remote, *CONTROLS[name])
        assert remote.overloaded(text) is not None


def test_nesting_hidden_in_code_that_markdown_does_not_close_is_counted() -> None:
    """A fence Python-Markdown does not take for one (« ``` a b »: a word after a space; no
    closing fence; every fence in a letter's email version) and an escaped backtick hold
    Markdown: the rule counts what they hold (it skipped fences and code spans at first)."""
    from tisite.content import remote

    emphasis = "*a " * 1000 + "z" + "*" * 1000
    lists = "\n".join("    " * i + "- a" for i in range(300))
    for hidden in (emphasis, lists):
        for wrapped in (f"``` a b\n{hidden}\n```", f"```\n{hidden}", f"\\`{hidden}`"):
            assert remote.overloaded(wrapped) is not None, wrapped[:40]


def test_unclosed_tags_are_refused_before_a_quadratic_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« <a » never closed, 20,000 times: Python-Markdown took about two minutes per build
    looking for each « > ». More than 500 are refused by check; 500 are read (control).
    Nothing reads a refused text before: the check looked for a page's HTML images first,
    and Python's HTML parser took 30 s on « <a » followed by line breaks. Control: a readable
    page of docs/ is read for its HTML images."""
    from tisite.content import remote

    assert remote.overloaded("x\n" + "<a " * 501) == (1, remote.TOO_MANY_OPEN_TAGS)
    assert remote.overloaded("<a " * 500) is None
    root = copy_project(tmp_path / "projet")
    read: list[str] = []
    monkeypatch.setattr(remote, "raw_image_addresses", lambda text: read.append(text) or set())
    # one tag a line: the line where there are too many for the text's length (2,000,000 /
    # 60,000 characters: 33)
    for tags, line in (("<a " * 20000, 3), ("<a\n" * 20000, 3 + 33)):
        (root / "docs" / "lent.md").write_text("# Lenteur\n\n" + tags + "\n", "utf-8")
        errors = _content_errors(root)
        assert errors == [f"docs/lent.md:{line}: {remote.TOO_MANY_OPEN_TAGS}"], errors
        assert not [text for text in read if "Lenteur" in text]
    (root / "docs" / "lent.md").write_text("# Lenteur\n\n![a](absente.png)\n", "utf-8")
    assert _content_errors(root)
    assert [text for text in read if "absente.png" in text]


def _in_paragraphs(text: str) -> str:
    return "\n\n".join(text[i : i + 4000] for i in range(0, len(text), 4000))


_WORDS = "mot " * 25
SLOW = {  # found by the second and third outside reviews: seconds per conversion, growing
    # with a square; (text, reason, the same tamed: accepted and converted)
    "barres-obliques": ("\\" * 190000, "TOO_MANY_MARKS", _in_paragraphs),  # 7 s
    "entites": ("&amp;" * 39000, "TOO_MANY_MARKS", _in_paragraphs),  # 3.4 s
    "retours-forces": ("a  \n" * 48000, "TOO_MANY_MARKS", _in_paragraphs),  # 4.9 s
    "balises-puis-texte": (
        "<a " * 499 + " x" * 95000,
        "TOO_MANY_OPEN_TAGS",
        lambda text: text.replace("<a ", "<a> "),
    ),  # 15 s
    "liens-automatiques": (
        "<http://" * 499 + " x" * 95000,
        "TOO_MANY_OPEN_TAGS",
        lambda text: text.replace("<http://", "<http://x> "),
    ),  # 17 s
    "crochets-ouverts": (
        ("[" + _WORDS) * 999,
        "TOO_OPEN_BRACKETS",
        lambda text: text.replace("[", "[a] "),
    ),  # 10 s
    "crochets-fermes-a-la-fin": (
        ("[" + _WORDS) * 999 + "]" * 999,
        "TOO_OPEN_BRACKETS",
        lambda text: text.replace("[", "[a] ").replace("]]", ""),
    ),  # 6 s
    "liens-sans-parenthese-fermante": (
        ("[a](" + _WORDS) * 999,
        "TOO_OPEN_BRACKETS",
        lambda text: text.replace("[a](", "[a](b) "),
    ),  # 5 s
    # found by the fourth outside review: every inline tag, code span or automatic link
    # rewrites the paragraph too
    "balises-en-ligne": ("<b>x</b> " * 30000, "TOO_MANY_MARKS", _in_paragraphs),  # 5 s
    "code-en-ligne": ("`a` " * 60000, "TOO_MANY_MARKS", _in_paragraphs),  # 3 s
    "liens-automatiques-fermes": ("<https://e.x> " * 20000, "TOO_MANY_MARKS", _in_paragraphs),
}


@pytest.mark.parametrize("name", SLOW)
def test_texts_markdown_reads_in_quadratic_time_are_refused(name: str) -> None:
    """Each refused with its reason, before any conversion; control: the same text split into
    paragraphs of 4,000 characters, its tags or brackets closed, is accepted and converted
    (times are for `make bench`, never asserted here)."""
    from tisite.content import remote
    from tisite.generate.convert import Converter, markdown_settings

    text, reason, tame = SLOW[name]
    assert remote.overloaded(text) == (0, getattr(remote, reason))
    # on the paragraph's first line, after a paragraph and blank lines
    assert remote.overloaded("Avant.\n\n \n" + text) == (3, getattr(remote, reason))
    tamed = tame(text)
    assert remote.overloaded(tamed) is None
    assert Converter(*markdown_settings(None)).convert("a.md", tamed).html


def test_the_check_reads_nested_html_with_less_stack_than_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """HTML blocks read as Markdown (« markdown="1" ») nest without indentation: the check
    converts them with fewer frames (CHECK_STACK) than any build has left, so that a text the
    check reads is read by the build too. 280 levels are refused although a conversion with
    the whole stack would read them (the control)."""
    from tisite.content import remote

    remote._references.cache_clear()
    deep = '<div markdown="1">\n\n' * 280 + "x\n\n" + "</div>\n\n" * 280
    with pytest.raises(remote.TooDeep, match=re.escape(remote.TOO_DEEP_TEXT)):
        remote.references(deep)
    remote._references.cache_clear()
    monkeypatch.setattr(remote, "CHECK_STACK", 1000)
    monkeypatch.setattr(remote, "MAX_HTML_DEPTH", 10**9)  # 280 elements: the other rule
    assert remote.references(deep) == []
    remote._references.cache_clear()


# --- found by the second outside review ----------------------------------------------------

TOC_TRAPS = (  # (each with text under it: a letter's empty section is left out)
    "## Titre <!--><img src=/x.png onerror=alert(1) title=<>--> fin\n\nTexte.\n\n"
    "## Trois <!--><meta http-equiv=refresh content=3;url=https://evil.example/ x=<>--> fin\n\n"
    "Texte.\n"
)


@pytest.mark.lent
def test_table_of_contents_titles_are_text(variant: Path) -> None:
    """Markdown strips the tags of a heading for the table of contents with an expression of
    its own, which crafted HTML gets through; the theme prints the titles raw."""
    root = variant
    for rel in (LETTER, "docs/programme.md"):
        assert TOC_TRAPS in (root / rel).read_text(encoding="utf-8")
    for page in ("hainaut-douaisis-cambresis/lettres/14/index.html", "programme/index.html"):
        soup = BeautifulSoup((root / "site" / page).read_text(encoding="utf-8"), "html.parser")
        toc = soup.select_one("nav.md-nav--secondary")
        assert toc is not None and "Trois" in toc.get_text()
        assert not toc.find_all(["img", "meta", "script"]), page
        assert not soup.find("meta", attrs={"http-equiv": "refresh"}), page
        assert not live_injections(str(soup)), (page, live_injections(str(soup)))


def test_html_page_table_of_contents_titles_are_escaped_text(built_site: Path) -> None:
    """An HTML page's table of contents takes its titles from its headings' text, escaped (the
    theme prints them raw): « <territoire> » shows as written, a tag never becomes markup."""
    import nh3

    from tisite.generate.pagehtml import html_ready

    soup = BeautifulSoup(
        (built_site / "contribuer/reference-des-champs/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    toc = [a.get_text(strip=True) for a in soup.select("nav.md-nav--secondary a")]
    assert "territoires/<territoire>/territoire.yml" in toc, toc
    heading = '<h2 id="x">a &lt;img src=x onerror=alert(1)&gt; b<a class="headerlink" href="#x">¶</a></h2>'
    (token,) = html_ready({}, heading, ()).toc
    assert token["name"] == "a &lt;img src=x onerror=alert(1)&gt; b"
    # control: stripping tags from the unescaped text (as before) loses the words
    assert nh3.clean("a <img src=x onerror=alert(1)> b", tags=set()) == "a  b"


@pytest.mark.lent
def test_docs_pages_are_contributed_content(variant: Path) -> None:
    root = variant
    assert (root / "docs" / "essai.md").read_text(encoding="utf-8") == ESSAI
    html = (root / "site" / "essai" / "index.html").read_text(encoding="utf-8")
    ids = _ids(html)
    assert "ti-post-text" not in ids and "f-axe" not in ids, ids
    assert "uc-ti-post-text" in ids and "uc-f-axe" in ids
    assert "mermaid" not in html and "ti-share" not in html


@pytest.mark.lent
def test_a_url_field_cannot_add_markdown_attributes(variant: Path) -> None:
    root = variant
    text = (root / HDC / "lettres" / "15.md").read_text(encoding="utf-8")
    assert ZIBAC + "    lien: https://a.fr/x){#ti-post-text}\n" in text
    html = (root / "site" / HDC.removeprefix("territoires/") / "lettres/15/index.html").read_text(
        encoding="utf-8"
    )
    assert _ids(html).count("ti-post-text") == 1  # the share box's own textarea only
    soup = BeautifulSoup(html, "html.parser")
    link = soup.find("a", href=re.compile("a.fr"))
    # the letter page is HTML: the address is an attribute's text, « {#…} » in it is inert
    assert link is not None and link["href"] == "https://a.fr/x){#ti-post-text}"


def test_markdown_files_with_a_capital_extension_are_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "projet")
    (root / "docs" / "Notes.MD").write_text("# X\n<!-- SECRET -->\n", encoding="utf-8")
    result = ti_inprocess("check", cwd=root)
    assert result.returncode == 1
    assert "docs/Notes.MD: extension « .MD » : écrivez « .md » en minuscules" in result.stderr


def test_negative_controls_for_the_table_of_contents_and_urls() -> None:
    import markdown

    from tisite.generate.pagehtml import _clean_toc
    from tisite.generate.textutil import html_escape, md_url

    md = markdown.Markdown(extensions=["toc"])
    md.convert(TOC_TRAPS)
    raw = md.toc_tokens  # type: ignore[attr-defined]
    assert any("<meta" in t["name"] for t in raw), raw  # what the theme would print
    cleaned = _clean_toc(raw, {})
    assert not [t["name"] for t in cleaned if "<" in t["name"]]
    url = "https://a.fr/x){#ti-post-text}"
    assert "){#" in html_escape(url) and "){#" not in md_url(url)


@pytest.mark.lent
def test_negative_control_unescaped_navigation_runs_the_payload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the escaping at the boundary with the theme, a territory's name is a script in
    the navigation of every page (Material prints navigation titles raw)."""
    root = copy_project(tmp_path / "projet")
    path = root / GC / "territoire.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("nom: Grand-Châtellerault", f"nom: {json.dumps('GC ' + PAYLOAD)}", 1),
        encoding="utf-8",
    )
    switch_off(monkeypatch, "build", "escape_titles", lambda nav: nav)
    build_site(root)
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "<script> injecté" in live_injections(html)


@pytest.mark.browser
def test_an_anchor_shared_before_the_prefix_still_reaches_its_section(
    browser: Browser, base_url: str
) -> None:
    """Links to « #actualites-locales » published before the « uc- » prefix keep working."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(base_url + "hainaut-douaisis-cambresis/lettres/14/", wait_until="networkidle")
    assert page.evaluate("scrollY") == 0  # negative control: no section is aimed at
    assert page.evaluate("document.getElementById('actualites-locales')") is None
    page.goto(
        base_url + "hainaut-douaisis-cambresis/lettres/14/#actualites-locales",
        wait_until="networkidle",
    )
    # the browser has scrolled to the section (a state, not a delay)
    aimed = "document.getElementById('uc-actualites-locales').getBoundingClientRect().top"
    wait_until(page, f"scrollY > 0 && {aimed} <= 120")
    top = page.evaluate(aimed)
    page.close()
    assert 40 <= top <= 120, top  # at the top of the screen, under the theme's header


@pytest.mark.parametrize("docs_dir", ["pages", "docs"])
def test_the_pages_folder_mkdocs_yml_names_is_read_as_safely_as_docs(
    tmp_path: Path, docs_dir: str
) -> None:
    """A link in the folder of pages is refused whatever mkdocs.yml's docs_dir calls it (MkDocs
    would follow it and publish the file it leads to); a docs_dir outside the project is
    refused. Control: the same link in a folder the build does not read is no content."""
    root = copy_project(tmp_path / "projet")
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "\ndocs_dir: docs\n" in text
    if docs_dir != "docs":
        (root / "docs").rename(root / docs_dir)
        config.write_text(text.replace("\ndocs_dir: docs\n", f"\ndocs_dir: {docs_dir}\n"), "utf-8")
    (root / docs_dir / "secret.md").symlink_to(root / "mkdocs.yml")
    (root / "notes").mkdir()
    (root / "notes" / "lien.md").symlink_to(root / "mkdocs.yml")  # control: not read
    errors = _content_errors(root)
    assert [e for e in errors if "lien symbolique" in e] == [
        e for e in errors if e.startswith(f"{docs_dir}/secret.md: lien symbolique")
    ]
    assert len([e for e in errors if "lien symbolique" in e]) == 1, errors
    outside = config.read_text("utf-8").replace(f"docs_dir: {docs_dir}", "docs_dir: ../dehors")
    config.write_text(outside, "utf-8")
    assert any("« ../dehors » est hors du projet" in e for e in _content_errors(root))


_DEEP_EMAIL = """
import sys, css_inline
depth = int(sys.argv[1])
page = "<html><body>" + "<div>" * depth + "x" + "</div>" * depth + "</body></html>"
css_inline.CSSInliner(keep_style_tags=False).inline(page)
"""

# refused: how a browser nests them (the first, then four an outside review found; 12,000
# times each crashed the build, 300 are enough to be refused)
DEEP_HTML = {
    "jamais-fermees": "<div>\n" * 300,
    "fin-ignoree-dans-un-tableau": "<div><table><tr><td></div>\n" * 60,
    "ruby-hors-de-ruby": "<rt>x" * 300,
    "fin-dans-un-commentaire": "<div><!-- > </div> -->\n" * 300,
    "fin-avec-espace-insecable": "<div>x</div\u00a0>\n" * 300,
    "gras-rouverts": "".join(f'<p><b title="{i}">x</p>\n' for i in range(300)),
    # identical ones too: each paragraph opens one more level (the parser's limit of three
    # identical elements bounds its work, not the depth)
    "italiques-rouvertes": "".join("<p><i>x</p>\n" for _ in range(300)),
}
SHALLOW_HTML = {  # accepted: valid HTML whose elements close one another (the same review)
    "tableau-sans-fins": "<table>\n<tr><th>Commune<th>Habitants\n"
    + "".join(f"<tr><td>Commune {i}<td>{i * 100}\n" for i in range(300))
    + "</table>\n",
    "definitions": "<dl>\n"
    + "".join(f"<dt>Terme {i}<dd>Définition {i}\n" for i in range(300))
    + "</dl>\n",
    "liste-de-paragraphes": "<ul>\n" + "".join(f"<li><p>Point {i}\n" for i in range(300)),
    "svg": '<svg viewBox="0 0 10 10">' + '<path d="M0 0L1 1"/>' * 300 + "</svg>",
    "balises-montrees-en-code": "".join(f"- `<details>` ouvre l'encadré {i}\n" for i in range(300)),
    "polices-de-word": "<ul>" + '<li><b>T</b> <font face="Arial">texte\n' * 300 + "</ul>",
    "markdown-profond": "\n".join("    " * i + "- a" for i in range(50)) + "\n\n<b>fin</b>\n",
}


@pytest.mark.parametrize("name", DEEP_HTML)
def test_html_nested_beyond_what_the_build_reads_is_refused(name: str) -> None:
    """HTML is measured as a browser nests it (after nh3's parser, html5ever), never guessed
    from the tags as written: a regex model let an outside review through five ways (end tags
    a table makes a browser ignore, ruby elements outside ruby, an end tag in a comment or
    with a no-break space, formatting elements reopened in every paragraph)."""
    from tisite.content import remote

    problems = remote.problems_in(DEEP_HTML[name], "a.md", 3, None, body=True)
    # the 201st « <b> » left open (different attributes): refused on its line before any
    # parsing (the parser walks every one left open at each block); the others are measured
    # after parsing
    line = 3 + 200 if name == "gras-rouverts" else 3
    assert [(p.line, p.message) for p in problems] == [(line, remote.TOO_DEEP_HTML)]


@pytest.mark.parametrize("name", SHALLOW_HTML)
def test_html_whose_elements_close_one_another_is_accepted(name: str) -> None:
    from tisite.content import remote

    assert remote.problems_in(SHALLOW_HTML[name], "a.md", 3, None, body=True) == []


@pytest.mark.lent  # thousands of nested tags through the email inliner (3 s)
def test_html_nested_beyond_what_the_email_inliner_reads_is_refused_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter with 12,000 « <div> » never closed passed the check, then the whole build
    died of a segmentation fault in the email inliner (css_inline walks the document by
    recursion): no message, no site. More than 200 HTML elements one in another are refused
    by check; 200 are read, the letter's email made. Controls: with the rule off, check lets
    the letter through; the inliner itself crashes on that depth (in a process of its own: the
    crash would end the test run; it is css_inline alone, not the pipeline, and 300 levels
    inlined in this process are shown by the backstop's test)."""
    from tisite.content import remote

    root = copy_project(tmp_path / "projet")
    _append(root, LETTER, "<div>\n" * 12000)
    errors = _content_errors(root)
    assert len(errors) == 1 and errors[0].startswith(f"{LETTER}:"), errors
    assert errors[0].endswith(remote.TOO_DEEP_HTML), errors

    monkeypatch.setattr(remote, "MAX_HTML_DEPTH", 10**9)
    monkeypatch.setattr(remote, "MAX_LEFT_OPEN", 10**9)  # the count before parsing
    remote._references.cache_clear()
    assert _content_errors(root) == []
    monkeypatch.undo()
    crash = subprocess.run([sys.executable, "-c", _DEEP_EMAIL, "12000"], capture_output=True)
    assert crash.returncode != 0

    root = copy_project(tmp_path / "lu")
    _append(root, LETTER, "<div>" * 199 + "Tout au fond" + "</div>" * 199)
    assert _content_errors(root) == []
    site = build_site(root)
    email = (site / "hainaut-douaisis-cambresis" / "lettres" / "14" / "email.html").read_text(
        encoding="utf-8"
    )
    assert "Tout au fond" in email


@pytest.mark.lent  # the same depth through a whole letter's email (2 s)
def test_the_email_of_a_letter_too_deep_for_the_inliner_is_never_inlined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind the check, the build measures each email body before inlining it: a French
    message instead of a crash. Here the check's rule is lifted (what a text it missed would
    do) and the body is 300 deep (the inliner reads that; 12,000 kill the process). Control:
    without that measure, the email is inlined."""
    from tisite.content import remote
    from tisite.content.errors import ContentError
    from tisite.publish import publishing

    root = copy_project(tmp_path / "projet")
    _append(root, LETTER, DEEP_HTML["jamais-fermees"])
    monkeypatch.setattr(remote, "MAX_HTML_DEPTH", 10**9)
    remote._references.cache_clear()
    with pytest.raises(ContentError) as refused:
        build_site(root)
    assert [p.format() for p in refused.value.errors] == [f"{LETTER}: {remote.TOO_DEEP_HTML}"]
    monkeypatch.setattr(publishing, "MAX_HTML_DEPTH", 10**9)
    site = build_site(root)
    assert (site / "hainaut-douaisis-cambresis" / "lettres" / "14" / "email.html").is_file()


def test_a_text_with_thousands_of_refused_images_reports_the_first_ones_and_a_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each reported image's line is looked for in the whole text: 20,000 remote images took
    a time that grows with their square (an outside review). The first 20 are reported, each
    on its line, then one line says how many more. Control: with no bound, all of them."""
    from tisite.content import remote

    text = "".join(f'<img src="https://e.x/{i}.png" alt="a">\n\n' for i in range(50))
    problems = remote.problems_in(text, "a.md", 10, None, body=True)
    assert len(problems) == 21
    assert [p.line for p in problems[:20]] == list(range(10, 50, 2))
    assert problems[-1].message == remote.more_problems(
        30, "image ou adresse", "images ou adresses"
    )
    monkeypatch.setattr(remote, "MAX_REPORTED", 10**9)
    assert len(remote.problems_in(text, "a.md", 10, None, body=True)) == 50


def test_formatting_left_open_is_refused_before_the_parser_walks_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """12,000 « <b> » with different attributes, each left open by its paragraph: the
    sanitiser's parser walks every one left open at each block, a time that grows with their
    square (4 s at 12,000 in the check alone). Refused before any parsing, on the line of the
    201st. Control: without that count the parser reads the text and the depth measured after
    it refuses the same text, after that walk."""
    from tisite.content import remote

    text = "".join(f'<p><b title="{i}">x</p>\n\n' for i in range(11000))
    assert remote.overloaded(text) == (400, remote.TOO_DEEP_HTML)
    monkeypatch.setattr(remote, "_reopened", lambda text: None)
    monkeypatch.setattr(remote, "_left_open", lambda text: None)  # the coarser count
    assert remote.overloaded(text) is None
    remote._references.cache_clear()
    with pytest.raises(remote.TooDeep, match=re.escape(remote.TOO_DEEP_HTML)):
        remote.references(text[: 41 * 300])  # 300 of them: enough to show it


SECOND_REVIEW = {  # (text, reason, line of the refusal, the same tamed: accepted)
    "clotures-ouvertes": (
        "~~~x\n\n" * 25000,
        "TOO_MANY_FENCES",
        2 * (100_000_000 // 150_000),
        lambda text: text[:15000],  # 2,500 fences in 15 KB: under a tenth of a second
    ),  # 31 s a conversion
    "accolades": ("## Titre" + " {a" * 66666 + "\n\nTexte.", "TOO_MANY_BRACES", 0, None),  # 43 s
    "titre-long": ("# a" + " " * 60000 + "b", "TOO_LONG_HEADING", 0, None),  # 1.8 s
    "titre-long-dans-une-liste": ("- # a" + " " * 60000 + "b", "TOO_LONG_HEADING", 0, None),
    "sommaires": (
        "\n\n".join(["[TOC]"] * 1000) + "".join(f"\n\n## t{i}\n\nx" for i in range(900)),
        "TOC_MARKER",
        0,
        lambda text: text.replace("[TOC]", "Sommaire"),
    ),  # 110 s and 5 GB of memory with 4,000 headings
    "trop-long": ("x\n\n" * 100001, "TOO_LONG", 0, lambda text: text[:299_999]),  # 30 s
    "div-ouvertes": ("<div>\n\n" * 2001, "TOO_DEEP_HTML", 2 * 2000, None),  # 73 s at 143,000
    # a third outside review
    "cases-vides": (
        "|" + "x|" * 200 + "\n|" + "-|" * 200 + "\n" + "|\n" * 20000,
        "TOO_MANY_CELLS",
        1,
        lambda text: text[: text.index("\n|\n") + 2 * 99 + 1],  # 99 rows of 200 cells
    ),  # 4 million cells: more than 4 GB, the build killed
    "titres-repetes": ("#a_5\n" * 12000, "TOO_MANY_HEADINGS", 2000, lambda text: text[:5000]),
    "titres-soulignes": ("a_5\n===\n" * 2400, "TOO_MANY_HEADINGS", 4001, None),  # 24 s
    # a fourth outside review: parts Markdown reads as one that the count took apart
    "tableau-qui-n-en-est-pas-un": (
        "a | b\n|---|---|\n" + ("\\*" * 500 + "\n") * 290,
        "TOO_MANY_MARKS",
        0,
        None,
    ),  # a paragraph for Markdown: 56 s a conversion
    "liste-en-retrait-de-8": (
        "- x\n" + ("        - " + "\\*" * 500 + "\n") * 290,
        "TOO_MANY_MARKS",
        0,
        None,
    ),  # 51 s
    "liste-mixte-du-courriel": (
        "- x\n" + ("1. " + "\\*" * 500 + "\n") * 290,
        "TOO_MANY_MARKS",
        0,
        None,
    ),  # 58 s in the email's reading (sane_lists)
    "cloture-en-retrait": ("~~~a\n ~~~\n\n" * 26000, "TOO_MANY_FENCES", 1047, None),  # 52 s
    "cases-sous-un-titre-en-code": (
        "| `a` |" + "a|" * 199 + "\n|" + "-|" * 200 + "\n" + "|\n" * 20000,
        "TOO_MANY_CELLS",
        1,
        None,
    ),
    "titres-dans-une-liste": ("- #a_5\n" * 24000, "TOO_MANY_HEADINGS", 2000, None),  # 38 s
    # after a raw HTML block on the same paragraph, the tags are read inline again
    "html-puis-balises": ("<div></div>\n" + "<b>x</b> " * 30000, "TOO_MANY_MARKS", 0, None),
}


@pytest.mark.parametrize("name", SECOND_REVIEW)
def test_texts_a_second_review_found_slow_are_refused(name: str) -> None:
    """Found by a second outside review, each accepted by check then read by the build in a
    time that grows with a square (or in gigabytes): refused before any conversion, on their
    line; control: the same text tamed (fences closed, markers removed, shorter) is read."""
    from tisite.content import remote

    text, reason, line, tame = SECOND_REVIEW[name]
    assert remote.overloaded(text) == (line, getattr(remote, reason))
    if tame is not None:
        assert remote.overloaded(tame(text)) is None


def test_the_check_reads_a_text_with_the_extensions_of_the_build(tmp_path: Path) -> None:
    """The check converted with its own list of Markdown extensions, without « fenced_code »:
    a « ~~~ » fence hid an opening backtick from the check only, and 12,000 « <div> » never
    closed reached the page (161 s of build at 1 MB). It now reads mkdocs.yml as the build
    does, and refuses the text. Control: read with the former list, the same text nests
    no deeper than the limit."""
    import markdown

    from tisite.content import remote
    from tisite.finish.sanitize import deepest_nesting

    text = "~~~\n`\n~~~\nx " + "<div>" * 300 + " y\n`"
    root = copy_project(tmp_path / "projet")
    _append(root, LETTER, text)
    errors = _content_errors(root)
    assert len(errors) == 1 and errors[0].endswith(remote.TOO_DEEP_HTML), errors
    former = markdown.Markdown(
        extensions=["tables", "attr_list", "md_in_html", "admonition", "def_list"]
    )
    assert deepest_nesting(former.convert(text)) < remote.MAX_HTML_DEPTH


@pytest.mark.lent
def test_this_sessions_outputs_show_the_payload_as_text(
    poisoned: tuple[Path, dict[str, int]],
) -> None:
    """The error page's title (the theme prints the site's name raw: escaped upstream, by
    build.escape_theme_config), a fiche's contact sentence and its list of partners (page
    templates with autoescape) carry the payload as text, and nothing of it runs: the
    inertness test above is not vacuous for them."""
    site, _ = poisoned
    error = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert error.title is not None and "<script>" in error.title.get_text()
    assert not live_injections((site / "404.html").read_text(encoding="utf-8"))
    fiche = site / "hainaut-douaisis-cambresis/plan-action/industrie-bas-carbone/index.html"
    page = BeautifulSoup(fiche.read_text(encoding="utf-8"), "html.parser")
    contact = page.find(id="contact-et-autres-actions").find_next("p")
    assert "<script>" in contact.get_text() and contact.find("script") is None
    partners = page.select("dl.ti-facts ul.ti-facts__list li")
    assert partners and all("<script>" in li.get_text() for li in partners)
    assert not live_injections(fiche.read_text(encoding="utf-8"))


@pytest.mark.lent
def test_without_the_theme_escaping_the_error_page_title_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control of the error page: with the site's name handed to the theme as
    raw HTML (the escaping of build.theme_text switched off), its title holds a live script."""
    from markupsafe import Markup

    from tisite import build

    monkeypatch.setattr(build, "theme_text", lambda value, markup=False: Markup(str(value)))
    root = copy_project(tmp_path / "projet")
    site_yml = root / "site.yml"
    text = site_yml.read_text(encoding="utf-8")
    site_yml.write_text(
        re.sub(
            r"^titre: .*$",
            f"titre: '{PAYLOAD.replace(chr(39), chr(39) * 2)}'",
            text,
            count=1,
            flags=re.M,
        ),
        encoding="utf-8",
    )
    site = build_site(root)
    assert live_injections((site / "404.html").read_text(encoding="utf-8"))


def test_a_root_link_never_brings_a_script_scheme_into_the_email() -> None:
    """« <a href="/javascript:…"> » in a letter's raw HTML: on the web page a path of the
    site, harmless; in the email versions the site's root is joined to it, and what follows
    the « / » must stay a path (urljoin kept « javascript: » as a scheme, which nh3 does not
    check again in a value the filter gives back: a mailing tool without the page's policy ran
    it). Control: the join as it was gives the scheme."""
    from urllib.parse import urljoin

    from tisite.publish.publishing import _body_html

    body = (
        '<a href="/javascript:alert(document.domain)">a</a> '
        '<a href="/data:text/html;base64,PHNjcmlwdD4=">b</a> [c](/t/priorites/)'
    )
    site = "https://collectif.gitlab.io/ti/"
    html = _body_html(body, f"{site}t/lettres/17/", site)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(site) for h in hrefs), hrefs
    assert f"{site}t/priorites/" in hrefs
    assert urljoin(site, "javascript:alert(1)").startswith("javascript:")  # control


def test_what_the_page_cannot_keep_is_said_not_silently_dropped(project: Path) -> None:
    """An embed's <script>, an « onclick » and a « javascript: » link pasted in a letter are
    taken out of the page by the sanitiser: `ti check` says so, on their lines, as warnings
    (the letter is published without them; a « cliquez » link went dead without a word).
    Control: the letter as written gets none of them."""
    from tisite.content.loader import load_site

    def said() -> list[str]:
        return [w.format() for w in load_site(project).warnings if "retiré" in w.message]

    assert said() == []
    path = project / LETTER
    lines = len(path.read_text("utf-8").splitlines())
    path.write_text(
        path.read_text("utf-8") + '\n<script>alert(1)</script>\n\n<p onclick="x()">Texte</p>\n\n'
        "[cliquez](javascript:alert(1))\n",
        encoding="utf-8",
    )
    assert said() == [
        f"{LETTER}:{lines + 2}: avertissement : balise <script> retirée à la publication : le "
        "site ne publie aucun script ; pour montrer une vidéo ou un post, mettez plutôt un lien "
        "[texte](adresse)",
        f"{LETTER}:{lines + 4}: avertissement : attribut « onclick » retiré à la publication : "
        "le site ne publie aucun script (le reste de la balise est gardé)",
        f"{LETTER}:{lines + 6}: avertissement : lien « javascript:alert(1) » retiré à la "
        "publication : un lien mène à une adresse web (https://…) ou à une page du site ; le "
        "texte est publié sans lien",
    ]


def test_script_links_are_said_however_written_and_code_is_not() -> None:
    """A « javascript: » link written with a tab or a control character inside its scheme, or
    as an SVG link (xlink:href), is said like the plain one (the review found them silent);
    a <script> shown in a fenced code block is code on the page: no warning."""
    from tisite.content.remote import problems_in

    for text in (
        '<a href="java&#9;script:alert(1)">x</a>',
        '<a href="&#1;javascript:alert(1)">x</a>',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    ):
        said = [p.message for p in problems_in(text, "f.md", 1, None, body=True)]
        assert len(said) == 1 and "retiré à la publication" in said[0], (text, said)
    assert (
        problems_in("```html\n<script>alert(1)</script>\n```\n", "f.md", 1, None, body=True) == []
    )
    assert problems_in("<script>alert(1)</script>\n", "f.md", 1, None, body=True)  # control
