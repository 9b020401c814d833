"""HTML extraction: arclean beside trafilatura and resiliparse on the same pages, same run, one
page at a time on one core (and arclean's batch on one and on all cores), and beside the floor
of any extraction: selectolax (lexbor) parsing each page and taking its text, scripts and
styles dropped. Also prints each tool's keep/drop snippet F1 on the project's HTML pages
(tests/data/html).

The speed pages are the labelled corpus's real HTML pages (many sites) when it is beside the
project, else the project's own test pages, repeated to about 8 MB; the snippet F1 is a check on
the project's own pages, not a benchmark of unseen sites.
Run: make bench (or pytest benches/test_html.py --benchmark-only).
"""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS_HTML, NOTES, ROOT, corpus_mb, ratio_note, record, repeat_to

import arclean

GROUP = "html (one page at a time)"
PER_PAGE = "arclean (per page)"
ONE_CORE = "arclean (batch, one core)"
ALL_CORES = "arclean (batch, all cores)"
FLOOR = "selectolax parse + text (the floor)"
HTML = sorted((ROOT / "tests" / "data" / "html").glob("*.html"))


def _decoded() -> list[tuple[str, dict]]:
    out = []
    for p in HTML:
        text, _, _ = arclean._core.decode_html(p.read_bytes())
        out.append((text, json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))))
    return out


@pytest.fixture(scope="module")
def pages() -> list[str]:
    if CORPUS_HTML:
        texts = [arclean._core.decode_html(p.read_bytes())[0] for p in CORPUS_HTML]
    else:
        texts = [t for t, _ in _decoded()]
    return repeat_to(texts, 8_000_000)


def _notes() -> None:
    ratio_note(GROUP, PER_PAGE, FLOOR, "≥ 0.9")
    ratio_note(GROUP, PER_PAGE, "resiliparse", "≥ 2")
    ratio_note(GROUP, ALL_CORES, ONE_CORE, "≥ 1.85 on two cores")


def _trafilatura():
    t = pytest.importorskip("trafilatura")
    return lambda html: t.extract(html) or ""


def _resiliparse():
    pytest.importorskip("resiliparse")
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return lambda html: extract_plain_text(HTMLTree.parse(html), main_content=True)


def snippet_f1(extract) -> float:
    def key(s: str) -> str:
        return arclean.normalize(s, preset="search")

    tp = fp = fn = 0
    for html, gold in _decoded():
        body = key(extract(html))
        hits = sum(key(k) in body for k in gold["keep"])
        tp, fn = tp + hits, fn + len(gold["keep"]) - hits
        fp += sum(key(d) in body for d in gold["drop"])
    return 2 * tp / (2 * tp + fp + fn)


def test_accuracy(benchmark):
    """Not a speed: the snippet F1 of each tool, printed in the summary (timed once so that it
    runs with --benchmark-only)."""
    benchmark.group = "html (accuracy run)"
    tools = {"arclean": lambda h: arclean.clean(h, format="html").text}
    for name, make in (("trafilatura", _trafilatura), ("resiliparse", _resiliparse)):
        try:
            tools[name] = make()
        except pytest.skip.Exception:
            pass
    scores = benchmark.pedantic(lambda: {n: snippet_f1(f) for n, f in tools.items()}, rounds=1, iterations=1)
    NOTES.append("html keep/drop snippet F1 (tests/data/html): " + ", ".join(f"{n} {v:.3f}" for n, v in scores.items()))


def test_selectolax_floor(benchmark, pages):
    lexbor = pytest.importorskip("selectolax.lexbor")

    def text(page: str) -> str:
        tree = lexbor.LexborHTMLParser(page)
        tree.strip_tags(["script", "style", "noscript", "template"])
        root = tree.body or tree.root
        return root.text(separator="\n") if root is not None else ""

    benchmark.group = GROUP
    benchmark.pedantic(lambda: [text(p) for p in pages], rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, FLOOR, corpus_mb(pages))
    _notes()


def test_arclean(benchmark, pages):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [c.clean(p, "html") for p in pages], rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, PER_PAGE, corpus_mb(pages))
    _notes()


def test_arclean_batch_one_core(benchmark, pages):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: c.clean_batch(pages, "html", parallel=False), rounds=5, iterations=1,
                       warmup_rounds=1)
    record(benchmark, GROUP, ONE_CORE, corpus_mb(pages))
    _notes()


def test_arclean_batch(benchmark, pages):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: c.clean_batch(pages, "html"), rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, ALL_CORES, corpus_mb(pages))
    _notes()


def test_resiliparse(benchmark, pages):
    extract = _resiliparse()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [extract(p) for p in pages], rounds=3, iterations=1)
    record(benchmark, GROUP, "resiliparse", corpus_mb(pages))
    _notes()


def test_trafilatura(benchmark, pages):
    extract = _trafilatura()
    benchmark.group = GROUP
    part = pages[: len(pages) // 4]  # the peer is slow: its MB/s is measured on a part
    benchmark.pedantic(lambda: [extract(p) for p in part], rounds=1, iterations=1)
    record(benchmark, GROUP, "trafilatura", corpus_mb(part))
