"""`make bench` keeps working: a tiny run prints the table, the ratios and the letter comparison.

The figures themselves are not asserted (speed targets live in the benchmark, not in tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.bench  # left out of `make test-rapide`


def _bench(tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "scripts/bench.py",
            "--tailles",
            "2,3",
            "--lettres",
            "4",
            "--federation",
            "3",
            "--repetitions",
            "1",
        ],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.processus
def test_bench_prints_every_figure() -> None:
    # A short temporary folder of its own: Chromium's socket path (under TMPDIR) must stay under
    # the 107 bytes of a Unix socket address, which pytest's own temporary folders can exceed
    # when the suite runs in several workers (…/popen-gw0/test_bench_prints_every_figure0/…).
    with tempfile.TemporaryDirectory(prefix="tib") as short:
        result = _bench(Path(short))
        left = list(Path(short).glob("ti-bench-*"))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for expected in (
        "Machine : ",
        "ti build à froid (rien en cache)",
        "ti build, images en cache",
        "images en cache, 0 dessinée)",
        "MkDocs + Material seul",
        "aperçu d'un territoire",
        "le même dans ti serve : une lettre enregistrée, la page rechargée",
        "ti serve du site entier : une lettre enregistrée, la page rechargée",
        "ti serve, une lettre enregistrée, la page rechargée : un territoire ",
        "notre Markdown : ",
        "MkDocs + Material seul, notre Markdown généré, recherche Material",
        "les mêmes, plugins: [] puis Pagefind",
        "le même, plugins: [] puis Pagefind",
        "Médiane [min–max] de 1 exécution(s) alternées par ligne",
        "ours/plain = temps | CPU",
        "coût par page N=3 / N=2",
        "4 lettres d'un territoire",
        "Material, plugin blog",
        "plugin blog / ti build (temps | CPU ; recherche Material) : ",
        "plugin blog / ti build (temps | CPU ; Pagefind) : ",
        "le même, sans le plugin de recherche, puis Pagefind",
        "(nouvelle lettre) — objectif ≥ 3",
        "recherche N=3 : index ",
        "cartes/s",
        "rapport maintenant / avant : ",
        "octet sur une page vue (0)",
        "mémoire : notre processus ",
        "à froid          pages ordinaires : ",
        "plugin de recherche de Material +",
    ):
        assert expected in out, out
    # the preview, ti serve and the search are measured at the largest N only (N=3)
    previews = [line for line in out.splitlines() if line.startswith("aperçu d'un territoire")]
    assert len(previews) == 1 and re.match(r"aperçu d'un territoire \(\d+ pages\) +3 ", previews[0])
    assert "recherche N=2" not in out
    # one letter more: its page is rendered and its image drawn, and the letters page's
    # (it counts the letters); the 12 actions and the older letters but the previous one
    # (its « next » link changes) come from the cache
    added = next(line for line in out.splitlines() if "après une nouvelle lettre" in line)
    found = re.search(r"\((\d+) pages et \d+ images en cache, (\d+) dessinée", added)
    assert found, added
    assert int(found[1]) >= 12 + 4 - 1 and found[2] == "2", added
    # the federation row: 3 sources served on loopback, harvested cold, then all answers 304
    assert "récolte 3 sources servies par un serveur local" in out
    assert "(6 reçus, 0 en 304, 0 en échec)" in out  # cold: each source's list and bundle
    assert "(0 reçus, 6 en 304, 0 en échec)" in out  # again: nothing sent
    assert "ti build du portail (récolte 304 comprise)" in out
    assert "récolte 304 / construction du portail : " in out
    assert not left, "le dossier de travail temporaire est supprimé"
