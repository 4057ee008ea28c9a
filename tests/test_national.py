"""The national portal: dashboard, JSON/CSV index of territories, navigation by region at
scale, and the one-territory preview build."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, ti_inprocess
from synthetic import write_project
from tisite.content.loader import load_site
from tisite.content.models import SiteModel
from tisite.generate.render import Renderer

HDC = "hainaut-douaisis-cambresis"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_dashboard_consolidates_every_territory(built_site: Path) -> None:
    page = soup_of(built_site / "tableau-de-bord" / "index.html")
    article = page.select_one("article")
    assert article is not None
    text = " ".join(article.get_text(" ").split())
    assert "Tableau de bord national" in text
    assert "10 fiches actions" in text  # 8 in Hainaut-Douaisis-Cambrésis + 2 in Grand-Châtellerault
    assert "74 864,98 € de budget connu" in text
    assert "1 action sur 10 a un budget renseigné" in text
    matrix = article.select_one("table caption#tableau-priorites").find_parent("table")
    header = [th.get_text() for th in matrix.select("thead th")]
    assert header[0] == "Priorité" and header[-1] == "Total" and "En cours" in header
    rows = {
        tr.th.get_text(): [td.get_text() for td in tr.select("td")] for tr in matrix.tbody("tr")
    }
    assert rows["Recrutement et compétences"][-1] == "3"
    regions = article.select_one("caption#tableau-regions").find_parent("table")
    cells = {tr.th.get_text(): [td.get_text() for td in tr("td")] for tr in regions.tbody("tr")}
    assert cells["Hauts-de-France"] == ["1", "8", "74\u202f864,98\xa0€", "2"]
    assert cells["Nouvelle-Aquitaine"] == ["1", "2", "non\u00a0renseigné", "0"]
    links = {a["href"] for a in article.select("caption#tableau-territoires ~ tbody a")}
    assert {f"../{HDC}/", "../grand-chatellerault/", f"../{HDC}/plan-action/"} <= links
    assert "CA de Cambrai" in text  # budget by partner, with its data table
    home = soup_of(built_site / "index.html")
    assert home.select_one('a[href="tableau-de-bord/"]') is not None
    assert home.select_one('a[href="territoires.json"]') is not None


def test_territories_json_and_csv(built_site: Path) -> None:
    doc = json.loads((built_site / "territoires.json").read_text(encoding="utf-8"))
    assert doc["nombre"] == 2 and doc["licence"]["nom"] == "Licence Ouverte 2.0"
    by_id = {t["id"]: t for t in doc["territoires"]}
    hdc = by_id[HDC]
    assert hdc["population"] == 765780 and hdc["communes"] == 261
    assert len(hdc["epci"]) == 6 and hdc["regions"] == ["Hauts-de-France"]
    assert hdc["url"] == f"https://territoires-industrie.example.org/{HDC}/"
    assert hdc["actions"]["nombre"] == 8 and hdc["actions"]["budget_connu"] == 74864.98
    assert hdc["lettres"] == {
        "nombre": 2,
        "derniere": "2022-11-15",
        "flux_rss": f"https://territoires-industrie.example.org/{HDC}/lettres/rss.xml",
    }
    assert by_id["grand-chatellerault"]["actions"]["budget_connu"] is None
    assert (built_site / hdc["actions"]["donnees"].split("example.org/")[1]).is_file()
    text = (built_site / "territoires.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == ["grand-chatellerault", HDC]
    assert rows[1]["population"] == "765780" and rows[0]["budget_connu"] == ""


def test_territories_json_is_the_whole_documents_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """territoires.json, written a territory at a time (each kept for the next build of a
    preview), is byte for byte ``json.dumps`` of the whole document (indent 2)."""
    from tisite import memo
    from tisite.generate import national as nat

    site = load_site(write_project(tmp_path / "projet", 3, actions=1, letters=1))
    first = site.territories[0]  # a value with a line separator (U+2028), which JSON keeps
    site = dataclasses.replace(
        site,
        territories=[
            dataclasses.replace(first, info=first.info.model_copy(update={"nom": "Un\u2028deux"})),
            *site.territories[1:],
        ],
    )
    url, licence, day = "https://exemple.org/", {"nom": "LO 2.0"}, dt.date(2026, 12, 5)

    def whole(model: SiteModel) -> str:
        doc = {
            "titre": model.settings.titre,
            "date": day.isoformat(),
            "licence": licence,
            "referentiel": model.reference_source,
            "nombre": len(model.territories),
            "territoires": [nat.territory_summary(t, url) for t in model.territories],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    with monkeypatch.context() as keeping:  # as in a process that builds again
        keeping.setitem(memo._on, "kept", True)
        for _ in range(2):  # written, then taken from the memo
            assert nat.territories_json(site, url, licence, day) == whole(site)
    empty = dataclasses.replace(site, territories=[])
    assert nat.territories_json(empty, url, licence, day) == whole(empty)
    assert "Un\u2028deux" in nat.territories_json(site, url, licence, day)
    # Control: the territories' parts without the list's indent make another text.
    monkeypatch.setattr(nat, "_summary_json", lambda t, u: json.dumps(nat.territory_summary(t, u)))
    assert nat.territories_json(site, url, licence, day) != whole(site)


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 synthetic territories in several regions, with 2 actions and 1 letter each."""
    root = write_project(tmp_path_factory.mktemp("national") / "projet", 20, actions=2, letters=1)
    build_site(root)
    return root


@pytest.mark.lent
def test_navigation_is_grouped_by_region_at_scale(national: Path) -> None:
    site = load_site(national)
    nav = Renderer(site).nav()
    regions = {region for region, _ in site.by_region()}
    assert len(regions) > 3
    top = [next(iter(item)) for item in nav]
    assert top[:3] == ["Accueil", "Tableau de bord national", "Toutes les fiches actions"]
    assert set(top[3:]) == regions
    # With navigation.prune a page lists the regions and only its own region's territories.
    first = site.territories[0]
    page = soup_of(national / "site" / first.slug / "carte-identite" / "index.html")
    nav_text = page.select_one("nav.md-nav--primary").get_text(" ")
    others = [t for t in site.territories if t.regions[0] != first.regions[0]]
    assert first.nom in nav_text and others
    assert not [t.nom for t in others if f"{t.nom} " in nav_text + " "]
    dashboard = soup_of(national / "site" / "tableau-de-bord" / "index.html").get_text(" ")
    assert "20 Territoires d'industrie" in " ".join(dashboard.split())
    doc = json.loads((national / "site" / "territoires.json").read_text(encoding="utf-8"))
    assert doc["nombre"] == 20 and sum(t["actions"]["nombre"] for t in doc["territoires"]) == 40


@pytest.mark.lent
def test_one_territory_preview_builds_only_that_territory(national: Path, tmp_path: Path) -> None:
    result = ti_inprocess(
        "build", "--territoire", "territoire-003", "--site-dir", str(tmp_path / "s"), cwd=national
    )
    assert result.returncode == 0, result.stderr
    built = {p.name for p in (tmp_path / "s").iterdir() if p.is_dir()}
    assert "territoire-003" in built and "tableau-de-bord" in built
    assert not {f"territoire-{k:03d}" for k in range(1, 21) if k != 3} & built


@pytest.mark.lent
def test_an_interregional_territory_is_listed_in_each_region_and_counted_once(
    project: Path,
) -> None:
    """CA Moulins Communauté spans Allier (Auvergne-Rhône-Alpes) and Nièvre
    (Bourgogne-Franche-Comté): added to Hainaut-Douaisis-Cambrésis, the territory lies in three
    regions, is listed in each with the others named, and every total counts it once."""
    path = project / "territoires/hainaut-douaisis-cambresis/territoire.yml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("epci:\n", 'epci:\n  - siren: "200071140"\n', 1), "utf-8")
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    home = soup_of(site / "index.html").select_one("article")
    listed = [a for a in home.select(".grid.cards a") if a["href"].startswith(HDC)]
    assert len(listed) == 3  # Hauts-de-France, Auvergne-Rhône-Alpes, Bourgogne-Franche-Comté
    home_text = " ".join(home.get_text(" ").split())
    assert "Aussi en Auvergne-Rhône-Alpes et Bourgogne-Franche-Comté" in home_text
    assert "2 Territoires d'industrie" in home_text
    dashboard = soup_of(site / "tableau-de-bord/index.html").select_one("article")
    regions = dashboard.select_one("caption#tableau-regions").find_parent("table")
    cells = {tr.th.get_text(): [td.get_text() for td in tr("td")] for tr in regions.tbody("tr")}
    assert cells["Auvergne-Rhône-Alpes"][2] == "74\u202f864,98\xa0€"
    # the total counts each territory, action and euro once, whatever the regions; it is the
    # table's totals row (<tfoot>), not one more region
    assert "Total (chaque territoire une fois)" not in cells
    (total,) = regions.tfoot("tr")
    assert total.th["scope"] == "row"
    assert total.th.get_text() == "Total (chaque territoire une fois)"
    assert [td.get_text() for td in total("td")] == ["2", "10", "74\u202f864,98\xa0€", "2"]
    assert "figure dans chacune" in regions.caption.get_text()
    data = json.loads((site / "territoires.json").read_text("utf-8"))
    assert len(data["territoires"]) == 2
    rows = list(csv.DictReader(io.StringIO((site / "territoires.csv").read_text("utf-8-sig"))))
    assert len(rows) == 2


def test_national_map_and_its_list_by_departement(built_site: Path) -> None:
    """The home page's map is a picture (no script, no tile, nothing from another host) with a
    named link per département over it; the list beside it names each département and links
    its territories."""
    svg = (built_site / "carte-territoires.svg").read_text("utf-8")
    assert "<title>Nord : 1</title>" in svg and "<title>Vienne : 1</title>" in svg
    assert "<title>Ain : 0</title>" in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    home = soup_of(built_site / "index.html").select_one("article")
    img = home.select_one("figure.ti-national-map img")
    assert img["src"] == "carte-territoires.svg" and "un lien vers sa ligne" in img["alt"]
    links = home.select("figure.ti-national-map svg.ti-map-links a")
    assert [(a["href"], a["aria-label"]) for a in links] == [
        ("#departement-59", "Nord : 1 territoire"),
        ("#departement-86", "Vienne : 1 territoire"),
    ]
    assert home.select_one("#departement-59") is not None
    items = {
        li.strong.get_text(): [a["href"] for a in li("a")]
        for li in home.select(".ti-departements li")
    }
    assert items["Nord (59)"] == [f"{HDC}/"]
    assert items["Vienne (86)"] == ["grand-chatellerault/"]
