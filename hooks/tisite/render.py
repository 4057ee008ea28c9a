"""Render models into Markdown pages (with front matter) through Jinja2 templates.

Every ``{{ value }}`` is escaped for Markdown unless it is explicitly marked safe (Markup):
values from YAML can never inject markup. Free Markdown written by contributors goes through
the ``markdown`` filter and is sanitised after conversion (see ``sanitize``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from . import textutil, vocab
from .maps import locator_map, map_attribution, map_description
from .models import SiteModel, Territory

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Page:
    """A generated page: its path under the site (``slug/priorites/index.md``) and content."""

    path: str
    title: str
    content: str

    @property
    def url(self) -> str:
        return self.path.removesuffix("index.md")


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("non renseigné")
    return Markup(textutil.md_escape(value))


def _markdown(value: str | None, indent: int = 0) -> Markup:
    """Contributor-written Markdown, kept as Markdown (sanitised after HTML conversion)."""
    if not value:
        return Markup("")
    text = str(value).replace("\r\n", "\n").strip()
    if indent:
        pad = " " * indent
        text = "\n".join((pad + line) if line.strip() else "" for line in text.split("\n")).lstrip()
    return Markup(text)


def _yaml_str(value: object) -> Markup:
    return Markup(json.dumps(textutil.plain(value), ensure_ascii=False))


def make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES / "pages")),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        html=textutil.html_escape,
        markdown=_markdown,
        yaml_str=_yaml_str,
        number=textutil.number,
        euros=textutil.euros,
        long_date=textutil.long_date,
        plain=textutil.plain,
        plural=textutil.plural,
    )
    env.tests["contains"] = lambda seq, item: item in seq
    env.globals.update(
        AXES=vocab.AXES,
        PRIORITES=vocab.PRIORITES,
        map_description=map_description,
        map_attribution=map_attribution,
    )
    return env


class Renderer:
    """Turns a SiteModel into the list of generated pages."""

    def __init__(self, site: SiteModel, today: dt.date | None = None) -> None:
        self.site = site
        self.today = today or dt.date.today()
        self.env = make_env()

    def render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(
            site=self.site,
            settings=self.site.settings,
            reference=self.site.reference_source,
            today=self.today,
            **context,
        )

    def pages(self) -> list[Page]:
        pages = [
            Page("index.md", self.site.settings.titre, self.render("home.md.j2")),
            Page(
                "mentions-legales/index.md",
                "Mentions légales",
                self.render("mentions-legales.md.j2"),
            ),
            Page(
                "accessibilite/index.md",
                "Déclaration d'accessibilité",
                self.render("accessibilite.md.j2"),
            ),
            Page(
                "donnees-personnelles/index.md",
                "Données personnelles",
                self.render("donnees-personnelles.md.j2"),
            ),
        ]
        for territory in self.site.territories:
            pages.extend(self.territory_pages(territory))
        return pages

    def territory_pages(self, t: Territory) -> list[Page]:
        ctx = {"t": t}
        specs = [
            ("", t.nom, "territoire.md.j2"),
            ("carte-identite/", "Carte d'identité", "carte-identite.md.j2"),
            ("priorites/", "Priorités", "priorites.md.j2"),
            ("gouvernance/", "Gouvernance", "gouvernance.md.j2"),
        ]
        return [
            Page(f"{t.slug}/{sub}index.md", title, self.render(tpl, **ctx))
            for sub, title, tpl in specs
        ]

    def assets(self) -> list[tuple[str, str]]:
        """Generated files that are not pages: (path under the site, text content)."""
        return [
            (
                f"{t.slug}/carte-identite/carte.svg",
                locator_map([code for code, _ in t.departements], t.nom),
            )
            for t in self.site.territories
        ]

    def nav(self, extra: list[Any] | None = None) -> list[Any]:
        """MkDocs navigation: one section per territory; leaves stay out of the tree."""
        nav: list[Any] = [{"Accueil": "index.md"}]
        nav.extend(extra or [])
        for t in self.site.territories:
            nav.append(
                {
                    t.nom: [
                        f"{t.slug}/index.md",
                        {"Carte d'identité": f"{t.slug}/carte-identite/index.md"},
                        {"Priorités": f"{t.slug}/priorites/index.md"},
                        {"Gouvernance": f"{t.slug}/gouvernance/index.md"},
                    ]
                }
            )
        return nav
