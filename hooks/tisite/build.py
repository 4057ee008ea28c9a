"""One build of the site, independent of MkDocs: pages, navigation, post-processing, artefacts.

The MkDocs hooks call into this object; tests can use it directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .loader import load_site
from .models import SiteModel
from .render import Page, Renderer
from .sanitize import sanitize_html

# Hand-written pages of docs/ that get a place in the navigation, when present.
DOCS_NAV = [("Le programme", "programme.md")]
DOCS_NAV_END = [("Contribuer", "contribuer/index.md")]
FIELD_REFERENCE = "contribuer/reference-des-champs/index.md"


@dataclass
class SiteBuild:
    site: SiteModel
    renderer: Renderer
    pages: list[Page]
    assets: list[tuple[str, str | bytes]]
    generated: set[str] = field(default_factory=set)

    @classmethod
    def load(
        cls,
        root: Path,
        only: str | None = None,
        drafts: bool = False,
        today: dt.date | None = None,
        site_url: str | None = None,
    ) -> SiteBuild:
        site = load_site(root, only=only, drafts=drafts)
        renderer = Renderer(site, today=today, site_url=site_url)
        pages = renderer.pages()
        return cls(site, renderer, pages, renderer.assets(), {p.path for p in pages})

    def theme_settings(self, docs_dir: Path) -> dict[str, Any]:
        s = self.site.settings
        return {
            "accessibilite_statut": s.accessibilite.statut,
            "editeur": s.editeur.nom,
            "licence": s.licence.nom,
            "demonstration": s.demonstration,
            "has_contributor_guide": (docs_dir / "contribuer" / "index.md").is_file(),
        }

    def nav(self, docs_dir: Path) -> list[Any]:
        def present(items: list[tuple[str, str]]) -> list[dict[str, str]]:
            return [{title: path} for title, path in items if (docs_dir / path).is_file()]

        end: list[Any] = present(DOCS_NAV_END)
        if end:
            end = [
                {"Contribuer": ["contribuer/index.md", {"Référence des champs": FIELD_REFERENCE}]}
            ]
        return self.renderer.nav(extra=present(DOCS_NAV)) + end

    def postprocess_html(self, src_uri: str, html: str) -> str:
        """Sanitise the HTML of generated pages (contributors' Markdown included)."""
        return sanitize_html(html) if src_uri in self.generated else html

    def write_artefacts(self, site_dir: Path) -> None:
        """Files that are not pages (feeds, exports…) are written after the build."""
        return None
