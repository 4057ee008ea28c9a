"""Action plan figures, progress reports and open-data exports, computed from the models."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tisite import urls
from tisite.content import vocab
from tisite.content.models import ActionItem, Territory, period_start
from tisite.generate import opendata
from tisite.generate.textutil import cents_sum, half_up, long_date
from tisite.publish.publishing import markdown_text

STATUS_ORDER = (*vocab.STATUTS, "Non renseigné")
SCHEMA_FIELDS = (
    "id", "createdAt", "updatedAt", "nom", "description", "budgetPrevisionnel",
    "dateDebutPrevisionnelle", "phase", "phaseStatut", "programme", "porteurCodeSiret",
    "porteurReferentEmail", "porteurReferentTelephone", "porteurReferentPrenom",
    "porteurReferentNom", "porteurReferentFonction", "competences", "leviers", "mecId", "tetId",
    "recocoId", "collectiviteIds",
)  # fmt: skip
PROGRAMME = "Territoires d'industrie"
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://territoires-industrie/actions")

# said of an action whose planned end passed (the finder's results, a share card)
OVERDUE = "échéance dépassée"


def key(text: str) -> str:
    """Stable, URL- and attribute-safe key for a label (« En cours » → « en-cours »)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split()) or "vide"


def axis_label(action: ActionItem) -> str:
    return vocab.AXES[action.data.axe] if action.data.axe else "Axe non renseigné"


def by_axis(actions: tuple[ActionItem, ...]) -> list[tuple[str, list[ActionItem]]]:
    order = [*vocab.AXES.values(), "Axe non renseigné"]
    groups: dict[str, list[ActionItem]] = defaultdict(list)
    for action in actions:
        groups[axis_label(action)].append(action)
    return [(label, groups[label]) for label in order if groups.get(label)]


def status_counts(actions: tuple[ActionItem, ...]) -> list[tuple[str, int]]:
    counts = Counter(a.statut for a in actions)
    return [(s, counts[s]) for s in STATUS_ORDER if counts.get(s)]


def budget_by_partner(actions: tuple[ActionItem, ...]) -> list[tuple[str, float]]:
    amounts: dict[str, list[float]] = defaultdict(list)
    for action in actions:
        for line in action.data.budget:
            if line.montant is not None and line.statut != "refusé":
                amounts[line.financeur].append(line.montant)
    totals = ((k, cents_sum(v)) for k, v in amounts.items())
    return sorted(totals, key=lambda kv: (-kv[1], kv[0]))


def budget_by_axis(actions: tuple[ActionItem, ...]) -> list[tuple[str, float]]:
    out = []
    for label, group in by_axis(actions):
        amounts = [a.budget_total for a in group if a.budget_total is not None]
        if amounts:
            out.append((label, cents_sum(amounts)))
    return out


def count_by_priority(actions: tuple[ActionItem, ...]) -> list[tuple[str, int]]:
    counts = Counter(p for a in actions for p in a.data.priorites)
    return [(label, counts[k]) for k, label in vocab.PRIORITES.items() if counts.get(k)]


def budget_known(actions: tuple[ActionItem, ...]) -> tuple[float | int, int]:
    """Total of known budgets (to the cent; a whole number of euros as an int) and the number
    of actions whose budget is known."""
    known = [a.budget_total for a in actions if a.budget_total is not None]
    return cents_sum(known), len(known)


def porteurs(actions: tuple[ActionItem, ...]) -> list[str]:
    return sorted({a.data.porteur.nom for a in actions if a.data.porteur})


# --- progress report ----------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        ordinal = "1er" if self.number == 1 else f"{self.number}e"
        return f"{ordinal} trimestre {self.year}"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def anchor(self) -> str:
        return f"t{self.number}-{self.year}"


@dataclass(frozen=True)
class Change:
    action: ActionItem
    date: dt.date
    phase: str
    statut: str
    previous: str | None
    commentaire: str | None


def changes_by_quarter(actions: tuple[ActionItem, ...]) -> list[tuple[Quarter, list[Change]]]:
    """Every dated progress entry, grouped by quarter, newest quarter first."""
    groups: dict[Quarter, list[Change]] = defaultdict(list)
    for action in actions:
        previous: str | None = None
        for entry in action.history:
            groups[Quarter.of(entry.date)].append(
                Change(action, entry.date, entry.phase, entry.statut, previous, entry.commentaire)
            )
            previous = f"{entry.phase} — {entry.statut}"
    ordered = sorted(groups.items(), key=lambda kv: (kv[0].year, kv[0].number), reverse=True)
    return [(q, sorted(c, key=lambda ch: (ch.date, ch.action.titre))) for q, c in ordered]


def late_actions(actions: tuple[ActionItem, ...], today: dt.date) -> list[ActionItem]:
    return [a for a in actions if a.is_late(today)]


def overdue(action: ActionItem, today: dt.date) -> str | None:
    """The planned end of an action past it without a final point (its status does not say
    it: « En cours » two years after its end), as the page and its card show it; None else."""
    return long_date(action.data.calendrier.fin) if is_overdue(action, today) else None


def is_overdue(action: ActionItem, today: dt.date) -> bool:
    """Late because its planned end passed without a final point, its status not saying it."""
    return action.is_late(today) and action.statut not in ("En retard", "Bloqué")


def lateness(action: ActionItem, today: dt.date) -> str:
    """Why a late action is late: its planned end passed (overdue), or its own status."""
    end = overdue(action, today)
    return (
        f"échéance dépassée ({end}), pas encore déclarée terminée"
        if end
        else f"déclarée « {action.statut} »"
    )


# --- exports ------------------------------------------------------------------------------


def action_uuid(action: ActionItem) -> str:
    return str(uuid.uuid5(UUID_NAMESPACE, f"{action.territory_slug}/{action.id}"))


def export_rows(territory: Territory, site_url: str | None, today: dt.date) -> list[dict[str, Any]]:
    """The rows of actions.csv, in the columns of its Table Schema (opendata.ACTIONS_CSV);
    lateness as on the pages, on ``today``."""
    rows = []
    for a in territory.actions:
        d = a.data
        rows.append(
            {
                "territoire": territory.slug,
                "id": a.id,
                "titre": d.titre,
                "resume": d.resume,
                "axe": d.axe or "",
                "priorites": ";".join(d.priorites),
                "objectif": d.objectif or "",
                "porteur": d.porteur.nom if d.porteur else "",
                "partenaires": ";".join(p.nom for p in d.partenaires),
                "phase": a.current.phase if a.current else "",
                "statut": a.current.statut if a.current else "",
                "date_dernier_point": a.current.date.isoformat() if a.current else "",
                "debut": d.calendrier.debut or "",
                "fin": d.calendrier.fin or "",
                "budget_total": "" if a.budget_total is None else f"{a.budget_total:.2f}",
                "budget_acquis": "" if a.budget_acquis is None else f"{a.budget_acquis:.2f}",
                "financeurs": ";".join(b.financeur for b in d.budget),
                "nature_soutien": ";".join(d.nature_soutien),
                "epci": ";".join(d.epci),
                "filieres": ";".join(d.filieres),
                "en_retard": "oui" if a.is_late(today) else "non",
                "echeance_depassee": "oui" if is_overdue(a, today) else "non",
                "url": urls.absolute(site_url, a.url),
            }
        )
    return rows


# A spreadsheet runs a cell starting with one of these as a formula. Values joined in one cell
# (« CCI; =HYPERLINK(…) ») are guarded part by part: opened with « ; » as the separator (the
# default of French spreadsheets), each part becomes a cell of its own.
_FORMULA = re.compile(r"(^|[;,|\n\r\t])(\s*)(?=[=+\-@\t\r])")


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str):
        return _FORMULA.sub(lambda m: m.group(1) + m.group(2) + "'", value)
    return value


BOM = "\ufeff"


def to_csv(rows: list[dict[str, Any]], fields: tuple[str, ...] | list[str]) -> str:
    """CSV in UTF-8 with a byte order mark: French Excel reads the accents right only with it
    (open-data tools and Python's ``utf-8-sig`` skip it)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def actions_csv(territory: Territory, site_url: str | None, today: dt.date) -> str:
    return to_csv(export_rows(territory, site_url, today), opendata.names(opendata.ACTIONS_CSV))


def actions_json(
    territory: Territory, site_url: str | None, licence: dict[str, str], today: dt.date
) -> str:
    items = []
    for a in territory.actions:
        data = a.data.model_dump(mode="json", exclude={"brouillon"})
        # Markdown fields as the text the page shows: never the source (comments, raw HTML)
        data.update(
            id=a.id,
            url=urls.absolute(site_url, a.url),
            statut=a.statut,
            phase=a.phase,
            budget_total=a.budget_total,
            budget_acquis=a.budget_acquis,
            # in date order, as the pages and donnees.json give them: the last is the latest
            avancement=[entry.model_dump(mode="json") for entry in a.history],
            diagnostic=markdown_text(a.data.diagnostic),
            description=markdown_text(a.description),
            en_retard=a.is_late(today),
            echeance_depassee=is_overdue(a, today),
        )
        items.append(data)
    doc = {
        "territoire": {"id": territory.slug, "nom": territory.nom},
        "date": today.isoformat(),  # the day lateness was computed on
        "licence": licence,
        "actions": items,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _iso_datetime(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def projets_territoire_csv(
    territory: Territory,
    today: dt.date,
    changed: Callable[[ActionItem], dt.date | None] = lambda a: None,
) -> str:
    """Rows conforming to the published schema « Projets de collectivités ». Dates come from
    the progress entries, else from ``changed`` (the file's last commit), the build's date
    only when nothing else is known (the schema requires them)."""
    rows = []
    for a in territory.actions:
        d = a.data
        dates = [e.date for e in a.history]
        start = period_start(d.calendrier.debut)
        known = changed(a)
        created = min(dates) if dates else (known or start or today)
        updated = max(dates) if dates else (known or today)
        rows.append(
            {
                "id": action_uuid(a),
                "createdAt": _iso_datetime(created),
                "updatedAt": _iso_datetime(max(updated, created)),
                "nom": d.titre,
                "description": d.resume,
                "budgetPrevisionnel": (
                    "" if a.budget_total is None else str(half_up(a.budget_total))
                ),
                "dateDebutPrevisionnelle": start.isoformat() if start else "",
                "phase": a.current.phase if a.current else "",
                "phaseStatut": a.current.statut if a.current else "",
                "programme": PROGRAMME,
                "porteurCodeSiret": d.porteur.siret if d.porteur and d.porteur.siret else "",
                "porteurReferentEmail": "",
                "porteurReferentTelephone": "",
                "porteurReferentPrenom": "",
                "porteurReferentNom": "",
                "porteurReferentFonction": "",
                "competences": "",
                "leviers": "",
                "mecId": "",
                "tetId": "",
                "recocoId": "",
                "collectiviteIds": "",
            }
        )
    return to_csv(rows, SCHEMA_FIELDS)


def redirect_html(target_rel: str, target_abs: str | None, title: str) -> str:
    """A static page that sends visitors (and crawlers) from a former URL to the new one."""
    from tisite.finish.csp import STATIC_PAGE, meta_tag
    from tisite.generate.textutil import html_escape

    canonical = html_escape(target_abs or target_rel)
    rel = html_escape(target_rel)
    return (
        '<!doctype html>\n<html lang="fr"><head><meta charset="utf-8">'
        f"{meta_tag(STATIC_PAGE)}"
        f"<title>Page déplacée : {html_escape(title)}</title>"
        f'<link rel="canonical" href="{canonical}">'
        f'<meta http-equiv="refresh" content="0; url={rel}">'
        '<meta name="robots" content="noindex"></head>'
        f'<body><p>Cette page a changé d\'adresse : <a href="{rel}">{html_escape(title)}</a>.</p>'
        "</body></html>\n"
    )
