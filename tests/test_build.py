"""Full builds of the example site in a temporary folder, checked for their facts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, flat, ti_inprocess

HDC = "territoires/hainaut-douaisis-cambresis"


def page(site: Path, path: str) -> BeautifulSoup:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    for permalink in soup.select("a.headerlink"):
        permalink.decompose()
    return soup


def text_of(soup: BeautifulSoup) -> str:
    article = soup.select_one("article") or soup
    return re.sub(r"[ \t\r\n]+", " ", article.get_text(" ")).strip()


def test_identity_card_of_hdc(built_site: Path) -> None:
    soup = page(built_site, "hainaut-douaisis-cambresis/carte-identite")
    text = flat(text_of(soup))
    table = soup.find("th", string="Intercommunalité").find_parent("table")
    rows = [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in table.find_all("tr")[1:]
    ]
    assert [r[0] for r in rows[:-1]] == [
        "CA Valenciennes Métropole",
        "CA de la Porte du Hainaut",
        "CA Maubeuge Val de Sambre",
        "CA de Cambrai",
        "CA du Caudrésis et du Catésis",
        "CA Douaisis Agglo",
    ]
    assert rows[-1] == ["Total", "", "", "261", "765\u202f780"]
    assert "Découpage administratif (Etalab)" in text and "millésime 2026" in text
    companies = soup.find("th", string="Entreprise").find_parent("table")
    company_rows = [
        [c.get_text(" ", strip=True) for c in tr.find_all("td")]
        for tr in companies.find_all("tr")[1:]
    ]
    assert company_rows[0] == [
        "Toyota Motor Manufacturing France",
        "Onnaing",
        "4\u202f500",
        "Yaris 4\u202f; Yaris Cross",
    ]
    assert len(company_rows) == 5
    assert "19,5 %" in text
    img = soup.select_one("img.ti-map")
    assert img is not None and img["src"] == "carte.svg"
    assert "Nord mis en évidence" in img["alt"]
    svg = (built_site / "hainaut-douaisis-cambresis/carte-identite/carte.svg").read_text(
        encoding="utf-8"
    )
    nord = re.search(r'<path fill="([^"]+)" d="[^"]+"><title>Nord</title>', svg)
    vienne = re.search(r'<path fill="([^"]+)" d="[^"]+"><title>Vienne</title>', svg)
    assert nord and nord.group(1) == "#000091"
    assert vienne and vienne.group(1) == "#dcdcdc"
    assert "SVG Maps" in text and "CC-BY-4.0" in text


def test_territory_home_priorities_and_governance(built_site: Path) -> None:
    home = text_of(page(built_site, "hainaut-douaisis-cambresis"))
    assert "Préparer l'industrie du futur" in home
    assert "765\u202f780 habitants" in home
    priorites = page(built_site, "hainaut-douaisis-cambresis/priorites")
    assert priorites.find(id="attractivite") is not None
    assert "Attractivité des métiers de l'industrie" in text_of(priorites)
    gouv = text_of(page(built_site, "hainaut-douaisis-cambresis/gouvernance"))
    for fact in (
        "Comité local de projet (COPIL)",
        "annuelle",
        "Comité technique (COTECH)",
        "deux fois par an",
        "trimestrielle",
        "Permanences sur le territoire",
        "CCI Grand Hainaut",
        "74\u202f864,98\u00a0€",
    ):
        assert fact in gouv, fact
    gc = text_of(page(built_site, "grand-chatellerault/gouvernance"))
    assert "Chef de projet Non renseigné." in gc


def test_national_home_groups_territories_by_region(built_site: Path) -> None:
    soup = page(built_site, "")
    headings = [h.get_text(" ", strip=True) for h in soup.select("article h3")]
    assert headings == [
        "Les territoires par département",
        "Hauts-de-France (1 territoire)",
        "Nouvelle-Aquitaine (1 territoire)",
    ]
    links = {a["href"] for a in soup.select("article .grid a")}
    assert {"hainaut-douaisis-cambresis/", "grand-chatellerault/"} <= links


def test_every_page_has_footer_and_legal_links(built_site: Path) -> None:
    pages = sorted(built_site.rglob("index.html"))
    assert len(pages) >= 12
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one(".ti-footer a")
        assert link is not None, path
        assert link.get_text(strip=True) == "Accessibilité\xa0: non conforme", path
        assert soup.html is not None and soup.html.get("lang") == "fr", path
    legal = flat(text_of(page(built_site, "accessibilite")))
    assert "non conforme" in legal and "accessibilite@example.org" in legal
    assert "22 novembre 2026" in legal


def test_no_request_to_a_third_party(built_site: Path) -> None:
    for path in built_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        for tag in soup.find_all(["script", "link", "img", "iframe", "source"]):
            loads = tag.name != "link" or {"stylesheet", "icon", "preload", "manifest"} & set(
                tag.get("rel", [])
            )
            url = tag.get("src") or tag.get("href") if loads else None
            if url:
                own = url.startswith("https://territoires-industrie.example.org/")
                assert own or not re.match(r"^(https?:)?//", url), (path, url)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    for css in built_site.rglob("*.css"):
        assert "@import url(http" not in css.read_text(encoding="utf-8"), css


# `ti build` in a process of its own (English noise, broken content keeps the previous site):
# test_fixtures.py, test_ti_inprocess_says_what_the_ti_process_says.


@pytest.mark.lent
def test_check_command_reports_and_exits(project: Path) -> None:
    ok = ti_inprocess("check", cwd=project)
    assert ok.returncode == 0
    assert "Contenu valide : 2 territoires" in ok.stdout
    assert "avertissement" in ok.stderr
    (project / "territoires/grand-chatellerault/territoire.yml").write_text(
        "nom: [", encoding="utf-8"
    )
    bad = ti_inprocess("check", cwd=project)
    assert bad.returncode == 1
    assert bad.stderr.startswith("territoires/grand-chatellerault/territoire.yml:")
    assert "Traceback" not in bad.stderr


def test_committed_json_schemas_are_up_to_date(tmp_path: Path) -> None:
    import json

    from tisite.content.schema import json_schemas

    root = Path(__file__).resolve().parent.parent
    for name, data in json_schemas().items():
        committed = json.loads(
            (root / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
        )
        assert committed == data, f"schemas/{name}.schema.json is stale: run `ti schema`"


def test_check_reports_for_forges(project: Path, tmp_path: Path) -> None:
    import json

    (project / "territoires/grand-chatellerault/territoire.yml").write_text(
        "nom: X\nresume: Y\nepci:\n  - siren: 12\n", encoding="utf-8"
    )
    report = tmp_path / "gl-code-quality-report.json"
    result = ti_inprocess(
        "check", "--format", "github", "--rapport-gitlab", str(report), cwd=project
    )
    assert result.returncode == 1
    assert (
        "::error file=territoires/grand-chatellerault/territoire.yml,line=4,title=Erreur::"
        "champ « epci[1].siren » : un SIREN compte exactement 9 chiffres (reçu « 12 »)"
    ) in result.stdout
    issues = json.loads(report.read_text(encoding="utf-8"))
    assert issues[0]["location"] == {
        "path": "territoires/grand-chatellerault/territoire.yml",
        "lines": {"begin": 4},
    }
    assert issues[0]["severity"] == "major"


def test_every_stage_s_problems_reach_the_forges_reports(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The content's warnings (first stage) and the build's errors (second stage) are all in
    GitLab's report and GitHub's job summary: each stage used to write the report over the
    former, and GitHub shows ten annotations per step."""
    import json

    letter = project / "territoires/hainaut-douaisis-cambresis/lettres/15.md"
    letter.write_text(
        letter.read_text(encoding="utf-8") + "\n[Voir](../../nulle-part.md)\n", encoding="utf-8"
    )
    summary, report = tmp_path / "resume.md", tmp_path / "gl.json"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = ti_inprocess(
        "check", "--format", "github", "--rapport-gitlab", str(report), cwd=project
    )
    assert result.returncode == 1
    issues = json.loads(report.read_text(encoding="utf-8"))
    severities = {issue["severity"] for issue in issues}
    assert severities == {"major", "minor"}, issues  # the warnings of the content stage kept
    broken = [i for i in issues if "nulle-part" in i["description"]]
    assert broken and broken[0]["location"]["path"].endswith(letter.name)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("### Vérification du contenu : 1 erreur, ")
    assert all(issue["description"] in text for issue in issues)
    assert ",title=Avertissement::" in result.stdout  # a warning's annotation says so
    # the fingerprint ignores the line: the same problem two lines lower is the same issue
    letter.write_text("\n\n".join(letter.read_text(encoding="utf-8").split("\n", 1)), "utf-8")
    ti_inprocess("check", "--format", "github", "--rapport-gitlab", str(report), cwd=project)
    moved = json.loads(report.read_text(encoding="utf-8"))
    assert {i["fingerprint"] for i in moved} == {i["fingerprint"] for i in issues}
    assert {i["description"] for i in moved} != {i["description"] for i in issues}


def test_a_summary_quotes_content_as_text() -> None:
    from tisite.cli.commands import github_summary
    from tisite.content.errors import Problem

    hostile = "```\n<img src=x onerror=alert(1)> [lien](javascript:alert(1))"
    text = github_summary([Problem("a.md", 1, None, hostile, "avertissement")])
    fence = text.split("\n")[4]
    assert fence == "````text" and text.rstrip("\n").endswith("\n````")


def test_publication_workflows_validate_then_publish() -> None:
    from ruamel.yaml import YAML

    root = Path(__file__).resolve().parent.parent
    github = YAML(typ="safe").load((root / ".github/workflows/site.yml").read_text("utf-8"))
    steps = [s.get("run", "") for s in github["jobs"]["verifier"]["steps"]]
    assert 'make check CHECK_ARGS="--format github"' in steps and "make site" in steps
    assert "pull_request" in github["on"]
    assert github["jobs"]["publier"]["needs"] == "verifier"
    assert "pull_request" in github["jobs"]["publier"]["if"]
    gitlab = YAML(typ="safe").load((root / ".gitlab-ci.yml").read_text("utf-8"))
    assert gitlab["verifier"]["script"][1].startswith("make check")
    assert (
        gitlab["verifier"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    )
    assert gitlab["pages"]["needs"] == ["verifier"]
    assert gitlab["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


@pytest.mark.parametrize("protected", [True, False])
def test_a_report_keeps_content_on_its_line_in_a_ci_log(
    project: Path, monkeypatch: pytest.MonkeyPatch, protected: bool
) -> None:
    """A field name or a value quoted by a message may hold line breaks and terminal escapes:
    the report (read in a CI log, where a line « ::error … » is a workflow command) shows them
    as escapes, one problem per line. Control (``protected`` False): without the escaping, the
    content writes its own annotation line and colours the terminal."""
    from tisite.content import errors

    if not protected:
        monkeypatch.setattr(errors, "_visible", lambda text: text)
    fiche = project / "territoires/grand-chatellerault/actions/diagnostic-attractivite.md"
    text = fiche.read_text(encoding="utf-8")
    fiche.write_text(
        text.replace(
            "\n---\n",
            '\n"pirate\\n::error file=README.md,line=1::Annotation injectée": 1\n'
            '"cl\\e[41mROUGE\\e]0;TITRE\\a\\n::warning file=X::valeur": 2\n---\n',
            1,
        ),
        encoding="utf-8",
    )
    result = ti_inprocess("check", "--format", "github", cwd=project)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    injected = [
        line
        for line in out.splitlines()
        if line.startswith(("::error file=README", "::warning file=X"))
    ]
    assert (injected == [] and "\x1b" not in out and "\a" not in out) is protected, out
    if protected:
        assert "« pirate\\n::error file=README.md,line=1::Annotation injectée »" in out
        assert "« cl\\x1b[41mROUGE\\x1b]0;TITRE\\x07\\n::warning file=X::valeur »" in out


def test_a_front_matter_line_with_trailing_spaces_is_read_alike_by_check_and_build(
    project: Path,
) -> None:
    """« --- » followed by spaces closes a page's front matter for the check (and for MkDocs):
    the build reads it the same way, even with a « --- » rule further down the page (it failed
    on an internal error naming no file)."""
    page = project / "docs" / "programme.md"
    text = page.read_text(encoding="utf-8")
    end = text.index("\n---\n", 3)
    page.write_text(text[:end] + "\n---  \n" + text[end + 5 :] + "\n\n---\n\nFin.\n", "utf-8")
    for command in ("check", "build"):
        result = ti_inprocess(command, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
    built = (project / "site" / "programme" / "index.html").read_text(encoding="utf-8")
    assert "<title>Le programme Territoires d" in built and "title: Le programme" not in built


def test_a_renamed_territory_folder_is_said_once_with_its_fix(project: Path) -> None:
    """A territory's folder renamed: its 18 published addresses would all disappear; one
    message names the folder and the fix (« anciens_identifiants ») instead of 18. With the
    fix, the build passes and the old address leads to the new one. Control: a single page
    gone keeps its own message."""
    hdc = "hainaut-douaisis-cambresis"
    (project / "territoires" / hdc).rename(project / "territoires" / f"{hdc}-2")
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "urls-publiees.txt" in line]
    assert len(lines) == 1, lines
    assert f"adresses publiées sous /{hdc}/" in lines[0]
    assert f"« anciens_identifiants: [{hdc}] » au territoire.yml du nouveau dossier" in lines[0]
    identity = project / "territoires" / f"{hdc}-2" / "territoire.yml"
    text = identity.read_text("utf-8")
    identity.write_text(text.replace("\nepci:", f"\nanciens_identifiants: [{hdc}]\nepci:", 1))
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 0, result.stderr
    (project / "territoires" / f"{hdc}-2" / "actions" / "communication.md").unlink()
    result = ti_inprocess("check", cwd=project)
    assert f"l'adresse publiée /{hdc}/plan-action/communication/ disparaîtrait" in result.stderr


def test_the_workflows_keep_every_cache_a_build_writes(built_site: Path) -> None:
    """Each folder a build keeps in .cache/ (pages, their HTML, the search index, images…) is
    kept by both workflows from one run to the next (outside review: the HTML and search
    caches, named by the README, were not: every CI run made them again)."""
    from ruamel.yaml import YAML

    # not kept on purpose: the lock, work files, the record of the last build of a local site
    # folder (a CI run builds into a new one), and tools installed apart
    apart = {"verrou", "tmp", "constructions.json", "outils"}
    written = {p.name for p in (built_site.parent / ".cache").iterdir()} - apart
    assert {"pages", "html", "recherche", "images-partage"} <= written  # control: read
    github = YAML(typ="safe").load((ROOT / ".github/workflows/site.yml").read_text("utf-8"))
    step = next(s for s in github["jobs"]["verifier"]["steps"] if "cache" in s.get("uses", ""))
    kept_github = {p.removeprefix(".cache/") for p in step["with"]["path"].split()}
    gitlab = YAML(typ="safe").load((ROOT / ".gitlab-ci.yml").read_text("utf-8"))
    kept_gitlab = {p.removeprefix(".cache/") for p in gitlab["cache"]["paths"]}
    assert written - kept_github == set() and written - kept_gitlab == set()


def test_the_same_problem_twice_in_a_file_has_two_fingerprints(tmp_path: Path) -> None:
    """GitLab shows one issue per fingerprint: the same words on two lines of a file are two
    issues (their order tells them apart), each keeping its fingerprint when lines move."""
    import argparse
    import json

    from tisite.cli.commands import report_problems
    from tisite.content.errors import Problem

    report = tmp_path / "gl.json"

    def prints(*lines: int) -> list[str]:
        problems = [
            Problem("a.md", n, None, "texte d'exemple laissé", "avertissement") for n in lines
        ]
        report_problems(problems, argparse.Namespace(format=None, rapport_gitlab=str(report)))
        return [i["fingerprint"] for i in json.loads(report.read_text(encoding="utf-8"))]

    first = prints(12, 14)
    assert len(set(first)) == 2
    assert prints(13, 15) == first  # two lines added above: the same issues
