"""Free memory given back to the system while the engine renders pages (tisite.adapters.memory):
the peak of a national build's process is in ``make bench``; here, the mechanism."""

from __future__ import annotations

import os

import pytest

from tisite.adapters import memory

glibc = pytest.mark.skipif(
    memory._malloc_trim() is None, reason="malloc_trim : seulement avec la glibc de Linux"
)


def _resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _holes() -> list[str]:
    """What rendering pages leaves: 60 MB of page-sized strings made then dropped, between
    small strings still alive, so that the allocator keeps the free space to itself."""
    pages, kept = [], []
    for number in range(3000):
        pages.append("x" * 20_000 + str(number))
        kept.append("y" * 600 + str(number))
    del pages
    return kept


@glibc
def test_the_memory_of_dropped_pages_goes_back_to_the_system() -> None:
    counter = memory.PageCounter(every=5)
    kept = _holes()
    before = _resident_mb()
    for _ in range(4):
        counter.page_written()
    # Control: before the fifth page, nothing is given back.
    assert counter.trims == 0 and _resident_mb() > before - 5
    counter.page_written()
    assert counter.trims == 1
    assert _resident_mb() < before - 30, (before, _resident_mb())
    assert len(kept) == 3000


def test_trimmed_every_few_hundred_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(memory, "_malloc_trim", lambda: calls.append)
    counter = memory.PageCounter()
    for _ in range(memory.EVERY * 3 + 1):
        counter.page_written()
    assert calls == [0, 0, 0] and counter.pages == memory.EVERY * 3 + 1
    # Where there is no malloc_trim (macOS, musl), pages are only counted.
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    quiet = memory.PageCounter()
    for _ in range(memory.EVERY):
        quiet.page_written()
    assert quiet.trims == 0
