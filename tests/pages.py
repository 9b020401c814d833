"""Hypothesis strategies that build scraped pages: article paragraphs written from the project's
own sentence parts, interleaved with blocks of the boilerplate catalog (tests/data/boilerplate.toml)
in the places sites put them, then perturbed the way scraped text is (diacritics, tatweel, hamza
and yeh variants, NBSP and zero-width characters, bullets, CRLF, blank-line changes).

A generated page knows its parts: `Page.article` (the paragraphs that must be the body) and
`Page.boilerplate` (the catalog lines that must not be in it), as text and as HTML.
"""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass, field

from hypothesis import strategies as st

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from conftest import DATA

CATALOG: dict[str, dict] = tomllib.loads((DATA / "boilerplate.toml").read_text(encoding="utf-8"))
PLACES: dict[str, list[str]] = {}
for _family, _spec in CATALOG.items():
    PLACES.setdefault(_spec["place"], []).append(_family)

SUBJECTS = [
    "أعلنت وزارة الزراعة", "قال المتحدث باسم البلدية", "أكد رئيس الجمعية التعاونية", "ذكرت مصادر محلية",
    "أوضح الخبير الاقتصادي سامي حداد", "كشفت دراسة حديثة أجرتها جامعة Oxford", "أفاد تقرير صادر عن البنك المركزي",
    "صرح مدير المستشفى الجامعي", "بينت إحصاءات رسمية نشرت أمس", "أشار المهندس المسؤول عن المشروع",
]
MIDDLES = [
    "أن إنتاج القمح ارتفع بنسبة {n}% مقارنة بالعام الماضي",
    "أن المشروع سيوفر نحو {n} فرصة عمل للشباب في المحافظة",
    "أن شركة Siemens ستتولى تنفيذ المرحلة الثانية من خطة الطاقة",
    "أن عدد الزوار بلغ {n} ألف زائر خلال الأسبوع الأول من افتتاح المعرض",
    "أن أعمال الصيانة في الطريق الدائري ستستمر حتى نهاية الشهر المقبل",
    "أن الأسعار في الأسواق الشعبية استقرت بعد ارتفاع دام {n} أسابيع",
    "أن المدارس ستستقبل الطلاب الجدد اعتبارا من الأول من سبتمبر",
    "أن فريق البحث اختبر {n} عينة من المياه الجوفية في ثلاث قرى",
]
TAILS = [
    " خلال مؤتمر صحفي عقده صباح اليوم.",
    " في بيان نشره على موقعه الرسمي.",
    "، مشيرا إلى أن النتائج النهائية ستعلن قريبا.",
    "، وفق ما نقلته وسائل إعلام محلية.",
    ".",
    "، مضيفا: «نعمل على تسريع الإجراءات قدر الإمكان».",
]
HEADLINES = [
    "خطة جديدة لتطوير شبكة النقل في العاصمة", "ارتفاع إنتاج القمح في المحافظات الشمالية",
    "افتتاح مستشفى جامعي بسعة مئتي سرير", "نتائج دراسة عن المياه الجوفية في الريف",
]

DIACRITICS = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b"]


@dataclass
class Page:
    text: str
    html: str
    article: list[str]
    boilerplate: list[str] = field(default_factory=list)


@st.composite
def sentence(draw) -> str:
    n = draw(st.integers(2, 950))
    body = draw(st.sampled_from(MIDDLES)).format(n=n)
    return f"{draw(st.sampled_from(SUBJECTS))} {body}{draw(st.sampled_from(TAILS))}"


paragraph = st.lists(sentence(), min_size=1, max_size=3, unique=True).map(" ".join)


def norm_key(p: str) -> str:
    """Paragraphs of one article differ (a repeated line is a cue of boilerplate, rightly)."""
    return p[:60]


@st.composite
def perturbed(draw, line: str) -> str:
    """The line as scraped text carries it: some diacritics and tatweel, hamza dropped, Persian yeh,
    alef maksura for a final yeh, NBSP and zero-width characters."""
    ops = draw(st.sets(st.sampled_from(["marks", "tatweel", "hamza", "yeh", "nbsp", "zwj"]), max_size=3))
    seed = draw(st.integers(0, 2**16))
    out = []
    for k, ch in enumerate(line):
        r = (seed * 31 + k * 17) % 100
        inside = k + 1 < len(line) and "\u0621" <= line[k + 1] <= "\u064a"  # a letter follows
        if "hamza" in ops and ch in "أإ" and r < 50:
            ch = "ا"
        if "yeh" in ops and ch == "ي" and r < 30:
            ch = "ی"
        if "nbsp" in ops and ch == " " and r < 30:
            ch = "\u00a0"
        out.append(ch)
        if "\u0621" <= ch <= "\u064a":
            if "marks" in ops and r < 8:
                out.append(DIACRITICS[r % len(DIACRITICS)])
            elif "tatweel" in ops and r in (11, 12) and inside and ch not in "اأإآءؤئةدذرزو":
                out.append("\u0640" * (1 + r % 3))
            elif "zwj" in ops and r == 13:
                out.append("\u200c")
    return "".join(out)


def _family_line(draw, family: str) -> str:
    return draw(st.sampled_from(CATALOG[family]["lines"]))


@st.composite
def pages(draw) -> Page:
    """A page: header furniture, a title, metadata, the article (with inline furniture between
    its paragraphs), then footer furniture and a teaser list after its marker, in any order the
    places allow; perturbed line by line; as text (CRLF or not, one to three line breaks between
    blocks) and as HTML."""
    # (role, lines): "menu", "boilerplate" (header and footer), "title", "meta", "article",
    # "inline" (between paragraphs), "teasers" (a marker and headlines)
    blocks: list[tuple[str, list[str]]] = []
    if draw(st.booleans()):
        items = draw(st.lists(st.sampled_from(CATALOG["menu"]["lines"]), min_size=3, max_size=7, unique=True))
        bullet = draw(st.sampled_from(["", "  • ", "- ", "* "]))
        blocks.append(("menu", [bullet + i for i in items]))
    for family in draw(st.lists(st.sampled_from(["breadcrumb", "section_label"]), unique=True)):
        blocks.append(("boilerplate", [_family_line(draw, family)]))
    title = draw(st.sampled_from(HEADLINES))
    blocks.append(("title", [title]))
    for family in draw(st.lists(st.sampled_from(PLACES["meta"]), unique=True)):
        blocks.append(("meta", [_family_line(draw, family)]))
    paras = draw(st.lists(paragraph, min_size=3, max_size=6, unique_by=norm_key))
    inline_at = draw(st.sets(st.integers(1, len(paras) - 1), max_size=2))
    for k, p in enumerate(paras):
        if k in inline_at:
            if draw(st.booleans()):
                line = _family_line(draw, draw(st.sampled_from(PLACES["inline"])))
            else:  # a read-also link between paragraphs: the marker and a headline on one line
                marker = draw(st.sampled_from(CATALOG["read_also"]["lines"])).rstrip(":")
                line = f"{marker}: {_family_line(draw, 'teaser')}"
            blocks.append(("inline", [line]))
        blocks.append(("article", [p]))
    footer = draw(st.lists(st.sampled_from(PLACES["footer"]), max_size=5, unique=True))
    teasers_at = draw(st.integers(0, len(footer))) if draw(st.booleans()) else None
    for k, family in enumerate(footer + [None]):
        if k == teasers_at:
            marker = _family_line(draw, draw(st.sampled_from(PLACES["teasers"])))
            heads = draw(st.lists(st.sampled_from(CATALOG["teaser"]["lines"]), min_size=2, max_size=5, unique=True))
            blocks.append(("teasers", [marker] + heads))
        if family is not None:
            blocks.append(("boilerplate", [_family_line(draw, family)]))

    perturb = draw(st.booleans())
    out_blocks = []
    for role, lines in blocks:
        out_blocks.append((role, [draw(perturbed(x)) if perturb else x for x in lines]))
    article = [lines[0] for role, lines in out_blocks if role == "article"]
    boilerplate = [x for role, lines in out_blocks if role not in ("article", "title") for x in lines]

    newline = draw(st.sampled_from(["\n", "\r\n"]))
    gaps = draw(st.lists(st.integers(1, 3), min_size=len(out_blocks), max_size=len(out_blocks)))
    text = ""
    for (role, lines), gap in zip(out_blocks, gaps):
        sep = newline if role in ("menu", "teasers") and draw(st.booleans()) else newline * 2
        text += sep.join(lines) + newline * gap
    return Page(text=text, html=as_html(out_blocks), article=article, boilerplate=boilerplate)


def as_html(blocks: list[tuple[str, list[str]]]) -> str:
    """The same page as a site's HTML: menus in a nav, the article in an article element, the
    teaser list in an aside of links, the rest in a footer."""
    e = html.escape
    head, body, tail = [], [], []
    seen_article = False
    for role, lines in blocks:
        if role == "menu":
            head.append("<nav><ul>" + "".join(f'<li><a href="/s/{k}">{e(x)}</a></li>' for k, x in enumerate(lines))
                        + "</ul></nav>")
        elif role == "title":
            body.append(f"<h1>{e(lines[0])}</h1>")
        elif role == "article":
            seen_article = True
            body.append(f"<p>{e(lines[0])}</p>")
        elif role == "teasers":
            items = "".join(f'<li><a href="/n/{k}">{e(x)}</a></li>' for k, x in enumerate(lines[1:]))
            tail.append(f'<aside class="related"><h3>{e(lines[0])}</h3><ul>{items}</ul></aside>')
        elif role == "meta":
            body.append(f'<div class="post-meta">{e(lines[0])}</div>')
        elif role == "inline":
            body.append(f'<div class="ad-slot">{e(lines[0])}</div>')
        elif not seen_article:
            head.append(f'<div class="top-bar">{e(lines[0])}</div>')
        else:
            tail.append(f"<div>{e(lines[0])}</div>")
    return (
        '<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>خبر</title></head><body>'
        f'<header>{"".join(head)}</header><main><article>{"".join(body)}</article>'
        f'{"".join(t for t in tail if t.startswith("<aside"))}</main>'
        f'<footer>{"".join(t for t in tail if not t.startswith("<aside"))}</footer></body></html>'
    )

