"""Labelled real pages for fitting and measuring the labeller: the corpus beside the project
(`../shared/corpus`: HTML, its text scrape and a label per line) and the development set (text
scrapes only), with the dev-set scorer's snippet method. Used by `train.py` and `evaluate.py`."""
from __future__ import annotations

import functools
import zlib
import importlib.util
import json
import pathlib
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
DEV = SHARED / "dev-set"


def _scorer():
    spec = importlib.util.spec_from_file_location("arclean_scorer", DEV / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


score = _scorer()


@dataclass
class Page:
    name: str
    site: str
    text: str
    html: bytes | None
    lines: list  # [{"text", "label"}] for the text scrape's non-empty lines
    gold: dict = field(default_factory=dict)  # {"keep": [...], "drop": [...]}
    #: "real", or how the page was made: "no-article" (`stripped`), "article-only"
    #: (`article_only`), "short" (`short_pages`), "generated" (`generated`), "own" (`own`)
    kind: str = "real"
    #: The profile of the page's site (its file's bytes), learnt from the site's pages, and the
    #: page's site in it: its template is evidence when it is cleaned
    profile: bytes | None = None
    profile_site: str | None = None
    #: For pages labelled by snippets: the canonical keep and drop snippets
    snippets: tuple | None = None


def training(generated_pages: int = 40) -> list[Page]:
    """What the model is fitted on: every labelled real page, each text scrape also without its
    article, the project's own test pages and generated pages."""
    real = with_profiles(load())
    made = generated(generated_pages)
    return (real + [stripped(p) for p in real] + [article_only(p) for p in real + made]
            + [s for p in real + made for s in short_pages(p)] + own() + made + site_pages())


#: Sites of the corpus with two pages learn a profile from both: a block on both is template
#: (over half of two pages), a block on one page only is not
PAIR_SHARE = 0.5


def with_profiles(pages: list[Page]) -> list[Page]:
    """The real pages, each of a site with two pages or more given the profile learnt from
    all of them (as `arclean clean --learn` does: the page itself among them)."""
    import arclean

    by_site: dict = {}
    for p in pages:
        by_site.setdefault(p.site, []).append(p)
    for site, group in by_site.items():
        if len(group) < 2:
            continue
        prof = arclean.Profile(min_share=PAIR_SHARE, min_pages=2)
        for p in group:
            prof.add_page(p.text, "text", site=site)
            if p.html:
                prof.add_page(p.html, "html", site=site + "#html")
        for p in group:
            p.profile, p.profile_site = prof.to_bytes(), site
    return pages


def site_pages(seeds=range(1000, 1006), pages: int = 8) -> list[Page]:
    """Pages of generated sites (tests/sites.py, a site a seed), each with its site's profile
    learnt from all its pages; labelled: article paragraphs body, the template boilerplate, the
    headline title. Their site is `generated-sites`."""
    import sys

    import arclean

    sys.path.insert(0, str(ROOT / "tests"))
    import sites as gen  # tests/sites.py

    out = []
    for seed in seeds:
        group = gen.site(seed, pages)
        prof = arclean.Profile()
        host = group[0].host
        prof.add_pages([g.text for g in group], "text", sites=[host] * len(group))
        prof.add_pages([g.html for g in group], "html", sites=[host + "#html"] * len(group))
        blob = prof.to_bytes()
        for k, g in enumerate(group):
            article = {score.canon(a) for a in g.article}
            lines = []
            for raw in g.text.splitlines():
                c = score.canon(raw)
                label = "body" if c in article else "title" if raw == g.title else "boilerplate"
                lines.append({"text": raw.strip(), "label": label})
            page = Page(f"site-{seed}-{k}", "generated-sites", g.text, g.html.encode(), lines,
                        score.from_lines(lines), "generated")
            page.profile, page.profile_site = blob, g.host
            out.append(page)
    return out


def short_pages(page: Page, count: int = 2) -> list[Page]:
    """Short pages cut from a page: one or two of its body paragraphs, with a junk line of the
    same page before and after them or not (a notice, a snippet a user passes). The same cut on
    every run."""
    body = [l for l in page.lines if l["label"] == "body"]
    junk = [l for l in page.lines if l["label"] in ("boilerplate", "meta")]
    out = []
    for k in range(count):
        if not body:
            break
        h = zlib.crc32(f"{page.name}/{k}".encode())
        start = h % len(body)
        lines = body[start:start + 1 + (h >> 8) % 2]
        if junk and (h >> 9) % 2:
            lines = [junk[(h >> 10) % len(junk)]] + lines
        if junk and (h >> 11) % 2:
            lines = lines + [junk[(h >> 12) % len(junk)]]
        text = "\n\n".join(l["text"] for l in lines) + "\n"
        out.append(Page(f"{page.name}~short{k}", page.site, text, None, lines,
                        score.from_lines(lines), "short"))
    return out


def article_only(page: Page) -> Page:
    """The page's article alone, one paragraph a line: text that is already clean, which must
    come out whole (users pass such text too, and cleaning must be idempotent)."""
    lines = [l for l in page.lines if l["label"] == "body"]
    text = "\n\n".join(l["text"] for l in lines) + "\n"
    return Page(f"{page.name}~article-only", page.site, text, None, lines,
                score.from_lines(lines), "article-only")


def own() -> list[Page]:
    """The project's own pages in other sites' shapes (tests/data/pages: text, tests/data/html:
    HTML), with keep and drop snippets; a line is labelled by the snippet it matches. Their site
    is `own`."""
    out = []
    for folder, ext in (("pages", ".txt"), ("html", ".html")):
        for f in sorted((ROOT / "tests" / "data" / folder).glob(f"*{ext}")):
            gold = json.loads(f.with_suffix(".json").read_text(encoding="utf-8"))
            keep = {score.canon(k) for k in gold["keep"]}
            drop = {score.canon(d) for d in gold["drop"]}
            raw = f.read_bytes()
            text = raw.decode("utf-8", "replace") if ext == ".txt" else ""
            lines = []
            for line in text.splitlines():
                if line.strip():
                    c = score.canon(line)
                    lines.append({"text": line.strip(),
                                  "label": "body" if c in keep else "boilerplate" if c in drop else "neutral"})
            page = Page(f"own-{f.stem}", "own", text, raw if ext == ".html" else None, lines,
                        {"keep": list(gold["keep"]), "drop": list(gold["drop"])}, "own")
            page.snippets = (keep, drop)
            out.append(page)
    return out


def load() -> list[Page]:
    """Every labelled page: the corpus (sites as labelled) and the dev set (one site a page)."""
    pages = []
    for f in sorted((CORPUS / "labels").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        text = (CORPUS / "text" / f"{f.stem}.txt").read_text(encoding="utf-8")
        html = (CORPUS / "html" / f"{f.stem}.html").read_bytes()
        pages.append(Page(f.stem, d["site"], text, html, d["lines"], score.from_lines(d["lines"])))
    gold = json.loads((DEV / "gold.json").read_text(encoding="utf-8"))
    for name, d in sorted(gold.items()):
        stem = name.removesuffix(".txt")
        text = (DEV / "pages" / name).read_text(encoding="utf-8")
        pages.append(Page(stem, f"dev:{stem}", text, None, d["lines"], score.from_lines(d["lines"])))
    return pages


#: Tatweel (U+0640) is a letter to the scorer (Unicode category Lm), so a body whose tatweel
#: was normalized away does not match its gold line. The scorer says normalization must never
#: count against a cleaner: with `TATWEEL_BLIND` set, tatweel is removed on both sides first.
TATWEEL_BLIND = True


def _strip(s: str, blind: bool) -> str:
    return s.replace("\u0640", "") if blind else s


@functools.lru_cache(maxsize=1 << 16)
def _canon_line(line: str, blind: bool) -> str:
    return score.canon(_strip(line, blind))


def _canon_gold(gold: dict, blind: bool) -> dict:
    """The gold snippets in the scorer's canonical form, computed once per page."""
    key = "_canon" if blind else "_canon_as_is"
    if key not in gold:
        gold[key] = {k: [score.canon(_strip(s, blind)) for s in gold[k]] for k in ("keep", "drop")}
    return gold[key]


def _found(c: str, out_c: str, out_lines: set) -> bool:
    """The scorer's `found` on a snippet already in canonical form."""
    if c.strip() == "":
        return False
    if len(c.split()) >= 2 and len(c.strip()) >= 8:
        return c in out_c
    return c in out_lines


def page_score(gold: dict, body: str, blind: bool | None = None) -> tuple[int, int, int, int]:
    """(body snippets kept, body snippets, junk snippets leaked, junk snippets) for one page,
    as the dev-set scorer counts them (tatweel ignored unless `blind` is False, or
    `TATWEEL_BLIND` is off)."""
    blind = TATWEEL_BLIND if blind is None else blind
    g = _canon_gold(gold, blind)
    lines = [_canon_line(l, blind) for l in body.splitlines() if l.strip()]
    out_lines = set(lines)
    # the canonical form maps character by character: the body's is its lines' joined
    out_c = " " + " ".join(c.strip() for c in lines if c.strip()) + " "
    kept = sum(_found(c, out_c, out_lines) for c in g["keep"])
    leaked = sum(_found(c, out_c, out_lines) for c in g["drop"])
    return kept, len(g["keep"]), leaked, len(g["drop"])


def f1(rows) -> tuple[float, float, float]:
    """Pooled precision, recall and F1 over `page_score` rows."""
    k = sum(r[0] for r in rows)
    kt = sum(r[1] for r in rows)
    d = sum(r[2] for r in rows)
    p = k / (k + d) if k + d else 0.0
    r = k / kt if kt else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def lost(row) -> bool:
    """The article is lost: fewer than half of its body snippets kept."""
    return row[1] > 0 and row[0] * 2 < row[1]


def stripped(page: Page) -> Page:
    """The page's text scrape without its article (body and neutral lines removed): a page with
    no article, whose every block must go. Sites do serve such pages (indexes, error pages)."""
    drop = {"body", "neutral"}
    lines = [l for l in page.lines if l["label"] not in drop]
    text = "\n".join(l["text"] for l in lines) + "\n"
    return Page(f"{page.name}~no-article", page.site, text, None, lines,
                score.from_lines(lines), "no-article")


def generated(n: int) -> list[Page]:
    """`n` pages built by the test suite's page generator (tests/pages.py: the project's article
    sentences among the boilerplate catalog, perturbed), the same ones on every run, with a
    label for every line; each as text and HTML. Their site is `generated`."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from hypothesis import HealthCheck, Phase, given, settings

    import pages as gen  # tests/pages.py

    out: list = []

    @settings(max_examples=n, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(gen.pages())
    def collect(p):
        if len(out) < n:
            out.append(p)

    collect()
    result = []
    for k, p in enumerate(out):
        article = {score.canon(a) for a in p.article}
        lines = []
        for raw in p.text.splitlines():
            if not raw.strip():
                continue
            c = score.canon(raw)
            label = "body" if c in article else "boilerplate"
            lines.append({"text": raw.strip(), "label": label})
        # the headline is not scored: neither body nor junk
        heads = {score.canon(h) for h in gen.HEADLINES}
        for l in lines:
            if l["label"] != "body" and score.canon(l["text"]) in heads:
                l["label"] = "title"
        result.append(Page(f"generated-{k:03}", "generated", p.text, p.html.encode(), lines,
                           score.from_lines(lines), "generated"))
    return result
