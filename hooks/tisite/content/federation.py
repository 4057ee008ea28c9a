"""A national portal's harvested territories: bundles checked, then made into models.

Every byte of a bundle is hostile. What the portal keeps of it:

- text and numbers validated by the bundle's model (tisite.publish.bundle: lengths, counts and
  amounts bounded, official vocabularies, no control character), shown as text by the templates;
- links only under the source's own origin, https (http only on a loopback address, for trials
  and tests): any other address refuses the whole bundle;
- the territory's figures (communes, population, départements, régions) recomputed from the
  portal's own reference of EPCIs: only the SIRENs come from the bundle;
- a territory claimed twice (same identifier, name or EPCI, by two sources or by a source and
  a local territory) is refused, both named.

Nothing of a remote territory is re-hosted: the portal links to its pages on its own site.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

from pydantic import BaseModel, ValidationError

from tisite import urls
from tisite.content import schema
from tisite.content.models import ActionItem, Epci, Letter, Remote, Territory
from tisite.content.reference import load_reference
from tisite.content.validation import explain
from tisite.generate.textutil import long_date
from tisite.publish import bundle

MAX_DEPTH = 12  # a bundle is 5 levels deep; deeper nesting is refused before parsing it


class Refused(Exception):
    """A document of a source that the portal does not take (its French reason)."""


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def web_origin(url: str) -> str:
    """An address's origin as a browser writes it (``URL.origin``: no default port)."""
    scheme, host, port = origin(url)
    default = {"https": 443, "http": 80}.get(scheme)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + (f":{port}" if port and port != default else "")


def index_address(source: str) -> str:
    """The address of a source's list of bundles (its root file, federation.json)."""
    return urljoin(source if source.endswith("/") else source + "/", urls.url_to("federation"))


def same_origin(url: str, source: str) -> bool:
    return schema.url_problem(url) is None and origin(url) == origin(source)


def shown(value: str, limit: int = 100) -> str:
    """A text of another site as a message says it: cut at ``limit`` characters, what does
    not print written as its code."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)


def _depth(text: str) -> int:
    """The deepest nesting of brackets in a JSON text (strings skipped), without parsing it:
    Python's parser recurses, a hostile document could exhaust the stack."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> None:
    raise Refused(f"JSON invalide : « {name} » n'est pas un nombre admis")


def parse_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("le fichier n'est pas du texte UTF-8") from None
    if _depth(text) > MAX_DEPTH:
        raise Refused(f"JSON trop imbriqué (plus de {MAX_DEPTH} niveaux)")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise Refused(f"JSON invalide (ligne {exc.lineno}, colonne {exc.colno})") from None
    except ValueError:  # an integer of thousands of digits (Python's limit)
        raise Refused("JSON invalide : un nombre a trop de chiffres") from None


M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], data: Any) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        where, message = explain(errors[0], model)
        # what is wrong, not the advice to a file's author (« retapez le texte… »): the portal's
        # operator can't mend another site's data, its team can
        message = message.split(" : retapez ", 1)[0]
        more = f" (et {len(errors) - 1} autre(s) erreur(s))" if len(errors) > 1 else ""
        raise Refused(
            f"non conforme au schéma des données, champ « {where or 'document'} » : "
            f"{shown(message, 400)}{more} ; l'équipe de cette source doit corriger ses données"
        ) from None


def _links(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every address field of a validated document: (where, address)."""
    found: list[tuple[str, str]] = []
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found += _links(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _links(item, f"{path}[{index + 1}]")
    elif isinstance(value, str) and value[:6].lower().startswith(("https:", "http:")):
        found.append((path, value))  # « HTTPS://… » is an address too: browsers ignore case
    return found


def _check_links(document: BaseModel, source: str) -> None:
    for where, address in _links(document):
        if not same_origin(address, source):
            raise Refused(
                f"adresse hors du site de la source dans « {where} » : « {shown(address)} » "
                "(seules les adresses de ce site sont admises)"
            )


def parse_index(body: bytes, source: str) -> bundle.Index:
    index = _validated(bundle.Index, parse_json(body))
    _check_links(index, source)
    return index


def parse_bundle(body: bytes, source: str) -> bundle.Bundle:
    data = parse_json(body)
    version = data.get("version_schema") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > bundle.VERSION:
        raise Refused(
            f"données en version {version} du schéma, ce portail lit la version "
            f"{bundle.VERSION} : mettez à jour le générateur du portail"
        )
    document = _validated(bundle.Bundle, data)
    _check_links(document, source)
    return document


# --- bundles into models ----------------------------------------------------------------------


@functools.cache
def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    """A content model's default values, computed once (pydantic's ``model_construct`` looks
    at each default factory's signature on every call: 17 s for 183 territories)."""
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in model.model_fields.items()
        if not info.is_required()
    }


def _built(model: type[M], **values: Any) -> M:
    """A content model from values already validated (by the bundle's model), its defaults
    for the rest (copies: lists and dicts are never shared)."""
    defaults = {k: copy.copy(v) for k, v in _defaults(model).items() if k not in values}
    return model.model_construct(**defaults, **values)


def territory(document: bundle.Bundle, source: str, day: dt.date, stale: bool) -> Territory:
    """The model of a harvested territory. Raises Refused for an EPCI unknown to the portal's
    reference."""
    ident = document.territoire
    reference = load_reference()
    epcis = []
    for e in ident.epci:
        ref = reference.get(e.siren)
        if ref is None:
            raise Refused(f"SIREN inconnu du référentiel des EPCI : « {e.siren} »")
        epcis.append(Epci(ref, e.sigle))
    slug = ident.id
    actions = tuple(
        ActionItem(
            id=a.id,
            territory_slug=slug,
            data=_built(
                schema.Action,
                titre=a.titre,
                resume=a.resume,
                axe=a.axe,
                priorites=list(a.priorites),
                objectif=a.objectif,
                porteur=_built(schema.Porteur, nom=a.porteur) if a.porteur else None,
                budget=[
                    _built(
                        schema.LigneBudget,
                        financeur=b.financeur,
                        montant=b.montant,
                        statut=b.statut,
                    )
                    for b in a.budget
                ],
                calendrier=_built(
                    schema.Calendrier, debut=a.calendrier.debut, fin=a.calendrier.fin
                ),
                avancement=[
                    _built(schema.Avancement, date=p.date, phase=p.phase, statut=p.statut)
                    for p in a.avancement
                ],
                epci=list(a.epci),
            ),
            description="",
            source=source,
            remote_url=a.url,
        )
        for a in document.actions
    )
    letters = tuple(
        Letter(
            numero=x.numero,
            territory_slug=slug,
            data=_built(schema.Lettre, titre=x.titre, date=x.date, resume=x.resume),
            body="",
            source=source,
            folder=Path(),
            remote_url=x.url,
        )
        for x in sorted(document.lettres, key=lambda x: (x.date, x.numero), reverse=True)
    )
    jobs = ident.emploi_industriel
    info = _built(
        schema.Territoire,
        nom=ident.nom,
        resume=ident.resume,
        epci=[_built(schema.Epci, siren=e.siren, sigle=e.sigle) for e in ident.epci],
        emploi_industriel=(
            _built(schema.EmploiIndustriel, part=jobs.part, source=jobs.source, date=jobs.date)
            if jobs
            else None
        ),
        filieres=list(ident.filieres),
        entreprises=[_built(schema.Entreprise, nom=n) for n in ident.entreprises],
    )
    priorites = _built(
        schema.Priorites,
        objectifs=[
            _built(
                schema.Objectif,
                id=o.id,
                titre=o.titre,
                priorites=list(o.priorites),
                sous_objectifs=[_built(schema.SousObjectif, titre=s) for s in o.sous_objectifs],
            )
            for o in document.objectifs
        ],
    )
    pages = ident.pages
    addresses = {
        name: getattr(pages, name.replace("-", "_")) for name, _ in urls.TERRITORY_SECTIONS
    }
    flux = document.flux
    addresses.update(
        {
            "lettres-rss": flux.lettres_rss,
            "lettres-atom": flux.lettres_atom,
            "agenda-ics": flux.agenda_ics,
            "actions-json": flux.actions_json,
            "actions-csv": flux.actions_csv,
        }
    )
    dept_codes = sorted({d for e in epcis for d in e.ref.departements})
    region_codes = sorted({r for e in epcis for r in e.ref.regions})
    return Territory(
        slug=slug,
        source_dir=source,
        info=info,
        priorites=priorites,
        gouvernance=schema.Gouvernance(),
        epcis=tuple(epcis),
        departements=tuple((c, reference.departement_name(c)) for c in dept_codes),
        regions=tuple(reference.region_name(c) for c in region_codes),
        nb_communes=sum(len(e.ref.communes) for e in epcis),
        population=sum(e.ref.population for e in epcis),
        actions=actions,
        letters=letters,
        remote=Remote(
            source=source,
            site=document.site,
            harvested=day,
            stale=stale,
            addresses=addresses,
            actions={a.id: a.url for a in document.actions},
            letters={x.numero: x.url for x in document.lettres},
        ),
    )


def data_of(day: dt.date) -> str:
    return f"données du {long_date(day)}"


# --- who claims what --------------------------------------------------------------------------


def name_key(name: str) -> str:
    normal = unicodedata.normalize("NFKC", name)
    return "".join(c for c in normal if unicodedata.category(c) != "Cf").casefold()


def _owner(t: Territory) -> str:
    if t.remote is None:
        return f"le territoire « {t.nom} » de ce dépôt ({t.source_dir})"
    return f"le territoire « {t.nom} » ({t.slug}) de la source {t.remote.source}"


def _claims(slug: str, name: str, sirens: Iterable[str]) -> list[tuple[str, str]]:
    """What a territory claims: its identifier, its name (as written and as it looks), its
    EPCIs."""
    keys = [("id", slug), ("nom", name_key(name)), ("nom", schema.confusable_key(name))]
    return keys + [("epci", siren) for siren in sirens]


def _claim_keys(t: Territory) -> list[tuple[str, str]]:
    return _claims(t.slug, t.nom, (e.siren for e in t.epcis))


def _what(kind: str, key: str, t: Territory, other: Territory) -> str:
    """What ``t`` claims that ``other`` claims too, in words."""
    if kind == "id":
        return f"l'identifiant « {key} »"
    if kind == "epci":
        epci = next((e for e in t.epcis if e.siren == key), None)
        return f"l'EPCI {key}" + (f" ({epci.nom})" if epci else "")
    if name_key(t.nom) == name_key(other.nom):
        return f"le nom « {t.nom} »"
    return f"le nom « {t.nom} », semblable à « {other.nom} »"


def raw_claims(body: str) -> set[tuple[str, str]]:
    """What the territory of a kept bundle (JSON text) claims, read without validating it
    again (a kept copy was valid when kept); none from a text that does not read."""
    try:
        data = json.loads(body)["territoire"]
        sirens = [str(e["siren"]) for e in data.get("epci", [])]
        return set(_claims(str(data["id"]), str(data["nom"]), sirens))
    except (ValueError, KeyError, TypeError, AttributeError):
        return set()


def contested(
    local: list[Territory],
    remote: list[Territory],
    held: list[set[tuple[str, str]]] | None = None,
) -> dict[int, str]:
    """The harvested territories left out because another territory claims the same
    identifier, name or EPCI, each with why (naming the other): by index in ``remote``.

    A territory of the repository is never left out (a source can't claim it). Between two
    harvested territories, the one whose source already held that claim (``held``, by index
    in ``remote``: what the territories of its source's kept copy claimed) is kept against one
    whose source did not: a source can't push a territory off the portal by claiming its name,
    nor by renaming one of its own; a territory renamed by its own source keeps what it held.
    When neither held it, or both, both are left out, whatever the order of the sources (the
    portal can't tell which is right: the two teams must agree)."""
    held = held or [set() for _ in remote]
    index_of = {id(t): i for i, t in enumerate(remote)}
    owners: dict[tuple[str, str], list[Territory]] = {}
    for t in [*local, *remote]:
        for claim in dict.fromkeys(_claim_keys(t)):
            owners.setdefault(claim, []).append(t)

    def first(t: Territory, other: Territory, claim: tuple[str, str]) -> bool:
        """Whether ``t``'s source held ``claim`` before ``other``'s, a harvested one."""
        return (
            other.remote is not None
            and claim in held[index_of[id(t)]]
            and claim not in held[index_of[id(other)]]
        )

    out: dict[int, str] = {}
    for index, t in enumerate(remote):
        for kind, key in _claim_keys(t):
            claims = owners[(kind, key)]
            other = next((o for o in claims if o is not t and not first(t, o, (kind, key))), None)
            if other is None:
                continue
            if other.remote is None or first(other, t, (kind, key)):
                who, both = f"déjà pris par {_owner(other)}", ""
            else:
                who, both = f"comme {_owner(other)}", " ; l'autre aussi"
            out[index] = (
                f"{_owner(t)} revendique {_what(kind, key, t, other)}, {who} : il est laissé de "
                f"côté{both}, les deux équipes doivent s'accorder"
            )
            break
    return out


def reserved_problem(t: Territory) -> str | None:
    if t.slug in urls.reserved_top():
        return (
            f"l'identifiant « {t.slug} » du territoire « {t.nom} » est celui d'une page du "
            "portail : il est laissé de côté"
        )
    return None


def copy_line(source: str, problem: str, day: dt.date | None) -> str:
    """The French line of a source's problem: the source, what went wrong, the copy used."""
    if day is None:
        return (
            f"{source} : {problem} ; jamais récoltée, ses territoires sont laissés de côté : "
            "vérifiez l'adresse (celle de l'accueil du site), ou demandez à son équipe de "
            "reconstruire son site"
        )
    return f"{source} : {problem} ; le portail garde la dernière copie ({data_of(day)})"
