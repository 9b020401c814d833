"""Time and memory grow linearly with the input, for every input shape that once broke it:
long lines, many tiny lines, long tokens, runs of newlines, deep and wide HTML, tags with many
attributes, long class names. Each shape is cleaned at two sizes in fresh processes; doubling the
input must at most about double the time and the memory added (a ratio above 3 fails), and the
memory added stays under `MEMORY_MULTIPLE` times the input.

    python -m pytest benches/test_linear.py -p no:cacheprovider
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NOTES
from probe import SHAPES

PROBE = Path(__file__).with_name("probe.py")
SIZE = 3_000_000
#: The promise in the README: cleaning one page adds at most this many times its size.
MEMORY_MULTIPLE = 40


def probe(shape: str, size: int) -> dict:
    """The best of two fresh runs (time and memory each at their minimum: noise only adds)."""
    runs = []
    for _ in range(2):
        done = subprocess.run([sys.executable, str(PROBE), shape, str(size)], capture_output=True, timeout=600,
                              check=True)
        runs.append(json.loads(done.stdout))
    return {"bytes": runs[0]["bytes"], "outcome": runs[0]["outcome"],
            "seconds": min(r["seconds"] for r in runs), "added": min(r["added"] for r in runs)}


@pytest.mark.parametrize("shape", SHAPES)
def test_doubling_the_input_at_most_doubles_time_and_memory(shape):
    one, two = probe(shape, SIZE), probe(shape, 2 * SIZE)
    time_ratio = two["seconds"] / max(one["seconds"], 1e-3)
    # below a few MB the allocator's own growth steps dominate: compare from 8 MB up
    memory_ratio = max(two["added"], 8 << 20) / max(one["added"], 8 << 20)
    multiple = two["added"] / two["bytes"]
    NOTES.append(f"linear {shape:16s} {two['outcome']:9s} time x{time_ratio:.2f}  memory x{memory_ratio:.2f}  "
                 f"peak {multiple:.1f}x input")
    assert time_ratio <= 3, (one, two)
    assert memory_ratio <= 3, (one, two)
    assert multiple <= MEMORY_MULTIPLE, two


def build_seconds(phrases: int) -> float:
    """Seconds to build a cleaner with `phrases` extra phrases, in a fresh process."""
    code = ("import time, arclean; arclean.Cleaner();"
            "w = ['خبر', 'عاجل', 'تابع', 'شاهد', 'اقرأ', 'المزيد', 'فيديو', 'صور'];"
            f"p = [f'{{w[i % 8]}} {{w[i // 8 % 8]}} {{i}}' for i in range({phrases})];"
            "t = time.perf_counter(); arclean.Cleaner(extra_phrases={'related': p});"
            "print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=600, check=True)
    return float(done.stdout)


def test_doubling_the_extra_phrases_at_most_doubles_the_build():
    one = min(build_seconds(32_000) for _ in range(2))
    two = min(build_seconds(64_000) for _ in range(2))
    NOTES.append(f"linear extra_phrases 32k→64k time x{two / one:.2f} ({two:.2f} s for 64k)")
    assert two / one <= 3, (one, two)
