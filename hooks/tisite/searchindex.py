"""Site search with Pagefind: what each page tells the index, and the index of the built site.

Pagefind (a Rust program shipped inside the PyPI package ``pagefind-bin``: nothing is
downloaded) reads the built HTML once every page is written, stems French words (« financements »
finds « financement ») and writes ``pagefind/``: small index chunks that the visitor's browser
fetches only when searching (``assets/js/recherche.js``), instead of one index of the whole site
on every first page view.

Only pages marked ``data-pagefind-body`` are indexed (``templates/theme/main.html``): the theme's
pages; not the redirections, the email copies, the 404 page. The filters and the details shown in
results come from the theme template, never from contributed HTML: the sanitiser drops every
``data-pagefind-*`` attribute a contributor writes.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import vocab
from .actionplan import axis_label
from .errors import ContentError, Problem
from .models import ActionItem, Territory

BUNDLE = "pagefind"  # folder of the site where the index goes
LANGUAGE = "fr"

# Kinds of page, as results and the « Type » filter name them.
TERRITORY = "Territoire"
ACTION = "Fiche action"
LETTER = "Lettre"
PAGE = "Page"

# Filters, in the order the search dialog shows them: (name in the index, French label).
FILTERS = (
    ("type", "Type de page"),
    ("region", "Région"),
    ("territoire", "Territoire"),
    ("priorite", "Priorité"),
    ("axe", "Axe"),
    ("statut", "Statut"),
)
# Pagefind's own interfaces, which the site doesn't use (it has its own, assets/js): not
# published, so that no page can load them.
UNUSED = re.compile(r"^pagefind-(ui|modular-ui|component-ui|highlight)\b.*\.(js|css)$")

Facets = tuple[tuple[str, str], ...]


def territory_facets(t: Territory, kind: str) -> Facets:
    """Filters of a page of a territory (its home page, a section, a letter)."""
    return (("type", kind), ("territoire", t.nom), *(("region", r) for r in t.regions))


def action_facets(t: Territory, action: ActionItem) -> Facets:
    """Filters of a fiche action: the territory's, plus its priorities, axis and status."""
    priorities = tuple(("priorite", vocab.PRIORITES[p]) for p in action.data.priorites)
    return (
        *territory_facets(t, ACTION),
        *priorities,
        ("axe", axis_label(action)),
        ("statut", action.statut),
    )


@dataclass(frozen=True)
class IndexReport:
    pages: int
    words: int
    seconds: float

    def line(self) -> str:
        took = f"{self.seconds:.1f}".replace(".", ",")
        return f"Recherche : {self.pages} pages indexées ({self.words} mots distincts) en {took} s."


def index_site(site_dir: Path) -> IndexReport:
    """Index the built site into ``site_dir/pagefind``; a French error if Pagefind fails."""
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE,
        "--force-language",
        LANGUAGE,
        # the « ¶ » links of headings are not words of the page
        "--exclude-selectors",
        ".headerlink",
    ]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _failure(str(exc)) from None
    if done.returncode != 0:
        raise _failure((done.stderr or done.stdout).strip()[-2000:])
    for path in (site_dir / BUNDLE).iterdir():
        if UNUSED.match(path.name):
            path.unlink()
    pages = re.search(r"Indexed (\d+) pages?", done.stdout)
    words = re.search(r"Indexed (\d+) words?", done.stdout)
    return IndexReport(
        int(pages.group(1)) if pages else 0,
        int(words.group(1)) if words else 0,
        time.perf_counter() - start,
    )


def _failure(detail: str) -> ContentError:
    return ContentError(
        [
            Problem(
                "pagefind",
                None,
                None,
                "l'index de recherche n'a pas pu être construit (Pagefind) : "
                + (detail or "erreur inconnue")
                + ". Réinstallez les dépendances avec `make test` ou "
                "`pip install -e .` (le paquet pagefind[bin] contient le programme)",
            )
        ]
    )
