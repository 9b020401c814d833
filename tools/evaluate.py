#!/usr/bin/env python3
"""The labeller cross-validated by site: for each site in turn, fit the model (`train.py`) on
every other site's pages and score that site's pages, as text scrapes and as HTML. Prints a row
per page, the pooled precision, recall and F1 per format, and the pages whose article is lost
(fewer than half of its body snippets kept). These figures, not the fit, predict how arclean
does on a site it has never seen.

    python tools/evaluate.py            # or: make eval
    python tools/evaluate.py --profiles # a site's pages cleaned with its learnt template

Held-out pages are cleaned alone by default, as `arclean clean` cleans a page of a site it has
no profile for; with `--profiles` a page of a site with two pages or more is cleaned with the
profile learnt from them (as `arclean clean --learn` does), which measures the template's gain.
The fit uses the profiles either way.
"""
from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import os
import sys

import labelled as P
import train as T


BLOCKS: list = []
PROFILES = False


def held_out(sites: list[str]) -> list:
    """Fit on every site but `sites`, score their pages: (page name, format, score row)."""
    model = T.train([b for b in BLOCKS if b.page.site not in sites])
    held = [b for b in BLOCKS if b.page.site in sites]
    if not PROFILES:
        held = [dataclasses.replace(b, page=dataclasses.replace(b.page, profile=None, profile_site=None))
                for b in held]
    return [(p.name, fmt, s) for p, fmt, s in T.score_pages(model, held, as_is=True)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", action="store_true", help="only the totals")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="folds fitted at once")
    ap.add_argument("--folds", type=int, default=0,
                    help="hold out sites in this many groups instead of one by one (quicker, for iterating)")
    ap.add_argument("--profiles", action="store_true",
                    help="clean each held-out page with its site's learnt profile")
    a = ap.parse_args()
    global BLOCKS, PROFILES
    PROFILES = a.profiles
    BLOCKS = T.load_blocks(P.training())
    sites = sorted({b.page.site for b in BLOCKS if b.page.kind != "generated"})
    groups = [[s] for s in sites] if a.folds <= 0 else [sites[k::a.folds] for k in range(a.folds)]
    with multiprocessing.get_context("fork").Pool(a.jobs) as pool:
        per_site = pool.map(held_out, groups, chunksize=1)
    rows = []
    by_name = {b.page.name: b.page for b in BLOCKS}
    as_is = []
    for scored in per_site:
        rows += [(by_name[n], fmt, s) for n, fmt, (s, _) in scored]
        as_is += [(by_name[n], fmt, s) for n, fmt, (_, s) in scored]
    every = rows
    empty = [(p, s) for p, m, s in rows if p.kind == "no-article"]
    rows = [r for r in rows if r[0].kind == "real"]
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
            g = [s for p, m, s in as_is if m == fmt and p.kind == "real" and sel(p)]
            pr, rc, f1 = P.f1(g)
            print(f"{fmt:5} {group:8} the scorer as it is (tatweel a letter): precision={pr:.3f} "
                  f"recall={rc:.3f} F1={f1:.3f} lost={sum(P.lost(s) for s in g)}")
    given = [p.name for p, s in empty if s[2] > 0]
    short = [s for p, m, s in every if p.kind == "short" and p.site != "generated"]
    print(f"text  short pages (one or two paragraphs of a real page) pooled recall: {P.f1(short)[1]:.3f}; "
          f"lost {sum(P.lost(s) for s in short)}/{len(short)}")
    alone = [(p, s) for p, m, s in every if p.kind == "article-only" and p.site != "generated"]
    print(f"text  article-only pages (real articles alone) pooled recall: {P.f1([s for _, s in alone])[1]:.3f}; "
          f"lost {sum(P.lost(s) for _, s in alone)}/{len(alone)}")
    print(f"text  no-article pages (real pages with their article removed) given a body: "
          f"{len(given)}/{len(empty)}; junk lines kept {sum(s[2] for _, s in empty)}"
          f"/{sum(s[3] for _, s in empty)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
