"""Boilerplate removal throughput: arclean's `clean` beside jusText and trafilatura on the same
pages, in the same run.

Both peers read HTML, so each page's lines are wrapped as paragraphs (`<p>`) of a minimal HTML
document, the way they would see a scraped page; jusText gets its Arabic stop-list.
Run: make bench (or pytest benches/test_clean.py --benchmark-only).
"""

from __future__ import annotations

import html

import pytest
from conftest import PAGES, corpus_mb, record, repeat_to

import arclean

GROUP = "clean (text pages)"


@pytest.fixture(scope="module")
def pages() -> list[str]:
    """About 2 MB of scraped pages (the peers are slow: a larger corpus only costs time)."""
    return repeat_to([p.read_text(encoding="utf-8") for p in PAGES], 2_000_000)


def as_html(page: str) -> str:
    paras = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in page.splitlines() if line.strip())
    return f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title></title></head><body>{paras}</body></html>'


def test_arclean_clean(benchmark, pages):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [c.clean(p) for p in pages], rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, "arclean (per page)", corpus_mb(pages))


def test_arclean_clean_batch(benchmark, pages):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: c.clean_batch(pages), rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, "arclean (batch, all cores)", corpus_mb(pages))


def test_justext(benchmark, pages):
    justext = pytest.importorskip("justext")
    stoplist = justext.get_stoplist("Arabic")
    docs = [as_html(p).encode("utf-8") for p in pages]

    def run():
        return [[q.text for q in justext.justext(d, stoplist) if not q.is_boilerplate] for d in docs]

    benchmark.group = GROUP
    benchmark.pedantic(run, rounds=1, iterations=1)
    record(benchmark, GROUP, "jusText", corpus_mb(pages))


def test_trafilatura(benchmark, pages):
    trafilatura = pytest.importorskip("trafilatura")
    docs = [as_html(p) for p in pages]
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [trafilatura.extract(d) for d in docs], rounds=1, iterations=1)
    record(benchmark, GROUP, "trafilatura", corpus_mb(pages))
