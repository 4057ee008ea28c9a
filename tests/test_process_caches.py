"""What a process that builds again (``ti serve``, the tests) keeps from one build to the next:
compiled templates, cleaned images, the engine's settings, and the theme's files listed
without the hidden ones. Each is kept by everything it is made from, so a kept value is never
another input's (every case has its control)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from jinja2 import DictLoader, Environment, pass_context

from tisite import memo, settings
from tisite.generate.templatecache import CompiledTemplates
from tisite.publish import diskcache


class _Counting(Environment):
    compiled: ClassVar[list[str]] = []

    def compile(
        self, source: Any, name: Any = None, filename: Any = None, *a: Any, **k: Any
    ) -> Any:
        _Counting.compiled.append(name)
        return super().compile(source, name, filename, *a, **k)


def _env(templates: dict[str, str], cache: CompiledTemplates, **options: Any) -> Environment:
    env = _Counting(loader=DictLoader(templates), **options)
    env.bytecode_cache = cache
    return env


@pytest.fixture
def kept_between_builds() -> Any:
    assert memo.keeping()  # (turned on for the whole test session, see conftest)
    memo.forget_all()
    _Counting.compiled = []
    yield
    memo.forget_all()


def test_a_template_is_compiled_once_per_text_and_settings(
    kept_between_builds: None, tmp_path: Path
) -> None:
    page = {"page.html": "{{ titre }} !"}
    first = _env(page, CompiledTemplates(tmp_path / "jinja"), autoescape=True)
    assert first.get_template("page.html").render(titre="<b>") == "&lt;b&gt; !"
    # the next build's new environment, with a cache of another project: not compiled again
    second = _env(page, CompiledTemplates(None), autoescape=True)
    assert second.get_template("page.html").render(titre="<b>") == "&lt;b&gt; !"
    assert _Counting.compiled == ["page.html"]
    # the same name with another text: compiled, the new text shown
    edited = _env({"page.html": "{{ titre }} ?"}, CompiledTemplates(None), autoescape=True)
    assert edited.get_template("page.html").render(titre="<b>") == "&lt;b&gt; ?"
    # the same text without autoescape: its own code, the value written as it is
    raw = _env(page, CompiledTemplates(None), autoescape=False)
    assert raw.get_template("page.html").render(titre="<b>") == "<b> !"
    assert _Counting.compiled == ["page.html"] * 3
    # Control: a process that keeps nothing compiles for every environment.
    memo.keep_between_builds(False)
    try:
        _env(page, CompiledTemplates(None), autoescape=True).get_template("page.html")
    finally:
        memo.keep_between_builds()
    assert _Counting.compiled == ["page.html"] * 4


def test_a_filter_that_asks_for_the_context_is_compiled_for(
    kept_between_builds: None,
) -> None:
    """Jinja writes a filter's call from what the filter asks to be passed: a filter replaced
    by one asking for the context needs other code."""
    page = {"page.html": "{{ 'x' | marque }}"}
    plain = _env(page, CompiledTemplates(None))
    plain.filters["marque"] = lambda value: f"[{value}]"
    assert plain.get_template("page.html").render() == "[x]"

    @pass_context
    def with_context(context: Any, value: str) -> str:
        return f"[{value} {context['qui']}]"

    asking = _env(page, CompiledTemplates(None))
    asking.filters["marque"] = with_context
    assert asking.get_template("page.html").render(qui="moi") == "[x moi]"
    assert _Counting.compiled == ["page.html"] * 2


def test_the_disk_keeps_compiled_templates_for_the_next_process(
    kept_between_builds: None, tmp_path: Path
) -> None:
    page = {"page.html": "{{ titre }}"}
    _env(page, CompiledTemplates(tmp_path)).get_template("page.html")
    assert len(list(tmp_path.iterdir())) == 1
    memo.forget_all()  # a new process: read from the disk, not compiled
    _env(page, CompiledTemplates(tmp_path)).get_template("page.html")
    assert _Counting.compiled == ["page.html"]
    memo.forget_all()  # Control: without the disk, compiled again
    _env(page, CompiledTemplates(None)).get_template("page.html")
    assert _Counting.compiled == ["page.html"] * 2


def test_bytes_kept_for_one_project_are_written_to_the_next(
    kept_between_builds: None, tmp_path: Path
) -> None:
    made: list[str] = []

    def make(value: bytes) -> Any:
        return lambda: made.append(value.decode()) or value

    one, two = tmp_path / "un", tmp_path / "deux"
    assert diskcache.kept(one, "cle", make(b"image")) == b"image"
    assert diskcache.kept(two, "cle", make(b"autre")) == b"image"  # same key: same bytes
    assert (two / "cle").read_bytes() == b"image"  # and in this project's cache too
    assert made == ["image"]
    # Control: another key is made
    assert diskcache.kept(two, "autre-cle", make(b"autre")) == b"autre"
    assert made == ["image", "autre"]


def test_the_engine_settings_are_given_as_a_copy(kept_between_builds: None, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_url: https://exemple.org/\nextra:\n  a: 1\n", encoding="utf-8"
    )
    first = settings.engine_config(tmp_path)
    first["extra"]["a"] = 2
    assert settings.engine_config(tmp_path)["extra"] == {"a": 1}
    (tmp_path / "mkdocs.yml").write_text("extra:\n  a: 3\n", encoding="utf-8")
    assert settings.engine_config(tmp_path)["extra"] == {"a": 3}  # by text, never stale


def test_the_theme_files_are_the_same_without_listing_hidden_folders(project: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from tisite.adapters import themefiles

    config = load_config(str(project / "mkdocs.yml"))
    listed = config.theme.get_env().list_templates()
    themefiles.list_visible_only(config.theme)
    themefiles.list_visible_only(config.theme)  # (once is enough: not wrapped twice)
    visible = config.theme.get_env().list_templates()
    assert any(name.startswith(".icons/") for name in listed)  # what is not walked any more
    assert not any(part.startswith(".") for name in visible for part in name.split("/"))
    assert set(visible) < set(listed)

    def theme_files(names: list[str]) -> list[str]:
        env = config.theme.get_env()
        env.list_templates = lambda filter_func=None: [n for n in names if filter_func(n)]  # type: ignore[method-assign]
        files = Files([])
        files.add_files_from_theme(env, config)
        return sorted(f.src_uri for f in files)

    published = theme_files(visible)
    assert len(published) > 20 and published == theme_files(listed)
    # Control: a visible file left out of the listing is a file missing from the site.
    assert theme_files([n for n in visible if n != published[0]]) != published
