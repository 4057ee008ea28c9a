"""The agenda moves by itself in the visitor's browser: an entry that has passed since the
build goes from « À venir » to « Passés » (the clock of the page is set by the test)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from browser import static_server
from conftest import ti_inprocess
from tisite import clock

pytestmark = pytest.mark.browser
HDC = "hainaut-douaisis-cambresis"


def test_agenda_entries_move_to_past_in_the_browser(browser: Browser, project: Path) -> None:
    soon = clock.today() + dt.timedelta(days=30)
    path = project / f"territoires/{HDC}/agenda.yml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + f"appels_a_projets:\n  - titre: Appel bientôt clos\n    date_limite: {soon}\n",
        encoding="utf-8",
    )
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stderr
    with static_server(project / "site") as base:
        url = f"{base}{HDC}/agenda/"
        # today: the build's split stands (negative control of the move below). The page's
        # clock is the build's, in Paris, and stands still: between 23:00 and midnight UTC
        # (0:00 to 1:00 in Paris), a browser on the machine's UTC clock was still on the day
        # before
        page = browser.new_page(timezone_id="Europe/Paris")
        page.clock.set_fixed_time(clock.now())
        page.goto(url)
        assert "Appel bientôt clos" in page.inner_text("#ti-a-venir")
        assert page.is_hidden("#ti-a-venir + .ti-agenda-vide")
        day = page.get_attribute(".ti-agenda-jour", "datetime")
        assert day == clock.today().isoformat()
        page.close()
        # two months later, without a rebuild: the entry has moved, newest first
        page = browser.new_page()
        later = dt.datetime.combine(soon + dt.timedelta(days=31), dt.time(12, 0))
        page.clock.install(time=later)
        page.goto(url)
        assert "Appel bientôt clos" not in page.inner_text("#ti-a-venir")
        past = page.locator("#ti-passes > li")
        assert "Appel bientôt clos" in past.first.inner_text()
        assert page.is_visible("#ti-a-venir + .ti-agenda-vide")
        months = (
            "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
        )
        first = "1er" if later.day == 1 else str(later.day)
        expected = f"{first} {months.split()[later.month - 1]} {later.year}"
        assert page.inner_text(".ti-agenda-jour") == expected
        # the machine-readable date follows the text (<time datetime>)
        assert page.get_attribute(".ti-agenda-jour", "datetime") == later.date().isoformat()
        page.close()
        # the first of a month reads « 1er » in the browser too
        page = browser.new_page()
        page.clock.install(time=dt.datetime(later.year + 1, 3, 1, 12, 0))
        page.goto(url)
        assert page.inner_text(".ti-agenda-jour") == f"1er mars {later.year + 1}"
        page.close()
