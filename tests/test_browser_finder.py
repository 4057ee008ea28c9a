"""The national action finder (/actions/) with and without JavaScript, the search dialog under
axe, and the national map with the keyboard, in headless Chromium on the example site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from browser import SEARCH_READY, wait_until

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
STATUS = "document.getElementById('ti-trouveur-etat').textContent"
BUSY = "document.getElementById('ti-trouveur-resultats').hasAttribute('aria-busy')"
# the results of the last choice are shown: the list is no longer being updated (the script
# marks it busy from the choice on, the wait before a typed word's search included)
READY = f"/fiche|Aucune/.test({STATUS}) && !{STATUS}.startsWith('Recherche') && !{BUSY}"
HDC, GC = "Hainaut-Douaisis-Cambrésis", "Grand-Châtellerault"


def finder(browser: Browser, base_url: str, query: str = "") -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "actions/" + query, wait_until="networkidle")
    wait_until(page, READY)
    return page


def results(page: Page) -> list[tuple[str, str]]:
    """(title, « territory · status ») of every result shown."""
    return page.eval_on_selector_all(
        ".ti-finder__result",
        "nodes => nodes.map(n => [n.querySelector('a').textContent,"
        " n.querySelector('.ti-finder__meta').textContent])",
    )


def watch_busy(page: Page) -> None:
    """Record in ``window.busyMarks`` every change of the results list's « aria-busy », from
    now on, by its former value (null: it was not busy), a state of the page, not a moment."""
    page.evaluate(
        """() => {
        window.busyMarks = [];
        new MutationObserver((records) => records.forEach((r) => {
            if (r.attributeName === 'aria-busy')
                window.busyMarks.push(r.oldValue);
        })).observe(document.getElementById('ti-trouveur-resultats'),
            {attributes: true, attributeOldValue: true});
    }"""
    )


def settle(page: Page) -> None:
    wait_until(page, READY)


def test_the_finder_filters_across_territories(browser: Browser, base_url: str) -> None:
    page = finder(browser, base_url)
    everything = results(page)
    # (« · » after a no-break space: the separator stays with the territory's name)
    assert {re.split(r"\s·\s", meta)[0] for _, meta in everything} == {HDC, GC}
    assert page.evaluate(STATUS).startswith(f"{len(everything)}")
    # the results line up with the title and the filters (outside review: 10 px to the right)
    edges = page.evaluate(
        "[...document.querySelectorAll('.md-content h1, .md-content form, .ti-finder__result')]"
        ".filter(e => e.getClientRects().length)"
        ".map(e => Math.round(e.getBoundingClientRect().left))"
    )
    assert len(set(edges)) == 1, edges
    watch_busy(page)
    page.select_option("#t-region", "Nouvelle-Aquitaine")
    settle(page)
    # the list was marked busy from the choice on (from not busy), then no longer (from busy)
    assert page.evaluate("window.busyMarks") == [None, "true"]
    shown = results(page)
    assert shown and all(meta.startswith(GC) for _, meta in shown), shown
    assert len(shown) < len(everything)
    assert "region=Nouvelle-Aquitaine" in page.url  # the filtered list can be shared
    # the other facets now count what is left (each facet's count, not only the chosen one's)
    counts = page.eval_on_selector_all("#t-territoire option", "o => o.map(x => x.textContent)")
    assert f"{HDC} (0)" in counts and f"{GC} ({len(shown)})" in counts, counts
    statuses = page.eval_on_selector_all("#t-statut option", "o => o.map(x => x.textContent)")
    numbers = [int(label.rsplit("(", 1)[1].rstrip(")")) for label in statuses[1:]]
    assert sum(numbers) == len(shown), statuses
    # the chosen list counts what its other values would give with the other choices, the
    # same whether chosen by hand or from a shared address (it kept the counts it had before
    # the other choice: « En cours (8) » beside no result)
    page.select_option("#t-statut", "En cours")
    settle(page)
    assert results(page) == [] and page.evaluate(STATUS).startswith("Aucune")
    statuses = page.eval_on_selector_all("#t-statut option", "o => o.map(x => x.textContent)")
    assert "En cours (0)" in statuses and f"Non renseigné ({len(shown)})" in statuses, statuses
    regions = page.eval_on_selector_all("#t-region option", "o => o.map(x => x.textContent)")
    assert "Nouvelle-Aquitaine (0)" in regions and "Hauts-de-France (8)" in regions, regions
    shared = finder(browser, base_url, "?" + page.url.split("?", 1)[1])
    for name in ("statut", "region"):
        options = f"#t-{name} option"
        mine = page.eval_on_selector_all(options, "o => o.map(x => x.textContent)")
        assert shared.eval_on_selector_all(options, "o => o.map(x => x.textContent)") == mine
    shared.close()
    watch_busy(page)
    page.click("button[type=reset]")
    settle(page)  # (the fields are reset after the event, the search run then: busy before)
    assert page.evaluate("window.busyMarks")[:1] == [None]
    again = results(page)  # drawn from the index now
    assert len(again) == len(everything)
    # a result whose planned end passed says so, as the plan's cards do, drawn by the page or
    # by the script alike (the example's Hainaut actions end by 2024; Grand-Châtellerault's
    # have no end: the control)
    for meta in (dict(everything), dict(again)):
        assert all(m.endswith("· échéance dépassée") == m.startswith(HDC) for m in meta.values())
    page.fill("#t-texte", "robotique")
    wait_until(page, f"{STATUS}.includes('« robotique »')")
    shown = results(page)
    assert [t for t, _ in shown] and all(m.startswith(HDC) for _, m in shown), shown
    assert len(shown) < len(everything)
    regions = page.eval_on_selector_all("#t-region option", "o => o.map(x => x.textContent)")
    assert f"Hauts-de-France ({len(shown)})" in regions, regions  # a word counts too
    page.click(".ti-finder__result a")
    page.wait_for_url("**/plan-action/**")
    page.close()


def test_more_results_asked_while_a_choice_is_searched_leave_the_list_not_busy(
    browser: Browser, base_url: str
) -> None:
    """« Afficher plus » asked before a choice's search answers (the same task, so the
    choice's search is always the older one): the newer search answers the choice, says so
    and ends the list's busy state (the choice's own search, overtaken, left it busy for good:
    screen readers that hide a busy region never read the results)."""
    page = finder(browser, base_url)
    page.evaluate(
        """() => {
        const region = document.getElementById('t-region');
        region.value = 'Nouvelle-Aquitaine';
        region.dispatchEvent(new Event('change'));
        document.getElementById('ti-trouveur-plus').click();  // (hidden: fewer than 20 here)
    }"""
    )
    settle(page)
    shown = results(page)
    assert shown and all(meta.startswith(GC) for _, meta in shown), shown
    assert page.evaluate(STATUS).startswith(f"{len(shown)}\u00a0fiche"), page.evaluate(STATUS)
    page.close()


def test_a_shared_address_opens_the_finder_filtered(browser: Browser, base_url: str) -> None:
    page = finder(browser, base_url, "?priorite=Foncier+industriel")
    assert page.eval_on_selector("#t-priorite", "s => s.value") == "Foncier industriel"
    shown = results(page)
    page.goto(base_url + "actions/priorite/foncier-industriel/")
    listed = page.eval_on_selector_all(".ti-facet-list a", "a => a.map(x => x.textContent)")
    assert sorted(t for t, _ in shown) == sorted(listed) and listed
    page.close()


def test_without_javascript_each_facet_has_its_list(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "actions/")
    assert not page.is_visible("#ti-trouveur")  # no form that would do nothing
    page.click("ul.ti-facets a:text-is('Nouvelle-Aquitaine')")
    page.wait_for_url("**/actions/region/nouvelle-aquitaine/")  # the list's page, loaded
    assert page.inner_text("h1").startswith("Fiches actions — Nouvelle-Aquitaine")
    territories = page.eval_on_selector_all("h3 a", "a => a.map(x => x.textContent)")
    assert territories == [GC]
    page.go_back()
    page.wait_for_url("**/actions/")
    page.click("ul.ti-facets a:text-is('En cours')")
    page.wait_for_url("**/actions/statut/en-cours/")
    territories = page.eval_on_selector_all("h3 a", "a => a.map(x => x.textContent)")
    assert territories  # across territories
    for href in page.eval_on_selector_all(".ti-facet-list a", "a => a.map(x => x.href)"):
        assert "/plan-action/" in href
    context.close()


def test_the_search_dialog_passes_axe(browser: Browser, base_url: str) -> None:
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.add_init_script(path=str(AXE))
        page.goto(base_url, wait_until="networkidle")
        wait_until(page, SEARCH_READY)
        page.keyboard.press("/")
        page.keyboard.type("industrie")
        page.wait_for_selector(".ti-recherche__resultats li")
        page.click(".ti-recherche__filtres summary")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"recherche-{width}.png"))
        found = page.evaluate(
            "async () => (await axe.run('#ti-recherche', {resultTypes: ['violations']}))"
            ".violations.map(v => v.id + ' : ' + v.nodes.map(n => n.target).join(', '))"
        )
        assert not found, f"{width} px : {found}"
        page.close()


def test_the_national_map_works_with_the_keyboard(browser: Browser, base_url: str) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url, wait_until="networkidle")
    names = page.eval_on_selector_all(
        ".ti-map-links a", "a => a.map(x => x.getAttribute('aria-label'))"
    )
    assert names == ["Nord : 1 territoire", "Vienne : 1 territoire"]
    page.focus(".ti-recherche__ouvrir")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.ti-map-links')"):
            break
    else:
        pytest.fail("aucun département de la carte n'est atteignable avec Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**#departement-59")
    assert page.evaluate("document.querySelector(':target').textContent").startswith("Nord (59)")
    page.keyboard.press("Tab")  # from the map's link to the next link of the page
    page.goto(base_url + "#departement-86")
    page.click("#departement-86 a")
    page.wait_for_url("**/grand-chatellerault/")
    page.close()


def test_on_a_phone_the_filters_fold_and_the_first_results_come_first(
    browser: Browser, base_url: str
) -> None:
    """At 375 px the finder's five lists are folded under one button, so that the first result
    is on the first screen (the form took it all); the button unfolds them and says how many
    are chosen; a shared address with a filter opens unfolded. Control: on a desktop the lists
    are shown and the button is not."""
    page = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(base_url + "actions/", wait_until="networkidle")
    wait_until(page, READY)
    button = ".ti-finder__volet button"
    assert not page.is_visible("#t-region") and page.is_visible(button)
    top = page.eval_on_selector(".ti-finder__result", "e => e.getBoundingClientRect().top")
    assert top < 740 - 60, top  # the first result's title on the first screen
    page.click(button)
    assert page.is_visible("#t-region") and page.get_attribute(button, "aria-expanded") == "true"
    page.select_option("#t-region", "Nouvelle-Aquitaine")
    settle(page)
    assert page.inner_text(button).endswith(": 1 choisi")
    shared = browser.new_page(viewport={"width": 375, "height": 740}, is_mobile=True)
    shared.goto(page.url, wait_until="networkidle")
    wait_until(shared, READY)
    assert (
        shared.is_visible("#t-region") and shared.input_value("#t-region") == "Nouvelle-Aquitaine"
    )
    shared.click("#t-effacer")
    settle(shared)
    assert not shared.inner_text(button).endswith("choisi")
    for p in (page, shared):
        p.close()
    desktop = finder(browser, base_url)
    assert desktop.is_visible("#t-region") and not desktop.is_visible(button)  # control
    desktop.close()
