"""Material's search in headless Chromium, with the keyboard only, on the example site."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from browser import wait_until

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ACTION = "hainaut-douaisis-cambresis/plan-action/chef-de-projet/"
# The search index is loaded by a worker; Material then invites to type.
READY = "document.querySelector('.md-search-result__meta').textContent.includes('Taper')"


def test_french_search_finds_an_action_by_a_word_of_its_description(
    browser: Browser, base_url: str
) -> None:
    """The description says « qui l'héberge »: French elisions must split words."""
    page = browser.new_page()
    page.goto(base_url, wait_until="networkidle")
    wait_until(page, READY)
    page.focus("body")
    page.keyboard.press("/")  # Material's shortcut: opens the search dialog
    wait_until(page, "document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("héberge")
    page.wait_for_selector(".md-search-result__item")
    links = page.eval_on_selector_all(
        ".md-search-result__item > a", "nodes => nodes.map(n => n.getAttribute('href'))"
    )
    assert any(ACTION in href for href in links), links
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "recherche.png"))
    # Walk down the results with the arrow keys and open the action with Enter.
    for _ in range(len(links)):
        page.keyboard.press("ArrowDown")
        focused = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if ACTION in focused:
            break
    else:
        pytest.fail(f"la fiche action n'est pas atteignable au clavier : {links}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{ACTION}**")
    assert page.inner_text("h1").startswith("Financer le poste de chef de projet")
    page.close()


def test_search_for_an_unknown_word_says_so(browser: Browser, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url, wait_until="networkidle")
    wait_until(page, READY)
    page.keyboard.press("/")
    page.keyboard.type("zzyzxq")
    wait_until(
        page,
        "document.querySelector('.md-search-result__meta')"
        " && document.querySelector('.md-search-result__meta').textContent.trim() !== ''",
    )
    assert "Aucun" in page.inner_text(".md-search-result__meta")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.close()
