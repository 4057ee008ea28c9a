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
    "donnees-ouvertes": "donnees-ouvertes/",
    "contribuer": "contribuer/",
    "actions": "actions/",
    "actions-facette": "actions/priorite/foncier-industriel/",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_private_and_fits_a_phone(
    browser: Browser, base_url: str, name: str
) -> None:
    outside: list[str] = []
    blocked: list[str] = []
    failed: list[str] = []
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
        # nothing the page asks for is missing (Material fetched a sitemap.xml beside each
        # link[rel=alternate]: a 404 beside every feed)
        page.on(
            "response",
            lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        page.on("requestfailed", lambda r: failed.append(f"échec {r.url}"))
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
        # every figure of a table is on screen: no cell cut by the edge, none behind a scroll
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('.md-typeset td, .md-typeset tbody th')]
                .filter(c => c.getClientRects().length && c.textContent.trim())
                .filter(c => c.getBoundingClientRect().right > innerWidth + 0.5)
                .map(c => c.textContent.trim().slice(0, 30))"""
        )
        assert not hidden, f"{name} : cellules hors de l'écran à {width} px : {hidden[:5]}"
        # on a desktop, our table boxes hold their table: nothing to swipe sideways (outside
        # review: Material's wrapper inside ours made it 16 px wider than its box)
        if width == 1280:
            wider = page.evaluate(
                """() => [...document.querySelectorAll('.ti-table-scroll')]
                    .filter(e => e.scrollWidth > e.clientWidth)
                    .map(e => [e.getAttribute('aria-labelledby'), e.scrollWidth - e.clientWidth])"""
            )
            assert not wider, f"{name} : tableau qui défile de côté à {width} px : {wider}"
        # buttons never touch: a thumb hits one at a time (4 px apart at least)
        touching = page.evaluate(
            """() => {
                const r = [...document.querySelectorAll('.md-typeset .md-button, .md-typeset button')]
                    .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect());
                const out = [];
                for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
                    const a = r[i], b = r[j];
                    const gapX = Math.max(b.left - a.right, a.left - b.right);
                    const gapY = Math.max(b.top - a.bottom, a.top - b.bottom);
                    if (Math.max(gapX, gapY) < 4) out.push([i, j]);
                }
                return out;
            }"""
        )
        assert not touching, f"{name} : boutons qui se touchent à {width} px : {touching}"
        # no heading ends with an empty line (the theme's ¶ link wrapped alone on a phone)
        lonely = page.evaluate(
            """() => [...document.querySelectorAll('.md-typeset .headerlink')]
                .filter(a => a.getClientRects().length)
                .filter(a => {
                    const h = a.parentElement.getClientRects();
                    return a.getBoundingClientRect().top >= h[h.length - 1].top + 4
                        && a.getBoundingClientRect().left <= h[0].left + 1;
                })
                .map(a => a.parentElement.textContent.slice(0, 30))"""
        )
        assert not lonely, f"{name} : titre suivi d'une ligne vide à {width} px : {lonely}"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        # axe at both widths, every impact (minor included)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [
            f"{v['id']} ({v['impact']}) : {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        assert not violations, f"{name} à {width} px : " + " ; ".join(violations)
        page.close()
    assert not outside, f"{name} : requêtes vers l'extérieur : {outside}"
    assert not blocked, f"{name} : violations de la politique de sécurité : {blocked}"
    assert not failed, f"{name} : requêtes en erreur : {failed}"


def test_a_table_that_still_scrolls_is_reachable_and_says_so(
    browser: Browser, base_url: str
) -> None:
    """A table that cannot be stacked (merged cells) and is wider than a phone: the element
    that scrolls takes the keyboard focus and a visible line says it scrolls. Negative control:
    axe reports the same table before the page's script has marked it."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.add_init_script(path=str(AXE))
    page.goto(base_url + "contribuer/", wait_until="networkidle")
    cells = "".join(f"<td>colonne{i}-assez-longue</td>" for i in range(8))
    page.evaluate(
        """(cells) => {
            const t = document.createElement('table');
            t.id = 'large';
            t.innerHTML = '<thead><tr><th colspan="8">Large</th></tr></thead><tbody><tr>'
                + cells + '</tr></tbody>';
            document.querySelector('.md-content .md-typeset').append(t);
        }""",
        cells,
    )
    rule = "{runOnly: ['scrollable-region-focusable']}"
    before = page.evaluate(f"async () => (await axe.run('#large', {rule})).violations.length")
    assert before == 1  # the table scrolls and cannot be reached: axe sees it
    page.evaluate("window.dispatchEvent(new Event('resize'))")
    assert page.get_attribute("#large", "tabindex") == "0"
    assert "faites-le défiler" in page.inner_text(".ti-scroll-hint")
    after = page.evaluate(f"async () => (await axe.run('#large', {rule})).violations.length")
    assert after == 0
    page.close()


@pytest.mark.parametrize("document", ["email.html", "envoi.html"])
def test_email_version_fits_a_phone(browser: Browser, base_url: str, document: str) -> None:
    """The email layout is fluid: 600 px at most, the whole width of a 320-375 px phone, no
    sideways scroll (the web copy's browser stands in for a mail client that reads <style>)."""
    for width in (320, 375, 1280):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(f"{base_url}hainaut-douaisis-cambresis/lettres/15/{document}")
        scroll = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert scroll <= 0, f"{document} : défilement horizontal de {scroll} px à {width} px"
        box = page.evaluate("document.querySelector('table.container').getBoundingClientRect()")
        assert box["width"] <= 600 and box["width"] >= min(width, 600) - 1, box
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{document}-{width}.png"), full_page=True)
        page.close()


# Each total of a <tfoot> (its text) and the header of the column it must sit under.
MISPLACED_TOTALS = """() => {
    const wrong = [];
    for (const table of document.querySelectorAll('article table')) {
        const heads = [...table.querySelectorAll('thead th')];
        for (const row of table.querySelectorAll('tfoot tr')) {
            [...row.children].forEach((cell, i) => {
                const text = cell.textContent.trim();
                if (!text || cell.tagName === 'TH') return;
                const r = cell.getBoundingClientRect(), h = heads[i].getBoundingClientRect();
                const middle = r.left + r.width / 2;
                if (middle < h.left || middle > h.right) wrong.push(text);
            });
        }
    }
    return wrong;
}"""


def test_totals_sit_under_their_own_header(browser: Browser, base_url: str) -> None:
    """On a wide screen every total of a table (its <tfoot>) is drawn under its own header
    (the identity card's 261 communes under « Communes », the funding totals under
    « Montant »). Negative control: the rule that hid empty cells at every width moves the
    totals one or two columns to the left."""
    pages = {
        "hainaut-douaisis-cambresis/carte-identite/": 2,
        "hainaut-douaisis-cambresis/gouvernance/": 1,
        "hainaut-douaisis-cambresis/plan-action/chef-de-projet/": 3,
    }
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    for path, count in pages.items():
        page.goto(base_url + path, wait_until="networkidle")
        totals = page.locator("article table tfoot td:not(:empty)")
        assert totals.count() == count, path
        assert page.evaluate(MISPLACED_TOTALS) == [], path
    page.goto(base_url + "hainaut-douaisis-cambresis/carte-identite/", wait_until="networkidle")
    # the former rule, applied cell by cell (the page's policy refuses an inline stylesheet)
    page.evaluate(
        """() => document.querySelectorAll('table[data-stack] td[data-label]:empty')
            .forEach((cell) => { cell.style.display = 'none'; })"""
    )
    assert page.evaluate(MISPLACED_TOTALS) == ["261", "765\u202f780"]
    page.close()


def test_a_breadcrumb_step_stays_whole_on_a_phone(browser: Browser, base_url: str) -> None:
    """At 375 px the breadcrumb of a letter breaks between its steps, never inside one
    (« Lettre / n° 15 » was cut over two lines), and stands apart from the title."""
    page = browser.new_page(viewport={"width": 375, "height": 800})
    for path in (PAGES["lettre"], "hainaut-douaisis-cambresis/lettres/15/", PAGES["action"]):
        page.goto(base_url + path)
        steps = page.eval_on_selector_all(
            ".ti-breadcrumb > a, .ti-breadcrumb > span",
            "s => s.map(e => [e.textContent, e.getClientRects().length])",
        )
        assert steps and all(lines == 1 for _, lines in steps), (path, steps)
        gap = page.evaluate(
            "document.querySelector('h1').getBoundingClientRect().top"
            " - document.querySelector('.ti-breadcrumb').getBoundingClientRect().bottom"
        )
        assert gap >= 12, (path, gap)
    page.close()


SPLIT_FIGURES = """() => [...document.querySelectorAll('.ti-figure__value')].flatMap((value) => {
    // each word (figures and units join theirs with no-break spaces): one line box, or cut
    const text = value.textContent, out = [];
    const walker = document.createTreeWalker(value, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        let at = 0;
        for (const word of node.data.split(' ')) {
            if (word) {
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + word.length);
                if (range.getClientRects().length > 1) out.push(word);
            }
            at += word.length + 1;
        }
    }
    if (value.scrollWidth > value.clientWidth + 1) out.push('débordement : ' + text);
    return out;
})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_key_figures_never_cut_a_word(browser: Browser, base_url: str, width: int) -> None:
    """A key figure's words stay whole in their card (outside review: « entreprise / s »,
    « 74 864,98 » then « € » alone on a line, « rensei / gné »). Negative control: the former
    rule (1.5em, words broken anywhere) cuts the dashboard's budget at 1280 px."""
    page = browser.new_page(viewport={"width": width, "height": 800})
    for path in (
        "hainaut-douaisis-cambresis/",
        "tableau-de-bord/",
        "grand-chatellerault/plan-action/",
        "hainaut-douaisis-cambresis/plan-action/",
    ):
        page.goto(base_url + path, wait_until="networkidle")
        assert page.locator(".ti-figure__value").count() >= 3, path
        assert page.evaluate(SPLIT_FIGURES) == [], (path, width)
    if width == 1280:
        page.goto(base_url + "tableau-de-bord/", wait_until="networkidle")
        page.evaluate(
            """() => document.querySelectorAll('.ti-figure__value').forEach((v) => {
                v.style.fontSize = '1.5em'; v.style.overflowWrap = 'break-word'; })"""
        )
        assert page.evaluate(SPLIT_FIGURES) != []
    page.close()
