"""Escaping and French formatting helpers used by the templates."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import html
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup
from pyuca import Collator

LOCALE = "fr_FR"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|-])")
_BLOCK_START = re.compile(r"^(\s*)(\d+)([.)])")
_SPACES = re.compile(r"[ \t\r\n\f\v\u2028\u2029]+")


def one_line(value: object) -> str:
    """Collapse ASCII whitespace and line separators (U+2028, U+2029) into one space: no-break
    spaces of French typography are kept."""
    return _SPACES.sub(" ", str(value)).strip()


def md_escape(value: object) -> str:
    """Escape a plain value so that Markdown shows it as text, never as markup or HTML.

    HTML-sensitive characters become entities; Markdown punctuation is backslash-escaped
    (including braces, so attr_list can't be used to inject attributes). Line breaks collapse.
    """
    if isinstance(value, Markup):
        return str(value)
    text = one_line(value)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = html.escape(text, quote=False)
    return _BLOCK_START.sub(r"\1\2\\\3", text)


def html_escape(value: object) -> Markup:
    """Escape for raw HTML contexts (attributes, HTML blocks) inside the Markdown."""
    return Markup(html.escape(one_line(value), quote=True))


def line_of(text: str, needle: str, first_line: int = 1) -> int | None:
    """Line of the first occurrence of ``needle`` in ``text`` (whose first line is
    ``first_line``), or None when it is absent: to point a message at what the file says."""
    index = text.find(needle)
    return first_line + text[:index].count("\n") if index >= 0 else None


def md_url(value: object) -> Markup:
    """A URL for a Markdown link destination ``[text](…)``: characters that would end the
    destination or open an attribute list (``) {#id}``) are percent-encoded, then the URL is
    escaped for HTML like any attribute value."""
    encoded = quote(one_line(value), safe="/:?#@!$&=+,;%-._~*")
    return Markup(html.escape(encoded, quote=True))


def multiline(value: object) -> Markup:
    """Escape for a raw HTML text block (textarea) keeping line breaks as &#10; entities."""
    return Markup(html.escape(str(value), quote=True).replace("\n", "&#10;"))


def trim(value: object, limit: int | None = None) -> str:
    """One-line text, cut at a word boundary with an ellipsis when longer than ``limit``."""
    text = one_line(value)
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:. ") + "…"
    return text


# LinkedIn shows a link's title on two lines and cuts it there itself: a title is kept whole
# up to this length (the territory's name with it), so that the words that say what a fiche is
# about are not the ones cut (« … 4.0 et le grand chantier… » lost « robotique »)
SHARE_TITLE = 110


def share_title(title: str, limit: int = SHARE_TITLE) -> str:
    """A page title for previews: the trailing « — territory » dropped when too long, then
    cut at a word with an ellipsis."""
    if len(title) > limit and " — " in title:
        title = title.rsplit(" — ", 1)[0]
    return trim(title, limit)


def full_stop(text: object) -> str:
    """The full stop to write after ``text`` before another sentence: none when it ends with
    its own (« Quel avenir ? », « 12 rue Foch. »)."""
    return "" if str(text).rstrip().endswith((".", "!", "?", "…")) else "."


def numero(value: object) -> str:
    """A number after « n° », with the no-break space French typography wants (« n° 15 »)."""
    return f"n°\u00a0{value}"


def tab_title(title: str, site_name: str) -> str:
    """A page's title in the browser's tab: the page's title (« Agenda — Nord Franche-Comté »)
    then the site's, without the parts the site's name already says (a one-territory site
    named « Territoire d'industrie Nord Franche-Comté »: « Agenda — Territoire d'industrie Nord
    Franche-Comté »); the site's name alone when it says them all (its home page)."""
    if not title or title == site_name:
        return site_name
    parts = title.split(" — ")
    if all(_said(part, site_name) for part in parts):
        return site_name
    kept = [parts[0], *(part for part in parts[1:] if not _said(part, site_name))]
    return " — ".join([*kept, site_name])


@functools.lru_cache(maxsize=4096)
def _said(part: str, site_name: str) -> bool:
    """Whether the site's name says ``part`` (a word or words of it, whole). Kept by text: a
    territory's name and the sections' names come back on page after page (each search would
    otherwise escape and look up its pattern again, and compile it again once a national
    site's titles outnumber the 512 patterns ``re`` keeps)."""
    # « Territoire d'industrie » is said by « Territoires d'industrie » (its first word in
    # the plural): never « … — Territoire d'industrie — Territoires d'industrie »
    words = part.strip().split(" ", 1)
    plural = " ".join([words[0] + "s", *words[1:]])
    return any(_whole_in(form, site_name) for form in (part.strip(), plural))


def _whole_in(form: str, text: str) -> bool:
    r"""Whether ``form`` is in ``text`` as whole words: what ``re.search(rf"(?<!\w){form}(?!\w)",
    text)`` says, without compiling a pattern per form (a word character, ``\w``, is a letter,
    a digit or « _ », as ``str.isalnum`` tells)."""

    def word(char: str) -> bool:
        return char.isalnum() or char == "_"

    start = text.find(form)
    while start != -1:
        end = start + len(form)
        if (start == 0 or not word(text[start - 1])) and (end == len(text) or not word(text[end])):
            return True
        start = text.find(form, start + 1)
    return False


def plain(value: object, limit: int | None = None) -> str:
    """Like ``trim``, for hand-written Markdown: emphasis, heading and link marks removed."""
    return trim(re.sub(r"[*_`#>\[\]]", "", one_line(value)), limit)


def number(value: float | int | None, digits: int = 2) -> str:
    """French number: narrow no-break space for thousands, comma for decimals."""
    if value is None:
        return "non renseigné"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    pattern = "#,##0" if isinstance(value, int) else "#,##0." + "#" * digits
    return _decimal(value, pattern)


# Babel formatting costs tens of microseconds a call and a national site makes tens of
# thousands of calls with few distinct values: both formatters remember their results.
@functools.lru_cache(maxsize=8192, typed=True)
def _decimal(value: float | int, pattern: str) -> str:
    # rounded here, halves up (« 12,345 % » is 12,35 %): Babel rounds halves to even
    places = len(pattern.partition(".")[2])
    exact = decimal.Decimal(str(value)).quantize(
        decimal.Decimal(1).scaleb(-places), decimal.ROUND_HALF_UP
    )
    return format_decimal(exact, format=pattern, locale=LOCALE)


@functools.lru_cache(maxsize=8192)
def _date(value: dt.date, pattern: str) -> str:
    return format_date(value, pattern, locale=LOCALE)


def euros(value: float | int | None, cents: bool = False) -> str:
    """« 1 250 000 € », « 0,50 € »; ``cents``: with cents even for a whole number of euros
    (a table where another amount has them: « 0,50 € + 0,50 € = 1,00 € »)."""
    if value is None:
        return "non renseigné"
    if cents or (isinstance(value, float) and not value.is_integer()):
        return _decimal(value, "#,##0.00") + "\u00a0€"
    return number(value) + "\u00a0€"


def cents_sum(values: Iterable[float | int]) -> float | int:
    """A sum of amounts in euros, exact to the cent (math.fsum), a whole number as an int."""
    total = round(math.fsum(values), 2)
    return int(total) if total.is_integer() else total


def has_cents(values: Iterable[float | int | None]) -> bool:
    """Whether an amount of ``values`` has cents (see euros)."""
    return any(isinstance(v, float) and not v.is_integer() for v in values)


def half_up(value: float | int | decimal.Decimal) -> int:
    """The nearest whole number, halves rounded up as French readers do (« 12,5 % » gives
    13 %, where Python's round gives 12: halves to even)."""
    return int(decimal.Decimal(str(value)).quantize(decimal.Decimal(1), decimal.ROUND_HALF_UP))


def percent(part: float | int, whole: float | int) -> int:
    """``part`` as a whole percentage of ``whole``, halves up."""
    return half_up(decimal.Decimal(str(part)) * 100 / decimal.Decimal(str(whole)))


def long_date(value: dt.date | str | None) -> str:
    """« 22 novembre 2018 », « 1er septembre 2023 »; partial dates « 2022-06 » give
    « juin 2022 »."""
    if value is None or value == "":
        return "non renseigné"
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return _date(dt.date(int(parts[0]), int(parts[1]), 1), "MMMM y")
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if value.day == 1:  # the first of a month is written « 1er » in French
        return "1er " + _date(value, "MMMM y")
    return _date(value, "d MMMM y")


_LAST_PARENTHESIS = re.compile(r"\(([^()]*)\)\s*$")


def dates_itself(source: str | None, value: dt.date | str | None) -> bool:
    """Whether ``source`` already ends with the date ``value`` in parentheses (« Feuille de
    route (juillet 2022) » and 2022 or 2022-07): the page does not print it a second time."""
    if not source or value is None or value == "":
        return False
    last = _LAST_PARENTHESIS.search(str(source))
    if last is None:
        return False
    return long_date(value).casefold() in last.group(1).casefold()


def agree(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word for ``count`` things, in French (0 and 1 take the singular)."""
    return singular if count <= 1 else (plural_form or singular + "s")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 action », « 3 actions », « 2 lettres d'information » (``plural_form`` when the plural
    is not the singular with an s)."""
    return f"{number(count)} {agree(count, singular, plural_form)}"


Moment = dt.date | dt.datetime


def day_of(moment: Moment) -> dt.date:
    """The day of a date, or of a date and time."""
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _hour(moment: dt.datetime) -> str:
    return f"{moment.hour} h {moment.minute:02d}"


def _when_pieces(value: Moment, end: Moment | None) -> list[tuple[str, Moment | None]]:
    """The words of ``when``, each with the moment it names (None: a joining word)."""
    start = long_date(day_of(value))
    first = f"{start} à {_hour(value)}" if isinstance(value, dt.datetime) else start
    if (
        end is None
        or end == value
        or (day_of(end) == day_of(value) and not isinstance(end, dt.datetime))
    ):
        return [(first, value)]
    if day_of(end) == day_of(value):  # one day, until an hour
        assert isinstance(end, dt.datetime)
        if isinstance(value, dt.datetime):
            return [(f"{start} de {_hour(value)}", value), (" à ", None), (_hour(end), end)]
        return [(start, value), (" jusqu'à ", None), (_hour(end), end)]
    last = long_date(day_of(end))
    if isinstance(end, dt.datetime):
        last += f" à {_hour(end)}"
    return [("du ", None), (first, value), (" au ", None), (last, end)]


def when(value: Moment, end: Moment | None = None) -> str:
    """« 6 juillet 2022 à 18 h 00 », « 12 juin 2026 de 9 h 00 à 17 h 00 », or a span « du 3 mars
    2024 au 5 mars 2024 » (« du 10 juin 2026 à 9 h 00 au 11 juin 2026 à 17 h 00 »)."""
    return "".join(text for text, _ in _when_pieces(value, end))


def when_html(value: Moment, end: Moment | None = None) -> Markup:
    """``when`` for an HTML page: the same text, each moment in a ``<time datetime>`` element
    (« du <time datetime="2024-03-03">3 mars 2024</time> au <time …>5 mars 2024</time> »)."""
    out = Markup("")
    for text, moment in _when_pieces(value, end):
        if moment is None:  # a joining word of ours
            out += Markup(text)
            continue
        iso = (
            moment.isoformat(timespec="minutes")
            if isinstance(moment, dt.datetime)
            else moment.isoformat()
        )
        out += Markup('<time datetime="{}">{}</time>').format(iso, text)
    return out


def licence_phrase(licence: object) -> Markup:
    """« sous Licence Ouverte 2.0 » linked, never « licence Licence Ouverte »: the word licence
    is only added when the licence's name does not start with it."""
    name = str(getattr(licence, "nom", ""))
    url = str(getattr(licence, "url", ""))
    words = "" if name.casefold().startswith("licence") else "licence "
    return Markup('sous {}<a href="{}">{}</a>').format(words, url, name)


@functools.cache
def _collator() -> Collator:
    return Collator()


@functools.lru_cache(maxsize=8192)
def collation_key(text: str) -> tuple[int, ...]:
    """Sort key of French alphabetical order: accents and case count after the letters
    (« Bésingrand » < « Boumourt » < « Bourg », « Élancourt » among the E). Kept by text: the
    same names (members, porteurs) are sorted on many pages."""
    return tuple(_collator().sort_key(str(text)))


def french_sorted(items: Any, attribute: str | None = None) -> list[Any]:
    """``items`` in French alphabetical order (of ``attribute`` when given)."""
    return sorted(
        items, key=lambda x: collation_key(str(getattr(x, attribute) if attribute else x))
    )


_FEMININE = ("ca ", "cc ", "cu ", "communauté", "métropole", "metropole", "agglomération")


def of_name(name: str) -> str:
    """« de » before an intercommunality's name, in French: « de la CC de Lacq-Orthez »,
    « de l'Eurométropole de Strasbourg », « d'Orléans Métropole », « de Grand Paris Sud »."""
    folded = name.strip().lower()
    if folded.startswith(_FEMININE):
        return f"de la {name}"
    if folded.startswith("eurométropole"):
        return f"de l'{name}"
    if folded[:1] in "aeiouyàâéèêëîïôöùûüœh":
        return f"d'{name}"
    return f"de {name}"


# Letters that no accent stripping turns into ASCII (« Straße », « Lætitia », « Ørsted »)
_LETTERS_APART = str.maketrans(
    {"ß": "ss", "œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"}
)  # fmt: skip


def identifier_like(text: str) -> str | None:
    """``text`` written as an identifier (« Vallée de l'Arve » → « vallee-de-l-arve »):
    accents taken off, lower case, a dash for anything else; None when nothing is left. What
    to suggest for a file or folder name that is refused."""
    bare = unicodedata.normalize("NFKD", text.translate(_LETTERS_APART))
    bare = "".join(c for c in bare if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", bare).strip("-")[:80].strip("-")
    return slug or None
