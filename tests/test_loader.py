"""The loader reads every file, reports every problem of every file, then stops."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import own_legal_notices
from tisite import clock
from tisite.content.errors import ContentError
from tisite.content.loader import load_site

HDC = "territoires/hainaut-douaisis-cambresis"
GC = "territoires/grand-chatellerault"


def errors_of(root: Path, only: str | None = None) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_site(root, only=only)
    return [p.format() for p in info.value.errors]


def test_example_content_loads_with_derived_figures(project: Path) -> None:
    site = load_site(project)
    hdc = site.territory("hainaut-douaisis-cambresis")
    assert hdc is not None
    assert len(hdc.epcis) == 6
    assert hdc.nb_communes == 261
    assert hdc.population == 765780
    assert hdc.regions == ("Hauts-de-France",)
    assert hdc.departements == (("59", "Nord"),)
    gc = site.territory("grand-chatellerault")
    assert gc is not None and gc.regions == ("Nouvelle-Aquitaine",) and gc.nb_communes == 47
    assert [r for r, _ in site.by_region()] == ["Hauts-de-France", "Nouvelle-Aquitaine"]


def test_declared_figure_disagreeing_with_reference_is_a_warning(project: Path) -> None:
    site = load_site(project)
    (warning,) = [w for w in site.warnings if w.file != "site.yml"]  # (the example's notices)
    assert warning.format() == (
        f"{HDC}/territoire.yml:37: avertissement : champ « declarations.communes » : valeur "
        "déclarée 260 différente du référentiel (261 selon @etalab/decoupage-administratif "
        "6.0.0) : le site affiche la valeur du référentiel"
    )


def test_all_errors_of_several_files_are_reported(project: Path) -> None:
    t = project / HDC / "territoire.yml"
    t.write_text(t.read_text(encoding="utf-8").replace('siren: "200068500"', 'siren: "999999999"'))
    p = project / HDC / "priorites.yml"
    p.write_text(
        p.read_text(encoding="utf-8").replace("  - id: attractivite", "  - id: Attractivité")
    )
    g = project / GC / "gouvernance.yml"
    g.write_text(g.read_text(encoding="utf-8") + "comite: oui\n")
    errors = errors_of(project)
    assert errors == [
        f"{GC}/gouvernance.yml:15: champ « comite » : champ inconnu. Champs possibles : animation, "
        "binomes, binomes_description, chef_de_projet, equipe, instances, partenaires, "
        "signataires, source.",
        f"{HDC}/priorites.yml:25: champ « objectifs[2].id » : identifiant invalide : lettres "
        "minuscules sans accent, chiffres et tirets seulement (reçu « Attractivité »)",
        f"{HDC}/territoire.yml:29: champ « epci[4].siren » : SIREN inconnu du référentiel des EPCI "
        "(@etalab/decoupage-administratif 6.0.0) (reçu « 999999999 ») : cherchez l'intercommunalité "
        "par son nom avec « ti epci <nom> » (par exemple « ti epci Châtellerault »)",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"nom: [unclosed\n", "liste entre crochets mal formée"),
        (b"nom: %x\n", ":1: mettez entre guillemets un texte qui commence par « % »"),
        (b"nom: X\n\tresume: Y\n", ":2: tabulation interdite : indentez avec des espaces"),
        # every tab that indents a line, not the first only (review); a tab in a value is text
        (
            b"nom: X\nepci:\n\t- a\nresume: a\tb\nsigles:\n  \t- b\n",
            ":3: tabulation interdite : indentez avec des espaces (aussi ligne 6)",
        ),
        (b"nom: X\nnom: Y\n", ":2: champ « nom » : clé en double (déjà à la ligne 1)"),
        # the first of the same block (outside review: the line of the first was not said),
        # not a key of the same name in another block
        (
            b"nom: X\nepci:\n  - siren: 1\n    nom: a\n    # note\n\n    nom: b\n",
            ":7: champ « nom » : clé en double (déjà à la ligne 4)",
        ),
        (
            b"nom: X\nsigles:\n  a: 1\nresume:\n  a: 2\n  'a': 3\n",
            ":6: champ « a » : clé en double (déjà à la ligne 5)",
        ),
        # a line of the block above without « : », of 200,000 spaces: read once (the first
        # reading of a key tried every split of the spaces, a square: about half a minute)
        (
            b"nom: X\nresume: >-\n  a" + b" " * 200_000 + b"b\nnom: Y\n",
            ":4: champ « nom » : clé en double (déjà à la ligne 1)",
        ),
        # or of 100,000 dashes (a key could start at any of them: a square again; review)
        (
            b"nom: X\nresume: |\n  " + b"-" * 100_000 + b"\nnom: Y\n",
            ":4: champ « nom » : clé en double (déjà à la ligne 1)",
        ),
        # no line rather than a wrong one (review): the key again in another item of a list
        # (the item began with an anchored key), or inside a flow mapping
        (
            b"nom: X\nepci:\n  - siren: 1\n    nom: a\n  - &e siren: 2\n    siren: 3\n",
            ":6: champ « siren » : clé en double : supprimez",
        ),
        (
            b"siren: 1\nnom: {siren: 1, siren: 2}\n",
            ":2: champ « siren » : clé en double : supprimez",
        ),
        (b"nom: Caf\xe9\n", ":1: le fichier n'est pas encodé en UTF-8 (octet 0xe9 illisible)"),
        (b"", ": le fichier est vide"),
        (b"   \n\n", ": le fichier est vide"),
        (
            b"- un\n- deux\n",
            ":1: le contenu doit être une liste de champs « clé: valeur » (reçu une liste)",
        ),
        (
            b"nom: a: b\n",
            ":1: champ « nom » : la valeur de « nom » contient « : » suivi d'une espace ou en "
            "fin de ligne, que YAML lit comme une clé : mettez toute la valeur entre guillemets, par exemple nom: "
            '"a: b"',
        ),
    ],
)
def test_unreadable_files(project: Path, content: bytes, expected: str) -> None:
    (project / GC / "territoire.yml").write_bytes(content)
    errors = errors_of(project)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{GC}/territoire.yml")
    assert expected in errors[0]


def test_utf8_bom_is_accepted(project: Path) -> None:
    path = project / GC / "territoire.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_site(project).territory("grand-chatellerault") is not None


def test_missing_file_and_bad_folder_name(project: Path) -> None:
    (project / GC / "priorites.yml").unlink()
    (project / "territoires" / "Mon Territoire").mkdir()
    assert errors_of(project) == [
        "territoires/Mon Territoire: nom de dossier invalide : lettres minuscules sans accent, "
        "chiffres et tirets seulement (il devient l'adresse du territoire) ; renommez-le "
        "« mon-territoire »",
        f"{GC}/priorites.yml: fichier obligatoire manquant : retrouvez-le avec git (`git "
        f"checkout HEAD -- {GC}/priorites.yml`), ou écrivez-le d'après le modèle du guide du "
        "contributeur (pour un territoire, `ti nouveau-territoire` écrit les trois fichiers "
        "d'un territoire nouveau, à recopier)",
    ]


def test_only_one_territory(project: Path) -> None:
    (project / GC / "priorites.yml").write_text("cassé: [", encoding="utf-8")
    site = load_site(project, only="hainaut-douaisis-cambresis")
    assert [t.slug for t in site.territories] == ["hainaut-douaisis-cambresis"]
    assert errors_of(project, only="inconnu") == [
        "territoires: territoire « inconnu » introuvable (connus : grand-chatellerault, "
        "hainaut-douaisis-cambresis) : relancez la commande avec le nom d'un de ces dossiers "
        "(--territoire ou TERRITOIRE=)"
    ]


def test_former_id_may_not_shadow_an_existing_territory(project: Path) -> None:
    path = project / GC / "territoire.yml"
    path.write_text(
        path.read_text(encoding="utf-8") + "anciens_identifiants: [hainaut-douaisis-cambresis]\n"
    )
    (error,) = errors_of(project)
    assert "est l'identifiant d'un territoire existant" in error


# What a person typing YAML by hand gets wrong, as the outside review of bad input found it:
# YAML names a later line and another cause; the message names the line and the fix.
HAND_MISTAKES = {
    "budget:\n  - financeur: A\n    montant: 1\n  - financeur: B\n     montant: 2\n": (
        ":5: champ « montant » : la clé « montant » n'est pas alignée sur « financeur »"
    ),
    "titre: X\nobjectifs:\n  - a\n\u00a0\u00a0- b\n": (
        ":4: la ligne commence par des espaces insécables"
    ),
    "titre:Décarbonation\nresume: x\n": (
        ":1: champ « titre » : il manque une espace après « titre: » : écrivez « titre: "
        "Décarbonation »"
    ),
    # a key of another block at the same column above (outside review: « indentation
    # incohérente » said nothing of where « montant » goes)
    "calendrier:\n  debut: 2024\nbudget:\n  - financeur: A\n    montant: 1\n  - financeur: B\n"
    "  montant: 2\n": (
        ":7: champ « montant » : la clé « montant » n'est alignée sur aucune clé au-dessus : "
        "alignez-la sur celles du bloc dont elle fait partie, à 4 espaces du bord, comme "
        "« financeur » ou au bord, comme « budget » (elle est à 2 espaces du bord)"
    ),
    "budget:\n  - financeur: A\n    montant: 1\ncommentaire: x\n  - financeur: B\n": (
        ":4: champ « commentaire » : la clé « commentaire » est au bord, au milieu d'une liste"
    ),
    "image: a.jpg\nimage_alt: Une usine vue depuis\nle canal\ndate: 2022-01-01\n": (
        ":3: champ « image_alt » : cette ligne continue-t-elle le texte de « image_alt »"
    ),
    "budget:\n  - financeur: A\n  -financeur: B\n": (
        ":3: il manque une espace après le tiret d'un élément de liste : écrivez « - financeur: B »"
    ),
    "aap:\n  - titre: [ADEME] Zones\n    operateur: x\n": (
        ":2: champ « titre » : une valeur qui commence par « [ » se lit comme une liste : mettez "
        'toute la valeur entre guillemets, par exemple titre: "[ADEME] Zones"'
    ),
    'titre: "Made in Hainaut", le salon\nresume: x\n': (
        ":1: champ « titre » : une valeur qui commence par un guillemet doit finir par le même"
    ),
    "unite: %\n": ':1: mettez entre guillemets un texte qui commence par « % » (par exemple « "%" »)',
    # a key typed « titre : » with a no-break space is a key: the mistake is the next line's
    "nom: A\ntitre\u00a0: B\nmots: [usine, emploi\n": (
        ":3: liste entre crochets mal formée : crochet « ] » manquant"
    ),
    "nom: A\ncles: {a: 1\n\n\n": ":2: accolade « } » manquante",  # YAML: line 5, the end
    "resume: *Numéro spécial* décarbonation\n": (
        ":1: « *Numéro » se lit comme un alias YAML, non pris en charge : un texte qui commence "
        "par « * » (une mise en italique) s'écrit entre guillemets"
    ),
}


@pytest.mark.parametrize("text", list(HAND_MISTAKES))
def test_a_mistake_typed_by_hand_is_named_on_its_line(text: str) -> None:
    from tisite.content.yamlio import _load

    data, _, problem = _load(text, "f.yml", 0)
    assert problem is not None and data is None
    assert HAND_MISTAKES[text] in problem.format(), problem.format()


def test_a_well_written_file_gets_no_hint() -> None:
    """Control: the hints only speak when YAML fails; a dedent to a parent key, a URL after a
    key, a comment and a quoted value are not mistakes."""
    from tisite.content.yamlio import _load

    text = (
        "epci:\n  - siren: 1\n    nom: x\nsite: https://example.org/a\n"
        'titre: "[ADEME] Zones"\nunite: "%"\n# note\nresume: ok  # un commentaire\n'
    )
    assert _load(text, "f.yml", 0)[2] is None


def test_a_list_item_indented_too_far_is_not_merged_into_the_one_above() -> None:
    """« - Clubs d'entreprises » two spaces deeper than « - Intercommunalités du territoire »:
    valid YAML, read as one partner « Intercommunalités du territoire - Clubs d'entreprises »
    and published so (partner's review). Refused on its line, with where the dash goes; the
    same after « key: value ». Controls: a list aligned, a « - » inside a block of text, and,
    without the check, the merged value YAML gives."""
    from tisite.content import yamlio

    merged = (
        "partenaires:\n  - nom: A\n  - Intercommunalités du territoire\n    - Clubs d'entreprises\n"
    )
    problem = yamlio._load(merged, "f.yml", 0)[2]
    assert problem is not None and problem.format() == (
        "f.yml:4: « - Clubs d'entreprises » est plus indenté que l'élément de liste de la ligne "
        "3 : YAML le lit comme la suite de son texte (« Intercommunalités du territoire - Clubs "
        "d'entreprises »), pas comme un nouvel élément ; alignez son tiret sur celui de la ligne "
        "au-dessus (à 2 espaces du bord)"
    )
    problem = yamlio._load("objectifs:\n - Faire a\n  - Faire b\n", "f.yml", 0)[2]
    assert problem is not None and "à 1 espace du bord" in problem.format()
    # under an item « - nom: Business France »: its key's column counts
    problem = yamlio._load("partenaires:\n  - nom: B\n      - Clubs\n", "f.yml", 0)[2]
    assert problem is not None and "(« B - Clubs »)" in problem.format()
    assert "alignez son tiret sur celui de la ligne au-dessus (à 2 espaces du bord)" in (
        problem.format()
    )
    problem = yamlio._load("objectif: attirer\n  - x\n", "f.yml", 3)[2]
    assert problem is not None and problem.format().startswith(
        "f.yml:5: « - x » est plus indenté que « objectif » de la ligne 4"
    )
    for fine in (
        "partenaires:\n  - A\n  - B\n",
        "resume: |\n  - a\n    - b\n",
        "resume: >-\n  texte - a\n    - b\n",
        "a:\n  b: |\n    x\n  c:\n    - d\n",
    ):
        assert yamlio._load(fine, "f.yml", 0)[2] is None, fine
    # without the check, YAML publishes the two partners as one
    check = yamlio._dash_read_as_text
    try:
        yamlio._dash_read_as_text = lambda text, rel, offset: None  # type: ignore[assignment]
        data = yamlio._load(merged + " ", "f.yml", 0)[0]  # (another text: not the one memoised)
    finally:
        yamlio._dash_read_as_text = check  # type: ignore[assignment]
    assert data["partenaires"][1] == "Intercommunalités du territoire - Clubs d'entreprises"


def test_without_the_hints_yaml_names_another_line_and_cause(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Negative control: YAML's own report of « titre:Décarbonation » is line 2, « : »
    unexpected (quote the text), which does not say what to fix."""
    from tisite.content import yamlio

    monkeypatch.setattr(yamlio, "_line_hint", lambda text, line, offset=0: None)
    problem = yamlio._load("titre:Décarbonation\nresume: x\n", "f.yml", 0)[2]
    assert problem is not None and problem.format().startswith("f.yml:2: « : » inattendu")


def test_yaml_names_the_end_of_the_file_for_an_unclosed_bracket() -> None:
    """Negative control of the bracket's line above: YAML reports where it gave up (the end
    of the file), not the line of the « { » to close."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

    with pytest.raises(MarkedYAMLError) as caught:
        YAML(typ="safe").load("nom: A\ncles: {a: 1\n\n\n")
    assert caught.value.problem_mark is not None and caught.value.problem_mark.line + 1 == 5


def test_a_no_break_space_before_the_colon_of_a_key() -> None:
    """« titre : » typed with a word processor's no-break space: the key is « titre ».
    Control: the key as YAML reads it keeps the space."""
    from ruamel.yaml import YAML

    from tisite.content.yamlio import _load

    assert _load("titre\u00a0: Bonjour\n", "f.yml", 0)[0] == {"titre": "Bonjour"}
    assert YAML(typ="safe").load("titre\u00a0: Bonjour\n") == {"titre\u00a0": "Bonjour"}


def test_a_letter_saved_in_another_format_is_said_not_published(project: Path) -> None:
    """« 17.txt » or « 17.docx » in lettres/ was silently left out: a warning names it.
    Control: an image or a PDF next to the letters is an asset, not a warning."""
    import shutil

    folder = project / HDC / "lettres"
    shutil.copy(folder / "15.md", folder / "17.txt")
    (folder / "18.docx").write_bytes(b"PK\x03\x04")
    (folder / "programme.pdf").write_bytes(b"%PDF-1.4\n")
    warnings = [w.format() for w in load_site(project).warnings]
    for name in ("17.txt", "18.docx"):
        assert (
            f"{HDC}/lettres/{name}: avertissement : fichier ignoré : une lettre est un fichier "
            ".md nommé par son numéro (par exemple 17.md), écrit en Markdown ; ce fichier n'est "
            "pas publié"
        ) in warnings, warnings
    assert not [w for w in warnings if "programme.pdf" in w]
    # a letter named « 19.MD », or put in the folder of the letters' images, was left out too
    shutil.copy(folder / "15.md", folder / "19.MD")
    (folder / "images").mkdir(exist_ok=True)
    shutil.copy(folder / "15.md", folder / "images/20.md")
    warnings = [w.format() for w in load_site(project).warnings]
    assert (
        f"{HDC}/lettres/19.MD: avertissement : fichier ignoré : l'extension d'une lettre "
        "s'écrit en minuscules ; renommez-le « 19.md »"
    ) in warnings, warnings
    assert (
        f"{HDC}/lettres/images/20.md: avertissement : fichier ignoré : une lettre se place "
        "directement dans le dossier lettres/ (pas dans images/) ; déplacez-la en "
        "« lettres/20.md »"
    ) in warnings, warnings
    assert not [w for w in warnings if "lettres/images/" in w and "20.md" not in w]


def test_dates_and_headings_that_look_like_typing_mistakes_are_warned(project: Path) -> None:
    """A letter or a progress point dated in the future, a letter dated before the one
    numbered before it, a « # » heading under the page's own title: published, and said.
    Control: the example's letters, points and headings give none of these warnings."""
    import datetime as dt

    def warnings() -> list[str]:
        return [w.format() for w in load_site(project).warnings]

    assert not [w for w in warnings() if "dans le futur" in w or "avant la" in w or "« # »" in w]
    later = clock.today() + dt.timedelta(days=400)
    letter = project / HDC / "lettres/15.md"
    text = letter.read_text("utf-8")
    letter.write_text(text.replace("date: 2022-11-15", "date: 2012-11-15") + "\n# Agenda\n")
    action = project / HDC / "actions/chef-de-projet.md"
    action.write_text(
        action.read_text("utf-8").replace(
            "avancement:\n  - date: 2022-07-06", f"avancement:\n  - date: {later}", 1
        )
    )
    found = warnings()
    assert any(
        w.startswith(
            f"{HDC}/lettres/15.md: avertissement : champ « date » : la lettre n°\u00a015 est "
            "datée du 15 novembre 2012, avant la lettre n°\u00a014"
        )
        for w in found
    ), found
    assert any(f"{HDC}/lettres/15.md:" in w and "intertitre de premier niveau" in w for w in found)
    assert any(
        f"{HDC}/actions/chef-de-projet.md:71: avertissement : champ « avancement[1].date » : "
        "point d'avancement daté du"
        in w
        and "dans le futur" in w
        for w in found
    ), found
    letter.write_text(text.replace("date: 2022-11-15", f"date: {later}"))
    assert any(
        f"{HDC}/lettres/15.md:4: avertissement : champ « date » : lettre datée du" in w
        and "dans le futur : elle sera publiée ce jour-là" in w
        for w in warnings()
    )


def test_a_letter_dated_in_the_future_is_published_on_its_day(project: Path) -> None:
    """Scheduled: left out until its date (the nightly build publishes it), shown as a draft
    by a preview of drafts; a letter dated today is published (control)."""
    import datetime as dt

    from tisite import clock

    def numbers(drafts: bool = False) -> dict[int, bool]:
        site = load_site(project, drafts=drafts)
        hdc = next(t for t in site.territories if t.slug == "hainaut-douaisis-cambresis")
        return {x.numero: x.data.brouillon for x in hdc.letters}

    letter = project / HDC / "lettres/15.md"
    text = letter.read_text("utf-8")
    letter.write_text(text.replace("date: 2022-11-15", f"date: {clock.today()}"))
    assert numbers()[15] is False  # control: today's letter is out today
    tomorrow = clock.today() + dt.timedelta(days=1)
    letter.write_text(text.replace("date: 2022-11-15", f"date: {tomorrow}"))
    assert 15 not in numbers() and 14 in numbers()
    assert numbers(drafts=True)[15] is True


# The third outside review, attacking the checks above: valid YAML they refused or changed,
# a crash, and hints that blamed valid lines.
READ_AS_BEFORE = {
    # a tab before « # »: the fast parser reads it, the line parser refuses it (it crashed)
    "titre: Bilan\t#France2030\nlieu: a\t# note\n": {"titre": "Bilan", "lieu": "a"},
    # a comment above a list: nothing is cut
    "partenaires: #à compléter\n  - nom: A\n": {"partenaires": [{"nom": "A"}]},
    # wrapped lines of a folded block are not list items (« 2024. Il… »)
    "resume: >-\n  entre 2023 et\n  2024. Il finance.\n": {
        "resume": "entre 2023 et 2024. Il finance."
    },
    # a sibling key after a folded value in a list item is not part of its block
    "x:\n  - titre: >-\n      Vers un territoire\n      bas carbone\n    description: >-\n      Un.\n\n      Deux.\n": {
        "x": [{"titre": "Vers un territoire bas carbone", "description": "Un.\n\nDeux."}]
    },
    # a literal block's own lines are text, never headers
    "c: |\n    resume: >\n      a\n\n      b\n": {"c": "resume: >\n  a\n\n  b\n"},
}


@pytest.mark.parametrize("text", list(READ_AS_BEFORE))
def test_valid_yaml_is_read_as_yaml_reads_it(text: str) -> None:
    from tisite.content.yamlio import _load

    data, _, problem = _load(text, "f.yml", 0)
    assert problem is None and data == READ_AS_BEFORE[text]


def test_hints_do_not_blame_valid_lines() -> None:
    """A block of text holding « Horaires:9h » is text; a value going on over the next line
    with a « : » is to be quoted, not a key out of line; a value quoted at both ends is
    suggested with its own text only."""
    from tisite.content.yamlio import _load

    block = (
        "agenda:\n  - titre: Atelier\n    description: |\n      Horaires:9h-12h\n"
        "    lieu: Salle: B, Valenciennes\n"
    )
    problem = _load(block, "f.yml", 0)[2]
    assert problem is not None and problem.line == 5 and "Horaires" not in problem.format()
    # a value going on, or a key pushed in (« montant » under « - financeur: Région »): both
    going_on = "resume: Un texte. Trois\n  priorités: emploi\n"
    problem = _load(going_on, "f.yml", 0)[2]
    assert problem is not None and problem.line == 2
    assert problem.message.endswith(
        "si c'est un champ, mettez-le au bord, comme « resume » (il est à 2 espaces du bord) ; si "
        "c'est la suite du texte de « resume », mettez tout ce texte entre guillemets"
    ), problem.message
    # the first key of a block left at its owner's margin (outside review: « adresse » was
    # told to go to the margin, then « courriel », then « editeur » was empty): that key moves
    pulled = "titre: T\nediteur:\nnom: Ville\n  adresse: 1 rue\n  courriel: a@b.fr\n"
    problem = _load(pulled, "f.yml", 0)[2]
    assert problem is not None and problem.format() == (
        "f.yml:3: champ « nom » : « nom: » est le premier champ du bloc « editeur: » : "
        "indentez-le comme les suivants, à 2 espaces du bord (il est au bord, comme « editeur: » "
        "qui l'attend)"
    )
    # control: the key above has its value, « nom » is its sibling: the line pushed in is said
    problem = _load(pulled.replace("editeur:\n", "editeur: X\n"), "f.yml", 0)[2]
    assert problem is not None and problem.line == 4
    # a plain value holding « : » and a space (outside review: « « : » inattendu », no field)
    colon = "partenaires:\n  - nom: X\n    role: Financeur: principal # note\n"
    problem = _load(colon, "f.yml", 0)[2]
    assert problem is not None and problem.format() == (
        "f.yml:3: champ « role » : la valeur de « role » contient « : » suivi d'une espace ou en "
        "fin de ligne, que YAML lit comme une clé : mettez toute la valeur entre guillemets, par exemple role: "
        '"Financeur: principal"'
    )
    assert _load(colon.replace("Financeur: principal", '"Financeur: principal"'), "f", 0)[2] is None
    pushed = "budget:\n  - financeur: Région\n      montant: 20000\n"
    problem = _load(pushed, "f.yml", 0)[2]
    assert problem is not None and "mettez-le à 4 espaces du bord, comme « financeur »" in (
        problem.message
    )
    # a key less indented than the block it ends (« industriel » of a binôme at 2, « elu » at
    # 4): the level it meant, not the line above's (« structure », 6; it said 6)
    binome = (
        "binomes:\n  - perimetre: CA\n    elu:\n      fonction: Président\n"
        "      structure: CA\n  industriel:\n      fonction: Directeur\n"
    )
    problem = _load(binome, "f.yml", 0)[2]
    assert problem is not None and (problem.line, problem.field) == (6, "industriel")
    assert (
        "alignez-la sur celles du bloc dont elle fait partie, à 4 espaces du bord, comme « elu » "
        "ou au bord, comme « binomes » (elle est à 2 espaces du bord)"
    ) in problem.message
    # one space short of « elu »'s column (its fields under it at 6): only « elu »'s level is
    # above them (the advice said 6, « structure »'s, where it made a duplicate key)
    five = binome.replace("\n  industriel:", "\n     industriel:")
    problem = _load(five, "f.yml", 0)[2]
    assert problem is not None and problem.message.endswith(
        "à 4 espaces du bord, comme « elu » (elle est à 5 espaces du bord)"
    ), problem.message
    # a key at the margin's side of a budget line: both levels it may belong to are named
    budget = "budget:\n  - financeur: Région\n    montant: 1\n statut: acquis\n"
    problem = _load(budget, "f.yml", 0)[2]
    assert (
        problem is not None
        and "à 4 espaces du bord, comme « montant » ou au bord, comme « budget »"
        in (problem.message)
    )
    # the letter template's block with only its « # » taken away (one space left), and a list
    # item whose dash is one space off
    uncommented = "titre: T\nbrouillon: true\n# Événements :\n evenements:\n   - titre: N\n"
    problem = _load(uncommented, "f.yml", 0)[2]
    assert problem is not None and problem.format() == (
        "f.yml:4: champ « evenements » : la clé « evenements » n'est pas alignée sur "
        "« brouillon », la clé au-dessus : mettez-la au bord (elle est à 1 espace du bord)"
    )
    items = "evenements:\n  - titre: A\n   - titre: B\n"
    problem = _load(items, "f.yml", 0)[2]
    assert problem is not None and problem.message == (
        "le tiret de cet élément de liste n'est pas aligné sur celui de l'élément au-dessus : "
        "mettez-le à 2 espaces du bord (il est à 3 espaces du bord)"
    )
    problem = _load("titre: 'L'usine du futur'\n", "f.yml", 0)[2]
    assert problem is not None and problem.format().endswith('titre: "L\'usine du futur"')


def test_a_hashtag_after_a_quoted_value_is_refused_too() -> None:
    """« titre: "Lettre n°15" #15 »: the « #15 » meant to follow the title was dropped as a
    comment; refused with the whole value in quotes. Control: a comment written « # note »
    after a quoted value passes."""
    from tisite.content.yamlio import _load

    problem = _load('titre: "Lettre n°15" #15\n', "f.yml", 0)[2]
    assert problem is not None
    assert problem.format() == (
        "f.yml:1: champ « titre » : « #15 » est lu comme un commentaire YAML (un « # » après "
        "une espace) et retiré du texte : mettez toute la valeur entre guillemets, par exemple "
        'titre: "Lettre n°15 #15"'
    )
    assert _load('titre: "Lettre n°15" # note\n', "f.yml", 0) == (
        {"titre": "Lettre n°15"},
        None,
        None,
    )


def test_a_heading_that_skips_a_level_is_warned() -> None:
    """« ## » then « #### » (RGAA 9.1: screen readers list headings by level): warned once,
    on its line, with the level to write; fenced code is not read. Control: levels in order,
    and back up, are not warned."""
    from tisite.content.letters import heading_warnings

    body = "## A\n\n#### B\n\n#### C\n\n## D\n\n### E\n\n```\n##### code\n```\n"
    found = heading_warnings(body, "f.md", 10)
    assert [(p.line, p.message.split(" :")[0]) for p in found] == [
        (12, "intertitre de niveau 4 (« #### ») sous un intertitre de niveau 2")
    ]
    assert "écrivez « ### »" in found[0].message and found[0].severity == "avertissement"
    assert heading_warnings("## A\n### B\n#### C\n## D\n### E\n", "f.md", 1) == []


def test_headings_in_a_quote_or_written_as_html_count_for_the_levels() -> None:
    """« > #### » and « <h4> » are headings on the page: a level they skip is warned, with
    the heading as written and what to write instead. Control: « <h4> » in inline code is
    text, and the same headings in order are not warned."""
    from tisite.content.letters import heading_warnings

    body = "## A\n\n> #### Citée\n\n<h1>Brut</h1>\n\n<h5>Brut</h5>\n\nÉcrire `<h4>` ici.\n"
    found = heading_warnings(body, "f.md", 1)
    assert [(p.line, p.message.split(" :")[0]) for p in found] == [
        (3, "intertitre de niveau 4 (« #### ») sous un intertitre de niveau 2"),
        (5, "intertitre de premier niveau (« <h1> »)"),
        (7, "intertitre de niveau 5 (« <h5> ») sous un intertitre de niveau 2"),
    ]
    assert "écrivez « ### »" in found[0].message
    assert "écrivez « <h2> »" in found[1].message and "écrivez « <h3> »" in found[2].message
    assert heading_warnings("## A\n\n> ### B\n\n<h4>C</h4>\n\n`<h6>`\n", "f.md", 1) == []


def test_the_preview_says_it_builds_again_once_a_file_is_saved() -> None:
    """`ti serve` builds again by itself: its error page says to save, not to start again
    (control: the build's own report says to start again)."""
    from tisite.content.errors import ContentError, Problem

    problems = ContentError([Problem("a.yml", n, None, "x") for n in range(1, 30)])
    preview = problems.report(preview=True)
    assert preview.endswith(
        "corrigez les fichiers indiqués et enregistrez : l'aperçu se reconstruit de lui-même."
    )
    assert "relancez" not in preview and "relancez" in problems.report()


def test_typographic_quote_hints_leave_comments_and_french_quotes_alone() -> None:
    """From an outside review: a comment after a value in « » is not put into the suggested
    value, nor blamed when the error is on the next line; a value opened with « " » that
    holds « » » and is never closed is told to close it (« » » is no wrong closing quote)."""
    from tisite.content.yamlio import _load

    problem = _load("titre: « A : b » # commentaire\nresume: x\n", "f.yml", 0)[2]
    assert problem is not None and problem.message.endswith('par exemple titre: "« A : b »"')
    problem = _load("titre: « Atelier » # à confirmer\n  date: 1\n", "f.yml", 0)[2]
    assert problem is not None and problem.line == 2 and "guillemets droits" not in problem.message
    problem = _load('titre: "Le salon « Made in Hainaut »\nresume: x\n', "f.yml", 0)[2]
    assert problem is not None and problem.message.endswith(
        "ajoutez le guillemet de fin sur cette ligne"
    )


def test_an_objective_written_as_its_long_title_gets_its_identifier() -> None:
    """The title of an objective over 60 characters reaches the advice cut by the message
    (« … ») : its beginning is enough. Control: another long text gets the list."""
    from types import SimpleNamespace

    from tisite.content.loader import _objective_advice

    title = "Consolider l'attractivité industrielle du territoire et de ses filières"
    objectives = [SimpleNamespace(id="attractivite", titre=title)]
    territory = SimpleNamespace(priorites=SimpleNamespace(objectifs=objectives))
    cut = title[:57] + "…"
    said = _objective_advice(cut, territory, invalid=True)  # type: ignore[arg-type]
    assert "est le titre d'un objectif : écrivez son identifiant, « attractivite »" in said
    other = _objective_advice("Une tout autre phrase assez longue pour être coupée…", territory)  # type: ignore[arg-type]
    assert other.startswith("objectif inconnu") and "« attractivite »" in other


def test_a_true_duplicate_in_a_list_item_is_not_taken_for_a_new_item() -> None:
    """« texte » given twice in one progress point is a key twice (remove one); « date »,
    the key the item begins with, given again is a new point without its « - ». A month
    shortened into two (« jui »: juin or juillet) is not guessed."""
    from tisite.content.schema import month_named
    from tisite.content.yamlio import _load

    twice = _load("avancement:\n  - date: 2024-01-01\n    texte: A\n    texte: B\n", "f.yml", 0)
    assert twice[2] is not None and twice[2].message.startswith("clé en double")
    again = _load(
        "avancement:\n  - date: 2024-01-01\n    texte: A\n    date: 2024-02-01\n", "f.yml", 0
    )
    assert again[2] is not None and "commence un nouvel élément" in again[2].message
    assert (month_named("jui"), month_named("juil"), month_named("juin")) == (None, 7, 6)


def test_the_examples_legal_notices_are_warned_until_replaced(project: Path) -> None:
    """site.yml as the example ships it (outside review: published without a word): one
    warning on its first line, naming the others and the demonstration banner. Control: a
    publisher's own notices, no warning."""
    [warning] = [w.format() for w in load_site(project).warnings if w.file == "site.yml"]
    assert warning.startswith("site.yml:8: avertissement : les mentions légales sont encore")
    assert "« (à remplacer) », « @example.org », « (à renseigner) », lignes 10, 11" in warning
    assert "« demonstration: true » (ligne 8)" in warning
    own_legal_notices(project)
    assert not [w for w in load_site(project).warnings if w.file == "site.yml"]


def test_a_portal_whose_sources_are_refused_is_not_told_it_has_no_territory(
    project: Path,
) -> None:
    """A portal may have no territory of its own: when its « portail » block is refused (a
    source listed twice), that is the one error. Control: a site without « portail: »."""
    for folder in (project / "territoires").iterdir():
        shutil.rmtree(folder)
    settings = project / "site.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text + "portail:\n  sources:\n    - https://a.example.fr/\n    - https://a.example.fr/\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as refused:
        load_site(project)
    said = [p.format() for p in refused.value.errors]
    assert any("portail.sources" in x for x in said) and not any(
        "aucun territoire" in x for x in said
    )
    settings.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="aucun territoire"):
        load_site(project)


def test_a_mistake_in_mkdocs_yml_gets_the_advice_of_the_content_files() -> None:
    """mkdocs.yml is read by its own reader (the engine's tags allowed): its typing mistakes
    get the same advice as site.yml's (outside review: « site_url:https://… » was « « : »
    manquant… » on the line below)."""
    from tisite.content.yamlio import _config_syntax_problem

    text = "site_name: T\nsite_url:https://x.fr/\ntheme:\n  name: material\n"
    problem = _config_syntax_problem(text, "mkdocs.yml")
    assert problem is not None and problem.format() == (
        "mkdocs.yml:2: champ « site_url » : il manque une espace après « site_url: » : écrivez "
        "« site_url: https://x.fr/ »"
    )
    assert _config_syntax_problem(text.replace(":https", ": https"), "mkdocs.yml") is None
    # a key of « theme » left at the margin between two of its keys (« « : » inattendu :
    # mettez le texte entre guillemets » was said on the next line)
    theme = "site_name: T\ntheme:\n  name: material\nlogo: logo.png\n  language: fr\n"
    problem = _config_syntax_problem(theme, "mkdocs.yml")
    assert problem is not None and problem.format() == (
        "mkdocs.yml:4: champ « logo » : la clé « logo » est au bord, entre des clés du même bloc "
        "à 2 espaces du bord : alignez-la sur elles, comme « name »"
    )


def test_second_review_of_the_advice(project: Path) -> None:
    """What a second outside review found in this advice, each with its control."""
    from tisite.content.yamlio import _config_syntax_problem, _load
    from tisite.generate.textutil import identifier_like

    # a value holding « \ » is suggested in single quotes (in double ones « \D » is an escape)
    problem = _load("nom: Dossier: C:\\Documents\n", "f", 0)[2]
    assert problem is not None and problem.message.endswith("nom: 'Dossier: C:\\Documents'")
    # a « #3 » is text (no space after it), kept in the suggestion; a colon at the line's end
    problem = _load("nom: Réunion: salle #3\n", "f", 0)[2]
    assert problem is not None and problem.message.endswith('nom: "Réunion: salle #3"')
    problem = _load("nom: Bilan 2024 :\nx: 1\n", "f", 0)[2]
    assert problem is not None and problem.field == "nom"
    # a key left at the margin after a block ending in a list
    text = "theme:\n  features:\n    - a\nlogo: x\n  language: fr\n"
    problem = _config_syntax_problem(text, "mkdocs.yml")
    assert problem is not None and (problem.line, problem.field) == (4, "logo")
    # a list's first item written as a key at the list's margin, items after it
    problem = _load("budget:\nfinanceur: Région\n  - montant: 3\n", "f", 0)[2]
    assert problem is not None and (problem.line, problem.field) == (2, "financeur")
    assert "écrivez « - financeur: » à 2 espaces du bord" in problem.message
    # a key written twice in mkdocs.yml (« changez site_url »: a second line added)
    problem = _config_syntax_problem("site_url: https://a.fr/\nsite_url: https://b.fr/\n", "m")
    assert problem is not None and problem.message.startswith("clé en double")
    # names: letters no accent stripping makes ASCII; never a page's name
    assert identifier_like("Lætitia Straße Ørsted") == "laetitia-strasse-orsted"
    assert identifier_like("🏭") is None
    (project / "territoires" / "Actions").mkdir()
    with pytest.raises(ContentError) as refused:
        load_site(project)
    [folder] = [p.message for p in refused.value.errors if p.file == "territoires/Actions"]
    assert "renommez" not in folder  # « actions » is the action finder's address
    # a required file holding only comments: its own message
    (project / "territoires" / "Actions").rmdir()
    (project / GC / "priorites.yml").write_text("# rien\n", encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_site(project)
    [message] = [p.message for p in refused.value.errors if p.file == f"{GC}/priorites.yml"]
    assert message.startswith("le fichier ne contient que des commentaires, et il est obligatoire")


def test_the_example_notices_warning_reads_values_not_comments(project: Path) -> None:
    """« # était contact@example.org (à remplacer) » after a real address is a comment: no
    warning; « "demonstration": true » (a quoted key) is the banner all the same."""
    own_legal_notices(project)
    settings = project / "site.yml"
    text = settings.read_text(encoding="utf-8")
    text = text.replace(
        "courriel: contact@portail.example.fr",
        "courriel: contact@ma-ville.fr  # était contact@example.org (à remplacer)",
    )
    settings.write_text(text, encoding="utf-8")
    assert not [w for w in load_site(project).warnings if w.file == "site.yml"]
    settings.write_text(text + '"demonstration": true\n', encoding="utf-8")
    [warning] = [w for w in load_site(project).warnings if w.file == "site.yml"]
    assert "« demonstration: true »" in warning.message


def test_a_misspelt_required_key_is_one_message_on_its_line(project: Path) -> None:
    """« resumé: » for « resume: »: one message on its line, with the right name (there were
    two: « champ obligatoire manquant » on the title's line and « champ inconnu »)."""
    letter = project / HDC / "lettres/15.md"
    text = letter.read_text("utf-8")
    letter.write_text(text.replace("\nresume:", "\nresumé:", 1), "utf-8")
    with pytest.raises(ContentError) as info:
        load_site(project)
    said = [p.format() for p in info.value.errors if p.file.endswith("15.md")]
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("resume:")))
    assert said == [
        f"{HDC}/lettres/15.md:{line + 1}: champ « resumé » : nom mal écrit : écrivez « resume » "
        "(champ obligatoire)"
    ]
    letter.write_text(text.replace("\nresume:", "\nsommaire:", 1), "utf-8")  # control
    with pytest.raises(ContentError) as info:
        load_site(project)
    said = [p.format() for p in info.value.errors if p.file.endswith("15.md")]
    assert len(said) == 2 and "champ obligatoire manquant" in said[0] + said[1]


def test_a_tab_inside_a_block_of_text_is_not_listed_with_the_faulty_ones() -> None:
    """A tab in a « | » block is text (valid YAML): only the tabs that indent a key or a « - »
    are listed with the one the parser stopped at, ten at most."""
    from tisite.content.yamlio import parse_yaml_text

    problem = parse_yaml_text("a: 1\nresume: |\n  \tTexte\nepci:\n\t- x\n", "f.yml")[1]
    assert problem is not None and problem.line == 5
    assert problem.message == "tabulation interdite : indentez avec des espaces"
    many = "epci:\n" + "\t- x\n" * 30
    problem = parse_yaml_text(many, "f.yml")[1]
    assert problem is not None and problem.message.endswith(
        "(aussi lignes 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 …)"
    )
