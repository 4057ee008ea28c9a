"""Shared fixtures: copies of the example project in temporary folders, and one built site."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from synthetic import copy_entries

ROOT = Path(__file__).resolve().parent.parent
PROJECT_ENTRIES = ("mkdocs.yml", "site.yml", "docs", "territoires", "hooks", "urls-publiees.txt")


def flat(text: str) -> str:
    """Text with French no-break spaces (see tisite.typography) as plain spaces, for tests
    that read a phrase."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (config, content, hooks, docs) into ``dest``."""
    return copy_entries(dest, PROJECT_ENTRIES)


def copied_hooks_env(root: Path) -> dict[str, str]:
    """The environment that makes a build use the hooks copied into ``root`` (changed by a
    negative control) rather than the project's."""
    return {"PYTHONPATH": os.pathsep.join([str(root / "hooks"), os.environ.get("PYTHONPATH", "")])}


def override_in_copy(root: Path, module: str, code: str) -> dict[str, str]:
    """Negative controls: append ``code`` (a function that switches a protection off) to
    ``hooks/tisite/<module>.py`` of the copy at ``root``; returns copied_hooks_env(root)."""
    path = root / "hooks" / "tisite" / f"{module}.py"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code, encoding="utf-8")
    return copied_hooks_env(root)


def run_ti(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tisite.cli", "--racine", str(cwd), *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh, writable copy of the example project."""
    return copy_project(tmp_path / "projet")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, shared by the browser tests."""
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, chromium_path

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The example site served on a local port."""
    from browser import static_server

    with static_server(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per test session with --strict."""
    root = copy_project(tmp_path_factory.mktemp("exemple") / "projet")
    result = run_ti("build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"
