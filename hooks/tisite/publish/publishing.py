"""Newsletter outputs that are not pages: feeds, email versions, iCalendar (images: assets)."""

from __future__ import annotations

import datetime as dt
import functools
import html as html_lib
import re
import secrets
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import css_inline
import markdown
import nh3
from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, Timezone, vDuration, vText
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import escape

from tisite import clock, urls
from tisite.clock import PARIS
from tisite.content.errors import ContentError, Problem
from tisite.content.models import Letter, SiteModel, Territory
from tisite.content.remote import EMAIL_MARKDOWN, MAX_HTML_DEPTH, TOO_DEEP_HTML
from tisite.finish.csp import static_page
from tisite.finish.sanitize import deepest_nesting, same_site
from tisite.finish.typography import french_html, french_text
from tisite.generate.templatecache import CompiledTemplates
from tisite.generate.textutil import day_of, long_date, numero, one_line, when
from tisite.memo import Recent, on_forget
from tisite.publish.diskcache import memo

TEMPLATES = Path(__file__).parents[1] / "templates" / "email"
FEED_LIMIT = 50
TIMED_EVENT_LENGTH = dt.timedelta(hours=1)


def site_base(site_url: str | None) -> str:
    return (site_url or "/").rstrip("/") + "/"


absolute = urls.absolute


# --- feeds --------------------------------------------------------------------------------


def _paris_midday(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=PARIS)


def _day_start(now: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(now.astimezone(PARIS).date(), dt.time(0, 0), tzinfo=PARIS)


REFRESH = dt.timedelta(hours=12)  # how often a subscribed calendar reads agenda.ics again


def feed_moment(day: dt.date, now: dt.datetime) -> dt.datetime:
    """A letter's time in the feeds: noon (Paris) of its day, never later than the build: a
    letter dated today before noon has the start of the build's day (one dated later is not
    published before its day, see letters.load_letters). The same for every build of a
    morning (a feed reader sees no change), then noon."""
    noon = _paris_midday(day)
    return noon if noon <= now else _day_start(now)


def after_noon(now: dt.datetime) -> bool:
    """Whether a letter dated on the build's day has its noon yet (see feed_moment)."""
    return _paris_midday(now.astimezone(PARIS).date()) <= now


def feeds(
    title: str,
    subtitle: str,
    home: str,
    letters: list[Letter],
    site_url: str | None,
    addresses: tuple[str, str],
    now: dt.datetime | None = None,
    quiet_since: dt.datetime | None = None,
    territories: dict[str, str] | None = None,
) -> tuple[str, str]:
    """RSS 2.0 and Atom documents for ``letters`` (newest first). ``territories`` (slug →
    name; the letters of several territories): each entry names its territory, in its title,
    its author and its category. ``addresses``: of the RSS
    and Atom files; ``home``: the archive page both feeds link to; ``now``: the build's time
    (a letter's day is dated at noon, never later than the build: see feed_moment);
    ``quiet_since``: the date of a feed without letter, the last change of its content (else
    the start of the build's day). Titles and summaries are typeset in French, like the
    pages."""
    now = now or clock.now()

    def moment(day: dt.date) -> dt.datetime:
        return feed_moment(day, now)

    rss_address, atom_address = addresses
    title, subtitle = french_text(title), french_text(subtitle)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(absolute(site_url, home))
    fg.title(title)
    # RSS descriptions are HTML for feed readers: the plain text is escaped once more there
    fg.subtitle(html_lib.escape(subtitle, quote=False))
    fg.language("fr")
    # feedgen writes the last link as the RSS <link>: the archive page comes after "self"
    fg.link(href=absolute(site_url, rss_address), rel="self")
    fg.link(href=absolute(site_url, home), rel="alternate")
    fg.author({"name": title})
    if letters:
        fg.updated(max(moment(x.date) for x in letters))  # never before one of its entries
    else:
        fg.updated(min(quiet_since, now) if quiet_since else _day_start(now))
    entries = []
    for letter in reversed(letters[:FEED_LIMIT]):  # feedgen prepends entries
        entry = fg.add_entry()
        summary = french_text(letter.data.resume)
        entries.append((entry, summary))
        url = absolute(site_url, letter.url)
        entry.id(url)
        title = f"Lettre {numero(letter.numero)} : {letter.titre}"
        if territories is not None and letter.territory_slug in territories:
            name = territories[letter.territory_slug]
            title += f" — {name}"
            entry.author({"name": name})  # Atom (RSS wants an email: dc:creator there)
            entry.dc.dc_creator(name)
            entry.category(term=letter.territory_slug, label=name)
        entry.title(french_text(title))
        entry.link(href=url)
        entry.summary(html_lib.escape(summary, quote=False))
        if letter.remote_url is None:  # the whole letter, as its email (a harvested one: not ours)
            entry.content(
                french_html(_cover_html(letter, url) + letter_html(letter, site_url)), type="html"
            )
        entry.published(moment(letter.date))
        entry.updated(moment(letter.date))
    rss = fg.rss_str(pretty=True).decode("utf-8")
    # Atom summaries and subtitles without a type are plain text: unescaped
    fg.subtitle(subtitle)
    for entry, summary in entries:
        entry.summary(summary)
    fg.link(href=absolute(site_url, atom_address), rel="self", replace=True)
    fg.link(href=absolute(site_url, home), rel="alternate")
    atom = fg.atom_str(pretty=True).decode("utf-8")
    return rss, atom


def territory_feeds(
    t: Territory,
    site_url: str | None,
    now: dt.datetime | None = None,
    quiet_since: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    addresses = (urls.url_to("lettres-rss", t=t.slug), urls.url_to("lettres-atom", t=t.slug))
    rss, atom = feeds(
        f"Lettres d'information — {t.nom}",
        f"Lettres d'information du Territoire d'industrie {t.nom}",
        urls.url_to("lettres", t=t.slug),
        list(t.letters),
        site_url,
        addresses,
        now,
        quiet_since,
    )
    return list(zip(addresses, (rss, atom), strict=True))


def site_feeds(
    site: SiteModel,
    site_url: str | None,
    now: dt.datetime | None = None,
    quiet_since: dt.datetime | None = None,
) -> list[tuple[str, str]]:
    letters = sorted(
        (x for t in site.territories for x in t.letters), key=lambda x: x.date, reverse=True
    )
    addresses = (urls.url_to("rss"), urls.url_to("atom"))
    home = urls.url_to("accueil")
    rss, atom = feeds(
        site.settings.titre,
        site.settings.description,
        home,
        letters,
        site_url,
        addresses,
        now,
        quiet_since,
        {t.slug: t.nom for t in site.territories} if len(site.territories) > 1 else None,
    )
    return list(zip(addresses, (rss, atom), strict=True))


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


_URI_SAFE = ":/?#[]@!$&'()*+,;=%~"


def _agenda_ics(t: Territory, site_url: str | None, stamp: dt.datetime) -> str:
    """The calendar's texts are typeset in French, like the pages."""
    cal = Calendar()
    cal.add("prodid", "-//Territoires d'industrie//site//FR")
    cal.add("version", "2.0")
    # a property of its own name is written as given by the library: escaped here as text
    # (« , » and « ; » cut the name short in readers)
    cal.add("x-wr-calname", vText(f"Agenda — {t.nom}"))
    cal.add("x-wr-timezone", "Europe/Paris")
    # a subscribed calendar asks again twice a day (RFC 7986; the older Outlook property)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    # The time zone of the events, described in the file (RFC 5545: clients must not guess it);
    # always present, so that a calendar without event still holds a component.
    days = [day_of(e.start) for e in t.agenda] + [stamp.date()]
    zone = Timezone.from_tzid(
        "Europe/Paris",
        first_date=dt.date(min(days).year - 1, 1, 1),
        last_date=dt.date(max(days).year + 2, 1, 1),
    )
    zone.pop("COMMENT", None)  # the library's English note on the covered years
    cal.add_component(zone)
    for entry in t.agenda:
        event = Event()
        event.add("uid", f"{entry.uid}@territoires-industrie")
        event.add("dtstamp", stamp)
        prefix = "Date limite : " if entry.kind == "appel" else ""
        event.add("summary", french_text(one_line(prefix + entry.titre)))
        first, last = entry.start, entry.end
        if last == first:  # ends as it starts: as without end (see below)
            last = None
        # DTEND has the type of DTSTART (RFC 5545, 3.8.2.2): a day with an end hour is a day
        # until then (whole days in calendars), an hour until a day ends with that day
        if isinstance(last, dt.datetime) and not isinstance(first, dt.datetime):
            last = last.date()
        elif (
            isinstance(first, dt.datetime)
            and isinstance(last, dt.date)
            and not isinstance(last, dt.datetime)
        ):
            last = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0, 0))
        start = _ical_value(first)
        event.add("dtstart", start)
        if last is not None:
            end = _ical_value(last)
            if isinstance(end, dt.date) and not isinstance(end, dt.datetime):
                end = end + dt.timedelta(days=1)  # DTEND of an all-day event is exclusive
            event.add("dtend", end)
        elif not isinstance(start, dt.datetime):
            event.add("dtend", start + dt.timedelta(days=1))
        else:
            # an event at a given time and without end: an hour in calendars (RFC 5545 would
            # make it end when it starts, and some clients then hide it)
            event.add("dtend", start + TIMED_EVENT_LENGTH)
        if entry.lieu:
            event.add("location", french_text(one_line(entry.lieu)))
        details = [entry.description or ""]
        if entry.operateur:
            details.append(f"Opérateur : {entry.operateur}")
        if entry.letter is not None:
            details.append(
                f"Annoncé dans la lettre {numero(entry.letter)} : "
                + absolute(site_url, urls.url_to("lettre", t=t.slug, numero=entry.letter))
            )
        description = "\n".join(d for d in details if d)
        if description:  # an empty DESCRIPTION is noise in calendars
            event.add("description", french_text(description))
        # the event's own page when it has one, else where the site announces it
        page = (
            urls.url_to("lettre", t=t.slug, numero=entry.letter)
            if entry.letter is not None
            else urls.url_to("agenda", t=t.slug)
        )
        address = entry.lien or absolute(site_url, page)
        if address.startswith(("https://", "http://")):  # (no site address: no link)
            # an address as written may hold accents: in a calendar, an ASCII URI (RFC 3986)
            event.add("url", quote(address, safe=_URI_SAFE))
        if entry.sequence:  # announced again under its identifier: an update for importers
            event.add("sequence", entry.sequence)
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


# --- email version ------------------------------------------------------------------------

EMAIL_CSS = """
body { margin: 0; padding: 0; background: #f2f2f2; font-family: Arial, Helvetica, sans-serif; }
.wrapper { width: 100%; background: #f2f2f2; }
.container { width: 100%; max-width: 600px; background: #ffffff; }
.header { background: #000091; color: #ffffff; padding: 20px 24px; }
.header h1 { margin: 0; font-size: 22px; line-height: 28px; color: #ffffff; }
.header p { margin: 4px 0 0; font-size: 14px; color: #ffffff; }
.content { padding: 8px 24px 16px; font-size: 15px; line-height: 23px; color: #1e1e1e; }
.content h2 { font-size: 19px; line-height: 25px; color: #000091; margin: 24px 0 8px; }
.content h3 { font-size: 16px; margin: 16px 0 6px; }
.content a { color: #000091; word-break: break-word; }
.content img { max-width: 100%; height: auto; }
.content table { border-collapse: collapse; width: 100%; }
.content td, .content th { border: 1px solid #dddddd; padding: 6px; font-size: 14px; }
.box { background: #f5f5fe; padding: 12px 16px; margin: 12px 0; }
.footer { padding: 16px 24px; font-size: 12px; line-height: 18px; color: #595959; }
.footer a { color: #595959; }
.web { font-size: 12px; color: #595959; padding: 10px 24px; }
/* Kept in a <style> block (mail clients that read it): a phone gets the whole width. */
@media only screen and (max-width: 620px) {
  .container { width: 100% !important; }
  .header, .content, .footer, .web {
    padding-left: 14px !important; padding-right: 14px !important;
  }
  .header h1 { font-size: 20px !important; line-height: 26px !important; }
  .content table { display: block !important; overflow-x: auto !important; }
}
"""


def page_link(url: str) -> str:
    """The published address of a link to a Markdown page, as MkDocs resolves it on the web
    page (``x/index.md`` → ``x/``, ``x/y.md`` → ``x/y/``); any other address is unchanged."""
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    if not name.lower().endswith(".md"):
        return url
    stem = name[:-3]
    path = f"{folder}/" if stem.lower() in ("index", "readme") else f"{folder}/{stem}/"
    return urlunsplit(parts._replace(path=path))


def _absolutize(base: str, root: str):  # type: ignore[no-untyped-def]
    def attribute_filter(tag: str, attr: str, value: str) -> str | None:
        if attr == "src" and not same_site(value):
            return None  # a tracking pixel of another site: mail clients apply no policy
        if attr in ("href", "src") and not re.match(r"^[a-z][a-z0-9+.-]*:|^#", value, re.I):
            # relative to the letter's source file (lettres/<n>/index.md), like the web page;
            # only the site's own pages are Markdown files turned into addresses; « /t/x/ »
            # from the site's root, which may be a path of its host (as on the web page)
            value = value.replace(" ", "%20")  # « photo usine.jpg »
            site_path = value.startswith("/") and not value.startswith("//")
            # « ./ »: what follows the root is a path, never a scheme (« /javascript:… »)
            joined = urljoin(root, "./" + value.lstrip("/")) if site_path else urljoin(base, value)
            if urlsplit(joined).scheme not in ("http", "https", ""):
                return None  # nh3 does not check the schemes of the values given back
            own = urlsplit(joined).netloc == urlsplit(base).netloc
            return page_link(joined) if attr == "href" and own else joined
        return value

    return attribute_filter


EMAIL_TEXT_WIDTH = 552  # the column of the letter (600 px) less its margins (EMAIL_CSS)
_IMG = re.compile(r"<img\b[^>]*>")
_SRC = re.compile(r'\ssrc="([^"]*)"')


def _cover_html(letter: Letter, page_url: str) -> str:
    """A letter's cover image before its text in the feeds, as in its email (feed readers show
    the first image of an entry as its picture); nothing without a cover."""
    if not letter.cover_address:
        return ""
    src = html_lib.escape(urljoin(page_url, letter.cover_address))
    alt = html_lib.escape(letter.data.image_alt or "")
    size = ""
    if letter.cover_size:
        width, height = letter.cover_size
        shown = min(width, EMAIL_TEXT_WIDTH)
        size = f' width="{shown}" height="{round(height * shown / width)}"'
    return f'<p><img src="{src}" alt="{alt}"{size}></p>\n'


def letter_html(letter: Letter, site_url: str | None) -> str:
    """A letter's body as HTML outside its page (its emails, the feeds): sanitised for mail
    clients, links and images absolute, images with their width."""
    return _letter_html(site_url, letter.url, letter.body, letter.image_sizes)


@functools.lru_cache(maxsize=1024)
def _letter_html(
    site_url: str | None, url: str, body: str, image_sizes: tuple[tuple[str, int, int], ...]
) -> str:
    """letter_html, kept by all it is made from: the emails and the feed entries of a letter
    convert its body once. Emptied when a build starts (new_build)."""
    page_url = absolute(site_url, url)
    html = _body_html(body, page_url, absolute(site_url, ""))
    return _sized_images(html, image_sizes, page_url)


on_forget(_letter_html.cache_clear)  # (a test that replaces a function it calls forgets it)


def _sized_images(body: str, image_sizes: tuple[tuple[str, int, int], ...], page_url: str) -> str:
    """Each image of the letter's body with its width in pixels, at most the column's:
    Outlook for Windows reads no CSS width on an image and shows it as large as its file."""
    widths = {
        urljoin(page_url, path.replace(" ", "%20")): min(width, EMAIL_TEXT_WIDTH)
        for path, width, _ in image_sizes
    }

    def sized(tag: re.Match[str]) -> str:
        src = _SRC.search(tag[0])
        width = widths.get(html_lib.unescape(src[1])) if src else None
        if width is None or " width=" in tag[0]:
            return tag[0]
        return f'{tag[0][:-1].rstrip("/ ")} width="{width}">'

    return _IMG.sub(sized, body)


@functools.cache
def _email_markdown() -> markdown.Markdown:
    """One converter for every letter: setting up the extensions costs more than a letter."""
    return markdown.Markdown(extensions=list(EMAIL_MARKDOWN))


def _body_html(body: str, base: str, root: str) -> str:
    html = _email_markdown().reset().convert(body)
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
        attribute_filter=_absolutize(base, root),
        url_schemes={"http", "https", "mailto", "tel"},
    )


@functools.cache
def _inliner() -> css_inline.CSSInliner:
    """Moves EMAIL_CSS into ``style`` attributes: mail clients ignore or strip ``<style>``."""
    return css_inline.CSSInliner(
        extra_css=EMAIL_CSS,
        keep_style_tags=False,
        keep_at_rules=True,  # the phone layout stays in a <style> block, beside inline styles
        load_remote_stylesheets=False,
    )


def new_build() -> None:
    """Read the email templates again: a build starts (one edited during ``ti serve`` counts;
    an unchanged one is not compiled again, see templatecache).
    The letters' bodies are converted again too: a build's memory is its own."""
    _email_env.cache_clear()
    _letter_html.cache_clear()


def _one_line_text(value: Any) -> Any:
    return one_line(value) if isinstance(value, str) else value


@functools.cache
def _email_env(html: bool) -> Environment:
    """Templates of the HTML version (escaped) or of the text version (plain text: nothing is
    escaped, an entity would show as such in the reader's mail client)."""
    env = Environment(
        auto_reload=False,  # templates do not change during a build: no stat per render
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        # a value is one line of the text version, as the HTML version shows it: a line break
        # in a title or a place would make a line of its own there (a false « Version en
        # ligne : » or list entry)
        finalize=None if html else _one_line_text,
    )
    env.bytecode_cache = CompiledTemplates(None)  # compiled once per text (see new_build)
    env.filters["long_date"] = long_date
    env.filters["when"] = when  # an event's day and time (« 6 juillet 2022 à 18 h 00 »)
    env.filters["numero"] = numero  # « n° 15 », a no-break space after « n° »
    return env


EMAIL_FILES = urls.email_files()  # email.html, email.txt, envoi.html, envoi.txt


def email_versions(
    t: Territory,
    letter: Letter,
    settings: Any,
    site_url: str | None,
    cache_dir: Path | None = None,
) -> list[tuple[str, str]]:
    """The letter as email, with absolute URLs: (file name in the letter's folder, content).

    ``email.html`` and ``email.txt`` are the web copies linked from the letter's page (no
    unsubscribe link: it would lead nowhere on the web); ``envoi.html`` and ``envoi.txt`` are
    what the chef de projet pastes into the mailing tool, with that tool's unsubscribe tag.
    All are cached by a hash of everything they are made from (the letter, its territory, the
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
        letter.image_sizes,
    ]
    directory = cache_dir / "courriels" if cache_dir else None
    documents = memo(directory, material, lambda: _render_email(t, letter, settings, site_url))
    return list(zip(EMAIL_FILES, (str(d) for d in documents), strict=True))


def _render_email(
    t: Territory, letter: Letter, settings: Any, site_url: str | None
) -> tuple[str, ...]:
    from markupsafe import Markup

    page_url = absolute(site_url, letter.url)
    diffusion = t.info.diffusion
    body = letter_html(letter, site_url)
    # the check refuses such a text (remote.TOO_DEEP_HTML); the inliner would crash the process
    if deepest_nesting(body) > MAX_HTML_DEPTH:
        raise ContentError([Problem(letter.source, None, None, TOO_DEEP_HTML)])
    context = {
        "t": t,
        "letter": letter,
        "settings": settings,
        "page_url": page_url,
        "cover_url": urljoin(page_url, letter.cover_address) if letter.cover_address else None,
        "body": Markup(body),
        "agenda_url": absolute(site_url, urls.url_to("agenda", t=t.slug)),
        "csp": static_page(site_url),
        "archive_url": absolute(site_url, urls.url_to("lettres", t=t.slug)),
        "subscribe_url": diffusion.inscription if diffusion else None,
    }
    # the text version's body comes from the HTML's, French spaces included (code untouched);
    # the template's own text gets them too, but neither the body nor the mailing tool's tag
    # (kept aside as placeholders) is changed twice
    body_text = html_to_text(french_html(str(context["body"])))
    out: list[str] = []
    for web, tag in ((True, None), (False, diffusion.unsubscribe_tag if diffusion else None)):
        # the tool's own tag is put in once the rest is made inert for the tool (tool_inert);
        # a name the content cannot know
        slot = f"tisite{secrets.token_hex(12)}" if tag else None
        html = (
            _email_env(True)
            .get_template("lettre.html.j2")
            .render(**context, web_copy=web, unsubscribe=slot)
        )
        text = french_text(
            _email_env(False)
            .get_template("lettre.txt.j2")
            .render(
                **context,
                web_copy=web,
                unsubscribe=_TAG_SLOT if tag else None,
                body_text=_BODY_SLOT,
            )
        )
        text = text.replace(_BODY_SLOT, body_text)
        document = _policy_first(str(_inliner().inline(french_html(html))))
        if not web:  # what the chef de projet pastes into the mailing tool
            document, text = tool_inert(document, html=True), tool_inert(text, html=False)
        if slot and tag:
            document = document.replace(slot, str(escape(tag)))
        text = text.replace(_TAG_SLOT, tag or "")
        # the web copy starts with a byte order mark: a host that serves .txt files without a
        # character set (nginx's and Apache's defaults) would show « DÃ©carbonation » without
        # it; the one pasted into the mailing tool has none
        out += [document, f"\ufeff{text}" if web else text]
    return tuple(out)


# What mailing tools read as their own commands in a campaign: « {{ … }} », « {% … %} » and
# « {# … #} » (listmonk's Go templates, Brevo's and Mailjet's templates), « *|…|* »
# (Mailchimp's merge tags), « [[…]] » (Mailjet's). In a letter's text they would run there: a
# listmonk function can write a script back into the email the sanitiser cleaned, or a tag the
# campaign cannot compile stops it.
_TOOL_OPENINGS = re.compile(r"\{(?=[{%#])|\*(?=\|)|\[(?=\[)")
_URL = re.compile(r"https?://\S+")


def tool_inert(document: str, html: bool) -> str:
    """``document`` with every opening of a mailing tool's command broken, shown the same. In
    HTML, its first character as a character reference (« &#123;{ » is « {{ » on screen and in
    a link, not to the tool): the document's one style sheet is ours and holds none (a test
    checks it). In text, a web address gets its opening percent-encoded (the same address);
    any other, a zero-width space after its first character."""
    if html:
        return _TOOL_OPENINGS.sub(lambda m: f"&#{ord(m.group(0))};", document)

    def address(found: re.Match[str]) -> str:
        return _TOOL_OPENINGS.sub(lambda m: f"%{ord(m.group(0)):02X}", found.group(0))

    parts = _URL.split(document)
    urls = [address(m) for m in _URL.finditer(document)]
    out = [_TOOL_OPENINGS.sub(lambda m: m.group(0) + "\u200b", part) for part in parts]
    return "".join(x for pair in zip(out, [*urls, ""], strict=True) for x in pair)


_BODY_SLOT = "\x00corps\x00"
_TAG_SLOT = "\x00balise\x00"
_STYLE_BLOCK = re.compile(r"<style>.*?</style>", re.S)
_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')


def _policy_first(document: str) -> str:
    """The inliner puts the kept ``<style>`` block first in ``<head>``: the security policy must
    come before any style, so the block moves after it."""
    style = _STYLE_BLOCK.search(document)
    policy = _POLICY.search(document)
    if style is None or policy is None or policy.start() < style.start():
        return document
    document = document[: style.start()] + document[style.end() :]
    policy = _POLICY.search(document)
    assert policy is not None
    return document[: policy.end()] + "\n" + style.group(0) + document[policy.end() :]


class _TextVersion(HTMLParser):
    """Plain text of the sanitised email body: what the HTML version shows, nothing else (no
    comment, no entity); links become « text (address) », headings capitals, images their
    description, list items « - »."""

    _BLOCKS: ClassVar[set[str]] = {
        "p",
        "div",
        "table",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._href: list[str | None] = []
        self._link_text: list[str] = []
        self._upper = 0
        self._cells = 0

    def _emit(self, text: str) -> None:
        if self._href and self._href[-1] is not None:
            self._link_text.append(text)
        else:
            self.parts.append(text.upper() if self._upper else text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self._BLOCKS or tag in ("h4", "h5", "h6"):
            self.parts.append("\n\n")
        if tag in ("h1", "h2", "h3"):
            self._upper += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("br", "tr"):
            self.parts.append("\n")
            self._cells = 0
        elif tag in ("td", "th"):
            self.parts.append(" | " if self._cells else "")
            self._cells += 1
        elif tag == "img":
            self._emit(f"[image : {values.get('alt') or ''}]")
        elif tag == "a":
            self._href.append(values.get("href"))
            self._link_text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self._upper:
            self._upper -= 1
        if tag == "a" and self._href:
            href = self._href.pop()
            text = "".join(self._link_text).strip()
            if href and href != text:
                self._emit(f"{text} ({href})" if text else href)
            else:
                self._emit(text)
        if tag in self._BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self._emit(re.sub(r"[ \t\r\n]+", " ", data))

    def text(self) -> str:
        raw = "".join(self.parts)
        lines = [re.sub(r" {2,}", " ", line).strip() for line in raw.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    parser = _TextVersion()
    parser.feed(html)
    parser.close()
    return parser.text()


def markdown_text(text: str | None) -> str | None:
    """Plain text of contributor Markdown for open data (actions.json…): converted and
    sanitised like the email body, then read as text. A comment (« <!-- … --> »), a script or
    raw HTML of the source never reaches the published data."""
    if not text:
        return text

    def convert() -> str:
        html = _email_markdown().reset().convert(text)
        return html_to_text(
            nh3.clean(html, tags=_TEXT_TAGS, attributes={"a": {"href"}, "img": {"alt"}})
        )

    return _TEXTS.get(text, convert)  # the same text, the same result (tisite.memo)


_TEXTS: Recent[str] = Recent()


_TEXT_TAGS = set(nh3.ALLOWED_TAGS) | {"table", "thead", "tbody", "tr", "td", "th", "img"}
