"""One input shape at one size, cleaned in this process: prints the input's bytes, the seconds
taken and the peak memory added while cleaning (bytes). Run as a child of `test_linear.py` so
that each measurement starts from a fresh process.

    python benches/probe.py SHAPE SIZE
"""

from __future__ import annotations

import json
import resource
import sys
import time

WORD = "كلمة"
SENTENCE = "وأعلنت الوزارة اليوم عن خطة جديدة لتطوير النقل العام في المدن الكبرى."


def build(shape: str, n: int) -> tuple[str, str]:
    """The input of `shape` with about `n` bytes, and its format."""
    if shape == "long_line":
        return " ".join([WORD] * (n // 9)), "text"
    if shape == "tiny_lines":
        return "ب ت\n" * (n // 6), "text"
    if shape == "sentence_lines":
        return (SENTENCE + "\n\n") * (n // 130), "text"
    if shape == "long_token":
        return "ب" * (n // 2), "text"
    if shape == "newlines":
        return "\n" * n + SENTENCE, "text"
    if shape == "deep_html":
        k = n // 11
        return "<div>" * k + SENTENCE + "</div>" * k, "html"
    if shape == "wide_html":
        return "<html><body>" + f"<p>{SENTENCE}</p>" * (n // 137) + "</body></html>", "html"
    if shape == "many_attributes":
        return "<p " + " ".join(f'a{i}="x"' for i in range(n // 10)) + f">{SENTENCE}</p>", "html"
    if shape == "long_class":
        return f'<div class="{"a" * n}"><p>{SENTENCE}</p></div>', "html"
    raise SystemExit(f"unknown shape {shape}")


SHAPES = ["long_line", "tiny_lines", "sentence_lines", "long_token", "newlines", "deep_html", "wide_html",
          "many_attributes", "long_class"]


def rss_now() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()


def main() -> None:
    shape, n = sys.argv[1], int(sys.argv[2])
    import arclean

    cleaner = arclean.Cleaner(max_bytes=0)
    cleaner.clean("نص قصير للتحمية.\n")  # lexicon and model loaded before measuring
    text, fmt = build(shape, n)
    base = rss_now()
    t = time.perf_counter()
    try:
        cleaner.clean(text, format=fmt)
        outcome = "cleaned"
    except arclean.InputTooLargeError:
        outcome = "too_large"
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"bytes": len(text.encode()), "seconds": seconds, "added": max(0, peak - base),
                      "outcome": outcome}))


if __name__ == "__main__":
    main()
