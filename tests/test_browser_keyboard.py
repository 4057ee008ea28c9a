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

# The focused element: where it is drawn, whether something else is drawn over it, whether it
# is inside the side menu.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const r = e.getBoundingClientRect();
    return {
        name: (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 40),
        which: [e.tagName, e.id, e.getAttribute('href'), e.getAttribute('for')].join(' '),
        menu: e.classList.contains('ti-menu'),
        classes: e.className || '',
        inDrawer: !!e.closest('.md-sidebar--primary'),
        off: r.width === 0 || r.height === 0 || r.right <= 0 || r.left >= innerWidth
            || r.bottom <= 0 || r.top >= innerHeight,
        // another element drawn over its middle (a level of the menu over the one above)
        covered: (() => {
            const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return !top || !(top === e || e.contains(top) || top.contains(e));
        })(),
    };
}"""
DRAWER_SHOWN = f"""(() => {{
    const r = document.querySelector('{DRAWER}').getBoundingClientRect();
    return r.left >= 0 && r.right <= innerWidth;
}})()"""


def tab_walk(page: Page, limit: int = 150) -> list[dict[str, Any]]:
    """Every Tab stop from the top of the page until the focus leaves the page or comes back.

    The theme's « back to top » button (``.md-top``) is taken out of the page first: the theme
    shows it while the page scrolls up and hides it while it scrolls down, which the walk's own
    focus moves cause at a moment the walk does not control. Focused then hidden, it took the
    focus away mid-walk (a walk ended before the footer, seen once on a loaded machine)."""
    page.evaluate("document.querySelectorAll('.md-top').forEach((e) => e.remove())")
    stops: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


# The page has loaded and the theme's script has run (it publishes ``document$``); nothing
# has the focus yet, so the walk starts from the top.
READY = (
    "document.readyState === 'complete' && 'document$' in window"
    " && (document.activeElement === null || document.activeElement === document.body)"
)


def open_page(browser: Browser, url: str, width: int, block_script: bool = False) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 800})
    if block_script:
        page.route("**/a11y.js", lambda route: route.abort())
    page.goto(url, wait_until="networkidle")
    wait_until(page, READY)
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
    button is not shown; the same stops as the theme's alone (the script only names the
    control that opens a section)."""
    page = open_page(browser, base_url + path, 1280)
    stops = tab_walk(page)
    assert not [s["name"] for s in stops if s["off"]]
    assert [s for s in stops if s["inDrawer"]] and not [s for s in stops if s["menu"]]
    assert not page.evaluate(f"document.querySelector('{DRAWER}').inert")
    page.close()
    theme = open_page(browser, base_url + path, 1280, block_script=True)
    assert [s["which"] for s in tab_walk(theme)] == [s["which"] for s in stops]
    theme.close()


@pytest.mark.parametrize(("path", "key"), list(zip(PAGES, ["Enter", " ", "Enter"], strict=True)))
def test_the_menu_opens_from_the_keyboard_and_gives_the_focus_back(
    browser: Browser, base_url: str, path: str, key: str
) -> None:
    page = open_page(browser, base_url + path, 375)
    page.focus(".ti-menu")
    assert page.get_attribute(".ti-menu", "aria-expanded") == "false"
    page.keyboard.press(key)
    wait_until(page, DRAWER_SHOWN)
    assert page.get_attribute(".ti-menu", "aria-expanded") == "true"
    first = page.evaluate(FOCUSED)
    assert first and first["inDrawer"] and not first["off"] and not first["covered"], first
    # open, Tab goes round the menu only, every stop on screen and in sight (the page behind
    # and the menu's level covered by the territory's are inert)
    stops = tab_walk(page)
    assert stops and all(s["inDrawer"] and not s["off"] for s in stops), stops
    assert not [s["name"] for s in stops if s["covered"]], stops
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


def test_the_levels_of_the_menu_by_keyboard(browser: Browser, base_url: str) -> None:
    """On a territory's page the menu opens on the territory's level, drawn over the site's:
    « Retour » (a button over the theme's arrow) shows the site's level and gives the focus to
    the control that opens the territory's again; every stop is in sight at each level.
    Negative control: with the levels left as the theme makes them, the walk meets the site's
    links under the territory's level."""
    page = open_page(browser, base_url + PAGES[1], 375)
    page.focus(".ti-menu")
    page.keyboard.press("Enter")
    wait_until(page, DRAWER_SHOWN)
    assert page.evaluate(FOCUSED)["name"] == "Retour\u00a0: Territoires d'industrie"
    territory = [s["name"] for s in tab_walk(page)]
    assert "Carte d'identité" in territory and "Tableau de bord national" not in territory
    page.keyboard.press("Escape")
    wait_until(page, "document.activeElement.classList.contains('ti-menu')")
    page.keyboard.press("Enter")
    wait_until(page, DRAWER_SHOWN)
    page.keyboard.press("Enter")  # « Retour »
    opener = "label.md-nav__link[for^='__nav_'][tabindex]"
    wait_until(page, f'document.activeElement.matches("{opener}")')
    wait_until(page, '!document.querySelector("input.md-nav__toggle:checked ~ nav")')
    wait_until(
        page,
        "(() => { const n = document.querySelector('input.md-nav__toggle ~ nav');"
        " return n.getBoundingClientRect().left >= innerWidth - 1"
        " || getComputedStyle(n).opacity === '0'; })()",
    )
    tab_walk(page)  # to the end of the menu: the next walk starts from its top
    site = tab_walk(page)
    assert not [s["name"] for s in site if s["covered"] or s["off"]], site
    assert "Tableau de bord national" in [s["name"] for s in site]
    page.focus(opener)
    page.keyboard.press("Enter")  # the territory's level again
    wait_until(page, "document.activeElement.classList.contains('ti-menu-retour')")
    page.close()
    # Negative control: the theme's levels without the script's inert (the menu opened)
    theme = open_page(browser, base_url + PAGES[1], 375)
    theme.focus(".ti-menu")
    theme.keyboard.press("Enter")
    wait_until(theme, DRAWER_SHOWN)
    theme.evaluate("document.querySelectorAll('[inert]').forEach(e => { e.inert = false; })")
    theme.evaluate("document.querySelector('.md-nav--primary > .md-nav__title a').focus()")
    walk = tab_walk(theme)
    covered = [s["name"] for s in walk if s["covered"]]
    assert "Tableau de bord national" in covered, walk
    theme.close()


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


@pytest.mark.parametrize("path", ["contribuer/", "hainaut-douaisis-cambresis/plan-action/"])
def test_a_headings_own_link_is_no_tab_stop(browser: Browser, base_url: str, path: str) -> None:
    """The « ¶ » link of each heading (shown on hover) is out of the Tab order and of what a
    screen reader reads, on a Markdown page (the guide) and a generated one (the plan): a
    keyboard user reaches the content without one stop per heading. Negative control: the
    same walk, with the links' tabindex removed, stops on each of them."""
    page = open_page(browser, base_url + path, 1280)
    links = page.locator(".md-content .headerlink")
    assert links.count() >= 3
    assert page.evaluate(
        """() => [...document.querySelectorAll('.md-content .headerlink')].every(a =>
            a.getAttribute('tabindex') === '-1' && a.getAttribute('aria-hidden') === 'true')"""
    )
    count = links.count()
    assert not [s for s in tab_walk(page, 300) if "headerlink" in s["classes"]]
    page.close()
    control = open_page(browser, base_url + path, 1280)
    control.evaluate(
        "document.querySelectorAll('.headerlink').forEach(a => a.removeAttribute('tabindex'))"
    )
    stops = [s for s in tab_walk(control, 300) if "headerlink" in s["classes"]]
    assert len(stops) == count, stops
    control.close()


@pytest.mark.parametrize("path", ["404.html", "hainaut-douaisis-cambresis/"])
def test_the_first_tab_stop_skips_to_the_content(
    browser: Browser, base_url: str, path: str
) -> None:
    """« Aller au contenu » is the first tab stop of every page, the error page included
    (review: its first stop was the logo), and leads to the page's heading."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base_url + path, wait_until="networkidle")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.textContent.trim(), document.activeElement.getAttribute('href')]"
    )
    assert focused[0] == "Aller au contenu", (path, focused)
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash.length > 1")
    target = page.evaluate("document.querySelector(location.hash).tagName")
    assert target in ("H1", "H2"), (path, target)
    page.close()
