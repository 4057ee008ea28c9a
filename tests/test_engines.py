"""The core without an engine, and the same site from both engines (MkDocs and ProperDocs)."""

from __future__ import annotations

import ast
import importlib
import importlib.abc
import importlib.util
import pkgutil
import re
import sys
from collections.abc import Iterator
from contextlib import chdir, contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, copy_project, run_ti, ti_inprocess

HDC = "territoires/hainaut-douaisis-cambresis"
ENGINES = {"mkdocs", "material", "properdocs"}


class NoEngine(importlib.abc.MetaPathFinder):
    """Imports of an engine or of its theme fail (as if they were not installed)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] in ENGINES:
            raise ImportError(f"{name} : absent de ce test")
        return None


@contextmanager
def without_engine() -> Iterator[None]:
    """The core imported afresh in this process with no engine to import; every module as it
    was afterwards (the test process keeps its own tisite and MkDocs)."""
    saved = dict(sys.modules)
    for name in list(sys.modules):
        if name.split(".")[0] in {*ENGINES, "tisite", "mkdocs_hooks"}:
            del sys.modules[name]
    blocker = NoEngine()
    sys.meta_path.insert(0, blocker)
    try:
        yield
    finally:
        sys.meta_path.remove(blocker)
        ours = {*ENGINES, "tisite", "mkdocs_hooks"}  # other modules loaded meanwhile stay
        for name in [n for n in sys.modules if n not in saved and n.split(".")[0] in ours]:
            del sys.modules[name]
        sys.modules.update(saved)


@pytest.mark.lent
def test_core_generates_the_site_without_any_engine(project: Path, tmp_path: Path) -> None:
    import mkdocs

    import tisite.adapters.engine

    loaded = {mkdocs.__name__, tisite.adapters.engine.__name__}  # before the test, and after
    with without_engine():
        import tisite
        from tisite.build import SiteBuild

        # every module of the core, in every stage package, but the engine adapters
        core = [
            m.name
            for m in pkgutil.walk_packages(tisite.__path__, "tisite.")
            if not m.name.startswith("tisite.adapters.engine") and not m.name.endswith("__main__")
        ]
        for name in core:
            importlib.import_module(name)
        build = SiteBuild.load(project, site_url="https://exemple.org/")
        assert not any(n.split(".")[0] in ENGINES for n in sys.modules)
        modules, pages, assets = len(core), len(build.pages), len(build.assets)
        # Control: the blocker does block the engine adapter and the hooks.
        from tisite import pipeline

        with pytest.raises(ImportError, match="absent de ce test"):
            pipeline.build(project, tmp_path / "x")
        spec = importlib.util.spec_from_file_location(
            "mkdocs_hooks", ROOT / "hooks/mkdocs_hooks.py"
        )
        assert spec is not None and spec.loader is not None
        with pytest.raises(ImportError, match="absent de ce test"):
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
    assert modules >= 30 and pages >= 40 and assets >= 20
    assert loaded <= set(sys.modules)  # as before the test


ENGINE_PACKAGES = {"mkdocs", "material", "properdocs"}
CORE = ROOT / "hooks" / "tisite"
ADAPTERS = CORE / "adapters"  # the core's only door to an engine (with hooks/mkdocs_hooks.py)


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
    core = sorted(CORE.rglob("*.py"))
    assert len(core) >= 30
    found = {
        path.relative_to(ROOT).as_posix(): lines
        for path in core
        if not path.is_relative_to(ADAPTERS) and (lines := engine_imports(path.read_text("utf-8")))
    }
    assert found == {}
    # Control: an import inside a function is found, as is the adapter's own.
    assert engine_imports("def f():\n    from mkdocs.exceptions import X\n") == [2]
    assert engine_imports((ADAPTERS / "engine.py").read_text("utf-8"))


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


def _engine_switched(project: Path) -> list[str]:
    """The example built by MkDocs (in this process), then by ProperDocs (in a process of its
    own: it replaces MkDocs for a whole process): the pages that still name MkDocs."""
    from conftest import build_site

    build_site(project)
    result = run_ti("build", "--moteur", "properdocs", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return sorted(
        p.relative_to(project / "site").as_posix()
        for p in (project / "site").rglob("index.html")
        if 'content="mkdocs-1.6' in p.read_text("utf-8")
    )


@pytest.mark.lent
@pytest.mark.processus
def test_properdocs_builds_the_same_site_in_french_from_no_page_of_mkdocs(
    built_site: Path, project: Path, tmp_path: Path
) -> None:
    """ProperDocs, in processes of their own: the same site as MkDocs'; after a build by
    MkDocs, the page cache serves no page of the former engine (control: without the engine
    in the cache's key, the cached leaves name MkDocs under ProperDocs); its messages are
    French and name the source."""
    from test_page_cache import ADAPTER, ENGINE_KEY, LEAVES, _edit

    assert _engine_switched(project) == []
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
    control = copy_project(tmp_path / "controle")
    _edit(control / ADAPTER, ENGINE_KEY, "")
    assert len(_engine_switched(control)) == LEAVES
    # French messages naming the source
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
            # refused by the core before the engine ran, as an error of the build (the
            # content is valid file by file)
            assert "erreur : le site ne peut pas être construit :" in output
            assert "1 erreur à la construction" in output and "contenu invalide" not in output


@pytest.mark.lent
def test_build_settings_come_from_ti_or_mkdocs_yml(project: Path, tmp_path: Path) -> None:
    from tisite import pipeline

    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    # mkdocs.yml's block, for whoever runs the engine without ti
    config.write_text(
        text.replace("extra_css:", "extra:\n  ti_construction:\n    brouillons: true\nextra_css:"),
        encoding="utf-8",
    )
    pipeline.build(project, tmp_path / "avec", territoire="grand-chatellerault")
    assert (tmp_path / "avec/hainaut-douaisis-cambresis").exists() is False
    # `mkdocs build` by hand (no ti: the hooks prepare and publish the site themselves)
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from tisite import settings

    with chdir(project), settings.given():
        mkdocs_build(load_config("mkdocs.yml", site_dir=str(tmp_path / "brouillons")))
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


def _adapter_module() -> object:
    """hooks/mkdocs_hooks.py loaded afresh under a name of its own (the engine's copy stays)."""
    spec = importlib.util.spec_from_file_location("ti_adapter_copy", ROOT / "hooks/mkdocs_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_ready_page_has_the_engines_canonical_address(monkeypatch: pytest.MonkeyPatch) -> None:
    """The adapter joins a page's address to the site's without the engine's URL parser when
    that is plain concatenation; every other case is the engine's own (same values)."""
    from mkdocs.structure import pages
    from mkdocs.structure.files import File

    adapter: Any = _adapter_module()
    bases = [
        "https://exemple.org/",
        "https://exemple.org",
        "http://127.0.0.1:8000/",
        "https://exemple.org/ti/",
        "https://exemple.org/ti",
        "https://exemple.org/a/../b/",  # dot segments: the engine removes them
        "https://exemple.org/./",
        "https://exemple.org/?x=1",
        "https://exemple.org/#haut",
        "https://moi@exemple.org/",
        "http://[::1]:8000/",
        None,
        "",
    ]
    sources = [
        "index.md",
        "territoire/actions/fa-1/index.md",
        "territoire/page.md",
        "Sous Dossier/é.md",
        "a/b/../c.md",
        "x/y%20z.md",
        "x/y?z.md",
    ]

    def both(base: str | None, file: File) -> tuple[object, object]:
        ours = adapter.ReadyPage.__new__(adapter.ReadyPage)
        theirs = pages.Page.__new__(pages.Page)
        ours.file = theirs.file = file
        ours._set_canonical_url(base)
        pages.Page._set_canonical_url(theirs, base)
        return (ours.canonical_url, ours.abs_url), (theirs.canonical_url, theirs.abs_url)

    cases = [
        (base, File(src, "/docs", "/site", directory_urls))
        for directory_urls in (True, False)
        for src in sources
        for base in bases
    ]
    for base, file in cases:
        ours, theirs = both(base, file)
        assert ours == theirs, (base, file.src_uri)
    # the plain case does not go through the engine's parser (what makes it cheaper)
    with monkeypatch.context() as patch:
        patch.setattr(pages, "urljoin", None)
        page = adapter.ReadyPage.__new__(adapter.ReadyPage)
        page.file = File("territoire/actions/fa-1/index.md", "/docs", "/site", True)
        page._set_canonical_url("https://exemple.org/ti/")
        assert (page.canonical_url, page.abs_url) == (
            "https://exemple.org/ti/territoire/actions/fa-1/",
            "/ti/territoire/actions/fa-1/",
        )
    # Control: a fast path that also took bases with dot segments gives other addresses.
    monkeypatch.setattr(adapter, "_PLAIN_BASE", re.compile(r"https?://[^/?#]+(?:/[^/?#]*)*/?"))
    assert any(both(base, file)[0] != both(base, file)[1] for base, file in cases)


def test_a_missing_logo_or_an_unknown_icon_is_refused_on_its_line(project: Path) -> None:
    """A logo named in mkdocs.yml that docs/ does not have (a broken image on every page),
    and an icon the theme does not have (the engine stopped with « erreur système »): `ti
    check` refuses each in French on its line, as the build does. Control: the same settings
    with the image in docs/ and a real icon pass."""
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert "    logo: material/factory\n" in text and "  favicon: assets/favicon.svg\n" in text
    config.write_text(
        text.replace("    logo: material/factory\n", "    logo: material/usine\n").replace(
            "  favicon: assets/favicon.svg\n", "  favicon: assets/favicon.svg\n  logo: logo.png\n"
        ),
        "utf-8",
    )
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1, result.stderr
    lines = config.read_text("utf-8").splitlines()
    icon, logo = lines.index("    logo: material/usine") + 1, lines.index("  logo: logo.png") + 1
    assert (
        f"mkdocs.yml:{icon}: champ « theme.icon.logo » : icône « material/usine » inconnue du "
        "thème : écrivez le nom d'une icône de Material for MkDocs"
    ) in result.stderr, result.stderr
    assert (
        f"mkdocs.yml:{logo}: champ « theme.logo » : image « logo.png » introuvable : placez-la "
        "dans docs/ (docs/logo.png)"
    ) in result.stderr
    assert "erreur système" not in result.stderr
    config.write_text(
        config.read_text("utf-8").replace("material/usine", "material/factory"), "utf-8"
    )
    (project / "docs" / "logo.png").write_bytes(_png())
    passed = ti_inprocess("check", cwd=project)
    assert passed.returncode == 0, passed.stderr


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


MATERIAL = Path(importlib.util.find_spec("material").origin or "").parent / "templates"


@pytest.mark.parametrize(
    ("settings", "field", "says"),
    [
        ({"theme": {"logo": ["x.png"]}}, "theme.logo", "doit être le nom d'un fichier image"),
        ({"theme": {"logo": "/etc/hostname"}}, "theme.logo", "sans « / » au début"),
        ({"theme": {"logo": ".logo.png"}}, "theme.logo", "ni nom commençant par « . »"),
        ({"theme": {"logo": "main.html"}}, "theme.logo", "écrivez le nom d'une image"),
        ({"theme": {"logo": "../logo.png"}}, "theme.logo", "sans « .. »"),
        ({"theme": {"logo": "docs/logo.png"}}, "theme.logo", "écrivez « logo.png »"),
        (
            {"theme": {"icon": {"admonition": {"note": "material/usine"}}}},
            "theme.icon.admonition.note",
            "inconnue du thème",
        ),
        (
            {"theme": {"icon": {"logo": ["material/factory"]}}},
            "theme.icon.logo",
            "inconnue du thème",
        ),
        (
            {"repo_url": 'https://x.example/"><meta http-equiv=refresh content=0;url=https://e/>'},
            "repo_url",
            "sans espace, guillemet",
        ),
        ({"repo_url": "javascript:alert(1)"}, "repo_url", "sans espace, guillemet"),
        ({"repo_name": "<img src=x onerror=alert(1)>"}, "repo_name", "retirez les guillemets"),
        (
            {"extra": {"social": [{"icon": "x", "link": 'https://e/" onmouseover="alert(1)'}]}},
            "extra.social[1].link",
            "sans espace",
        ),
        (
            {"extra": {"status": {"new": '"><svg onload=alert(1)>'}}},
            "extra.status.new",
            "retirez les guillemets",
        ),
        (
            {"extra": {"analytics": {"provider": "google", "property": "G-X"}}},
            "extra.analytics",
            "autre site",
        ),
        (
            {"extra": {"consent": {"title": "<img src=x onerror=alert(1)>"}}},
            "extra.consent.title",
            "retirez les guillemets",
        ),
    ],
)
def test_what_mkdocs_yml_gives_the_theme_is_checked(
    tmp_path: Path, settings: dict[str, Any], field: str, says: str
) -> None:
    """Values of mkdocs.yml the theme prints raw or loads (found by an outside attack: a
    repo_url with a quote sent every visitor to another site; a nested icon or a list stopped
    the engine with « erreur système »; an absolute logo path was published). Control: the
    example's settings and a real logo pass."""
    from tisite.adapters import themefiles

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "logo.png").write_bytes(_png())
    theme = {"name": "material", **settings.get("theme", {})}
    found = themefiles.problems(theme, [str(MATERIAL)], docs, "", settings)
    assert [p.field for p in found] == [field], found
    assert says in found[0].message, found[0].message
    good = {
        "logo": "logo.png",
        "icon": {"logo": "material/factory"},
        "favicon": "assets/favicon.svg",
    }
    fine = {
        "repo_url": "https://gitlab.com/x/y",
        "repo_name": "Dépôt",
        "extra": {"social": [{"link": "mailto:a@b.fr"}]},
    }
    assert themefiles.problems(good, [str(MATERIAL)], docs, "", fine) == []  # control


@pytest.mark.lent
def test_the_exporter_checks_what_a_build_checks_of_the_theme(
    project: Path, tmp_path: Path
) -> None:
    """An unknown icon: ti check refused it, and ti exporter wrote an export whose build
    crashed in English (TemplateNotFound). Now the exporter refuses it and writes nothing."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("material/factory", "material/usine"))
    result = ti_inprocess("exporter", str(tmp_path / "export"), cwd=project)
    assert result.returncode == 1, result.stderr
    assert "icône « material/usine » inconnue du thème" in result.stderr
    assert not (tmp_path / "export").exists()
