"""Horizontal bar charts made at build time (no chart library in the browser).

Labels and values are HTML text, so they keep the page's font size on a phone; each bar is a
tiny inline SVG stretched to its column. The chart is one image for assistive technologies
(``role="img"`` and a label listing every figure); pages also give the same figures as a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tisite.generate.textutil import html_escape, number

# One colour for every bar: a bar's length says its figure, its label what it counts (colours by
# position meant nothing: « Terminé » came out red). A status is drawn in its badge's colour
# (ti.css, .ti-badge--…), darker where the badge's text colour is light for a bar on white
# (every colour here at least 3:1 against white, WCAG 1.4.11).
BAR = "#000091"
STATUS_BARS = {
    "En cours": "#0063cb",
    "Terminé": "#18753c",
    "En retard": "#ce0500",
    "Bloqué": "#ce0500",
    "En pause": "#6e445a",
    "Abandonné": "#6e445a",
    "Non renseigné": "#666666",
}


def bar_chart(
    items: Sequence[tuple[str, float]],
    title: str,
    fmt: Callable[[float], str] = number,
) -> str:
    """One row per (label, value): label, bar in proportion to the largest value, value.

    On a wide screen the three sit side by side; on a phone the label goes above its bar
    (see ``.ti-chart`` in ti.css). The result is a single line, safe inside Markdown.
    """
    rows = [(label, value) for label, value in items if value is not None]
    biggest = max((v for _, v in rows), default=0) or 1
    desc = " ; ".join(f"{label} : {fmt(value)}" for label, value in rows)
    name = html_escape(title + " — " + desc)
    # not body text for search: its labels and values would run together in excerpts
    parts = [f'<div class="ti-chart" role="img" data-pagefind-ignore aria-label="{name}">']
    for label, value in rows:
        share = max(0.5, 100 * value / biggest)
        color = STATUS_BARS.get(label, BAR)
        parts.append(
            '<div class="ti-chart__row">'
            f'<span class="ti-chart__label">{html_escape(label)}</span>'
            '<span class="ti-chart__bar"><svg viewBox="0 0 100 10" preserveAspectRatio="none" '
            'focusable="false" xmlns="http://www.w3.org/2000/svg">'
            f'<rect width="{share:.1f}" height="10" fill="{color}"></rect></svg></span>'
            f'<span class="ti-chart__value">{html_escape(fmt(value))}</span>'
            "</div>"
        )
    parts.append("</div>")
    return "".join(parts)
