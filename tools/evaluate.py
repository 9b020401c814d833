#!/usr/bin/env python3
"""The labeller cross-validated by site: for each site in turn, fit the model (`train.py`) on
every other site's pages and score that site's pages, as text scrapes and as HTML. Prints a row
per page, the pooled precision, recall and F1 per format, and the pages whose article is lost
(fewer than half of its body snippets kept). These figures, not the fit, predict how arclean
does on a site it has never seen.

    python tools/evaluate.py            # or: make eval
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import sys

import pages as P
import train as T


BLOCKS: list = []


def held_out(site: str) -> list:
    """Fit on every site but `site`, score `site`'s pages: (page name, format, score row)."""
    model = T.train([b for b in BLOCKS if b.page.site != site])
    return [(p.name, fmt, s) for p, fmt, s in T.score_pages(model, [b for b in BLOCKS if b.page.site == site])]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true", help="only the totals")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="sites fitted at once")
    a = ap.parse_args()
    global BLOCKS
    BLOCKS = T.load_blocks(P.load())
    sites = sorted({b.page.site for b in BLOCKS})
    with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
        per_site = pool.map(held_out, sites, chunksize=1)
    rows = []
    for site, scored in zip(sites, per_site):
        by_name = {p.name: p for p in P.load_cached() if p.site == site}
        rows += [(by_name[n], fmt, s) for n, fmt, s in scored]
    for fmt in T.FORMATS:
        part = [(p, s) for p, m, s in rows if m == fmt]
        if not a.quiet:
            for p, s in part:
                flag = "\tLOST" if P.lost(s) else ""
                print(f"{fmt}\t{p.name}\tkeep={s[0]}/{s[1]}\tleaked={s[2]}/{s[3]}{flag}")
        for group, sel in (("corpus", lambda p: not p.site.startswith("dev:")),
                           ("dev set", lambda p: p.site.startswith("dev:"))):
            g = [s for p, s in part if sel(p)]
            if not g:
                continue
            pr, rc, f1 = P.f1(g)
            lost = [p.name for p, s in part if sel(p) and P.lost(s)]
            print(f"{fmt:5} {group:8} pages={len(g)} precision={pr:.3f} recall={rc:.3f} "
                  f"F1={f1:.3f} lost={len(lost)} {' '.join(lost)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
