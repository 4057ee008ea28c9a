"""HTML validity: the Nu Html Checker on every page of the built example site, and a
deliberately broken template to prove that the check fails when a template is wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import build_site, copy_project
from htmlcheck import MATERIAL_ERRORS, check_html, is_material_error, our_errors, vnu_jar
from tisite.generate import render

# Java and the Nu Html Checker (`make quality-deps`): left out of `make test-rapide` by this
# marker; in `make test`, a missing checker fails (test_checker_is_installed), never skips.
pytestmark = pytest.mark.nu

KINDS = (
    "index.html",
    "404.html",
    "tableau-de-bord/index.html",
    "hainaut-douaisis-cambresis/index.html",
    "hainaut-douaisis-cambresis/carte-identite/index.html",
    "hainaut-douaisis-cambresis/priorites/index.html",
    "hainaut-douaisis-cambresis/gouvernance/index.html",
    "hainaut-douaisis-cambresis/plan-action/index.html",
    "hainaut-douaisis-cambresis/plan-action/chef-de-projet/index.html",
    "hainaut-douaisis-cambresis/plan-action/avancement/index.html",
    "hainaut-douaisis-cambresis/lettres/index.html",
    "hainaut-douaisis-cambresis/lettres/14/index.html",
    "hainaut-douaisis-cambresis/agenda/index.html",
    "accessibilite/index.html",
    "mentions-legales/index.html",
    "donnees-personnelles/index.html",
    "contribuer/index.html",
    "contribuer/reference-des-champs/index.html",
)
MERGE_TAG = "{{ UnsubscribeURL }}"  # the example territory's mailing tool (listmonk)


def test_every_page_is_valid_html(built_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    pages = [p for p in pages if p.name not in ("email.html", "envoi.html")]
    found = {p.relative_to(built_site).as_posix() for p in pages}
    assert set(KINDS) <= found, set(KINDS) - found
    errors = check_html(pages, built_site)
    ours = [str(e) for e in errors if not is_material_error(e)]
    assert not ours, "\n".join(ours)
    # Material's known errors are still there: if Material fixes them, drop them from the list.
    for pattern, _, why in MATERIAL_ERRORS:
        assert any(pattern[1:30] in e.message for e in errors), why


def test_email_documents_are_valid_html(built_site: Path) -> None:
    """The web copies have no error at all; the documents to send, only the mailing tool's
    unsubscribe tag (not a URL until the tool replaces it), once per letter."""
    copies = sorted(built_site.rglob("email.html"))
    sent = sorted(built_site.rglob("envoi.html"))
    assert copies and len(sent) == len(copies)
    assert not [str(e) for e in our_errors(copies, built_site)]
    errors = our_errors(sent, built_site)
    unexplained = [str(e) for e in errors if MERGE_TAG not in e.message]
    assert not unexplained, "\n".join(unexplained)
    tagged = [p for p in sent if MERGE_TAG in p.read_text(encoding="utf-8")]
    assert tagged and len(errors) == len(tagged)


def test_a_broken_template_fails_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: a page template that repeats an id, a theme template with a bad tag."""
    root = copy_project(tmp_path / "projet")
    templates = root / "hooks" / "tisite" / "templates"
    action = templates / "pages" / "action.html.j2"
    action.write_text(
        action.read_text(encoding="utf-8") + '\n<div id="doublon">x</div><p id="doublon"></p>\n',
        encoding="utf-8",
    )
    theme = templates / "theme" / "main.html"
    theme.write_text(
        theme.read_text(encoding="utf-8").replace(
            "{% block extrahead %}", '{% block extrahead %}<meta name="casse">', 1
        ),
        encoding="utf-8",
    )
    # The build uses the copy's page templates (the theme's: mkdocs.yml's custom_dir).
    monkeypatch.setattr(render, "TEMPLATES", templates)
    build_site(root)
    page = root / "site" / "hainaut-douaisis-cambresis" / "plan-action" / "chef-de-projet"
    messages = [e.message for e in our_errors([page / "index.html"], root / "site")]
    assert any("Duplicate ID “doublon”" in m for m in messages), messages
    assert any("Element “meta” is missing one or more" in m for m in messages), messages
    shutil.rmtree(root / "site")


def test_checker_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker is part of the test tools: a missing jar is an error, never a skip."""
    assert vnu_jar().stat().st_size > 1_000_000
    monkeypatch.setenv("VNU_JAR", "/inexistant/vnu.jar")
    with pytest.raises(RuntimeError, match="make quality-deps"):
        vnu_jar()
