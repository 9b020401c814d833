"""Normalization throughput: arclean's `search` preset beside what a user would otherwise run.

- pyarabic's chain: strip_tashkeel, strip_tatweel, normalize_ligature, normalize_hamza (covers
  part of the folds);
- CAMeL Tools' normalizers: normalize_unicode, dediac_ar, alef / alef maksura / teh marbuta;
- a careful pure-Python implementation of the same folds as `search` with str.translate and re.

One call per document, and arclean's batch call (one core, then every core).
Run: make bench (or pytest benches --benchmark-only).
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import corpus_mb, ratio_note, record

import arclean

GROUP_DOC = "normalize search, per doc"
GROUP_BATCH = "normalize search, batch"


def _translate_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for c in list(range(0x0610, 0x061B)) + list(range(0x064B, 0x0660)) + [0x0670] + list(range(0x06D6, 0x06DD)) \
            + list(range(0x06DF, 0x06E5)) + [0x06E7, 0x06E8] + list(range(0x06EA, 0x06EE)):
        table[c] = None
    for c in "\u200b\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u00ad\u200c\u200d":
        table[ord(c)] = None
    for c in "أإآٱٲٳ":
        table[ord(c)] = "ا"
    table.update({ord("ى"): "ي", ord("ة"): "ه", ord("ی"): "ي", ord("ک"): "ك", ord("ڪ"): "ك"})
    for c in "ۀہۂھە":
        table[ord(c)] = "ه"
    table[ord("ۃ")] = "ه"
    for i in range(10):
        table[0x0660 + i] = str(i)
        table[0x06F0 + i] = str(i)
    for c in "\u00a0\u2009\u3000\u202f\u000b\u000c\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u200a\u205f\u1680":
        table[ord(c)] = " "
    return table


_TABLE = _translate_table()
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
_WORD = "\u0620-\u063f\u0641-\u065f\u0670-\u06d3\u06d5\ufb50-\ufdff\ufe70-\ufefc"
_TATWEEL = re.compile(f"(?<=[{_WORD}])\u0640+(?=[{_WORD}])")
_STRETCHED = re.compile(r"([\u0620-\u063f\u0641-\u064a\u0671-\u06d3])\1{2,}")
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\u0085]")
_SPACES = re.compile(r"[ \t]+")
_EDGES = re.compile(r"^ | $", re.M)


def python_search(text: str) -> str:
    """The `search` folds in pure Python: str.translate and re."""
    text = _TATWEEL.sub("", text)  # tatweel inside words only; a dash of tatweels stays
    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = text.translate(_TABLE)
    text = _STRETCHED.sub(r"\1", text)
    text = _NEWLINES.sub("\n", text)
    text = _SPACES.sub(" ", text)
    return _EDGES.sub("", text)


def test_python_baseline_matches_arclean(docs):
    n = arclean.Normalizer("search")
    for d in docs[:10]:
        assert python_search(d) == n.normalize(d)


def _run_per_doc(benchmark, name, fn, docs, rounds=3):
    benchmark.group = GROUP_DOC
    benchmark.pedantic(lambda: [fn(d) for d in docs], rounds=rounds, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP_DOC, name, corpus_mb(docs))


def test_arclean_per_doc(benchmark, docs):
    n = arclean.Normalizer("search")
    _run_per_doc(benchmark, "arclean", n.normalize, docs, rounds=5)


def test_python_translate_re_per_doc(benchmark, docs):
    _run_per_doc(benchmark, "str.translate + re", python_search, docs)


def test_pyarabic_chain_per_doc(benchmark, docs):
    araby = pytest.importorskip("pyarabic.araby")

    def chain(t):
        t = araby.strip_tashkeel(t)
        t = araby.strip_tatweel(t)
        t = araby.normalize_ligature(t)
        return araby.normalize_hamza(t, method="tasheel")

    _run_per_doc(benchmark, "pyarabic chain", chain, docs)


def test_camel_tools_per_doc(benchmark, docs):
    norm = pytest.importorskip("camel_tools.utils.normalize")
    dediac = pytest.importorskip("camel_tools.utils.dediac")

    def chain(t):
        t = norm.normalize_unicode(t)
        t = dediac.dediac_ar(t)
        t = norm.normalize_alef_ar(t)
        t = norm.normalize_alef_maksura_ar(t)
        return norm.normalize_teh_marbuta_ar(t)

    _run_per_doc(benchmark, "camel-tools", chain, docs, rounds=2)


def test_arclean_batch_one_core(benchmark, docs):
    n = arclean.Normalizer("search")
    benchmark.group = GROUP_BATCH
    benchmark.pedantic(lambda fresh: n.normalize_batch(fresh, parallel=False), setup=lambda: ((_fresh(docs),), {}),
                       rounds=5, warmup_rounds=1)
    record(benchmark, GROUP_BATCH, "arclean (1 core)", corpus_mb(docs))
    ratio_note(GROUP_BATCH, "arclean (all cores)", "arclean (1 core)", "≥ 1.85 on two cores")


def test_arclean_batch_all_cores(benchmark, docs):
    n = arclean.Normalizer("search")
    benchmark.group = GROUP_BATCH
    benchmark.pedantic(lambda fresh: n.normalize_batch(fresh), setup=lambda: ((_fresh(docs),), {}),
                       rounds=5, warmup_rounds=1)
    record(benchmark, GROUP_BATCH, "arclean (all cores)", corpus_mb(docs))
    ratio_note(GROUP_BATCH, "arclean (all cores)", "arclean (1 core)", "≥ 1.85 on two cores")


def test_python_translate_re_batch(benchmark, docs):
    benchmark.group = GROUP_BATCH
    benchmark.pedantic(lambda: [python_search(d) for d in docs], rounds=3, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP_BATCH, "str.translate + re", corpus_mb(docs))


GROUP_BOUNDARY = "normalize safe, the Python boundary"


def _fresh(docs):
    """New str objects each round: no UTF-8 form cached from an earlier call."""
    return [d.encode("utf-8").decode("utf-8") for d in docs]


def _boundary(benchmark, name: str, fn, texts) -> None:
    """`fn` over fresh copies of `texts` each round, in the boundary group."""
    benchmark.group = GROUP_BOUNDARY
    benchmark.pedantic(lambda fresh: [fn(d) for d in fresh], setup=lambda: ((_fresh(texts),), {}),
                       rounds=5, warmup_rounds=1)
    record(benchmark, GROUP_BOUNDARY, name, corpus_mb(texts))


def test_encode_decode_round_trip(benchmark, docs):
    """The floor for any str -> str call through UTF-8: one encode and one decode per page."""
    _boundary(benchmark, "encode + decode round trip", lambda d: d.encode("utf-8").decode("utf-8"), docs)


def test_arclean_safe_per_doc(benchmark, docs):
    _boundary(benchmark, "arclean safe, str", arclean.Normalizer("safe").normalize, docs)
    ratio_note(GROUP_BOUNDARY, "arclean safe, str", "encode + decode round trip", "≥ 0.8")


def _short_lines(docs) -> list[str]:
    return [ln for d in docs[:100] for ln in d.split("\n") if ln.strip()]


def test_module_function_short_lines(benchmark, docs):
    """`arclean.normalize(line)` against the same call on a reused `Normalizer`: what a module
    function's options cost per call."""
    _boundary(benchmark, "arclean.normalize, short lines", arclean.normalize, _short_lines(docs))
    ratio_note(GROUP_BOUNDARY, "arclean.normalize, short lines", "arclean Normalizer, short lines", "≥ 0.95")


def test_reused_normalizer_short_lines(benchmark, docs):
    _boundary(benchmark, "arclean Normalizer, short lines", arclean.Normalizer("safe").normalize, _short_lines(docs))
    ratio_note(GROUP_BOUNDARY, "arclean.normalize, short lines", "arclean Normalizer, short lines", "≥ 0.95")


def test_arclean_safe_unchanged_per_line(benchmark, docs):
    """Lines already in `safe` form: the same object comes back, no output string is built."""
    n = arclean.Normalizer("safe")
    lines = [ln for d in docs[:200] for ln in n.normalize(d).split("\n") if ln]
    _boundary(benchmark, "arclean safe, unchanged lines", n.normalize, lines)


def test_arclean_safe_bytes(benchmark, docs):
    n = arclean.Normalizer("safe")
    data = [d.encode("utf-8") for d in docs]
    benchmark.group = GROUP_BOUNDARY
    benchmark.pedantic(lambda: [n.normalize(d) for d in data], rounds=5, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP_BOUNDARY, "arclean safe, bytes", corpus_mb(docs))
