"""Locator maps drawn at build time as inline SVG (no map library in the browser)."""

from __future__ import annotations

from collections.abc import Iterable

from .reference import load_map
from .textutil import html_escape


def locator_map(highlight: Iterable[str], label: str) -> str:
    """SVG of metropolitan France with the given département codes highlighted."""
    data = load_map()
    codes = set(highlight)
    names = [data["departements"][c]["nom"] for c in sorted(codes) if c in data["departements"]]
    title = f"Carte de localisation : {label}"
    desc = "Départements du territoire mis en évidence : " + (", ".join(names) or "aucun")
    paths = []
    for code, dept in data["departements"].items():
        cls = "ti-map__dept ti-map__dept--on" if code in codes else "ti-map__dept"
        paths.append(
            f'<path class="{cls}" d="{dept["d"]}"><title>{html_escape(dept["nom"])}</title></path>'
        )
    return (
        f'<svg class="ti-map" viewBox="{data["viewBox"]}" role="img" '
        f'aria-labelledby="ti-map-title ti-map-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="ti-map-title">{html_escape(title)}</title>'
        f'<desc id="ti-map-desc">{html_escape(desc)}</desc>' + "".join(paths) + "</svg>"
    )


def map_attribution() -> str:
    source = load_map()["source"]
    return f"{source['nom']}, licence {source['licence']}"
