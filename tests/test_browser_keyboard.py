"""The keyboard on a phone (375 px) and on a desktop (1280 px): every Tab stop is on screen,
the side menu opens from the keyboard, takes the focus and gives it back when it closes.

Material moves its closed side menu off screen: without assets/js/a11y.js, half of the Tab
stops of a phone page are links nobody sees, and its « Menu » control (a label) is no Tab stop
(negative control: the same walk with the script blocked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser import wait_until

pytestmark = pytest.mark.browser
PAGES = ("", "hainaut-douaisis-cambresis/", "hainaut-douaisis-cambresis/plan-action/")
DRAWER = ".md-sidebar--primary"

# The focused element: where it is drawn, whether it is inside the side menu.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const r = e.getBoundingClientRect();
    return {
        name: (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 40),
        menu: e.classList.contains('ti-menu'),
        inDrawer: !!e.closest('.md-sidebar--primary'),
        off: r.width === 0 || r.height === 0 || r.right <= 0 || r.left >= innerWidth
            || r.bottom <= 0 || r.top >= innerHeight,
    };
}"""
DRAWER_SHOWN = f"""(() => {{
    const r = document.querySelector('{DRAWER}').getBoundingClientRect();
    return r.left >= 0 && r.right <= innerWidth;
}})()"""


def tab_walk(page: Page, limit: int = 150) -> list[dict[str, Any]]:
    """Every Tab stop from the top of the page until the focus leaves the page or comes back."""
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


def open_page(browser: Browser, url: str, width: int, block_script: bool = False) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 800})
    if block_script:
        page.route("**/a11y.js", lambda route: route.abort())
    page.goto(url, wait_until="networkidle")
    if not block_script:
        wait_until(page, "!document.querySelector('.ti-menu').hidden")  # the script has run
    return page


@pytest.mark.parametrize("path", PAGES)
def test_no_tab_stop_off_screen_on_a_phone(browser: Browser, base_url: str, path: str) -> None:
    page = open_page(browser, base_url + path, 375)
    stops = tab_walk(page)
    off = [s["name"] for s in stops if s["off"]]
    assert not off, f"{path} : arrêts de tabulation hors de l'écran : {off}"
    assert [s for s in stops if s["menu"]], f"{path} : le bouton « Menu » n'est pas atteint"
    assert not [s for s in stops if s["inDrawer"]], "le menu fermé est atteint au clavier"
    assert page.evaluate(f"document.querySelector('{DRAWER}').inert")
    page.close()


@pytest.mark.parametrize("path", PAGES)
def test_nothing_changes_on_a_desktop(browser: Browser, base_url: str, path: str) -> None:
    """At 1280 px the menu is a column of the page: its links are Tab stops, on screen; the
    button is not shown; the script leaves the page as the theme made it."""
    page = open_page(browser, base_url + path, 1280)
    stops = tab_walk(page)
    assert not [s["name"] for s in stops if s["off"]]
    assert [s for s in stops if s["inDrawer"]] and not [s for s in stops if s["menu"]]
    assert not page.evaluate(f"document.querySelector('{DRAWER}').inert")
    page.close()
    theme = open_page(browser, base_url + path, 1280, block_script=True)
    assert [s["name"] for s in tab_walk(theme)] == [s["name"] for s in stops]
    theme.close()


@pytest.mark.parametrize("key", ["Enter", " "])
def test_the_menu_opens_from_the_keyboard_and_gives_the_focus_back(
    browser: Browser, base_url: str, key: str
) -> None:
    page = open_page(browser, base_url + PAGES[1], 375)
    page.focus(".ti-menu")
    assert page.get_attribute(".ti-menu", "aria-expanded") == "false"
    page.keyboard.press(key)
    wait_until(page, DRAWER_SHOWN)
    assert page.get_attribute(".ti-menu", "aria-expanded") == "true"
    first = page.evaluate(FOCUSED)
    assert first and first["inDrawer"] and not first["off"], first
    # open, Tab goes round the menu only, every stop on screen (the page behind is inert)
    stops = tab_walk(page)
    assert stops and all(s["inDrawer"] and not s["off"] for s in stops), stops
    page.keyboard.press("Escape")
    wait_until(page, "document.activeElement.classList.contains('ti-menu')")
    wait_until(page, f"document.querySelector('{DRAWER}').inert")
    assert page.get_attribute(".ti-menu", "aria-expanded") == "false"
    assert page.evaluate("document.querySelector('.md-content').inert") is False
    # closed by the overlay (a tap beside the menu): the focus comes back too
    page.keyboard.press("Enter")
    wait_until(page, DRAWER_SHOWN)
    page.mouse.click(360, 400)
    wait_until(page, "document.activeElement.classList.contains('ti-menu')")
    wait_until(page, f"document.querySelector('{DRAWER}').inert")
    page.close()


@pytest.mark.parametrize("path", PAGES)
def test_without_the_script_the_walk_finds_the_faults(
    browser: Browser, base_url: str, path: str
) -> None:
    """Negative control: the theme alone (a11y.js blocked) puts Tab stops off screen, in the
    closed menu, and has no « Menu » stop; the walk sees it."""
    page = open_page(browser, base_url + path, 375, block_script=True)
    stops = tab_walk(page)
    assert [s for s in stops if s["off"] and s["inDrawer"]]
    assert not [s for s in stops if s["menu"]]
    page.close()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCROLLING_CODE = """() => [...document.querySelectorAll('.md-typeset pre > code')]
    .filter(c => c.scrollWidth > c.clientWidth + 1)
    .map(c => ({tabindex: c.getAttribute('tabindex'), role: c.getAttribute('role'),
                name: c.getAttribute('aria-label')}))"""
UNREACHABLE = """async () => (await axe.run(document,
    {runOnly: ['scrollable-region-focusable']})).violations.flatMap(v => v.nodes).length"""


def test_code_blocks_that_scroll_are_reachable_and_named(browser: Browser, base_url: str) -> None:
    """The guide's code examples wider than a phone take the focus and have a name, like the
    tables; axe finds no scrolling region out of the keyboard's reach. Our script does it
    alone (the theme's script blocked); negative control: without either, axe finds them."""
    for blocked in (("**/javascripts/bundle.*.js",), ("**/javascripts/bundle.*.js", "**/a11y.js")):
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.add_init_script(path=str(AXE))
        for pattern in blocked:
            page.route(pattern, lambda route: route.abort())
        page.goto(base_url + "contribuer/", wait_until="load")
        code = page.evaluate(SCROLLING_CODE)
        assert len(code) >= 3, code  # the guide's YAML examples are wider than a phone
        if len(blocked) == 1:
            wait_until(page, "document.querySelectorAll('code[data-ti-scroll]').length > 0")
            code = page.evaluate(SCROLLING_CODE)
            assert all(
                c == {"tabindex": "0", "role": "group", "name": "Exemple de code, défilant"}
                for c in code
            ), code
            assert page.evaluate(UNREACHABLE) == 0
        else:
            assert page.evaluate(UNREACHABLE) == len(code)
        page.close()
