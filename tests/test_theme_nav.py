"""The navigation and tables of contents made in Python (tisite.adapters.themenav) are Material's: the
same elements, attributes and text on every page of the example site as the theme's own
templates give, only without their blank lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, copy_project, switch_off

OURS = ("nav-item.html", "toc-item.html")


def _dom(html: str) -> str:
    """The page as a browser lays it out: whitespace next to a tag, and runs of it, count as
    nothing / one space."""
    text = str(BeautifulSoup(html, "html.parser"))
    text = re.sub(r">\s+", ">", text)
    text = re.sub(r"\s+<", "<", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def material_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built with Material's own navigation templates."""
    root = copy_project(tmp_path_factory.mktemp("material") / "projet")
    theme = root / "hooks" / "tisite" / "templates" / "theme" / "partials"
    for name in OURS:
        (theme / name).unlink()
    return build_site(root)


@pytest.mark.lent
def test_every_page_has_materials_navigation(built_site: Path, material_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40
    differing = [
        p.relative_to(built_site).as_posix()
        for p in pages
        if _dom(p.read_text("utf-8"))
        != _dom((material_site / p.relative_to(built_site)).read_text("utf-8"))
    ]
    assert differing == []
    # Ours ran (no template whitespace inside the entries), and wrote fewer bytes.
    home = (built_site / "index.html").read_text("utf-8")
    assert '<span class="md-ellipsis">Accueil</span>' in home
    assert '<span class="md-ellipsis">Accueil</span>' not in (
        material_site / "index.html"
    ).read_text("utf-8")
    size = sum(p.stat().st_size for p in pages)
    assert size < sum((material_site / p.relative_to(built_site)).stat().st_size for p in pages)
    # Control: an entry marked differently (not the active one) is a difference.
    page = next(p for p in pages if "md-nav__link--active" in p.read_text("utf-8"))
    text = page.read_text("utf-8")
    changed = text.replace("md-nav__link--active", "md-nav__link", 1)
    assert _dom(changed) != _dom((material_site / page.relative_to(built_site)).read_text("utf-8"))


@pytest.mark.lent
def test_hostile_titles_stay_text_in_the_python_navigation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The navigation and tables of contents print their titles as HTML (themenav, as
    Material's templates): every title is escaped before — a territory's name by
    build.escape_titles, a docs page's title by build.escape_page_meta (other front matter fields a template
    would print, such as subtitle, are refused by the schema), a heading by the
    core's Markdown conversion and sanitiser. Hostile values in all three stay text in the menu
    and in the table of contents of every page (control: escape_titles switched off)."""
    from hostile import RUN, live_injections

    payload = f'"\'><svg onload="{RUN}"><script>alert(1)</script>'
    root = copy_project(tmp_path / "projet")
    identity = root / "territoires" / "grand-chatellerault" / "territoire.yml"
    text = identity.read_text("utf-8")
    identity.write_text(
        text.replace("nom: Grand-Châtellerault", f"nom: {json.dumps('GC ' + payload)}", 1),
        "utf-8",
    )
    page = root / "docs" / "contribuer" / "piege.md"
    page.write_text(
        f"---\ntitle: {json.dumps('Page ' + payload)}\n---\n\n"
        f"# Page piégée\n\n## Section {payload}\n\nTexte.\n\n## Suite\n\nTexte.\n",
        "utf-8",
    )
    site = build_site(root)
    named = 0
    for html_file in sorted(site.rglob("*.html")):
        html = html_file.read_text("utf-8")
        assert live_injections(html) == [], html_file
        soup = BeautifulSoup(html, "html.parser")
        for menu in soup.select("nav.md-nav--primary, nav.md-nav--secondary"):
            assert not menu.find_all("script"), html_file
            assert not [t for t in menu.find_all(True) if any(a.startswith("on") for a in t.attrs)]
            named += "<script>alert(1)</script>" in menu.get_text()
    assert named > 10  # the payloads went through the Python navigation, as text
    # Control: without the escaping before it, the Python navigation prints a live script.
    switch_off(monkeypatch, "build", "escape_titles", lambda nav: nav)
    unescaped = build_site(root)
    menu = BeautifulSoup((unescaped / "index.html").read_text("utf-8"), "html.parser")
    assert menu.select("nav.md-nav--primary script")


@pytest.mark.lent
def test_text_that_looks_like_an_entity_is_shown_as_typed_by_the_theme(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« &cent » typed in site.yml or a territory's name is text, not the « ¢ » a browser
    reads (outside review): the theme's header, tab title, menu and footer show it as typed,
    like the page's own heading. A docs page's title from its first heading is HTML text
    already (« &amp; » there is « & »), as Markdown shows it. Control: the entities read first
    everywhere, as before, and « ¢ » is shown."""
    root = copy_project(tmp_path / "projet")
    settings = root / "site.yml"
    text = settings.read_text("utf-8")
    text = text.replace("titre: Territoires d'industrie", 'titre: "Industrie&centre & co"', 1)
    text = text.replace(
        "  nom: Éditeur du site de démonstration (à remplacer)", '  nom: "Éditeur &copy;"', 1
    )
    settings.write_text(text, "utf-8")
    identity = root / "territoires" / "grand-chatellerault" / "territoire.yml"
    identity.write_text(
        identity.read_text("utf-8").replace(
            "nom: Grand-Châtellerault", 'nom: "Grand &amp; Nord&centre"', 1
        ),
        "utf-8",
    )
    docs = root / "docs" / "contribuer"
    (docs / "titre.md").write_text('---\ntitle: "Avec titre &amp; co"\n---\n\nTexte.\n', "utf-8")
    (docs / "titre-lu.md").write_text("# Titre lu &amp; co\n\nTexte.\n", "utf-8")
    (docs / "rd.md").write_text('# R&D "cotes" < 3\n\nTexte.\n', "utf-8")
    (docs / "gras.md").write_text('---\ntitle: "Titre <b>gras</b>"\n---\n\nTexte.\n', "utf-8")

    def shown(site: Path, page: str) -> dict[str, str]:
        soup = BeautifulSoup((site / page).read_text("utf-8"), "html.parser")
        menu = soup.select_one("nav.md-nav--primary")
        assert menu is not None
        return {
            "tab": soup.title.get_text() if soup.title else "",
            "header": soup.select_one(".md-header__topic").get_text(" ", strip=True),
            "menu": menu.get_text(" ", strip=True),
            "footer": soup.select_one(".md-copyright").get_text(" ", strip=True),
        }

    site = build_site(root)
    home = shown(site, "grand-chatellerault/index.html")
    assert home["tab"].startswith("Grand &amp; Nord&centre — ")
    assert home["tab"].endswith(" — Industrie&centre & co")
    assert "Industrie&centre & co" in home["header"]
    assert "Grand &amp; Nord&centre" in home["menu"]
    assert "Éditeur &copy; — contenus" in home["footer"]
    heading = BeautifulSoup(
        (site / "grand-chatellerault/index.html").read_text("utf-8"), "html.parser"
    ).h1
    assert heading is not None and "Grand &amp; Nord&centre" in heading.get_text()
    assert shown(site, "contribuer/titre/index.html")["tab"].startswith("Avec titre &amp; co — ")
    assert shown(site, "contribuer/titre-lu/index.html")["tab"].startswith("Titre lu & co — ")
    for page in site.rglob("*.html"):
        assert "¢" not in page.read_text("utf-8"), page

    def shared_title(page: str) -> str:  # what LinkedIn shows (outside review: « R&amp;D »)
        soup = BeautifulSoup((site / page).read_text("utf-8"), "html.parser")
        tag = soup.find("meta", attrs={"property": "og:title"})
        assert tag is not None
        return str(tag["content"])

    assert shared_title("contribuer/rd/index.html") == 'R&D "cotes" < 3'
    assert shared_title("contribuer/gras/index.html") == "Titre <b>gras</b>"
    assert shared_title("contribuer/titre/index.html") == "Avec titre &amp; co"
    assert shared_title("grand-chatellerault/index.html").startswith("Grand &amp; Nord&centre")
    # Control: every value's entities read before escaping (the former theme_text)
    import html

    from markupsafe import Markup

    def former(value: object, markup: bool = False) -> Markup:
        return Markup(html.escape(html.unescape(str(value)), quote=False))

    switch_off(monkeypatch, "build", "theme_text", former)
    decoded = shown(build_site(root), "grand-chatellerault/index.html")
    assert "Industrie¢re & co" in decoded["header"]
    assert "Nord¢re" in decoded["menu"]
