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


def generated_sites(seeds=range(11, 17), pages: int = 8) -> list[P.Page]:
    sys.path.insert(0, str(P.ROOT / "tests"))
    import sites as gen

    out = []
    for seed in seeds:
        group = gen.site(seed, pages)
        host = group[0].host
        prof = arclean.Profile()
        prof.add_pages([g.text for g in group], "text", sites=[host] * len(group))
        prof.add_pages([g.html for g in group], "html", sites=[host + "#html"] * len(group))
        for k, g in enumerate(group):
            article = {P.score.canon(a) for a in g.article}
            lines = [{"text": raw, "label": "body" if P.score.canon(raw) in article
                      else "title" if raw == g.title else "boilerplate"} for raw in g.text.splitlines()]
            page = P.Page(f"site-{seed}-{k}", host, g.text, g.html.encode(), lines, P.score.from_lines(lines))
            page.profile, page.profile_site = prof.to_bytes(), host
            out.append(page)
    return out


def main() -> int:
    real = [p for p in P.with_profiles(P.load()) if p.profile is not None]
    for name, pages in (("corpus sites with 2+ pages", real), ("generated sites (not fitted on)", generated_sites())):
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
