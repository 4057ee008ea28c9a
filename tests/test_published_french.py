"""French to the letter wherever text is published: digit groups typed by contributors, the
theme's screen-reader labels, a source that states its own date, the logo's text, the date of
an empty feed, the agenda's times in the text version of an email."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar

from conftest import build_site
from tisite.finish import typography
from tisite.finish.themehtml import valid_theme_html
from tisite.finish.typography import NBSP, NNBSP, french_html, french_text
from tisite.generate.textutil import dates_itself, long_date, when
from tisite.publish import publishing

HDC = "hainaut-douaisis-cambresis"
PARIS = publishing.PARIS


def test_digit_groups_typed_with_spaces_are_joined() -> None:
    assert french_text("(77 000 vues)") == f"(77{NNBSP}000 vues)"
    assert french_text("5 413,33 €") == f"5{NNBSP}413,33{NBSP}€"
    assert french_text("1 250 000 habitants") == f"1{NNBSP}250{NNBSP}000 habitants"
    assert french_text(f"12{NBSP}500 emplois") == f"12{NNBSP}500 emplois"
    # not one number: two years, a telephone number, a decimal's tail, a date
    for kept in ("en 2022 2023", "03 27 71 00 00", "3,5 000", "le 14 juillet 2022"):
        assert NNBSP not in french_text(kept), kept
    assert french_html("<td>77 000</td><code>77 000</code>") == (
        f"<td>77{NNBSP}000</td><code>77 000</code>"
    )


def test_without_the_rule_a_typed_number_breaks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: without the digit-group rule, « 77 000 » keeps its breakable space."""
    monkeypatch.setattr(typography, "_DIGIT_GROUPS", re.compile(r"(?!x)x"))
    assert french_text("(77 000 vues)") == "(77 000 vues)"


def test_a_source_does_not_repeat_its_date() -> None:
    source = "Feuille de route Territoires d'industrie 2023-2024 (juillet 2022)"
    assert dates_itself(source, "2022") and dates_itself(source, "2022-07")
    # a more precise date, another date, a source without date: the date is printed
    assert not dates_itself(source, "2022-07-06")
    assert not dates_itself(source, "2023")
    assert not dates_itself("Insee, recensement", "2022-06")
    assert not dates_itself("Bilan (CAPH) 2021", "2022")


def test_built_pages_state_each_date_once(built_site: Path) -> None:
    page = (built_site / HDC / "carte-identite/index.html").read_text("utf-8")
    assert "(juillet 2022)</p>" in page and "(juillet 2022) (" not in page
    home = (built_site / HDC / "index.html").read_text("utf-8")
    assert not re.search(r"\(juillet 2022\)[,\s]*(<time[^>]*>)?2022", home)


def test_screen_reader_labels_of_previous_and_next(built_site: Path) -> None:
    page = BeautifulSoup((built_site / HDC / "index.html").read_text("utf-8"), "html.parser")
    labels = [a["aria-label"] for a in page.select("a.md-footer__link")]
    assert labels and all(re.match(rf"^(Précédent|Suivant){NBSP}: \S", x) for x in labels), labels
    # Negative control: the theme's own markup (partials/footer.html) has no space at all
    theme = '<a href="x/" class="md-footer__link md-footer__link--next" aria-label="Suivant: X">'
    assert 'aria-label="Suivant: X"' in theme
    assert f'aria-label="Suivant{NBSP}: X"' in valid_theme_html(theme)


def test_an_empty_feed_is_never_dated_in_the_future() -> None:
    """A morning build: an empty feed carries the start of the build's day (or the last change
    of its content), the same for every build of the day; a letter of the day has the start
    of the day until noon, then noon; a letter dated later, the start of the build's day.
    Negative control: noon, the date such a letter had, is later than the build."""
    morning = dt.datetime(2026, 3, 2, 9, 15, tzinfo=PARIS)
    start = dt.datetime(2026, 3, 2, 0, 0, tzinfo=PARIS)
    addresses = ("t/lettres/rss.xml", "t/lettres/atom.xml")
    args = ("Lettres — T", "Lettres du territoire T", "t/lettres/", [], "https://x.org/", addresses)
    for now in (morning, morning + dt.timedelta(hours=10)):
        for document in publishing.feeds(*args, now=now):
            updated = feedparser.parse(document.encode()).feed.updated_parsed
            assert dt.datetime(*updated[:6], tzinfo=dt.UTC) == start.astimezone(dt.UTC)
    day = morning.date()
    assert publishing.feed_moment(day, morning) == start
    assert publishing.feed_moment(day, morning + dt.timedelta(hours=1)) == start
    noon = dt.datetime.combine(day, dt.time(12, 0), tzinfo=PARIS)
    assert publishing.feed_moment(day, morning + dt.timedelta(hours=4)) == noon
    assert publishing.feed_moment(day - dt.timedelta(days=1), morning) < start
    assert publishing.feed_moment(day + dt.timedelta(days=300), morning) == start
    assert noon > morning  # control
    last = dt.datetime(2025, 11, 4, tzinfo=PARIS)
    rss, _ = publishing.feeds(*args, now=morning, quiet_since=last)
    updated = feedparser.parse(rss.encode()).feed.updated_parsed
    assert dt.datetime(*updated[:6], tzinfo=dt.UTC) == last.astimezone(dt.UTC)


def test_the_built_empty_feed_is_dated_by_its_content(built_site: Path) -> None:
    """Outside git, the last time a file of the territory was written: never ahead of the
    build, and the same for two builds of the same files (an export and a build agree)."""
    folder = built_site.parent / "territoires/grand-chatellerault"
    newest = max(int(p.stat().st_mtime) for p in folder.rglob("*") if p.is_file())
    for kind in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((built_site / "grand-chatellerault/lettres" / kind).read_bytes())
        updated = dt.datetime(*feed.feed.updated_parsed[:6], tzinfo=dt.UTC)
        assert updated <= dt.datetime.now(dt.UTC), kind
        assert updated == dt.datetime.fromtimestamp(newest, dt.UTC), kind


LETTER = """---
titre: Bilan de l'année
date: 2023-03-01
resume: Un budget de 5 413,33 € et 77 000 vues.
evenements:
  - titre: Comité de pilotage
    date: 2023-03-07T09:30
    lieu: Salle 1 200
  - titre: Salon de l'industrie
    date: 2023-03-08
    fin: 2023-03-09
---
## Chiffres

La vidéo du territoire a passé les 77 000 vues (1 250 000 impressions).
"""


@pytest.fixture(scope="module")
def typed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with a letter whose numbers are typed with ordinary spaces, timed events,
    and an image logo."""
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("francais") / "projet")
    (root / f"territoires/{HDC}/lettres/17.md").write_text(LETTER, encoding="utf-8")
    agenda = root / f"territoires/{HDC}/agenda.yml"
    agenda.write_text(
        agenda.read_text("utf-8").replace(
            "    description: Délibération 2022/70",
            "    description: Plus de 1 200 participants. Délibération 2022/70",
            1,
        ),
        encoding="utf-8",
    )
    from PIL import Image

    Image.new("RGB", (96, 96), "#c9191e").save(root / "docs" / "logo.png")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("theme:\n", "theme:\n  logo: logo.png\n", 1), "utf-8"
    )
    return build_site(root)


@pytest.mark.lent  # builds a site of its own (typed_site)
def test_digit_groups_everywhere_text_is_published(typed_site: Path) -> None:
    letter = typed_site / HDC / "lettres/17"
    page = (letter / "index.html").read_text("utf-8")
    assert f"77{NNBSP}000 vues" in page and f"1{NNBSP}250{NNBSP}000" in page
    for name in ("email.html", "email.txt", "envoi.html", "envoi.txt"):
        text = (letter / name).read_text("utf-8")
        assert f"77{NNBSP}000 vues" in text and f"5{NNBSP}413,33" in text, name
        assert "77 000" not in text, name
    for feed in (typed_site / HDC / "lettres/rss.xml", typed_site / "atom.xml"):
        text = feed.read_text("utf-8")
        assert f"5{NNBSP}413,33" in text and "5 413,33" not in text, feed
    cal = Calendar.from_ical((typed_site / HDC / "agenda/agenda.ics").read_bytes())
    descriptions = " ".join(str(e.get("description", "")) for e in cal.walk("VEVENT"))
    locations = " ".join(str(e.get("location", "")) for e in cal.walk("VEVENT"))
    assert f"1{NNBSP}200 participants" in descriptions
    assert f"Salle 1{NNBSP}200" in locations


@pytest.mark.lent  # builds a site of its own (typed_site)
def test_the_text_email_keeps_the_agenda_times(typed_site: Path) -> None:
    for name in ("email.txt", "envoi.txt", "email.html"):
        text = (typed_site / HDC / "lettres/17" / name).read_text("utf-8").replace(NBSP, " ")
        assert "7 mars 2023 à 9 h 30" in text, name
        assert "du 8 mars 2023 au 9 mars 2023" in text, name
    # Negative control: the day alone, what the email said with long_date
    moment = dt.datetime(2023, 3, 7, 9, 30)
    assert "9 h 30" not in long_date(moment) and "9 h 30" in when(moment)


@pytest.mark.lent  # builds a site of its own (typed_site)
def test_an_image_logo_is_named_after_the_site(typed_site: Path) -> None:
    soup = BeautifulSoup((typed_site / "index.html").read_text("utf-8"), "html.parser")
    logos = soup.select(".md-logo img")
    assert logos and {img["alt"] for img in logos} == {"Territoires d'industrie"}
    assert 'alt="logo"' not in (typed_site / HDC / "index.html").read_text("utf-8")
    # Negative control: the theme's own partial, which ours replaces, says « logo »
    import material

    theme = Path(material.__file__).parent / "templates" / "partials" / "logo.html"
    assert 'alt="logo"' in theme.read_text("utf-8")


def test_the_error_page_speaks_french_and_leads_onwards(built_site: Path) -> None:
    """An old or mistyped link lands on the error page: in French, titled, with the way home
    (an absolute address: the page is served at any address) and the search. Negative control:
    the theme's own error page says « 404 - Not found » and nothing else."""
    import material

    page = BeautifulSoup((built_site / "404.html").read_text("utf-8"), "html.parser")
    assert page.title is not None and page.title.get_text().startswith("Page introuvable — ")
    article = page.select_one("article")
    assert article is not None and article.h1 is not None
    assert article.h1.get_text(strip=True) == "Page introuvable"
    home = article.select_one("a[href]")
    assert home is not None and re.match(r"^https://[^/]+/$", home["href"]), home
    assert "Rechercher" in article.get_text() and "Not found" not in page.get_text()
    theirs = Path(material.__file__).parent / "templates" / "404.html"
    assert "<h1>404 - Not found</h1>" in theirs.read_text("utf-8")


# What each fact says when it is missing, agreeing with its label (outside review: « Filières :
# non renseigné », « Cible : non renseigné »). A new label must be added here, with its form.
MISSING_SAYS = {
    "Porteur / maître d'ouvrage": "non renseigné",
    "Partenaires engagés": "non renseignés",
    "Budget prévisionnel": "non renseigné",
    "Axe": "non renseigné",
    "Priorités 2023-2027": "non renseignées",
    "Objectif du territoire": "non renseigné",
    "Nature du soutien demandé": "non renseignée",
    "Filières": "non renseignées",
    "Cible": "non renseignée",
    "Valeur": "non renseignée",
    "Date": "non renseignée",
    "Catégorie": "non renseignée",
    "Rôle": "non renseigné",
    "Fréquence": "non renseignée",
    "Binôme élu": "non renseigné",
    "Binôme industriel": "non renseigné",
    "Budget connu": "non renseigné",
    "Échéance": "non renseignée",
}


def test_a_missing_fact_agrees_with_its_label(built_site: Path) -> None:
    """Every « non renseigné » of a fact (a definition list's term, a table's column) agrees
    with the label it answers; the example has several of each kind."""
    seen: dict[str, set[str]] = {}

    def text(node: Any) -> str:  # no-break spaces of the typography as spaces
        return " ".join(node.get_text().split())

    for path in built_site.rglob("index.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for dd in soup.select("dd"):
            dt_ = dd.find_previous_sibling("dt")
            if dt_ is not None and text(dd).startswith("non renseign"):
                seen.setdefault(text(dt_), set()).add(text(dd))
        for table in soup.select("table"):
            heads = [text(th) for th in table.select("thead th")]
            for row in table.select("tbody tr"):
                for head, cell in zip(heads, row.find_all(["td", "th"]), strict=False):
                    if text(cell).startswith("non renseign"):
                        seen.setdefault(head, set()).add(text(cell))
    assert seen, "aucun fait manquant dans l'exemple : le test ne vérifie plus rien"
    wrong = {label: forms for label, forms in seen.items() if forms != {MISSING_SAYS.get(label)}}
    assert not wrong, wrong
    assert {"Filières", "Cible", "Rôle"} <= set(seen)  # the kinds the review found
