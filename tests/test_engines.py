"""The core without an engine, and the same site from both engines (MkDocs and ProperDocs)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_ti, ti_inprocess

HDC = "territoires/hainaut-douaisis-cambresis"
# Imports of an engine or of its theme fail in the process (as if they were not installed).
NO_ENGINE = """
import importlib.abc, sys
class NoEngine(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"mkdocs", "material", "properdocs"}:
            raise ImportError(f"{name} : absent de ce test")
        return None
sys.meta_path.insert(0, NoEngine())
"""
GENERATE = """
import importlib, pkgutil
from pathlib import Path
import tisite
from tisite.build import SiteBuild
core = [m.name for m in pkgutil.iter_modules(tisite.__path__) if m.name != "engine"]
for name in core:
    importlib.import_module("tisite." + name)
build = SiteBuild.load(Path(sys.argv[1]), site_url="https://exemple.org/")
print(len(core), len(build.pages), len(build.assets), flush=True)
"""


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


@pytest.mark.lent
def test_core_generates_the_site_without_any_engine(project: Path) -> None:
    result = python(NO_ENGINE + GENERATE, str(project))
    assert result.returncode == 0, result.stderr
    modules, pages, assets = map(int, result.stdout.split())
    assert modules >= 30 and pages >= 40 and assets >= 20
    # Control: the blocker does block the engine adapter and the hooks.
    for code in (
        "import tisite.engine; tisite.engine.build(Path('.'), Path('x'))",
        f"sys.path.insert(0, {str(ROOT / 'hooks')!r}); import mkdocs_hooks",
    ):
        blocked = python(NO_ENGINE + "from pathlib import Path\n" + code)
        assert blocked.returncode != 0 and "absent de ce test" in blocked.stderr, code


ENGINE_PACKAGES = {"mkdocs", "material", "properdocs"}
ADAPTERS = {"engine.py"}  # the core's only door to an engine (with hooks/mkdocs_hooks.py)


def engine_imports(source: str) -> list[int]:
    """Lines of ``source`` that import an engine, at any depth (inside functions too)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] in ENGINE_PACKAGES for name in names):
            lines.append(node.lineno)
    return lines


def test_only_the_adapters_import_an_engine() -> None:
    core = sorted((ROOT / "hooks" / "tisite").rglob("*.py"))
    assert len(core) >= 30
    found = {
        path.relative_to(ROOT).as_posix(): lines
        for path in core
        if path.name not in ADAPTERS and (lines := engine_imports(path.read_text("utf-8")))
    }
    assert found == {}
    # Control: an import inside a function is found, as is the adapter's own.
    assert engine_imports("def f():\n    from mkdocs.exceptions import X\n") == [2]
    assert engine_imports((ROOT / "hooks" / "tisite" / "engine.py").read_text("utf-8"))


def _normalised(site: Path) -> dict[str, str]:
    """The text outputs of a built site, with the engine's name taken out (generator meta)."""
    out = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or rel.startswith("pagefind/"):
            continue  # Pagefind's file names are digests of their content: compared below
        if path.suffix in {".html", ".xml", ".json", ".ics", ".csv", ".txt", ".svg"}:
            text = path.read_text(encoding="utf-8")
            out[rel] = re.sub(r'content="mkdocs-[^"]*, mkdocs-material', "content=ENGINE", text)
        else:
            out[rel] = str(path.stat().st_size)
    return out


@pytest.mark.lent
def test_properdocs_builds_the_same_site(built_site: Path, project: Path) -> None:
    result = run_ti("build", "--moteur", "properdocs", cwd=project)
    assert result.returncode == 0, result.stderr
    theirs = project / "site"
    generator = re.search(
        r'name="generator" content="([^"]*)"', (theirs / "index.html").read_text()
    )
    assert generator and generator[1].startswith("mkdocs-ProperDocs 1.6"), generator
    ours, other = _normalised(built_site), _normalised(theirs)
    assert sorted(ours) == sorted(other)
    assert [k for k in ours if ours[k] != other[k]] == []
    assert len(list((theirs / "pagefind").rglob("*"))) == len(
        list((built_site / "pagefind").rglob("*"))
    )


@pytest.mark.lent
def test_properdocs_messages_are_french_and_name_the_source(project: Path) -> None:
    letter = project / HDC / "lettres" / "14.md"
    letter.write_text(
        letter.read_text(encoding="utf-8") + "\nVoir [la fiche](../../plan-action/absente.md).\n",
        encoding="utf-8",
    )
    lines = letter.read_text(encoding="utf-8").count("\n")
    for command in (("check",), ("build",)):
        result = run_ti(*command, "--moteur", "properdocs", cwd=project)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert f"{HDC}/lettres/14.md:{lines}: " in output
        assert "lien vers « ../../plan-action/absente.md » : la page ou le fichier visé" in output
        assert "Traceback" not in output and "WARNING" not in output
        assert "avertissement : lien" not in output  # an error, as the preview says too
        if command == ("build",):
            # refused by the core before the engine ran, as an error of the content
            assert "erreur : contenu invalide" in output and "1 erreur dans le contenu" in output


@pytest.mark.lent
def test_build_settings_come_from_ti_or_mkdocs_yml(project: Path, tmp_path: Path) -> None:
    from tisite import engine

    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # mkdocs.yml's block, for whoever runs the engine without ti
    config.write_text(
        text.replace("extra_css:", "extra:\n  ti_construction:\n    brouillons: true\nextra_css:"),
        encoding="utf-8",
    )
    engine.build(project, tmp_path / "avec", territoire="grand-chatellerault")
    assert (tmp_path / "avec/hainaut-douaisis-cambresis").exists() is False
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    drafts = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "brouillons")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert drafts.returncode == 0, drafts.stderr
    assert (tmp_path / "brouillons/hainaut-douaisis-cambresis/lettres/16/index.html").is_file()
    # a wrong value: a French message naming mkdocs.yml and the field, no traceback
    config.write_text(
        text.replace("extra_css:", "extra:\n  ti_construction:\n    brouillon: oui\nextra_css:"),
        encoding="utf-8",
    )
    result = ti_inprocess("check", cwd=project)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "mkdocs.yml: champ « extra.ti_construction.brouillon » : champ inconnu" in output
    assert "Traceback" not in output
