"""The whole `arclean clean` command on a folder of 20,000 pages, with --jobs 1 and 2: discovery,
reading, decoding, cleaning and writing a mirrored tree; beside a loop a user would write
around trafilatura (read, extract, write) on part of the same tree.

The tree and the outputs live in memory (/dev/shm) when the machine has it: a shared virtual
disk makes file creation cost anything from 0.1 to 1 ms, which would measure the disk, not the
command. Each round writes a fresh output folder; the old ones are removed after the timing.

Run: pytest benches/test_cli.py --benchmark-only
"""

from __future__ import annotations

import html
import itertools
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from conftest import NOTES, PAGES, RESULTS, _noisy, record

from arclean.cli import main

GROUP = "command (folder of pages)"
N_PAGES = 20_000
HTML_PAGES = sorted((Path(__file__).resolve().parent.parent / "tests" / "data" / "html").glob("*.html"))


@pytest.fixture(scope="module")
def scratch():
    shm = Path("/dev/shm")
    base = Path(tempfile.mkdtemp(prefix="arclean-bench-", dir=shm if shm.is_dir() else None))
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def tree(scratch) -> tuple[Path, float]:
    """20,000 pages in 100 folders: noisy text pages, and one in ten an HTML page."""
    rng = random.Random(20261123)
    root = scratch / "in"
    texts = [p.read_text(encoding="utf-8") for p in PAGES]
    pages = [p.read_bytes() for p in HTML_PAGES]
    size = 0
    for k in range(N_PAGES):
        d = root / f"site-{k % 100:03d}"
        d.mkdir(parents=True, exist_ok=True)
        if k % 10 == 9 and pages:
            data, name = pages[k % len(pages)], f"{k:06d}.html"
        else:
            data, name = _noisy(texts[k % len(texts)], rng).encode("utf-8"), f"{k:06d}.txt"
        (d / name).write_bytes(data)
        size += len(data)
    return root, size / 1e6


ROUND = itertools.count()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_arclean_command(benchmark, tree, scratch, jobs):
    root, mb = tree
    outs = []

    def run():
        out = scratch / f"out-{next(ROUND)}"
        outs.append(out)
        assert main(["clean", str(root), "-o", str(out), "--jobs", jobs, "-q"]) == 0

    benchmark.group = GROUP
    benchmark.pedantic(run, rounds=5, iterations=1, warmup_rounds=1)
    for out in outs:
        shutil.rmtree(out)
    record(benchmark, GROUP, f"arclean clean --jobs {jobs}", mb)
    rates = RESULTS[GROUP]
    one, two = rates.get("arclean clean --jobs 1"), rates.get("arclean clean --jobs 2")
    if one and two:
        NOTES.append(f"{GROUP}: {N_PAGES} pages, {mb:.0f} MB; --jobs 2 / --jobs 1 = x{two / one:.2f}")


CPU_PER_MB: dict[str, float] = {}


@pytest.mark.parametrize("shape", ["folder", "jsonl"])
def test_cpu_per_mb_folder_and_jsonl(benchmark, tree, scratch, shape):
    """The same pages as a folder tree and as one JSONL file, on one thread: the CPU seconds per
    MB each costs (file operations on one side, JSON on the other)."""
    root, mb = tree
    if shape == "jsonl":
        src = scratch / "pages.jsonl"
        if not src.exists():
            with src.open("w", encoding="utf-8") as f:
                for p in sorted(root.rglob("*.*")):
                    f.write(json.dumps({"id": str(p.relative_to(root)), "text": p.read_text(encoding="utf-8")},
                                       ensure_ascii=False) + "\n")
    else:
        src = root
    cpu: list[float] = []
    outs = []

    def run():
        out = scratch / f"cpu-{next(ROUND)}"
        outs.append(out)
        t = time.process_time()
        assert main(["clean", str(src), "-o", str(out), "--jobs", "1", "-q"]) == 0
        cpu.append(time.process_time() - t)

    benchmark.group = "command CPU (one thread)"
    benchmark.pedantic(run, rounds=3, iterations=1)
    for out in outs:
        shutil.rmtree(out, ignore_errors=True)
    CPU_PER_MB[shape] = min(cpu) / mb
    if len(CPU_PER_MB) == 2:
        NOTES.append(f"command CPU per MB: folder {CPU_PER_MB['folder'] * 1e3:.1f} ms, JSONL "
                     f"{CPU_PER_MB['jsonl'] * 1e3:.1f} ms; folder / JSONL = x{CPU_PER_MB['folder'] / CPU_PER_MB['jsonl']:.2f}"
                     " (aim ≤ 1.2)")


def test_trafilatura_loop(benchmark, tree, scratch):
    trafilatura = pytest.importorskip("trafilatura")
    root, _ = tree
    files = sorted(root.rglob("*.*"))[:1000]  # the peer is slow; its MB/s is measured on a part
    mb = sum(f.stat().st_size for f in files) / 1e6
    out = scratch / "traf"

    def run():
        for f in files:
            raw = f.read_text(encoding="utf-8")
            if f.suffix == ".txt":
                paras = "".join(f"<p>{html.escape(x)}</p>" for x in raw.splitlines() if x.strip())
                raw = f"<html><body>{paras}</body></html>"
            body = trafilatura.extract(raw) or ""
            target = out / f.relative_to(root).with_suffix(".txt")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")

    benchmark.group = GROUP
    benchmark.pedantic(run, rounds=1, iterations=1)
    record(benchmark, GROUP, "trafilatura (a loop over files)", mb)
