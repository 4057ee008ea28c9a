"""The content schema, written once.

These pydantic models validate the sources, export the JSON Schema used by editors
(``ti schema``) and document every field (``description``). YAML keys are French.
"""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import json
import re
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from tisite.content import vocab
from tisite.generate.textutil import day_of

# French labels of the YAML keys: the JSON Schema's « title » (shown by code editors) and the
# web editor's field labels. A key missing here is labelled from its name (« date_limite » →
# « Date limite »); a test requires every key of the schema to be listed.
LABELS = {
    "accessibilite": "Accessibilité",
    "actions_liees": "Actions liées",
    "adresse": "Adresse",
    "ambition": "Ambition",
    "anciens_identifiants": "Anciens identifiants",
    "animation": "Animation",
    "application_id": "Identifiant de l'application GitLab",
    "appels_a_projets": "Appels à projets",
    "atteint": "Atteint",
    "audit": "Audit",
    "avancement": "Avancement",
    "axe": "Axe du contrat",
    "balise_desinscription": "Balise de désinscription",
    "binomes": "Binômes élu-industriel",
    "branche": "Branche publiée",
    "binomes_description": "Présentation des binômes",
    "brouillon": "Brouillon",
    "budget": "Budget",
    "budget_source": "Source du budget",
    "calendrier": "Calendrier",
    "categorie": "Catégorie",
    "chef_de_projet": "Chef de projet",
    "chiffres_cles": "Chiffres clés",
    "cible": "Cible",
    "commentaire": "Commentaire",
    "communes": "Communes",
    "contact": "Contact",
    "courriel": "Courriel",
    "date": "Date",
    "date_declaration": "Date de la déclaration",
    "date_identification": "Date d'identification",
    "date_limite": "Date limite",
    "debut": "Début",
    "declarations": "Chiffres déclarés",
    "demonstration": "Site de démonstration",
    "depenses": "Dépenses",
    "depot": "Dépôt",
    "depuis": "Depuis",
    "description": "Description",
    "diagnostic": "Diagnostic",
    "diffusion": "Diffusion de la lettre",
    "directeur_publication": "Direction de la publication",
    "donnees_personnelles": "Données personnelles",
    "editeur": "Éditeur du site",
    "edition": "Éditeur web",
    "elu": "Élu ou élue",
    "emploi_industriel": "Emploi industriel",
    "emplois_directs": "Emplois directs",
    "entreprises": "Entreprises",
    "entreprises_source": "Source des entreprises",
    "epci": "Intercommunalités (EPCI)",
    "equipe": "Équipe",
    "evenements": "Événements",
    "filiere": "Filière",
    "filieres": "Filières",
    "fin": "Fin",
    "financement": "Financement",
    "financement_source": "Source du financement",
    "financeur": "Financeur",
    "fonction": "Fonction",
    "forge": "Forge",
    "frequence": "Fréquence",
    "hebergeur": "Hébergeur",
    "id": "Identifiant",
    "identifiant": "Identifiant (pour un report)",
    "identification": "Identification",
    "image": "Image",
    "image_alt": "Texte alternatif de l'image",
    "indicateurs": "Indicateurs",
    "industriel": "Industriel ou industrielle",
    "inscription": "Page d'inscription",
    "instances": "Instances",
    "jalons": "Jalons",
    "labels": "Labels",
    "libelle": "Libellé",
    "licence": "Licence",
    "lien": "Lien",
    "lieu": "Lieu",
    "linkedin": "LinkedIn",
    "mesure_audience": "Mesure d'audience",
    "missions": "Missions",
    "mode": "Mode du site",
    "montant": "Montant (€)",
    "nature_soutien": "Nature du soutien",
    "nom": "Nom",
    "non_conformites": "Non-conformités",
    "objectif": "Objectif du territoire",
    "objectifs": "Objectifs",
    "operateur": "Opérateur",
    "outil": "Outil d'envoi",
    "part": "Part (%)",
    "partenaires": "Partenaires",
    "participants": "Participants",
    "perimetre": "Périmètre",
    "periode": "Période",
    "phase": "Phase",
    "population": "Population",
    "porteur": "Porteur",
    "portail": "Portail national",
    "poste": "Poste",
    "prefixe": "Préfixe",
    "presentation": "Présentation",
    "priorites": "Priorités nationales",
    "produits": "Produits",
    "referentiel": "Référentiel",
    "responsable": "Responsable",
    "resume": "Résumé",
    "role": "Rôle",
    "sigle": "Sigle",
    "signataires": "Signataires",
    "siren": "SIREN",
    "siret": "SIRET",
    "site_web": "Site web",
    "sites": "Sites",
    "source": "Source",
    "sources": "Sites à récolter",
    "sous_objectifs": "Sous-objectifs",
    "statut": "Statut",
    "stricte": "Source en échec : erreur",
    "structure": "Structure",
    "taux_conformite": "Taux de conformité (%)",
    "telephone": "Téléphone",
    "titre": "Titre",
    "type": "Type",
    "unite": "Unité",
    "url": "Adresse",
    "url_authentification": "Client OAuth GitHub",
    "url_forge": "Adresse de la forge",
    "valeur": "Valeur",
    "workflow_editorial": "Relecture par demande de fusion",
}


def label(name: str, *_: object) -> str:
    """The French label of a YAML key."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, field_title_generator=label
    )


def _to_str(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _identifier(value: Any) -> Any:
    """A SIREN or SIRET as text, spaces removed (« 200 067 254 » as printed on documents)."""
    value = _to_str(value)
    return re.sub(r"[ \u00a0\u202f]", "", value) if isinstance(value, str) else value


_REGEX_SYNTAX = set("^$\\.*+?()[]{}|/")


@functools.cache
def _variants(letter: str) -> str:
    """Every Latin letter (with or without accent, either case) that folds to ``letter``."""
    found = {letter, letter.upper()}
    for code in range(0xC0, 0x250):
        if vocab.fold(chr(code)) == letter:
            found.add(chr(code))
    return "".join(sorted(found))


def loose_pattern(choices: tuple[str, ...]) -> str:
    """An ECMAScript pattern that accepts what ``vocab.canonical`` maps to one of ``choices``:
    any case, accents or not, « - », « _ » or a space between words."""

    def one(choice: str) -> str:
        out = []
        for char in vocab.fold(choice):
            if char in " -_":
                out.append("[ _-]")
            elif char.isalpha():
                out.append(f"[{_variants(char)}]")
            else:
                out.append("\\" + char if char in _REGEX_SYNTAX else char)
        return "".join(out)

    return "^\\s*(" + "|".join(one(c) for c in choices) + ")\\s*$"


def _choice(choices: tuple[str, ...] | dict[str, str]) -> BeforeValidator:
    keys = tuple(choices)
    # editors offer the canonical spellings, and accept every spelling the build accepts
    accepted = Literal[keys] | Annotated[str, Field(pattern=loose_pattern(keys))]  # type: ignore[valid-type]
    return BeforeValidator(lambda v: vocab.canonical(v, choices), json_schema_input_type=accepted)


HTTPS = "doit être une adresse web commençant par https://"
LOOPBACK = "localhost, 127.0.0.1 ou [::1]"


def _shown(value: str, limit: int = 80) -> str:
    """A received value quoted in a message: cut, its invisible characters named."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an address the site may link to, in French, or None: the one
    check of every address of the content and settings.

    Only https:// (http:// for a local trial on this computer: localhost, 127.0.0.0/8, [::1]),
    a host name, an optional port from 1 to 65535: no « user@ » before the host (it names the
    real destination after it), no scheme-relative « //host » nor « https:host » (the site's
    scheme and another host), no backslash (browsers read it as « / »)."""
    if value.startswith("/"):
        return (
            f"{HTTPS} : une adresse qui commence par « / » mène, selon la page, vers un autre "
            f"site ; écrivez l'adresse complète, https://… (reçu « {_shown(value)} »)"
        )
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", value)
    if scheme is None:
        return f"{HTTPS} (reçu « {_shown(value)} ») : écrivez l'adresse complète, https://…"
    name = scheme.group(1).lower()
    if name not in ("https", "http"):
        return f"{HTTPS} (reçu une adresse « {scheme.group(1)}: »)"
    if re.search(r"[\s<>\"'\x00-\x1f\x7f-\x9f]", value):
        return "une adresse web ne peut contenir ni espace, ni guillemet, ni chevron"
    invisible = invisible_character(value)
    if invisible:
        return f"{invisible[1]} en position {invisible[0] + 1} : retapez l'adresse"
    if "\\" in value:
        return (
            "une adresse web ne peut pas contenir de barre oblique inverse « \\ » (les "
            "navigateurs la lisent comme « / ») : écrivez « / »"
        )
    parts = urlsplit(value)
    if not value[scheme.end() :].startswith("//") or not parts.netloc:
        return (
            f"{HTTPS} suivi du nom du site, par exemple https://exemple.fr/ (reçu "
            f"« {_shown(value)} »)"
        )
    host = parts.netloc.rpartition("@")[2]
    if "@" in parts.netloc:
        return (
            f"l'adresse contient « {parts.netloc.rpartition('@')[0]}@ » avant le nom du site : "
            f"elle mène en réalité vers « {host} » ; retirez ce qui précède « @ » (reçu "
            f"« {_shown(value)} »)"
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        return f"port invalide dans « {host} » : un numéro de port va de 1 à 65535"
    hostname = parts.hostname or ""
    if not _valid_host(hostname):
        return f"nom de site invalide : « {hostname} » (reçu « {_shown(value)} »)"
    if not hostname.isascii() and mixed_scripts(hostname):
        return (
            f"le nom de site « {hostname} » mêle plusieurs écritures (une lettre d'un autre "
            "alphabet y imite une lettre latine) : recopiez l'adresse depuis la barre d'adresse "
            "du navigateur, sur le site lui-même"
        )
    if name == "http" and not _loopback(hostname):
        return (
            f"{HTTPS} (reçu « {_shown(value)} ») : http:// n'est admis que pour un essai sur cet "
            f"ordinateur ({LOOPBACK})"
        )
    return None


def _valid_host(hostname: str) -> bool:
    """A DNS name (international names allowed), an IPv4 address or an IPv6 literal."""
    if not hostname or "%" in hostname:
        return False
    if ":" in hostname:  # urlsplit strips the brackets of an IPv6 literal
        try:
            ipaddress.IPv6Address(hostname)
        except ValueError:
            return False
        return True
    if re.fullmatch(r"[0-9.]+|.*\.[0-9]+|0x.*", hostname, flags=re.I):
        # all-digit hosts are IPv4 addresses: browsers also read « 0x7f.1 » or « 2130706433 »
        try:
            ipaddress.IPv4Address(hostname)
        except ValueError:
            return False
        return True
    try:
        ascii_name = hostname.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return all(
        re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", label, flags=re.I)
        for label in ascii_name.rstrip(".").split(".")
    )


def _loopback(hostname: str) -> bool:
    """« localhost » or a loopback address: the host of a trial on this computer."""
    if hostname.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def _safe_url(value: str) -> str:
    problem = url_problem(value)
    if problem:
        raise ValueError(problem)
    return value


MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_ISO_DAY = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[T ](?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})(?::[0-9]{2})?)?"
)
# 31/02/2026, 31-02-2026, 31.02.2026 (day first, as written in France), 2026/02/31; a time
# after it (« 9:30 », « 9h30 », « à 9h30 », « T14h00 »)
_OTHER_DAY = (
    re.compile(r"(?P<d>[0-9]{1,2})([/.-])(?P<m>[0-9]{1,2})\2(?P<y>[0-9]{4})"),
    re.compile(r"(?P<y>[0-9]{4})([/.])(?P<m>[0-9]{1,2})\2(?P<d>[0-9]{1,2})"),
    # the day as it should be, the time otherwise (« 2027-01-20 9h30 », « …T14h00 »)
    re.compile(r"(?P<y>[0-9]{4})(-)(?P<m>[0-9]{1,2})\2(?P<d>[0-9]{1,2})"),
)
_TIME_AFTER = re.compile(
    r"(?:[T ]|\s+(?:à\s+)?)(?P<hh>[0-9]{1,2})(?:[:h](?P<mm>[0-9]{2})|h)"  # « 9:30 », « 9h »
)
_OTHER_MONTH = re.compile(r"(?P<m>[0-9]{1,2})[/.-](?P<y>[0-9]{4})")  # 12/2025, as in France
# a date written out (« 27 février 2027 », « jeudi 1er mars 2027 », « 3 sept. 2026 »), or a
# month (« septembre 2025 »)
_WEEKDAY = r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+)?"
_WRITTEN_DAY = re.compile(
    _WEEKDAY + r"(?P<d>[0-9]{1,2})(?:er)?\s+(?P<mon>[^\W\d]+)\.?\s+(?P<y>[0-9]{4})", re.I
)
_WRITTEN_MONTH = re.compile(r"(?P<mon>[^\W\d]+)\.?\s+(?P<y>[0-9]{4})", re.I)


def month_named(word: str) -> int | None:
    """The number of a French month written out or shortened (« février », « fevrier »,
    « févr », « sept »), None for another word."""
    from tisite.content.vocab import fold

    wanted = fold(word).rstrip(".")
    found = [
        number
        for number, name in enumerate(MONTHS, 1)
        if wanted == fold(name) or (len(wanted) >= 3 and fold(name).startswith(wanted))
    ]
    return found[0] if len(found) == 1 else None  # « jui »: juin or juillet, not said


def missing_day(year: int, month: int, day: int) -> str | None:
    """Why a day does not exist (« le 31 février 2026 n'existe pas… »), None if it does."""
    import calendar

    if not 1 <= month <= 12:
        return f"il n'y a pas de mois {month} (les mois vont de 01 à 12)"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return (
            f"le {day} {MONTHS[month - 1]} {year} n'existe pas ({MONTHS[month - 1]} {year} "
            f"n'a que {last} jours)"
        )
    return None


def date_advice(text: str, time: bool = False) -> str | None:
    """What is wrong with ``text`` as a date (AAAA-MM-JJ; a time allowed when ``time``) and how
    to write it, in French, ending with what was received; None when it can't tell."""
    text = text.strip()
    got = f" (reçu « {text[:57] + '…' if len(text) > 60 else text} »)"
    form = "AAAA-MM-JJ" + (" ou AAAA-MM-JJTHH:MM" if time else "")
    found, iso = _ISO_DAY.fullmatch(text), True
    hour: tuple[int, int] | None = None
    if found is None:
        iso = False
        for pattern in _OTHER_DAY:
            found = pattern.match(text)
            if found is not None:
                rest = text[found.end() :]
                clock = _TIME_AFTER.fullmatch(rest) if rest and time else None
                if rest and clock is None:
                    found = None
                    continue
                if clock is not None:
                    hour = int(clock["hh"]), int(clock["mm"] or 0)
                break
    elif found["hh"] is not None:
        hour = int(found["hh"]), int(found["mm"])
    written_out = _WRITTEN_DAY.fullmatch(text) if found is None else None
    if written_out is not None and (number := month_named(written_out["mon"])) is not None:
        year, month, day = int(written_out["y"]), number, int(written_out["d"])
    elif found is None:
        month_only = _WRITTEN_MONTH.fullmatch(text)
        if month_only is not None and (number := month_named(month_only["mon"])) is not None:
            return (
                f"doit être une date au format {form}{got} : le jour manque ; par exemple "
                f"{int(month_only['y']):04d}-{number:02d}-01 pour le premier du mois"
            )
        return None
    else:
        year, month, day = int(found["y"]), int(found["m"]), int(found["d"])
    missing = missing_day(year, month, day)
    if iso and missing and month > 12 and not missing_day(year, day, month):
        return (  # « 2027-31-01 »: the day before the month
            f"{missing} : le jour et le mois semblent inversés ; écrivez "
            f"{year:04d}-{day:02d}-{month:02d} (année, mois, jour){got}"
        )
    wrong_hour = hour is not None and (hour[0] > 23 or hour[1] > 59)
    if iso and missing:
        return f"{missing} : vérifiez le jour et le mois{got}"
    if wrong_hour and hour is not None:
        return f"l'heure {hour[0]}:{hour[1]:02d} n'existe pas : une heure va de 00:00 à 23:59{got}"
    written = f"{year:04d}-{month:02d}-{day:02d}"
    if hour is not None:
        written += f"T{hour[0]:02d}:{hour[1]:02d}"
    if iso and written == text.replace(" ", "T"):
        return None  # a real date (the caller's check failed for another reason)
    advice = f"doit être une date au format {form}{got} : écrivez {written}"
    return advice + (f" ; attention, {missing}" if missing else "")


def _partial_date(value: Any) -> str:
    text = str(value)
    if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", text):
        number, year = None, 0
        if (month := _OTHER_MONTH.fullmatch(text.strip())) is not None:  # « 12/2025 »
            number, year = int(month["m"]), int(month["y"])
        elif (named := _WRITTEN_MONTH.fullmatch(text.strip())) is not None:  # « septembre 2025 »
            number, year = month_named(named["mon"]), int(named["y"])
        if number is not None and 1 <= number <= 12:
            raise ValueError(
                f"doit être une année (AAAA), un mois (AAAA-MM) ou une date (AAAA-MM-JJ) "
                f"(reçu « {text} ») : écrivez {year:04d}-{number:02d}"
            )
        advice = date_advice(text)
        raise ValueError(
            advice or "doit être une année (AAAA), un mois (AAAA-MM) ou une date (AAAA-MM-JJ)"
        )
    parts = [int(p) for p in text.split("-")]
    _year_in_range(parts[0], text)
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        raise ValueError(
            f"il n'y a pas de mois {parts[1]} (les mois vont de 01 à 12) (reçu « {text} »)"
        )
    if len(parts) == 3 and (missing := missing_day(*parts)):
        raise ValueError(f"{missing} : vérifiez le jour et le mois (reçu « {text} »)")
    return text


YEARS = (1900, 2100)
# Invisible Unicode format characters (category Cf) by name: bidirectional controls reverse or
# reorder the text shown (« Trojan Source »), zero-width characters hide a difference between
# two names that look the same. The others are named by their code point.
_TURNS = "caractère invisible qui change le sens du texte"
_ISOLATES = "caractère invisible qui isole un passage dans un autre sens de lecture"
INVISIBLE_NAMES = {
    0x00AD: "trait d'union conditionnel invisible",
    0x061C: _TURNS,
    0x180E: "séparateur invisible",
    0x200B: "espace invisible de largeur nulle",
    0x200C: "caractère invisible anti-liant",
    0x200D: "caractère invisible liant",
    0x200E: "caractère invisible qui impose le sens du texte de gauche à droite",
    0x200F: "caractère invisible qui impose le sens du texte de droite à gauche",
    0x202A: _TURNS,
    0x202B: _TURNS,
    0x202C: "caractère invisible qui termine un changement de sens du texte",
    0x202D: "caractère invisible qui force le sens du texte",
    0x202E: "caractère invisible qui inverse le sens du texte",
    0x2060: "caractère invisible liant de mots",
    0x2066: _ISOLATES,
    0x2067: _ISOLATES,
    0x2068: _ISOLATES,
    0x2069: "caractère invisible qui termine un passage isolé",
    0xFEFF: "espace insécable invisible (indicateur d'ordre des octets)",
}

# str.isprintable() is false for these, which are visible (or line breaks): removed before it
_SPACES_AND_BREAKS = str.maketrans(
    "",
    "",
    "\t\n\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000",
)


def _emoji_side(char: str) -> bool:
    return char == "\ufe0f" or unicodedata.category(char) == "So"


def invisible_character(text: str, markdown: bool = False) -> tuple[int, str] | None:
    """The first invisible character of ``text`` that the content refuses: its index and its
    French description (to be followed by « en position… » or « dans le texte »), or None.

    Control characters (but tab and line breaks) and Unicode format characters (category
    Cf) are refused everywhere. In Markdown (bodies and Markdown fields), a soft hyphen
    (a hint where a long word may break) and a joiner inside an emoji (👩‍💻) are allowed."""
    if text.translate(_SPACES_AND_BREAKS).isprintable():
        return None  # the usual case, in C: nothing but printable characters and spaces
    for index, char in enumerate(text):
        code = ord(char)
        if code < 0xA0 and char not in "\t\n\r" and (code < 0x20 or code >= 0x7F):
            return index, f"caractère de contrôle invisible (code {code:#04x})"
        if code < 0xAD or unicodedata.category(char) != "Cf":
            continue
        if markdown and code == 0xAD:
            continue
        if (
            markdown
            and code == 0x200D
            and 0 < index < len(text) - 1
            and _emoji_side(text[index - 1])
            and _emoji_side(text[index + 1])
        ):
            continue
        name = INVISIBLE_NAMES.get(code, "caractère invisible (format Unicode)")
        return index, f"U+{code:04X}, {name},"
    return None


def _year_in_range(year: int, text: object) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(
            f"année {year} hors de la période acceptée ({YEARS[0]}-{YEARS[1]}) : vérifiez "
            f"la date (reçu « {text} »)"
        )


def _day(value: dt.date) -> dt.date:
    """A date (or a date and time) within YEARS."""
    _year_in_range(value.year, value.isoformat())
    return value


def _refuse_invisible(value: str, markdown: bool) -> str:
    found = invisible_character(value, markdown)
    if found:
        index, what = found
        raise ValueError(
            f"{what} en position {index + 1} : retapez le texte à cet endroit (il vient souvent "
            "d'un copier-coller)"
        )
    return value


_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\u2028\u2029\x85][\s]*")  # \s: these too


def _no_control(value: str) -> str:
    """A one-line text (a name, a title…): no invisible character at all; a line break (a
    title written on two lines with « | ») becomes a space, as the page shows it, so that no
    file made from it (CSV cell, feed title, JSON data) holds one."""
    return _LINE_BREAKS.sub(" ", _refuse_invisible(value, markdown=False))


def _no_control_markdown(value: str) -> str:
    """A Markdown text: soft hyphens and joiners inside emoji allowed."""
    return _refuse_invisible(value, markdown=True)


_FRENCH_BOOLEANS = {"oui": True, "non": False, "vrai": True, "faux": False}


def _french_bool(value: Any) -> Any:
    """« oui » and « non » (what a French contributor writes) as true and false."""
    if isinstance(value, str) and value.strip().lower() in _FRENCH_BOOLEANS:
        return _FRENCH_BOOLEANS[value.strip().lower()]
    return value


_FRENCH_BOOLEAN_PATTERN = (
    "^\\s*("
    + "|".join("".join(f"[{c}{c.upper()}]" for c in word) for word in _FRENCH_BOOLEANS)
    + ")\\s*$"
)
Flag = Annotated[
    bool,
    BeforeValidator(
        _french_bool,
        json_schema_input_type=bool | Annotated[str, Field(pattern=_FRENCH_BOOLEAN_PATTERN)],
    ),
]
Text = Annotated[str, Field(min_length=1), AfterValidator(_no_control)]
# a field written in Markdown (converted and sanitised like a page's body)
MarkdownText = Annotated[str, Field(min_length=1), AfterValidator(_no_control_markdown)]


# --- look-alike names (Unicode TR39, by ICU's spoof checker) --------------------------------

SCRIPT_NAMES = {
    "Latin": "latine",
    "Cyrillic": "cyrillique",
    "Greek": "grecque",
    "Armenian": "arménienne",
    "Arabic": "arabe",
    "Hebrew": "hébraïque",
    "Cherokee": "cherokee",
    "Georgian": "géorgienne",
    "Han": "chinoise",
}


@functools.cache
def _spoof_checker() -> Any:
    import icu

    checker = icu.SpoofChecker()
    # TR39's « highly restrictive » level: one script (Latin, Cyrillic…), or Latin with the
    # scripts written together in Chinese, Japanese or Korean; digits of one system
    checker.setRestrictionLevel(icu.URestrictionLevel.HIGHLY_RESTRICTIVE)
    checker.setChecks(icu.USpoofChecks.RESTRICTION_LEVEL | icu.USpoofChecks.MIXED_NUMBERS)
    return checker


def _script(char: str) -> str:
    import icu

    return str(icu.Script.getScript(char).getName())


def mixed_scripts(value: str) -> str | None:
    """Why ``value`` (a name) mixes writing systems, in French, or None (Unicode TR39,
    mixed-script detection): « Grand-Chаtellerault » with a Cyrillic « а » looks like the
    Latin name and is another one."""
    if value.isascii() or not _spoof_checker().check(value):
        return None
    scripts: dict[str, tuple[int, str]] = {}
    for index, char in enumerate(value):
        name = _script(char)
        if name not in ("Common", "Inherited", "Unknown"):
            scripts.setdefault(name, (index, char))
    if len(scripts) < 2:
        return (
            "le nom mêle des chiffres de plusieurs systèmes d'écriture : écrivez les nombres "
            "avec les chiffres 0 à 9"
        )
    ordered = sorted(scripts.items(), key=lambda kv: kv[1][0])
    main = max(scripts, key=lambda name: sum(_script(c) == name for c in value))
    other, (index, char) = next((n, at) for n, at in ordered if n != main)
    names = " et ".join(SCRIPT_NAMES.get(n, n) for n, _ in ordered[:2])
    return (
        f"le nom mêle les écritures {names} : « {char} » en position {index + 1} appartient "
        f"à l'écriture {SCRIPT_NAMES.get(other, other)} et peut imiter un caractère de "
        f"l'écriture {SCRIPT_NAMES.get(main, main)} ; retapez le nom au clavier, dans une "
        "seule écriture"
    )


def confusable_key(name: str) -> str:
    """What a name looks like: its TR39 skeleton (« I » and « l », « 0 » and « O », a Cyrillic
    « а » and a Latin « a » become one), accents and case set aside."""
    skeleton = str(_spoof_checker().getSkeleton(0, unicodedata.normalize("NFKC", name)))
    bare = "".join(
        c for c in unicodedata.normalize("NFD", skeleton) if not unicodedata.combining(c)
    )
    return str(_spoof_checker().getSkeleton(0, bare.casefold()))


def _one_script(value: str) -> str:
    problem = mixed_scripts(value)
    if problem:
        raise ValueError(f"{problem} (reçu « {_shown(value)} »)")
    return value


# a name (a territory, a company, a partner, a person): one writing system
Name = Annotated[Text, AfterValidator(_one_script)]


def _one_item(value: str) -> str:
    if ";" in value:
        raise ValueError(
            "« ; » sépare les éléments d'une liste dans les données ouvertes (actions.csv) : "
            "écrivez un élément par ligne « - » de la liste, sans « ; » "
            f"(reçu « {_shown(value)} »)"
        )
    return value


# one item of a list that the open data's CSV writes in one cell, « ; » between items
Item = Annotated[Text, AfterValidator(_one_item)]
ItemName = Annotated[Name, AfterValidator(_one_item)]
Day = Annotated[dt.date, AfterValidator(_day)]


def _digits(n: int) -> Any:
    """What the build reads for an identifier of ``n`` digits: text, or a YAML number (which
    loses leading zeros, so only one of exactly ``n`` digits)."""
    return (
        # spaces allowed, as on printed documents (« 200 067 254 »)
        Annotated[str, Field(pattern=f"^[0-9](?:[ \u00a0\u202f]?[0-9]){{{n - 1}}}$")]
        | Annotated[int, Field(ge=10 ** (n - 1), lt=10**n)]
    )


def _number_or_text(value: Any) -> Any:
    """Schema of a value given as text, whose YAML number form the build also accepts."""
    return BeforeValidator(_to_str, json_schema_input_type=value)


Slug = Annotated[
    str,
    _number_or_text(str | Annotated[int, Field(ge=0)]),
    Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80),
]
Siren = Annotated[
    str,
    BeforeValidator(_identifier, json_schema_input_type=_digits(9)),
    Field(pattern=r"^[0-9]{9}$"),
]
# the editors' schema says what url_problem accepts (without its finer checks of the host)
URL_PATTERN = (
    "^(?:[Hh][Tt][Tt][Pp][Ss]://[^\\s<>\"'\\\\/?#@\\u0000-\\u001f\\u007f-\\u009f]+"
    "|[Hh][Tt][Tt][Pp]://(?:localhost|127(?:\\.[0-9]{1,3}){3}|\\[::1\\])(?::[0-9]{1,5})?)"
    "(?:[/?#][^\\s<>\"'\\\\\\u0000-\\u001f\\u007f-\\u009f]*)?$"
)
Siret = Annotated[
    str,
    BeforeValidator(_identifier, json_schema_input_type=_digits(14)),
    Field(pattern=r"^[0-9]{14}$"),
]
Url = Annotated[
    str,
    AfterValidator(_safe_url),
    WithJsonSchema({"type": "string", "pattern": URL_PATTERN}, mode="validation"),
]


def _bare_address(value: Any) -> Any:
    """An email address as written in a link (« mailto:contact@… ») would give the pages a link
    to « mailto:mailto:… »: the address alone is asked for."""
    if isinstance(value, str) and value.strip().lower().startswith("mailto:"):
        raise ValueError(
            f"écrivez l'adresse seule, sans « mailto: » (reçu « {_shown(value.strip())} ») : "
            f"{_shown(value.strip()[7:].strip())}"
        )
    return value


Email = Annotated[
    str,
    BeforeValidator(_bare_address, json_schema_input_type=str),
    Field(pattern="^[^@\\s<>\"':]+@[^@\\s<>\"':]+\\.[a-zA-Z]{2,}$"),
    AfterValidator(_no_control),
]
PartialDate = Annotated[
    str,
    BeforeValidator(
        _to_str,
        json_schema_input_type=Annotated[str, Field(pattern="^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$")]
        | Annotated[int, Field(ge=1900, le=2100)],
    ),
    AfterValidator(_partial_date),
]
# Above 10^15 (a million billion euros), a figure is a typing mistake, not a budget.
LARGEST = 1e15
# the longest list of a file that the open data publishes whole (publish/bundle: MAX_SMALL)
MAX_LIST = 200
# an amount in euros: a thousand billion at most (France 2030 is 54 billion); a float holds
# about 16 digits: totals keep their cents up to about 10^13 €
LARGEST_AMOUNT = 1e12


def _to_the_cent(value: float) -> float:
    """An amount in euros has two decimals at most: lines of 10 833,3333 € showed 10 833,33 €
    each and a total that was not their sum. « 15.000 » (three decimals: thousands written
    with a dot) is explained by its own rule (validation)."""
    shown = repr(value)
    if round(value, 2) != value and not re.fullmatch(r"\d{1,3}(\.\d{3})+", shown):
        raise ValueError(
            f"un montant s'écrit au centime près : deux décimales au plus (reçu « {shown} »)"
        )
    return value


Amount = Annotated[
    float, Field(ge=0, le=LARGEST_AMOUNT, allow_inf_nan=False), AfterValidator(_to_the_cent)
]
# a sum of amounts (an action's total in the open data)
Total = Annotated[float, Field(ge=0, le=LARGEST, allow_inf_nan=False)]
Measure = Annotated[float, Field(ge=-LARGEST, le=LARGEST, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=10**9)]

# --------------------------------------------------------------------------------------------
# Site settings (site.yml)


class Personne(Strict):
    """A person shown by function; the name is optional."""

    fonction: Text = Field(description="Fonction, par exemple « Président ».")
    nom: Name | None = Field(None, description="Nom (facultatif).")
    structure: Text | None = Field(None, description="Structure d'appartenance.")


class Organisation(Strict):
    nom: Name = Field(description="Raison sociale ou nom de la structure.")
    adresse: Text | None = Field(None, description="Adresse postale.")
    site_web: Url | None = Field(None, description="Adresse du site web.")
    courriel: Email | None = Field(None, description="Adresse électronique générique.")
    telephone: Text | None = Field(None, description="Téléphone du standard.")
    siret: Siret | None = None


class Accessibilite(Strict):
    statut: Annotated[
        Literal[vocab.ACCESSIBILITE],  # type: ignore[valid-type]
        _choice(vocab.ACCESSIBILITE),
    ] = Field(description="État de conformité au RGAA déclaré.")
    taux_conformite: Annotated[float, Field(ge=0, le=100)] | None = Field(
        None, description="Taux de conformité mesuré par un audit, en pourcentage."
    )
    date_declaration: Day = Field(description="Date de la déclaration (AAAA-MM-JJ).")
    referentiel: Text = Field("RGAA 4.1.2", description="Référentiel utilisé.")
    audit: Text | None = Field(None, description="Qui a réalisé l'audit, et quand.")
    contact: Email = Field(description="Adresse pour signaler un défaut d'accessibilité.")
    non_conformites: list[Text] = Field(default_factory=list)


class DonneesPersonnelles(Strict):
    responsable: Text = Field(description="Responsable de traitement.")
    contact: Email = Field(description="Adresse pour exercer vos droits.")
    mesure_audience: Text | None = Field(
        None, description="Outil de mesure d'audience, s'il y en a un (aucun par défaut)."
    )


class Licence(Strict):
    nom: Text = "Licence Ouverte 2.0"
    url: Url = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


GUIDE_EDITOR = "voyez le guide du contributeur, « Publier depuis le navigateur »"


FORGE_URL = r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*/?$"


def _https(value: str) -> str:
    """The address of a forge or of its sign-in client: https only, even for a trial."""
    if not value.lower().startswith("https://"):
        raise ValueError(
            f"doit commencer par https:// (reçu « {_shown(value)} ») : l'éditeur ne joint une "
            "forge qu'en https://, même pour un essai"
        )
    problem = url_problem(value)
    if problem:
        raise ValueError(problem)
    if not re.fullmatch(FORGE_URL, value):
        raise ValueError(
            "adresse de serveur attendue, comme https://gitlab.example.org (reçu "
            f"« {_shown(value)} »)"
        )
    return value


HttpsUrl = Annotated[
    str,
    AfterValidator(_https),
    WithJsonSchema({"type": "string", "pattern": FORGE_URL}, mode="validation"),
]

# A segment of a GitLab group/project path or of a GitHub account/repository name.
REPOSITORY_SEGMENT = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]*")


def _repository(value: str) -> str:
    """« groupe/sous-groupe/projet » (GitLab) or « compte/dépôt » (GitHub): segments of
    letters, digits, « _ », « . » and « - », none of them « . » or « .. »."""
    segments = value.split("/")
    if len(segments) < 2:
        raise ValueError(
            f"doit avoir la forme groupe/projet (GitLab) ou compte/dépôt (GitHub) (reçu "
            f"« {_shown(value)} »)"
        )
    for segment in segments:
        if segment in ("", ".", ".."):
            raise ValueError(
                f"segment « {segment} » interdit : le dépôt s'écrit groupe/projet, sans « / » "
                f"en trop ni « . » ou « .. » (reçu « {_shown(value)} »)"
            )
        if not REPOSITORY_SEGMENT.fullmatch(segment):
            raise ValueError(
                f"segment « {segment} » invalide : lettres sans accent, chiffres, « _ », « . » "
                f"et « - » seulement, sans « - » au début (reçu « {_shown(value)} »)"
            )
    if value.lower().endswith((".git", ".atom")):
        raise ValueError(
            f"écrivez le dépôt sans « .git » à la fin, par exemple « {_shown(value[:-4])} »"
            if value.lower().endswith(".git")
            else f"un projet ne se termine pas par « .atom » (reçu « {_shown(value)} »)"
        )
    return value


def branch_problem(name: str) -> str | None:
    """Why ``name`` is not a branch name for git, in French, or None.

    The rules of ``git check-ref-format --branch`` (git-check-ref-format(1)): no component
    beginning with « . » or ending with « .lock »; no « .. »; no control character, space,
    « ~ », « ^ », « : », « ? », « * », « [ » nor « \\ »; no « / » at either end nor « // »;
    no « . » at the end; no « @{ »; not « @ »; and for a branch, not beginning with « - » and
    not « HEAD ». Invisible characters are refused too (they are allowed by git)."""
    if not name:
        return "nom de branche vide"
    if name == "@" or name == "HEAD":
        return f"« {name} » n'est pas un nom de branche"
    if name.startswith("-"):
        return "un nom de branche ne commence pas par « - »"
    bad = re.search(r"[\x00-\x20\x7f~^:?*\[\\]", name)
    if bad:
        shown = "espace" if bad.group() == " " else f"« {bad.group()} »"
        if ord(bad.group()) < 0x20 or bad.group() == "\x7f":
            shown = f"caractère de contrôle (code {ord(bad.group()):#04x})"
        return f"un nom de branche ne contient pas de {shown}"
    if ".." in name:
        return "un nom de branche ne contient pas « .. »"
    if "@{" in name:
        return "un nom de branche ne contient pas « @{ »"
    if name.startswith("/") or name.endswith("/") or "//" in name:
        return (
            "un nom de branche ne commence ni ne finit par « / » et n'en contient pas deux de suite"
        )
    if name.endswith("."):
        return "un nom de branche ne finit pas par « . »"
    for component in name.split("/"):
        if component.startswith("."):
            return f"une partie d'un nom de branche ne commence pas par « . » (« {component} »)"
        if component.endswith(".lock"):
            return f"une partie d'un nom de branche ne finit pas par « .lock » (« {component} »)"
    invisible = invisible_character(name)
    if invisible:
        return f"{invisible[1]} en position {invisible[0] + 1}"
    return None


# what _repository and branch_problem accept, for the editors (ECMAScript patterns)
REPOSITORY_PATTERN = (
    "^(?!.*(?:^|/)\\.\\.?(?:/|$))(?!.*\\.(?:git|atom)$)"
    "[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$"
)
BRANCH_PATTERN = (
    "^(?!-)(?!@$)(?!HEAD$)(?!/)(?!.*/$)(?!.*\\.$)(?!.*\\.\\.)(?!.*@\\{)(?!.*//)"
    "(?!.*(?:^|/)\\.)(?!.*\\.lock(?:/|$))[^\\u0000-\\u0020\\u007f~^:?*\\[\\\\]+$"
)


def _branch(value: str) -> str:
    problem = branch_problem(value)
    if problem:
        raise ValueError(
            f"{problem} (reçu « {_shown(value)} ») : écrivez le nom de la branche, par exemple main"
        )
    return value


class Edition(Strict):
    """The web editor at /admin/: the forge holding the repository, and how to sign in."""

    forge: Literal["gitlab", "github"] = Field(
        description="Forge qui héberge le dépôt du site : gitlab ou github."
    )
    depot: Annotated[
        str,
        Field(max_length=200),
        AfterValidator(_repository),
        WithJsonSchema(
            {"type": "string", "maxLength": 200, "pattern": REPOSITORY_PATTERN}, mode="validation"
        ),
    ] = Field(description="Dépôt : groupe/projet (GitLab) ou compte/dépôt (GitHub).")
    branche: Annotated[
        str,
        Field(max_length=200),
        AfterValidator(_branch),
        WithJsonSchema(
            {"type": "string", "maxLength": 200, "pattern": BRANCH_PATTERN}, mode="validation"
        ),
    ] = Field("main", description="Branche d'où le site est publié.")
    url_forge: HttpsUrl | None = Field(
        None,
        description="Adresse de la forge si ce n'est ni gitlab.com ni github.com (GitLab d'une "
        "administration, GitHub Enterprise), par exemple https://gitlab.example.org.",
    )
    application_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$", max_length=200)] | None = (
        Field(
            None,
            description="GitLab : identifiant (« Application ID ») de l'application OAuth de "
            "l'éditeur.",
        )
    )
    url_authentification: HttpsUrl | None = Field(
        None,
        description="GitHub : adresse du client OAuth qui connecte l'éditeur à GitHub.",
    )
    workflow_editorial: Flag = Field(
        True,
        description="true : chaque modification devient une demande de fusion, vérifiée par la "
        "CI avant publication ; false : elle est publiée directement sur la branche.",
    )

    @model_validator(mode="after")
    def _sign_in(self) -> Edition:
        if self.forge == "gitlab" and not self.application_id:
            raise ValueError(
                "avec « forge: gitlab », indiquez « application_id: », l'identifiant de "
                "l'application OAuth créée dans GitLab (Préférences > Applications : portée "
                "« api », case « Confidentielle » décochée, adresse de redirection : l'adresse du "
                f"site suivie de admin/) ; {GUIDE_EDITOR}"
            )
        if self.forge == "github" and not self.url_authentification:
            raise ValueError(
                "avec « forge: github », indiquez « url_authentification: », l'adresse du client "
                "OAuth qui connecte l'éditeur à GitHub (GitHub n'accepte pas de connexion sans "
                f"lui) ; {GUIDE_EDITOR}"
            )
        if self.forge == "github" and self.application_id:
            raise ValueError("« application_id » ne sert qu'avec GitLab : retirez cette ligne")
        if self.forge == "gitlab" and self.url_authentification:
            raise ValueError(
                "« url_authentification » ne sert qu'avec GitHub : retirez cette ligne"
            )
        return self


class Portail(Strict):
    """A national portal: the territory sites whose data it harvests (tisite.content.harvest)."""

    sources: list[Url] = Field(
        default_factory=list,
        max_length=1000,
        description="Adresses des sites de territoire à récolter (l'adresse de leur page "
        "d'accueil, https://…).",
    )
    stricte: Flag = Field(
        False,
        description="true : une source en échec fait échouer la construction (sinon, le "
        "portail garde sa dernière copie et le signale).",
    )

    @field_validator("sources")
    @classmethod
    def _homes(cls, value: list[str]) -> list[str]:
        for address in value:
            path = address.split("?", 1)[0].split("#", 1)[0].rstrip("/")
            if path.lower().endswith((".json", ".html", ".xml")):  # a file of the site
                home = path.rsplit("/", 1)[0] + "/"
                raise ValueError(
                    f"la source « {address} » est l'adresse d'un fichier : une source est "
                    f"l'adresse de l'accueil de son site, par exemple « {home} » (le portail y "
                    "lit lui-même federation.json)"
                )
        return value

    @field_validator("sources")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for address in value:
            key = address.rstrip("/").lower()
            if key in seen:
                raise ValueError(f"la source « {address} » est écrite deux fois : retirez l'une")
            seen.add(key)
        return value


class Site(Strict):
    """Settings of the whole site (site.yml)."""

    titre: Text = Field(max_length=120, description="Titre du site.")
    description: Text = Field(description="Phrase de présentation du site.")
    editeur: Organisation = Field(description="Éditeur du site (mentions légales).")
    directeur_publication: Personne = Field(description="Directeur ou directrice de publication.")
    hebergeur: Organisation = Field(description="Hébergeur du site.")
    accessibilite: Accessibilite
    donnees_personnelles: DonneesPersonnelles
    licence: Licence = Field(default_factory=Licence)
    demonstration: Flag = Field(
        False, description="Affiche un bandeau indiquant que le contenu est illustratif."
    )
    edition: Edition | None = Field(
        None,
        description="Éditeur web du site, à l'adresse /admin/ (facultatif) : forge, dépôt et "
        "connexion.",
    )
    portail: Portail | None = Field(
        None,
        description="Portail national (facultatif) : les sites de territoire dont il récolte "
        "les données.",
    )
    mode: Annotated[Literal[vocab.MODES], _choice(vocab.MODES)] | None = Field(  # type: ignore[valid-type]
        None,
        description="« territoire » : le site d'un seul territoire (son accueil est celui du "
        "site) ; « national » : un site de plusieurs territoires, même s'il n'en a qu'un pour "
        "l'instant. Sans ce champ : « territoire » s'il n'y a qu'un dossier dans territoires/ "
        "(et si site.yml ne donne aucune source de portail).",
    )


# --------------------------------------------------------------------------------------------
# Territory (territoires/<slug>/territoire.yml)


class Epci(Strict):
    siren: Siren = Field(description="Numéro SIREN de l'intercommunalité (9 chiffres).")
    sigle: Name | None = Field(None, description="Sigle usuel, par exemple « CAPH ».")


class Entreprise(Strict):
    nom: Name = Field(description="Nom de l'entreprise.")
    sites: list[Text] = Field(default_factory=list, description="Communes des sites.")
    emplois_directs: Count | None = None
    produits: list[Text] = Field(default_factory=list, description="Produits phares.")
    filiere: Text | None = None
    site_web: Url | None = None


class ChiffreCle(Strict):
    libelle: Text = Field(description="Ce que mesure le chiffre.")
    valeur: Measure = Field(description="Valeur numérique.")
    unite: Text | None = Field(None, description="Unité affichée après la valeur (« M€ », « % »).")
    prefixe: Text | None = Field(
        None, description="Texte avant la valeur (« plus de », « près de »)."
    )
    source: Text = Field(description="Source du chiffre (document, organisme).")
    date: PartialDate = Field(description="Date de la mesure : AAAA, AAAA-MM ou AAAA-MM-JJ.")


class EmploiIndustriel(Strict):
    part: Annotated[float, Field(ge=0, le=100)] = Field(
        description="Part de l'emploi industriel, en %."
    )
    source: Text = Field(description="Source du chiffre (INSEE, URSSAF…).")
    date: PartialDate = Field(description="Date du chiffre (AAAA-MM-JJ, AAAA-MM ou AAAA).")


class Declarations(Strict):
    """Figures as the territory states them; compared with the official reference."""

    communes: Count | None = None
    population: Count | None = None


class Label(Strict):
    nom: Text = Field(description="Nom du label ou de la distinction.")
    date: Day | None = None
    description: Text | None = None


class Contact(Strict):
    fonction: Text = Field(description="Fonction à contacter (pas une personne nommée).")
    structure: Text = Field(
        description="Structure qui répond (par exemple la communauté d'agglomération)."
    )
    courriel: Email = Field(description="Adresse générique (pas une adresse personnelle).")
    telephone: Text | None = None
    adresse: Text | None = None


# JSON Schema patterns are ECMAScript regexes with the « u » flag (editors use Ajv): no
# escaped quote, which is an error there.
MERGE_TAG = "^[^\\s<>\"'&][^<>\"'&\\u0000-\\u001f\\u007f-\\u009f]{0,78}[^\\s<>\"'&]$"


def _tag_rule(schema: dict[str, Any]) -> None:
    """The editors' schema says what _tag_for_other_tool says: a tag with « autre », and with
    « autre » only."""
    other = {"properties": {"outil": {"pattern": loose_pattern(("autre",))}}, "required": ["outil"]}
    schema["allOf"] = [
        {"if": other, "then": {"required": ["balise_desinscription"]}},
        {"if": {"required": ["balise_desinscription"]}, "then": other},
    ]


class Diffusion(Strict):
    """How the territory sends its letter (the tool's unsubscribe tag, its sign-up page)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        json_schema_extra=_tag_rule,
        field_title_generator=label,
    )

    outil: (
        Annotated[
            Literal[(*vocab.OUTILS_ENVOI, "autre")],  # type: ignore[valid-type]
            _choice((*vocab.OUTILS_ENVOI, "autre")),
        ]
        | None
    ) = Field(
        None,
        description="Outil d'envoi de la lettre : listmonk, brevo, mailchimp ou autre (la "
        "balise de désinscription de la version à envoyer en dépend).",
    )
    balise_desinscription: (
        Annotated[str, Field(pattern=MERGE_TAG), AfterValidator(_no_control)] | None
    ) = Field(
        None,
        description="Avec « outil: autre » : la balise que l'outil remplace par le lien de "
        "désinscription de chaque destinataire (voir l'aide de l'outil).",
    )
    inscription: Url | None = Field(
        None, description="Page d'inscription à la lettre (formulaire de l'outil d'envoi)."
    )

    @field_validator("balise_desinscription")
    @classmethod
    def _no_script_scheme(cls, value: str | None) -> str | None:
        # browsers drop tabs and line breaks from addresses: « java\tscript: » is javascript:
        compact = re.sub(r"[\x00-\x20\x7f-\x9f]", "", value or "")
        scheme = re.match(r"^([a-z][a-z0-9+.-]*):", compact, flags=re.I)
        if scheme and scheme.group(1).lower() not in ("http", "https"):
            raise ValueError(
                f"une balise de désinscription ne peut pas commencer par « {scheme.group(1)}: » "
                "(seules les adresses https:// sont admises) : recopiez la balise de votre outil"
            )
        if compact.startswith(("/", "\\")):
            raise ValueError(
                f"une balise de désinscription ne peut pas commencer par « {compact[0]} » (« //… » "
                "mène vers un autre site) : recopiez la balise de votre outil, ou une adresse "
                "complète https://…"
            )
        if scheme:  # an address: the checks of every address of the site
            problem = url_problem(compact)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _tag_for_other_tool(self) -> Diffusion:
        if self.outil == "autre" and not self.balise_desinscription:
            raise ValueError(
                "avec « outil: autre », indiquez « balise_desinscription: » (la balise de "
                "désinscription donnée par l'aide de votre outil d'envoi)"
            )
        if self.balise_desinscription and self.outil != "autre":
            raise ValueError(
                "« balise_desinscription » ne sert qu'avec « outil: autre » : "
                + (
                    f"la balise de {self.outil} est connue, retirez cette ligne"
                    if self.outil
                    else "ajoutez « outil: autre »"
                )
            )
        return self

    @property
    def unsubscribe_tag(self) -> str | None:
        if self.outil == "autre":
            return self.balise_desinscription
        return vocab.OUTILS_ENVOI.get(self.outil or "")


class Territoire(Strict):
    """Identity card of a territory."""

    nom: Name = Field(max_length=120, description="Nom du Territoire d'industrie.")
    resume: Text = Field(max_length=300, description="Présentation en une ou deux phrases.")
    presentation: MarkdownText | None = Field(None, description="Présentation longue (Markdown).")
    anciens_identifiants: list[Slug] = Field(
        default_factory=list, description="Anciens noms de dossier : leurs adresses redirigent."
    )
    date_identification: Day | None = Field(
        None, description="Date à laquelle le territoire a été identifié Territoire d'industrie."
    )
    identification: Text | None = Field(
        None, description="Instance ou décision de l'identification."
    )
    labels: list[Label] = Field(default_factory=list)
    epci: list[Epci] = Field(
        min_length=1, max_length=MAX_LIST, description="Intercommunalités membres, par SIREN."
    )
    declarations: Declarations = Field(default_factory=Declarations)
    emploi_industriel: EmploiIndustriel | None = None
    filieres: list[Text] = Field(
        default_factory=list, max_length=MAX_LIST, description="Filières industrielles."
    )
    entreprises: list[Entreprise] = Field(default_factory=list, max_length=MAX_LIST)
    entreprises_source: Text | None = None
    chiffres_cles: list[ChiffreCle] = Field(default_factory=list)
    contact: Contact | None = Field(None, description="Contact générique du territoire.")
    linkedin: Url | None = None
    site_web: Url | None = None
    diffusion: Diffusion | None = Field(
        None, description="Envoi de la lettre par courriel : outil d'envoi, page d'inscription."
    )

    @field_validator("epci")
    @classmethod
    def _unique_epci(cls, value: list[Epci]) -> list[Epci]:
        seen: set[str] = set()
        for item in value:
            if item.siren in seen:
                raise ValueError(f"le SIREN {item.siren} est listé deux fois")
            seen.add(item.siren)
        return value


# --------------------------------------------------------------------------------------------
# Priorities (territoires/<slug>/priorites.yml)


class SousObjectif(Strict):
    titre: Text = Field(description="Titre du sous-objectif.")
    description: MarkdownText | None = None


class Objectif(Strict):
    id: Slug = Field(description="Identifiant stable de l'objectif (lettres, chiffres, tirets).")
    titre: Text = Field(description="Titre de l'objectif.")
    description: MarkdownText | None = None
    priorites: list[Annotated[Literal[tuple(vocab.PRIORITES)], _choice(vocab.PRIORITES)]] = Field(  # type: ignore[valid-type]
        default_factory=list,
        description="Priorités nationales 2023-2027 : " + ", ".join(vocab.PRIORITES),
    )
    sous_objectifs: list[SousObjectif] = Field(default_factory=list, max_length=MAX_LIST)


class Priorites(Strict):
    ambition: MarkdownText | None = Field(None, description="Ambition générale (Markdown).")
    source: Text | None = None
    objectifs: list[Objectif] = Field(
        min_length=1, max_length=MAX_LIST, description="Objectifs du territoire (un au moins)."
    )

    @field_validator("objectifs")
    @classmethod
    def _unique_ids(cls, value: list[Objectif]) -> list[Objectif]:
        ids = [o.id for o in value]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError("identifiant d'objectif en double : " + ", ".join(dupes))
        return value


# --------------------------------------------------------------------------------------------
# Governance (territoires/<slug>/gouvernance.yml)


class Binome(Strict):
    perimetre: Text | None = Field(None, description="Intercommunalité ou périmètre du binôme.")
    elu: Personne | None = None
    industriel: Personne | None = None


class Instance(Strict):
    nom: Text = Field(description="Nom de l'instance, par exemple « Comité de pilotage ».")
    sigle: Text | None = None
    role: Text = Field(description="Rôle de l'instance : ce qu'elle décide ou suit.")
    frequence: Text | None = Field(None, description="« annuelle », « deux fois par an »…")
    participants: list[Text] = Field(default_factory=list)
    animation: Text | None = None


class Financement(Strict):
    financeur: Name = Field(description="Qui finance le poste.")
    montant: Amount = Field(description="Montant en euros.")
    periode: Text | None = None


class ChefDeProjet(Strict):
    fonction: Text = "Chef de projet Territoire d'industrie"
    structure: Text = Field(description="Structure qui porte le poste.")
    lieu: Text | None = None
    depuis: Day | None = None
    missions: list[Text] = Field(default_factory=list)
    financement: list[Financement] = Field(default_factory=list)
    financement_source: Text | None = None


class Membre(Strict):
    fonction: Text = Field(description="Fonction, par exemple « Directrice du développement ».")
    structure: Text = Field(description="Structure d'appartenance.")


class Partenaire(Strict):
    nom: Name = Field(description="Nom du partenaire.")
    sigle: Text | None = None
    categorie: Text | None = Field(None, description="État, Région, opérateur, chambre consulaire…")
    role: Text | None = None
    site_web: Url | None = None


class Gouvernance(Strict):
    binomes_description: MarkdownText | None = None
    binomes: list[Binome] = Field(default_factory=list)
    instances: list[Instance] = Field(default_factory=list, description="Comités et réunions.")
    animation: list[Instance] = Field(
        default_factory=list, description="Modalités d'animation : permanences, bilans…"
    )
    chef_de_projet: ChefDeProjet | None = None
    equipe: list[Membre] = Field(default_factory=list)
    signataires: list[Partenaire] = Field(default_factory=list)
    partenaires: list[Partenaire] = Field(default_factory=list)
    source: Text | None = None


# --------------------------------------------------------------------------------------------
# Fiche action (territoires/<slug>/actions/<id>.md, front matter; the body is the description)


def _named(value: Any) -> Any:
    """Allow « - CCI Grand Hainaut » as a shorthand for « - nom: CCI Grand Hainaut »."""
    return {"nom": value} if isinstance(value, str) else value


class Porteur(Strict):
    nom: Name = Field(description="Porteur de projet / maître d'ouvrage de l'action.")
    categorie: Text | None = Field(None, description="EPCI, entreprise, chambre consulaire…")
    siret: Siret | None = None


class PartenaireAction(Strict):
    nom: ItemName = Field(description="Nom du partenaire engagé.")
    role: Text | None = None


class LigneBudget(Strict):
    financeur: ItemName = Field(description="Partenaire qui finance.")
    montant: Amount | None = Field(None, description="Montant en euros ; absent si inconnu.")
    statut: Annotated[
        Literal[vocab.BUDGET_STATUTS],  # type: ignore[valid-type]
        _choice(vocab.BUDGET_STATUTS),
    ] = Field(description="prévisionnel, sollicité, acquis ou refusé.")
    commentaire: Text | None = None


class Depense(Strict):
    poste: Text = Field(description="Poste de dépense (étude, travaux, animation…).")
    montant: Amount = Field(description="Montant en euros.")


class Jalon(Strict):
    date: PartialDate = Field(description="Date du jalon (AAAA-MM-JJ, AAAA-MM ou AAAA).")
    libelle: Text = Field(description="Ce qui doit être fait à cette date.")
    atteint: Flag = False


class Calendrier(Strict):
    debut: PartialDate | None = Field(None, description="Début : AAAA, AAAA-MM ou AAAA-MM-JJ.")
    fin: PartialDate | None = Field(None, description="Fin prévue.")
    jalons: list[Jalon] = Field(default_factory=list)

    @field_validator("fin")
    @classmethod
    def _end_after_start(cls, value: str | None, info: ValidationInfo) -> str | None:
        start = info.data.get("debut")
        if start and value:
            size = min(len(start), len(value))
            if value[:size] < start[:size]:
                raise ValueError(
                    f"la fin ({value}) précède le début ({start}) : vérifiez les dates"
                )
        return value


class Avancement(Strict):
    date: Day = Field(description="Date du point d'avancement (AAAA-MM-JJ).")
    phase: Annotated[Literal[vocab.PHASES], _choice(vocab.PHASES)] = Field(  # type: ignore[valid-type]
        description="Phase : Idée, Étude ou Opération (schéma « Projets de collectivités »)."
    )
    statut: Annotated[
        Literal[vocab.STATUTS],  # type: ignore[valid-type]
        _choice(vocab.STATUTS),
    ] = Field(description="En cours, En retard, En pause, Bloqué, Abandonné ou Terminé.")
    commentaire: Text | None = None


class Indicateur(Strict):
    nom: Text = Field(description="Ce que mesure l'indicateur.")
    type: Annotated[Literal[vocab.INDICATEUR_TYPES], _choice(vocab.INDICATEUR_TYPES)]  # type: ignore[valid-type]
    unite: Text | None = None
    cible: Amount | None = Field(None, description="Valeur visée (positive ou nulle).")
    valeur: Measure | None = None
    date: PartialDate | None = Field(None, description="Date de la dernière valeur mesurée.")
    source: Text | None = None


class Action(Strict):
    """A fiche action: front matter of territoires/<slug>/actions/<id>.md."""

    titre: Text = Field(max_length=160, description="Titre de la fiche action.")
    resume: Text = Field(max_length=300, description="Résumé en une ou deux phrases.")
    brouillon: Flag = Field(False, description="true : l'action n'est pas publiée.")
    anciens_identifiants: list[Slug] = Field(
        default_factory=list, description="Anciens noms de fichier : leurs adresses redirigent."
    )
    axe: Annotated[Literal[tuple(vocab.AXES)], _choice(vocab.AXES)] | None = Field(  # type: ignore[valid-type]
        None, description="Axe du contrat : attirer, recruter, innover ou simplifier."
    )
    priorites: list[Annotated[Literal[tuple(vocab.PRIORITES)], _choice(vocab.PRIORITES)]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="Priorités nationales 2023-2027."
    )
    objectif: Slug | None = Field(
        None, description="Identifiant de l'objectif du territoire servi."
    )
    porteur: (
        Annotated[Porteur, BeforeValidator(_named, json_schema_input_type=Text | Porteur)] | None
    ) = None
    partenaires: list[
        Annotated[
            PartenaireAction,
            BeforeValidator(_named, json_schema_input_type=Text | PartenaireAction),
        ]
    ] = Field(default_factory=list)
    diagnostic: MarkdownText | None = Field(
        None, description="Diagnostic de la situation (Markdown)."
    )
    objectifs: list[Text] = Field(
        default_factory=list, max_length=MAX_LIST, description="Objectifs de l'action."
    )
    budget: list[LigneBudget] = Field(
        max_length=MAX_LIST, default_factory=list, description="Financement par partenaire."
    )
    depenses: list[Depense] = Field(default_factory=list, description="Dépenses prévues.")
    budget_source: Text | None = None
    nature_soutien: list[
        Annotated[
            Literal[vocab.NATURES_SOUTIEN],  # type: ignore[valid-type]
            _choice(vocab.NATURES_SOUTIEN),
        ]
    ] = Field(default_factory=list, description="Nature du soutien demandé.")
    calendrier: Calendrier = Field(default_factory=Calendrier)
    avancement: list[Avancement] = Field(
        max_length=MAX_LIST, default_factory=list, description="Points d'avancement datés."
    )
    indicateurs: list[Indicateur] = Field(default_factory=list)
    epci: list[Siren] = Field(
        max_length=MAX_LIST,
        default_factory=list,
        description="SIREN des EPCI concernés ; vide : tout le territoire.",
    )
    filieres: list[Item] = Field(default_factory=list, max_length=MAX_LIST)
    actions_liees: list[Slug] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Lettre d'information (territoires/<slug>/lettres/<numero>.md) and agenda (agenda.yml)


def _relative_path(value: str) -> str:
    if re.match(r"^[a-z]+:", value, flags=re.I) or value.startswith(("/", "\\")):
        raise ValueError("doit être un chemin relatif vers une image placée à côté de la lettre")
    if ".." in value.replace("\\", "/").split("/"):
        raise ValueError("le chemin ne peut pas remonter dans les dossiers (« .. » interdit)")
    if not re.search(r"\.(jpe?g|png|webp|gif)$", value, flags=re.I):
        raise ValueError("doit désigner une image .jpg, .jpeg, .png, .webp ou .gif")
    return value


ImagePath = Annotated[str, AfterValidator(_relative_path)]


def _when(value: Any) -> Any:
    """« 2024-03-05 » gives a date, « 2024-03-05T18:00 » a date and time (Paris time)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return dt.date.fromisoformat(text)
        moment = re.fullmatch(
            r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{1,2}):([0-9]{2}(?::[0-9]{2})?)", text
        )
        if moment:  # « T9:30 », as the schema of the editors allows: 09:30
            return dt.datetime.fromisoformat(f"{moment[1]}T{int(moment[2]):02d}:{moment[3]}")
    except ValueError:
        pass
    raise ValueError(
        date_advice(text, time=True)
        or "doit être une date (AAAA-MM-JJ) ou une date et une heure (AAAA-MM-JJTHH:MM) "
        f"(reçu « {text} »)"
    )


def _paris_time(value: Any) -> Any:
    """A time of day that Paris's clocks show that day: none between 2 h and 3 h on the day
    summer time starts (a calendar would move the event to another hour)."""
    if isinstance(value, dt.datetime):
        paris = ZoneInfo("Europe/Paris")
        there = value.replace(tzinfo=paris)
        if there.astimezone(dt.UTC).astimezone(paris).replace(tzinfo=None) != value:
            raise ValueError(
                f"l'heure {value:%H:%M} n'existe pas à Paris le {value:%d/%m/%Y} (passage à "
                "l'heure d'été : les horloges sautent de 2 h à 3 h) : choisissez une autre "
                f"heure (reçu « {_shown_moment(value)} »)"
            )
    return value


WHEN_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?$"
When = Annotated[
    dt.datetime | dt.date,
    # editors see what the build reads: a date, or a date and a time without time zone
    BeforeValidator(_when, json_schema_input_type=Annotated[str, Field(pattern=WHEN_PATTERN)]),
    AfterValidator(_day),
    AfterValidator(_paris_time),
]


class AppelAProjets(Strict):
    titre: Text = Field(description="Nom de l'appel à projets.")
    operateur: Text | None = Field(None, description="Opérateur : Bpifrance, ADEME, Région…")
    date_limite: Day | None = Field(None, description="Date limite de dépôt (AAAA-MM-JJ).")
    lien: Url | None = None
    description: Text | None = None
    identifiant: Slug | None = Field(
        None,
        description="Facultatif : un nom stable (minuscules, chiffres, tirets), gardé quand "
        "l'appel est reporté ou renommé : les agendas où il a été ajouté le mettent à jour au "
        "lieu d'en montrer deux, et seule sa dernière annonce est publiée.",
    )


class Evenement(Strict):
    titre: Text = Field(description="Nom de l'événement.")
    date: When = Field(
        description="Date (AAAA-MM-JJ) ou date et heure (AAAA-MM-JJTHH:MM, heure de Paris)."
    )
    fin: When | None = Field(
        None,
        description="Fin, si l'événement dure (sans fin, un événement à heure fixe dure une "
        "heure dans les agendas).",
    )
    lieu: Text | None = None
    lien: Url | None = None
    description: Text | None = None
    identifiant: Slug | None = Field(
        None,
        description="Facultatif : un nom stable (minuscules, chiffres, tirets), gardé quand "
        "l'événement est reporté ou renommé : les agendas où il a été ajouté le mettent à jour au "
        "lieu d'en montrer deux, et seule sa dernière annonce est publiée.",
    )

    @field_validator("fin")
    @classmethod
    def _end_after_start(
        cls, value: dt.date | dt.datetime | None, info: ValidationInfo
    ) -> dt.date | dt.datetime | None:
        start = info.data.get("date")
        if start is None or value is None:
            return value
        if isinstance(start, dt.datetime) and isinstance(value, dt.datetime):
            before = value < start
        else:  # a day on one side: the days are compared
            before = day_of(value) < day_of(start)
        if before:
            raise ValueError(
                f"la fin ({_shown_moment(value)}) précède le début ({_shown_moment(start)}) : "
                "vérifiez les dates et les heures"
            )
        return value


def _shown_moment(moment: dt.date | dt.datetime) -> str:
    """As it is written in the file: « 2026-06-20 » or « 2026-06-20T09:00 »."""
    if isinstance(moment, dt.datetime):
        return moment.isoformat(timespec="minutes")
    return moment.isoformat()


class Lettre(Strict):
    """A newsletter issue: front matter of territoires/<slug>/lettres/<numero>.md."""

    # the rule of _cover_needs_alt, for editors that read the JSON Schema (and the web editor)
    model_config = ConfigDict(json_schema_extra={"dependentRequired": {"image": ["image_alt"]}})

    titre: Text = Field(max_length=160, description="Titre de la lettre.")
    date: Day = Field(description="Date de parution (AAAA-MM-JJ).")
    resume: Text = Field(max_length=400, description="Résumé affiché dans l'archive et les flux.")
    image_alt: Text | None = Field(
        None,
        description="Texte alternatif de l'image de couverture, obligatoire avec une image : "
        "une phrase qui la décrit.",
    )
    image: ImagePath | None = Field(
        None, description="Image de couverture, à côté de la lettre (images/couverture.jpg)."
    )
    brouillon: Flag = Field(False, description="true : la lettre n'est pas publiée.")
    appels_a_projets: list[AppelAProjets] = Field(default_factory=list)
    evenements: list[Evenement] = Field(default_factory=list)

    @field_validator("image")
    @classmethod
    def _cover_needs_alt(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and not info.data.get("image_alt"):
            raise ValueError(
                "champ « image_alt » manquant : décrivez l'image de couverture en une phrase "
                "(texte lu aux personnes aveugles)"
            )
        return value


class Agenda(Strict):
    """Optional territoires/<slug>/agenda.yml: entries that are not in a letter."""

    appels_a_projets: list[AppelAProjets] = Field(default_factory=list)
    evenements: list[Evenement] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Hand-written pages (docs/**/*.md, front matter): only the keys the site uses. The theme
# prints other keys (« subtitle », « status »…) as raw HTML in the navigation of every page.


class Recherche(Strict):
    exclude: Flag = Field(False, description="true : la page n'apparaît pas dans la recherche.")
    boost: Annotated[float, Field(ge=0, le=10)] | None = None


class PageDocs(Strict):
    """Front matter of a hand-written page of docs/."""

    title: Text | None = Field(None, max_length=160, description="Titre de la page.")
    description: Text | None = Field(
        None, max_length=300, description="Résumé (moteurs de recherche, aperçus de partage)."
    )
    image: ImagePath | None = Field(None, description="Image de partage, à côté de la page.")
    image_alt: Text | None = Field(None, description="Texte alternatif de l'image de partage.")
    hide: list[Literal["navigation", "toc", "footer"]] = Field(
        default_factory=list, description="Parties de la page à masquer."
    )
    search: Recherche | None = None


# --------------------------------------------------------------------------------------------
# JSON Schemas of the files (schemas/*.schema.json, `ti schema`; the web editor's forms)

SCHEMAS = ("site", "territoire", "priorites", "gouvernance", "action", "lettre", "agenda")


@functools.cache
def _json_schema(name: str) -> str:
    model: Any = globals()[name.capitalize()]
    data = model.model_json_schema(mode="validation")
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = f"Territoires d'industrie — {name}.yml"
    return json.dumps(data, ensure_ascii=False)


def json_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schema of every kind of file, by name (a fresh copy each call)."""
    return {name: json.loads(_json_schema(name)) for name in SCHEMAS}
