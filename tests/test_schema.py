"""The schema's French error messages, exactly as contributors will read them."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from tisite.content import schema, vocab
from tisite.content.errors import Problem
from tisite.content.validation import validate
from tisite.content.yamlio import Source, parse_yaml_text, to_plain

BASE = """\
nom: Exemple
resume: Un territoire d'exemple.
epci:
  - siren: "245901160"
"""


def problems_for(text: str, model: type = schema.Territoire) -> list[str]:
    tree, problem = parse_yaml_text(text, "t.yml")
    assert problem is None, problem
    source = Source(Path("t.yml"), "t.yml", to_plain(tree), tree)
    found: list[Problem] = []
    assert validate(model, source, found) is None
    return [p.format() for p in found]


def test_valid_minimal_territory() -> None:
    tree, _ = parse_yaml_text(BASE, "t.yml")
    source = Source(Path("t.yml"), "t.yml", to_plain(tree), tree)
    found: list[Problem] = []
    model = validate(schema.Territoire, source, found)
    assert found == []
    assert model is not None and model.epci[0].siren == "245901160"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "filiere: [Automobile]\n",
            "t.yml:5: champ « filiere » : champ inconnu : vouliez-vous dire « filieres » ?",
        ),
        (
            "emploi_industriel:\n  part: douze\n  source: INSEE\n  date: 2022\n",
            "t.yml:6: champ « emploi_industriel.part » : doit être un nombre, sans espace ni unité "
            "(reçu « douze »)",
        ),
        (
            "emploi_industriel:\n  part: 19.5\n  source: INSEE\n  date: 2022-02-30\n",
            "t.yml:8: champ « emploi_industriel.date » : le 30 février 2022 n'existe pas (février "
            "2022 n'a que 28 jours) : vérifiez le jour et le mois (reçu « 2022-02-30 »)",
        ),
        (
            "emploi_industriel:\n  part: 140\n  source: INSEE\n  date: 2022\n",
            "t.yml:6: champ « emploi_industriel.part » : doit être inférieur ou égal à 100 "
            "(reçu « 140 »)",
        ),
        (
            "entreprises:\n  - nom: Usine\n    emplois_directs: -4\n",
            "t.yml:7: champ « entreprises[1].emplois_directs » : doit être un nombre positif "
            "(reçu « -4 »)",
        ),
        (
            "contact:\n  fonction: Chef de projet\n  structure: CCI\n  courriel: pas-une-adresse\n",
            "t.yml:8: champ « contact.courriel » : doit être une adresse électronique valide "
            "(reçu « pas-une-adresse »)",
        ),
        (
            "site_web: javascript:alert(1)\n",
            "t.yml:5: champ « site_web » : doit être une adresse web commençant par https:// "
            "(reçu une adresse « javascript: »)",
        ),
        (
            "anciens_identifiants: [../etc]\n",
            "t.yml:5: champ « anciens_identifiants[1] » : identifiant invalide : lettres "
            "minuscules sans accent, chiffres et tirets seulement (reçu « ../etc »)",
        ),
    ],
)
def test_error_messages(extra: str, expected: str) -> None:
    assert problems_for(BASE + extra) == [expected]


def test_missing_fields_and_wrong_siren() -> None:
    assert problems_for("nom: X\nepci:\n  - siren: 12345\n") == [
        (
            "t.yml:1: champ « resume » : champ obligatoire manquant : Présentation en une ou "
            "deux phrases"
        ),
        "t.yml:3: champ « epci[1].siren » : un SIREN compte exactement 9 chiffres (reçu « 12345 »)",
    ]


def test_unknown_key_without_close_match_lists_fields() -> None:
    (message,) = problems_for(BASE.replace("epci:", "zzz: 1\nepci:"), schema.Territoire)
    assert message.startswith("t.yml:3: champ « zzz » : champ inconnu. Champs possibles : ")
    assert "epci" in message


def test_priority_vocabulary_accepts_accents_and_case() -> None:
    text = "objectifs:\n  - id: a\n    titre: A\n    priorites: [Transition-Écologique, foncier]\n"
    tree, _ = parse_yaml_text(text, "p.yml")
    source = Source(Path("p.yml"), "p.yml", to_plain(tree), tree)
    found: list[Problem] = []
    model = validate(schema.Priorites, source, found)
    assert found == [] and model is not None
    assert model.objectifs[0].priorites == ["transition-ecologique", "foncier"]


def test_unknown_priority_lists_allowed_values() -> None:
    text = "objectifs:\n  - id: a\n    titre: A\n    priorites: [numerique]\n"
    (message,) = problems_for(text, schema.Priorites)
    assert message.startswith("t.yml:4: champ « objectifs[1].priorites[1] » : valeur non reconnue")
    assert "« transition-ecologique »" in message and "« foncier »" in message
    assert "'" not in message  # French quotes, not Python's
    assert "vouliez-vous dire" not in message  # « numerique » is close to none of them


def test_a_misspelled_vocabulary_word_gets_the_close_match() -> None:
    text = "objectifs:\n  - id: a\n    titre: A\n    priorites: [competance]\n"
    (message,) = problems_for(text, schema.Priorites)
    assert message == (
        "t.yml:4: champ « objectifs[1].priorites[1] » : valeur non reconnue (reçu « competance ») "
        ": vouliez-vous dire « competences » ? Valeurs possibles : « transition-ecologique », "
        "« innovation », « competences », « foncier »"
    )
    text = "avancement:\n  - date: 2024-01-15\n    phase: Etudes\n    statut: En cour\n"
    messages = problems_for(text, schema.Action)
    assert any("(reçu « Etudes ») : vouliez-vous dire « Étude » ?" in m for m in messages)
    assert any("(reçu « En cour ») : vouliez-vous dire « En cours » ?" in m for m in messages)


def test_json_schema_export_documents_fields() -> None:
    exported = schema.Territoire.model_json_schema()
    assert exported["additionalProperties"] is False
    assert "SIREN" in exported["$defs"]["Epci"]["properties"]["siren"]["description"]
    assert "epci" in exported["required"]


def test_field_reference_is_generated_from_the_schema() -> None:
    from tisite.content.fieldref import field_docs

    docs = {d.path: d for d in field_docs(schema.Action)}
    assert docs["titre"].required and docs["titre"].kind == "texte"
    assert docs["budget[].statut"].kind.startswith("une valeur parmi : « prévisionnel »")
    assert docs["avancement[].date"].kind == "date AAAA-MM-JJ"
    assert (
        not docs["brouillon"].required
        and "Par défaut : non (false)" in docs["brouillon"].description
    )
    territory = {d.path for d in field_docs(schema.Territoire)}
    assert {"epci[].siren", "entreprises[].emplois_directs", "contact.courriel"} <= territory


@given(
    st.sampled_from(vocab.STATUTS),
    st.lists(st.sampled_from(["upper", "lower", "plain", "strip-accent", "dash"]), max_size=3),
    st.text(alphabet="eé -_xÉ'", max_size=2),
)
def test_schema_choice_patterns_accept_what_the_build_accepts(
    choice: str, changes: list[str], noise: str
) -> None:
    """The editors' pattern for a controlled vocabulary (ECMAScript, checked here with Python's
    engine on the same syntax) and ``vocab.canonical`` agree, for spellings and near misses."""
    import re
    import unicodedata

    value = choice
    for change in changes:
        if change == "upper":
            value = value.upper()
        elif change == "lower":
            value = value.lower()
        elif change == "strip-accent":
            value = "".join(
                c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c)
            )
        elif change == "dash":
            value = value.replace(" ", "-")
    for candidate in (value, value + noise):
        pattern = schema.loose_pattern(tuple(vocab.STATUTS))
        accepted = vocab.canonical(candidate, tuple(vocab.STATUTS)) in vocab.STATUTS
        assert bool(re.match(pattern, candidate)) == accepted, candidate


def test_field_reference_covers_every_file_and_describes_every_field() -> None:
    from tisite.content import fieldref

    models = {model for _, model, _ in fieldref.FILES}
    assert {schema.Lettre, schema.Agenda, schema.Action, schema.Site} <= models
    undescribed = [
        f"{model.__name__}.{doc.path}"
        for _, model, _ in fieldref.FILES
        for doc in fieldref.field_docs(model)
        if not doc.description.strip() or doc.description.startswith("Par défaut")
    ]
    assert not undescribed, undescribed
    assert fieldref.kind_of(list[schema.Partenaire]) == "liste d'ensembles de champs"


# --- addresses: one validator for every URL field -----------------------------------------

ACCEPTED_URLS = [
    "https://exemple.fr",
    "HTTPS://EXEMPLE.FR/Page?a=1&b=2#suite",
    "https://www.région.fr/aides",
    "https://россия.рф/",  # one script (Cyrillic)
    "https://exemple.fr:8443/",
    "https://[2001:db8::1]/",
    # http only on this computer, for a local trial
    "http://localhost:8000/",
    "http://127.0.0.1/",
    "http://127.8.9.10:8080/x",
    "http://[::1]:8000/",
]
REFUSED_URLS = {
    "//evil.example/u": "une adresse qui commence par « / »",
    "/\\evil.example/u": "une adresse qui commence par « / »",
    "https://brevo.com@evil.example/x": "elle mène en réalité vers « evil.example »",
    "https://user:mdp@exemple.fr/": "elle mène en réalité vers « exemple.fr »",
    "https:evil.example": "suivi du nom du site",
    "https:///evil.example": "suivi du nom du site",
    "https:\\\\evil.example": "barre oblique inverse",
    "https://exemple.fr\\@evil.example": "barre oblique inverse",
    "http://exemple.fr/": "http:// n'est admis que pour un essai sur cet ordinateur",
    "http://localhost.evil.example/": "http:// n'est admis que pour un essai",
    "http://128.0.0.1/": "http:// n'est admis que pour un essai",
    "mailto:contact@exemple.fr": "(reçu une adresse « mailto: »)",
    "javascript:alert(1)": "(reçu une adresse « javascript: »)",
    "ftp://exemple.fr/": "(reçu une adresse « ftp: »)",
    "exemple.fr": "écrivez l'adresse complète",
    "https://exemple.fr:99999/": "un numéro de port va de 1 à 65535",
    "https://exemple.fr:0/": "un numéro de port va de 1 à 65535",
    "https://0x7f.1/": "nom de site invalide",
    "https://2130706433/": "nom de site invalide",
    "https://exemple..fr/": "nom de site invalide",
    "https://exemple.fr/\u202e": "U+202E, caractère invisible qui inverse le sens du texte",
    'https://exemple.fr/"><script>': "ni guillemet, ni chevron",
    "https://p\u0430ypal.example/": "mêle plusieurs écritures",  # a Cyrillic « а »
}


@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_addresses_accepted(url: str) -> None:
    assert schema.url_problem(url) is None
    assert schema.Partenaire(nom="CCI", site_web=url).site_web == url


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_addresses_refused_everywhere(url: str) -> None:
    """Every URL field refuses the same addresses with the same message: site, links of
    letters and agenda, sign-up page, licence, companies and partners."""
    problem = schema.url_problem(url)
    assert problem is not None and REFUSED_URLS[url] in problem
    for model, data in (
        (schema.Partenaire, {"nom": "CCI", "site_web": url}),
        (schema.Entreprise, {"nom": "Usine", "site_web": url}),
        (schema.Evenement, {"titre": "Réunion", "date": "2024-01-01", "lien": url}),
        (schema.AppelAProjets, {"titre": "AAP", "lien": url}),
        (schema.Diffusion, {"inscription": url}),
        (schema.Licence, {"url": url}),
        (schema.Organisation, {"nom": "Éditeur", "site_web": url}),
    ):
        with pytest.raises(ValidationError, match=re.escape(REFUSED_URLS[url])):
            model.model_validate(data)


def test_editors_url_pattern_refuses_the_tricks() -> None:
    """The JSON Schema (editors, web editor) refuses what the build refuses, but the finer
    checks of the host and port."""
    pattern = re.compile(schema.URL_PATTERN)
    for url in ACCEPTED_URLS:
        assert pattern.fullmatch(url), url
    for url in REFUSED_URLS:
        finer = ("port", "nom de site", "U+202E", "écritures")
        if not any(k in REFUSED_URLS[url] for k in finer):
            assert not pattern.fullmatch(url), url


def test_negative_control_the_former_check_let_the_tricks_through() -> None:
    """The check this one replaced (a scheme prefix, no space) accepted these addresses."""
    former = re.compile(r"^(https?://|mailto:)[^\s<>\"']+$", flags=re.I)
    tricks = ["https://brevo.com@evil.example/x", "http://exemple.fr/", "https://x.fr:99999"]
    assert all(former.match(url) for url in tricks)
    assert all(schema.url_problem(url) for url in tricks)


def test_unsubscribe_tag_that_is_an_address_follows_the_same_rules() -> None:
    for tag in ("//evil.example/u", "\\\\evil.example/u", "https://brevo.com@evil.example/x"):
        with pytest.raises(ValidationError):
            schema.Diffusion(outil="autre", balise_desinscription=tag)
    for tag in ("[unsubscribe]", "{{ UnsubscribeURL }}", "https://x.fr/d?id={{ id }}"):
        assert schema.Diffusion(outil="autre", balise_desinscription=tag).unsubscribe_tag == tag


# --- the web editor's repository and branch ----------------------------------------------

BRANCHES = [
    "main",
    "feature/x",
    "v1.0",
    "été",
    "a@b",
    "a/b.lockx",
    "../..",
    "a..b",
    ".cachee",
    "a/.b",
    "a.lock",
    "a.lock/b",
    "a/",
    "/a",
    "a//b",
    "a.",
    "HEAD",
    "-x",
    "a@{b",
    "a b",
    "a~1",
    "a^",
    "a:b",
    "a?",
    "a*",
    "a[b",
    "a\\b",
    "a\x7fb",
    "a\tb",
]


@pytest.mark.parametrize("name", BRANCHES)
def test_branch_names_follow_git(name: str) -> None:
    """branch_problem is git's check-ref-format --branch (compared with git itself when it is
    installed), and the editors' pattern says the same."""
    ours = schema.branch_problem(name) is None
    assert bool(re.fullmatch(schema.BRANCH_PATTERN, name)) == ours
    if shutil.which("git"):
        result = subprocess.run(
            ["git", "check-ref-format", f"refs/heads/{name}"], capture_output=True, check=False
        )
        git = result.returncode == 0 and not name.startswith("-") and name != "HEAD"
        assert ours == git, (name, schema.branch_problem(name))


def test_branch_refusals_beyond_git() -> None:
    """Stricter than git, on purpose: « @ » (git reads it as HEAD) and invisible characters."""
    assert schema.branch_problem("@") is not None
    assert "U+202E" in (schema.branch_problem("main\u202e") or "")


@pytest.mark.parametrize(
    ("depot", "expected"),
    [
        ("groupe/projet", None),
        ("groupe/sous-groupe/projet", None),
        ("compte/.github", None),
        ("compte/mon_depot.v2", None),
        ("../../admin", "segment « .. » interdit"),
        ("groupe/./projet", "segment « . » interdit"),
        ("groupe//projet", "segment «  » interdit"),
        ("groupe/projet/", "segment «  » interdit"),
        ("projet", "doit avoir la forme groupe/projet"),
        ("-groupe/projet", "segment « -groupe » invalide"),
        ("groupe/projét", "segment « projét » invalide"),
        ("groupe/projet.git", "sans « .git » à la fin, par exemple « groupe/projet »"),
    ],
)
def test_repository_paths(depot: str, expected: str | None) -> None:
    base = {"forge": "gitlab", "application_id": "abc"}
    assert bool(re.fullmatch(schema.REPOSITORY_PATTERN, depot)) == (expected is None)
    if expected is None:
        assert schema.Edition(**base, depot=depot).depot == depot
    else:
        with pytest.raises(ValidationError, match=re.escape(expected)):
            schema.Edition(**base, depot=depot)


# --- invisible characters and look-alike names -------------------------------------------


@pytest.mark.parametrize(
    ("text", "markdown", "expected"),
    [
        ("Réunion\u00a0: 14\u202fh", False, None),  # French no-break spaces are visible
        ("a\u202eb", False, "U+202E, caractère invisible qui inverse le sens du texte,"),
        ("a\u202eb", True, "U+202E, caractère invisible qui inverse le sens du texte,"),
        ("a\u2066b", True, "U+2066, caractère invisible qui isole un passage"),
        ("a\u200bb", False, "U+200B, espace invisible de largeur nulle,"),
        ("a\ufeffb", False, "U+FEFF, espace insécable invisible (indicateur d'ordre des octets),"),
        ("a\u2061b", False, "U+2061, caractère invisible (format Unicode),"),
        ("a\x08b", False, "caractère de contrôle invisible (code 0x08)"),
        # in Markdown, a soft hyphen (where a long word may break) and an emoji's joiner
        ("anti\u00adconstitutionnel", True, None),
        ("anti\u00adconstitutionnel", False, "U+00AD, trait d'union conditionnel invisible,"),
        ("\U0001f469\u200d\U0001f4bb", True, None),
        ("a\u200db", True, "U+200D, caractère invisible liant,"),
    ],
)
def test_invisible_characters(text: str, markdown: bool, expected: str | None) -> None:
    found = schema.invisible_character(text, markdown)
    assert (found and found[1].startswith(expected)) if expected else found is None, found


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("Décarbonation\nBEGIN:VEVENT", "Décarbonation BEGIN:VEVENT"),
        ("Salle\r\nBEGIN:VEVENT", "Salle BEGIN:VEVENT"),
        ("Réaliser  \n\n  des actions", "Réaliser des actions"),
        ("Ligne\u2028séparée\u2029paragraphe", "Ligne séparée paragraphe"),
        ("Sur une ligne", "Sur une ligne"),  # control
    ],
)
def test_a_one_line_field_holds_no_line_break(written: str, kept: str) -> None:
    """A title written on two lines (« | ») is one line, as its page shows it: no file made
    from it (CSV cell, feed title, JSON data, calendar) holds a line break."""
    adapter = TypeAdapter(schema.Text)
    assert adapter.validate_python(written) == kept


def test_every_format_character_is_refused_in_a_name() -> None:
    """Every character of Unicode's category Cf, named or not (the list is Unicode's, not
    ours): none passes in a one-line field."""
    import sys
    import unicodedata

    formats = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(formats) > 150
    for char in formats:
        assert schema.invisible_character(f"Nom{char}"), hex(ord(char))


@pytest.mark.parametrize(
    ("name", "mixed"),
    [
        ("Grand-Châtellerault", False),
        ("L'Œuvre & Cie — 3D (71)", False),
        ("Société d’Équipement", False),
        ("Αθήνα", False),  # one script, Greek
        ("東京タワー Tokyo", False),  # Han, Katakana and Latin are written together (TR39)
        ("Grand-Chаtellerault", True),  # a Cyrillic « а »
        ("Alpha Ωmega", True),
        ("CAРH", True),  # a Cyrillic « Р »
        ("Usine 1٣", True),  # digits of two systems
    ],
)
def test_mixed_scripts(name: str, mixed: bool) -> None:
    assert (schema.mixed_scripts(name) is not None) == mixed


def test_confusable_names_share_a_skeleton() -> None:
    key = schema.confusable_key
    assert key("Grand-ChâteIlerault") == key("Grand-Châtellerault")  # capital I for l
    assert key("GRAND-CHATELLERAULT") == key("Grand-Châtellerault")
    assert key("Grand-Chаtellerault") == key("Grand-Châtellerault")  # Cyrillic а
    assert key("Hainaut-Douaisis-Cambrésis") != key("Grand-Châtellerault")


def test_negative_control_the_former_patterns_let_the_paths_through() -> None:
    """The patterns these checks replaced accepted a repository and a branch that climb the
    folders, and any port."""
    former_depot = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$")
    former_branch = re.compile(r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")
    former_forge = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?$")
    assert former_depot.fullmatch("../../admin") and former_branch.fullmatch("../..")
    assert former_forge.fullmatch("https://gitlab.exemple.org:99999")
    base = {"forge": "gitlab", "application_id": "abc"}
    for wrong in (
        {"depot": "../../admin"},
        {"depot": "a/b", "branche": "../.."},
        {"depot": "a/b", "url_forge": "https://gitlab.exemple.org:99999"},
    ):
        with pytest.raises(ValidationError):
            schema.Edition(**base, **wrong)


def test_an_email_address_is_asked_for_alone() -> None:
    """« mailto:contact@… » (copied from a link) gave the pages a link to « mailto:mailto:… »:
    refused with the address to write. Control: the address alone passes."""
    contact = "contact:\n  fonction: Chef de projet\n  structure: CCI\n  courriel: "
    found = problems_for(BASE + contact + "mailto:ti@example.org\n")
    assert found == [
        "t.yml:8: champ « contact.courriel » : écrivez l'adresse seule, sans « mailto: » "
        "(reçu « mailto:ti@example.org ») : ti@example.org"
    ], found
    assert problems_for(BASE + contact + "ti:x@example.org\n")
    tree, _ = parse_yaml_text(BASE + contact + "ti@example.org\n", "t.yml")
    source = Source(Path("t.yml"), "t.yml", to_plain(tree), tree)
    found_ok: list[Problem] = []
    assert validate(schema.Territoire, source, found_ok) is not None and not found_ok


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2027-01-20 9h30", "écrivez 2027-01-20T09:30"),
        ("2027-01-22T14h00", "écrivez 2027-01-22T14:00"),
        ("2027-01-20 à 9h30", "écrivez 2027-01-20T09:30"),
        ("2027-01-20T25h00", "l'heure 25:00 n'existe pas : une heure va de 00:00 à 23:59"),
    ],
)
def test_a_time_typed_the_french_way_after_the_right_day_gets_its_fix(
    typed: str, said: str
) -> None:
    """The day written as asked, the time as said (« 9h30 »): the message says what to write
    (it gave the general form only). Control: a text that is no date at all gets the form."""
    from tisite.content.schema import _when

    with pytest.raises(ValueError, match=re.escape(said)):
        _when(typed)
    with pytest.raises(ValueError, match=re.escape("doit être une date (AAAA-MM-JJ)")):
        _when("2027-01-20 demain")


def test_an_hour_of_one_digit_is_read_as_the_editors_schema_allows() -> None:
    """« 2027-01-20T9:30 »: the schema the editors check with allows one digit, the check
    refused it; it is 09:30."""
    from tisite.content.schema import WHEN_PATTERN, _when

    assert re.fullmatch(WHEN_PATTERN.strip("^$"), "2027-01-20T9:30")
    assert _when("2027-01-20T9:30") == dt.datetime(2027, 1, 20, 9, 30)


def test_every_required_field_says_what_it_is() -> None:
    """« champ obligatoire manquant » is followed by the field's description (outside review:
    an instance without « role » got the bare words): every required field has one."""
    import inspect

    from pydantic import BaseModel

    bare = [
        f"{name}.{field}"
        for name, model in inspect.getmembers(schema, inspect.isclass)
        if issubclass(model, BaseModel) and model.__module__ == schema.__name__
        for field, info in model.model_fields.items()
        if info.is_required() and not info.description
    ]
    assert bare == ["Indicateur.type", "Site.accessibilite", "Site.donnees_personnelles"], bare
