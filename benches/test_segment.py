"""Sentence splitting: arclean beside pysbd (language "ar") and a naive split on every stop,
on the same text in the same run, one core. Also reports each splitter's sentence-boundary F1
on the treebank sentences beside the project and on the project's hard-case table.

Boundary F1: the end offset of every sentence (the last one included) is a boundary; a
predicted boundary counts when a gold sentence ends at the same offset.
Run: make bench (or pytest benches/test_segment.py --benchmark-only).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import pytest
from conftest import NOTES, PAGES, ROOT, corpus_mb, record, repeat_to

import arclean

GROUP = "sentences (one core)"
TREEBANK = ROOT.parent / "shared" / "dev-set" / "sentences-dev.jsonl"
CASES = tomllib.loads((ROOT / "tests" / "data" / "sentences.toml").read_text(encoding="utf-8"))["case"]
NAIVE = re.compile(r"[^.!?؟]*[.!?؟]+|[^.!?؟]+$")


def naive(text: str) -> list[str]:
    return [s.strip() for s in NAIVE.findall(text) if s.strip()]


def ours(text: str) -> list[str]:
    return [s.text for s in arclean.sentences(text)]


def _pysbd():
    pysbd = pytest.importorskip("pysbd")
    seg = pysbd.Segmenter(language="ar", clean=False)
    return seg.segment


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """About 1 MB of paragraphs: the treebank documents and the article bodies of the pages
    (pysbd runs below 1 MB/s: a larger corpus only costs time)."""
    base = []
    if TREEBANK.exists():
        base += [json.loads(line)["text"] for line in TREEBANK.read_text(encoding="utf-8").splitlines() if line]
    for p in PAGES:
        base += [q.text for q in arclean.clean(p.read_text(encoding="utf-8")).paragraphs]
    return repeat_to(base, 1_000_000)


def _ends(text: str, sentences: list[str]) -> set[int]:
    out, pos = set(), 0
    for s in sentences:
        s = s.strip()
        if s:
            i = text.find(s, pos)
            if i < 0:  # a splitter that changed the text: no boundary to compare
                continue
            pos = i + len(s)
            out.add(pos)
    return out


def f1(pairs, split) -> float:
    tp = fp = fn = 0
    for text, gold in pairs:
        g, p = _ends(text, gold), _ends(text, split(text))
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def test_accuracy(benchmark):
    """Not a speed: the boundary F1 of the three splitters, printed in the summary (timed once
    so that it runs with --benchmark-only)."""
    benchmark.group = "sentences (accuracy run)"
    tables = {"hard cases (tests/data/sentences.toml)": [(c["text"], c["sentences"]) for c in CASES if not c.get("semicolon")]}
    if TREEBANK.exists():
        docs = [json.loads(line) for line in TREEBANK.read_text(encoding="utf-8").splitlines() if line]
        tables["treebank (dev half)"] = [(d["text"], d["sentences"]) for d in docs]
    splitters = {"arclean": ours, "naive split": naive}
    try:
        splitters["pysbd"] = _pysbd()
    except pytest.skip.Exception:
        pass
    def run():
        return {t: {n: f1(pairs, fn) for n, fn in splitters.items()} for t, pairs in tables.items()}

    for table, scores in benchmark.pedantic(run, rounds=1, iterations=1).items():
        line = ", ".join(f"{name} {v:.3f}" for name, v in scores.items())
        NOTES.append(f"sentence boundary F1, {table:40s} {line}")


def test_arclean_sentences(benchmark, texts):
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [arclean.sentences(t) for t in texts], rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, "arclean.sentences", corpus_mb(texts))


def test_naive_split(benchmark, texts):
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [naive(t) for t in texts], rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, "naive regex split", corpus_mb(texts))


def test_pysbd(benchmark, texts):
    segment = _pysbd()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [segment(t) for t in texts], rounds=1, iterations=1)
    record(benchmark, GROUP, "pysbd (ar)", corpus_mb(texts))
