"""The national action finder (/actions/) does not jump while it loads: its form, its count and
its first results are in the page as built, and the script takes them over. Cumulative layout
shift measured by Chromium (PerformanceObserver « layout-shift ») on a phone, 375 px wide."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Route

from browser import static_server, wait_until
from conftest import build_site, flat
from synthetic import write_project

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
# Every layout shift of the page from its start, not caused by the visitor (hadRecentInput).
RECORD_SHIFTS = """
window.__tiShifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__tiShifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
"""
STATUS = "document.getElementById('ti-trouveur-etat').textContent"
# The finder has taken the page over and shows its count (and, for the control, the index's
# results have arrived); then two frames, so that the shifts of the last one are reported.
READY = (
    "document.getElementById('ti-trouveur').dataset.pret === '1'"
    f" && /fiches? actions?$/.test({STATUS})"
    " && document.querySelectorAll('.ti-finder__result').length > 0"
)
FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(1))))"


def layout_shift(browser: Browser, base_url: str, as_before: bool = False) -> float:
    """The cumulative layout shift of /actions/ on a phone, until the finder is ready.
    ``as_before``: the page as it was written before (form hidden, no count, no result: the
    script draws them once the search index arrives), the negative control."""
    page = browser.new_page(viewport=PHONE)
    page.add_init_script(RECORD_SHIFTS)
    if as_before:

        def strip(route: Route) -> None:
            html = route.fetch().text()
            html = html.replace('<form class="ti-finder" ', '<form hidden class="ti-finder" ')
            html = re.sub(r'(id="ti-trouveur-etat"[^>]*>)[^<]*', r"\1", html)
            html = re.sub(r"<li class=\"ti-finder__result\">.*?</li>\n?", "", html, flags=re.S)
            route.fulfill(body=html, headers={"content-type": "text/html; charset=utf-8"})

        page.route(base_url + "actions/", strip)
    page.goto(base_url + "actions/")
    wait_until(page, READY)
    page.evaluate(FRAMES)
    shifts: list[float] = page.evaluate("window.__tiShifts")
    loaded_index = page.evaluate(
        "performance.getEntriesByType('resource').some(r => r.name.includes('/pagefind/'))"
    )
    page.close()
    assert loaded_index == as_before  # the page's own results: no index before a choice
    return sum(shifts)


def test_the_finder_does_not_jump_while_loading(browser: Browser, base_url: str) -> None:
    assert layout_shift(browser, base_url) < 0.1


def test_control_the_finder_drawn_by_its_script_jumps(browser: Browser, base_url: str) -> None:
    """Negative control: the same page without what the build writes into it (the form shown
    by the script, the results from the index) shifts by more than 0.1."""
    assert layout_shift(browser, base_url, as_before=True) > 0.1


def test_more_results_follow_the_pages_own(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """With more actions than the page shows (3 territories × 12), « Afficher plus » asks the
    index, then lists every action once, and moves the focus to the first new one."""
    site = build_site(write_project(tmp_path_factory.mktemp("trouveur") / "projet", 3, 12, 1))
    with static_server(site) as base:
        page = browser.new_page(viewport=PHONE)
        page.goto(base + "actions/")
        wait_until(page, READY)
        assert page.locator(".ti-finder__result").count() == 20
        assert flat(page.inner_text("#ti-trouveur-etat")) == "36 fiches actions"
        page.click("#ti-trouveur-plus")
        wait_until(page, "document.querySelectorAll('.ti-finder__result').length === 36")
        titles = page.eval_on_selector_all(".ti-finder__title", "a => a.map(x => x.href)")
        assert len(set(titles)) == 36
        assert page.is_hidden("#ti-trouveur-plus")
        focused = page.evaluate("document.activeElement.href")
        assert focused == titles[20]
        page.close()
