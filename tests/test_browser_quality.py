"""Every kind of page in headless Chromium: axe-core, privacy (no request leaves the local
server), phone and desktop widths. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PAGES = {
    "accueil": "",
    "tableau-de-bord": "tableau-de-bord/",
    "territoire": "hainaut-douaisis-cambresis/",
    "carte-identite": "hainaut-douaisis-cambresis/carte-identite/",
    "priorites": "hainaut-douaisis-cambresis/priorites/",
    "gouvernance": "hainaut-douaisis-cambresis/gouvernance/",
    "plan-action": "hainaut-douaisis-cambresis/plan-action/",
    "action": "hainaut-douaisis-cambresis/plan-action/chef-de-projet/",
    "avancement": "hainaut-douaisis-cambresis/plan-action/avancement/",
    "lettres": "hainaut-douaisis-cambresis/lettres/",
    "lettre": "hainaut-douaisis-cambresis/lettres/14/",
    "agenda": "hainaut-douaisis-cambresis/agenda/",
    "accessibilite": "accessibilite/",
    "mentions-legales": "mentions-legales/",
    "donnees-personnelles": "donnees-personnelles/",
    "contribuer": "contribuer/",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_private_and_fits_a_phone(
    browser: Browser, base_url: str, name: str
) -> None:
    outside: list[str] = []
    blocked: list[str] = []
    for width in (375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        # axe-core is injected by the browser itself: the page's policy allows no inline script
        page.add_init_script(path=str(AXE))
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if not r.url.startswith((base_url, "data:", "blob:"))
                else None
            ),
        )
        page.goto(base_url + PAGES[name], wait_until="networkidle")
        scroll = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert scroll <= 0, f"{name} : défilement horizontal de {scroll} px à {width} px"
        # a table caption is read without scrolling the table sideways
        cut = page.evaluate(
            """() => [...document.querySelectorAll('caption')]
                .filter(c => c.getClientRects().length)
                .filter(c => c.getBoundingClientRect().right > innerWidth + 0.5)
                .map(c => c.textContent.slice(0, 40))"""
        )
        assert not cut, f"{name} : légende de tableau coupée à {width} px : {cut}"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if width == 1280:
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            serious = [
                f"{v['id']} ({v['impact']}) : {v['nodes'][0]['target']}"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert not serious, f"{name} : " + " ; ".join(serious)
        page.close()
    assert not outside, f"{name} : requêtes vers l'extérieur : {outside}"
    assert not blocked, f"{name} : violations de la politique de sécurité : {blocked}"
