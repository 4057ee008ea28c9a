"""Property-based tests (Hypothesis): random and hostile YAML and Markdown in each kind of
content file. For every generated input, ``ti check`` and ``ti build`` agree:

- either both fail, exit 1, with the same French ``fichier:ligne: …`` message and no traceback;
- or both succeed, and every page of the built site is inert (no injected script, handler or
  dangerous address).

The examples are derived from a fixed seed (``derandomize``): CI replays the same inputs.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_project, ti_inprocess
from hostile import RUN, assert_data_matches_its_schemas, live_injections
from tisite.cli.commands import main

GC = "territoires/grand-chatellerault"
HDC = "territoires/hainaut-douaisis-cambresis"
# (file, line to replace, field written in its place): one per kind of content file
TARGETS = {
    "action-axe": (f"{GC}/actions/diagnostic-attractivite.md", "axe: attirer", "axe"),
    "action-texte": (f"{GC}/actions/diagnostic-attractivite.md", "axe: attirer", "budget_source"),
    "action-titre": (
        f"{GC}/actions/diagnostic-attractivite.md",
        "titre: Réaliser un diagnostic d'attractivité",
        "titre",
    ),
    "action-calendrier": (f"{GC}/actions/diagnostic-attractivite.md", "axe: attirer", "calendrier"),
    "lettre-date": (f"{HDC}/lettres/15.md", "date: ", "date"),
    "lettre-titre": (f"{HDC}/lettres/14.md", "titre: ", "titre"),
    "territoire-nom": (f"{GC}/territoire.yml", "nom: Grand-Châtellerault", "nom"),
    "territoire-chiffres": (f"{GC}/territoire.yml", "nom: Grand-Châtellerault", "chiffres_cles"),
    "priorites-source": (f"{GC}/priorites.yml", "source: ", "source"),
    "gouvernance-partenaires": (f"{GC}/gouvernance.yml", "partenaires:", "signataires"),
    "agenda": (f"{HDC}/agenda.yml", "evenements:", "appels_a_projets"),
}

SNIPPETS = [
    f"<script>{RUN}</script>",
    f'<img src=x onerror="{RUN}">',
    f"[x](javascript:{RUN})",
    "![p](https://tracker.example/p.gif)",
    '<div id="__config">{}</div>',
    "{{ config }} {% raw %}",
    '=HYPERLINK("https://pirate.example")',
    "1e308",
    ".nan",
    "-5",
    "9999-12-31",
    "0000-01-01",
    "2024-02-30",
    "[" * 40,
    "- a\n- b",
    "{a: [1, {b: 2}]}",
    "!!python/object/apply:os.system ['true']",
    "&a [1] *a",
    "oui",
    "'",
    '"',
    ": x",
    "\x08",
    "\u202e",
    "\ufeff",
    "titre: x",
    "---",
]


def _value() -> st.SearchStrategy[str]:
    characters = st.characters(
        codec="utf-8", exclude_categories=("Cs",), include_characters="<>&\"'\n\t:#[]{}*!|-"
    )
    return st.one_of(
        st.sampled_from(SNIPPETS),
        st.text(characters, max_size=40),
        st.lists(st.sampled_from(SNIPPETS), min_size=2, max_size=4).map(" ".join),
        st.integers(min_value=1, max_value=5000).map(lambda n: "9" * n),
    )


def _write(root: Path, target: str, value: str, quoted: bool) -> None:
    rel, anchor, field = TARGETS[target]
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(anchor))
    shown = json.dumps(value, ensure_ascii=False) if quoted else value
    lines[index] = f"{field}: {shown}"
    text = "\n".join(lines)
    if rel.endswith(".md"):
        text += f"\n\n{value}\n"
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def warm_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project, built once: its .cache (social images) makes each example quick."""
    root = copy_project(tmp_path_factory.mktemp("propriete") / "projet")
    result = ti_inprocess("build", cwd=root)
    assert result.returncode == 0, result.stderr
    shutil.rmtree(root / "site")
    return root


def _check(root: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--racine", str(root), "check"])
    return code, err.getvalue()


def _first_error(report: str) -> str:
    lines = [
        line
        for line in report.splitlines()
        if line.startswith(("territoires/", "mkdocs.yml", "site.yml", "urls-publiees"))
        and ": avertissement : " not in line
    ]
    return lines[0] if lines else ""


@pytest.mark.lent
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(sorted(TARGETS)), value=_value(), quoted=st.booleans())
def test_check_and_build_agree_and_outputs_are_inert(
    warm_project: Path,
    tmp_path_factory: pytest.TempPathFactory,
    target: str,
    value: str,
    quoted: bool,
) -> None:
    root = tmp_path_factory.mktemp("exemple") / "projet"
    shutil.copytree(warm_project, root, symlinks=True)
    _write(root, target, value, quoted)
    code, report = _check(root)  # an exception here fails the test: no traceback allowed
    assert code in (0, 1), report
    result = ti_inprocess("build", cwd=root)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == code, (target, value, report, output)
    if code == 1:
        first = _first_error(report)
        assert first, report
        assert first.split(": ", 1)[0] in output, (first, output)
        assert not (root / "site").exists()
        return
    for page in (root / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not live_injections(html), (page, live_injections(html))
    assert_data_matches_its_schemas(root / "site")
