"""Action plan: model, cross-file validation, pages, exports and redirects."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from frictionless import Resource, Schema

from conftest import ROOT, SECRET_ACTION, build_site, copy_project, flat
from tisite.content.errors import ContentError
from tisite.content.loader import load_site
from tisite.generate import actionplan
from tisite.generate import charts as charts_module
from tisite.generate.actionplan import STATUS_ORDER

HDC = "territoires/hainaut-douaisis-cambresis"
ACTIONS = f"{HDC}/actions"
SCHEMA = ROOT / "hooks/tisite/data/projets-territoire.schema.json"


def hdc(root: Path):  # type: ignore[no-untyped-def]
    territory = load_site(root).territory("hainaut-douaisis-cambresis")
    assert territory is not None
    return territory


def test_model_derives_budget_status_and_lateness(project: Path) -> None:
    t = hdc(project)
    assert len(t.actions) == 8
    chef = t.action("chef-de-projet")
    assert chef is not None
    assert chef.budget_total == 74864.98
    assert chef.budget_acquis == 10833.33
    assert (chef.statut, chef.phase) == ("En cours", "Opération")
    assert not chef.is_late(dt.date(2024, 9, 1))
    assert chef.is_late(dt.date(2024, 9, 15))
    assert t.action("communication").budget_total is None  # unknown, never invented
    assert actionplan.budget_known(t.actions) == (74864.98, 1)
    assert actionplan.status_counts(t.actions) == [("En cours", 8)]
    quarters = actionplan.changes_by_quarter(t.actions)
    assert [(q.label, len(c)) for q, c in quarters] == [("3e trimestre 2022", 8)]


NOT_A_MEMBER = (
    f"{ACTIONS}/communication.md:8: champ « epci[1] » : l'EPCI 248600413 ne fait pas partie du "
    "territoire (membres : 200030633 (CA du Caudrésis et du Catésis), 200042190 (CA de la Porte "
    "du Hainaut), 200043396 (CA Maubeuge Val de Sambre), 200044618 (CA Douaisis Agglo), "
    "200068500 (CA de Cambrai), 245901160 (CA Valenciennes Métropole)) ; `ti epci <nom>` donne "
    "le SIREN d'une intercommunalité"
)


def test_cross_file_errors_are_reported_with_lines(project: Path) -> None:
    path = project / ACTIONS / "communication.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("objectif: attractivite", "objectif: attractivité-du-territoire")
    text = text.replace(
        "axe: attirer", 'axe: attirer\nepci: ["248600413"]\nactions_liees: [inconnue]'
    )
    path.write_text(text, encoding="utf-8")
    (project / ACTIONS / "Mauvais Nom.md").write_text("---\ntitre: x\n---\n", encoding="utf-8")
    bad_budget = project / ACTIONS / "chef-de-projet.md"
    bad_budget.write_text(
        bad_budget.read_text(encoding="utf-8").replace("montant: 9865", "montant: douze mille"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        load_site(project)
    errors = [p.format() for p in info.value.errors]
    assert errors == [
        f"{ACTIONS}/Mauvais Nom.md: nom de fichier invalide : lettres minuscules sans accent, "
        "chiffres et tirets seulement, suivis de .md (il devient l'adresse de l'action) ; "
        "renommez-le « mauvais-nom.md »",
        f"{ACTIONS}/chef-de-projet.md:27: champ « budget[1].montant » : doit être un nombre, sans "
        "espace ni unité (reçu « douze mille »)",
        # the fiche is refused for its objective: its EPCIs are said all the same (review:
        # a partner saw this only after fixing the rest)
        NOT_A_MEMBER,
        f"{ACTIONS}/communication.md:10: champ « objectif » : identifiant invalide (reçu "
        "« attractivité-du-territoire ») : vouliez-vous dire « attractivite » ? Sinon, indiquez "
        "l'identifiant d'un objectif de priorites.yml (ce qui suit « id: ») : "
        "« industrie-du-futur », « attractivite », « filieres »",
    ]
    # an objective's title (a curly apostrophe as typed) is told its identifier
    path.write_text(
        text.replace(
            "objectif: attractivité-du-territoire", "objectif: Préparer l’industrie du futur"
        )
    )
    with pytest.raises(ContentError) as info:
        load_site(project)
    assert (
        f"{ACTIONS}/communication.md:10: champ « objectif » : « Préparer l’industrie du futur » "
        "est le titre d'un objectif : écrivez son identifiant, « industrie-du-futur » (celui qui "
        "suit « id: » dans priorites.yml)"
    ) in [p.format() for p in info.value.errors]
    path.write_text(
        text.replace("objectif: attractivité-du-territoire", "objectif: inconnu").replace(
            "actions_liees: [inconnue]", "actions_liees: [inconnue, communication, chef-de-projt]"
        )
    )
    bad_budget.write_text(bad_budget.read_text(encoding="utf-8").replace("douze mille", "9865"))
    (project / ACTIONS / "Mauvais Nom.md").unlink()
    with pytest.raises(ContentError) as info:
        load_site(project)
    assert [p.format() for p in info.value.errors] == [
        NOT_A_MEMBER,
        f"{ACTIONS}/communication.md:9: champ « actions_liees[1] » : action inconnue (reçu "
        "« inconnue ») : indiquez le nom d'un fichier de actions/ sans « .md »",
        f"{ACTIONS}/communication.md:9: champ « actions_liees[2] » : « communication » est cette "
        "fiche même : une fiche n'est pas liée à elle-même ; retirez-la de la liste",
        f"{ACTIONS}/communication.md:9: champ « actions_liees[3] » : action inconnue (reçu "
        "« chef-de-projt ») : vouliez-vous dire « chef-de-projet » ? Sinon, indiquez le nom d'un "
        "fichier de actions/ sans « .md »",
        f"{ACTIONS}/communication.md:10: champ « objectif » : objectif inconnu (reçu « inconnu ») : "
        "indiquez l'identifiant d'un objectif de priorites.yml (ce qui suit « id: ») : "
        "« industrie-du-futur », « attractivite », « filieres »",
    ]


def test_an_unknown_objective_is_said_with_the_other_errors_of_its_file(project: Path) -> None:
    """A refused field and an unknown objective in one fiche: both said at once (outside
    review: the objective came only once the other was mended). Control: a known objective
    is not said."""
    path = project / ACTIONS / "communication.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("axe: attirer", "axe: attire").replace(
            "objectif: attractivite", "objectif: foncier"
        ),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        load_site(project)
    errors = [p.format() for p in info.value.errors]
    assert any("« axe »" in x for x in errors), errors
    [objective] = [x for x in errors if "« objectif »" in x]
    assert objective.startswith(
        f"{ACTIONS}/communication.md:8: champ « objectif » : objectif inconnu"
    )
    path.write_text(text.replace("axe: attirer", "axe: attire"), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_site(project)
    assert not [p for p in info.value.errors if p.field == "objectif"]


def test_missing_front_matter_and_bad_status(project: Path) -> None:
    (project / ACTIONS / "sans-entete.md").write_text("# Titre\n\nTexte.\n", encoding="utf-8")
    path = project / ACTIONS / "communication.md"
    path.write_text(path.read_text(encoding="utf-8").replace("statut: En cours", "statut: Fini"))
    with pytest.raises(ContentError) as info:
        load_site(project)
    errors = [p.format() for p in info.value.errors]
    assert errors[0].startswith(
        f"{ACTIONS}/communication.md:25: champ « avancement[1].statut » : "
        "valeur non reconnue (reçu « Fini »)"
    )
    assert errors[1] == (
        f"{ACTIONS}/sans-entete.md:1: en-tête manquant : le fichier doit commencer par une ligne "
        "« --- », les champs YAML, puis une autre ligne « --- »"
    )


@pytest.mark.lent
def test_drafts_are_not_published(renamed_project: Path) -> None:
    project = renamed_project  # with a draft fiche action, action-secrete
    draft = (project / ACTIONS / "action-secrete.md").read_text(encoding="utf-8")
    assert "brouillon: true" in draft and SECRET_ACTION in draft
    assert hdc(project).action("action-secrete") is None
    preview = load_site(project, drafts=True).territory("hainaut-douaisis-cambresis")
    assert preview is not None and preview.action("action-secrete") is not None
    site = project / "site"
    assert not (site / "hainaut-douaisis-cambresis/plan-action/action-secrete").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".xml", ".txt", ".ics"}:
            content = path.read_text(encoding="utf-8")
            assert "action-secrete" not in content, path
            assert "Action secrète" not in content, path
    assert "action-secrete" not in (project / "urls-publiees.txt").read_text(encoding="utf-8")


def test_index_page_lists_groups_filters_and_dashboards(built_site: Path) -> None:
    html = (built_site / "hainaut-douaisis-cambresis/plan-action/index.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    groups = [h.get_text(" ", strip=True) for h in soup.select("[data-group] h3")]
    assert groups == [
        "Attirer (2 actions)",
        "Recruter (1 action)",
        "Innover (2 actions)",
        "Simplifier (3 actions)",
    ]
    cards = soup.select(".ti-action-card")
    assert len(cards) == 8
    assert all(card.find("a")["href"].endswith("/") for card in cards)
    form = soup.select_one("form.ti-filters")
    assert form is not None and form.has_attr("hidden")  # shown by JavaScript only
    # the filters that can narrow the list (every action « En cours » and for the whole
    # territory: no status nor intercommunality filter, see test_views)
    assert [s["name"] for s in form.select("select")] == ["axe", "priorite", "porteur"]
    charts = soup.select('.ti-chart[role="img"]')
    assert len(charts) == 4
    funders = charts[0]
    # one image for assistive technologies, named with every figure
    assert funders["aria-label"].startswith("Financements par partenaire")
    assert "CA de Cambrai : 10\u202f833,33\u00a0€" in funders["aria-label"]
    # labels and values are text (readable on a phone); bars in proportion to the largest
    rows = funders.select(".ti-chart__row")
    labels = [r.select_one(".ti-chart__label").get_text() for r in rows]
    assert "CCI Grand Hainaut" in labels
    widths = {
        r.select_one(".ti-chart__label").get_text(): float(r.select_one("rect")["width"])
        for r in rows
    }
    assert widths["CA de Cambrai"] == 100.0
    assert widths["CCI Grand Hainaut"] == round(100 * 9865 / 10833.33, 1)
    table = soup.select(".ti-chart-data table")[0]
    assert "CA de Cambrai" in table.get_text() and "10\u202f833,33\u00a0€" in table.get_text()
    # colours mean something or nothing: one colour for partners, a status in its badge's
    # colour (outside review: « Terminé » drawn red, by its position)
    assert {r.select_one("rect")["fill"] for r in rows} == {charts_module.BAR}
    statuses = next(c for c in charts if c["aria-label"].startswith("Actions par statut"))
    fills = {
        r.select_one(".ti-chart__label").get_text(): r.select_one("rect")["fill"]
        for r in statuses.select(".ti-chart__row")
    }
    assert fills and all(fills[label] == charts_module.STATUS_BARS[label] for label in fills)
    assert set(charts_module.STATUS_BARS) == set(STATUS_ORDER)  # every status has its colour
    assert {a["href"] for a in soup.select(".ti-links a[download]")} == {
        "actions.csv",
        "actions.json",
        "projets-territoire.csv",
    }


def test_action_page_shows_every_field(built_site: Path) -> None:
    page = built_site / "hainaut-douaisis-cambresis/plan-action/chef-de-projet/index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    text = soup.select_one("article").get_text(" ")
    for fact in (
        "CCI Grand Hainaut",
        "74\u202f864,98\u00a0€",
        "acquis",
        "Salaire et charges",
        "15 septembre 2022",
        "14 septembre 2024",
        "Soutenir les filières industrielles du territoire",
        "43",
        "entreprises",
    ):
        assert fact in text, fact
    assert soup.select_one(".ti-action-status .ti-badge--en-cours").get_text() == "En cours"
    assert soup.select_one("time[datetime='2022-07-06']") is not None
    unknown = built_site / "hainaut-douaisis-cambresis/plan-action/communication/index.html"
    soup = BeautifulSoup(unknown.read_text("utf-8"), "html.parser")
    # an unknown budget is said once, in the facts (no section saying it again: review)
    facts = {
        dt.get_text(): dd.get_text()
        for dt, dd in zip(soup.select("dl.ti-facts dt"), soup.select("dl.ti-facts dd"), strict=True)
    }
    assert facts["Budget prévisionnel"] == "non\u00a0renseigné"  # (typography: no break)
    assert soup.find(id="budget-previsionnel") is None


def test_progress_report(built_site: Path) -> None:
    page = built_site / "hainaut-douaisis-cambresis/plan-action/avancement/index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    assert soup.find(id="t3-2022") is not None
    late = soup.find(id="actions-en-retard-ou-bloquees").find_next("ul")
    assert len(late.find_all("li")) == 8  # end dates of the 2023-2024 roadmap are past
    assert "échéance dépassée (décembre 2024)" in late.get_text()
    # the summary's total is its totals row, each figure under its own column's header
    summary = soup.find(id="synthese").find_next("table")
    assert "Total" not in summary.tbody.get_text()
    (total,) = summary.tfoot("tr")
    assert total.th["scope"] == "row" and total.th.get_text() == "Total"
    assert len(total(["th", "td"])) == len(summary.thead.tr("th"))
    assert [td.get_text() for td in total("td")] == ["8"]


def test_open_data_exports(built_site: Path, tmp_path: Path) -> None:
    base = built_site / "hainaut-douaisis-cambresis/plan-action"
    rows = list(csv.DictReader(io.StringIO((base / "actions.csv").read_text("utf-8-sig"))))
    assert len(rows) == 8
    chef = next(r for r in rows if r["id"] == "chef-de-projet")
    assert chef["budget_total"] == "74864.98" and chef["statut"] == "En cours"
    assert (
        chef["url"]
        == "https://territoires-industrie.example.org/hainaut-douaisis-cambresis/plan-action/chef-de-projet/"
    )
    doc = json.loads((base / "actions.json").read_text("utf-8"))
    assert doc["licence"]["nom"] == "Licence Ouverte 2.0"
    assert len(doc["actions"]) == 8 and "brouillon" not in doc["actions"][0]
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text("utf-8")))
    report = Resource(path="projets-territoire.csv", basepath=str(base), schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])
    # Negative control: the validator does catch a value outside the official vocabulary.
    broken = tmp_path / "broken.csv"
    broken.write_text(
        (base / "projets-territoire.csv").read_text("utf-8").replace(",Idée,", ",Rêve,", 1)
    )
    assert not Resource(path="broken.csv", basepath=str(tmp_path), schema=schema).validate().valid


@pytest.mark.lent
def test_renamed_action_redirects(renamed_project: Path) -> None:
    project = renamed_project  # communication renamed, its former id declared
    new = project / ACTIONS / "communication-linkedin.md"
    assert "anciens_identifiants: [communication]" in new.read_text(encoding="utf-8")
    assert not (project / ACTIONS / "communication.md").exists()
    redirect = project / "site/hainaut-douaisis-cambresis/plan-action/communication/index.html"
    soup = BeautifulSoup(redirect.read_text("utf-8"), "html.parser")
    assert (
        soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
        == "0; url=../communication-linkedin/"
    )
    assert soup.find("link", rel="canonical")["href"] == (
        "https://territoires-industrie.example.org/hainaut-douaisis-cambresis/plan-action/"
        "communication-linkedin/"
    )
    assert (
        project / "site/hainaut-douaisis-cambresis/plan-action/communication-linkedin/index.html"
    ).is_file()


FIGURES_ACTION = """---
titre: Chiffres à vérifier
resume: Une action aux montants en centimes.
axe: attirer
priorites: [foncier]
objectif: attirer
budget:
  - financeur: Région
    montant: 0.5
    statut: acquis
  - financeur: Département
    montant: 1000.25
    statut: prévisionnel
  - financeur: Europe
    montant: 40000
    statut: refusé
indicateurs:
  - nom: Emplois
    type: résultat
    cible: 8
    valeur: 1
avancement:
  - date: 2025-03-10
    phase: Opération
    statut: En cours
  - date: 2024-11-05
    phase: Idée
    statut: En retard
---
Texte.
"""
UNKNOWN_ACTION = """---
titre: Budget inconnu
resume: Une action dont seul le financement refusé a un montant.
axe: attirer
priorites: [foncier]
objectif: attirer
budget:
  - financeur: Région
    montant: 2000
    statut: refusé
  - financeur: Bpifrance
    statut: acquis
  - financeur: Banque des Territoires
    statut: prévisionnel
---
Texte.
"""
REFUSED_ACTION = """---
titre: Budget refusé
resume: Une action dont le seul financement a été refusé.
axe: attirer
priorites: [foncier]
objectif: attirer
budget:
  - financeur: Europe
    montant: 40000
    statut: refusé
---
Texte.
"""


@pytest.mark.lent
def test_published_figures_agree_with_the_sources(tmp_path: Path) -> None:
    """Outside audit of the published figures: the cents of a table are the same on every
    line and in its totals (« 0,50 € … 1 000,75 € », not « 1 € » under « 0,50 € »); halves are
    rounded up (an indicator at 1 of 8 is 13 %, not Python's 12 %; 1 000,75 € is 1 001 € in
    projets-territoire.csv); a budget whose lines were all refused is 0 €, not « non
    renseigné »; actions.json gives the acquired amount and the progress points in date order,
    like the pages; territoires.csv writes the known budget with its cents, like actions.csv."""
    project = copy_project(tmp_path / "projet")
    folder = project / "territoires" / "grand-chatellerault" / "actions"
    (folder / "chiffres.md").write_text(FIGURES_ACTION, encoding="utf-8")
    (folder / "refus.md").write_text(REFUSED_ACTION, encoding="utf-8")
    (folder / "inconnu.md").write_text(UNKNOWN_ACTION, encoding="utf-8")
    site = build_site(project)
    page = BeautifulSoup(
        (site / "grand-chatellerault/plan-action/chiffres/index.html").read_text("utf-8"),
        "html.parser",
    )
    budget = page.find("caption", string=re.compile("Budget prévisionnel")).find_parent("table")
    cells = [flat(td.get_text(strip=True)) for td in budget.select("td.ti-align-right")]
    assert cells == ["0,50 €", "1 000,25 €", "40 000,00 €", "1 000,75 €", "0,50 €"]
    assert "13 %" in flat(page.get_text())
    refused = BeautifulSoup(
        (site / "grand-chatellerault/plan-action/refus/index.html").read_text("utf-8"),
        "html.parser",
    )
    totals = [flat(td.get_text(strip=True)) for td in refused.select("tfoot td.ti-align-right")]
    assert totals == ["0 €", "0 €"]
    # amounts unknown but for a refused line (second review: « 0 € » was shown): unknown
    unknown = BeautifulSoup(
        (site / "grand-chatellerault/plan-action/inconnu/index.html").read_text("utf-8"),
        "html.parser",
    )
    totals = [flat(td.get_text(strip=True)) for td in unknown.select("tfoot td.ti-align-right")]
    assert totals == ["non renseigné", "non renseigné"]
    plan = site / "grand-chatellerault" / "plan-action"
    rows = {
        r["id"]: r
        for r in csv.DictReader(io.StringIO((plan / "actions.csv").read_text("utf-8-sig")))
    }
    assert (rows["chiffres"]["budget_total"], rows["chiffres"]["budget_acquis"]) == (
        "1000.75",
        "0.50",
    )
    assert (rows["refus"]["budget_total"], rows["refus"]["budget_acquis"]) == ("0.00", "0.00")
    assert (rows["inconnu"]["budget_total"], rows["inconnu"]["budget_acquis"]) == ("", "")
    projets = list(
        csv.DictReader(io.StringIO((plan / "projets-territoire.csv").read_text("utf-8-sig")))
    )
    assert "1001" in [p["budgetPrevisionnel"] for p in projets]
    exported = {
        a["id"]: a for a in json.loads((plan / "actions.json").read_text("utf-8"))["actions"]
    }
    assert exported["chiffres"]["budget_acquis"] == 0.5
    assert [e["date"] for e in exported["chiffres"]["avancement"]] == ["2024-11-05", "2025-03-10"]
    national = {
        r["id"]: r
        for r in csv.DictReader(io.StringIO((site / "territoires.csv").read_text("utf-8-sig")))
    }
    assert re.fullmatch(r"\d+\.\d\d", national["grand-chatellerault"]["budget_connu"])


def test_numbers_are_rounded_halves_up() -> None:
    """French readers round halves up; Python's round and Babel round them to even (second
    review: a share of 12,345 % shown 12,34 %)."""
    from tisite.generate import textutil

    assert textutil.number(12.345) == "12,35"
    assert textutil.euros(0.125) == "0,13\u00a0€"
    assert textutil.percent(1, 8) == 13 and textutil.percent(5, 1000) == 1
    assert textutil.half_up(1000.5) == 1001
    assert textutil.cents_sum([0.1, 0.2]) == 0.3 and textutil.cents_sum([0.5, 0.5]) == 1


def test_an_action_past_its_end_says_so_on_its_page_and_its_card(project: Path) -> None:
    """« En cours » two years after the planned end, with no final point: the fiche and its
    card in the plan say « Échéance dépassée » (the plan's figure counted it already).
    Control: the day before its end, neither does."""
    from tisite.build import SiteBuild

    hdc = "hainaut-douaisis-cambresis"
    for today, late in ((dt.date(2024, 9, 13), False), (dt.date(2026, 11, 22), True)):
        built = SiteBuild.load(project, today=today)
        content = {p.path: p.content for p in built.pages}
        page = BeautifulSoup(content[f"{hdc}/plan-action/chef-de-projet/index.md"], "html.parser")
        status = page.select_one(".ti-action-status").get_text(" ", strip=True)
        assert ("Échéance dépassée" in status) is late, status
        if late:
            assert (
                "(fin prévue : 14 septembre 2024 ; l'action n'a pas encore été déclarée terminée)"
                in status
            )
        plan = BeautifulSoup(content[f"{hdc}/plan-action/index.md"], "html.parser")
        card = next(
            c for c in plan.select(".ti-action-card") if "poste de chef de projet" in c.get_text()
        )
        assert ("Échéance dépassée" in card.get_text()) is late
        # the open data says what the pages say: late, and why (its end passed)
        files = dict(built.assets)
        rows = csv.DictReader(io.StringIO(_text(files[f"{hdc}/plan-action/actions.csv"])))
        row = next(r for r in rows if r["id"] == "chef-de-projet")
        word = "oui" if late else "non"
        assert (row["statut"], row["en_retard"], row["echeance_depassee"]) == (
            "En cours",
            word,
            word,
        )
        actions = json.loads(_text(files[f"{hdc}/plan-action/actions.json"]))["actions"]
        item = next(a for a in actions if a["id"] == "chef-de-projet")
        assert (item["en_retard"], item["echeance_depassee"]) == (late, late)
        assert json.loads(_text(files[f"{hdc}/plan-action/actions.json"]))["date"] == (
            today.isoformat()
        )
        count = sum(
            r["en_retard"] == "oui"
            for r in csv.DictReader(io.StringIO(_text(files[f"{hdc}/plan-action/actions.csv"])))
        )
        assert count == (8 if late else 0)  # every action of the example ends by 2024
        label = "actions" if count > 1 else "action"
        assert f"{count} {label} en retard" in plan.get_text(" ", strip=True)


def _text(content: str | bytes) -> str:
    return (content.decode("utf-8") if isinstance(content, bytes) else content).lstrip("\ufeff")


def test_the_budget_is_among_the_facts_at_the_top_of_a_fiche(built_site: Path) -> None:
    """A visitor on a phone reads the fiche's facts first: its budget is there (the table was
    two screens down), with a link to the table. Control: a fiche without budget lines says
    « non renseigné »."""
    facts = {}
    for fiche in (
        "hainaut-douaisis-cambresis/plan-action/chef-de-projet",
        "grand-chatellerault/plan-action/volontariat-territorial-entreprise",
    ):
        page = BeautifulSoup((built_site / fiche / "index.html").read_text("utf-8"), "html.parser")
        terms = {
            dt_.get_text(strip=True): dt_.find_next("dd") for dt_ in page.select("dl.ti-facts dt")
        }
        facts[fiche] = terms["Budget prévisionnel"]
        link = facts[fiche].find("a")
        if link is not None:
            assert page.find(id=link["href"].lstrip("#")) is not None
    first, second = facts.values()
    assert flat(first.get_text()).startswith(
        "74 864,98 € hors financements refusés, dont 10 833,33 € acquis (détail)"
    )
    assert flat(second.get_text()) == "non renseigné"


def test_a_total_missing_an_amount_says_it_is_what_is_known(project: Path) -> None:
    """A financer « non renseigné » among the lines counted (outside review: the fiche gave the
    sum as its budget, where the action index says « de budget connu »): the facts and the
    table's total say it. Control: every amount known, no such word."""
    from tisite.build import SiteBuild

    path = project / ACTIONS / "chef-de-projet.md"
    text = path.read_text(encoding="utf-8")
    page = "hainaut-douaisis-cambresis/plan-action/chef-de-projet/index.md"

    def fiche() -> tuple[str, str]:
        built = SiteBuild.load(project)
        soup = BeautifulSoup(next(p.content for p in built.pages if p.path == page), "html.parser")
        facts = {d.get_text(strip=True): d.find_next("dd") for d in soup.select("dl.ti-facts dt")}
        total = soup.select_one("tfoot th")
        return flat(facts["Budget prévisionnel"].get_text()), total.get_text()

    path.write_text(text.replace("    montant: 9865\n", "", 1), encoding="utf-8")
    said, total = fiche()
    assert said == (
        "64 999,98 € connus hors financements refusés, dont 10 833,33 € acquis ; 1 montant "
        "non renseigné (détail)"
    ), said
    assert total == "Total connu (hors financements refusés)"
    path.write_text(text, encoding="utf-8")
    said, total = fiche()
    assert "connu" not in said and "non renseigné" not in said
    assert total == "Total (hors financements refusés)"


def test_a_fiche_gives_a_contact_and_the_way_to_the_other_actions(built_site: Path) -> None:
    """A visitor from a post on one fiche: whom to write to (the territory's contact) and the
    way to the territory's other actions, on the fiche itself. Control: a territory without a
    contact gets the way to its plan, and no address made up."""
    hdc = BeautifulSoup(
        (built_site / "hainaut-douaisis-cambresis/plan-action/chef-de-projet/index.html").read_text(
            "utf-8"
        ),
        "html.parser",
    )
    section = hdc.find(id="contact-et-autres-actions").find_next_siblings("p")
    text = flat(" ".join(p.get_text() for p in section[:2]))
    assert "Une question sur cette action ?" in text and "8 fiches actions" in text
    assert hdc.select_one('article a[href="mailto:territoire-industrie@example.org"]') is not None
    # and near the top, among the facts, second after the carrier (on a phone, the contact
    # was some twenty screens down)
    facts = [term.get_text() for term in hdc.select("dl.ti-facts > div > dt")]
    assert facts[:2] == ["Porteur / maître d'ouvrage", "Contact"], facts
    contact = hdc.select("dl.ti-facts > div")[1]
    assert contact.select_one('a[href="mailto:territoire-industrie@example.org"]') is not None
    gc = BeautifulSoup(
        (
            built_site
            / "grand-chatellerault/plan-action/volontariat-territorial-entreprise/index.html"
        ).read_text("utf-8"),
        "html.parser",
    )
    following = gc.find(id="contact-et-autres-actions").find_next_sibling("p")
    assert following.a["href"] == "../" and "Une question" not in following.get_text()
    assert gc.select_one('article a[href^="mailto:"]') is None
    assert "Contact" not in [term.get_text() for term in gc.select("dl.ti-facts > div > dt")]


def test_a_descriptions_headings_sit_under_its_section(project: Path) -> None:
    """A fiche action's description is shown under its « Description » heading (h2): its own
    « ## » headings are h3 there, « ### » h4, as the check asks them to be written (« ## »
    first, as in a letter), and an objective's text in the priorities page under its h2 too.
    Before, « ## Contexte » was an h2 beside an empty « Description ». Control: a letter's
    « ## » stays an h2 (the letter's text is under its title)."""
    from tisite.build import SiteBuild

    hdc = "hainaut-douaisis-cambresis"
    path = project / HDC / "actions/communication.md"
    path.write_text(
        path.read_text("utf-8") + "\n## Contexte\n\nUn texte.\n\n### Détail\n\nUn autre.\n",
        encoding="utf-8",
    )
    built = SiteBuild.load(project)
    assert not [w for w in built.site.warnings if "intertitre" in w.message]
    content = {p.path: p.content for p in built.pages}
    page = BeautifulSoup(content[f"{hdc}/plan-action/communication/index.md"], "html.parser")
    outline = [(h.name, h.get_text(strip=True).rstrip("¶")) for h in page.select("h2, h3, h4")]
    at = outline.index(("h2", "Description"))
    assert outline[at + 1 : at + 3] == [("h3", "Contexte"), ("h4", "Détail")], outline
    letter = BeautifulSoup(content[f"{hdc}/lettres/15/index.md"], "html.parser")
    assert letter.select("h2")  # control: a letter's « ## » stays an h2
    assert next(h.name for h in letter.select("h2, h3")) == "h2"


def test_the_progress_report_says_when_its_points_were_last_given(project: Path) -> None:
    """« État établi au 7 décembre 2026 » over points all from July 2022 read as news: the
    report gives its newest point's date, and says the fiches may need updating when that
    point is more than six months old. Control: a month after the point, no such note."""
    from tisite.build import SiteBuild

    page = "hainaut-douaisis-cambresis/plan-action/avancement/index.md"
    for today, stale in ((dt.date(2022, 8, 6), False), (dt.date(2026, 12, 7), True)):
        content = {p.path: p.content for p in SiteBuild.load(project, today=today).pages}
        text = " ".join(flat(BeautifulSoup(content[page], "html.parser").get_text(" ")).split())
        assert "Dernier point d'avancement saisi : 6 juillet 2022" in text
        assert ("les fiches sont peut-être à mettre à jour" in text) is stale, today


def test_a_refused_fiche_s_diagnostic_is_checked_in_the_same_round(project: Path) -> None:
    """A fiche refused for its budget: an image in its diagnostic is said at once too."""
    path = project / ACTIONS / "chef-de-projet.md"
    text = path.read_text(encoding="utf-8").replace("montant: 9865", "montant: douze mille")
    hostile = "diagnostic: >-\n  <img src=x onerror=alert(1)>\n"
    path.write_text(text.replace("diagnostic: >-\n", hostile, 1), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_site(project)
    fields = [p.field for p in info.value.errors if p.file.endswith("chef-de-projet.md")]
    assert "diagnostic" in fields and "budget[1].montant" in fields, fields
    path.write_text(text, encoding="utf-8")  # control: the budget alone
    with pytest.raises(ContentError) as info:
        load_site(project)
    assert [p.field for p in info.value.errors] == ["budget[1].montant"]
