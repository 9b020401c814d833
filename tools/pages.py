"""Labelled real pages for fitting and measuring the labeller: the corpus beside the project
(`../shared/corpus`: HTML, its text scrape and a label per line) and the development set (text
scrapes only), with the dev-set scorer's snippet method. Used by `train.py` and `evaluate.py`."""
from __future__ import annotations

import functools
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


def _strip(s: str) -> str:
    return s.replace("\u0640", "") if TATWEEL_BLIND else s


@functools.lru_cache(maxsize=1 << 16)
def _canon_line(line: str) -> str:
    return score.canon(_strip(line))


def _canon_gold(gold: dict) -> dict:
    """The gold snippets in the scorer's canonical form, computed once per page."""
    if "_canon" not in gold:
        gold["_canon"] = {k: [score.canon(_strip(s)) for s in gold[k]] for k in ("keep", "drop")}
    return gold["_canon"]


def _found(c: str, out_c: str, out_lines: set) -> bool:
    """The scorer's `found` on a snippet already in canonical form."""
    if c.strip() == "":
        return False
    if len(c.split()) >= 2 and len(c.strip()) >= 8:
        return c in out_c
    return c in out_lines


@functools.lru_cache(maxsize=1)
def _load_cached() -> tuple:
    return tuple(load())


def load_cached() -> tuple:
    """`load()`, once per process."""
    return _load_cached()


def page_score(gold: dict, body: str) -> tuple[int, int, int, int]:
    """(body snippets kept, body snippets, junk snippets leaked, junk snippets) for one page,
    as the dev-set scorer counts them."""
    g = _canon_gold(gold)
    lines = [_canon_line(l) for l in body.splitlines() if l.strip()]
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
