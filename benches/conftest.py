"""Corpora for the benchmarks, built deterministically, and a summary of MB/s and ratios."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT.parent / "shared" / "dev-set" / "pages").glob("*.txt")) or sorted(
    (ROOT / "samples").glob("*.txt")
)
#: real pages of many sites, when the labelled corpus is beside the project
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_TEXT = sorted((CORPUS / "text").glob("*.txt")) or PAGES
CORPUS_HTML = sorted((CORPUS / "html").glob("*.html"))

TARGET_BYTES = 10 * 1024 * 1024

#: group -> {name: MB/s}, filled by `record` and printed at the end of the run
RESULTS: dict[str, dict[str, float]] = defaultdict(dict)
#: lines for the summary that are not speeds (accuracy measured beside the speed)
NOTES: list[str] = []

_MARKS = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b"]


def _noisy(text: str, rng: random.Random) -> str:
    """The page with the noise real Arabic text carries: some diacritics, tatweel, Persian yeh
    and kaf, presentation-form ligatures, stretched letters and doubled spaces."""
    out = []
    for ch in text:
        r = rng.random()
        if ch == "ي" and r < 0.1:
            ch = "ی"
        elif ch == "ك" and r < 0.1:
            ch = "ک"
        out.append(ch)
        if "\u0621" <= ch <= "\u064a":
            if r < 0.06:
                out.append(rng.choice(_MARKS))
            elif r < 0.07:
                out.append("\u0640" * rng.randint(1, 4))
            elif r < 0.072:
                out.append(ch * 3)
        elif ch == " " and r < 0.03:
            out.append(" ")
    return "".join(out).replace("لا", "\ufefb", 1)


def repeat_to(texts: list[str], nbytes: int, transform=None) -> list[str]:
    """`texts` in turn (each through `transform` when given) until they hold `nbytes` of UTF-8."""
    assert texts, "no pages to build the corpus from"
    out, size = [], 0
    while size < nbytes:
        t = texts[len(out) % len(texts)]
        t = transform(t) if transform else t
        out.append(t)
        size += len(t.encode("utf-8"))
    return out


@pytest.fixture(scope="session")
def docs() -> list[str]:
    """At least 10 MB of Arabic pages, one string per page."""
    rng = random.Random(20241122)
    texts = [p.read_text(encoding="utf-8") for p in PAGES]
    return repeat_to(texts, TARGET_BYTES, lambda t: _noisy(t, rng))


def corpus_mb(docs: list[str]) -> float:
    return sum(len(d.encode("utf-8")) for d in docs) / 1e6


def record(benchmark, group: str, name: str, mb: float) -> None:
    """Stores MB/s (from the fastest round) in the benchmark's extra_info and the summary."""
    best = benchmark.stats.stats.min
    rate = mb / best if best > 0 else float("inf")
    benchmark.extra_info["MB/s"] = round(rate, 1)
    benchmark.extra_info["MB"] = round(mb, 2)
    RESULTS[group][name] = rate


_NOTED: set[tuple[str, str, str]] = set()


def ratio_note(group: str, num: str, den: str, aim: str = "") -> None:
    """Once both speeds of `group` are recorded: a summary line with `num` / `den` (a same-run
    ratio, the only kind of figure a shared machine gives reliably) and the aim it is held to."""
    rates = RESULTS.get(group, {})
    if num in rates and den in rates and (group, num, den) not in _NOTED:
        _NOTED.add((group, num, den))
        aim = f" (aim {aim})" if aim else ""
        NOTES.append(f"{group}: {num} / {den} = x{rates[num] / rates[den]:.2f}{aim}")


def pytest_terminal_summary(terminalreporter):
    tr = terminalreporter
    if NOTES:
        tr.section("accuracy measured in the same run")
        for line in NOTES:
            tr.write_line(line)
    if not RESULTS:
        return
    tr.section("throughput (MB/s of UTF-8 input) and arclean's ratio (one core) to each")
    for group, rates in sorted(RESULTS.items()):
        # peers run on one core: they are compared with arclean on one core
        ours = {k: v for k, v in rates.items() if k.startswith("arclean") and "all cores" not in k}
        base = max(ours.values()) if ours else None
        for name, rate in sorted(rates.items(), key=lambda kv: -kv[1]):
            peer = not name.startswith("arclean") and "floor" not in name
            ratio = f"  arclean x{base / rate:.1f}" if base and peer else ""
            tr.write_line(f"{group:28s} {name:34s} {rate:9.1f} MB/s{ratio}")
