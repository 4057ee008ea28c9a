"""A territory's pages kept from one build to the next within a process (generate/reuse): an
unchanged territory's pages are not made again, the site is the one a fresh build writes, and
whatever a territory's pages are made from changes them."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from test_page_cache import different_files

from tisite import pipeline
from tisite.generate import reuse

HDC, GC = "hainaut-douaisis-cambresis", "grand-chatellerault"


def _build(project: Path, site: str) -> dict[str, int]:
    """An in-process build (the pipeline function); how many pages of each territory were
    those of the former build."""
    result = pipeline.build(project, project / site, cache_pages=False)
    assert result.prepared is not None
    build = result.prepared.build
    return {
        slug: sum(p.path in build.reused_html for p in pages)
        for slug, pages in build.renderer.by_territory.items()
    }


def _identity(project: Path, site: str) -> str:
    """The identity card's own content (the page generated from the territory; its title in
    the navigation and the tab comes from the site's model, made again at every build)."""
    page = (project / site / HDC / "carte-identite" / "index.html").read_text(encoding="utf-8")
    return page[page.index("<article") : page.index("</article>")]


@pytest.mark.parametrize("blind", [False, True])
def test_an_unchanged_territory_is_not_made_again_and_an_edited_one_is(
    project: Path, monkeypatch: pytest.MonkeyPatch, blind: bool
) -> None:
    """Second build: every territory's pages reused, the site byte for byte a fresh build's.
    An edit of one territory: its pages made again (the edit shown), the other's reused.
    Negative control: a key blind to the territory serves its former pages."""
    reuse.forget()
    first = _build(project, "site-1")
    assert set(first) == {HDC, GC} and not any(first.values())
    again = _build(project, "site-2")
    pages = {slug: count for slug, count in again.items()}
    assert all(pages.values())  # every page of every territory
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
    assert edited[HDC] == 0 and edited[GC] == pages[GC]
    assert "Hainaut revu" in _identity(project, "site-3")


def test_what_every_territory_is_made_from_is_in_the_key(project: Path) -> None:
    """The build's context (settings, day, address, Markdown settings, code…) is part of every
    territory's key: a change of it makes every territory's pages again."""
    reuse.forget()
    _build(project, "site-1")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("Lien vers cette section", "Aller à la section"), "utf-8")
    assert not any(_build(project, "site-2").values())  # the Markdown settings
    assert all(_build(project, "site-3").values())
    settings = project / "site.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("titre:", "titre: Nouveau", 1), encoding="utf-8")
    assert not any(_build(project, "site-4").values())  # the site's settings


def test_the_context_key_changes_with_each_input(project: Path) -> None:
    """Every input of the context, changed alone, changes the key (the day, the address, the
    commit dates, the home territory); the same inputs give the same key."""
    result = pipeline.build(project, project / "site", cache_pages=False)
    assert result.prepared is not None
    renderer = result.prepared.build.renderer
    before = reuse.context_key(renderer, project)
    assert reuse.context_key(renderer, project) == before
    changes = {
        "today": renderer.today.replace(year=renderer.today.year - 1),
        "site_url": "https://autre.example.org/",
        "file_dates": {**renderer.file_dates, "site.yml": renderer.today},
    }
    for name, value in changes.items():
        kept = getattr(renderer, name)
        setattr(renderer, name, value)
        assert reuse.context_key(renderer, project) != before, name
        setattr(renderer, name, kept)
    assert reuse.context_key(renderer, project / "ailleurs") != before
    assert reuse.context_key(renderer, project) == before
    territory = result.prepared.build.site.local[0]
    assert pickle.loads(pickle.dumps(territory)) == territory  # pickled whole


def test_what_cannot_be_pickled_is_never_reused() -> None:
    """A value that cannot be compared by its pickled bytes (a class defined in a function)
    gets a key of its own each time: never the pages of a former build."""

    class Local:
        pass

    assert reuse._pickled(Local()) != reuse._pickled(Local())
    assert reuse._pickled((1, "a")) == reuse._pickled((1, "a"))
