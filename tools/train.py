#!/usr/bin/env python3
"""Fit the labeller's model on labelled real pages and write `rust/core/src/model.txt`.

The pages: the corpus and the dev set beside the project, each text scrape also with its
article removed (a page with no article must give an empty body), and pages made by the test
suite's generator (`labelled.training`).

For each format (text scrapes, HTML) two logistic models are fitted on every block's evidence
(the core computes it: `Cleaner.evidence`): body against the rest, and title against the rest.
Neutral lines (captions, sub-headings: arguable) are left out of the body fit. Each page weighs
the same whatever its length. The region decoder's two costs are then chosen on the same
training pages by the pooled snippet F1 of the cleaned bodies.

    python tools/train.py               # fit on the corpus and the dev set, write model.txt
    python tools/evaluate.py            # the same fit, cross-validated by site

Development dependencies: numpy, scikit-learn (not needed at run time).
"""
from __future__ import annotations

import argparse
import itertools
import os
import sys
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

import arclean
import labelled as P

MODEL = P.ROOT / "rust" / "core" / "src" / "model.txt"
NAMES = arclean._core.EVIDENCE_NAMES
CONTEXT_NAMES = arclean._core.CONTEXT_NAMES
#: What the second stage learns: "body"; "article" (body and neutral lines) was tried, so that
#: sub-headings and captions would not cut an article in two, and kept too much junk
STAGE2_TARGET = os.environ.get("ARCLEAN_STAGE2", "body")
#: Body log-odds cap of a block with a lexicon or shape cue (0: none): such blocks are body 6
#: times in about 3,300 on the labelled real pages
CUE_CAP = float(os.environ.get("ARCLEAN_CUE_CAP", "4"))
#: Weight of a generated or own page against a real one
SYNTHETIC_WEIGHT = float(os.environ.get("ARCLEAN_SYNTHETIC_WEIGHT", "3"))
#: Folds (grouped by site) for the first stage's out-of-fold scores the second stage is fitted on
INNER_FOLDS = 5
FORMATS = ("text", "html")
#: The decoder costs tried: opening a gap, each block of it, each article-ending marker in it,
#: each gap block past such a marker. A block of a gap costs at most 0.3, so one stray line (a
#: credit, a read-also link) between two paragraphs never ends the article (a cost of 1 fitted
#: best on the real pages alone and dropped a lead paragraph above such a line on generated
#: pages)
COSTS = list(itertools.product((0.0, 1.0, 3.0), (0.05, 0.1, 0.3), (0.0, 3.0), (0.0, 0.5, 1.0)))
#: Body log-odds below minus this make a block sure junk: the decoder bounds how many of them
#: the article crosses once it has passed a marker
SURE_JUNK = 2.0
#: That bound is the most sure-junk blocks any article of the training pages crosses past a
#: marker (scored by weights fitted without its site) and this many more. Added, not multiplied:
#: the most is one page's (a decree whose article headings sit past a repeated headline), and
#: twice it let a second article behind a list of 25 headlines join the first
MARKED_MARGIN = 4
#: The largest bound the core reads (it keeps decoder states per count)
MARKED_LIMIT = 64
#: L2 regularization strength (inverse), the same for every model
C = float(os.environ.get("ARCLEAN_TRAIN_C", "2"))


@dataclass
class Blocks:
    """One page in one format: its evidence matrix and the gold label of each block."""
    page: P.Page
    fmt: str
    x: np.ndarray
    labels: list  # gold label per block, None when no labelled line matches


def block_labels(page: P.Page, fmt: str, texts: list[str]) -> list:
    """Gold labels of a page's blocks: text blocks are the scrape's lines in order; an HTML block
    takes the label of the line with the same letters, else of the lines it contains (most
    letters win)."""
    canon = P.score.canon
    if page.snippets is not None:  # labelled by snippets: a block is what it holds
        keep, drop = page.snippets

        def holds(c: str, snippets: set) -> bool:
            return c in snippets or any(len(k.strip()) >= 8 and k in c for k in snippets)

        out = []
        for t in texts:
            c = canon(t)
            k, d = holds(c, keep), holds(c, drop)
            out.append("body" if k and not d else "boilerplate" if d and not k else None)
        return out
    if fmt == "text":
        assert len(texts) == len(page.lines), page.name
        return [l["label"] for l in page.lines]
    by_text = {}
    for l in page.lines:
        by_text.setdefault(canon(l["text"]), l["label"])
    out = []
    for t in texts:
        c = canon(t)
        if c in by_text:
            out.append(by_text[c])
            continue
        votes: dict = {}
        for lc, lab in by_text.items():
            if len(lc.strip()) >= 8 and lc in c:
                votes[lab] = votes.get(lab, 0) + len(lc)
        out.append(max(votes, key=votes.get) if votes else None)
    return out


def site_of(page: P.Page, fmt: str) -> str | None:
    """The page's site in its profile: the HTML pages of a site are learnt apart from its text
    scrapes (their blocks differ)."""
    if page.profile_site is None:
        return None
    return page.profile_site + ("#html" if fmt == "html" else "")


def cleaner_for(page: P.Page, model: str | None = None, cache: dict = {}) -> "arclean.Cleaner":
    """A cleaner with `model` and the page's site profile (cached by both)."""
    key = (model, page.profile)
    if key not in cache:
        cache[key] = arclean.Cleaner(model=model, profile=page.profile)
    return cache[key]


def load_blocks(pages: list[P.Page]) -> list[Blocks]:
    out = []
    for p in pages:
        for fmt in FORMATS:
            src = p.text if fmt == "text" else p.html
            if not src:
                continue
            blocks = cleaner_for(p).evidence(src, format=fmt, site=site_of(p, fmt))
            x = np.array([b["evidence"] for b in blocks], dtype=np.float64).reshape(-1, len(NAMES))
            out.append(Blocks(p, fmt, x, block_labels(p, fmt, [b["text"] for b in blocks])))
    return out


def fit(blocks: list[Blocks], target: str, features=lambda b: b.x) -> np.ndarray:
    """Weights (one per column of `features`, the bias among them) of a logistic model of
    `target`: "body" (neutral lines left out), "article" (body and neutral lines: what may stand
    inside the article) or "title"."""
    positive = {"body": {"body"}, "article": {"body", "neutral"}, "title": {"title"}}[target]
    xs, ys, ws = [], [], []
    for b in blocks:
        keep = [i for i, l in enumerate(b.labels)
                if l is not None and not (target == "body" and l == "neutral")]
        if not keep:
            continue
        xs.append(features(b)[keep])
        ys.append(np.array([b.labels[i] in positive for i in keep], dtype=int))
        weight = SYNTHETIC_WEIGHT if b.page.kind in ("generated", "own") else 1.0
        ws.append(np.full(len(keep), weight / np.sqrt(len(keep))))
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    if y.min() == y.max():
        return np.zeros(x.shape[1])
    # the bias is a column of ones among the measurements: no separate intercept
    m = LogisticRegression(C=C, fit_intercept=False, max_iter=5000)
    m.fit(x, y, sample_weight=w * len(w) / w.sum())
    return m.coef_[0]


def model_text(weights: dict, costs: tuple[float, float, float, float], marked_max: int = 0) -> str:
    lines = [
        "# The labeller's fitted model: logistic weights per measurement (see evidence.rs for the",
        "# measurements) for text and HTML pages, and the region decoder's costs.",
        "# Written by tools/train.py on labelled real pages; do not edit by hand.",
        f"cost gap_open {costs[0]:g}",
        f"cost gap_block {costs[1]:g}",
        f"cost marker_gap {costs[2]:g}",
        f"cost marker_block {costs[3]:g}",
        "# a block a lexicon family or a shape names is at most this likely body (log-odds)",
        f"cost cue_cap {CUE_CAP:g}",
        "# past a marker, the article crosses at most this many blocks of body log-odds below",
        "# minus sure_junk (0: no bound)",
        f"cost marked_gap_max {marked_max:d}",
        f"cost sure_junk {SURE_JUNK:g}",
    ]
    for key in sorted(weights):
        names = NAMES + CONTEXT_NAMES if key.endswith(".context") else NAMES
        for name, w in zip(names, weights[key]):
            if abs(w) >= 5e-4:
                lines.append(f"{key} {name} {w:.4f}")
    return "\n".join(lines) + "\n"


def context_rows(first: dict, blocks: list[Blocks]) -> list[np.ndarray]:
    """The context measurements of `blocks` under first-stage weights `first`, from the core."""
    model = model_text(first, COSTS[0])
    out = []
    for b in blocks:
        src = b.page.text if b.fmt == "text" else b.page.html
        ev = cleaner_for(b.page, model).evidence(src, format=b.fmt, site=site_of(b.page, b.fmt))
        out.append(np.array([e["context"] for e in ev], dtype=np.float64).reshape(-1, len(CONTEXT_NAMES)))
    return out


def fit_weights(blocks: list[Blocks]) -> tuple[dict, list[dict]]:
    """Both stages of the body model and the title model, for each format, fitted on `blocks`;
    and for each inner fold (sites in `INNER_FOLDS` groups) the same fitted without that fold,
    for choosing the decoder's costs on pages the weights were not fitted on. The second stage
    is fitted on first-stage scores of pages the first stage was not fitted on."""
    sites = sorted({b.page.site for b in blocks})
    fold_of = {s: k % INNER_FOLDS for k, s in enumerate(sites)}
    folds = [[b for b in blocks if fold_of[b.page.site] == k] for k in range(INNER_FOLDS)]
    ctx, firsts = {}, []
    for k, held in enumerate(folds):
        train = [b for b in blocks if fold_of[b.page.site] != k]
        first = {f"{fmt}.body": fit([b for b in train if b.fmt == fmt], "body") for fmt in FORMATS}
        firsts.append(first)
        for b, c in zip(held, context_rows(first, held)):
            ctx[id(b)] = c
    # the second stage weighs the block's own evidence again beside its context (the context
    # alone, the first stage speaking only through ctx_self, was tried: worse on held-out sites)
    with_ctx = lambda b: np.hstack([b.x, ctx[id(b)]])  # noqa: E731

    def both_stages(train: list[Blocks], first: dict | None) -> dict:
        w = dict(first) if first else {}
        for fmt in FORMATS:
            part = [b for b in train if b.fmt == fmt]
            if first is None:
                w[f"{fmt}.body"] = fit(part, "body")
            w[f"{fmt}.title"] = fit(part, "title")
            w[f"{fmt}.context"] = fit(part, STAGE2_TARGET, with_ctx)
        return w

    inner = [both_stages([b for b in blocks if fold_of[b.page.site] != k], firsts[k])
             for k in range(INNER_FOLDS)]
    return both_stages(blocks, None), inner


def score_pages(model: str, blocks: list[Blocks], as_is: bool = False) -> list[tuple]:
    """(page, format, score row) for every page, cleaned with `model`; with `as_is`, the row
    is followed by the row of the scorer as it is (tatweel a letter)."""
    out = []
    for b in blocks:
        src = b.page.text if b.fmt == "text" else b.page.html
        doc = cleaner_for(b.page, model).clean(src, format=b.fmt, site=site_of(b.page, b.fmt))
        row = P.page_score(b.page.gold, doc.text)
        if as_is:
            row = (row, P.page_score(b.page.gold, doc.text, blind=False))
        out.append((b.page, b.fmt, row))
    return out


def marked_crossings(model: str, b: Blocks) -> int:
    """How many sure-junk blocks the gold article of `b` holds past its first marker (in its
    gaps or its body), with the scores and markers of `model`."""
    body = [i for i, label in enumerate(b.labels) if label == "body"]
    if not body:
        return 0
    src = b.page.text if b.fmt == "text" else b.page.html
    ev = cleaner_for(b.page, model).evidence(src, format=b.fmt, site=site_of(b.page, b.fmt))
    marked, n = False, 0
    for e in ev[body[0]:body[-1] + 1]:
        marked = marked or e["marker"]
        n += marked and e["body"] < -SURE_JUNK
    return n


def marked_bound(inner: list[dict], blocks: list[Blocks]) -> int:
    """The bound on sure-junk blocks past a marker: the most that any training article crosses,
    each page scored by the inner fold's weights fitted without its site, and `MARKED_MARGIN`
    more."""
    sites = sorted({b.page.site for b in blocks})
    fold_of = {s: k % INNER_FOLDS for k, s in enumerate(sites)}
    models = [model_text(w, COSTS[0]) for w in inner]
    most = max((marked_crossings(models[fold_of[b.page.site]], b) for b in blocks), default=0)
    return min(most + MARKED_MARGIN, MARKED_LIMIT)


def choose_costs(inner: list[dict], blocks: list[Blocks],
                 marked_max: int = 0) -> tuple[float, float, float, float]:
    """The decoder costs that lose the fewest articles over the inner folds and, among those,
    give the best pooled F1 (text and HTML together); each fold's pages are scored with the
    weights fitted without them. A lost article is the worst outcome: a few lines of F1 do not
    buy one."""
    sites = sorted({b.page.site for b in blocks})
    fold_of = {s: k % INNER_FOLDS for k, s in enumerate(sites)}
    best = None
    for costs in COSTS:
        rows = []
        for k, w in enumerate(inner):
            held = [b for b in blocks if fold_of[b.page.site] == k]
            rows += [r for _, _, r in score_pages(model_text(w, costs, marked_max), held)]
        key = (sum(P.lost(r) for r in rows), -P.f1(rows)[2])
        if os.environ.get("ARCLEAN_TRAIN_VERBOSE"):
            print(f"costs {costs}: lost {key[0]}, F1 {-key[1]:.4f}", file=sys.stderr)
        if best is None or key < best[0]:
            best = (key, costs)
    return best[1]


def train(blocks: list[Blocks]) -> str:
    weights, inner = fit_weights(blocks)
    marked_max = marked_bound(inner, blocks)
    if os.environ.get("ARCLEAN_TRAIN_VERBOSE"):
        print(f"marked_gap_max {marked_max}", file=sys.stderr)
    return model_text(weights, choose_costs(inner, blocks, marked_max), marked_max)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(MODEL), help="where to write the model (default: the core's)")
    a = ap.parse_args()
    blocks = load_blocks(P.training())
    text = train(blocks)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)
    rows = score_pages(text, [b for b in blocks if b.page.kind == "real"])
    for fmt in FORMATS:
        p, r, f1 = P.f1([s for _, m, s in rows if m == fmt])
        print(f"fit (not cross-validated) {fmt}: precision {p:.3f} recall {r:.3f} F1 {f1:.3f}")
    print(f"wrote {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
