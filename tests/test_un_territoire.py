"""A one-territory site is that territory's site (tests/fixtures/un-territoire): its home is
the territory's home, the network's pages are left out, the navigation starts at the
territory, and every address already published keeps working (redirects)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, flat, ti_inprocess
from synthetic import FIXTURE, copy_entries
from tisite import urls
from tisite.content.errors import ContentError
from tisite.content.loader import load_site
from tisite.generate.render import Renderer
from tisite.publish import registry

ONE = FIXTURE.parent / "un-territoire"
GC = "grand-chatellerault"


def one_territory_project(dest: Path) -> Path:
    """The settings and docs/ of the example, the territory and addresses of un-territoire."""
    copy_entries(dest, ("mkdocs.yml", "site.yml", "docs", "hooks"))
    shutil.copytree(ONE / "territoires", dest / "territoires")
    shutil.copy2(ONE / "urls-publiees.txt", dest / "urls-publiees.txt")
    return dest


def example_project(tmp_path: Path) -> Path:
    """The two-territory example (the control)."""
    return copy_entries(
        tmp_path / "exemple",
        ("mkdocs.yml", "site.yml", "docs", "hooks", "territoires", "urls-publiees.txt"),
    )


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def nav_titles(page: BeautifulSoup) -> list[str]:
    """The titles of the site's navigation, in order (the primary sidebar)."""
    nav = page.select_one("nav.md-nav--primary")
    assert nav is not None
    links = (a for a in nav.select("a.md-nav__link") if not a["href"].startswith("#"))
    return [" ".join(a.get_text(" ").split()) for a in links]  # (the page's own contents)


@pytest.fixture(scope="module")
def one_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(one_territory_project(tmp_path_factory.mktemp("un") / "projet"))


def home_is_the_territorys(site: Path) -> None:
    home = soup_of(site / "index.html")
    article = home.select_one("article")
    assert article is not None and article.h1 is not None
    assert flat(article.h1.get_text(" ")).strip().startswith("Grand-Châtellerault")
    text = flat(article.get_text(" "))
    assert "Accueil du territoire" in text and "Voir la carte d'identité" in text
    assert "Territoires d'industrie" not in text.replace("protocole d'accord Territoires", "")
    assert "Territoire d'industrie " not in text  # no count of territories
    assert home.select_one('img[src$="carte-territoires.svg"]') is None
    titles = nav_titles(home)
    assert titles[:3] == ["Accueil", "Carte d'identité", "Priorités"], titles
    assert "Tableau de bord national" not in titles and "Toutes les fiches actions" not in titles
    # the territory's pages link home to the site's home
    action = soup_of(site / GC / "plan-action" / "diagnostic-attractivite" / "index.html")
    crumb = action.select_one("nav.ti-breadcrumb a")
    assert crumb is not None and crumb["href"] == "../../../"


def test_home_is_the_territorys_and_navigation_starts_there(one_site: Path) -> None:
    home_is_the_territorys(one_site)
    assert not (one_site / "carte-territoires.svg").exists()  # the national map's file
    # the footer's « next » link of the home leads to the territory's next page
    footer = soup_of(one_site / "index.html").select_one("a.md-footer__link--next")
    assert footer is not None and footer["href"] == f"{GC}/carte-identite/"
    # the error page speaks of the territory, not of territories (outside review)
    missing = soup_of(one_site / "404.html").select_one("article").get_text(" ")
    assert "le territoire, son plan d'action et ses lettres" in " ".join(missing.split())


def test_published_addresses_keep_working(one_site: Path) -> None:
    published = [u for _, u in registry.published(ONE)]
    assert "/tableau-de-bord/" in published and f"/{GC}/" in published
    assert "/actions/region/hauts-de-france/" in published
    for address in published:
        assert (one_site / address.strip("/") / "index.html").is_file(), address
    redirects = (one_site / "_redirects").read_text(encoding="utf-8").splitlines()
    assert f"/{GC}/ / 301" in redirects
    assert "/tableau-de-bord/ / 301" in redirects
    assert f"/actions/ /{GC}/plan-action/ 301" in redirects
    assert f"/actions/axe/attirer/ /{GC}/plan-action/ 301" in redirects
    former_home = soup_of(one_site / GC / "index.html")
    assert former_home.select_one('meta[http-equiv="refresh"]')["content"] == "0; url=../"
    finder = soup_of(one_site / "actions" / "index.html")
    assert finder.select_one('meta[http-equiv="refresh"]')["content"] == (
        f"0; url=../{GC}/plan-action/"
    )


def test_without_the_redirects_the_build_refuses_to_drop_an_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the redirects are what keeps the published addresses."""
    monkeypatch.setattr(Renderer, "network_redirects", lambda self, own: [])
    root = one_territory_project(tmp_path / "projet")
    with pytest.raises(ContentError) as refused:
        build_site(root)
    text = str(refused.value)
    assert "l'adresse publiée /tableau-de-bord/ disparaîtrait" in text
    assert f"l'adresse publiée /{GC}/ disparaîtrait" in text


@pytest.mark.lent
def test_mode_national_keeps_the_network_portal(tmp_path: Path) -> None:
    """Negative control of the home test, and site.yml « mode: national »: one territory, but
    the network's home, dashboard and finder, and the territory at its own address."""
    root = one_territory_project(tmp_path / "projet")
    settings = root / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8") + "mode: national\n", "utf-8")
    site = build_site(root)
    with pytest.raises(AssertionError):
        home_is_the_territorys(site)
    home = soup_of(site / "index.html")
    assert home.select_one('img[src="carte-territoires.svg"]') is not None
    assert "Tableau de bord national" in nav_titles(home)
    assert not soup_of(site / "tableau-de-bord" / "index.html").select('meta[http-equiv="refresh"]')
    assert soup_of(site / GC / "index.html").select_one("article h1") is not None


def test_mode_territoire_needs_one_territory(project: Path) -> None:
    """« mode: territoire » on the two examples: refused in French, file, line and field."""
    settings = project / "site.yml"
    lines = settings.read_text(encoding="utf-8").splitlines()
    settings.write_text("\n".join([*lines, "mode: territoire"]) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_site(project)
    message = str(refused.value)
    assert f"site.yml:{len(lines) + 1}: champ « mode » : « mode: territoire » demande" in message
    assert "trouvés : 2, grand-chatellerault, hainaut-douaisis-cambresis" in message
    settings.write_text("\n".join([*lines, "mode: Territoire"]) + "\n", encoding="utf-8")
    with pytest.raises(ContentError):  # spelled otherwise: same meaning, same refusal
        load_site(project)
    settings.write_text("\n".join([*lines, "mode: regional"]) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as wrong:
        load_site(project)
    assert "« mode »" in str(wrong.value) and "national" in str(wrong.value)


def test_examples_and_their_previews_stay_a_network(project: Path) -> None:
    """Two territories: a network, also when one territory is previewed (--territoire)."""
    assert load_site(project).home is None
    preview = load_site(project, only=GC)
    assert preview.home is None and len(preview.territories) == 1
    assert urls.url_to("territoire", t=GC) == f"{GC}/"


@pytest.mark.lent
def test_a_second_territory_turns_the_site_into_a_network(one_site: Path, tmp_path: Path) -> None:
    """What the guide says happens when a second territory is added: the home becomes the
    network's, the territory gets its own address back, and every address published by the
    one-territory site (redirects included) is still served."""
    root = one_territory_project(tmp_path / "projet")
    registry.record(root, one_site)  # what `ti build` recorded on the one-territory site
    hdc = FIXTURE / "territoires" / "hainaut-douaisis-cambresis"
    shutil.copytree(hdc, root / "territoires" / hdc.name)
    site = build_site(root)
    assert soup_of(site / "index.html").select_one('img[src$="carte-territoires.svg"]')
    assert soup_of(site / GC / "index.html").select_one("article h1") is not None
    assert not (site / "tableau-de-bord" / "index.html").read_text("utf-8").count("refresh")
    for _, address in registry.published(root):
        assert (site / address.strip("/") / "index.html").is_file(), address


def test_check_says_the_site_is_the_territorys(tmp_path: Path) -> None:
    root = one_territory_project(tmp_path / "projet")
    checked = ti_inprocess("check", "--rapide", cwd=root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Site d'un seul territoire : l'accueil du site est celui de Grand-Châtellerault" in (
        flat(checked.stdout)
    )
    network = ti_inprocess("check", "--rapide", cwd=example_project(tmp_path))
    assert "Site d'un seul territoire" not in network.stdout  # control: two territories


def test_the_tab_title_says_the_territory_once(tmp_path: Path) -> None:
    """A one-territory site named « Territoire d'industrie Grand-Châtellerault »: a page's tab
    title leaves out what the site's name says (it read « Grand-Châtellerault — Territoire
    d'industrie — Territoire d'industrie Grand-Châtellerault » on the home page). Control: the
    example's network site keeps every part (its name says none)."""
    from tisite.generate.textutil import tab_title

    project = one_territory_project(tmp_path / "projet")
    settings = project / "site.yml"
    settings.write_text(
        settings.read_text("utf-8").replace(
            "titre: Territoires d'industrie", "titre: Territoire d'industrie Grand-Châtellerault"
        ),
        "utf-8",
    )
    site = build_site(project)
    titles = {
        path: soup_of(site / path / "index.html").title.get_text()
        for path in ("", f"{GC}/agenda", f"{GC}/plan-action/diagnostic-attractivite")
    }
    name = "Territoire d'industrie Grand-Châtellerault"
    assert titles == {
        "": name,
        f"{GC}/agenda": f"Agenda — {name}",
        f"{GC}/plan-action/diagnostic-attractivite": (
            f"Réaliser un diagnostic d'attractivité — {name}"
        ),
    }, titles
    network = "Territoires d&#39;industrie"
    assert tab_title("Agenda — Grand-Châtellerault", network) == (
        f"Agenda — Grand-Châtellerault — {network}"
    )
    # « Territoire d'industrie » is said by the network's name (review: « Hainaut — Territoire
    # d'industrie — Territoires d'industrie »)
    assert tab_title("Hainaut — Territoire d&#39;industrie", network) == f"Hainaut — {network}"
    assert tab_title("Hainaut — Réseau", network) == f"Hainaut — Réseau — {network}"  # control


def test_the_error_page_of_a_network_speaks_of_territories(built_site: Path) -> None:
    """Control of the one-territory wording: the example's network says « les territoires »."""
    text = " ".join(soup_of(built_site / "404.html").select_one("article").get_text(" ").split())
    assert "les territoires, leurs plans d'action et leurs lettres" in text


def test_words_said_by_the_site_name_are_found_as_a_pattern_would() -> None:
    """The tab title's look-up of whole words (``_whole_in``, no pattern compiled per title)
    answers as ``re.search`` with ``\\w`` boundaries, over every short text and form made of
    letters (accented, Roman numeral), digits, « _ » and separators."""
    import itertools
    import re

    from tisite.generate.textutil import _whole_in

    alphabet = ["a", "é", "_", " ", "'", "1", "Ⅻ", "—"]
    texts = ["", *("".join(p) for n in (1, 2, 3, 4) for p in itertools.product(alphabet, repeat=n))]
    forms = [t for t in texts if len(t) <= 2]
    for form in forms:
        pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")
        for text in texts:
            assert _whole_in(form, text) == (pattern.search(text) is not None), (form, text)
