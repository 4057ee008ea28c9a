"""National figures across all territories: dashboard tables and the JSON/CSV index.

Everything is computed from the same models as the territory pages, so the national portal
and each territory's pages can never disagree.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from tisite import memo, urls
from tisite.content import vocab
from tisite.content.models import ActionItem, SiteModel, Territory
from tisite.generate import actionplan, opendata, textutil

OTHERS = "Autres financeurs"


def all_actions(site: SiteModel) -> tuple[ActionItem, ...]:
    return tuple(a for t in site.territories for a in t.actions)


def priority_status_matrix(
    site: SiteModel,
) -> tuple[list[str], list[tuple[str, list[int], int]]]:
    """Rows: national priorities (plus « aucune »); columns: statuses. Cells: action counts."""
    actions = all_actions(site)
    statuses = [s for s, _ in actionplan.status_counts(actions)]
    rows = []
    labels = [*vocab.PRIORITES.items(), ("", "Sans priorité nationale")]
    for key, label in labels:
        group = [a for a in actions if (key in a.data.priorites if key else not a.data.priorites)]
        if group:
            counts = Counter(a.statut for a in group)
            rows.append((label, [counts.get(s, 0) for s in statuses], len(group)))
    return statuses, rows


def budget_by_partner(site: SiteModel, top: int = 12) -> list[tuple[str, float]]:
    """Known amounts by funder across territories; the smallest are grouped at the end."""
    totals = actionplan.budget_by_partner(all_actions(site))
    if len(totals) <= top + 1:
        return totals
    head, tail = totals[:top], totals[top:]
    return [*head, (f"{OTHERS} ({len(tail)})", textutil.cents_sum(v for _, v in tail))]


TOTAL_ROW = "Total (chaque territoire une fois)"


def _row(label: str, territories: list[Territory]) -> dict[str, Any]:
    actions = tuple(a for t in territories for a in t.actions)
    total, known = actionplan.budget_known(actions)
    return {
        "region": label,
        "territoires": len(territories),
        "actions": len(actions),
        "budget_connu": total,
        "actions_budget_connu": known,
        "lettres": sum(len(t.letters) for t in territories),
    }


def region_rows(site: SiteModel) -> list[dict[str, Any]]:
    """One row per region (a territory on several regions is in each), then the national
    total, where each territory counts once: the rows may add up to more than the total."""
    rows = [_row(region, territories) for region, territories in site.by_region()]
    rows.append(_row(TOTAL_ROW, list(site.territories)))
    return rows


def interregional(site: SiteModel) -> list[Territory]:
    return [t for t in site.territories if len(t.regions) > 1]


def _latest_letter(t: Territory) -> dt.date | None:
    return t.letters[0].date if t.letters else None


def territory_summary(t: Territory, site_url: str | None) -> dict[str, Any]:
    """One territory as published in territoires.json (public data only)."""
    url = urls.absolute(site_url, t.url)
    total, known = actionplan.budget_known(t.actions)
    info = t.info
    latest = _latest_letter(t)
    return {
        "id": t.slug,
        "nom": t.nom,
        "url": url,
        "resume": info.resume,
        "regions": list(t.regions),
        "departements": [{"code": c, "nom": n} for c, n in t.departements],
        "epci": [{"siren": e.siren, "nom": e.nom} for e in t.epcis],
        "communes": t.nb_communes,
        "population": t.population,
        "emploi_industriel_part": info.emploi_industriel.part if info.emploi_industriel else None,
        "filieres": list(info.filieres),
        "entreprises": [e.nom for e in info.entreprises],
        "objectifs": [
            {"id": o.id, "titre": o.titre, "priorites": list(o.priorites)}
            for o in t.priorites.objectifs
        ],
        "actions": {
            "nombre": len(t.actions),
            "par_statut": dict(actionplan.status_counts(t.actions)),
            "par_priorite": dict(actionplan.count_by_priority(t.actions)),
            "budget_connu": total if known else None,
            "actions_budget_connu": known,
            "donnees": t.address(site_url, "actions-json"),
        },
        "lettres": {
            "nombre": len(t.letters),
            "derniere": latest.isoformat() if latest else None,
            "flux_rss": t.address(site_url, "lettres-rss"),
        },
        "agenda_ics": t.address(site_url, "agenda-ics"),
    }


def territories_json(
    site: SiteModel, site_url: str | None, licence: dict[str, str], today: dt.date
) -> str:
    """The list of the site's territories (``territoires.json``): what ``json.dumps`` of the
    whole document with an indent of 2 writes, each territory's part written once for the
    territory as loaded (a preview's rebuild writes only the edited territory's again)."""
    doc = {
        "titre": site.settings.titre,
        "date": today.isoformat(),
        "licence": licence,
        "referentiel": site.reference_source,
        "nombre": len(site.territories),
        "territoires": [],
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    if site.territories:  # the empty list, last of the document, filled in
        parts = ",\n".join(_summary_json(t, site_url) for t in site.territories)
        text = text.removesuffix("[]\n}") + "[\n" + parts + "\n  ]\n}"
    return text + "\n"


# a territory's part of territoires.json, by the territory as loaded
_SUMMARIES: memo.Held[str] = memo.Held()


def _summary_json(t: Territory, site_url: str | None) -> str:
    """A territory's entry of territoires.json, indented as the list's item it is."""

    def made() -> str:
        text = json.dumps(territory_summary(t, site_url), ensure_ascii=False, indent=2)
        # only json.dumps' own line breaks (a value's are escaped; not U+2028, which
        # str.splitlines and textwrap would take for one)
        return "    " + text.replace("\n", "\n    ")

    return _SUMMARIES.get((t,), made, site_url, urls.home_territory())


def territories_csv(site: SiteModel, site_url: str | None) -> str:
    rows = []
    for t in site.territories:
        total, known = actionplan.budget_known(t.actions)
        latest = _latest_letter(t)
        rows.append(
            {
                "id": t.slug,
                "nom": t.nom,
                "regions": ";".join(t.regions),
                "departements": ";".join(c for c, _ in t.departements),
                "epci": ";".join(e.siren for e in t.epcis),
                "communes": t.nb_communes,
                "population": t.population,
                "actions": len(t.actions),
                "budget_connu": f"{total:.2f}" if known else "",  # as actions.csv writes it
                "lettres": len(t.letters),
                "derniere_lettre": latest.isoformat() if latest else "",
                "url": urls.absolute(site_url, t.url),
            }
        )
    return actionplan.to_csv(rows, opendata.names(opendata.TERRITORIES_CSV))


def by_departement(site: SiteModel) -> list[tuple[str, str, list[Territory]]]:
    """(code, name, territories) of every département with at least one territory, in
    département order; a territory spread over several départements is in each."""
    found: dict[str, tuple[str, list[Territory]]] = {}
    for t in site.territories:
        for code, name in t.departements:
            found.setdefault(code, (name, []))[1].append(t)
    return [(code, name, ts) for code, (name, ts) in sorted(found.items())]
