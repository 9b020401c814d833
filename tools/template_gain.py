#!/usr/bin/env python3
"""What a site profile gains: the pages of the corpus's sites with two pages or more, and
generated sites not used in fitting (tests/sites.py), cleaned without and with the profile
learnt from their site's pages (the page itself among them, as `arclean clean --learn` does).
Prints the pooled snippet F1 and the junk lines kept, per format.

    python tools/template_gain.py
"""
from __future__ import annotations

import sys

import arclean
import labelled as P


def rows(pages: list[P.Page], fmt: str, profiled: bool) -> list:
    out = []
    for p in pages:
        src = p.text if fmt == "text" else p.html
        if not src:
            continue
        cleaner = arclean.Cleaner(profile=p.profile if profiled else None)
        site = None
        if profiled and p.profile_site is not None:
            site = p.profile_site + ("#html" if fmt == "html" else "")
        out.append(P.page_score(p.gold, cleaner.clean(src, fmt, site=site).text))
    return out


def main() -> int:
    real = [p for p in P.with_profiles(P.load()) if p.profile is not None]
    for name, pages in (("corpus sites with 2+ pages", real), ("generated sites (not fitted on)", P.site_pages(seeds=range(11, 17)))):
        for fmt in ("text", "html"):
            for profiled in (False, True):
                r = rows(pages, fmt, profiled)
                pr, rc, f1 = P.f1(r)
                junk = sum(s[2] for s in r)
                print(f"{name:32} {fmt:5} {'profile' if profiled else 'none':8} pages={len(r)} "
                      f"precision={pr:.3f} recall={rc:.3f} F1={f1:.3f} junk kept={junk}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
