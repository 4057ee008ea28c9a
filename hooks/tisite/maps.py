"""Locator maps drawn at build time as SVG files (no map library in the browser)."""

from __future__ import annotations

from collections.abc import Iterable

from .reference import load_map
from .textutil import html_escape

OFF = "#dcdcdc"
ON = "#000091"


def map_description(highlight: Iterable[str], label: str) -> str:
    """Text alternative of the locator map."""
    depts = load_map()["departements"]
    names = [depts[c]["nom"] for c in sorted(set(highlight)) if c in depts]
    where = ", ".join(names) or "aucun département"
    return f"Carte de France métropolitaine situant {label} : {where} mis en évidence."


def locator_map(highlight: Iterable[str], label: str) -> str:
    """Standalone SVG of metropolitan France with the given départements highlighted."""
    data = load_map()
    codes = set(highlight)
    paths = []
    for code, dept in data["departements"].items():
        fill = ON if code in codes else OFF
        name = html_escape(dept["nom"])
        paths.append(f'<path fill="{fill}" d="{dept["d"]}"><title>{name}</title></path>')
    title = html_escape(map_description(codes, label))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg viewBox="{data["viewBox"]}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{title}</title>"
        f'<g stroke="#ffffff" stroke-width="0.5">{"".join(paths)}</g>'
        "</svg>\n"
    )


def map_attribution() -> str:
    source = load_map()["source"]
    return f"{source['nom']}, licence {source['licence']}"


# Shades of the national map: départements with 0, 1, 2, 3 or more territories.
SHADES = ("#dcdcdc", "#6a6af4", "#3a3aad", "#000091")  # 3:1 at least against the grey


def national_map(counts: dict[str, int]) -> str:
    """Standalone SVG of metropolitan France, each département shaded by its number of
    Territoires d'industrie (the page beside it lists them: the map is a picture)."""
    data = load_map()
    paths = []
    for code, dept in data["departements"].items():
        count = counts.get(code, 0)
        fill = SHADES[min(count, len(SHADES) - 1)]
        name = html_escape(dept["nom"])
        paths.append(f'<path fill="{fill}" d="{dept["d"]}"><title>{name} : {count}</title></path>')
    covered = sum(1 for c in data["departements"] if counts.get(c))
    title = html_escape(
        f"Carte de France métropolitaine des Territoires d'industrie : {covered} départements "
        "concernés, d'autant plus foncés qu'ils comptent de territoires."
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg viewBox="{data["viewBox"]}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{title}</title>"
        f'<g stroke="#ffffff" stroke-width="0.5">{"".join(paths)}</g>'
        "</svg>\n"
    )
