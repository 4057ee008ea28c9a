"""Dates of the sitemap and the open data come from the content (letters, progress entries) or
from the last commit of the source file, never from the day of the build."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ti_inprocess
from tisite import clock
from tisite.generate import textutil

HDC = "hainaut-douaisis-cambresis"
SITE = "https://territoires-industrie.example.org/"


def lastmods(project: Path) -> dict[str, str | None]:
    xml = (project / "site/sitemap.xml").read_text("utf-8")
    found: dict[str, str | None] = {}
    for block in re.findall(r"<url>(.*?)</url>", xml, re.S):
        loc = re.search(r"<loc>(.*?)</loc>", block)
        mod = re.search(r"<lastmod>(.*?)</lastmod>", block)
        assert loc is not None
        found[loc.group(1).removeprefix(SITE)] = mod.group(1) if mod else None
    return found


def commit_all(project: Path, day: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+01:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+01:00",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    if not (project / ".git").exists():
        subprocess.run(["git", "init", "-q"], cwd=project, env=env, check=True)
    for command in (["add", "-A"], ["commit", "-q", "-m", "contenu"]):
        subprocess.run(["git", *command], cwd=project, env=env, check=True)


@pytest.mark.lent
def test_sitemap_and_open_data_dates_come_from_the_content(project: Path) -> None:
    commit_all(project, "2025-03-14")
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stderr
    dates = lastmods(project)
    today = clock.today().isoformat()
    assert today not in dates.values() or today == "2025-03-14"
    assert dates[f"{HDC}/lettres/15/"] == "2022-11-15"  # the letter's date
    assert dates[f"{HDC}/lettres/"] == "2022-11-15"  # its newest letter
    assert dates[f"{HDC}/plan-action/chef-de-projet/"] == "2022-07-06"  # last progress entry
    assert dates[f"{HDC}/carte-identite/"] == "2025-03-14"  # territoire.yml's last commit
    assert dates["contribuer/"] == "2025-03-14"  # a page of docs/
    rows = list(
        csv.DictReader(
            (project / f"site/{HDC}/plan-action/projets-territoire.csv").open(encoding="utf-8-sig")
        )
    )
    assert {r["updatedAt"][:10] for r in rows} <= {"2022-07-06", "2025-03-14"}
    assert today not in {r["updatedAt"][:10] for r in rows} or today == "2025-03-14"


@pytest.mark.lent
def test_without_history_a_page_has_no_date_rather_than_a_false_one(built_site: Path) -> None:
    """Negative control: outside a repository (the shared built example), a page without
    content date gets no lastmod (MkDocs would write the build date), a letter keeps its own."""
    assert not (built_site.parent / ".git").exists()
    dates = lastmods(built_site.parent)
    assert dates[f"{HDC}/carte-identite/"] is None
    assert dates[f"{HDC}/lettres/15/"] == "2022-11-15"
    assert clock.today().isoformat() not in dates.values()


def test_history_gives_no_false_date(tmp_path: Path) -> None:
    """A shallow clone (CI's default) and a commit dated in the future give no date; a file
    changed on a merged branch is dated by the merge (first parent)."""
    from tisite.content.history import file_dates

    repo = tmp_path / "depot"
    (repo / "territoires").mkdir(parents=True)
    (repo / "territoires/a.yml").write_text("a\n", "utf-8")
    commit_all(repo, "2024-01-10")
    (repo / "territoires/b.yml").write_text("b\n", "utf-8")
    commit_all(repo, "2099-06-01")  # an author's clock in the future
    dates = file_dates(repo, today=dt.date(2026, 11, 23))
    assert dates["territoires/a.yml"] == dt.date(2024, 1, 10)
    assert "territoires/b.yml" not in dates
    shallow = tmp_path / "copie"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True
    )
    assert file_dates(shallow) == {}  # only the last commit: nothing is dated
    assert file_dates(tmp_path / "nulle-part") == {}


def test_source_date_epoch_dates_the_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SOURCE_DATE_EPOCH (reproducible builds, as MkDocs reads it) is the build's moment, in
    Paris: 0:30 on 1 January 2030 in Paris is still 2029 for the machine's UTC clock. The tests
    pin it for their whole run (conftest), so builds on both sides of midnight agree. Control:
    the date is not today's. A value that is not a number of seconds is refused in French."""
    moment = dt.datetime(2030, 1, 1, 0, 30, tzinfo=clock.PARIS)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stderr
    plan = (project / f"site/{HDC}/plan-action/index.html").read_text("utf-8")
    assert f"au {textutil.long_date(dt.date(2030, 1, 1))}" in plan
    assert f"au {textutil.long_date(dt.datetime.now(dt.UTC).date())}" not in plan  # control
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "demain")
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    assert "SOURCE_DATE_EPOCH: « demain » n'est pas un nombre de secondes" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    # beyond what a file's 32-bit time holds (the sitemap's gzip header): refused before, in
    # French (the build stopped on an internal error in English)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "10000000000")
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    assert "« 10000000000 » est au-delà du 7 février 2106" in result.stderr
    assert "erreur interne" not in result.stderr
