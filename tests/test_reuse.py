"""A territory's pages kept from one build to the next within a process (generate/reuse): an
unchanged territory's pages are not made again, the site is the one a fresh build writes, and
whatever a territory's pages are made from changes them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import re
from pathlib import Path

import pytest
from test_page_cache import different_files

from tisite import clock, pipeline, urls
from tisite.generate import reuse

HDC, GC = "hainaut-douaisis-cambresis", "grand-chatellerault"


def _build(project: Path, site: str) -> dict[str, tuple[int, int]]:
    """An in-process build (the pipeline function); for each territory, how many of its pages
    were those of the former build, and how many pages it has."""
    result = pipeline.build(project, project / site, cache_pages=False)
    assert result.prepared is not None
    build = result.prepared.build
    return {
        slug: (sum(path in build.reused_html for path in paths), len(paths))
        for slug, paths in build.renderer.by_territory.items()
    }


def _all(counts: dict[str, tuple[int, int]]) -> bool:
    return all(reused == total > 0 for reused, total in counts.values())


def _none(counts: dict[str, tuple[int, int]]) -> bool:
    return all(reused == 0 for reused, _ in counts.values())


def _identity(project: Path, site: str) -> str:
    """The identity card's own content (the page generated from the territory; its title in
    the navigation and the tab comes from the site's model, made again at every build)."""
    page = (project / site / HDC / "carte-identite" / "index.html").read_text(encoding="utf-8")
    return page[page.index("<article") : page.index("</article>")]


@pytest.mark.lent
@pytest.mark.parametrize("blind", [False, True])
def test_an_unchanged_territory_is_not_made_again_and_an_edited_one_is(
    project: Path, monkeypatch: pytest.MonkeyPatch, blind: bool
) -> None:
    """Second build: every territory's pages reused, the site byte for byte a fresh build's.
    An edit of one territory: its pages made again (the edit shown), the other's reused.
    Negative control: a key blind to the territory serves its former pages."""
    reuse.forget()
    first = _build(project, "site-1")
    assert set(first) == {HDC, GC, reuse.FINDER} and _none(first)
    again = _build(project, "site-2")
    assert _all(again)  # every page of every territory
    assert different_files(project / "site-1", project / "site-2") == []
    if blind:
        monkeypatch.setattr(reuse, "territory_key", lambda context, t: t.slug)
        _build(project, "site-2")  # kept under the blind keys
    path = project / "territoires" / HDC / "territoire.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Hainaut", "Hainaut revu", 1))
    edited = _build(project, "site-3")
    if blind:
        assert "Hainaut revu" not in _identity(project, "site-3")
        return
    assert edited[HDC][0] == 0 and edited[GC] == again[GC]
    assert edited[reuse.FINDER][0] == 0  # the territory's name is on the finder's pages
    assert "Hainaut revu" in _identity(project, "site-3")


@pytest.mark.lent
def test_what_every_territory_is_made_from_is_in_the_key(project: Path) -> None:
    """The build's context (settings, day, address, Markdown settings, code…) is part of every
    territory's key: a change of it makes every territory's pages again."""
    reuse.forget()
    _build(project, "site-1")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("Lien vers cette section", "Aller à la section"), "utf-8")
    assert _none(_build(project, "site-2"))  # the Markdown settings
    assert _all(_build(project, "site-3"))
    settings = project / "site.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("titre:", "titre: Nouveau", 1), encoding="utf-8")
    assert _none(_build(project, "site-4"))  # the site's settings


@pytest.mark.lent
def test_the_context_key_changes_with_each_input(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every input of the context, changed alone, changes the key (the day, the address, the
    commit dates, the harvested territories, the reference data, the home territory, the
    code); the same inputs give the same key."""
    result = pipeline.build(project, project / "site", cache_pages=False)
    assert result.prepared is not None
    renderer = result.prepared.build.renderer
    before = reuse.context_key(renderer, project)
    assert reuse.context_key(renderer, project) == before
    changes = {
        "today": renderer.today.replace(year=renderer.today.year - 1),
        "site_url": "https://autre.example.org/",
        "file_dates": {**renderer.file_dates, "site.yml": renderer.today},
        "remote": {"ailleurs": renderer.site.local[0]},
        "site": dataclasses.replace(renderer.site, reference_source={"millesime": "1999"}),
    }
    for name, value in changes.items():
        kept = getattr(renderer, name)
        setattr(renderer, name, value)
        assert reuse.context_key(renderer, project) != before, name
        setattr(renderer, name, kept)
    assert reuse.context_key(renderer, project / "ailleurs") != before
    assert reuse.context_key(renderer, project) == before
    home = urls.home_territory()
    urls.set_home_territory(HDC if home != HDC else None)
    try:
        assert reuse.context_key(renderer, project) != before, "territoire d'accueil"
    finally:
        urls.set_home_territory(home)
    monkeypatch.setattr(reuse, "code_digest", lambda: "code modifié")
    assert reuse.context_key(renderer, project) != before, "code"
    territory = result.prepared.build.site.local[0]
    assert pickle.loads(pickle.dumps(territory)) == territory  # pickled whole


def test_what_cannot_be_pickled_is_never_reused() -> None:
    """A value that cannot be compared by its pickled bytes (a class defined in a function)
    gets a key of its own each time: never the pages of a former build."""

    class Local:
        pass

    assert reuse._pickled(Local()) != reuse._pickled(Local())
    assert reuse._pickled((1, "a")) == reuse._pickled((1, "a"))


def test_an_action_pickles_the_same_once_its_figures_are_read() -> None:
    """A territory kept from the last load (content/loader) has served pages: its actions'
    derived figures are kept in them (``cached_property``). They are not part of what the
    action is, so the reuse key (pickled territory) is the same. Control: the figures are
    indeed kept in the object."""
    from tisite.content.loader import load_site
    from tisite.content.models import ActionItem

    action = next(
        a
        for t in load_site(Path(__file__).parent / "fixtures" / "exemple").territories
        for a in t.actions
    )
    fresh = pickle.dumps(dataclasses.replace(action), protocol=5)
    _ = action.budget_total, action.history  # read: kept in the object
    assert {"budget_total", "history"} <= set(vars(action))
    # control: the object's whole state, pickled, is not the fresh action's
    assert pickle.dumps(dict(vars(action))) != pickle.dumps(dict(vars(dataclasses.replace(action))))
    assert pickle.dumps(action, protocol=5) == fresh
    assert pickle.loads(fresh) == action and isinstance(pickle.loads(fresh), ActionItem)


@pytest.mark.lent
def test_a_territory_files_are_kept_unless_the_time_shows_in_its_feeds(project: Path) -> None:
    """A territory's files (open data, feeds, email versions…) come with its pages: kept when
    nothing they are made from changed, made again for the edited territory. When a letter
    is dated that day, its feeds date it at the start of the day until noon (never later than
    the build), then at noon: two builds of a morning keep its files, one after noon makes
    them again. Control: the same letter dated the day before keeps them after noon too."""
    from tisite.generate.render import Renderer

    reuse.forget()
    first = pipeline.build(project, project / "site-1", cache_pages=False).prepared
    second = pipeline.build(project, project / "site-2", cache_pages=False).prepared
    assert first is not None and second is not None
    before, after = (
        first.build.renderer.files_by_territory,
        second.build.renderer.files_by_territory,
    )
    assert all(after[slug][1] is before[slug][1] for slug in (HDC, GC))  # the same files
    path = project / "territoires" / HDC / "territoire.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("Hainaut", "Hainaut revu", 1))
    third = pipeline.build(project, project / "site-3", cache_pages=False).prepared
    assert third is not None
    made = third.build.renderer.files_by_territory
    assert made[GC][1] is after[GC][1] and made[HDC][1] is not after[HDC][1]
    data = dict(made[HDC][1])[f"{HDC}/plan-action/actions.json"]
    assert isinstance(data, bytes) and "Hainaut revu" in data.decode("utf-8")
    assert (project / "site-3" / HDC / "plan-action" / "actions.json").read_bytes() == data

    site = third.build.site
    letters = next(t for t in site.local if t.letters)
    newest = max(letter.date for letter in letters.letters)
    cases = ((newest, 1, True), (newest, 13, False), (newest + dt.timedelta(days=1), 13, True))
    for day, hours, kept in cases:
        renderer = Renderer(site, today=day, site_url="https://exemple.org/")
        renderer.assets()
        again = Renderer(site, today=day, site_url="https://exemple.org/")
        again.now += dt.timedelta(hours=hours)  # a build later the same day
        again.assets(known=renderer.files_by_territory)
        same = (
            again.files_by_territory[letters.slug][1]
            is renderer.files_by_territory[letters.slug][1]
        )
        assert same is kept, (day, hours)


@pytest.mark.lent
@pytest.mark.parametrize("blind", [False, True])
def test_the_action_finder_is_kept_when_a_letter_is_saved(
    project: Path, monkeypatch: pytest.MonkeyPatch, blind: bool
) -> None:
    """The national action finder's pages are made from every territory's actions: a saved
    letter leaves them as they are, an edited fiche makes them again (its new title listed).
    Negative control: a key blind to the actions serves the former title."""
    reuse.forget()
    _build(project, "site-1")
    letter = project / "territoires" / HDC / "lettres" / "14.md"  # published (16: a draft)
    letter.write_text(letter.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", "utf-8")
    counts = _build(project, "site-2")
    finder_reused, finder_total = counts[reuse.FINDER]
    assert finder_reused == finder_total > 0 and counts[HDC][0] == 0
    if blind:
        monkeypatch.setattr(reuse, "finder_key", lambda context, site, published, day: "aveugle")
        _build(project, "site-2")  # kept under the blind key
    fiche = project / "territoires" / HDC / "actions" / "communication.md"
    text = fiche.read_text(encoding="utf-8")
    fiche.write_text(text.replace("titre:", "titre: Titre neuf —", 1), encoding="utf-8")
    counts = _build(project, "site-3")
    listed = (project / "site-3" / "actions" / "index.html").read_text(encoding="utf-8")
    if blind:
        assert "Titre neuf" not in listed  # stale: what the key prevents
        return
    assert counts[reuse.FINDER][0] == 0 and "Titre neuf" in listed
    # a letter of a later day: the site's last change, which the finder's pages give
    _build(project, "site-4")
    text = letter.read_text(encoding="utf-8")
    # (today: a letter dated later is published on its day only)
    dated = re.sub(r"(?m)^date: .*$", f"date: {clock.today()}", text, count=1)
    assert dated != text
    letter.write_text(dated, encoding="utf-8")
    counts = _build(project, "site-5")
    assert counts[reuse.FINDER][0] == 0
