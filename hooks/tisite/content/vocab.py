"""Controlled vocabularies of the programme, with their French labels."""

from __future__ import annotations

import unicodedata

# Axes of the 2019 contract template ("Axe : attirer / recruter / innover / simplifier").
AXES = {
    "attirer": "Attirer",
    "recruter": "Recruter",
    "innover": "Innover",
    "simplifier": "Simplifier",
}

# The four priorities of the 2023-2027 programme (FAQ, question 1.5).
PRIORITES = {
    "transition-ecologique": "Transition écologique et énergétique",
    "innovation": "Écosystèmes d'innovation",
    "competences": "Recrutement et compétences",
    "foncier": "Foncier industriel",
}

# Vocabularies of the published schema "Projets de collectivités" (phase and phaseStatut).
PHASES = ("Idée", "Étude", "Opération")
STATUTS = ("En cours", "En retard", "En pause", "Bloqué", "Abandonné", "Terminé")

BUDGET_STATUTS = ("prévisionnel", "sollicité", "acquis", "refusé")
NATURES_SOUTIEN = (
    "diagnostic",
    "étude",
    "financement",
    "ingénierie",
    "investissement",
    "animation",
    "mise en réseau",
    "autre",
)
INDICATEUR_TYPES = ("suivi", "résultat", "performance")

# What the site is (site.yml « mode »): a network of territories, or one territory's own site.
MODES = ("national", "territoire")
ACCESSIBILITE = ("non conforme", "partiellement conforme", "totalement conforme")


def fold(text: str) -> str:
    """Lower-case, accent-free form used to accept « etude » for « Étude »."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("_", " ")


def canonical(value: object, choices: tuple[str, ...] | dict[str, str]) -> object:
    """Map a value to its canonical spelling in ``choices`` ignoring case and accents."""
    if not isinstance(value, str):
        return value
    keys = tuple(choices)
    wanted = fold(value).replace("-", " ")
    for key in keys:
        if fold(key).replace("-", " ") == wanted:
            return key
    return value


# Mailing tools whose unsubscribe merge tag is known (read in each tool's documentation);
# any other tool: « autre » with its own tag.
OUTILS_ENVOI: dict[str, str] = {
    "listmonk": "{{ UnsubscribeURL }}",
    "brevo": "{{ unsubscribe }}",
    "mailchimp": "*|UNSUB|*",
}
