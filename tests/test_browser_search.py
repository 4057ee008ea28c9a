"""The site's search (Pagefind) in headless Chromium, with the keyboard only, on the example
site: French words and their inflections, filters, results that name their territory, and
nothing loaded before the visitor searches."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from browser import SEARCH_READY, search_state, wait_until
from tisite.publish.searchindex import GUIDE

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ACTION = "hainaut-douaisis-cambresis/plan-action/chef-de-projet/"
STATUS = "document.querySelector('.ti-recherche__etat').textContent"
OPEN = "document.activeElement.matches('input.ti-recherche__texte')"


def search(page: Page, words: str) -> list[str]:
    """Open the search with « / » once its script listens to the key, type ``words``; the
    result links."""
    wait_until(page, SEARCH_READY)
    page.focus("body")
    page.keyboard.press("/")
    try:
        wait_until(page, OPEN)
        page.keyboard.type(words)
        # the status names the whole query once its results are written (or says there are none)
        wait_until(
            page,
            f"{STATUS}.includes('« {words} »') && "
            "(document.querySelector('.ti-recherche__resultats li') || /Aucun/.test("
            + STATUS
            + "))",
        )
    except TimeoutError as exc:
        raise AssertionError(f"{exc} ; recherche : {search_state(page)}") from None
    return page.eval_on_selector_all(
        ".ti-recherche__resultats a", "nodes => nodes.map(n => n.getAttribute('href'))"
    )


def opened(browser: Browser, url: str) -> tuple[Page, list[str]]:
    """A page and the list of the URLs it requests from now on."""
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return page, requests


def test_a_page_view_loads_nothing_of_the_search(browser: Browser, base_url: str) -> None:
    page, requests = opened(browser, base_url + ACTION)
    wait_until(page, SEARCH_READY)  # the search is set up, and has asked for nothing
    page.wait_for_timeout(300)
    assert not [r for r in requests if "/pagefind/" in r]
    # control: the same page loads the index as soon as the visitor types
    search(page, "chef")
    assert [r for r in requests if "/pagefind/" in r]
    assert all(r.startswith(base_url) for r in requests), requests
    page.close()


def test_a_word_of_a_description_finds_the_action_and_enter_opens_it(
    browser: Browser, base_url: str
) -> None:
    """The description says « qui l'héberge »: French elisions split words."""
    page, _ = opened(browser, base_url)
    links = search(page, "héberge")
    assert any(ACTION in href for href in links), links
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "recherche.png"))
    for _ in range(len(links)):
        page.keyboard.press("ArrowDown")
        if ACTION in page.evaluate("document.activeElement.getAttribute('href') || ''"):
            break
    else:
        pytest.fail(f"la fiche action n'est pas atteignable au clavier : {links}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{ACTION}**")
    assert page.inner_text("h1").startswith("Financer le poste de chef de projet")
    page.close()


def test_an_inflected_form_finds_the_word_and_results_name_their_territory(
    browser: Browser, base_url: str
) -> None:
    """« financements » finds the action whose text says « financement » (French stemming)."""
    page, _ = opened(browser, base_url)
    links = search(page, "financements")
    assert any(ACTION in href for href in links), links
    first = page.locator(".ti-recherche__resultats li", has=page.locator(f'a[href$="{ACTION}"]'))
    # (the « · » after a no-break space, as the pages write it)
    assert first.locator(".ti-recherche__genre").inner_text().lower() == (
        "fiche action\u00a0· hainaut-douaisis-cambrésis"
    )
    assert first.locator("mark").count() >= 1  # the words found are highlighted
    page.close()


def test_filters_narrow_the_results(browser: Browser, base_url: str) -> None:
    page, _ = opened(browser, base_url)
    everything = search(page, "financement")
    page.click(".ti-recherche__filtres summary")
    page.select_option(".ti-recherche__filtres select[name=type]", "Fiche action")
    wait_until(
        page, f"document.querySelectorAll('.ti-recherche__resultats a').length < {len(everything)}"
    )
    kinds = page.eval_on_selector_all(
        ".ti-recherche__genre", "nodes => nodes.map(n => n.textContent)"
    )
    assert kinds and all(k.startswith("Fiche action") for k in kinds), kinds
    page.select_option(".ti-recherche__filtres select[name=territoire]", "Grand-Châtellerault")
    wait_until(page, f"!{STATUS}.startsWith('Recherche')")
    kinds = page.eval_on_selector_all(
        ".ti-recherche__genre", "nodes => nodes.map(n => n.textContent)"
    )
    assert all("Grand-Châtellerault" in k for k in kinds), kinds
    page.close()


GUIDE_FIRST_IN_PAGEFIND = """async ([w, guide]) => {
    const pf = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
    const s = await pf.search(w);
    const kinds = await Promise.all(s.results.map(async r => (await r.data()).meta.type));
    return kinds.indexOf(guide) < kinds.lastIndexOf('Lettre');
}"""


def test_the_contributors_guide_comes_after_the_visitors_pages(
    browser: Browser, base_url: str
) -> None:
    """« lettre » is all over the guide: its pages come after every page written for
    visitors, under their own type, which the « Type » filter shows alone. Control: Pagefind's
    own order puts the guide before letters."""
    page, _ = opened(browser, base_url)
    search(page, "lettre")
    kinds = page.eval_on_selector_all(
        ".ti-recherche__genre", "nodes => nodes.map(n => n.textContent)"
    )
    while page.locator(".ti-recherche__plus").count():  # every result, not the first ten
        shown = len(kinds)
        page.click(".ti-recherche__plus")
        wait_until(page, f"document.querySelectorAll('.ti-recherche__genre').length > {shown}")
        kinds = page.eval_on_selector_all(
            ".ti-recherche__genre", "nodes => nodes.map(n => n.textContent)"
        )
    guide = [i for i, kind in enumerate(kinds) if kind == GUIDE]
    assert guide and len(guide) < len(kinds), kinds
    assert guide == list(range(len(kinds) - len(guide), len(kinds))), kinds
    assert page.evaluate(GUIDE_FIRST_IN_PAGEFIND, ["lettre", GUIDE])  # control
    page.click(".ti-recherche__filtres summary")
    page.select_option(".ti-recherche__filtres select[name=type]", GUIDE)
    wait_until(page, f"document.querySelectorAll('.ti-recherche__genre').length < {len(kinds)}")
    wait_until(page, f"!{STATUS}.startsWith('Recherche')")
    only = page.eval_on_selector_all(
        ".ti-recherche__genre", "nodes => nodes.map(n => n.textContent)"
    )
    assert only == [GUIDE] * len(guide), only
    page.close()


def test_an_unknown_word_says_so_and_escape_gives_the_focus_back(
    browser: Browser, base_url: str
) -> None:
    page, _ = opened(browser, base_url)
    search(page, "zzyzxq")
    assert "Aucun résultat" in page.evaluate(STATUS)
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('ti-recherche').open")
    # at once: the key's handler gives the focus back, not the dialog's close event a task later
    assert page.evaluate("document.activeElement.matches('.ti-recherche__ouvrir')")
    page.close()


def test_without_javascript_no_dead_search_button(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url)
    assert not page.is_visible(".ti-recherche__ouvrir")
    assert not page.is_visible("#ti-recherche")
    context.close()


def test_results_only_link_to_the_site(browser: Browser, base_url: str) -> None:
    """A page name such as « \\autre.example » gives the address « /\\autre.example/ », which
    the browser reads as another host: such a result gets no link."""
    page, _ = opened(browser, base_url)
    tricky = "/\\autre.example/"
    # control: the browser does send that address elsewhere
    assert page.evaluate("u => new URL(u, location.href).host", tricky) == "autre.example"
    assert page.evaluate("u => window.tiRecherche.link(u)", tricky) is None
    assert page.evaluate("u => window.tiRecherche.link(u)", "//autre.example/") is None
    assert page.evaluate("u => window.tiRecherche.link(u)", "https://autre.example/") is None
    assert page.evaluate("u => window.tiRecherche.link(u)", "/") == base_url
    page.close()


def test_the_single_key_shortcuts_can_be_turned_off(browser: Browser, base_url: str) -> None:
    """WCAG 2.1.4: a box of the dialog turns « / » and « s » off, remembered in the browser."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url, wait_until="networkidle")
    page.keyboard.press("s")
    wait_until(page, OPEN)
    page.uncheck(".ti-recherche__raccourcis input")
    page.keyboard.press("Escape")
    page.goto(base_url + "tableau-de-bord/", wait_until="networkidle")
    page.focus("body")
    page.keyboard.press("s")
    page.wait_for_timeout(200)
    assert not page.evaluate("document.getElementById('ti-recherche').open")
    page.click(".ti-recherche__ouvrir")  # the button still opens it
    wait_until(page, OPEN)
    context.close()


def test_closing_the_search_gives_the_focus_back_where_it_was(
    browser: Browser, base_url: str
) -> None:
    """Opened with « / » from a link in the page, the search gives the focus back to that link
    when it closes (a keyboard user keeps their place); opened with the button, to the button
    (the test above)."""
    page = browser.new_page()
    page.goto(base_url + "hainaut-douaisis-cambresis/plan-action/", wait_until="networkidle")
    link = "article .ti-action-card h4 a"
    wait_until(page, SEARCH_READY)
    page.focus(link)
    name = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("/")
    wait_until(page, OPEN)
    assert not page.evaluate(f"document.activeElement.matches({link!r})")  # in the dialog
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('ti-recherche').open")
    assert page.evaluate("document.activeElement.textContent") == name
    assert page.evaluate(f"document.activeElement.matches({link!r})")
    page.close()


def test_a_fiche_is_not_found_by_the_titles_it_links_to(browser: Browser, base_url: str) -> None:
    """« hydrogène » is in one fiche (« Accompagner les projets de territoire, dont
    l'hydrogène ») and in the title another fiche lists among its linked actions: only the
    first is found (the list, the territory's tabs and the link to the plan are not a page's
    text). Control: the linking fiche is found by its own words."""
    page, _ = opened(browser, base_url)
    links = search(page, "hydrogène")
    assert any("/plan-action/projets-de-territoire/" in href for href in links), links
    assert not any("/plan-action/industrie-bas-carbone/" in href for href in links), links
    page.close()
    page, _ = opened(browser, base_url)
    links = search(page, "carbone")
    assert any("/plan-action/industrie-bas-carbone/" in href for href in links), links
    page.close()


def test_a_touch_phone_is_not_offered_the_keyboard_shortcut(
    browser: Browser, base_url: str
) -> None:
    """« Ouvrir la recherche avec les touches / et s » means nothing on a touch screen without
    a keyboard: not shown there. Control: on a desktop it is."""
    for touch, shown in ((True, False), (False, True)):
        context = browser.new_context(
            viewport={"width": 375 if touch else 1280, "height": 800},
            is_mobile=touch,
            has_touch=touch,
        )
        page = context.new_page()
        page.goto(base_url, wait_until="networkidle")
        page.click(".ti-recherche__ouvrir")
        wait_until(page, OPEN)
        assert page.is_visible(".ti-recherche__raccourcis") is shown, touch
        context.close()


def test_the_search_s_controls_are_a_finger_s_size_on_a_phone(
    browser: Browser, base_url: str
) -> None:
    """The filters' summary and « Afficher plus de résultats » were 18 px high on a phone
    (review): 44 px, the size a finger hits."""
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(base_url, wait_until="networkidle")
    search(page, "industrie")
    page.wait_for_selector(".ti-recherche__plus")
    for selector in (".ti-recherche__filtres summary", ".ti-recherche__plus"):
        height = page.eval_on_selector(selector, "e => e.getBoundingClientRect().height")
        assert height >= 44, (selector, height)
    context.close()
