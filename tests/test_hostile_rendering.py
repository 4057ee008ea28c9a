"""Valid but hostile content (tests/hostile.py) is rendered inert everywhere it is published:
pages, social tags, exports, feeds, calendar and email; and no injected script runs in Chromium.

A negative control builds the same content with the sanitiser switched off and shows that
these checks then fail."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from browser import injected_script_events, static_server
from conftest import copy_project, flat, switch_off, ti_inprocess
from hostile import (
    ICS_INJECTION,
    LETTER_PAYLOADS,
    MARKDOWN_PAYLOADS,
    YAML_PAYLOADS,
    assert_data_matches_its_schemas,
    live_injections,
    make_hostile,
)

GC = "grand-chatellerault"
ACTION_PAGE = f"{GC}/plan-action/diagnostic-attractivite/index.html"
LETTER_PAGE = f"{GC}/lettres/1/index.html"
PAGES = (
    "index.html",
    f"{GC}/index.html",
    f"{GC}/carte-identite/index.html",
    f"{GC}/plan-action/index.html",
    ACTION_PAGE,
    f"{GC}/plan-action/avancement/index.html",
    f"{GC}/lettres/index.html",
    LETTER_PAGE,
    f"{GC}/lettres/1/email.html",
    f"{GC}/agenda/index.html",
    f"{GC}/priorites/index.html",
    f"{GC}/gouvernance/index.html",
    "tableau-de-bord/index.html",
    "actions/index.html",
)


def _build(root: Path) -> Path:
    make_hostile(root)
    result = ti_inprocess("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def unsanitised_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Negative control: the same content built with a sanitiser that lets everything through."""
    from tisite.finish.sanitize import Sanitized

    def sanitize(html: str, blocks: object = (), contributed: bool = False) -> Sanitized:
        return Sanitized(html)

    root = copy_project(tmp_path_factory.mktemp("sans-filtre") / "projet")
    with pytest.MonkeyPatch.context() as monkeypatch:
        switch_off(monkeypatch, "finish.sanitize", "sanitize", sanitize)
        return _build(root)


@pytest.mark.parametrize("page", PAGES)
def test_no_payload_stays_alive(hostile_site: Path, page: str) -> None:
    html = (hostile_site / page).read_text(encoding="utf-8")
    assert not live_injections(html), live_injections(html)


@pytest.mark.parametrize("name", [*MARKDOWN_PAYLOADS, *LETTER_PAYLOADS])
def test_markdown_payload_is_removed_and_its_paragraph_kept(hostile_site: Path, name: str) -> None:
    for page in (ACTION_PAGE, LETTER_PAGE) if name in MARKDOWN_PAYLOADS else (LETTER_PAGE,):
        soup = BeautifulSoup((hostile_site / page).read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article") or soup
        assert f"Paragraphe {name} :" in flat(article.get_text()), page
    letter = (hostile_site / LETTER_PAGE).read_text(encoding="utf-8")
    assert "{{ config.site_name }}" in letter  # contributor text is never a template
    assert "boucleboucle" not in letter


@pytest.mark.parametrize("name", YAML_PAYLOADS)
def test_yaml_payload_is_shown_as_typed(hostile_site: Path, name: str) -> None:
    """Escaped, not stripped: readers see exactly what the contributor wrote."""
    pages = [hostile_site / ACTION_PAGE, hostile_site / f"{GC}/carte-identite/index.html"]
    text = " ".join(
        BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text(" ") for p in pages
    )
    expected = " ".join(YAML_PAYLOADS[name].split())
    assert expected in " ".join(text.split())


def test_values_the_views_compute_from_stay_text(hostile_site: Path) -> None:
    """The pages laid out from views (tisite.generate.views) show hostile values as typed, in text
    and in attributes, and compute with odd numbers (a huge and a tiny amount)."""

    def soup_of(page: str) -> BeautifulSoup:
        return BeautifulSoup((hostile_site / page).read_text(encoding="utf-8"), "html.parser")

    def text_of(page: str) -> str:
        return " ".join(flat(soup_of(page).get_text(" ")).split())

    governance = text_of(f"{GC}/gouvernance/index.html")
    assert YAML_PAYLOADS["gestionnaire-evenement"] in governance
    assert "1 000 000 000 000,00 €" in governance  # 999 999 999 999,99 € + 0,01 €: its cents
    assert YAML_PAYLOADS["sortie-d-attribut"] + " Recruter" in text_of(f"{GC}/priorites/index.html")
    assert YAML_PAYLOADS["balise-script"] in text_of(f"{GC}/index.html")
    assert "99,99 %" in text_of(f"{GC}/index.html")
    plan = soup_of(f"{GC}/plan-action/index.html")
    porteurs = [o.get_text() for o in plan.select("select[name=porteur] option")]
    assert YAML_PAYLOADS["formule-tableur"] in porteurs
    card = next(c for c in plan.select("article.ti-action-card") if "Piégé" in c.get_text())
    assert card["data-porteur"] == "hyperlink-https-pirate-example-cliquez"
    assert card.find("a")["href"] == "diagnostic-attractivite/"
    share = soup_of(ACTION_PAGE).select_one("textarea.ti-post-text")
    assert share is not None and share.get_text().startswith(YAML_PAYLOADS["balise-script"])


def test_social_tags_and_title_keep_the_text(hostile_site: Path) -> None:
    soup = BeautifulSoup((hostile_site / LETTER_PAGE).read_text(encoding="utf-8"), "html.parser")
    title = "Lettre n°\u00a01 : </title><script>window.__ti_pirate=1</script> Lettre piégée"
    assert soup.title is not None and soup.title.get_text().startswith(title)
    og = soup.find("meta", property="og:title")
    # the preview title is the text (with its territory), 110 characters at most
    assert og is not None and str(og["content"]).startswith(title)
    assert len(str(og["content"])) <= 110
    description = soup.find("meta", attrs={"name": "description"})
    assert description is not None
    assert description["content"] == YAML_PAYLOADS["gestionnaire-evenement"] + " résumé piégé"


def test_exports_keep_values_and_neutralise_formulas(hostile_site: Path) -> None:
    folder = hostile_site / GC / "plan-action"
    data = json.loads((folder / "actions.json").read_text(encoding="utf-8"))
    action = next(a for a in data["actions"] if a["id"] == "diagnostic-attractivite")
    assert action["titre"] == YAML_PAYLOADS["balise-script"]
    for name in ("actions.csv", "projets-territoire.csv"):
        rows = list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8-sig"))))
        cells = [value for row in rows for value in row.values()]
        assert not [c for c in cells if c and c.startswith(("=", "+", "@"))], name
    rows = list(
        csv.DictReader(io.StringIO((folder / "actions.csv").read_text(encoding="utf-8-sig")))
    )
    assert rows[0]["porteur"] == "'" + YAML_PAYLOADS["formule-tableur"]
    assert_data_matches_its_schemas(hostile_site)  # payloads are values, not structure


def test_feeds_and_calendar_are_well_formed(hostile_site: Path) -> None:
    feed = feedparser.parse((hostile_site / GC / "lettres" / "rss.xml").read_bytes())
    assert not feed.bozo
    assert flat(feed.entries[0].title).startswith("Lettre n° 1 : </title><script>")
    calendar = icalendar.Calendar.from_ical(
        (hostile_site / GC / "agenda" / "agenda.ics").read_bytes()
    )
    events = [e for e in calendar.walk("VEVENT")]
    assert len(events) == 1  # the title's line breaks did not add an event
    assert flat(str(events[0]["SUMMARY"])) == " ".join(ICS_INJECTION.split())


@pytest.mark.lent
def test_negative_control_the_checks_catch_live_payloads(unsanitised_site: Path) -> None:
    html = (unsanitised_site / ACTION_PAGE).read_text(encoding="utf-8")
    found = set(live_injections(html))
    assert {"<script> injecté", "<iframe>", "<img onerror>", "<object>"} <= found, found


@pytest.fixture(scope="module")
def hostile_url(hostile_site: Path) -> Iterator[str]:
    with static_server(hostile_site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("page", [p for p in PAGES if not p.endswith("email.html")])
def test_no_injected_script_runs_in_chromium(browser: Browser, hostile_url: str, page: str) -> None:
    assert injected_script_events(browser, hostile_url + page.removesuffix("index.html")) == []


@pytest.mark.browser
def test_no_injected_script_runs_from_search_results(browser: Browser, hostile_url: str) -> None:
    assert injected_script_events(browser, hostile_url, search="piégé") == []


@pytest.mark.browser
def test_negative_control_chromium_sees_the_script_run(
    browser: Browser, unsanitised_site: Path
) -> None:
    """Without the sanitiser and without the policy, the payloads run: the trap works."""
    with static_server(unsanitised_site) as url:
        page = url + ACTION_PAGE.removesuffix("index.html")
        assert "window.__ti_pirate" in injected_script_events(browser, page, bypass_csp=True)


@pytest.mark.browser
def test_the_policy_alone_blocks_injected_scripts(browser: Browser, unsanitised_site: Path) -> None:
    """Defence in depth: with the sanitiser switched off, the Content-Security-Policy alone
    stops the injected inline script and event handlers, and the browser reports it."""
    blocked: list[str] = []
    with static_server(unsanitised_site) as url:
        page = url + ACTION_PAGE.removesuffix("index.html")
        ran = injected_script_events(browser, page, blocked=blocked)
    # the browser shows its error page in the place of a blocked frame
    assert [r for r in ran if not r.startswith("navigation vers chrome-error:")] == [], ran
    assert any("inline script" in b or "script-src" in b for b in blocked), blocked
