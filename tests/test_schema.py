"""The schema's French error messages, exactly as contributors will read them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tisite import schema, vocab
from tisite.errors import Problem
from tisite.validation import validate
from tisite.yamlio import Source, parse_yaml_text, to_plain

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
            "(ou http://)",
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
        "t.yml:1: champ « resume » : champ obligatoire manquant",
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
    from tisite.fieldref import field_docs

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
    from tisite import fieldref

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
