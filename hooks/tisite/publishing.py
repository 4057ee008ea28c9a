"""Newsletter outputs that are not pages: feeds, email versions, iCalendar, published images."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import css_inline
import markdown
import nh3
from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from PIL import Image

from .csp import static_page
from .models import Letter, SiteModel, Territory
from .pagecache import memo
from .textutil import long_date, one_line

PARIS = ZoneInfo("Europe/Paris")
TEMPLATES = Path(__file__).parent / "templates" / "email"
MAX_SIDE = 1600  # pixels: larger photos are resized at build time
MAX_BYTES = 800_000
FEED_LIMIT = 50


def site_base(site_url: str | None) -> str:
    return (site_url or "/").rstrip("/") + "/"


def absolute(site_url: str | None, path: str) -> str:
    return urljoin(site_base(site_url), path)


# --- images -------------------------------------------------------------------------------


def published_image(path: Path) -> bytes:
    """The image as published: unchanged when small, resized and recompressed when large."""
    raw = path.read_bytes()
    with Image.open(io.BytesIO(raw)) as img:
        if max(img.size) <= MAX_SIDE and len(raw) <= MAX_BYTES:
            return raw
        fmt = img.format or "JPEG"
        img.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        if fmt == "JPEG":
            img.convert("RGB").save(out, "JPEG", quality=82, optimize=True, progressive=True)
        elif fmt == "PNG":
            img.save(out, "PNG", optimize=True)
        else:
            img.save(out, fmt)
        return out.getvalue()


def letter_images(letter: Letter) -> list[tuple[str, bytes]]:
    return [(f"{letter.url}{rel}", published_image(letter.folder / rel)) for rel in letter.images]


# --- feeds --------------------------------------------------------------------------------


def _paris_midday(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=PARIS)


def feeds(
    title: str, subtitle: str, home: str, letters: list[Letter], site_url: str | None, base: str
) -> tuple[str, str]:
    """RSS 2.0 and Atom documents for ``letters`` (newest first). ``base``: feed folder."""
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(absolute(site_url, home))
    fg.title(title)
    fg.subtitle(subtitle)
    fg.language("fr")
    fg.link(href=absolute(site_url, home), rel="alternate")
    fg.link(href=absolute(site_url, base + "atom.xml"), rel="self")
    fg.author({"name": title})
    updated = max((x.date for x in letters), default=dt.date(2000, 1, 1))
    fg.updated(_paris_midday(updated))
    for letter in reversed(letters[:FEED_LIMIT]):  # feedgen prepends entries
        entry = fg.add_entry()
        url = absolute(site_url, letter.url)
        entry.id(url)
        entry.title(f"Lettre n°{letter.numero} : {letter.titre}")
        entry.link(href=url)
        entry.summary(letter.data.resume)
        entry.published(_paris_midday(letter.date))
        entry.updated(_paris_midday(letter.date))
    rss = fg.rss_str(pretty=True).decode("utf-8")
    fg.link(href=absolute(site_url, base + "atom.xml"), rel="self", replace=True)
    atom = fg.atom_str(pretty=True).decode("utf-8")
    return rss, atom


def territory_feeds(t: Territory, site_url: str | None) -> list[tuple[str, str]]:
    base = f"{t.slug}/lettres/"
    rss, atom = feeds(
        f"Lettres d'information — {t.nom}",
        f"Lettres d'information du Territoire d'industrie {t.nom}",
        base,
        list(t.letters),
        site_url,
        base,
    )
    return [(base + "rss.xml", rss), (base + "atom.xml", atom)]


def site_feeds(site: SiteModel, site_url: str | None) -> list[tuple[str, str]]:
    letters = sorted(
        (x for t in site.territories for x in t.letters), key=lambda x: x.date, reverse=True
    )
    rss, atom = feeds(site.settings.titre, site.settings.description, "", letters, site_url, "")
    return [("rss.xml", rss), ("atom.xml", atom)]


# --- iCalendar ----------------------------------------------------------------------------


def _ical_value(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=PARIS)
    return value


def agenda_ics(
    t: Territory, site_url: str | None, stamp: dt.datetime, cache_dir: Path | None = None
) -> str:
    """The territory's agenda as iCalendar; cached like the email versions (``.cache/agendas``).

    A territory with hundreds of letters has thousands of events, slow to serialise.
    """
    material = ["agenda", t.slug, t.nom, site_url, stamp, [repr(e) for e in t.agenda]]
    directory = cache_dir / "agendas" if cache_dir else None
    return str(memo(directory, material, lambda: _agenda_ics(t, site_url, stamp)))


def _agenda_ics(t: Territory, site_url: str | None, stamp: dt.datetime) -> str:
    cal = Calendar()
    cal.add("prodid", "-//Territoires d'industrie//site//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Agenda — {t.nom}")
    for entry in t.agenda:
        event = Event()
        event.add("uid", f"{entry.uid}@territoires-industrie")
        event.add("dtstamp", stamp)
        prefix = "Date limite : " if entry.kind == "appel" else ""
        event.add("summary", one_line(prefix + entry.titre))
        start = _ical_value(entry.start)
        event.add("dtstart", start)
        if entry.end is not None:
            end = _ical_value(entry.end)
            if isinstance(end, dt.date) and not isinstance(end, dt.datetime):
                end = end + dt.timedelta(days=1)  # DTEND of an all-day event is exclusive
            event.add("dtend", end)
        elif not isinstance(start, dt.datetime):
            event.add("dtend", start + dt.timedelta(days=1))
        if entry.lieu:
            event.add("location", one_line(entry.lieu))
        details = [entry.description or ""]
        if entry.operateur:
            details.append(f"Opérateur : {entry.operateur}")
        if entry.letter is not None:
            details.append(
                "Annoncé dans la lettre n°"
                + str(entry.letter)
                + " : "
                + absolute(site_url, f"{t.slug}/lettres/{entry.letter}/")
            )
        event.add("description", "\n".join(d for d in details if d))
        if entry.lien:
            event.add("url", entry.lien)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


# --- email version ------------------------------------------------------------------------

EMAIL_CSS = """
body { margin: 0; padding: 0; background: #f2f2f2; font-family: Arial, Helvetica, sans-serif; }
.wrapper { width: 100%; background: #f2f2f2; }
.container { width: 600px; max-width: 600px; background: #ffffff; }
.header { background: #000091; color: #ffffff; padding: 20px 24px; }
.header h1 { margin: 0; font-size: 22px; line-height: 28px; color: #ffffff; }
.header p { margin: 4px 0 0; font-size: 14px; color: #ffffff; }
.content { padding: 8px 24px 16px; font-size: 15px; line-height: 23px; color: #1e1e1e; }
.content h2 { font-size: 19px; line-height: 25px; color: #000091; margin: 24px 0 8px; }
.content h3 { font-size: 16px; margin: 16px 0 6px; }
.content a { color: #000091; }
.content img { max-width: 100%; height: auto; }
.content table { border-collapse: collapse; width: 100%; }
.content td, .content th { border: 1px solid #dddddd; padding: 6px; font-size: 14px; }
.box { background: #f5f5fe; padding: 12px 16px; margin: 12px 0; }
.footer { padding: 16px 24px; font-size: 12px; line-height: 18px; color: #595959; }
.footer a { color: #595959; }
.web { font-size: 12px; color: #595959; padding: 10px 24px; }
"""


def _absolutize(base: str):  # type: ignore[no-untyped-def]
    def attribute_filter(tag: str, attr: str, value: str) -> str:
        if attr in ("href", "src") and not re.match(r"^[a-z][a-z0-9+.-]*:|^#", value, re.I):
            return urljoin(base, value)
        return value

    return attribute_filter


@functools.cache
def _email_markdown() -> markdown.Markdown:
    """One converter for every letter: setting up the extensions costs more than a letter."""
    return markdown.Markdown(extensions=["tables", "sane_lists"])


def _body_html(letter: Letter, base: str) -> str:
    html = _email_markdown().reset().convert(letter.body)
    # Outlook ignores CSS widths on tables: the attribute keeps them full width
    html = html.replace("<table>", '<table width="100%">')
    return nh3.clean(
        html,
        tags=set(nh3.ALLOWED_TAGS)
        | {"table", "thead", "tbody", "tr", "td", "th", "img", "h2", "h3", "h4"},
        attributes={
            "a": {"href"},
            "img": {"src", "alt", "width", "height"},
            "table": {"width"},
            "*": set(),
        },
        attribute_filter=_absolutize(base),
        url_schemes={"http", "https", "mailto", "tel"},
    )


@functools.cache
def _inliner() -> css_inline.CSSInliner:
    """Moves EMAIL_CSS into ``style`` attributes: mail clients ignore or strip ``<style>``."""
    return css_inline.CSSInliner(
        extra_css=EMAIL_CSS, keep_style_tags=False, load_remote_stylesheets=False
    )


@functools.cache
def _email_env() -> Environment:
    env = Environment(
        auto_reload=False,  # templates do not change during a build: no stat per render
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["long_date"] = long_date
    return env


def email_versions(
    t: Territory,
    letter: Letter,
    settings: Any,
    site_url: str | None,
    cache_dir: Path | None = None,
) -> tuple[str, str]:
    """HTML (CSS inlined) and plain-text versions of a letter, with absolute URLs.

    Both are cached by a hash of everything they are made from (the letter, its territory, the
    site settings, the code and templates): an unchanged letter costs a file read.
    """
    material = [
        "courriel",
        site_url,
        t.slug,
        t.info.model_dump(mode="json"),
        settings.model_dump(mode="json"),
        letter.numero,
        letter.data.model_dump(mode="json"),
        letter.body,
    ]
    directory = cache_dir / "courriels" if cache_dir else None
    html, text = memo(directory, material, lambda: _render_email(t, letter, settings, site_url))
    return str(html), str(text)


def _render_email(
    t: Territory, letter: Letter, settings: Any, site_url: str | None
) -> tuple[str, str]:
    from markupsafe import Markup

    page_url = absolute(site_url, letter.url)
    context = {
        "t": t,
        "letter": letter,
        "settings": settings,
        "page_url": page_url,
        "cover_url": urljoin(page_url, letter.data.image) if letter.data.image else None,
        "body": Markup(_body_html(letter, page_url)),
        "agenda_url": absolute(site_url, f"{t.slug}/agenda/"),
        "csp": static_page(site_url),
        "archive_url": absolute(site_url, f"{t.slug}/lettres/"),
    }
    env = _email_env()
    html = env.get_template("lettre.html.j2").render(**context)
    inlined = _inliner().inline(html)
    text = env.get_template("lettre.txt.j2").render(
        **context, body_text=markdown_to_text(letter.body, page_url)
    )
    return str(inlined), text


def markdown_to_text(body: str, base: str) -> str:
    """Plain-text rendering of a letter body: links become « text (url) »."""
    text = re.sub(r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)", r"[image : \1]", body)
    text = re.sub(
        r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)",
        lambda m: f"{m.group(1)} ({urljoin(base, m.group(2))})",
        text,
    )
    text = re.sub(r"^#{1,6}\s*(.+)$", lambda m: m.group(1).upper(), text, flags=re.M)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text.strip()
