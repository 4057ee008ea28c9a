"""The action-plan filters in headless Chromium: keyboard use, URL state, no-JS fallback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser import wait_until

pytestmark = pytest.mark.browser
INDEX = "hainaut-douaisis-cambresis/plan-action/"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def visible_titles(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        ".ti-action-card:not([hidden]) h4", "nodes => nodes.map(n => n.textContent.trim())"
    )


def test_filters_with_the_keyboard(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + INDEX)
    assert page.is_visible("form.ti-filters")
    assert len(visible_titles(page)) == 8
    assert page.inner_text(".ti-filter-count") == "8 actions affichées sur 8."
    # Reach the "axe" select with Tab only, then choose with the arrow keys.
    page.focus("body")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "f-axe":
            break
    else:
        pytest.fail("le filtre « Axe » n'est pas atteignable au clavier")
    page.keyboard.press("ArrowDown")  # first option after « Tous les axes »: Attirer
    wait_until(page, "document.querySelector('#f-axe').value === 'attirer'")
    assert sorted(visible_titles(page)) == [
        "Accompagner les projets de territoire, dont l'hydrogène",
        "Réaliser des actions de communication",
    ]
    assert page.inner_text(".ti-filter-count") == "2 actions affichées sur 8."
    assert "axe=attirer" in page.url
    assert page.is_hidden("#axe-recruter")
    # Combine with the priority filter, then reset.
    assert page.inner_text("#axe-attirer small") == "(2 actions)"  # both shown
    page.select_option("#f-priorite", "foncier")
    assert visible_titles(page) == ["Accompagner les projets de territoire, dont l'hydrogène"]
    # the group's heading counts what is shown (outside review: « Attirer (2 actions) » above
    # the one action left)
    assert page.inner_text("#axe-attirer small") == "(1 action sur 2)"
    # a choice that leaves nothing says what to do (it said « 0 action affichée sur 8. »)
    zero = page.eval_on_selector_all(
        "#f-priorite option", "o => o.filter(x => x.textContent.endsWith('(0)')).map(x => x.value)"
    )
    assert zero
    page.select_option("#f-priorite", zero[0])
    assert visible_titles(page) == []
    assert page.inner_text(".ti-filter-count") == (
        "Aucune des 8 actions ne correspond à ces filtres : retirez-en un, ou « Réinitialiser "
        "les filtres »."
    )
    page.select_option("#f-priorite", "foncier")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-action-filtre.png"), full_page=True)
    page.click("form.ti-filters button[type=reset]")
    wait_until(page, "document.querySelectorAll('.ti-action-card:not([hidden])').length === 8")
    assert page.inner_text("#axe-attirer small") == "(2 actions)"
    page.close()


def test_filter_state_from_url_and_the_counts_of_each_choice(
    browser: Browser, base_url: str
) -> None:
    page = browser.new_page()
    page.goto(base_url + INDEX + "?axe=attirer&epci=200068500")
    assert page.input_value("#f-axe") == "attirer"
    # every action of the example is « En cours » and for the whole territory: no status nor
    # intercommunality filter (each choice would keep them all), and the address's one is moot
    assert page.locator("#f-statut, #f-epci").count() == 0
    assert "(axe, priorité 2023-2027, porteur)" in page.inner_text("form.ti-filters summary")
    assert len(visible_titles(page)) == 2
    # each choice says how many actions it would leave with the other filters' choices
    priorities = page.eval_on_selector_all("#f-priorite option", "o => o.map(x => x.textContent)")
    assert "Foncier industriel (1)" in priorities and "Tous les axes" not in priorities, priorities
    axes = page.eval_on_selector_all("#f-axe option", "o => o.map(x => x.textContent)")
    assert axes[1:] == ["Attirer (2)", "Recruter (1)", "Innover (2)", "Simplifier (3)"], axes
    page.select_option("#f-axe", "")
    page.select_option("#f-porteur", index=1)
    assert visible_titles(page) == ["Financer le poste de chef de projet Territoire d'industrie"]
    page.close()


def test_without_javascript_every_action_is_listed(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + INDEX)
    assert not page.is_visible("form.ti-filters")
    assert page.locator(".ti-action-card").count() == 8
    assert all(page.locator(".ti-action-card").nth(i).is_visible() for i in range(8))
    context.close()


def measured(browser: Browser, base_url: str, width: int, script: str, *paths: str) -> list[Any]:
    """What ``script`` finds on each of ``paths`` at ``width`` pixels wide, together."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    found: list[Any] = []
    for path in paths:
        page.goto(base_url + path)
        found += page.evaluate(script)
    page.close()
    assert len(found) >= 8, (width, found)
    return found


def test_form_fields_are_16_px_on_a_phone(browser: Browser, base_url: str) -> None:
    """A phone's browser zooms into a field under 16 px when it is tapped (iOS Safari): the
    fields of the filters, the finder and the suggested post are 16 px at 375 px wide.
    Control: on a desktop, the same fields keep the page's smaller size."""
    sizes = (
        "() => [...document.querySelectorAll('select, input:not([type=checkbox]), textarea')]"
        ".filter(e => e.closest('.ti-filters, .ti-finder, .ti-share'))"
        ".map(e => [e.id, parseFloat(getComputedStyle(e).fontSize)])"
    )
    for width, phone in ((375, True), (1280, False)):
        found = measured(
            browser, base_url, width, sizes, INDEX, "actions/", INDEX + "chef-de-projet/"
        )
        small = [(name, size) for name, size in found if size < 16]
        assert (not small) if phone else small, (width, small)


def test_small_print_is_12_px_at_least_and_every_field_shows_its_focus(
    browser: Browser, base_url: str
) -> None:
    """The badges and priorities of an action's card, the filters' labels and lists (folded in
    a panel whose text is smaller) are 12 px at least, at both widths; each field of the
    filters and of the finder, the finder's words included, is outlined when it has the focus.
    Control: the badges were 9.6 px, the priorities 9 px, the filters 10.24 px, a figure's
    note 11.2 px, and the finder's words showed no focus."""
    sizes = (
        "() => [...document.querySelectorAll('.ti-badge, .ti-tag, .ti-filters label, "
        ".ti-filters select, .ti-finder label, .ti-finder select, .ti-action-card__meta, "
        ".ti-figure__note, .ti-figure__note time, .ti-links code')]"
        ".map(e => [e.className || e.tagName, e.textContent.trim().slice(0, 24),"
        " parseFloat(getComputedStyle(e).fontSize)])"
    )
    for width in (375, 1280):
        found = measured(browser, base_url, width, sizes, INDEX, "actions/")
        small = [(kind, text, size) for kind, text, size in found if size < 12]
        assert not small, (width, small)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    unmarked = []
    for path in (INDEX, "actions/"):
        page.goto(base_url + path)
        page.keyboard.press("Tab")  # the keyboard is used: focus is shown as for a Tab
        fields = page.eval_on_selector_all(
            ".ti-filters select, .ti-finder select, .ti-finder input", "e => e.map(x => x.id)"
        )
        for field in fields:
            page.focus(f"#{field}")
            style = page.eval_on_selector(
                f"#{field}", "e => [getComputedStyle(e).outlineStyle, e.matches(':focus')]"
            )
            if style != ["solid", True]:
                unmarked.append((path, field, style))
    page.close()
    assert len(fields) >= 6 and not unmarked, unmarked


def test_tables_fit_the_text_column_of_a_desktop(browser: Browser, base_url: str) -> None:
    """At 1280 px, no table of a fiche or of the plan scrolls sideways (the fiche's six
    indicator columns cut « Atteinte »). Control: with the theme's own cell padding back, the
    indicators table does."""
    overflowing = (
        "() => [...document.querySelectorAll('article table')]"
        ".filter(t => t.scrollWidth > t.clientWidth + 1)"
        ".map(t => (t.caption ? t.caption.textContent : '?').trim())"
    )
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    for path in (INDEX + "chef-de-projet/", INDEX, INDEX + "industrie-bas-carbone/"):
        page.goto(base_url + path)
        assert page.evaluate(overflowing) == [], path
    page.goto(base_url + INDEX + "chef-de-projet/")
    page.evaluate(  # through the CSS object model: the page's policy refuses a style element
        "() => document.querySelectorAll('article table th, article table td')"
        ".forEach(c => { c.style.paddingLeft = '1.25em'; c.style.paddingRight = '1.25em'; })"
    )
    assert "Indicateurs de suivi et de résultat" in page.evaluate(overflowing)
    page.close()


def test_small_links_are_targets_of_24_px_on_a_phone(browser: Browser, base_url: str) -> None:
    """The breadcrumb, the letters' subscription line and the footer's links are at least
    24 px tall on a phone (WCAG 2.5.8). Control: on a desktop they are lines of text."""
    heights = (
        "() => [...document.querySelectorAll("
        "'.ti-breadcrumb a, .ti-links a, .ti-footer__links a')]"
        ".map(a => Math.round(a.getBoundingClientRect().height))"
    )
    for width, phone in ((375, True), (1280, False)):
        paths = (INDEX + "chef-de-projet/", "hainaut-douaisis-cambresis/lettres/")
        found = measured(browser, base_url, width, heights, *paths)
        assert (min(found) >= 24) is phone, (width, found)


def test_on_a_phone_the_filters_are_folded_and_the_actions_come_first(
    browser: Browser, base_url: str
) -> None:
    """At 375 px the filters fold under one line, so that the first action is on the first
    screens; a tap opens them; an address with a filter opens them. Control: on a desktop
    they are open."""
    page = browser.new_page(viewport={"width": 375, "height": 812}, has_touch=True)
    page.goto(base_url + INDEX)
    wait_until(page, "!document.querySelector('form.ti-filters').hidden")
    assert not page.evaluate("document.querySelector('details.ti-filters__volet').open")
    assert not page.is_visible("#f-axe")
    page.tap("details.ti-filters__volet summary")
    wait_until(page, "document.querySelector('details.ti-filters__volet').open")
    assert page.is_visible("#f-axe")
    page.goto(base_url + INDEX + "?axe=attirer")
    wait_until(page, "document.querySelector('details.ti-filters__volet').open")
    assert page.input_value("#f-axe") == "attirer"
    page.close()
    desktop = browser.new_page(viewport={"width": 1280, "height": 800})
    desktop.goto(base_url + INDEX)
    wait_until(desktop, "!document.querySelector('form.ti-filters').hidden")
    assert desktop.evaluate("document.querySelector('details.ti-filters__volet').open")
    desktop.close()


def test_row_headers_keep_their_line_and_numbers_their_column(
    browser: Browser, base_url: str
) -> None:
    """At 1280 px, a row's header cell has the line above it that its data cells have (the
    national dashboard's first column had none, and the header's line started at column 2),
    and its counts are right-aligned; at 375 px, a stacked row's values all start beside
    their labels (numbers were right, text left). Control: the former styles fail each."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base_url + "tableau-de-bord/")
    rows = page.eval_on_selector_all(
        "table:has(#tableau-priorites) tbody tr",
        "rows => rows.map(r => [...r.children].map(c => [getComputedStyle(c).borderTopStyle,"
        " getComputedStyle(c).textAlign]))",
    )
    assert rows and all(cell[0] == "solid" for row in rows for cell in row), rows
    assert all(cell[1] == "right" for row in rows for cell in row[1:]), rows
    page.close()
    page = browser.new_page(viewport={"width": 375, "height": 800})
    for path in ("tableau-de-bord/", "hainaut-douaisis-cambresis/carte-identite/"):
        page.goto(base_url + path)
        aligned = page.eval_on_selector_all(
            "article table[data-stack] td", "c => c.map(x => getComputedStyle(x).textAlign)"
        )
        assert aligned and set(aligned) == {"left"}, (path, aligned)
    page.close()
