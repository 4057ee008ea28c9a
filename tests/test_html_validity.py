"""HTML validity: the Nu Html Checker on every page of the built example site, the theme's
included, and a deliberately broken template to prove that the check fails when a template is
wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import build_site, copy_project
from htmlcheck import check_html, vnu_jar
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
    "donnees-ouvertes/index.html",
    "contribuer/index.html",
    "contribuer/reference-des-champs/index.html",
)
MERGE_TAG = "{{ UnsubscribeURL }}"  # the example territory's mailing tool (listmonk)


def test_every_page_is_valid_html(built_site: Path) -> None:
    """Every HTML file of the site, the theme's markup included (its state checkboxes, its
    table of contents' title), and the web copies of the letters: no error at all."""
    pages = sorted(p for p in built_site.rglob("*.html") if p.name != "envoi.html")
    found = {p.relative_to(built_site).as_posix() for p in pages}
    assert set(KINDS) <= found, set(KINDS) - found
    assert any(p.name == "email.html" for p in pages)
    errors = [str(e) for e in check_html(pages, built_site)]
    assert not errors, f"{len(errors)} erreurs sur {len(pages)} fichiers :\n" + "\n".join(errors)


@pytest.mark.lent
def test_the_theme_markup_is_made_valid_by_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: without tisite.finish.themehtml, Material's own templates give every page
    invalid state checkboxes (autocomplete on a checkbox) and the pages outside the navigation
    a table of contents' title labelling a checkbox that is not there."""
    from tisite.finish import themehtml

    # the engine loads the hooks file for each build: it imports the switched-off function
    monkeypatch.setattr(themehtml, "valid_theme_html", lambda html: html)
    site = build_site(copy_project(tmp_path / "projet"))
    action = site / "hainaut-douaisis-cambresis/plan-action/chef-de-projet/index.html"
    pages = [site / "index.html", action]
    messages = [e.message for e in check_html(pages, site)]
    assert sum("“autocomplete” is only allowed" in m for m in messages) == 4, messages
    assert any("“for” attribute of the “label” element" in m for m in messages), messages


def test_email_documents_are_valid_html(built_site: Path) -> None:
    """The documents to send have no error but the mailing tool's unsubscribe tag (not a URL
    until the tool replaces it), once per letter."""
    sent = sorted(built_site.rglob("envoi.html"))
    assert sent
    errors = check_html(sent, built_site)
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
    messages = [e.message for e in check_html([page / "index.html"], root / "site")]
    assert any("Duplicate ID “doublon”" in m for m in messages), messages
    assert any("Element “meta” is missing one or more" in m for m in messages), messages
    shutil.rmtree(root / "site")


def test_checker_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker is part of the test tools: a missing jar is an error, never a skip."""
    assert vnu_jar().stat().st_size > 1_000_000
    monkeypatch.setenv("VNU_JAR", "/inexistant/vnu.jar")
    with pytest.raises(RuntimeError, match="make quality-deps"):
        vnu_jar()
