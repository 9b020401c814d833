"""Boilerplate removal throughput: arclean's `clean` beside jusText and trafilatura on the same
pages, in the same run; and arclean against its own limits: per-page calls against one batch
call on one core (what crossing into Python costs), the batch on all cores against one core,
and cleaning against the core's `search` normalization of the same pages (one pass over the
text, the floor any cleaning sits above).

The pages are the labelled corpus's text scrapes (many sites) when it is beside the project,
else the dev set's. Both peers read HTML, so each page's lines are wrapped as paragraphs (`<p>`)
of a minimal HTML document, the way they would see a scraped page; jusText gets its Arabic
stop-list.
Run: make bench (or pytest benches/test_clean.py --benchmark-only).
"""

from __future__ import annotations

import html

import pytest
from conftest import CORPUS_TEXT, corpus_mb, ratio_note, record, repeat_to

import arclean

GROUP = "clean (text pages)"
PER_PAGE = "arclean (per page)"
ONE_CORE = "arclean (batch, one core)"
ALL_CORES = "arclean (batch, all cores)"
LIMIT = "normalize search, same pages (the floor)"


@pytest.fixture(scope="module")
def pages() -> list[str]:
    """About 4 MB of scraped pages (the peers are slow: a larger corpus only costs time)."""
    return repeat_to([p.read_text(encoding="utf-8") for p in CORPUS_TEXT], 4_000_000)


def as_html(page: str) -> str:
    paras = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in page.splitlines() if line.strip())
    return f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title></title></head><body>{paras}</body></html>'


def _notes() -> None:
    ratio_note(GROUP, PER_PAGE, ONE_CORE, "≥ 0.9: the Python API within a tenth of the core")
    ratio_note(GROUP, ALL_CORES, ONE_CORE, "≥ 1.85 on two cores")
    ratio_note(GROUP, PER_PAGE, LIMIT, "≥ 0.5")


def test_normalize_search_floor(benchmark, pages):
    n = arclean.Normalizer("search")
    benchmark.group = GROUP
    benchmark.pedantic(lambda: n.normalize_batch(pages, parallel=False), rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, LIMIT, corpus_mb(pages))
    _notes()


def test_arclean_clean(benchmark, pages):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [c.clean(p) for p in pages], rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, PER_PAGE, corpus_mb(pages))
    _notes()


def test_arclean_clean_batch_one_core(benchmark, pages):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: c.clean_batch(pages, parallel=False), rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, ONE_CORE, corpus_mb(pages))
    _notes()


def test_arclean_clean_batch(benchmark, pages):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: c.clean_batch(pages), rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, ALL_CORES, corpus_mb(pages))
    _notes()


def test_justext(benchmark, pages):
    justext = pytest.importorskip("justext")
    stoplist = justext.get_stoplist("Arabic")
    docs = [as_html(p).encode("utf-8") for p in pages[: len(pages) // 4]]

    def run():
        return [[q.text for q in justext.justext(d, stoplist) if not q.is_boilerplate] for d in docs]

    benchmark.group = GROUP
    benchmark.pedantic(run, rounds=1, iterations=1)
    record(benchmark, GROUP, "jusText", corpus_mb(pages[: len(pages) // 4]))


def test_trafilatura(benchmark, pages):
    trafilatura = pytest.importorskip("trafilatura")
    docs = [as_html(p) for p in pages[: len(pages) // 4]]
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [trafilatura.extract(d) for d in docs], rounds=1, iterations=1)
    record(benchmark, GROUP, "trafilatura", corpus_mb(pages[: len(pages) // 4]))
