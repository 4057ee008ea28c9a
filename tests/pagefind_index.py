"""Read the search index Pagefind wrote (tests only): one record per indexed page."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def indexed_pages(site: Path) -> dict[str, dict[str, Any]]:
    """URL → what the index holds of the page (content, filters, meta), from its fragments."""
    pages: dict[str, dict[str, Any]] = {}
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), path
        record = json.loads(data[len(SIGNATURE) :])
        pages[record["url"]] = record
    return pages
