"""The theme's navigation and table of contents, made in Python (engine adapter).

Material writes the side navigation with a recursive Jinja macro (``partials/nav-item.html``)
and each entry of a table of contents with a recursive include (``partials/toc-item.html``):
together, half of the time the theme takes per page. Our theme (``templates/theme/partials/``)
replaces those two templates by calls to the functions below, which write the same elements,
attributes and text for the same navigation, page and settings (``navigation.indexes``,
``navigation.prune``, ``navigation.tabs``, ``navigation.sections``, ``navigation.expand``,
icons, subtitles and statuses), only without the template's blank lines. A test compares them
with Material's own templates on every page of a site.

Titles are HTML already (MkDocs' navigation and table of contents; the core escapes the titles
it makes): written as they are, as the templates do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

ICON = '<span class="md-nav__icon md-icon"></span>'


class _Nav:
    """One page's navigation: its context (page, settings, address filter)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.page = ctx.get("page")
        config = ctx["config"]
        self.features = ctx.get("features") or config.theme.get("features") or []
        self.status = (config.extra or {}).get("status") or {}
        url: Callable[[Context, str], str] = ctx.environment.filters["url"]
        self.url = lambda value: url(ctx, str(value))

    def title(self, item: Any) -> str:
        typeset = getattr(item, "typeset", None)
        if typeset:
            return f'<span class="md-typeset">{typeset.title}</span>'
        return str(item.title)

    def status_mark(self, kind: str) -> str:
        if self.status and self.status.get(kind):
            return f'<span class="md-status md-status--{kind}" title="{self.status[kind]}"></span>'
        return f'<span class="md-status md-status--{kind}"></span>'

    def content(self, item: Any, ref: Any = None) -> str:
        ref = ref or item
        meta = getattr(item, "meta", None)
        out = []
        if meta and meta.get("icon"):
            icon = self.ctx.environment.get_template(f".icons/{meta['icon']}.svg")
            out.append(icon.render(self.ctx.get_all()))
        out.append(f'<span class="md-ellipsis">{self.title(ref)}')
        if meta and meta.get("subtitle"):
            out.append(f"<br><small>{meta['subtitle']}</small>")
        out.append("</span>")
        if meta and getattr(item, "encrypted", None):
            out.append(self.status_mark("encrypted"))
        if meta and meta.get("status"):
            out.append(self.status_mark(meta["status"]))
        return "".join(out)

    def pruned(self, item: Any, ref: Any = None) -> str:
        ref = ref or item
        first = item.children[0] if item.children else None
        if first is not None and getattr(first, "children", None):
            return self.pruned(first, ref)
        href = self.url(first.url) if first is not None else self.url("")
        more = ICON if item.children else ""
        return f'<a href="{href}" class="md-nav__link">{self.content(ref)}{more}</a>'

    def toc(self) -> str:
        return self.ctx.environment.get_template("partials/toc.html").render(self.ctx.get_all())

    def item(self, item: Any, path: str, level: int, parent: Any = None) -> str:
        page, features = self.page, self.features
        cls = "md-nav__item"
        if getattr(item, "active", False):
            cls += " md-nav__item--active"
        pages = getattr(item, "pages", None)
        if pages and page in pages:
            item = page
        if getattr(item, "children", None):
            index = None
            if "navigation.indexes" in features:
                index = next((c for c in item.children if getattr(c, "is_index", False)), None)
            is_section = is_pruned = False
            if "navigation.tabs" in features:
                if level == 1 and item.active:
                    cls, is_section = cls + " md-nav__item--section", True
                if "navigation.sections" in features and level == 2 and parent.active:
                    cls, is_section = cls + " md-nav__item--section", True
            elif "navigation.sections" in features and level == 1:
                cls, is_section = cls + " md-nav__item--section", True
            if "navigation.prune" in features and not is_section and not item.active:
                cls, is_pruned = cls + " md-nav__item--pruned", True
            out = [f'<li class="{cls} md-nav__item--nested">']
            if is_pruned:
                out.append(self.pruned(item))
            else:
                checked = "checked" if item.active else ""
                expand = "navigation.expand" in features and not checked
                indeterminate = "md-toggle--indeterminate" if expand else ""
                out.append(
                    f'<input class="md-nav__toggle md-toggle {indeterminate}" type="checkbox" '
                    f'id="{path}" {checked}>'
                )
                tabindex = "" if is_section else "0"
                if not index:
                    out.append(
                        f'<label class="md-nav__link" for="{path}" id="{path}_label" '
                        f'tabindex="{tabindex}">{self.content(item)}{ICON}</label>'
                    )
                else:
                    active = "md-nav__link--active" if index == page else ""
                    out.append('<div class="md-nav__link md-nav__container">')
                    out.append(
                        f'<a href="{self.url(index.url)}" class="md-nav__link {active}">'
                        f"{self.content(index, item)}</a>"
                    )
                    if len(item.children) > 1:
                        out.append(
                            f'<label class="md-nav__link {active}" for="{path}" '
                            f'id="{path}_label" tabindex="{tabindex}">{ICON}</label>'
                        )
                    out.append("</div>")
                out.append(
                    f'<nav class="md-nav" data-md-level="{level}" aria-labelledby="{path}_label" '
                    f'aria-expanded="{json.dumps(bool(item.active))}">'
                    f'<label class="md-nav__title" for="{path}">{ICON}{self.title(item)}</label>'
                    '<ul class="md-nav__list" data-md-scrollfix>'
                )
                for k, child in enumerate(item.children, 1):
                    if not index or child != index:
                        out.append(self.item(child, f"{path}_{k}", level + 1, item))
                out.append("</ul></nav>")
            out.append("</li>")
            return "".join(out)
        if item == page:
            toc = list(page.toc)
            if toc and toc[0].level == 1:
                toc = toc[0].children
            out = [f'<li class="{cls}">']
            out.append('<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">')
            if toc:
                out.append(
                    '<label class="md-nav__link md-nav__link--active" for="__toc">'
                    f"{self.content(item)}{ICON}</label>"
                )
            out.append(
                f'<a href="{self.url(item.url)}" class="md-nav__link md-nav__link--active">'
                f"{self.content(item)}</a>"
            )
            if toc:
                out.append(self.toc())
            out.append("</li>")
            return "".join(out)
        return (
            f'<li class="{cls}"><a href="{self.url(item.url)}" class="md-nav__link">'
            f"{self.content(item)}</a></li>"
        )


@pass_context
def nav_item(ctx: Context, item: Any, path: str, level: int, parent: Any = None) -> Markup:
    """``partials/nav-item.html``'s ``render`` macro: one entry of the navigation, its own
    entries within."""
    return Markup(_Nav(ctx).item(item, path, level, parent))


def toc_item(item: Any) -> Markup:
    """``partials/toc-item.html``: one entry of a table of contents, its own entries within."""
    typeset = getattr(item, "typeset", None)
    title = f'<span class="md-typeset">{typeset.title}</span>' if typeset else item.title
    out = [
        f'<li class="md-nav__item"><a href="{item.url}" class="md-nav__link">'
        f'<span class="md-ellipsis">{title}</span></a>'
    ]
    if item.children:
        label = escape(Markup(str(item.title)).striptags())
        out.append(f'<nav class="md-nav" aria-label="{label}"><ul class="md-nav__list">')
        out.extend(toc_item(child) for child in item.children)
        out.append("</ul></nav>")
    out.append("</li>")
    return Markup("".join(out))


def install(env: Any) -> None:
    """The functions our two templates call (``on_env`` of the adapter)."""
    env.globals["ti_nav_item"] = nav_item
    env.globals["ti_toc_item"] = toc_item
