"""The preview's folder written again only where a save changed it (tisite.publish.served, the
engine's « dirty » builds under ``ti serve``): what it serves after each save is what a fresh
build writes, file for file, and what a save did not change is neither rendered nor written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from test_page_cache import _preview_build, different_files

from tisite.publish.served import Served

HDC, GC = "hainaut-douaisis-cambresis", "grand-chatellerault"


def test_what_a_build_no_longer_makes_is_removed(tmp_path: Path) -> None:
    """A file written under the same key is left as it is; another key, or a file gone from
    the folder, is written again; a file the build no longer makes is removed with its share
    image and the folders left empty. After a failure nothing is known: all is written."""
    site = tmp_path / "site"
    served = Served()
    served.begin(site)
    for path in ("a/index.html", "b/c/index.html", "b/c/partage.png", "d.csv"):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(path, encoding="utf-8")
    assert served.changed("a/index.html", "k1") and served.changed("b/c/index.html", "k2")
    served.written_with("b/c/index.html", ("b/c/partage.png",))
    assert served.changed("d.csv", "k3")
    assert served.end() == 0
    served.begin(site)
    assert not served.changed("a/index.html", "k1")  # the same: left as it is
    assert served.changed("d.csv", "autre")  # control: another key, written again
    assert served.kept == 1 and served.end() == 2  # b/c/index.html and its image removed
    assert not (site / "b").exists() and (site / "a/index.html").is_file()
    served.begin(site)
    (site / "a/index.html").unlink()
    assert served.changed("a/index.html", "k1")  # gone from the folder: written again
    assert served.end() == 1  # d.csv: no longer made
    (site / "a/index.html").write_text("a", encoding="utf-8")
    served.begin(site)
    assert served.changed("e.csv", "k4")
    (site / "e.csv").write_text("e", encoding="utf-8")
    served.failed()  # a failed rebuild: what it and the former ones wrote is still ours
    served.begin(site)
    assert served.changed("a/index.html", "k1")  # still made: written again
    assert served.end() == 1 and not (site / "e.csv").exists()  # no longer made: removed
    served.forget()  # the folder emptied (the preview's error page)
    served.begin(site)
    assert served.changed("a/index.html", "k1") and served.end() == 0
    served.begin(tmp_path / "ailleurs")  # another folder: nothing of it is known
    assert served.changed("a/index.html", "k1")


def _dirty_preview(project: Path, site: str) -> str:
    """A rebuild of the preview as ``ti serve`` runs it (the engine's ``serve`` command, dirty
    builds into a folder kept between rebuilds), in this process; returns its log."""
    return _preview_build(project, site, "serve", dirty=True)


def _fresh(project: Path, site: str) -> None:
    """The same sources built from nothing, as a preview (not dirty) by a process that kept
    nothing (the memos and the territories' pages forgotten): what must be served."""
    from tisite import memo

    memo.forget_all()
    _preview_build(project, site, "serve")


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def _stamp(path: Path) -> int:
    return path.stat().st_mtime_ns


@pytest.mark.lent
@pytest.mark.parametrize("blind", [False, True])
def test_the_dirty_preview_serves_what_a_fresh_build_writes(
    project: Path, monkeypatch: pytest.MonkeyPatch, blind: bool
) -> None:
    """Four saves, each compared with a fresh build of the same sources, file for file: a
    fiche's body (its page written again, another territory's pages not touched), a new fiche
    (its title in its territory's action plan), the fiche removed (its page and
    share image gone), an image of docs/ with other pixels under the same name. Negative
    control: a preview blind to what its files hold (their names only) serves stale pages."""
    if blind:
        real = Served.changed

        def names_only(self: Served, path: str, key: str | None) -> bool:
            return real(self, path, None if key is None else "même contenu")

        monkeypatch.setattr(Served, "changed", names_only)
    image = project / "docs" / "carte.png"
    image.write_bytes(_png((200, 30, 30)))
    log = _dirty_preview(project, "apercu")
    assert "Aperçu :" not in log  # the first build writes everything: nothing to say
    served = project / "apercu"
    other = served / GC / "carte-identite" / "index.html"
    other_stamp = _stamp(other)

    fiche = project / "territoires" / HDC / "actions" / "communication.md"
    fiche.write_text(fiche.read_text(encoding="utf-8") + "\nUn paragraphe ajouté.\n", "utf-8")
    log = _dirty_preview(project, "apercu")
    _fresh(project, "frais-1")
    if blind:
        assert different_files(served, project / "frais-1") != []  # stale: what is caught
        return
    assert different_files(served, project / "frais-1") == []
    assert "A 'dirty' build" not in log  # the engine's warning of dirty builds: not an error
    assert "Un paragraphe ajouté" in (
        served / HDC / "plan-action" / "communication" / "index.html"
    ).read_text(encoding="utf-8")
    assert _stamp(other) == other_stamp  # another territory's page: not written again
    assert "Aperçu : " in log and "0 fichier inchangé" not in log

    new = fiche.with_name("nouvelle-fiche.md")
    text = fiche.read_text(encoding="utf-8")
    new.write_text(text.replace("titre:", "titre: Fiche toute neuve —", 1), encoding="utf-8")
    _dirty_preview(project, "apercu")
    _fresh(project, "frais-2")
    assert different_files(served, project / "frais-2") == []
    page = served / HDC / "plan-action" / "nouvelle-fiche" / "index.html"
    assert page.is_file() and (page.parent / "partage.png").is_file()
    plan = (served / HDC / "plan-action" / "index.html").read_text(encoding="utf-8")
    assert "Fiche toute neuve" in plan

    new.unlink()
    log = _dirty_preview(project, "apercu")
    _fresh(project, "frais-3")
    assert different_files(served, project / "frais-3") == []
    assert not page.parent.exists()
    assert "0 fichier retiré" not in log

    image.write_bytes(_png((30, 30, 200)))  # the same name, other pixels
    _dirty_preview(project, "apercu")
    _fresh(project, "frais-4")
    assert different_files(served, project / "frais-4") == []

    # a rebuild that fails, then a fiche removed: its page goes all the same
    new.write_text(text.replace("titre:", "titre: Fiche toute neuve —", 1), encoding="utf-8")
    _dirty_preview(project, "apercu")
    assert page.is_file()
    from tisite.build import SiteBuild

    def full(self: SiteBuild, site_dir: Path, **_: object) -> None:
        raise OSError(28, "No space left on device", str(site_dir / "rss.xml"))

    with monkeypatch.context() as patched:
        patched.setattr(SiteBuild, "write_artefacts", full)
        with pytest.raises(Exception):  # noqa: B017 (the engine's own exception)
            _dirty_preview(project, "apercu")
    new.unlink()
    _dirty_preview(project, "apercu")
    _fresh(project, "frais-5")
    assert different_files(served, project / "frais-5") == []
    assert not page.parent.exists()


def test_a_digest_kept_by_identity_is_never_another_content_s(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``digest_held`` keeps a content's digest by the content's identity, holding the
    content: an identity cannot come back for another content meanwhile."""
    from tisite import memo
    from tisite.publish import served

    monkeypatch.setitem(memo._on, "kept", True)
    contents = [f"fichier {n}\n" * 3 for n in range(2000)]  # made and let go one by one below
    for text in contents:
        fresh = "".join(text)  # a new object, freed at the next turn
        assert served.digest_held(fresh) == served.digest(fresh)
    # Control: the same memo without holding the content serves another content's digest
    # (Python gives a freed object's identity to the next one of the same size).
    by_id: dict[int, str] = {}
    stale = 0
    for text in contents:
        fresh = "".join([text, ""])
        digest = by_id.setdefault(id(fresh), served.digest(fresh))
        stale += digest != served.digest(fresh)
        del fresh
    assert stale > 0
