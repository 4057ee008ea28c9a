"""Horizontal bar charts drawn at build time as inline SVG (no chart library in the browser).

Each chart carries a title and a description for assistive technologies; pages also give the
same figures as a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .textutil import html_escape, number

PALETTE = ("#000091", "#6a6af4", "#c9191e", "#18753c", "#b34000", "#695240", "#3a3a3a")


def bar_chart(
    items: Sequence[tuple[str, float]],
    title: str,
    fmt: Callable[[float], str] = number,
    width: int = 640,
) -> str:
    """SVG bars, one row per (label, value), labels on the left, values at the bar's end."""
    rows = [(label, value) for label, value in items if value is not None]
    bar_h, gap, label_w, top = 22, 10, 230, 8
    height = top + len(rows) * (bar_h + gap) + 4
    biggest = max((v for _, v in rows), default=0) or 1
    room = width - label_w - 110
    desc = " ; ".join(f"{label} : {fmt(value)}" for label, value in rows)
    parts = [
        f'<svg class="ti-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{html_escape(title + " — " + desc)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{html_escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_h + gap)
        w = max(2.0, room * value / biggest)
        short = label if len(label) <= 34 else label[:33] + "…"
        color = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end" '
            f'font-size="13">{html_escape(short)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" rx="2" fill="{color}">'
            f"<title>{html_escape(label)} : {html_escape(fmt(value))}</title></rect>"
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}" '
            f'font-size="13">{html_escape(fmt(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
