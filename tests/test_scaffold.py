"""Starting a territory without knowing the files: ti epci, ti nouveau-territoire,
ti retirer-exemples, and the SIREN message that points to them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ti_inprocess
from tisite.content.reference import load_reference


def test_epci_search_ignores_accents_case_and_hyphens(project: Path) -> None:
    reference = load_reference()
    assert [e.siren for e in reference.search("chatellerault")] == ["248600413"]
    assert next(e.siren for e in reference.search("LACQ orthez")) == "200039204"
    assert [e.siren for e in reference.search("porte du hainaut")] == ["200042190"]
    assert reference.search("200042190")[0].nom == "CA de la Porte du Hainaut"
    result = ti_inprocess("epci", "Châtellerault", cwd=project)
    assert result.returncode == 0
    assert result.stdout.startswith("248600413  CA Grand Châtellerault — CA, Vienne (86),")
    assert "habitants" in result.stdout
    missing = ti_inprocess("epci", "zzzz", cwd=project)
    assert missing.returncode == 1 and "Aucune intercommunalité" in missing.stderr


def test_a_mistyped_siren_gets_the_closest_epci_and_the_search_command(project: Path) -> None:
    path = project / "territoires/grand-chatellerault/territoire.yml"
    path.write_text(path.read_text("utf-8").replace("248600413", "248600431"), "utf-8")
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert result.returncode == 1
    assert "vouliez-vous dire 248600413 (CA Grand Châtellerault) ?" in result.stderr
    assert "ti epci <nom>" in result.stderr


@pytest.mark.lent
def test_new_territory_is_valid_at_once_and_builds(project: Path) -> None:
    result = ti_inprocess(
        "nouveau-territoire",
        "lacq-pau-tarbes",
        "--nom",
        "Lacq-Pau-Tarbes",
        "--epci",
        "CC de Lacq-Orthez",
        "--epci",
        "200067254",
        "--epci",
        "tarbes lourdes",
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    folder = project / "territoires/lacq-pau-tarbes"
    for name in ("territoire.yml", "priorites.yml", "gouvernance.yml"):
        text = (folder / name).read_text("utf-8")
        assert text.startswith(f"# yaml-language-server: $schema=../../schemas/{name[:-4]}")
    assert '"200039204"' in (folder / "territoire.yml").read_text("utf-8")
    checked = ti_inprocess("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Lacq-Pau-Tarbes" in checked.stdout


@pytest.mark.lent
def test_new_territory_refusals(project: Path) -> None:
    cases = {
        ("grand-chatellerault", "--nom", "X", "--epci", "pau"): "existe déjà",
        ("Lacq", "--nom", "X", "--epci", "pau"): "identifiant « Lacq » invalide",
        ("search", "--nom", "X", "--epci", "pau"): "déjà l'adresse d'une page du site",
        ("x", "--nom", "X", "--epci", "communauté"): "indiquez le SIREN de la vôtre",
        ("x", "--nom", "X", "--epci", "zzzz"): "aucune intercommunalité ne correspond",
        ("x", "--nom", "X"): "indiquez au moins une intercommunalité",
        ("x", "--epci", "pau"): "indiquez le nom du territoire",
        ("x", "--nom", "X", "--epci", "pau", "--epci", "200067254"): "indiquée deux fois",
    }
    for args, message in cases.items():
        result = ti_inprocess("nouveau-territoire", *args, cwd=project)
        assert result.returncode == 1, args
        assert result.stderr.startswith("Territoire non créé : ") and message in result.stderr
        assert "Traceback" not in result.stderr
    assert not (project / "territoires/x").exists()


@pytest.mark.lent
def test_removing_the_examples_leaves_a_site_that_checks_and_builds(project: Path) -> None:
    result = ti_inprocess("retirer-exemples", cwd=project)
    assert result.returncode == 0
    assert "Retiré : territoires/grand-chatellerault/" in result.stdout
    assert "adresses retirées de urls-publiees.txt" in result.stdout
    assert "ti nouveau-territoire" in result.stdout and "site_url" in result.stdout
    registry = (project / "urls-publiees.txt").read_text("utf-8")
    assert "/grand-chatellerault/" not in registry and "/contribuer/" in registry
    # the national pages made from the examples' content (outside review: a site in
    # Haute-Savoie published redirects for the Hauts-de-France finder): never this site's
    assert "/actions/region/hauts-de-france/" not in registry
    assert "/tableau-de-bord/" not in registry
    kept = [x for x in registry.splitlines() if x and not x.startswith("#")]
    assert kept == ["/", *sorted(kept[1:])] and "/mentions-legales/" in kept, kept
    # the folder stays in git, empty (partner's review: a portal's clone had no territoires/,
    # and MkDocs refused its « watch » in English)
    assert [p.name for p in (project / "territoires").iterdir()] == [".gitkeep"]
    created = ti_inprocess(
        "nouveau-territoire", "mon-territoire", "--nom", "Mon territoire", "--epci", "pau",
        cwd=project,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    checked = ti_inprocess("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = ti_inprocess("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert (project / "site/mon-territoire/index.html").is_file()
    assert not list((project / "site/actions/region").glob("hauts-de-france*"))
    again = ti_inprocess("retirer-exemples", cwd=project)
    assert again.stdout.strip() == "Aucun territoire d'exemple à retirer."


def test_an_absent_watched_folder_is_said_in_french() -> None:
    """MkDocs' « The path … isn't an existing file or directory » for a « watch » entry (a
    clone of a project whose territoires/ was empty): said in French, with the fix. Control:
    another invalid setting keeps MkDocs' own words, marked as such."""
    from tisite.adapters.buildlog import console_line

    said = console_line(
        "ERROR   -  Config value 'watch': The path '/x/territoires' isn't an existing file or "
        "directory."
    )
    assert said == (
        "mkdocs.yml: réglage « watch » : « /x/territoires » n'existe pas ; créez-le (un "
        "dossier vide garde un fichier .gitkeep, sans quoi git ne l'enregistre pas : un clone "
        "ne l'aurait pas) ou retirez-le de la liste"
    )
    other = console_line("ERROR   -  Config value 'site_url': Expected a string.")
    assert other is not None and "(message de MkDocs, en anglais)" in other


def test_new_territory_is_validated_as_ti_check_does_before_anything_is_written(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name ti check refuses, or an EPCI of another territory: nothing is written, the
    message names the would-be file, line and field (in the new territory's file, not in the
    older territory's) and the option to correct."""
    from tisite.cli import scaffold
    from tisite.cli.commands import main

    before = sorted(p.name for p in (project / "territoires").iterdir())
    long_name = "N" * 100_000
    for args, expected in (
        (
            ("--nom", long_name, "--epci", "pau"),
            "  territoires/neuf/territoire.yml:3: champ « nom » : trop long : 120 caractères au "
            "plus (reçu 100000)\nCorrigez --nom et relancez.",
        ),
        (
            ("--nom", "Neuf", "--epci", "248600413"),
            "  territoires/neuf/territoire.yml:10: champ « epci » : l'EPCI 248600413 (CA Grand "
            "Châtellerault) appartient déjà au territoire territoires/grand-chatellerault : une "
            "intercommunalité n'est comptée que dans un territoire\nCorrigez --epci et relancez.",
        ),
    ):
        assert main(["--racine", str(project), "nouveau-territoire", "neuf", *args]) == 1
        err = capsys.readouterr().err
        assert err.startswith(
            "Territoire non créé : ti check refuserait ses fichiers, rien n'a été écrit :\n"
        )
        assert expected in err, err
        assert len(err) < 2_000 and "Traceback" not in err  # the long name is not printed back
        assert sorted(p.name for p in (project / "territoires").iterdir()) == before
    # negative control: without the validation, the territory is written and ti check refuses it
    monkeypatch.setattr(scaffold, "problems_of_new_territory", lambda *args: [])
    args = ["--racine", str(project), "nouveau-territoire", "neuf", "--nom", "Neuf"]
    assert main([*args, "--epci", "248600413"]) == 0
    capsys.readouterr()
    assert main(["--racine", str(project), "check", "--rapide"]) == 1
    assert (
        "territoires/neuf/territoire.yml:10: champ « epci » : l'EPCI 248600413 (CA Grand "
        "Châtellerault) appartient déjà au territoire territoires/grand-chatellerault"
    ) in capsys.readouterr().err


def test_ti_check_blames_the_territory_not_yet_published(project: Path) -> None:
    """Two territories with the same EPCI: the error is in the file of the one whose address is
    not yet in urls-publiees.txt, even when its name comes first."""
    from tisite.content.errors import ContentError
    from tisite.content.loader import load_site

    shutil.copytree(project / "territoires/grand-chatellerault", project / "territoires/aaa")
    path = project / "territoires/aaa/territoire.yml"
    path.write_text(path.read_text("utf-8").replace("nom: Grand-", "nom: Autre-"), "utf-8")
    with pytest.raises(ContentError) as info:
        load_site(project)
    (error,) = [p for p in info.value.errors if p.field == "epci"]
    assert error.file == "territoires/aaa/territoire.yml"
    assert "appartient déjà au territoire territoires/grand-chatellerault" in error.message
    # negative control: once « aaa » is published too, the names' order decides
    registry = project / "urls-publiees.txt"
    registry.write_text(registry.read_text("utf-8") + "/aaa/\n", "utf-8")
    with pytest.raises(ContentError) as info:
        load_site(project)
    (error,) = [p for p in info.value.errors if p.field == "epci"]
    assert error.file == "territoires/grand-chatellerault/territoire.yml"


def test_the_templates_texts_left_in_a_published_file_are_warned(project: Path) -> None:
    """A new letter published with its template's title and summary, and a new territory with
    « À compléter »: each such line is warned (the site published them without a word). A
    letter still a draft keeps them silently (control), and commented lines never count."""
    from tisite.cli import scaffold
    from tisite.cli.commands import LETTER_TEMPLATE
    from tisite.content.loader import PLACEHOLDERS

    templates = LETTER_TEMPLATE + Path(scaffold.__file__).read_text("utf-8")
    assert all(phrase in templates for phrase in PLACEHOLDERS)  # the list follows the templates
    assert (
        ti_inprocess("nouvelle-lettre", "hainaut-douaisis-cambresis", cwd=project).returncode == 0
    )
    letter = sorted((project / "territoires/hainaut-douaisis-cambresis/lettres").glob("*.md"))[-1]
    draft = ti_inprocess("check", "--rapide", cwd=project)
    assert "est un texte du modèle" not in draft.stderr, draft.stderr
    letter.write_text(letter.read_text("utf-8").replace("brouillon: true", "brouillon: false"))
    published = ti_inprocess("check", "--rapide", cwd=project).stderr
    rel = letter.relative_to(project).as_posix()
    lines = letter.read_text("utf-8").splitlines()
    for phrase in ("Titre de la lettre", "Deux ou trois phrases qui résument la lettre"):
        line = next(n for n, text in enumerate(lines, 1) if phrase in text)
        assert (
            f"{rel}:{line}: avertissement : « {phrase} » est un texte du modèle : remplacez-le "
            "par le vôtre avant de publier (ou laissez « brouillon: true »"
        ) in published, published
    assert "« Nom de l'événement »" not in published  # commented in the template
    # the event block uncommented as the template has it (outside review: its place and its
    # identifier, dated from the letter's year, were published without a word)
    before = letter.read_text("utf-8")
    year = before.split("\ndate: ", 1)[1][:4]
    assert f"identifiant: nom-de-l-evenement-{year}" in before
    letter.write_text(
        "\n".join(
            line[2:] if line.startswith(("# evenements:", "# appels_a_projets:", "#   ")) else line
            for line in before.split("\n")
        ),
        "utf-8",
    )
    said = ti_inprocess("check", "--rapide", cwd=project).stderr
    lines = letter.read_text("utf-8").splitlines()
    for phrase in ("Nom de l'événement", "Ville, salle", "nom-de-l-evenement", "nom-de-l-appel"):
        line = next(n for n, text in enumerate(lines, 1) if phrase in text)
        assert f"{rel}:{line}: avertissement : « {phrase} » est un texte du modèle" in said, said
    letter.write_text(before, "utf-8")
    # a heading of the letter's text is shown (« ## » is no comment there); a place that
    # holds words of the template is not the template's (« Hôtel de Ville, salle du Conseil »)
    text = letter.read_text("utf-8").replace(
        "## Actualités locales", "## À compléter\n\nLieu : Hôtel de Ville, salle du Conseil"
    )
    letter.write_text(text, "utf-8")
    said = ti_inprocess("check", "--rapide", cwd=project).stderr
    heading = text.splitlines().index("## À compléter") + 1
    assert f"{rel}:{heading}: avertissement : « À compléter » est un texte du modèle" in said
    assert "Ville, salle" not in said
    # whole values only, quoted or not (review: an address « …#prenom-de-l-appelant » was
    # warned, « lieu: "Ville, salle" » was not)
    from tisite.content.loader import _whole_value

    assert _whole_value("Ville, salle", '    lieu: "Ville, salle"')
    assert _whole_value("nom-de-l-appel", "    identifiant: nom-de-l-appel-2026   # le même")
    assert not _whole_value("nom-de-l-appel", "lien: https://x.fr/contact#prenom-de-l-appelant")
    assert not _whole_value("nom-de-l-evenement", "titre: Le renom-de-l-evenement")
    # a draft written as the schema also reads it (« 1 », « on », « 'true' »): no warning
    for written in ("1", "on", "'true'"):
        letter.write_text(text.replace("brouillon: false", f"brouillon: {written}"), "utf-8")
        assert "texte du modèle" not in ti_inprocess("check", "--rapide", cwd=project).stderr


def test_a_refused_identifier_is_given_written_as_one(project: Path) -> None:
    """« Vallée-de-l'Arve » typed as an identifier (outside review: refused with a fixed
    example): the message gives it without accents, capitals nor apostrophe."""
    from tisite.cli.scaffold import ScaffoldError, check_slug

    with pytest.raises(ScaffoldError, match="par exemple « vallee-de-l-arve »"):
        check_slug(project, "Vallée-de-l'Arve")
    check_slug(project, "vallee-de-l-arve")  # control: taken as it is


@pytest.mark.lent
def test_removing_the_examples_from_a_site_that_published_its_own_keeps_its_addresses(
    project: Path,
) -> None:
    """A site that already published its own territory (outside review: its addresses were
    forgotten with the examples', and a renamed folder then broke them unnoticed): the
    examples' addresses go, its own and the national pages stay (redirected if they go)."""
    created = ti_inprocess(
        "nouveau-territoire", "mon-territoire", "--nom", "Mon territoire", "--epci", "pau",
        cwd=project,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert ti_inprocess("build", cwd=project).returncode == 0
    result = ti_inprocess("retirer-exemples", cwd=project)
    assert result.returncode == 0, result.stderr
    registry = (project / "urls-publiees.txt").read_text("utf-8").splitlines()
    assert "/mon-territoire/" in registry and "/mon-territoire/plan-action/" in registry
    assert "/tableau-de-bord/" in registry and "/actions/region/hauts-de-france/" in registry
    assert not [x for x in registry if x.startswith(("/grand-chatellerault/", "/hainaut-"))]
    built = ti_inprocess("build", cwd=project)  # the national pages redirect to the territory
    assert built.returncode == 0, built.stderr
    assert "Page déplacée" in (project / "site/tableau-de-bord/index.html").read_text("utf-8")


def test_a_removed_hand_written_page_does_not_make_the_national_pages_the_sites(
    project: Path,
) -> None:
    """Only a territory of the site's own counts as published (outside review: a docs page
    removed before kept the examples' national pages, then redirected them)."""
    (project / "docs" / "programme.md").unlink()
    assert ti_inprocess("retirer-exemples", cwd=project).returncode == 0
    registry = (project / "urls-publiees.txt").read_text("utf-8").splitlines()
    assert "/tableau-de-bord/" not in registry and not [x for x in registry if "/actions/" in x]
    assert "/programme/" in registry  # its own removal is said by the next build
