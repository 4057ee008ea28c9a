"""Benchmark of the share cards (a row of ``make bench``): cards drawn per second, now and with
the drawing of an earlier commit (``--avant``), on the same cards, interleaved.

The cards are those of a synthetic project (its every page: territory sections, fiches actions,
letters, national pages), drawn one after the other in this process (what a worker of
tisite.publish.social.CardPainter does), PNG included, timed in processor time of this process. Each
repetition draws them all with the former code, then with the current code; the median and the
range [min–max] are printed, never the best. The former code is read from git (``git show
<commit>:hooks/tisite/social.py``); without git or that commit (a copy without history), only
the current figure is printed.

    python scripts/bench_cartes.py [--territoires 10] [--repetitions 3] [--avant COMMIT]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from synthetic import ROOT, write_project

sys.path.insert(0, str(ROOT / "hooks"))
# The last commit that drew a card in RGB and quantised it onto a palette, its text measured
# whole at every step (before the cards were drawn straight in palette indices).
BEFORE = "15bf7cd"


def cards_of(project: Path) -> list[Any]:
    """The card of every generated page of ``project``."""
    from tisite.content.loader import load_site
    from tisite.generate.render import Renderer

    renderer = Renderer(load_site(project))
    return [page.card for page in renderer.pages() if page.card is not None]


def former(commit: str) -> ModuleType | None:
    """tisite.publish.social as it was at ``commit`` (None: no git, or no such commit)."""
    try:
        code = subprocess.run(
            ["git", "show", f"{commit}:hooks/tisite/social.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp(prefix="ti-cartes-")) / "social_avant.py"
    path.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("tisite.publish._social_avant", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # its one relative import (.diskcache) is now tisite.publish.diskcache (stage packages)
    module.__package__ = "tisite.publish"
    sys.modules[spec.name] = module  # (dataclasses look their module up there)
    spec.loader.exec_module(module)
    return module


def rate(draw: Callable[[Any], bytes], cards: list[Any], kind: type) -> float:
    """Cards per second of processor time (this process's: the machine may be shared),
    drawing each card of ``cards`` (rebuilt as ``kind``) once."""
    own = [kind(**vars(card)) for card in cards]
    start = time.process_time()
    for card in own:
        draw(card)
    return len(own) / (time.process_time() - start)


def shown(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} [{min(values):.0f}–{max(values):.0f}]"


def bench(territories: int, repetitions: int, commit: str, work: Path) -> list[str]:
    """The report's lines: cards per second after (and before), and their ratio."""
    from tisite.publish import social

    cards = cards_of(write_project(work / "cartes", territories, actions=12, letters=6))
    before = former(commit)
    after_rates: list[float] = []
    before_rates: list[float] = []
    for _ in range(repetitions):
        if before is not None:
            before_rates.append(rate(before.draw_card, cards, before.Card))
        after_rates.append(rate(social.draw_card, cards, social.Card))
    lines = [
        f"Images de partage : {len(cards)} cartes ({territories} territoires), "
        f"{repetitions} passages alternés, médiane [min–max]",
        f"  maintenant : {shown(after_rates)} cartes/s "
        f"({1000 / statistics.median(after_rates):.1f} ms par carte)",
    ]
    if before is not None:
        ratio = statistics.median(after_rates) / statistics.median(before_rates)
        lines += [
            f"  avant ({commit}, RGB puis quantification) : {shown(before_rates)} cartes/s "
            f"({1000 / statistics.median(before_rates):.1f} ms par carte)",
            f"  rapport maintenant / avant : {ratio:.2f} (objectif ≥ 2)".replace(".", ","),
        ]
    else:
        lines.append(f"  avant : commit {commit} introuvable (pas d'historique git)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territoires", type=int, default=10)
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("--avant", default=BEFORE, help="commit de la méthode précédente")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ti-bench-cartes-") as work:
        print("\n".join(bench(args.territoires, args.repetitions, args.avant, Path(work))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
