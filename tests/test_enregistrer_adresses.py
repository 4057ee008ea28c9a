"""scripts/enregistrer_adresses.py: the addresses a CI build added to urls-publiees.txt are
committed on the branch (a page published from the browser is protected like the others), on
a local bare repository standing for the forge."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from types import ModuleType

import pytest

from conftest import ROOT

REGISTRY = "urls-publiees.txt"


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "enregistrer", ROOT / "scripts/enregistrer_adresses.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip


@pytest.fixture
def forge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A bare repository (the forge) with a registry, and a CI clone of it, where the script
    runs (outside GitLab unless a test says so)."""
    bare = tmp_path / "forge.git"
    run("init", "-q", "--bare", "-b", "main", str(bare), cwd=tmp_path)
    first = tmp_path / "premier"
    run("clone", "-q", str(bare), str(first), cwd=tmp_path)
    (first / REGISTRY).write_text("# Adresses publiées\n/\n/a/\n", encoding="utf-8")
    run("add", REGISTRY, cwd=first)
    run("commit", "-q", "-m", "départ", cwd=first)
    run("push", "-q", "origin", "HEAD:main", cwd=first)
    ci = tmp_path / "ci"
    run("clone", "-q", str(bare), str(ci), cwd=tmp_path)
    monkeypatch.delenv("GITLAB_CI", raising=False)
    monkeypatch.chdir(ci)
    return bare, ci


def test_new_addresses_are_committed_merged_with_those_pushed_meanwhile(
    forge: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare, ci = forge
    # the CI build added /lettres/16/; meanwhile another run pushed /b/
    (ci / REGISTRY).write_text("# Adresses publiées\n/\n/a/\n/lettres/16/\n", encoding="utf-8")
    other = tmp_path / "autre"
    run("clone", "-q", str(bare), str(other), cwd=tmp_path)
    (other / REGISTRY).write_text("# Adresses publiées\n/\n/a/\n/b/\n", encoding="utf-8")
    run("commit", "-q", "-am", "autre", cwd=other)
    run("push", "-q", "origin", "HEAD:main", cwd=other)
    assert script().main("main") == 0
    assert "1 nouvelle adresse enregistrée dans main" in capsys.readouterr().out
    on_forge = run("show", f"main:{REGISTRY}", cwd=bare)
    assert on_forge == "# Adresses publiées\n/\n/a/\n/b/\n/lettres/16/\n"
    assert "[skip ci]" in run("log", "-1", "--format=%s", "main", cwd=bare)
    # again: nothing new, no commit
    before = run("rev-parse", "main", cwd=bare)
    run("checkout", "-q", REGISTRY, cwd=ci)
    assert script().main("main") == 0
    assert "aucune adresse nouvelle" in capsys.readouterr().out
    assert run("rev-parse", "main", cwd=bare) == before


def test_a_refused_push_is_a_warning_and_the_workflow_goes_on(
    forge: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bare, ci = forge
    (ci / REGISTRY).write_text("# Adresses publiées\n/\n/a/\n/c/\n", encoding="utf-8")
    assert script().main("main", str(tmp_path / "absent.git")) == 0
    assert "non enregistrée(s) dans la branche main" in capsys.readouterr().out
    # GitLab without its token: said, nothing tried
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.delenv("TI_JETON_DEPOT", raising=False)
    assert script().main("main") == 0
    assert "TI_JETON_DEPOT" in capsys.readouterr().out
    assert "/c/" not in run("show", f"main:{REGISTRY}", cwd=bare)


def test_the_workflows_record_the_addresses_after_publishing() -> None:
    from ruamel.yaml import YAML

    github = YAML(typ="safe").load((ROOT / ".github/workflows/site.yml").read_text("utf-8"))
    job = github["jobs"]["adresses"]
    assert job["needs"] == "publier" and job["permissions"] == {"contents": "write"}
    assert "pull_request" in job["if"]
    assert any("enregistrer_adresses.py" in s.get("run", "") for s in job["steps"])
    gitlab = YAML(typ="safe").load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    assert any("enregistrer_adresses.py" in line for line in gitlab["pages"]["script"])
    assert REGISTRY in gitlab["verifier"]["artifacts"]["paths"]


def test_the_gitlab_address_keeps_the_servers_port_and_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CI_SERVER_URL", "https://forge.example.fr:8443/gitlab")
    monkeypatch.setenv("CI_PROJECT_PATH", "territoire/site")
    monkeypatch.setenv("TI_JETON_DEPOT", "jeton")
    assert (
        script().gitlab_remote()
        == "https://oauth2:jeton@forge.example.fr:8443/gitlab/territoire/site.git"
    )
    monkeypatch.delenv("TI_JETON_DEPOT")
    assert script().gitlab_remote() is None  # control: no token, no address


def test_anything_unexpected_is_a_warning_never_a_failed_publication(
    forge: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hook refusing the commit, no registry at all: a warning and exit 0 (a traceback
    failed GitLab's « pages » job, so the site was not published)."""
    bare, ci = forge
    (ci / REGISTRY).write_text("# Adresses publiées\n/\n/a/\n/d/\n", encoding="utf-8")
    hook = ci / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    assert script().main("main") == 0
    out = capsys.readouterr().out
    assert "n'ont pas pu être enregistrées (CalledProcessError)" in out, out
    assert "/d/" not in run("show", f"main:{REGISTRY}", cwd=bare)
    hook.unlink()
    (ci / REGISTRY).unlink()
    assert script().main("main") == 0
    assert "(FileNotFoundError)" in capsys.readouterr().out
    # one address: said in the singular, comment lines not counted
    (ci / REGISTRY).write_text("# Adresses publiées\n# autre\n/\n/a/\n/e/\n", encoding="utf-8")
    assert script().main("main") == 0
    assert "1 nouvelle adresse enregistrée dans main" in capsys.readouterr().out


def test_a_branch_that_is_not_protected_and_reads_the_token_fails_the_pipeline(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The token can push to the protected branch: a working branch (its own Makefile runs)
    must never read it. GitLab gives a protected variable to protected branches only."""
    from ruamel.yaml import YAML

    gitlab = YAML(typ="safe").load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    first = gitlab["verifier"]["script"][0]
    assert first == "python3 scripts/enregistrer_adresses.py --controle-jeton"  # before make
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_COMMIT_REF_NAME", "ma-branche")
    monkeypatch.setenv("TI_JETON_DEPOT", "glpat-secret")
    monkeypatch.setenv("CI_COMMIT_REF_PROTECTED", "false")
    assert script().token_check() == 1
    said = capsys.readouterr().err
    assert "« ma-branche »" in said and "Protect variable" in said and "secret" not in said
    monkeypatch.setenv("CI_COMMIT_REF_PROTECTED", "true")
    assert script().token_check() == 0  # control: a protected branch may read it
    monkeypatch.setenv("CI_COMMIT_REF_PROTECTED", "false")
    monkeypatch.delenv("TI_JETON_DEPOT")
    assert script().token_check() == 0  # control: the variable protected, not given here


def test_one_pipeline_per_push_on_gitlab() -> None:
    from ruamel.yaml import YAML

    rules = YAML(typ="safe").load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))["workflow"]
    assert {"if": "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS", "when": "never"} in rules["rules"]


def _code_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("code_modifie", ROOT / "scripts/code_modifie.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_request_that_changes_code_is_flagged_for_review(
    forge: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Content is judged by the build; a change of the program gets the same green check,
    so the request says so (GitHub: a notice and the summary; GitLab: a warning status)."""
    from ruamel.yaml import YAML

    _bare, ci = forge
    monkeypatch.chdir(ci)
    module = _code_script()
    base = run("rev-parse", "HEAD", cwd=ci).strip()
    (ci / "territoires").mkdir(exist_ok=True)
    (ci / "territoires" / "a.md").write_text("x\n", encoding="utf-8")
    run("add", "-A", cwd=ci)
    run("commit", "-qm", "contenu", cwd=ci)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert module.main(base) == 0  # control: content only
    assert "ne modifie que du contenu" in capsys.readouterr().out
    (ci / "Makefile").write_text("all:\n", encoding="utf-8")
    (ci / "<img src=x onerror=alert(1)>`.md").write_text("x\n", encoding="utf-8")
    run("add", "-A", cwd=ci)
    run("commit", "-qm", "code", cwd=ci)
    assert module.main(base) == 3  # GitLab: « passed with warnings »
    assert "Makefile" in capsys.readouterr().out
    summary = ci / "resume.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert module.main(base) == 0
    assert capsys.readouterr().out.startswith("::notice title=Relecture d'un mainteneur::")
    text = summary.read_text(encoding="utf-8")
    assert "```text\n<img src=x onerror=alert(1)>`.md\nMakefile\n```" in text  # as text
    gitlab = YAML(typ="safe").load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    assert gitlab["code-modifie"]["allow_failure"] == {"exit_codes": [3]}
    github = YAML(typ="safe").load((ROOT / ".github/workflows/site.yml").read_text("utf-8"))
    steps = [s.get("run", "") for s in github["jobs"]["verifier"]["steps"]]
    assert "python3 scripts/code_modifie.py" in steps
