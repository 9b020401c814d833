"""HTML views of results: one page's blocks as the labeller saw them (`arclean explain --html`),
and a whole run at a glance (`arclean clean --report-html`).

Each view is one self-contained file: inline CSS, no script, no network, right to left, readable
on a phone. Every piece of page text goes through `html.escape`, so a page's markup (a
`<script>` in a scraped line) shows as text.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from typing import Any, Iterable

from . import _core

#: Shades for removed blocks, one per reason in the order of `arclean.reasons()`; neighbouring
#: reasons get different hues.
PALETTE = (
    "#f6c26b", "#9cc5f0", "#f19c9c", "#b7e0a5", "#d4b3ee", "#f5a97f", "#8fd6cf", "#e8a5cf",
    "#c9c98a", "#a9b8f5", "#f3d98b", "#b5d7e8", "#e2b49a", "#c4e3b9",
)

#: Evidence shown under a block in an explain view: its strongest measurements.
WHY_SHOWN = 6

_CSS = """
:root { color-scheme: light; --ink: #1d232a; --soft: #5b6670; --line: #dfe3e8; --kept: #ffffff; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: var(--ink); line-height: 1.7;
  font-family: "Noto Naskh Arabic", "Noto Sans Arabic", "Amiri", "Scheherazade New", "Tahoma",
  "Segoe UI", "Geeza Pro", "DejaVu Sans", sans-serif; font-size: 17px; }
header, main, section { max-width: 60rem; margin: 0 auto; padding: 0.75rem 1rem; }
h1 { font-size: 1.35rem; margin: 0.4rem 0; }
h2 { font-size: 1.1rem; margin: 1rem 0 0.4rem; }
.sub { color: var(--soft); font-size: 0.9rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.8rem; margin: 0.5rem 0; }
dl.meta dt { color: var(--soft); } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.figures { display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0; margin: 0.5rem 0; list-style: none; }
.figures li { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 0.3rem 0.6rem; }
.figures b { display: block; font-size: 1.1rem; }
ul.legend { display: flex; flex-wrap: wrap; gap: 0.35rem; padding: 0; list-style: none; font-size: 0.85rem; }
ul.legend li { background: var(--c); border-radius: 4px; padding: 0.1rem 0.5rem; }
ul.legend li.kept { background: #fff; border: 1px solid var(--line); }
ol.blocks { list-style: none; padding: 0; margin: 0; }
li.block { background: var(--kept); border: 1px solid var(--line); border-radius: 6px;
  margin: 0.35rem 0; padding: 0.4rem 0.7rem; }
li.block.removed { background: var(--c); border-color: transparent; color: #3b434b; }
li.block.removed p.text { text-decoration: line-through; text-decoration-color: rgba(0,0,0,0.35); }
li.block.title p.text, li.block.meta p.text { text-decoration: none; font-weight: 600; }
p.text { margin: 0.2rem 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.tag { font-size: 0.78rem; color: var(--soft); display: flex; gap: 0.6rem; flex-wrap: wrap; }
li.removed .tag { color: #333; }
.tag .reason { font-weight: 700; }
details { font-size: 0.8rem; } summary { cursor: pointer; color: var(--soft); }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: 0.25rem 0.4rem; text-align: start; vertical-align: top; }
td.num, th.num { text-align: end; }
.num { font-variant-numeric: tabular-nums; direction: ltr; unicode-bidi: isolate; }
.ltr { direction: ltr; unicode-bidi: isolate; text-align: left; font-family: ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
.bars { display: grid; grid-template-columns: minmax(7rem, max-content) 1fr 4.5rem; gap: 0.25rem 0.6rem; align-items: center; }
.bar { height: 1rem; background: var(--c); border-radius: 3px; min-width: 2px; }
tr.all-empty td { background: #fde2e2; }
a { color: #0b5cad; }
@media (max-width: 40rem) { body { font-size: 16px; } header, main, section { padding: 0.5rem; } }
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _colours() -> dict[str, str]:
    return {code: PALETTE[i % len(PALETTE)] for i, (code, _) in enumerate(_core.reasons())}


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _figures(items: Iterable[tuple[str, str]]) -> str:
    cells = "".join(f"<li><b>{_e(v)}</b>{_e(k)}</li>" for k, v in items)
    return f'<ul class="figures">{cells}</ul>'


def _meta_list(pairs: Iterable[tuple[str, Any]]) -> str:
    rows = []
    for k, v in pairs:
        if v in (None, "", []):
            continue
        v = "، ".join(v) if isinstance(v, list) else v
        if k == "url":
            v = urllib.parse.unquote(str(v))  # readable: Arabic paths are percent-encoded
        ltr = ' class="ltr"' if k in ("url", "date") else ""
        rows.append(f"<dt>{_e(k)}</dt><dd{ltr}>{_e(v)}</dd>")
    return f'<dl class="meta">{"".join(rows)}</dl>' if rows else ""


def block_text(text: str, is_html: bool) -> str:
    """A block's text for display: for HTML pages, tags dropped and entities decoded."""
    if is_html:
        return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())
    return text


def explain_html(name: str, page: str, is_html: bool, doc: Any, evidence: list[dict]) -> str:
    """The explain view of one cleaned page: `doc` is its `Document`, `evidence` the list
    `Cleaner.evidence` gave for the same page."""
    colours = _colours()
    described = dict(_core.reasons())
    blocks = doc.blocks
    kept = sum(1 for b in blocks if b.label == "body")
    counts: dict[str, int] = {}
    for b in blocks:
        if b.label != "body":
            counts[b.reason] = counts.get(b.reason, 0) + 1
    kept_chars = sum(len(p.text) for p in doc.paragraphs)
    removed_chars = sum(len(r.text) for r in doc.removed)
    share = removed_chars / (kept_chars + removed_chars) if kept_chars + removed_chars else 0.0
    meta = doc.meta
    head = [
        "<header>",
        "<h1>arclean — ما أبقي وما حذف</h1>",
        f'<p class="sub ltr">{_e(name)} · {"HTML" if is_html else "text"}</p>',
        _meta_list([("title", doc.title), *((k, meta.get(k)) for k in
                    ("date", "author", "source", "section", "tags", "lang", "url"))]),
        _figures([
            ("blocks", str(len(blocks))),
            ("kept as body", str(kept)),
            ("text removed", f"{100 * share:.0f}%"),
            ("paragraphs", str(len(doc.paragraphs))),
            ("sentences", str(len(doc.sentences))),
            ("confidence", f"{doc.confidence:.2f}"),
        ]),
        '<h2>Legend</h2><ul class="legend">',
        f'<li class="kept" title="{_e(described.get("paragraph", ""))}">body (kept) · {kept}</li>',
    ]
    for reason, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        head.append(f'<li style="--c:{colours.get(reason, "#ddd")}" title="{_e(described.get(reason, ""))}">'
                    f"{_e(reason)} · {n}</li>")
    head.append("</ul></header>")
    rows = ['<main><h2>Blocks in reading order</h2><ol class="blocks">']
    for i, b in enumerate(blocks):
        ev = evidence[i] if i < len(evidence) else {}
        text = block_text(page[b.span[0]:b.span[1]], is_html)
        removed = b.label != "body"
        cls = f"block {'removed' if removed else 'kept'} {b.label}"
        style = f' style="--c:{colours.get(b.reason, "#ddd")}"' if removed else ""
        hover = f"{b.label} · {b.reason}: {described.get(b.reason, '')}"
        score = ev.get("body")
        why = "".join(f'<tr><td class="ltr">{_e(n)}</td><td class="num">{c:+.2f}</td></tr>'
                      for n, c in ev.get("why", [])[:WHY_SHOWN])
        path = ev.get("path") or ""
        details = ""
        if why or path:
            details = (
                "<details><summary>evidence</summary>"
                + (f"<table><tr><th>measurement</th><th class=\"num\">weight × value</th></tr>{why}</table>"
                   if why else "")
                + (f'<p class="ltr">{_e(path)}</p>' if path else "")
                + "</details>"
            )
        rows.append(
            f'<li id="b{i}" class="{cls}"{style} data-label="{_e(b.label)}" data-reason="{_e(b.reason)}" '
            f'title="{_e(hover)}">'
            f'<div class="tag"><span class="line">#{b.line}</span><span class="label">{_e(b.label)}</span>'
            f'<span class="reason">{_e(b.reason)}</span>'
            + (f'<span class="num">{score:+.1f}</span>' if score is not None else "")
            + f'</div><p class="text">{_e(text)}</p>{details}</li>'
        )
    rows.append("</ol></main>")
    return _page(f"arclean explain: {name}", "\n".join(head + rows))


def run_html(report: dict, links: dict[str, str] | None = None) -> str:
    """The view of a run from its report (`arclean clean --report`'s data); `links` maps a
    listed page's name (`path`, or `path:line` for a JSONL record) to its explain view."""
    links = links or {}
    colours = _colours()
    described = dict(_core.reasons())
    files = report.get("files", {})
    mb = report.get("bytes_in", 0) / 1e6
    secs = report.get("seconds", 0) or 0
    text = report.get("text_bytes", {})
    total_text = text.get("kept", 0) + text.get("removed", 0)
    parts = [
        "<header>",
        "<h1>arclean — تقرير التشغيل</h1>",
        f'<p class="sub ltr">arclean {_e(report.get("version", ""))} {_e(" ".join(report.get("argv", [])))}</p>',
        _figures([
            ("files", str(files.get("done", 0))),
            ("failed", str(files.get("failed", 0))),
            ("pages", str(report.get("pages", 0))),
            ("MB in", f"{mb:.2f}"),
            ("seconds", f"{secs:.1f}"),
            ("MB/s", f"{mb / secs:.1f}" if secs else "–"),
            ("text removed", f"{100 * report.get('removed_share', 0):.1f}%"),
            ("empty results", str(report.get("empty_results", 0))),
            ("low confidence", str(report.get("low_confidence", 0))),
        ]),
        "</header>",
    ]
    reasons = report.get("reasons", {})
    if reasons and total_text:
        parts.append('<section id="reasons"><h2>Text removed, by reason (share of all text)</h2><div class="bars">')
        top = max(v["bytes"] for v in reasons.values()) or 1
        for r, v in sorted(reasons.items(), key=lambda kv: -kv[1]["bytes"]):
            pct = 100 * v["bytes"] / total_text
            width = 100 * v["bytes"] / top  # the largest reason spans the column
            parts.append(
                f'<span title="{_e(described.get(r, ""))}">{_e(r)}</span>'
                f'<div class="bar" style="--c:{colours.get(r, "#ccc")};width:{max(width, 0.3):.2f}%"></div>'
                f'<span class="num">{pct:.1f}%</span>'
            )
        parts.append("</div></section>")
    look = [("empty result", p) for p in report.get("empty_pages", [])]
    look += [("low confidence", p) for p in report.get("low_confidence_pages", [])]
    if look:
        parts.append('<section id="look"><h2>Pages to look at</h2><table>'
                     "<tr><th>page</th><th>why</th></tr>")
        for why, p in look:
            key = page_key(p)
            cell = _e(key)
            if key in links:
                cell = f'<a href="{_e(links[key])}">{cell}</a>'
            parts.append(f'<tr><td class="ltr">{cell}</td><td>{_e(why)}</td></tr>')
        parts.append("</table></section>")
    sites = report.get("sites", {})
    if sites:
        parts.append('<section id="sites"><h2>Sites</h2><table><tr><th>site</th><th class="num">pages</th>'
                     '<th class="num">MB</th><th class="num">text removed</th><th class="num">empty</th>'
                     '<th class="num">low confidence</th></tr>')
        for site, s in sorted(sites.items(), key=lambda kv: (-kv[1]["pages"], kv[0])):
            t = s["kept"] + s["removed"]
            cls = ' class="all-empty"' if s["pages"] and s["empty_results"] == s["pages"] else ""
            parts.append(
                f'<tr{cls}><td class="ltr">{_e(site)}</td><td class="num">{s["pages"]}</td>'
                f'<td class="num">{s["bytes_in"] / 1e6:.2f}</td>'
                f'<td class="num">{100 * s["removed"] / t if t else 0:.0f}%</td>'
                f'<td class="num">{s["empty_results"]}</td><td class="num">{s["low_confidence"]}</td></tr>'
            )
        parts.append("</table></section>")
    failures = report.get("failures", [])
    if failures:
        parts.append('<section id="failures"><h2>Failures</h2><table><tr><th>input</th><th>kind</th>'
                     "<th>message</th></tr>")
        for f in failures:
            where = f["path"] + (f":{f['line']}" if "line" in f else "")
            parts.append(f'<tr><td class="ltr">{_e(where)}</td><td>{_e(f["kind"])}</td>'
                         f'<td class="ltr">{_e(f["message"])}</td></tr>')
        parts.append("</table></section>")
    return _page("arclean run report", "\n".join(parts))


def page_key(p: dict) -> str:
    """How a listed page is named in a run's view: its path, and `:line` for a JSONL record."""
    return p["path"] + (f":{p['line']}" if "line" in p else "")


__all__ = ["block_text", "explain_html", "page_key", "run_html"]
