"""French that reads as written by a person: plurals, alphabetical order, articles, numbers and
booleans as French contributors write them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ti_inprocess
from tisite.content import schema
from tisite.generate import textutil

HDC = "hainaut-douaisis-cambresis"
ACTION = f"territoires/{HDC}/actions/chef-de-projet.md"


def test_plurals_order_and_articles() -> None:
    assert textutil.plural(0, "action") == "0 action"
    assert textutil.plural(1, "action") == "1 action"
    assert textutil.plural(2, "lettre d'information", "lettres d'information") == (
        "2 lettres d'information"
    )
    assert textutil.french_sorted(["Boumourt", "Bésingrand", "Bourg", "Élancourt", "Eysus"]) == [
        "Bésingrand",
        "Boumourt",
        "Bourg",
        "Élancourt",
        "Eysus",
    ]
    assert sorted(["Boumourt", "Bésingrand"]) == ["Boumourt", "Bésingrand"]  # the trap
    assert textutil.of_name("CC de Lacq-Orthez") == "de la CC de Lacq-Orthez"
    assert textutil.of_name("Eurométropole de Strasbourg") == "de l'Eurométropole de Strasbourg"
    assert textutil.of_name("Orléans Métropole") == "d'Orléans Métropole"
    assert textutil.of_name("Grand Paris Sud") == "de Grand Paris Sud"
    phrase = textutil.licence_phrase(schema.Licence())
    assert phrase.startswith("sous <a") and "licence Licence" not in phrase


def test_built_pages_read_as_french(built_site: Path) -> None:
    soup = BeautifulSoup(
        (built_site / HDC / "carte-identite/index.html").read_text("utf-8"), "html.parser"
    )
    summaries = [s.get_text() for s in soup.select(".ti-communes summary")]
    assert "Les 35 communes de la CA Valenciennes Métropole" in summaries
    for details in soup.select(".ti-communes p"):
        names = [n.strip() for n in details.get_text().rstrip(".").split(",")]
        assert names == textutil.french_sorted(names)
    home = (built_site / "index.html").read_text("utf-8")
    assert "population municipale en vigueur en 2026" in home
    for path in built_site.rglob("index.html"):
        text = BeautifulSoup(path.read_text("utf-8"), "html.parser").get_text(" ")
        assert not re.search(r"\w\(s\)", text), path  # « action(s) »: never
        assert "licence Licence" not in text, path


@pytest.mark.lent
def test_numbers_and_booleans_as_french_contributors_write_them(project: Path) -> None:
    path = project / ACTION
    original = path.read_text("utf-8")
    cases = {
        "15.000": "« 15.000 » se lit 15 (le point sépare les décimales) : pour 15 000, écrivez "
        "15000, sans séparateur de milliers",
        "15 000": "doit être un nombre écrit sans séparateur de milliers (reçu « 15 000 ») : "
        "écrivez 15000",
        "15,5": "doit être un nombre (reçu « 15,5 ») : la virgule décimale s'écrit avec un "
        "point, 15.5",
    }
    for written, message in cases.items():
        path.write_text(original.replace("montant: 9865", f"montant: {written}", 1), "utf-8")
        result = ti_inprocess("check", "--rapide", cwd=project)
        assert result.returncode == 1, written
        assert f"{ACTION}:27: champ « budget[1].montant » : {message}" in result.stderr
    path.write_text(original, "utf-8")
    # a SIREN as printed on documents, and « oui »/« non » where true/false is expected
    territory = project / f"territoires/{HDC}/territoire.yml"
    text = territory.read_text("utf-8")
    territory.write_text(text.replace('"200042190"', '"200 042 190"'), "utf-8")
    letter = project / f"territoires/{HDC}/lettres/16.md"  # a draft (brouillon: true)
    draft = letter.read_text("utf-8")
    letter.write_text(draft.replace("brouillon: true", "brouillon: Oui"), "utf-8")
    published = project / f"territoires/{HDC}/lettres/15.md"  # the same build: « non »
    text = published.read_text("utf-8")
    assert "brouillon" not in text
    published.write_text(text.replace("---\n", "---\nbrouillon: non\n", 1), "utf-8")
    built = ti_inprocess("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert not (project / "site" / HDC / "lettres/16").exists()  # « Oui » is true
    assert (project / "site" / HDC / "lettres/15/index.html").is_file()  # « non » is false


def test_every_number_problem_of_a_file_at_once_and_units_explained(project: Path) -> None:
    path = project / ACTION
    text = path.read_text("utf-8")
    text = text.replace("montant: 9865", "montant: 15.000", 1)
    text = text.replace("montant: 10833.33", "montant: 15k€", 1)
    text = text.replace("montant: 10833.33", "montant: 15 000 €", 1)
    path.write_text(text, "utf-8")
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert result.returncode == 1
    assert "« 15.000 » se lit 15" in result.stderr
    assert "(reçu « 15k€ ») : écrivez 15000" in result.stderr
    assert "(reçu « 15 000 € ») : écrivez 15000" in result.stderr


def test_a_number_yaml_reads_otherwise_than_written_is_refused(project: Path) -> None:
    """« 0017 » read as 17 (its zeros lost), « 0x1F » as 31, « 1_000 » as 1000: a code meant as
    text, or a typing mistake, refused with the way to write it rather than published changed.
    Control: the same values quoted, or a plain number, pass."""
    path = project / ACTION
    original = path.read_text("utf-8")
    cases = {
        "montant: 09865": ("budget[1].montant", "« 09865 » se lit comme le nombre 9865"),
        "montant: 9_865": ("budget[1].montant", "« 9_865 » se lit comme le nombre 9865"),
        "objectif: 0x1F": ("objectif", "« 0x1F » se lit comme le nombre 31"),
    }
    text = original.replace("montant: 9865", "montant: 09865", 1)
    text = text.replace("objectif: filieres", "objectif: 0x1F", 1)
    path.write_text(text, "utf-8")
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert result.returncode == 1
    for field, message in cases.values():
        if "9_865" in message:
            continue
        assert f"champ « {field} » : {message} : pour un texte" in result.stderr, result.stderr
    assert 'mettez-le entre guillemets ("0x1F")' in result.stderr
    path.write_text(original.replace("montant: 9865", "montant: 9_865", 1), "utf-8")
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert result.returncode == 1 and cases["montant: 9_865"][1] in result.stderr
    # control: written plainly, or quoted where text is expected, the same values pass the check
    # as far as their own rules go (« 0x1F » is then an unknown objective, named as such)
    text = original.replace("objectif: filieres", 'objectif: "0x1F"', 1)
    path.write_text(text, "utf-8")
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert "se lit comme le nombre" not in result.stderr
    assert "0x1F" in result.stderr  # not an objective of the territory: its own message
    path.write_text(original, "utf-8")
    assert ti_inprocess("check", "--rapide", cwd=project).returncode == 0


def test_a_hashtag_after_a_value_is_not_cut_as_a_yaml_comment(project: Path) -> None:
    """« titre: Lettre #15 - … » is read « Lettre » by YAML (a « # » after a space starts a
    comment): refused with the way to keep it, in front matter and in a YAML file alike.
    Control: quoted, or a comment written as one (« # » then a space), the files pass."""
    letter = project / f"territoires/{HDC}/lettres/15.md"
    agenda = project / f"territoires/{HDC}/agenda.yml"
    texts = letter.read_text("utf-8"), agenda.read_text("utf-8")
    title = "titre: Décarbonation de l'industrie, les dispositifs à connaître"
    place = "lieu: Salle des fêtes, Montigny-en-Cambrésis"
    letter.write_text(texts[0].replace(title, "titre: Lettre #15 - Décarbonation", 1), "utf-8")
    agenda.write_text(texts[1].replace(place, "lieu: Salle des fêtes #2, Montigny", 1), "utf-8")
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert result.returncode == 1
    assert (
        "lettres/15.md:3: champ « titre » : « #15 - Décarbonation » est lu comme un "
        "commentaire YAML" in result.stderr
    ), result.stderr
    assert 'par exemple titre: "Lettre #15 - Décarbonation"' in result.stderr
    assert "agenda.yml:6: champ « lieu » : « #2, Montigny » est lu comme" in result.stderr
    letter.write_text(texts[0].replace(title, 'titre: "Lettre #15 - Décarbonation"', 1), "utf-8")
    agenda.write_text(texts[1].replace(place, place + "  # la grande salle", 1), "utf-8")
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert result.returncode == 0, result.stderr


@pytest.mark.lent
def test_the_new_letter_template_is_valid_with_its_examples_uncommented(project: Path) -> None:
    created = ti_inprocess("nouvelle-lettre", HDC, "--date", "2026-01-15", cwd=project)
    assert created.returncode == 0, created.stderr
    path = project / f"territoires/{HDC}/lettres/17.md"  # after the draft n°16
    assert "lettres/17.md" in created.stdout
    text = path.read_text("utf-8")
    # the site adds « Lettre n°17 : » itself, and says so instead of suggesting to type it
    assert "titre: Titre de la lettre\n" in text and "ne le répétez pas" in text
    uncommented = re.sub(r"^# ((?:appels_a_projets|evenements):|  [- ] )", r"\1", text, flags=re.M)
    assert "appels_a_projets:\n  - titre:" in uncommented
    path.write_text(uncommented, "utf-8")
    checked = ti_inprocess("check", "--rapide", cwd=project)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.lent
def test_a_link_to_a_folder_is_an_error_for_check(project: Path) -> None:
    letter = project / f"territoires/{HDC}/lettres/15.md"
    letter.write_text(
        letter.read_text("utf-8") + "\nVoir le [plan d'action](../plan-action/).\n", "utf-8"
    )
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert f"territoires/{HDC}/lettres/15.md:" in output
    assert (
        "lien « ../plan-action/ » non reconnu : un lien vers une page du site vise son " in output
    )
    assert "Construction vérifiée" not in output
    # ti build says the same stage (outside review: « erreurs dans le contenu … les liens
    # seront vérifiés ensuite », about errors that were the links)
    built = ti_inprocess("build", cwd=project)
    assert built.returncode == 1
    assert "1 erreur à la construction : le contenu est valide fichier par fichier" in (
        built.stderr
    ), built.stderr
    assert "seront vérifiés ensuite" not in built.stderr


def test_home_title_is_not_repeated(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "index.html").read_text("utf-8"), "html.parser")
    assert soup.title.get_text() == "Territoires d'industrie"


def test_page_titles_use_one_separator(built_site: Path) -> None:
    """A fiche's title reads « Fiche — Territoire — Site »: the page, its territory and the site
    after the same dash (the theme's « - » after our « — » looked like two different things)."""
    titles = {
        path.relative_to(built_site).as_posix(): BeautifulSoup(
            path.read_text("utf-8"), "html.parser"
        ).title.get_text()
        for path in built_site.rglob("index.html")
    }
    assert len(titles) > 40
    mixed = {path: title for path, title in titles.items() if " - " in title}
    assert not mixed
    fiche = next(t for p, t in titles.items() if "/plan-action/" in p and p.count("/") == 3)
    assert fiche.count(" — ") == 2 and fiche.endswith(" — Territoires d'industrie")


def test_an_unclosed_quote_is_reported_on_its_own_line() -> None:
    from tisite.content.yamlio import parse_yaml_text

    text = 'nom: "Lacq-Pau-Tarbes\nresume: >-\n  texte\nepci:\n  - siren: "200039204"\n'
    _, problem = parse_yaml_text(text, "territoire.yml")
    assert problem is not None and problem.line == 1  # YAML itself blames line 5
    assert problem.message.startswith("guillemet ouvert mais pas refermé")
    # a quoted value over two lines is not an unclosed quote
    data, none = parse_yaml_text('a: "sur deux\n  lignes"\nb: 1\n', "t.yml")
    assert none is None and data["a"] == "sur deux lignes"


def test_the_first_of_a_month_is_1er() -> None:
    import datetime as dt

    assert textutil.long_date(dt.date(2023, 9, 1)) == "1er septembre 2023"
    assert textutil.long_date("2023-09-01") == "1er septembre 2023"
    # control: any other day is written as its number, a month alone has no day
    assert textutil.long_date(dt.date(2023, 9, 2)) == "2 septembre 2023"
    assert textutil.long_date("2023-09") == "septembre 2023"


def test_home_figures_agree_with_one_territory(project: Path) -> None:
    import shutil

    from tisite.content.loader import load_site
    from tisite.generate import views

    shutil.rmtree(project / "territoires" / "grand-chatellerault")
    site = load_site(project)
    labels = [f.label for f in views.home(site, "2021").figures[:3]]
    assert labels[0] == "Territoire d'industrie" and labels[1] == "région"
    # control: a territory with six intercommunalities takes the plural
    assert labels[2] == "intercommunalités"
