"""Contributor Markdown that would make visitors' browsers call another host.

An image, a frame, a video or a style taken from another site tells that site who reads the
page (a tracking pixel) and breaks when it goes away. The sanitiser never lets such an address
through; this check explains it beforehand, at ``ti check`` time, with the file and line, so
that the contributor places the file next to the letter instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser

import markdown

from .errors import Problem
from .sanitize import same_site
from .textutil import line_of

# Elements and attributes through which a page loads something.
_LOADS = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "script": ("src",),
    "link": ("href",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
}
_KINDS = {
    "img": "image",
    "source": "image ou vidéo",
    "audio": "son",
    "video": "vidéo",
    "track": "sous-titres",
    "iframe": "cadre (iframe)",
    "frame": "cadre",
    "embed": "contenu intégré",
    "object": "contenu intégré",
    "script": "script",
    "link": "feuille de style",
}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)", re.I)
_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)", re.I)


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in _LOADS.get(tag, ()):
                urls = [u.split()[0] for u in value.split(",") if u.strip()]
                if name != "srcset":
                    urls = [value]
                self.found += [(_KINDS.get(tag, "ressource"), u) for u in urls]
            elif name == "style":
                self.found += [("style", u) for u in _CSS_URL.findall(value)]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            urls = _CSS_URL.findall(data) + _IMPORT.findall(data)
            self.found += [("style", u) for u in urls]


@cache
def _converter(pages: bool) -> markdown.Markdown:
    """The text as the pages read it (the extensions of mkdocs.yml that change the HTML), or as
    the email version reads it (no attribute lists: ``![x](https://…){ src="local.jpg" }``
    shows a local image on the page and the remote one in the email)."""
    if pages:
        return markdown.Markdown(extensions=["tables", "attr_list", "md_in_html", "def_list"])
    return markdown.Markdown(extensions=["tables", "sane_lists"])


class TooDeep(ValueError):
    """HTML nested so deeply that converting it exhausts Python's recursion limit."""


def remote_resources(text: str) -> list[tuple[str, str]]:
    """(kind, address) of every resource ``text`` would load from another host, on the page or
    in the email version. Raises TooDeep for absurdly nested HTML."""
    if "![" not in text and "<" not in text:
        return []  # neither an image nor HTML: nothing can be loaded
    found: dict[tuple[str, str], None] = {}
    for pages in (True, False):
        finder = _Finder()
        try:
            finder.feed(_converter(pages).reset().convert(text))
        except RecursionError:
            raise TooDeep from None
        finder.close()
        found.update(dict.fromkeys(finder.found))
    return [(kind, url) for kind, url in found if _elsewhere(url)]


def _elsewhere(url: str) -> bool:
    """An address on another host; data: and script addresses load nothing from a host (the
    sanitiser removes them)."""
    if same_site(url):
        return False
    return not re.match(r"^\s*(data|javascript|vbscript|blob|about|mailto|tel):", url, re.I)


def problems_in(
    text: str | None,
    rel: str,
    line: int | Callable[[], int | None] | None,
    field: str | None,
    next_to_letter: bool = False,
    body: bool = False,
) -> list[Problem]:
    """One problem per remote resource of ``text``; ``body``: ``line`` is the text's first
    line and each problem gets the line of its address. ``line`` may be a function: finding a
    line in YAML costs a second parse, done only when there is a problem to report."""
    try:
        found = remote_resources(text) if text else []
    except TooDeep:
        first = line() if callable(line) else line
        return [
            Problem(
                rel,
                first,
                field,
                "HTML imbriqué beaucoup trop profondément (des centaines de balises ouvertes les "
                "unes dans les autres) : simplifiez ce passage",
            )
        ]
    if not found or not text:
        return []
    first = line() if callable(line) else line
    return [
        Problem(
            rel,
            (line_of(text, url, first) or first) if body and first else first,
            field,
            message(kind, url, next_to_letter),
        )
        for kind, url in found
    ]


def message(kind: str, url: str, next_to_letter: bool) -> str:
    shown = url if len(url) <= 80 else url[:77] + "…"
    fix = (
        "enregistrez le fichier dans le dossier lettres/ et indiquez son nom, par exemple "
        "![description](images/photo.jpg)"
        if next_to_letter and kind == "image"
        else "remplacez-la par un lien [texte](adresse) vers la page qui la montre"
    )
    return (
        f"{kind} chargée depuis un autre site (« {shown} ») : le site ne fait rien charger "
        f"d'ailleurs à ses visiteurs ; {fix}"
    )
