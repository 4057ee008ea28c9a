"""Locator maps drawn at build time as SVG files (no map library in the browser)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sized

from tisite.content.reference import load_map
from tisite.generate.textutil import html_escape, plural

OFF = "#dcdcdc"
ON = "#000091"


def map_description(highlight: Iterable[str], label: str) -> str:
    """Text alternative of the locator map."""
    depts = load_map()["departements"]
    names = [depts[c]["nom"] for c in sorted(set(highlight)) if c in depts]
    where = ", ".join(names) or "aucun département"
    return f"Carte de France métropolitaine situant {label} : {where} mis en évidence."


def _france(title: str, fill: Callable[[str], str], label: Callable[[str, str], str]) -> str:
    """Standalone SVG of metropolitan France: each département filled by ``fill(code)`` and
    named by ``label(code, name)``; ``title`` describes the whole map. Text is escaped here."""
    data = load_map()
    paths = [
        f'<path fill="{fill(code)}" d="{dept["d"]}">'
        f"<title>{html_escape(label(code, dept['nom']))}</title></path>"
        for code, dept in data["departements"].items()
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg viewBox="{data["viewBox"]}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{html_escape(title)}</title>"
        f'<g stroke="#ffffff" stroke-width="0.5">{"".join(paths)}</g>'
        "</svg>\n"
    )


def locator_map(highlight: Iterable[str], label: str) -> str:
    """Metropolitan France with the given départements highlighted."""
    codes = set(highlight)
    return _france(
        map_description(codes, label),
        lambda code: ON if code in codes else OFF,
        lambda _, name: name,
    )


def map_attribution() -> str:
    source = load_map()["source"]
    return f"{source['nom']}, licence {source['licence']}"


# Shades of the national map: départements with 0, 1, 2, 3 or more territories.
SHADES = ("#dcdcdc", "#6a6af4", "#3a3aad", "#000091")  # 3:1 at least against the grey


def national_map(counts: dict[str, int]) -> str:
    """Metropolitan France, each département shaded by its number of Territoires d'industrie
    (the page beside it lists them: the map is a picture)."""
    covered = sum(1 for code in load_map()["departements"] if counts.get(code))
    return _france(
        f"Carte de France métropolitaine des Territoires d'industrie : {covered} départements "
        "concernés, d'autant plus foncés qu'ils comptent de territoires.",
        lambda code: SHADES[min(counts.get(code, 0), len(SHADES) - 1)],
        lambda code, name: f"{name} : {counts.get(code, 0)}",
    )


_DECIMALS = re.compile(r"(\d+\.\d)\d+")


def national_links(departements: Iterable[tuple[str, str, Sized]]) -> str:
    """The clickable layer over the national map: one link per département that has
    territories, to its line of the list beside the map (« #departement-59 »), named with its
    number of territories. Keyboard users reach each one with Tab; the picture underneath is
    the file drawn by ``national_map``. Coordinates keep one decimal (about a tenth of a pixel)."""
    data = load_map()
    links = []
    for code, name, territories in departements:
        shape = data["departements"].get(code)
        if shape is None:  # overseas: listed, not drawn
            continue
        label = f"{name} : {plural(len(territories), 'territoire')}"
        outline = _DECIMALS.sub(r"\1", shape["d"])
        links.append(
            f'<a href="#departement-{html_escape(code)}" aria-label="{html_escape(label)}">'
            f'<path d="{outline}"></path></a>'
        )
    return (
        f'<svg class="ti-map-links" viewBox="{data["viewBox"]}" role="group" '
        'aria-label="Départements ayant au moins un Territoire d\'industrie">'
        f"{''.join(links)}</svg>"
    )
