"""What a process that builds again (``ti serve``, the tests) keeps from one build to the next:
compiled templates, cleaned images, the engine's settings, and the theme's files listed
without the hidden ones. Each is kept by everything it is made from, so a kept value is never
another input's (every case has its control)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest
from jinja2 import DictLoader, Environment, pass_context
from prune_check import pruned_after_a_build

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


def _first(value: str) -> str:
    return f"[A:{value}]"


def _second(value: str) -> str:
    return f"[B:{value}]"


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


def test_what_jinja_computes_while_compiling_is_in_the_key(
    kept_between_builds: None, tmp_path: Path
) -> None:
    """Jinja calls a filter on constant arguments, and ``finalize`` on constant output, while
    compiling, and writes the result into the code; it reads some policies too. Another
    function under the same name, or another policy, is another code: in memory, and on disk
    for the next process."""
    first, second = _first, _second  # (defined in the module: named on disk)

    def render(name: str, template: str, **settings: Any) -> str:
        filters = settings.pop("filters", {})
        policies = settings.pop("policies", {})
        env = _env({name: template}, CompiledTemplates(tmp_path), **settings)
        env.filters.update(filters)
        env.policies.update(policies)
        return env.get_template(name).render()

    # (a template has one text at a time: on disk, under its name, the last one compiled)
    for _process in ("this one", "the next one"):
        assert render("filtre", "{{ 'x' | marque }}", filters={"marque": first}) == "[A:x]"
        assert render("filtre", "{{ 'x' | marque }}", filters={"marque": second}) == "[B:x]"
        assert render("final", "{{ 'x' }}", finalize=first) == "[A:x]"
        assert render("final", "{{ 'x' }}", finalize=second) == "[B:x]"
        long = "{{ 'abcdefghijklmnopq' | truncate(12) }}"
        assert render("court", long) == "abcdefghijklmnopq"  # (within the default leeway: 5)
        assert render("court", long, policies={"truncate.leeway": 0}) == "abcdefghi..."
        assert render("echappe", "{{ '<b>' }}", autoescape=True) == "&lt;b&gt;"
        assert render("echappe", "{{ '<b>' }}", autoescape=False) == "<b>"
        memo.forget_all()  # a new process: the codes from the disk
    assert len(_Counting.compiled) == 8  # each code compiled once, in the first process
    # Control: a filter made in a function (values of its own) is not named on disk
    made = [lambda value, n=n: f"[{n}:{value}]" for n in (1, 2)]
    assert render("fait", "{{ 'x' | marque }}", filters={"marque": made[0]}) == "[1:x]"
    memo.forget_all()
    assert render("fait", "{{ 'x' | marque }}", filters={"marque": made[1]}) == "[2:x]"
    assert len(_Counting.compiled) == 10


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


def _jinja_prune_after_a_build(project: Path) -> tuple[bool, bool]:
    """(an unused old compiled template is still there, the used old ones are), ``project``
    built twice, each build as `ti build`, in a process of its own (none reused). (Built where
    it is: Jinja names a template's code by its file's path, and a copied project's theme
    templates have other paths.)"""
    from conftest import build_site

    memo.forget_all()
    build_site(project)
    unused = "__jinja2_0123456789abcdef.cache"
    return pruned_after_a_build(project, "jinja", "*.cache", unused, memo.forget_all)


@pytest.mark.lent
def test_compiled_templates_unused_for_long_are_pruned(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each code change names new files (the code is in their key): those no build used for
    30 days go; those a build used stay."""
    from conftest import copy_project

    assert _jinja_prune_after_a_build(project) == (False, True)
    # Control: files used without being marked as used go too.
    from tisite.generate import templatecache

    monkeypatch.setattr(templatecache.os, "utime", lambda *args, **kwargs: None)
    assert _jinja_prune_after_a_build(copy_project(tmp_path / "controle")) == (False, False)


def test_the_code_this_process_loaded_is_in_the_name_on_disk(
    kept_between_builds: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A filter's module or library changed (a new Babel formats numbers otherwise): what it
    computed while compiling is not read back by a process that loaded the new code."""
    from tisite.generate import templatecache

    page = {"page.html": "{{ 'x' | marque }}"}

    def render() -> str:
        env = _env(page, CompiledTemplates(tmp_path))
        env.filters["marque"] = _first
        return env.get_template("page.html").render()

    assert render() == "[A:x]"
    memo.forget_all()
    monkeypatch.setattr(templatecache, "loaded_digest", lambda: "un autre code")
    memo.forget_all()  # (after the patch: a new process that loaded other code)
    assert render() == "[A:x]"
    assert _Counting.compiled == ["page.html"] * 2
    assert len(list(tmp_path.glob("__jinja2_*.cache"))) == 2


class _Marker:
    def mark(self, value: str) -> str:
        return f"[{value}]"


def test_functions_that_carry_values_of_their_own_are_not_named_on_disk() -> None:
    import functools

    from tisite.generate.templatecache import compile_settings, disk_key

    def made_in_a_function() -> type:
        class Local(Environment):
            pass

        return Local

    named = Environment()
    assert disk_key("cle", compile_settings(named, "page.html")) is not None
    for env, what in (
        (Environment(), {"marque": _Marker().mark}),  # a bound method (its object's address)
        (Environment(), {"marque": functools.partial(_first)}),
        (made_in_a_function()(), {}),  # a class made in a function
    ):
        env.filters.update(what)
        assert disk_key("cle", compile_settings(env, "page.html")) is None, what


class _Unhashable:
    __hash__ = None  # type: ignore[assignment]

    def __call__(self, value: str) -> str:
        return f"<{value}>"


def test_the_same_template_in_another_folder_is_not_compiled_again_and_names_its_own_file(
    kept_between_builds: None, tmp_path: Path
) -> None:
    """A copy of the project (the tests build a new one each time; a project moved) has the
    same templates in another folder: compiled once, each named after its own file (Jinja's
    ``filename``, the file of the template's line in a traceback, and that of each function
    and block of its code), and kept on the copy's disk for its next process."""
    import traceback
    from types import CodeType

    from jinja2 import FileSystemLoader

    text = (
        "{% macro ligne(x) %}<li>{{ x }}</li>{% endmacro %}{% block corps %}{{ titre }}"
        "{% for x in [1, 2] %}{{ ligne(x) }}{% endfor %}{% endblock %}"
        "{% if fautif %}{{ 1 // 0 }}{% endif %}"
    )

    def loaded(folder: str, template: str = text) -> Any:
        where = tmp_path / folder
        where.mkdir()
        (where / "page.html").write_text(template, encoding="utf-8")
        env = _Counting(loader=FileSystemLoader(str(where)), autoescape=True)
        env.bytecode_cache = CompiledTemplates(where / "cache")
        return env.get_template("page.html")

    def files_of(code: CodeType) -> set[str]:
        inner = (c for c in code.co_consts if isinstance(c, CodeType))
        return {code.co_filename}.union(*map(files_of, inner))

    first, second = loaded("projet-1"), loaded("projet-2")
    assert _Counting.compiled == ["page.html"]
    assert second.render(titre="<b>") == "&lt;b&gt;<li>1</li><li>2</li>"
    for template, folder in ((first, "projet-1"), (second, "projet-2")):
        own = str(tmp_path / folder / "page.html")
        assert template.filename == own
        code = template.environment.bytecode_cache.get_bucket(  # type: ignore[union-attr]
            template.environment, "page.html", own, text
        ).code
        assert code is not None and files_of(code) == {own}
        with pytest.raises(ZeroDivisionError) as raised:
            template.render(titre="x", fautif=True)
        files = [frame.filename for frame in traceback.extract_tb(raised.value.__traceback__)]
        assert own in files, files
        assert len(list((tmp_path / folder / "cache").iterdir())) == 1  # for its next process
    # Control: another text in a third folder is compiled for itself
    assert loaded("projet-3", "{{ titre }} !").render(titre="x") == "x !"
    assert _Counting.compiled == ["page.html"] * 2


def test_a_filter_that_cannot_be_a_key_is_compiled_each_time(kept_between_builds: None) -> None:
    page = {"page.html": "{{ 'x' | marque }}"}
    for _build in range(2):
        env = _env(page, CompiledTemplates(None))
        env.filters["marque"] = _Unhashable()
        assert env.get_template("page.html").render() == "<x>"
    assert _Counting.compiled == ["page.html"] * 2


def test_contributor_markdown_is_converted_when_the_page_is_rendered(
    kept_between_builds: None,
) -> None:
    """The ``markdown`` filter depends on the page rendered (its file, the site's Markdown
    settings): Jinja never computes it while compiling, even on a constant."""
    from jinja2 import DictLoader

    from tisite.generate import render
    from tisite.generate.convert import Converter

    def rendered(extensions: list[str]) -> str:
        env = render.make_env()
        env.loader = DictLoader({"page.html": '{{ "ligne un\\nligne deux" | markdown }}'})
        env.bytecode_cache = CompiledTemplates(None)
        page = render._Rendering("page.md", Converter(extensions, {}, None), [], set())
        token = render._RENDERING.set(page)
        try:
            return env.get_template("page.html").render()
        finally:
            render._RENDERING.reset(token)

    assert rendered([]) == "<p>ligne un\nligne deux</p>"
    assert rendered(["nl2br"]) == "<p>ligne un<br>\nligne deux</p>"


def test_the_email_templates_are_compiled_once_for_every_build(
    kept_between_builds: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each build reads the email templates again (one edited during `ti serve` counts): an
    unchanged one is not compiled again."""
    from tisite.publish import publishing

    compiled: list[str] = []
    real = Environment.compile

    def counting(self: Environment, source: Any, name: Any = None, *a: Any, **k: Any) -> Any:
        compiled.append(name)
        return real(self, source, name, *a, **k)

    monkeypatch.setattr(Environment, "compile", counting)

    def build() -> None:
        publishing.new_build()
        publishing._email_env(True).get_template("lettre.html.j2")
        publishing._email_env(False).get_template("lettre.txt.j2")

    build()
    once = list(compiled)
    assert {"lettre.html.j2", "lettre.txt.j2"} <= set(once)
    build()
    assert compiled == once
    # Control: a process that keeps nothing between builds compiles them again
    memo.keep_between_builds(False)
    try:
        build()
    finally:
        memo.keep_between_builds()
    assert compiled == once * 2
