"""Newsletters: pages, feeds (feedparser), iCalendar (icalendar), email versions, drafts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from PIL import Image
from pydantic import ValidationError

from conftest import build_site, copy_project, flat, switch_off, ti_inprocess
from synthetic import FIXTURE
from tisite import clock
from tisite.content import schema
from tisite.content.errors import ContentError
from tisite.content.loader import load_site
from tisite.content.models import AgendaEntry
from tisite.finish.typography import french_html
from tisite.publish import publishing

HDC = "hainaut-douaisis-cambresis"
GC = "grand-chatellerault"
LETTRES = f"territoires/{HDC}/lettres"
SITE_URL = "https://territoires-industrie.example.org/"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_archive_issue_pages_and_home(built_site: Path) -> None:
    archive = soup_of(built_site / HDC / "lettres/index.html")
    assert [h.find(string=True).strip() for h in archive.select("article h2")] == ["2022"]
    titles = [flat(a.get_text(strip=True)) for a in archive.select(".ti-letter-card h3 a")]
    assert titles == [
        "Lettre n° 15 : Décarbonation de l'industrie, les dispositifs à connaître",
        "Lettre n° 14 : Bilan France Relance et feuille de route 2023-2024",
    ]
    issue = soup_of(built_site / HDC / "lettres/14/index.html")
    assert issue.select_one("time[datetime='2022-09-20']") is not None
    assert issue.select_one("a[rel=next]")["href"] == "../15/"
    assert issue.select_one("a[rel=prev]") is None
    assert issue.select_one(".ti-cover img")["alt"].startswith("Illustration stylisée")
    assert "63,5 M€" in flat(issue.get_text())
    # subscribing: the mailing tool's sign-up page, beside the feeds, on the letter and archive
    for page in (issue, archive):
        assert page.find("a", href="https://lettres.example.org/subscription/form"), page.title
    home = flat(soup_of(built_site / HDC / "index.html").get_text(" "))
    assert "Lettre n° 15 : Décarbonation de l'industrie" in home


def test_cover_image_is_published_and_resized(built_site: Path) -> None:
    published = built_site / HDC / "lettres/14/images/couverture-bilan-relance.jpg"
    source = FIXTURE / LETTRES / "images/couverture-bilan-relance.jpg"  # never the live content
    with Image.open(published) as img:
        assert img.size == (1600, 840)
    with Image.open(source) as img:
        assert img.size == (2400, 1260)


@pytest.mark.parametrize("kind", ["rss.xml", "atom.xml"])
def test_feeds_parse_with_feedparser(built_site: Path, kind: str) -> None:
    feed = feedparser.parse((built_site / HDC / "lettres" / kind).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Lettres d'information — Hainaut-Douaisis-Cambrésis"
    entries = feed.entries
    assert [e.link for e in entries] == [
        f"{SITE_URL}{HDC}/lettres/15/",
        f"{SITE_URL}{HDC}/lettres/14/",
    ]
    assert (
        flat(entries[1].title)
        == "Lettre n° 14 : Bilan France Relance et feuille de route 2023-2024"
    )
    assert flat(entries[1].summary).startswith("Plus de 60 M€ de subventions")
    assert entries[1].published_parsed[:3] == (2022, 9, 20)
    site_feed = feedparser.parse((built_site / kind).read_bytes())
    assert not site_feed.bozo and len(site_feed.entries) == 2
    # the feed points to its archive page and to itself (not to the other format)
    links = {link.rel: link.href for link in feed.feed.links}
    assert links["alternate"] == f"{SITE_URL}{HDC}/lettres/"
    assert links["self"] == f"{SITE_URL}{HDC}/lettres/{kind}"
    assert feed.feed.link == f"{SITE_URL}{HDC}/lettres/"


def test_a_feed_without_letters_is_dated_by_the_build(built_site: Path) -> None:
    feed = feedparser.parse((built_site / "grand-chatellerault/lettres/atom.xml").read_bytes())
    assert not feed.bozo and feed.entries == []
    assert feed.feed.updated_parsed.tm_year >= 2026  # not the year 2000 placeholder


def test_calendars_describe_their_time_zone(built_site: Path) -> None:
    """RFC 5545: a TZID used by an event is defined by a VTIMEZONE of the file; a calendar
    holds at least one component, even without event."""
    for territory in (HDC, "grand-chatellerault"):
        cal = Calendar.from_ical((built_site / territory / "agenda/agenda.ics").read_bytes())
        zones = [z for z in cal.walk("VTIMEZONE")]
        assert [str(z["TZID"]) for z in zones] == ["Europe/Paris"], territory
        assert cal.subcomponents, territory
        for event in cal.walk("VEVENT"):
            tzid = event["DTSTART"].params.get("TZID")
            assert tzid in (None, "Europe/Paris")
    timed = Calendar.from_ical((built_site / HDC / "agenda/agenda.ics").read_bytes())
    start = next(e for e in timed.walk("VEVENT") if "TZID" in e["DTSTART"].params).decoded(
        "dtstart"
    )
    assert start.utcoffset() is not None and start.utcoffset().total_seconds() == 7200  # July


def test_agenda_and_icalendar(built_site: Path) -> None:
    cal = Calendar.from_ical((built_site / HDC / "agenda/agenda.ics").read_bytes())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    council = events[
        "Conseil communautaire de la CA du Caudrésis-Catésis (prolongation du programme)"
    ]
    start = council.decoded("dtstart")
    assert (start.year, start.month, start.day, start.hour) == (2022, 7, 6, 18)
    assert str(council["location"]) == "Salle des fêtes, Montigny-en-Cambrésis"
    assert len({str(e["uid"]) for e in cal.walk("VEVENT")}) == len(events) == 3
    # an event without description nor letter has no empty DESCRIPTION line
    assert "DESCRIPTION" not in events["Début de la convention de partenariat 2022-2024"]
    assert "DESCRIPTION" in council  # control: a description is kept
    national = events["Rencontre nationale des Territoires d'industrie"]
    assert national.decoded("dtstart") == dt.date(2019, 6, 12)
    assert national.decoded("dtend") == dt.date(2019, 6, 13)  # all-day: exclusive end
    # each event links back to where the site announces it (agenda.yml: the agenda page)
    assert {str(e["url"]) for e in events.values()} == {
        f"https://territoires-industrie.example.org/{HDC}/agenda/"
    }
    page = soup_of(built_site / HDC / "agenda/index.html")
    upcoming = page.find(id="a-venir").find_next("p").get_text()
    assert "Aucun appel à projets ni événement à venir pour le moment" in flat(upcoming)
    assert "Conseil communautaire" in page.find(id="passes").find_next("ul").get_text()


def _upcoming_call(project: Path) -> None:
    future = (clock.today() + dt.timedelta(days=30)).isoformat()
    path = project / f"territoires/{HDC}/agenda.yml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"appels_a_projets:\n  - titre: Appel à venir\n    operateur: Bpifrance\n    date_limite: {future}\n",
        encoding="utf-8",
    )


def _body_images(project: Path) -> None:
    """An image in HTML and a decorative one in letter 14."""
    folder = project / LETTRES
    (folder / "images" / "html.jpg").write_bytes((folder / COVER).read_bytes())
    Image.new("RGB", (40, 4), (0, 90, 160)).save(folder / "images" / "filet.png")
    _add(project, f"{LETTRES}/14.md", '<img src="images/html.jpg" alt="La même vue, en HTML">')
    _add(project, f"{LETTRES}/14.md", '<img src="images/filet.png" alt="" role="presentation">')


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with a call for projects still open, images in letter 14's body and
    letter 16 of LETTER_16 (published), built once; the tests below only read it."""
    project = copy_project(tmp_path_factory.mktemp("lettres") / "projet")
    _upcoming_call(project)
    _body_images(project)
    (project / LETTRES / "16.md").write_text(LETTER_16, encoding="utf-8")
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.lent
def test_upcoming_and_past_split_at_build_date(variant: Path) -> None:
    project = variant
    page = soup_of(project / "site" / HDC / "agenda/index.html")
    assert "Appel à venir" in page.find(id="a-venir").find_next("ul").get_text()
    assert "Appel à venir" not in page.find(id="passes").find_next("ul").get_text()
    cal = Calendar.from_ical((project / "site" / HDC / "agenda/agenda.ics").read_bytes())
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert "Date limite\u00a0: Appel à venir" in summaries


def test_email_version(built_site: Path) -> None:
    html = (built_site / HDC / "lettres/14/email.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    # CSS inlined by css-inline; only the phone layout stays in a <style> block
    (style,) = soup.find_all("style")
    assert style.get_text().strip().startswith("@media")
    # the web copy is not indexed on its own: it points to the letter's page
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.find("link", rel="canonical")["href"] == f"{SITE_URL}{HDC}/lettres/14/"
    assert "background" in soup.select_one("td.header")["style"]
    container = soup.select_one("table.container")
    assert container["width"] == "100%" and "max-width: 600px" in container["style"]
    assert "<!--[if mso]><table" in html  # Outlook for Windows ignores max-width: 600 px there
    assert "border: 1px solid" in soup.select_one("td.content td")["style"]
    assert soup.select_one("td.content table")["width"] == "100%"
    for tag in soup.find_all(["a", "img"]):
        url = tag.get("href") or tag.get("src")
        assert url.startswith(("https://", "mailto:")), url
    assert (
        soup.find("a", string="Lire la version en ligne")["href"] == f"{SITE_URL}{HDC}/lettres/14/"
    )
    # no unsubscribe link on the web copy (it would lead nowhere), a sentence instead
    assert soup.find("a", string="Se désinscrire") is None
    assert "suivez le lien « Se désinscrire » du courriel reçu" in flat(soup.get_text())
    assert soup.find("a", string="S'abonner")["href"] == SUBSCRIBE
    text = flat((built_site / HDC / "lettres/14/email.txt").read_text(encoding="utf-8"))
    assert f"Version en ligne : {SITE_URL}{HDC}/lettres/14/" in text
    assert "ACTUALITÉ NATIONALE" in text and "<" not in text and "&#" not in text
    # a host serving .txt without a character set: the byte order mark tells the browser
    # UTF-8; without it (control: the copy for the mailing tool), windows-1252 garbles accents
    raw = (built_site / HDC / "lettres/14/email.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "ACTUALITÉ" in raw.decode("utf-8-sig")
    pasted = (built_site / HDC / "lettres/14/envoi.txt").read_bytes()
    assert not pasted.startswith(b"\xef\xbb\xbf") and "Ã©" in pasted.decode("cp1252", "replace")


SUBSCRIBE = "https://lettres.example.org/subscription/form"


def test_email_to_send_carries_the_tools_unsubscribe_tag(built_site: Path) -> None:
    soup = BeautifulSoup(
        (built_site / HDC / "lettres/14/envoi.html").read_text("utf-8"), "html.parser"
    )
    assert soup.find("a", string="Se désinscrire")["href"] == "{{ UnsubscribeURL }}"
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    text = flat((built_site / HDC / "lettres/14/envoi.txt").read_text(encoding="utf-8"))
    assert "Se désinscrire : {{ UnsubscribeURL }}" in text
    # a territory without a declared tool: no tag, no dead link, no placeholder
    for path in (built_site / GC / "lettres").rglob("envoi.*"):
        content = path.read_text(encoding="utf-8")
        assert "Se désinscrire" not in content and "[[" not in content, path


@pytest.mark.parametrize(
    ("diffusion", "tag"),
    [
        ({"outil": "Brevo"}, "{{ unsubscribe }}"),
        ({"outil": "mailchimp"}, "*|UNSUB|*"),
        ({"outil": "listmonk"}, "{{ UnsubscribeURL }}"),
        ({"outil": "autre", "balise_desinscription": "[unsubscribe]"}, "[unsubscribe]"),
    ],
)
def test_unsubscribe_tag_presets(diffusion: dict[str, str], tag: str) -> None:
    assert schema.Diffusion(**diffusion).unsubscribe_tag == tag


@pytest.mark.parametrize(
    ("diffusion", "message"),
    [
        ({"outil": "autre"}, "indiquez « balise_desinscription: »"),
        ({"outil": "brevo", "balise_desinscription": "[x]"}, "la balise de brevo est connue"),
        ({"balise_desinscription": "[x]"}, "ajoutez « outil: autre »"),
        ({"outil": "autre", "balise_desinscription": '"><script>'}, "String should match"),
        ({"outil": "sendgrid"}, "Input should be"),
        ({"outil": "autre", "balise_desinscription": "javascript:alert(1)"}, "« javascript: »"),
        # browsers drop a tab inside an address: still javascript:
        ({"outil": "autre", "balise_desinscription": "java\tscript:alert(1)"}, "String should"),
        ({"outil": "autre", "balise_desinscription": " javascript:alert(1)"}, "« javascript: »"),
        ({"outil": "brevo", "inscription": "https://x.fr/\x00"}, "ni espace"),
    ],
)
def test_unsubscribe_settings_refused(diffusion: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        schema.Diffusion(**diffusion)


def test_email_links_to_pages_resolve_like_the_web_page(built_site: Path) -> None:
    """A letter's Markdown link to a fiche action (…/index.md) is the action's page address in
    every version, never the source file."""
    action = f"{SITE_URL}{HDC}/plan-action/industrie-bas-carbone/"
    for name in ("email.html", "email.txt", "envoi.html", "envoi.txt"):
        content = (built_site / HDC / "lettres/15" / name).read_text(encoding="utf-8")
        assert action in content, name
        assert "index.md" not in content, name
    assert publishing.page_link("https://x.org/a/b.md#c") == "https://x.org/a/b/#c"
    assert publishing.page_link("https://x.org/a/README.md") == "https://x.org/a/"
    assert publishing.page_link("https://x.org/a/b.pdf") == "https://x.org/a/b.pdf"
    # a Markdown file on another site stays what it is (the web page keeps it too)
    absolutize = publishing._absolutize(f"{SITE_URL}{HDC}/lettres/15/", SITE_URL)
    assert absolutize("a", "href", "//autre.example/README.md") == "https://autre.example/README.md"
    assert absolutize("a", "href", "../14/index.md") == f"{SITE_URL}{HDC}/lettres/14/"
    # the text version keeps code as written (French spaces only in prose)
    text = publishing.html_to_text(french_html("<p><code>a ; b</code> c ; d</p>"))
    assert "a ; b" in text and "c\u202f; d" in text


@pytest.mark.lent
def test_drafts_never_reach_public_outputs(built_site: Path, project: Path) -> None:
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".ics", ".txt", ".csv"}:
            assert "Lettre en préparation" not in path.read_text(encoding="utf-8"), path
    assert not (built_site / HDC / "lettres/16").exists()
    preview = load_site(project, drafts=True).territory(HDC)
    assert preview is not None and preview.letter(16) is not None
    actions = project / "territoires" / HDC / "actions"
    draft_action = (
        (actions / "communication.md")
        .read_text("utf-8")
        .replace("\ntitre:", "\nbrouillon: true\ntitre:", 1)
    )
    (actions / "action-en-preparation.md").write_text(draft_action, "utf-8")
    # The documented preview option (make serve BROUILLONS=1) goes through the same settings.
    result = ti_inprocess("build", "--brouillons", cwd=project)
    assert result.returncode == 0, result.stderr
    site = project / "site" / HDC
    assert "Lettre en préparation" in (site / "lettres/16/index.html").read_text("utf-8")
    # a draft is marked « Brouillon » in words wherever the preview shows it
    mark = '<strong class="ti-badge ti-badge--brouillon">Brouillon</strong>'
    home = soup_of(site / "index.html")
    (latest,) = [p for p in home.find_all("p") if "Lettre n° 16" in flat(p.get_text())]
    assert mark in str(latest)
    letters = soup_of(site / "lettres/index.html").find_all("h3")
    assert [flat(h.get_text(" ", strip=True)) for h in letters if "Brouillon" in h.get_text()] == [
        "Lettre n° 16 : Lettre en préparation Brouillon"
    ]
    assert mark in (site / "lettres/16/index.html").read_text("utf-8")
    assert mark not in (site / "lettres/15/index.html").read_text("utf-8")  # published: none
    plan = soup_of(site / "plan-action/index.html").find_all("h4")
    assert [h.a["href"] for h in plan if "Brouillon" in h.get_text()] == ["action-en-preparation/"]
    assert mark in (site / "plan-action/action-en-preparation/index.html").read_text("utf-8")
    assert mark not in (site / "plan-action/communication/index.html").read_text("utf-8")
    # negative control: the public site has no mark at all (no draft in it)
    for path in built_site.rglob("*.html"):
        assert "ti-badge--brouillon" not in path.read_text(encoding="utf-8"), path
    # a draft's address is not a published one: urls-publiees.txt does not take it
    assert f"/{HDC}/lettres/16/" not in (project / "urls-publiees.txt").read_text()


def test_letter_errors(project: Path) -> None:
    folder = project / LETTRES
    (folder / "quinze.md").write_text("---\ntitre: x\n---\n", encoding="utf-8")
    (folder / "17.md").write_text(
        "---\ntitre: Avec image\ndate: 2023-02-30\nresume: r\nimage: images/absente.jpg\n"
        "evenements:\n  - titre: Réunion\n    date: demain\n---\n![plan](../secret.png)\n",
        encoding="utf-8",
    )
    (folder / "18.md").write_text(
        "---\ntitre: Sans texte alternatif\ndate: 2023-03-01\nresume: r\n"
        "image: images/couverture-bilan-relance.jpg\n---\nTexte\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        load_site(project)
    errors = [p.format() for p in info.value.errors]
    assert errors == [
        f"{LETTRES}/17.md:3: champ « date » : le 30 février 2023 n'existe pas (février 2023 n'a que 28 jours) : vérifiez le jour et le mois (reçu « 2023-02-30 »)",
        f"{LETTRES}/17.md:5: champ « image » : champ « image_alt » manquant : décrivez l'image de couverture en une phrase (texte lu aux personnes aveugles)",
        f"{LETTRES}/17.md:8: champ « evenements[1].date » : doit être une date (AAAA-MM-JJ) ou une date et une heure (AAAA-MM-JJTHH:MM) (reçu « demain »)",
        # the text is checked too, though the header is refused
        f"{LETTRES}/17.md:10: image « ../secret.png » hors du dossier lettres/",
        f"{LETTRES}/18.md:5: champ « image » : champ « image_alt » manquant : décrivez l'image de couverture en une phrase (texte lu aux personnes aveugles)",
        f"{LETTRES}/quinze.md: nom de fichier invalide : une lettre s'appelle par son numéro, par exemple « 14.md » (il devient l'adresse /lettres/14/)",
    ]
    (folder / "17.md").write_text(
        "---\ntitre: Avec image\ndate: 2023-02-03\nresume: r\nimage_alt: Plan\nimage: images/absente.jpg\n---\n"
        "![plan](images/faux.png)\n",
        encoding="utf-8",
    )
    (folder / "images/faux.png").write_text("pas une image", encoding="utf-8")
    (folder / "18.md").unlink()
    (folder / "quinze.md").unlink()
    with pytest.raises(ContentError) as info:
        load_site(project)
    assert [p.format() for p in info.value.errors] == [
        f"{LETTRES}/17.md:6: champ « image » : image introuvable : « images/absente.jpg » (placez le fichier dans le dossier lettres/ et vérifiez l'orthographe, majuscules comprises)",
        f"{LETTRES}/17.md:8: « images/faux.png » n'est pas une image lisible (JPEG, PNG, WebP ou GIF)",
    ]


def test_an_image_named_without_its_folder_is_given_with_it(project: Path) -> None:
    """A cover given by its file name alone (outside review: « placez le fichier dans le
    dossier lettres/ » while it was there, under images/): the message gives the path to
    write. Control: a name found nowhere keeps the general advice."""
    from tisite.content.errors import ContentError
    from tisite.content.loader import load_site

    folder = project / LETTRES
    header = "---\ntitre: Couverture\ndate: 2023-02-03\nresume: r\nimage_alt: Plan\n"
    (folder / "17.md").write_text(
        header + "image: couverture-bilan-relance.jpg\n---\n![a](bilan-relance.png)\n", "utf-8"
    )
    with pytest.raises(ContentError) as info:
        load_site(project)
    assert [p.format() for p in info.value.errors] == [
        f"{LETTRES}/17.md:6: champ « image » : image introuvable : « couverture-bilan-relance.jpg »"
        " : un fichier de ce nom est dans « images/couverture-bilan-relance.jpg » (chemin depuis"
        " le dossier lettres/) : écrivez ce chemin",
        f"{LETTRES}/17.md:8: image introuvable : « bilan-relance.png » (placez le fichier dans le "
        "dossier lettres/ et vérifiez l'orthographe, majuscules comprises)",
    ]


COVER = "images/couverture-bilan-relance.jpg"  # an image of the example, next to the letters
NO_ALT = "image sans texte de remplacement"


def _errors(root: Path) -> list[str]:
    try:
        load_site(root)
    except ContentError as exc:
        return [p.format() for p in exc.errors]
    return []


def _add(root: Path, rel: str, text: str) -> int:
    """Append ``text`` to the file ``rel``; the line where it starts."""
    path = root / rel
    before = path.read_text(encoding="utf-8") + "\n\nAvant.\n\n"
    path.write_text(before + text + "\n", encoding="utf-8")
    return len(before.splitlines()) + 1


# An image without a text alternative, in every kind of text: (file, text, field)
WITHOUT_ALT = {
    "lettre-markdown": (f"{LETTRES}/14.md", f"![]({COVER})", None),
    "lettre-html": (f"{LETTRES}/14.md", f'<img src="{COVER}">', None),
    "lettre-html-alt-vide": (f"{LETTRES}/14.md", f'<img src="{COVER}" alt=" ">', None),
    "lettre-attributs-seulement-sur-la-page": (
        f"{LETTRES}/14.md",
        f'![]({COVER}){{: role="presentation" }}',  # the email version has no attribute list
        None,
    ),
    "action": (f"territoires/{GC}/actions/diagnostic-attractivite.md", "![](x.png)", None),
    "docs": ("docs/contribuer/index.md", "![](images/editeur-lettre.png)", None),
}


@pytest.mark.parametrize("name", WITHOUT_ALT)
def test_an_image_without_a_text_alternative_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    rel, text, _ = WITHOUT_ALT[name]
    line = _add(project, rel, text)
    errors = _errors(project)
    refused = [e for e in errors if e.startswith(f"{rel}:{line}: {NO_ALT}")]
    assert len(refused) == 1, errors
    # the message says what to write, and how to mark a decorative image
    assert "![Description de l'image](" in refused[0] and 'alt="" role="presentation"' in refused[0]
    # negative control: without the check, the image is accepted as it is
    from tisite.content import remote

    monkeypatch.setattr(remote, "_without_alt", lambda ref: None)
    assert not [e for e in _errors(project) if NO_ALT in e]


def test_an_image_without_alt_in_a_yaml_markdown_field(project: Path) -> None:
    path = project / f"territoires/{GC}/priorites.yml"
    text = path.read_text(encoding="utf-8")
    old = "  Comme les autres territoires pilotes,"
    path.write_text(text.replace(old, "  ![](carte.png) " + old.strip()), encoding="utf-8")
    errors = _errors(project)
    where = f"territoires/{GC}/priorites.yml:2: champ « ambition » : "
    assert any(e.startswith(where + NO_ALT) for e in errors), errors
    assert any(
        e.startswith(where + "image « carte.png » : aucune image n'est publiée") for e in errors
    )


@pytest.mark.lent
def test_body_images_in_html_and_decorative_images_are_published(
    variant: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An <img> written in HTML is published like a Markdown image (it was left out, and
    showed broken); a decorative image is published with an empty alt."""
    project = variant  # _body_images
    site = load_site(project)
    letter = site.territory(HDC).letter(14)
    assert letter is not None
    assert letter.images == (COVER, "images/html.jpg", "images/filet.png")
    # negative control: images found without being recorded are not published
    from tisite.content import letters

    monkeypatch.setattr(letters, "_body_place", lambda folder, found, names: lambda url: None)
    assert load_site(project).territory(HDC).letter(14).images == (COVER,)  # type: ignore[union-attr]
    monkeypatch.undo()
    built = project / "site"
    page = soup_of(built / HDC / "lettres/14/index.html")
    assert page.find("img", src="images/html.jpg")["alt"] == "La même vue, en HTML"
    decorative = page.find("img", src="images/filet.png")
    assert decorative["alt"] == "" and decorative["role"] == "presentation"
    for name in ("html.jpg", "filet.png"):
        with Image.open(built / HDC / "lettres/14/images" / name) as img:
            assert img.size[0] > 0
    email = soup_of(built / HDC / "lettres/14/email.html")
    assert email.find("img", src=f"{SITE_URL}{HDC}/lettres/14/images/filet.png")["alt"] == ""


def test_an_image_named_for_another_type_is_refused(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JPEG named .png would be published as a PNG file holding a JPEG: refused, with the
    real type and the name to give it."""
    folder = project / LETTRES
    (folder / "images" / "photo.png").write_bytes((folder / COVER).read_bytes())
    line = _add(project, f"{LETTRES}/14.md", "![Une photo](images/photo.png)")
    expected = (
        f"{LETTRES}/14.md:{line}: le fichier « images/photo.png » est en réalité une image "
        "JPEG : renommez-le « images/photo.jpg »"
    )
    assert any(e.startswith(expected) for e in _errors(project)), _errors(project)
    # negative control: without the check, the file named .png is published as a JPEG
    from tisite.content import images

    monkeypatch.setattr(images, "misnamed", lambda name, fmt: None)
    assert _errors(project) == []
    assert images.clean((folder / "images" / "photo.png").read_bytes())[:3] == b"\xff\xd8\xff"


def test_a_phone_photo_with_a_second_picture_is_a_jpeg(project: Path) -> None:
    """Pillow reads a JPEG followed by another picture (MPO: depth map, second view) as its
    own format: it is a JPEG to browsers, accepted under .jpg and published as a plain JPEG."""
    from tisite.content import images

    out = io.BytesIO()
    first, second = (Image.new("RGB", (30, 20), c) for c in ((200, 0, 0), (0, 0, 200)))
    first.save(out, "MPO", save_all=True, append_images=[second])
    folder = project / LETTRES / "images"
    (folder / "portrait.jpg").write_bytes(out.getvalue())
    with Image.open(folder / "portrait.jpg") as img:
        assert img.format == "MPO"  # the case this test is about
    _add(project, f"{LETTRES}/14.md", "![Un portrait](images/portrait.jpg)")
    assert _errors(project) == []
    with Image.open(io.BytesIO(images.clean(out.getvalue()))) as img:
        assert img.format == "JPEG" and getattr(img, "n_frames", 1) == 1
    # named .png, it is refused as the JPEG it is
    (folder / "portrait.jpg").rename(folder / "portrait.png")
    _add(project, f"{LETTRES}/14.md", "![Un portrait](images/portrait.png)")
    assert any("est en réalité une image JPEG" in e for e in _errors(project))


def test_new_letter_scaffold(project: Path) -> None:
    result = ti_inprocess("nouvelle-lettre", HDC, "--date", "2023-02-14", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (
        f"Lettre créée : {LETTRES}/17.md (brouillon, n°\u00a017" in result.stdout
    )  # 16 is a draft
    created = (project / LETTRES / "17.md").read_text(encoding="utf-8")
    assert "date: 2023-02-14" in created and "## Boîte à outils" in created
    site = load_site(project, drafts=True).territory(HDC)
    assert site is not None and site.letter(17) is not None  # valid as generated
    assert load_site(project).territory(HDC).letter(17) is None  # but a draft
    bad = ti_inprocess("nouvelle-lettre", "inconnu", cwd=project)
    assert bad.returncode == 1 and "Territoire « inconnu » introuvable" in bad.stderr


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2026-02-31", "le 31 février 2026 n'existe pas (février 2026 n'a que 28 jours)"),
        ("31/03/2026", "doit être une date au format AAAA-MM-JJ (reçu « 31/03/2026 ») : écrivez "
         "2026-03-31"),
    ],
)  # fmt: skip
def test_new_letter_with_a_wrong_date_says_why_and_writes_nothing(
    date: str, message: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tisite.cli.commands import main

    before = sorted((project / LETTRES).iterdir())
    assert main(["--racine", str(project), "nouvelle-lettre", HDC, "--date", date]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lettre non créée : --date : ") and message in err, err
    assert sorted((project / LETTRES).iterdir()) == before


def test_feed_discovery_does_not_trigger_the_themes_sitemap_fetch(built_site: Path) -> None:
    """Feed readers find the feeds (rel tokens « alternate feed »); Material's script fetches a
    sitemap.xml beside every link whose rel is exactly « alternate » (its language versions): a
    404 beside a feed, the whole national sitemap on the home page. None is left."""
    for path in (built_site / "index.html", built_site / HDC / "lettres/14/index.html"):
        soup = soup_of(path)
        feeds = soup.find_all("link", type="application/rss+xml")
        assert feeds and all(f["rel"] == ["alternate", "feed"] for f in feeds), path
        assert not [link for link in soup.find_all("link") if link.get("rel") == ["alternate"]]


LETTER_16 = """---
titre: Une lettre complète
date: 2023-03-01
resume: Tout ce qu'une lettre peut contenir.
image: images/couverture-bilan-relance.jpg
image_alt: Illustration « industrie » en bleu.
appels_a_projets:
  - titre: Appel daté
    operateur: ADEME
    date_limite: 2023-04-15
    lien: https://example.org/appel
evenements:
  - titre: Matinale
    date: 2023-03-05T08:30
  - titre: Salon
    date: 2023-03-07
    fin: 2023-03-09
---
## Les chiffres

![Carte du territoire](images/couverture-bilan-relance.jpg)

Voir [plus bas](#les-chiffres) et [la section suivante](#suite).

## Suite

Fin.
"""


@pytest.mark.lent
def test_letter_page_html(variant: Path) -> None:
    """A letter's page: cover and body images keep their alt text and resolve to the published
    file; dates in <time datetime>; the body's headings and links to them namespaced « uc- »,
    and checked as published."""
    assert (variant / LETTRES / "16.md").read_text(encoding="utf-8") == LETTER_16
    site = variant / "site"
    page_dir = site / HDC / "lettres/16"
    page = soup_of(page_dir / "index.html")
    article = page.select_one("article")
    images = [(i["src"], i["alt"]) for i in article.select("img")]
    assert images == [
        ("images/couverture-bilan-relance.jpg", "Illustration « industrie » en bleu."),
        ("images/couverture-bilan-relance.jpg", "Carte du territoire"),
    ]
    assert (page_dir / "images/couverture-bilan-relance.jpg").is_file()
    times = {t["datetime"]: flat(t.get_text()) for t in article.select("time")}
    assert times == {
        "2023-03-01": "1er mars 2023",
        "2023-04-15": "15 avril 2023",
        "2023-03-05T08:30": "5 mars 2023 à 8 h 30",
        "2023-03-07": "7 mars 2023",
        "2023-03-09": "9 mars 2023",
    }
    salon = next(li for li in article.select("li") if "Salon" in li.get_text())
    assert flat(salon.get_text()).startswith("du 7 mars 2023 au 9 mars 2023 : Salon")
    called = article.find("a", href="https://example.org/appel")
    assert called is not None and called.get_text() == "Appel daté"
    assert article.find(id="uc-les-chiffres") and article.find(id="uc-suite")
    hrefs = [a["href"] for a in article.select("p a") if a["href"].startswith("#")]
    assert hrefs == ["#uc-les-chiffres", "#uc-suite"]


@pytest.mark.lent
def test_letter_links_are_checked_as_published(
    project: Path, variant: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The link check follows the body's links to its headings as the sanitiser renamed them
    (« #x » → « #uc-x »): they pass, a link to nothing is an error; control: without the
    renaming, the letter's own valid links fail."""
    from tisite.content.errors import ContentError
    from tisite.generate import render

    folder = project / LETTRES
    (folder / "16.md").write_text(LETTER_16.replace("(#suite)", "(#absente)"), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        build_site(project)
    assert f"{LETTRES}/16.md:23: lien vers « #absente » : aucune section" in str(refused.value)
    assert "1 erreur à la construction" in str(refused.value)
    (folder / "16.md").write_text(LETTER_16, encoding="utf-8")
    real = render.sanitize
    monkeypatch.setattr(
        render, "sanitize", lambda *a, **k: dataclasses.replace(real(*a, **k), renamed={})
    )
    with pytest.raises(ContentError) as control:
        build_site(project)
    assert "lien vers « #les-chiffres »" in str(control.value)
    monkeypatch.undo()
    # with the renaming, the letter's valid links pass: the same letter 16 in the built variant
    assert (variant / LETTRES / "16.md").read_text(encoding="utf-8") == LETTER_16
    assert (variant / "site" / HDC / "lettres/16/index.html").is_file()


TOOL_LETTER = """---
titre: "Modèle {{ à compléter }}"
date: 2023-03-01
resume: "Bonjour {{ .Subscriber.Email }} *|EMAIL|*"
evenements:
  - titre: "Atelier {% if x %}"
    date: 2023-03-05
---
Corps {{ Safe "\\x3cimg src=x onerror=alert(1)\\x3e" }} et {{{ triple }}}.

Commentaire {# caché #} et [un lien](https://example.org/?a={{b}}), Mailjet [[var:prenom]].

![<style>](images/couverture-bilan-relance.jpg) Caché {{ .Subscriber.Email }} ?
![</style>](images/couverture-bilan-relance.jpg)
"""


@pytest.mark.lent
def test_mailing_tool_commands_in_a_letter_stay_text_in_the_emails_to_send(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """« {{ … }} », « {% … %} », « {# … #} » and « *|…|* » written in a letter are commands to
    listmonk, Brevo or Mailchimp once pasted there (outside review: listmonk's ``Safe`` wrote
    back a script the sanitiser had removed; « {{ à compléter }} » stopped the campaign). In
    envoi.html and envoi.txt they are shown the same and read by no tool: a template engine of
    the same syntax (Jinja) finds the tool's unsubscribe tag and nothing else. Control: without
    tool_inert, it cannot even read the documents."""
    import jinja2
    from jinja2 import nodes

    def commands(document: str) -> list[str]:
        tree = jinja2.Environment().parse(document)
        found = [
            type(n).__name__ for n in tree.find_all(nodes.Stmt) if not isinstance(n, nodes.Output)
        ]
        found += [
            getattr(n, "name", type(n).__name__)
            for output in tree.find_all(nodes.Output)
            for n in output.nodes
            if not isinstance(n, nodes.TemplateData)
        ]
        return found

    project = copy_project(tmp_path / "projet")
    (project / LETTRES / "16.md").write_text(TOOL_LETTER, encoding="utf-8")
    site = build_site(project)
    folder = site / HDC / "lettres/16"
    sent = (folder / "envoi.html").read_text("utf-8")
    text = (folder / "envoi.txt").read_text("utf-8")
    for document in (sent, text):
        assert commands(document) == ["UnsubscribeURL"]
        assert "*|" not in document and "[[" not in document
    # an image's text « <style> » (written as it is in the attribute) hides nothing from the rule
    assert "{{ .Subscriber" not in sent
    # the one style sheet is ours and the same as the web copy's
    web = (folder / "email.html").read_text("utf-8")
    assert BeautifulSoup(sent, "html.parser").style == BeautifulSoup(web, "html.parser").style
    # the same links (a web address in the text version is percent-encoded, not cut)
    links = [a["href"] for a in BeautifulSoup(sent, "html.parser").find_all("a", href=True)]
    assert "https://example.org/?a={{b}}" in links
    assert "(https://example.org/?a=%7B{b}})" in text
    shown = flat(BeautifulSoup(sent, "html.parser").get_text())
    for value in ("Modèle {{ à compléter }}", '{{ Safe "', "{{{ triple }}}", "*|EMAIL|*"):
        assert value in shown
        assert value in flat(text.replace("\u200b", ""))
    assert "onerror" not in BeautifulSoup(sent, "html.parser").decode().replace(
        '{{ Safe "\\x3cimg src=x onerror=alert(1)\\x3e" }}', ""
    )
    # the web copies are read by no tool: left as written
    assert "{{ Safe" in (folder / "email.html").read_text("utf-8")
    # Control: without the rule, a template engine reads the letter's commands
    site_model = load_site(project)
    territory = next(t for t in site_model.territories if t.slug == HDC)
    letter = next(x for x in territory.letters if x.numero == 16)

    def to_send() -> tuple[str, str]:
        documents = publishing._render_email(territory, letter, site_model.settings, SITE_URL)
        return documents[2], documents[3]  # envoi.html, envoi.txt

    assert [commands(d) for d in to_send()] == [["UnsubscribeURL"]] * 2
    switch_off(monkeypatch, "publish.publishing", "tool_inert", lambda document, html: document)
    for document in to_send():  # « {{ à compléter }} »: the campaign cannot be compiled
        with pytest.raises(jinja2.TemplateSyntaxError):
            commands(document)


@pytest.mark.parametrize(
    ("start", "end", "text", "html"),
    [
        (
            dt.datetime(2026, 6, 12, 9),
            dt.datetime(2026, 6, 12, 17),
            "12 juin 2026 de 9 h 00 à 17 h 00",
            '<time datetime="2026-06-12T09:00">12 juin 2026 de 9 h 00</time> à '
            '<time datetime="2026-06-12T17:00">17 h 00</time>',
        ),
        (
            dt.datetime(2026, 6, 10, 9),
            dt.datetime(2026, 6, 11, 17),
            "du 10 juin 2026 à 9 h 00 au 11 juin 2026 à 17 h 00",
            'du <time datetime="2026-06-10T09:00">10 juin 2026 à 9 h 00</time> au '
            '<time datetime="2026-06-11T17:00">11 juin 2026 à 17 h 00</time>',
        ),
        (
            dt.date(2026, 6, 10),
            dt.datetime(2026, 6, 10, 17),
            "10 juin 2026 jusqu'à 17 h 00",
            '<time datetime="2026-06-10">10 juin 2026</time> jusqu\'à '
            '<time datetime="2026-06-10T17:00">17 h 00</time>',
        ),
        (
            dt.date(2026, 6, 10),
            dt.date(2026, 6, 12),
            "du 10 juin 2026 au 12 juin 2026",
            'du <time datetime="2026-06-10">10 juin 2026</time> au '
            '<time datetime="2026-06-12">12 juin 2026</time>',
        ),
        (
            dt.datetime(2026, 6, 10, 9),
            dt.date(2026, 6, 10),
            "10 juin 2026 à 9 h 00",
            '<time datetime="2026-06-10T09:00">10 juin 2026 à 9 h 00</time>',
        ),
        (  # ends as it starts: « de 9 h 00 à 9 h 00 » says nothing more
            dt.datetime(2026, 6, 21, 9),
            dt.datetime(2026, 6, 21, 9),
            "21 juin 2026 à 9 h 00",
            '<time datetime="2026-06-21T09:00">21 juin 2026 à 9 h 00</time>',
        ),
    ],
)
def test_an_events_end_is_said_with_its_hour(
    start: dt.date, end: dt.date, text: str, html: str
) -> None:
    """The end of an event is never lost (outside review: « 12 juin 2026 à 9 h 00 » for a day
    until 17 h, « au 11 juin » without its hour), on pages (<time> per moment) and emails."""
    from tisite.generate.textutil import when, when_html

    assert when(start, end) == text
    assert str(when_html(start, end)) == html


LINE_BREAK_LETTER = """---
titre: "Titre\\r\\nVersion en ligne : https://evil.example/phish"
date: 2023-03-01
resume: Un résumé.
appels_a_projets:
  - titre: "AAP\\n- Faux item https://evil.example/aap"
    description: Pour les projets collectifs de plusieurs entreprises.
evenements:
  - titre: Atelier
    date: 2026-06-12T09:00
    fin: 2026-06-12T17:00
    lieu: "Salle\\u2028https://evil.example/lieu"
    description: Inscription auprès du chef de projet.
---
Corps.
"""


def test_the_text_email_keeps_one_line_values_on_one_line_and_says_every_description(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A line break in a title or a place is a space in the text version, as in the HTML one
    (outside review: a second « Version en ligne : » line to another site, a false list entry);
    descriptions of calls for projects and events are in it too. Control: the values printed
    as they are, and the false lines are there."""
    project = copy_project(tmp_path / "projet")
    (project / LETTRES / "16.md").write_text(LINE_BREAK_LETTER, encoding="utf-8")

    def text_versions() -> list[str]:
        site_model = load_site(project)
        territory = next(t for t in site_model.territories if t.slug == HDC)
        letter = next(x for x in territory.letters if x.numero == 16)
        publishing._email_env.cache_clear()  # made again with the function of the moment
        documents = publishing._render_email(territory, letter, site_model.settings, SITE_URL)
        return [flat(documents[1]), flat(documents[3])]  # email.txt, envoi.txt

    for text in text_versions():
        lines = text.splitlines()
        assert [x for x in lines if x.startswith("Version en ligne")] == [
            f"Version en ligne : {SITE_URL}{HDC}/lettres/16/"
        ]
        assert not [x for x in lines if x.startswith(("- Faux", "https://evil"))]
        assert "12 juin 2026 de 9 h 00 à 17 h 00 : Atelier — Salle https://evil" in text
        assert "Pour les projets collectifs de plusieurs entreprises." in text
        assert "Inscription auprès du chef de projet." in text
    # Control: values read and printed as they are (the schema makes a one-line field one
    # line; the email's text version does it again, for any value it is given)
    monkeypatch.setattr(publishing, "_one_line_text", lambda value: value)
    assert len([x for x in text_versions()[0].splitlines() if x.startswith("Version")]) == 1
    monkeypatch.setattr(schema, "_LINE_BREAKS", re.compile("(?!)"))
    unguarded = text_versions()[0].splitlines()
    monkeypatch.undo()
    publishing._email_env.cache_clear()  # no other test gets the control's templates
    assert len([x for x in unguarded if x.startswith("Version en ligne")]) == 2
    assert [x for x in unguarded if x.startswith("- Faux item")]


@pytest.mark.lent
def test_a_letter_dated_later_never_dates_a_page_after_the_build(tmp_path: Path) -> None:
    """A letter or a progress entry dated after the build day (outside review: « 2099 » in the
    sitemap's <lastmod> of the home page and 21 others): the pages that show it have changed
    on the build day at the latest, in the sitemap and in their sharing tags."""
    project = copy_project(tmp_path / "projet")
    (project / LETTRES / "16.md").write_text(
        LETTER_16.replace("date: 2023-03-01", "date: 2099-01-01", 1), encoding="utf-8"
    )
    site = build_site(project)
    today = clock.today().isoformat()
    days = re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text("utf-8"))
    assert days and max(d[:10] for d in days) <= today
    # a letter dated later is published on its day (scheduled), not before
    assert not (site / HDC / "lettres/16").exists()
    assert (site / HDC / "lettres/15/index.html").is_file()  # control


def test_an_image_cut_short_is_named_by_check_and_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An image whose header is whole but whose pixels stop half way (a download cut short):
    the loader reads headers only, the build decodes it and names the letter and the image
    (outside review: « La construction a échoué : erreur système. », nothing else). Control:
    without the naming, the same build says only that."""
    from tisite.content import images

    folder = project / LETTRES
    raw = (folder / COVER).read_bytes()
    (folder / "images" / "coupee.jpg").write_bytes(raw[: len(raw) // 2])
    _add(project, f"{LETTRES}/14.md", "![Une photo coupée](images/coupee.jpg)")
    assert _errors(project) == []  # its header is whole
    expected = f"{LETTRES}/14.md: l'image « coupee.jpg » ne se lit pas jusqu'au bout"
    for command in ("check", "build"):
        result = ti_inprocess(command, cwd=project)
        said = result.stdout + result.stderr
        assert result.returncode == 1, said
        assert expected in said and "erreur système" not in said, said
    original = images.published
    switch_off(
        monkeypatch,
        "content.images",
        "published",
        lambda path, cache, source: images.clean(path.read_bytes()),
    )
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 1 and expected not in result.stdout + result.stderr
    assert original is not images.published


def test_an_image_with_a_broken_checksum_is_refused_by_check_without_a_traceback(
    tmp_path: Path,
) -> None:
    """A PNG whose pixel block fails its checksum makes Pillow raise SyntaxError, not OSError
    (outside review: a Python traceback from `ti check`): refused like any unreadable image."""
    from tisite.content import images

    picture = io.BytesIO()
    Image.new("RGB", (400, 300), (0, 0, 145)).save(picture, "PNG")
    data = bytearray(picture.getvalue())
    start = data.index(b"IDAT") + 4
    data[start : start + 40] = bytes(b ^ 0xFF for b in data[start : start + 40])
    path = tmp_path / "abime.png"
    path.write_bytes(bytes(data))
    with pytest.raises(SyntaxError), Image.open(path) as img:  # what Pillow says about it
        img.verify()
    assert (
        images.problem(path) == "« abime.png » n'est pas une image lisible (JPEG, PNG, WebP ou GIF)"
    )


def test_the_tools_tag_put_back_into_the_email_is_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tool's unsubscribe tag goes into envoi.html after the rest is made inert for the tool
    (tool_inert), by replacing a placeholder: escaped there as Jinja's autoescape escaped it
    before. A hostile tag (the schema refuses quotes and « < »; here it is forced past it)
    stays the link's address. Control: put back as it is, it opens an attribute of its own."""
    hostile = 'x" onmouseover="alert(1)'
    site_model = load_site(copy_project(tmp_path / "projet"))
    territory = next(t for t in site_model.territories if t.slug == HDC)
    letter = next(x for x in territory.letters if x.numero == 14)
    diffusion = territory.info.diffusion
    assert diffusion is not None
    monkeypatch.setattr(type(diffusion), "unsubscribe_tag", property(lambda self: hostile))

    def sent() -> BeautifulSoup:
        documents = publishing._render_email(territory, letter, site_model.settings, SITE_URL)
        return BeautifulSoup(documents[2], "html.parser")

    link = sent().find("a", string="Se désinscrire")
    assert link["href"] == hostile and "onmouseover" not in link.attrs
    monkeypatch.setattr(publishing, "escape", lambda value: value)
    link = sent().find("a", string="Se désinscrire")
    assert "onmouseover" in link.attrs


def test_image_paths_as_windows_and_file_names_with_spaces(project: Path) -> None:
    """« images\\couverture.jpg » (a Windows path) gave pages and emails an address with a
    backslash: refused with the path to write. An image named with a space is published at an
    address with « %20 » (a raw space is not allowed in an address), on the page and in the
    email. Control: the backslash path names a file that exists (the check found it before)."""
    import shutil

    from bs4 import BeautifulSoup

    from conftest import build_site, ti_inprocess

    folder = project / f"territoires/{HDC}/lettres"
    assert (folder / "images/couverture-bilan-relance.jpg").is_file()
    letter = folder / "14.md"
    text = letter.read_text("utf-8")
    letter.write_text(text.replace("image: images/", "image: images\\", 1), "utf-8")
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert result.returncode == 1
    assert (
        "lettres/14.md:8: champ « image » : chemin d'image « images\\couverture-bilan-relance.jpg » "
        "écrit avec « \\ » : séparez les dossiers par « / » "
        "(« images/couverture-bilan-relance.jpg »)"
    ) in result.stderr, result.stderr
    shutil.copy(folder / "images/couverture-bilan-relance.jpg", folder / "images/photo usine.jpg")
    letter.write_text(text + "\n![Une usine vue du canal](images/photo usine.jpg)\n", "utf-8")
    site = build_site(project)
    for name, expected in (("index.html", "images/photo%20usine.jpg"), ("email.html", "%20")):
        page = BeautifulSoup((site / HDC / "lettres/14" / name).read_text("utf-8"), "html.parser")
        image = page.find("img", alt="Une usine vue du canal")
        assert image is not None and expected in image["src"] and " " not in image["src"], name
    assert (site / HDC / "lettres/14/images/photo usine.jpg").is_file()
    # the cover too (the third outside review: it kept its raw space)
    letter.write_text(
        text.replace(
            "image: images/couverture-bilan-relance.jpg", "image: images/photo usine.jpg", 1
        ),
        "utf-8",
    )
    site = build_site(project)
    for name in ("index.html", "email.html"):
        page = BeautifulSoup((site / HDC / "lettres/14" / name).read_text("utf-8"), "html.parser")
        covers = [i["src"] for i in page.find_all("img") if "photo" in i["src"]]
        assert covers and all("photo%20usine.jpg" in c and " " not in c for c in covers), name


def test_the_cover_keeps_its_place_before_it_loads(built_site: Path, tmp_path: Path) -> None:
    """The cover image carries the width and height it is published with: the browser keeps
    its place, the text below does not jump when it arrives (a layout shift of 0.09 on a phone
    before). A photo taken upright (EXIF orientation 6) is published turned: its size too.
    Control: the header's own size, without the orientation, is the other way round."""
    import io

    from bs4 import BeautifulSoup
    from PIL import Image

    from tisite.content.images import MAX_SIDE, shown_size

    folder = built_site / HDC / "lettres/14"
    page = BeautifulSoup((folder / "index.html").read_text("utf-8"), "html.parser")
    cover = page.select_one("figure.ti-cover img")
    assert cover is not None
    with Image.open(folder / cover["src"]) as published:
        assert (int(cover["width"]), int(cover["height"])) == published.size
    photo = Image.new("RGB", (4000, 3000), "white")
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    photo.save(out, "JPEG", exif=exif)
    path = tmp_path / "photo.jpg"
    path.write_bytes(out.getvalue())
    assert shown_size(path) == (MAX_SIDE * 3 // 4, MAX_SIDE)
    with Image.open(path) as header:
        assert header.size == (4000, 3000)


def test_a_link_to_a_draft_says_it_is_a_draft(project: Path) -> None:
    """A letter links to letter 16, a draft: the page exists only once it is published; the
    message says so (it said « n'existe pas » of a file that is there). Control: a link to a
    letter with no file at all keeps the message of a missing page."""
    from conftest import ti_inprocess

    letter = project / f"territoires/{HDC}/lettres/15.md"
    text = letter.read_text("utf-8")
    letter.write_text(text + "\nVoir [la prochaine lettre](../16/index.md).\n", "utf-8")
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    assert (
        "lettres/15.md:" in result.stderr
        and "lien vers « ../16/index.md » : la page visée (hainaut-douaisis-cambresis/lettres/16/"
        "index.md) n'est pas publiée, son fichier est un brouillon"
        in result.stderr
    ), result.stderr
    letter.write_text(text + "\nVoir [une lettre](../19/index.md).\n", "utf-8")
    result = ti_inprocess("check", cwd=project)
    assert "la page ou le fichier visé n'existe pas" in result.stderr
    assert "brouillon" not in result.stderr


FORUM = (
    "  - titre: Forum de l'industrie\n    date: 2027-01-15T09:30\n    fin: 2027-01-15T17:00\n"
    "    lieu: Douai\n"
)
SESSIONS = (
    "  - titre: Atelier cobotique\n    date: 2027-01-20T09:00\n    fin: 2027-01-20T12:00\n"
    "  - titre: Atelier cobotique\n    date: 2027-01-20T14:00\n    fin: 2027-01-20T17:00\n"
)


def test_an_event_announced_again_is_listed_once_and_two_sessions_are_two_events(
    project: Path,
) -> None:
    """The forum in letter 14 and again in letter 15 (a reminder) is one event of the agenda
    and its calendar, from letter 14; two sessions of a workshop the same day (the same title)
    are two events, each with its calendar identifier (calendars keep one event per
    identifier), which stays when another session comes, goes or is written again in
    agenda.yml (said: it is in a letter already); two rooms at the same hour are two events.
    Control: the two sessions have the same day and title, all the former identifier had."""
    for number, extra in (("14", FORUM + SESSIONS), ("15", FORUM)):
        path = project / LETTRES / f"{number}.md"
        head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        path.write_text(f"{head}\nevenements:\n{extra}---\n{body}", encoding="utf-8")

    def agenda() -> list[AgendaEntry]:
        return list(next(t for t in load_site(project).local if t.slug == HDC).agenda)

    forum = [e for e in agenda() if e.titre == "Forum de l'industrie"]
    assert [e.letter for e in forum] == [14]
    sessions = [e for e in agenda() if e.titre == "Atelier cobotique"]
    assert [e.start.hour for e in sessions] == [9, 14]  # type: ignore[union-attr]
    uids = [e.uid for e in sessions]
    assert len(set(uids)) == 2 and "T0900" in uids[0] and "T1400" in uids[1]
    assert (sessions[0].day, sessions[0].titre) == (sessions[1].day, sessions[1].titre)  # control
    again = project / f"territoires/{HDC}/agenda.yml"
    again.write_text(
        again.read_text(encoding="utf-8")
        + SESSIONS.split("  - titre", 2)[1].join(["  - titre", ""]),
        encoding="utf-8",
    )
    assert [e.uid for e in agenda() if e.titre == "Atelier cobotique"] == uids
    said = ti_inprocess("check", cwd=project).stderr
    assert "« Atelier cobotique » est déjà annoncé dans la lettre n°\u00a014" in said
    rooms = SESSIONS.replace("T14:00", "T09:00").replace("T17:00", "T12:00")
    rooms = rooms.replace(
        "    fin: 2027-01-20T12:00\n", "    fin: 2027-01-20T12:00\n    lieu: Salle B\n", 1
    )
    path = project / LETTRES / "14.md"
    path.write_text(path.read_text(encoding="utf-8").replace(SESSIONS, rooms), encoding="utf-8")
    both = [e for e in agenda() if e.titre == "Atelier cobotique"]
    assert len(both) == 2 and len({e.uid for e in both}) == 2
    stamp = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
    territory = next(t for t in load_site(project).local if t.slug == HDC)
    cal = Calendar.from_ical(publishing._agenda_ics(territory, "https://x.org/", stamp))
    events = cal.walk("VEVENT")
    assert len({str(e["uid"]) for e in events}) == len(events)
    summaries = [str(e["summary"]) for e in events]
    assert summaries.count("Forum de l'industrie") == 1
    assert summaries.count("Atelier cobotique") == 2


def test_a_link_from_the_sites_root_leads_there_on_a_site_under_a_path(project: Path) -> None:
    """« /t/priorites/ », as a visitor reads it in the address bar: on a site published under
    a path of its host (« https://collectif.gitlab.io/ti-hdc/ »), the page and every email
    version lead to that page of the site, not to the host's; an address of no page is an
    error of the check. Control: the host's root is where the address leads as written."""
    config = project / "mkdocs.yml"
    site = "https://collectif.gitlab.io/ti-hdc/"
    config.write_text(
        re.sub(r"(?m)^site_url: .*$", f"site_url: {site}", config.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    _add(
        project, f"{LETTRES}/15.md", f"Voir [nos priorités](/{HDC}/priorites/#industrie-du-futur)."
    )
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stderr
    page = soup_of(project / "site" / HDC / "lettres/15/index.html")
    assert page.find("a", string="nos priorités")["href"] == "../../priorites/#industrie-du-futur"
    wanted = f"{site}{HDC}/priorites/#industrie-du-futur"
    for name in ("email.html", "email.txt", "envoi.html", "envoi.txt"):
        assert wanted in (project / "site" / HDC / "lettres/15" / name).read_text("utf-8"), name
    from urllib.parse import urljoin

    assert urljoin(f"{site}{HDC}/lettres/15/", f"/{HDC}/priorites/") != wanted  # control
    _add(project, f"{LETTRES}/15.md", f"Et [la page](/{HDC}/gouvernance/index.md).")
    # the engine's own files are files of the site too (the sitemap was « no such file »)
    _add(project, f"{LETTRES}/15.md", f"Et [le plan du site]({site}sitemap.xml).")
    assert ti_inprocess("build", cwd=project).returncode == 0  # a page's file: its address
    page = soup_of(project / "site" / HDC / "lettres/15/index.html")
    assert page.find("a", string="la page")["href"] == "../../gouvernance/"
    _add(project, f"{LETTRES}/15.md", "Et [rien](/nulle-part/).")
    _add(project, f"{LETTRES}/15.md", f"Et [complète]({site}{HDC}/plan-action/inconnue/).")
    _add(project, f"{LETTRES}/15.md", f"Et [sans barre](/{HDC}/agenda).")
    _add(project, f"{LETTRES}/15.md", f"Et [brouillon](/{HDC}/lettres/16/).")
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "lien « /nulle-part/ » : aucune page ni aucun fichier du site à cette adresse" in said
    # the site's own full address is checked too (a typo in it was published)
    assert (
        f"lien « {site}{HDC}/plan-action/inconnue/ » : aucune page ni aucun fichier du site"
    ) in said
    assert f"l'adresse de la page finit par « / » : écrivez « /{HDC}/agenda/ »" in said
    assert f"lien vers « /{HDC}/lettres/16/ » : la page visée" in said
    assert "est un brouillon" in said


def test_images_of_a_letters_body_carry_their_width_in_the_email(project: Path) -> None:
    """Outlook for Windows reads no CSS width on an image: each body image of the email
    versions says its width, the column's (552 px) at most, its own when smaller. Control:
    the body as converted has none."""
    folder = project / LETTRES
    Image.new("RGB", (2400, 1200), (0, 90, 160)).save(folder / "images" / "large.jpg")
    Image.new("RGB", (120, 40), (200, 30, 30)).save(folder / "images" / "petit.png")
    _add(project, f"{LETTRES}/14.md", "![Une grande vue](images/large.jpg)")
    _add(project, f"{LETTRES}/14.md", '<img src="images/petit.png" alt="Un logo">')
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stderr
    for name in ("email.html", "envoi.html"):
        page = soup_of(project / "site" / HDC / "lettres/14" / name)
        widths = {img["alt"]: img.get("width") for img in page.select("img")}
        assert widths["Une grande vue"] == "552" and widths["Un logo"] == "120", widths
    site = load_site(project)
    letter = next(x for t in site.local for x in t.letters if x.numero == 14)
    base = f"{SITE_URL}{HDC}/lettres/14/"
    body = publishing._body_html(letter.body, base, SITE_URL)
    assert "Un logo" in body and not re.search(r"<img[^>]* width=", body)  # control


def test_a_letter_with_a_refused_header_has_its_text_checked_too(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A letter without its summary, with a missing image and an image without text
    alternative in its text: the three are said at once (the text's were said only once the
    header was right). Control: without the text's checks on a refused header, one."""
    from tisite.content import validation

    path = project / LETTRES / "15.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^resume: >-\n(  .*?\n)+", "", text, count=1)
    path.write_text(text + "\n![Vue](images/absente.jpg)\n\n![](" + COVER + ")\n", "utf-8")
    said = ti_inprocess("check", cwd=project)
    assert said.returncode == 1
    lines = [x for x in said.stderr.splitlines() if x.startswith(f"{LETTRES}/15.md:")]
    assert any("« resume » : champ obligatoire manquant" in x for x in lines), lines
    assert any("image introuvable : « images/absente.jpg »" in x for x in lines), lines
    assert any("texte de remplacement" in x for x in lines), lines
    original = validation.read_published

    def header_only(*args, **kwargs):  # type: ignore[no-untyped-def]
        return original(*args[:6])

    monkeypatch.setattr("tisite.content.letters.read_published", header_only)
    said = ti_inprocess("check", cwd=project)
    lines = [x for x in said.stderr.splitlines() if x.startswith(f"{LETTRES}/15.md:")]
    assert len(lines) == 1 and "« resume »" in lines[0], lines


def test_a_title_repeating_the_number_and_markdown_in_the_summary_are_warned(
    project: Path,
) -> None:
    """« titre: Lettre n° 15 : … » was published « Lettre n° 15 : Lettre n° 15 : … » in the feeds;
    « **forum** » in the summary showed its stars on the pages, feeds and emails. Both are
    said, with the fix. Control: a title naming another letter and a plain summary are not."""
    path = project / LETTRES / "15.md"
    text = path.read_text(encoding="utf-8")
    title = "titre: Décarbonation de l'industrie, les dispositifs à connaître"
    text = text.replace(title, 'titre: "Lettre n° 15 : ' + title.removeprefix("titre: ") + '"')
    text = text.replace(
        "resume: >-\n", "resume: >-\n  Le **forum** ; voir [le site](https://a.fr).\n", 1
    )
    path.write_text(text, encoding="utf-8")
    output = ti_inprocess("check", cwd=project).stderr
    assert (
        "champ « titre » : le titre commence par « Lettre n° 15 : » : le site l'écrit déjà devant"
    ) in output
    assert "écrivez seulement « Décarbonation de l'industrie" in output
    assert "champ « resume » : le résumé est du texte simple" in output
    path.write_text(
        text.replace(
            "Lettre n° 15 : Décarbonation", "Suite de la lettre n°\u00a014 : Décarbonation"
        ).replace("Le **forum** ; voir [le site](https://a.fr).", "Le forum, 3 * 2 ateliers."),
        encoding="utf-8",
    )
    output = ti_inprocess("check", cwd=project).stderr
    assert "le titre commence par" not in output and "texte simple" not in output


def test_a_broken_link_or_image_the_tool_can_mend_says_what_to_write(project: Path) -> None:
    """The source file of a letter (« ../14.md ») or of a fiche action
    (« ../../actions/x.md »), an image written with other capitals: the message says the
    path to write. Control: a link to nothing gets the general advice."""
    folder = project / LETTRES
    (folder / "images" / "visite-usine.jpg").write_bytes((folder / COVER).read_bytes())
    _add(
        project,
        f"{LETTRES}/15.md",
        "[la 14](../14.md) et [la fiche](../../actions/chef-de-projet.md)",
    )
    _add(project, f"{LETTRES}/15.md", "![Une visite](Images/Visite-Usine.JPG)")
    output = ti_inprocess("check", cwd=project).stderr
    assert (
        "« Images/Visite-Usine.JPG » : le fichier s'appelle « images/visite-usine.jpg »" in output
    )
    letter = folder / "15.md"
    letter.write_text(
        letter.read_text(encoding="utf-8").replace(
            "Images/Visite-Usine.JPG", "images/visite-usine.jpg"
        ),
        encoding="utf-8",
    )
    output = ti_inprocess("check", cwd=project).stderr
    assert "lien vers « ../14.md » : la page ou le fichier visé n'existe pas" in output
    assert "écrivez « ../14/index.md »" in output
    assert "écrivez « ../../plan-action/chef-de-projet/index.md »" in output
    _add(project, f"{LETTRES}/15.md", "[rien](../../nulle/part.md)")
    # a fiche's name one slip away (outside review: no « vouliez-vous dire »)
    _add(project, f"{LETTRES}/15.md", "[la fiche](../../plan-action/chef-de-projt/index.md)")
    output = ti_inprocess("check", cwd=project).stderr
    assert "(hainaut-douaisis-cambresis/nulle/part.md) ; vérifiez le chemin" in output
    [nowhere] = [x for x in output.splitlines() if "« ../../nulle/part.md »" in x]
    assert "vouliez-vous dire" not in nowhere  # control: nothing near, nothing guessed
    assert "vouliez-vous dire « ../../plan-action/chef-de-projet/index.md » ?" in output


def test_the_national_feeds_name_each_letters_territory(built_site: Path) -> None:
    """The site's feeds mix the letters of every territory: each entry names its territory
    in its title, its author and its category (readers could not tell « Lettre n° 15 » of one
    territory from another's). Control: a territory's own feed does not repeat its name."""
    for kind in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((built_site / kind).read_bytes())
        assert not feed.bozo and feed.entries, kind
        for entry in feed.entries:
            name = entry.author
            assert name in ("Hainaut-Douaisis-Cambrésis", "Grand-Châtellerault"), kind
            assert entry.title.endswith(f" — {name}") and entry.tags, kind
    own = feedparser.parse((built_site / HDC / "lettres/rss.xml").read_bytes())
    assert not own.entries[0].title.endswith("Hainaut-Douaisis-Cambrésis")
    assert "author" not in own.entries[0]


def test_a_feed_entry_carries_the_whole_letter(built_site: Path) -> None:
    """A feed reader shows the whole letter, as its email (sanitised, links absolute), not its
    summary only. Control: the summary is a sentence of it, not the letter."""
    for feed_file in (HDC + "/lettres/atom.xml", HDC + "/lettres/rss.xml", "rss.xml"):
        feed = feedparser.parse((built_site / feed_file).read_bytes())
        entry = next(e for e in feed.entries if "Décarbonation" in e.title)
        content = entry.content[0]
        assert content.type == "text/html", feed_file
        html = content.value
        assert "Enterprise Europe Network</h2>" in html, feed_file
        links = re.findall(r'href="([^"]*)"', html)
        assert links and all(x.startswith(SITE_URL) for x in links), links
        assert "<script" not in html and "Enterprise Europe" not in entry.summary  # control
    # the cover comes first, as in the email (readers show an entry's first image); letter 15
    # has none (control: no image is made up)
    feed = feedparser.parse((built_site / HDC / "lettres/atom.xml").read_bytes())
    covered = next(e for e in feed.entries if e.title.startswith("Lettre n°\u00a014"))
    first = BeautifulSoup(covered.content[0].value, "html.parser").find("img")
    cover = built_site / HDC / "lettres/14/images/couverture-bilan-relance.jpg"
    assert first["src"] == f"{SITE_URL}{HDC}/lettres/14/{cover.relative_to(cover.parents[1])}"
    assert cover.is_file() and first["alt"].startswith("Illustration stylisée")
    assert int(first["width"]) <= 552
    bare = next(e for e in feed.entries if e.title.startswith("Lettre n°\u00a015"))
    assert "<img" not in bare.content[0].value


def announcing(
    project: Path, check: bool = True
) -> tuple[dict[str, str], Callable[[dict[str, str]], str]]:
    """Letters 14 and 15 as written, and a function that gives them these events (their
    « evenements » block, by letter number) and returns what `ti check` says (``check``)."""
    letters = {n: project / LETTRES / f"{n}.md" for n in ("14", "15")}
    originals = {n: p.read_text(encoding="utf-8") for n, p in letters.items()}

    def announce(extra: dict[str, str]) -> str:
        for number, text in extra.items():
            head, body = originals[number].split("\n---\n", 1)
            letters[number].write_text(f"{head}\nevenements:\n{text}---\n{body}", "utf-8")
        return ti_inprocess("check", cwd=project).stderr if check else ""

    return originals, announce


@pytest.mark.lent
def test_an_identified_event_postponed_in_a_later_letter_keeps_its_calendar_identity(
    project: Path,
) -> None:
    """The forum announced in letter 14 with « identifiant: forum-2027 », then postponed and
    renamed in letter 15 under the same identifier: the agenda and its calendar list it once,
    as letter 15 says, with the identifier letter 14 gave it (a calendar that imported it
    updates it); moved to agenda.yml, it keeps it too. The same identifier twice in one file
    is refused on its line. Control: without the identifier, the postponed forum is two events
    with two identifiers (the former date stays in calendars)."""
    forum = FORUM.replace("    lieu: Douai\n", "    lieu: Douai\n    identifiant: forum-2027\n")
    later = forum.replace("2027-01-15", "2027-02-05").replace("Forum de", "Grand forum de")
    _, announce = announcing(project, check=False)

    def forums() -> list[AgendaEntry]:
        territory = next(t for t in load_site(project).local if t.slug == HDC)
        return [e for e in territory.agenda if "orum de l'industrie" in e.titre]

    announce({"14": forum})
    (first,) = forums()
    assert first.uid == f"{HDC}-evenement-forum-2027" and first.letter == 14
    announce({"14": forum, "15": later})
    (moved,) = forums()
    assert (moved.titre, moved.day, moved.letter) == (
        "Grand forum de l'industrie",
        dt.date(2027, 2, 5),
        15,
    )
    assert moved.uid == first.uid
    territory = next(t for t in load_site(project).local if t.slug == HDC)
    stamp = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
    events = Calendar.from_ical(publishing._agenda_ics(territory, "https://x.org/", stamp))
    found = [e for e in events.walk("VEVENT") if "orum" in str(e["summary"])]
    assert [(str(e["uid"]).split("@")[0], e["dtstart"].dt.day) for e in found] == [(first.uid, 5)]
    assert str(found[0]["url"]) == f"https://x.org/{HDC}/lettres/15/"  # where it was said
    # written again in agenda.yml, later still: the same event, no « already announced »
    agenda_file = project / f"territoires/{HDC}/agenda.yml"
    kept = agenda_file.read_text(encoding="utf-8")
    agenda_file.write_text(kept + later.replace("2027-02-05", "2027-03-05"), "utf-8")
    (again,) = forums()
    assert (again.uid, again.day, again.letter) == (first.uid, dt.date(2027, 3, 5), None)
    assert "déjà annoncé" not in ti_inprocess("check", cwd=project).stderr
    # twice in one file: refused, on the second's line
    agenda_file.write_text(kept + later + later.replace("Grand", "Petit"), "utf-8")
    said = ti_inprocess("check", cwd=project)
    assert said.returncode == 1
    line = len((kept + later).splitlines()) + 5  # the second entry's « identifiant »
    assert (
        f"agenda.yml:{line}: champ « evenements[" in said.stderr
        and "identifiant « forum-2027 » déjà donné à l'entrée" in said.stderr
    ), said.stderr
    # control: without the identifier, the postponed forum is two events
    agenda_file.write_text(kept, "utf-8")
    strip = {
        n: t.replace("    identifiant: forum-2027\n", "") for n, t in (("14", forum), ("15", later))
    }
    announce(strip)
    assert len({e.uid for e in forums()}) == 2


@pytest.mark.lent
def test_a_reminder_without_the_identifier_and_a_reused_identifier(project: Path) -> None:
    """A later letter repeating an identified event as it was, without its identifier, is a
    reminder of it (one event; written again in agenda.yml: said); its postponement under
    the identifier is a calendar update (SEQUENCE 1). An identifier given again after the
    event it named was over is warned on its line (a new event wants a new identifier).
    Control: the first announcement alone has no SEQUENCE."""
    from tisite.build import SiteBuild

    forum = FORUM.replace("    lieu: Douai\n", "    lieu: Douai\n    identifiant: forum-2027\n")
    letters = {n: project / LETTRES / f"{n}.md" for n in ("14", "15", "16")}
    originals = {n: p.read_text(encoding="utf-8") for n, p in letters.items()}

    def announce(extra: dict[str, str]) -> None:
        for number, path in letters.items():
            head, body = originals[number].split("\n---\n", 1)
            if number in extra:
                head += f"\nevenements:\n{extra[number]}"
            if number == "16":
                head = head.replace("brouillon: true", "brouillon: false")
            path.write_text(f"{head}\n---\n{body}", "utf-8")

    def calendar() -> list[Any]:
        territory = next(t for t in load_site(project).local if t.slug == HDC)
        stamp = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
        cal = Calendar.from_ical(publishing._agenda_ics(territory, "https://x.org/", stamp))
        return [e for e in cal.walk("VEVENT") if "orum" in str(e["summary"])]

    announce({"14": forum})
    (alone,) = calendar()
    assert "SEQUENCE" not in alone  # control
    announce({"14": forum, "15": FORUM})  # the reminder, without the identifier
    assert [str(e["uid"]).split("@")[0] for e in calendar()] == [f"{HDC}-evenement-forum-2027"]
    again = project / f"territoires/{HDC}/agenda.yml"
    again.write_text(again.read_text(encoding="utf-8") + FORUM, "utf-8")
    assert "« Forum de l'industrie » est déjà annoncé dans la lettre n°\u00a014" in (
        ti_inprocess("check", cwd=project).stderr
    )
    again.write_text(again.read_text("utf-8").replace(FORUM, ""), "utf-8")
    # a short reminder under the identifier keeps the place and the end, and is no update
    short = "  - titre: Forum de l'industrie\n    date: 2027-01-15T09:30\n"
    announce({"14": forum, "15": short + "    identifiant: forum-2027\n"})
    (kept,) = calendar()
    assert str(kept["location"]) == "Douai" and kept.decoded("dtend").hour == 17
    content = {p.path: p.content for p in SiteBuild.load(project).pages}
    assert "mise à jour" not in content[f"{HDC}/lettres/14/index.md"]
    moved = forum.replace("2027-01-15", "2027-02-05")
    announce({"14": forum, "15": moved})
    (update,) = calendar()
    assert update["sequence"] == 1 and update.decoded("dtstart").day == 5
    # letter 14's page keeps what it said and says where the update is; letter 15's does not
    content = {p.path: p.content for p in SiteBuild.load(project).pages}
    said = {
        n: BeautifulSoup(content[f"{HDC}/lettres/{n}/index.md"], "html.parser")
        for n in ("14", "15")
    }
    item = said["14"].find(id="agenda").find_next("ul").li
    assert "15 janvier 2027" in flat(item.get_text())
    assert "annonce mise à jour (5 février 2027" in flat(item.get_text())
    assert item.find("a", string="la lettre n°\u00a015")["href"] == "../15/"
    assert "mise à jour" not in said["15"].get_text()  # control
    # letter 16 (17 January 2023) names a forum with the former identifier: the former one
    # (15 January 2027) was not over then, no warning; dated after it, it is warned
    announce({"14": forum, "16": moved})
    assert "déjà donné dans la lettre" not in ti_inprocess("check", cwd=project).stderr
    path = letters["16"]
    text = path.read_text("utf-8")
    path.write_text(text.replace("date: 2023-01-17", "date: 2027-06-01", 1), "utf-8")
    # (a letter dated later than the build is published on its day: read as the preview of
    # drafts shows it)
    said = "\n".join(w.format() for w in load_site(project, drafts=True).warnings)
    line = text.splitlines().index("    identifiant: forum-2027") + 1
    assert (
        f"lettres/16.md:{line}: avertissement : champ « evenements[1].identifiant » : "
        "identifiant « forum-2027 » déjà donné dans la lettre n°\u00a014 à une entrée du "
        "15 janvier 2027, déjà passée le jour de cette lettre"
    ) in said, said


def test_a_feed_is_never_dated_before_its_entries_and_covers_keep_odd_names(
    project: Path,
) -> None:
    """Letters dated today and tomorrow, built in the afternoon: the feed's date is that of
    its latest entry (today's noon), not the start of the day the letter of tomorrow has.
    A cover named « couv#1 100%.jpg » is linked percent-encoded on the page, in the email
    and in the feed (« # » would cut the address). Control: the name as written is broken."""
    today = clock.today()
    afternoon = dt.datetime.combine(today, dt.time(15, 0), tzinfo=publishing.PARIS)
    folder = project / LETTRES
    for number, day in ((17, today), (18, today + dt.timedelta(days=1))):
        (folder / f"{number}.md").write_text(
            f"---\ntitre: Lettre {number}\ndate: {day.isoformat()}\nresume: Une lettre.\n---\n"
            "## Actualité\n\nUn texte.\n",
            encoding="utf-8",
        )
    shutil.copy(folder / COVER, folder / "images/couv#1 100%.jpg")
    path = folder / "14.md"
    path.write_text(
        re.sub(r"(?m)^image: .*$", 'image: "images/couv#1 100%.jpg"', path.read_text("utf-8")),
        encoding="utf-8",
    )
    territory = next(t for t in load_site(project).local if t.slug == HDC)
    _, (_, atom) = publishing.territory_feeds(territory, SITE_URL, afternoon)
    feed = feedparser.parse(atom.encode())
    entries = [dt.datetime(*e.updated_parsed[:6], tzinfo=dt.UTC) for e in feed.entries]
    assert dt.datetime(*feed.feed.updated_parsed[:6], tzinfo=dt.UTC) == max(entries)
    assert max(entries) == dt.datetime.combine(today, dt.time(12), tzinfo=publishing.PARIS)
    cover = f"{SITE_URL}{HDC}/lettres/14/images/couv%231%20100%25.jpg"
    letter = next(x for x in territory.letters if x.numero == 14)
    assert letter.cover_address == "images/couv%231%20100%25.jpg"
    assert f'src="{cover}"' in next(
        e.content[0].value for e in feed.entries if e.title.startswith("Lettre n°\u00a014")
    )
    assert urlsplit(urljoin(SITE_URL, "images/couv#1 100%.jpg")).path.endswith("/couv")  # control


@pytest.mark.lent
def test_a_postponement_under_another_identifier_or_none_is_warned(project: Path) -> None:
    """Letter 14 announces the forum under « forum-2027 »; letter 15 announces the same title at
    another date, still to come, without the identifier: the agenda would show two forums, so
    the check says which identifier to give (on letter 15's entry). Control: a forum of the same
    title already over when letter 15 was written (last year's), the identified postponement,
    sessions announced again or added, and events under identifiers of their own (recurring
    meetings; a mistyped identifier looks the same) are not warned."""
    originals, announce = announcing(project)
    forum = FORUM.replace("    lieu: Douai\n", "    lieu: Douai\n    identifiant: forum-2027\n")

    later = FORUM.replace("2027-01-15", "2027-02-05")
    line = originals["15"].split("\n---\n", 1)[0].count("\n") + 3  # its « - titre » line
    for written in (later,):
        said = announce({"14": forum, "15": written})
        assert (
            f"lettres/15.md:{line}: avertissement : champ « evenements[1] » : « Forum de "
            "l'industrie » est déjà annoncé dans la lettre n°\u00a014 pour le 15 janvier 2027, sous "
            "l'identifiant « forum-2027 » : s'il s'agit du même événement, reporté, donnez-lui "
            "dans les deux lettres l'identifiant « forum-2027 »"
        ) in said, said
    moved = later.replace("Douai\n", "Douai\n    identifiant: forum-2027\n")
    assert "est déjà annoncé dans la lettre" not in announce({"14": forum, "15": moved})
    last_year = forum.replace("2027-01-15", "2022-10-20").replace("2027-01-15", "2022-10-20")
    assert "est déjà annoncé dans la lettre" not in announce({"14": last_year, "15": later})
    # two sessions of a workshop, each with its identifier, announced again: not warned
    sessions = SESSIONS.replace("T12:00\n", "T12:00\n    identifiant: atelier-1\n").replace(
        "T17:00\n", "T17:00\n    identifiant: atelier-2\n"
    )
    sessions = sessions.replace("2027-01-20T14", "2027-01-27T14").replace(
        "2027-01-20T17", "2027-01-27T17"
    )
    assert "identifiant: atelier-2" in sessions and "2027-01-27T14:00" in sessions
    assert "est déjà annoncé dans la lettre" not in announce({"14": sessions, "15": sessions})
    # nor a session added to those announced again, nor meetings under identifiers of their own
    third = sessions.split("  - titre", 2)[2].replace("atelier-2", "atelier-3")
    third = "  - titre" + third.replace("2027-01-27", "2027-02-03")
    again = sessions.split("  - titre", 2)[2]
    assert "est déjà annoncé" not in announce({"14": sessions, "15": "  - titre" + again + third})
    typo = later.replace("Douai\n", "Douai\n    identifiant: forum-2072\n")
    assert "est déjà annoncé dans la lettre" not in announce({"14": forum, "15": typo})


@pytest.mark.lent
def test_an_identifier_given_to_another_title_at_another_date_is_warned(project: Path) -> None:
    """Letter 15 (or agenda.yml) gives the forum's identifier to « Comité de pilotage » on
    another day (a block copied): the agenda would drop the forum for it, so the check warns
    on the identifier's line. Control: the same identifier with a new date only (postponed) or
    a new title only (renamed) is not warned."""
    originals, announce = announcing(project)
    forum = FORUM.replace("    lieu: Douai\n", "    lieu: Douai\n    identifiant: forum-2027\n")

    committee = "  - titre: Comité de pilotage\n    date: 2027-01-20\n    identifiant: forum-2027\n"
    said = announce({"14": forum, "15": committee})
    line = originals["15"].split("\n---\n", 1)[0].count("\n") + 5  # its identifier's line
    expected = (
        "avertissement : champ « evenements[1].identifiant » : identifiant « forum-2027 » déjà "
        "donné dans la lettre n°\u00a014 à « Forum de l'industrie » (15 janvier 2027) : cette annonce "
        "a un autre titre et une autre date"
    )
    assert f"lettres/15.md:{line}: {expected}" in said, said
    postponed = forum.replace("2027-01-15", "2027-02-05")
    renamed = forum.replace("Forum de l'industrie", "Forum de l'industrie du Douaisis")
    for control in (postponed, renamed):
        assert "un autre titre et une autre date" not in announce({"14": forum, "15": control})
    announce({"14": forum, "15": ""})
    agenda = project / f"territoires/{HDC}/agenda.yml"
    written = agenda.read_text(encoding="utf-8")
    agenda.write_text(written.replace("evenements:\n", "evenements:\n" + committee, 1), "utf-8")
    line = written.splitlines().index("evenements:") + 4  # the committee's identifier
    said = ti_inprocess("check", cwd=project).stderr
    assert f"{HDC}/agenda.yml:{line}: {expected}" in said, said


@pytest.mark.lent
def test_an_address_of_this_computer_in_the_content_is_warned_on_its_line(project: Path) -> None:
    """« http://localhost:8000/… » copied from the local preview into a letter, or
    « http://127.0.0.1:8000/… » as an event's link: each warned on its line (no visitor can open
    it). Control: a public host that starts with « localhost. » and the word in a path are not."""
    letter = project / LETTRES / "15.md"
    letter.write_text(
        letter.read_text("utf-8")
        + "\nVoir [les priorités](http://localhost:8000/hainaut-douaisis-cambresis/priorites/),"
        " [un site](https://localhost.exemple.fr/) et https://exemple.fr/localhost.\n",
        "utf-8",
    )
    agenda = project / f"territoires/{HDC}/agenda.yml"
    agenda.write_text(
        agenda.read_text("utf-8")
        + "  - titre: Essai\n    date: 2027-01-15\n    lien: http://127.0.0.1:8000/essai\n",
        "utf-8",
    )
    said = ti_inprocess("check", cwd=project)
    assert said.returncode == 0, said.stderr  # warnings: the site is published
    warned = [x for x in said.stderr.splitlines() if "adresse de cet ordinateur" in x]
    lines = {
        "15.md": len(letter.read_text("utf-8").splitlines()),
        "agenda.yml": len(agenda.read_text("utf-8").splitlines()),
    }
    assert warned == [
        f"territoires/{HDC}/agenda.yml:{lines['agenda.yml']}: avertissement : adresse de cet "
        "ordinateur « http://127.0.0.1:8000/essai » : copiée depuis l'aperçu local, elle ne "
        "s'ouvre pour aucun visiteur ; écrivez l'adresse publique de la page (https://…), ou un "
        "lien relatif vers le fichier de la page",
        f"{LETTRES}/15.md:{lines['15.md']}: avertissement : adresse de cet ordinateur "
        "« http://localhost:8000/hainaut-douaisis-cambresis/priorites/ » : copiée depuis "
        "l'aperçu local, elle ne s'ouvre pour aucun visiteur ; écrivez l'adresse publique de la "
        "page (https://…), ou un lien relatif vers le fichier de la page",
    ], said.stderr


def test_an_identifier_twice_in_one_letter_is_one_error(project: Path) -> None:
    """The same « identifiant » given to two events of one letter (another title, another
    date): one error, on the second; no warning that it was « déjà donné dans la lettre
    n°15 », as if another letter had. Control: the error is there."""
    forum = FORUM.replace("    lieu: Douai\n", "    lieu: Douai\n    identifiant: forum-2027\n")
    other = forum.replace("Forum de", "Autre forum de").replace("2027-01-15", "2027-03-01")
    _, announce = announcing(project)
    said = announce({"15": forum + other})
    assert "identifiant « forum-2027 » déjà donné à l'entrée n°\u00a01 de « evenements »" in said, (
        said
    )
    assert "déjà donné dans la lettre" not in said, said


def test_a_letter_dated_later_is_checked_as_its_day_will_publish_it(project: Path) -> None:
    """A scheduled letter is not published before its day, but `ti check` checks it now as
    the build of that night will: a broken link in it fails the check today (review: the
    check said « valide », the night's build failed). Control: `ti build` today passes, the
    letter left out."""
    import datetime as dt

    later = clock.today() + dt.timedelta(days=10)
    letter = project / LETTRES / "17.md"
    letter.write_text(
        f"---\ntitre: Programmée\ndate: {later}\nresume: Une lettre programmée.\n---\n"
        "## Actualités locales\n\nVoir [la fiche](../../plan-action/fiche-inexistante/index.md).\n",
        encoding="utf-8",
    )
    checked = ti_inprocess("check", cwd=project)
    assert checked.returncode == 1
    assert "lettres/17.md" in checked.stderr and "fiche-inexistante" in checked.stderr
    built = ti_inprocess("build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert not (project / "site" / HDC / "lettres/17").exists()


def test_a_letter_file_named_with_other_digits_is_refused_in_french(project: Path) -> None:
    """« ²6.md »: digits that are not ASCII (review: a traceback on every check)."""
    (project / LETTRES / "²6.md").write_text("---\ntitre: x\n---\n", encoding="utf-8")
    said = ti_inprocess("check", cwd=project)
    assert said.returncode == 1 and "Traceback" not in said.stderr
    assert "²6.md: nom de fichier invalide" in said.stderr


def test_check_and_build_agree_on_links_to_a_letter_dated_later(project: Path) -> None:
    """A published letter linking to one dated later: refused by both (the page is not
    online today); the letter dated later linking to a published one: accepted by both
    (control)."""
    import datetime as dt

    later = clock.today() + dt.timedelta(days=10)
    (project / LETTRES / "17.md").write_text(
        f"---\ntitre: Programmée\ndate: {later}\nresume: Une lettre programmée.\n---\n"
        "## Actualités locales\n\nVoir [la précédente](../15/index.md).\n",
        encoding="utf-8",
    )
    assert ti_inprocess("check", cwd=project).returncode == 0
    assert ti_inprocess("build", cwd=project).returncode == 0
    published = project / LETTRES / "15.md"
    published.write_text(
        published.read_text(encoding="utf-8") + "\nLa suite : [lettre 17](../17/index.md).\n",
        encoding="utf-8",
    )
    checked, built = ti_inprocess("check", cwd=project), ti_inprocess("build", cwd=project)
    assert checked.returncode == built.returncode == 1
    for said in (checked.stderr, built.stderr):
        assert "lettres/15.md" in said and "n'est pas publiée" in said, said


@pytest.mark.lent
def test_a_letters_body_is_converted_once_for_its_emails_and_its_feeds(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The emails and the feed entries of a letter show the same body, converted once per
    build (publishing._letter_html). Control: without that memory, twice or more."""
    assert not (project / ".cache" / "courriels").exists()  # the emails are made by this build

    def converted_bodies() -> list[str]:
        pages: list[str] = []
        real = publishing._body_html

        def counting(body: str, base: str, root: str) -> str:
            pages.append(base)
            return real(body, base, root)

        with monkeypatch.context() as patched:
            patched.setattr(publishing, "_body_html", counting)
            shutil.rmtree(project / ".cache", ignore_errors=True)
            build_site(project)
        return pages

    pages = converted_bodies()
    with_email = {p.parent.name for p in (project / "site" / HDC / "lettres").glob("*/email.html")}
    assert len(with_email) >= 2 and len(pages) == len(set(pages)), pages
    assert {p.rstrip("/").rsplit("/", 1)[-1] for p in pages if f"/{HDC}/" in p} == with_email
    keeping_nothing = functools.lru_cache(maxsize=0)(publishing._letter_html.__wrapped__)
    monkeypatch.setattr(publishing, "_letter_html", keeping_nothing)
    assert len(converted_bodies()) > len(pages)  # control


def test_a_letters_converted_body_is_kept_by_all_it_is_made_from() -> None:
    """Another text, other image sizes or another site address: converted again. A build
    starts with nothing kept (new_build)."""
    publishing.new_build()
    url, image = f"{HDC}/lettres/14/", "![Vue](images/vue.png)"
    first = publishing._letter_html(SITE_URL, url, f"Premier texte {image}", ())
    other = publishing._letter_html(SITE_URL, url, f"Autre texte {image}", ())
    assert "Premier texte" in first and "Autre texte" in other
    sized = publishing._letter_html(
        SITE_URL, url, f"Premier texte {image}", (("images/vue.png", 2000, 1000),)
    )
    assert " width=" not in first and 'width="552"' in sized
    moved = publishing._letter_html("https://autre.example.org/", url, f"Premier {image}", ())
    assert f'src="https://autre.example.org/{url}images/vue.png"' in moved, moved
    assert publishing._letter_html.cache_info().currsize == 4
    publishing.new_build()
    assert publishing._letter_html.cache_info().currsize == 0


def test_a_replaced_function_never_shows_through_the_kept_letter_html(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A test that replaces a function of the code forgets what the process kept (conftest,
    memo.forget_all): the letters' converted bodies too, both when the function is replaced
    and when it is put back. Control: without that, the sanitised body is served during the
    replacement, and the unsanitised one after it."""
    body = "![pixel](https://t.example/p.gif) texte"
    url = f"{HDC}/lettres/14/"

    def during_and_after() -> tuple[str, str, str]:
        publishing.new_build()
        before = publishing._letter_html(SITE_URL, url, body, ())
        with monkeypatch.context() as patched:
            switch_off(patched, "finish.sanitize", "same_site", lambda value: True)
            during = publishing._letter_html(SITE_URL, url, body, ())
        return before, during, publishing._letter_html(SITE_URL, url, body, ())

    before, during, after = during_and_after()
    assert "t.example" not in before and "t.example" in during and "t.example" not in after
    from tisite import memo

    monkeypatch.setattr(memo, "_CLEARS", [])
    before, during, after = during_and_after()
    assert "t.example" not in during  # control: the kept body outlived its maker
