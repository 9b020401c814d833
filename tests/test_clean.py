"""Boilerplate removal: the development set, the project's own pages in other sites' shapes,
and the API around `clean`."""

from __future__ import annotations

import json
import pickle
import re
import threading

import pytest

import arclean
from arclean import Cleaner, ConfigError, DecodeError, InputTooLargeError
from arclean.cli import main
from conftest import DATA, DEV_SET, run_scorer

PAGES = DATA / "pages"


def score(gold, pred) -> dict[str, float]:
    """Runs the dev set's scorer and returns its TOTAL figures."""
    total = run_scorer(gold, pred).strip().splitlines()[-1]
    return {k: float(v) for k, v in re.findall(r"(precision|recall|f1)=([\d.]+)", total)}


@pytest.fixture(scope="module")
def scorer_available():
    if not (DEV_SET / "score.py").exists():
        pytest.skip("the development set (../shared/dev-set) is not beside the project")


def test_dev_set(scorer_available, tmp_path):
    # the shipped model on the dev set (fitted on it among other pages): F1 0.981, recall 0.964
    # (a subheading and a lead line go: the decoder's costs are chosen for the fewest articles
    # lost over held-out sites, 15 against 19 for the costs that kept both lines)
    out = tmp_path / "out"
    assert main(["clean", str(DEV_SET / "pages"), "-o", str(out)]) == 0
    s = score(DEV_SET / "gold.json", out)
    assert s["recall"] >= 0.96, s
    assert s["f1"] >= 0.98, s


def test_own_pages_in_other_shapes(scorer_available, tmp_path):
    # the shipped model on the project's own pages: F1 0.903 (precision 0.933, recall 0.875)
    out = tmp_path / "out"
    assert main(["clean", str(PAGES), "-o", str(out)]) == 0
    s = score(PAGES, out)
    assert s["recall"] >= 0.85, s
    assert s["f1"] >= 0.88, s


def own_page(name: str):
    text = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    gold = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    return text, gold


def test_a_marker_word_inside_prose_stays():
    text, gold = own_page("prose-markers")
    body = arclean.clean(text).text
    assert "اقرأ أيضاً ما لا يطلبه المنهج" in body
    assert "وشارك في إطلاق الحملة" in body
    assert "أخبار ذات صلة" not in body


def test_mid_article_read_also_removes_only_its_headlines():
    text, gold = own_page("sports-insert")
    doc = arclean.clean(text)
    assert [p.text for p in doc.paragraphs] == [arclean.normalize(k) for k in gold["keep"]]
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons["اقرأ أيضا:"] == "read_also"
    assert reasons["المدرب يعلن قائمة المنتخب لمعسكر الشهر المقبل"] == "read_also"


@pytest.mark.xfail(strict=True, reason="the fitted decoder joins an appended article right behind "
                   "its marker, headline and date: the two gap blocks past the marker cost about 2 "
                   "(marker_block), less than the second article's body log-odds")
def test_an_appended_article_after_read_also_is_not_body():
    text, gold = own_page("appended-article")
    doc = arclean.clean(text)
    assert len(doc.paragraphs) == 3
    assert all(r.reason == "after_article" for r in doc.removed if "السوق" in r.text or "سوقاً" in r.text)


def test_document_fields_and_spans():
    text = (PAGES / "opinion-blog.txt").read_text(encoding="utf-8")
    doc = arclean.clean(text)
    assert doc.title == "لماذا يهجر الطلاب مكتبات الجامعات؟"
    assert doc.meta["byline"] == "د. هالة عبد الرحمن"
    assert doc.meta["date_raw"] == "منذ 3 ساعات" and "date" not in doc.meta  # relative: no ISO date
    assert doc.text == "\n\n".join(p.text for p in doc.paragraphs)
    for p in doc.paragraphs:
        s, e = p.span
        assert arclean.normalize(text[s:e]) == p.text
    for r in doc.removed:
        s, e = r.span
        assert text[s:e] == r.text
        assert r.reason in dict(arclean.reasons())
        assert r.label in ("title", "meta", "boilerplate")
    # every non-blank line is accounted for, once
    assert len(doc.blocks) == len(doc.paragraphs) + len(doc.removed) == sum(1 for l in text.splitlines() if l.strip())


def test_body_is_safe_normalized_by_default_and_switchable():
    page = "وقال الوزیر إن الحکومة ستعلن خطتها الجديدة للنقـــل العام خلال الأسبوع المقبل."
    # `safe` repairs the look-alike letters and keeps the author's tatweel
    assert arclean.clean(page).text == "وقال الوزير إن الحكومة ستعلن خطتها الجديدة للنقـــل العام خلال الأسبوع المقبل."
    assert "للنقل" in arclean.clean(page, strip_tatweel=True).text
    assert arclean.clean(page, preset="search").text.startswith("وقال الوزير ان الحكومه")
    assert arclean.clean(page, preset="none").text == page


def test_bytes_in_and_bad_bytes():
    page = "أعلنت الشركة عن نتائجها السنوية التي أظهرت نمواً في الأرباح بنسبة عشرة في المئة."
    assert arclean.clean(page.encode("utf-8")).text == page
    assert arclean.clean(b"\xef\xbb\xbf" + page.encode("utf-8")).text == page
    assert arclean.clean(page.encode("utf-16")).text == page
    with pytest.raises(DecodeError, match="cannot decode as utf-8: invalid byte at offset 2"):
        arclean.clean(b"ab\xff")
    with pytest.raises(TypeError, match="must be str, bytes or a path"):
        arclean.clean(12)


def test_size_limit_is_a_clear_error():
    with pytest.raises(InputTooLargeError, match="input too large"):
        Cleaner(max_bytes=100).clean("كلمة " * 100)


def test_config_extra_phrases_and_disabled_rules():
    page = "لا تفوّت\n\nأعلنت الشركة عن نتائجها السنوية التي أظهرت نمواً في الأرباح بنسبة عشرة في المئة.\n\nمقالات ذات صلة"
    assert "لا تفوّت" not in Cleaner(extra_phrases={"related": ["لا تفوت"]}).clean(page).text
    doc = Cleaner(disable=["related"]).clean(page)
    assert all(r.reason != "related_marker" for r in doc.removed)
    with pytest.raises(ConfigError, match="rule must be one of"):
        Cleaner(disable=["everything"])
    with pytest.raises(ConfigError, match="phrase family must be one of"):
        Cleaner(extra_phrases={"nope": ["x"]})


def test_cleaner_pickles_with_its_config():
    c = Cleaner("search", fold_hamza=True, extra_phrases={"related": ["لا تفوت"]}, disable=["duplicate"], max_bytes=10_000)
    d = pickle.loads(pickle.dumps(c))
    text, _ = own_page("opinion-blog")
    assert d.clean(text).text == c.clean(text).text
    with pytest.raises(InputTooLargeError):
        d.clean("x" * 20_000)


def test_batch_matches_single_calls_in_order(dev_texts):
    pages = (dev_texts + [own_page(n)[0] for n in ("opinion-blog", "sports-insert")]) * 7
    c = Cleaner()
    batch = c.clean_batch(pages)
    assert [d.text for d in batch] == [c.clean(p).text for p in pages]
    assert [d.text for d in arclean.clean_batch(pages)] == [d.text for d in batch]
    assert [d.text for d in c.clean_batch(pages, parallel=False)] == [d.text for d in batch]
    with pytest.raises(DecodeError, match=r"pages\[1\]"):
        c.clean_batch(["ok", b"\xff"])
    with pytest.raises(DecodeError, match=r"pages\[1\]"):
        c.clean_batch(["ok", b"\xff"], parallel=False)


def test_threads_share_one_cleaner(dev_texts):
    c = Cleaner()
    want = [c.clean(p).text for p in dev_texts]
    got = []

    def work():
        got.append([c.clean(p).text for p in dev_texts])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [want] * 4


def test_idempotent_on_its_own_output(dev_texts):
    for page in dev_texts:
        once = arclean.clean(page).text
        assert arclean.clean(once).text == once


def test_a_page_of_many_lines(dev_texts):
    # cost grows with the input: a page of 90,000 short lines is cleaned in one pass
    page = dev_texts[1] + "\n" + "  • عنصر قائمة\n" * 90_000
    doc = arclean.clean(page)
    # the article stays whole (positions are relative to the page: a borderline subheading may
    # tip either way) and none of the list joins it
    assert set(arclean.clean(dev_texts[1]).text.split("\n")) <= set(doc.text.split("\n"))
    assert "عنصر قائمة" not in doc.text
    assert len(doc.removed) > 90_000
    # a million lines is not one page: refused before its lines are judged (bounded memory)
    with pytest.raises(arclean.InputTooLargeError, match="blocks"):
        arclean.clean(page + "  • عنصر قائمة\n" * 1_000_000)


def test_empty_and_junk_only_pages():
    assert arclean.clean("").text == ""
    assert arclean.clean("\n \n\t\n").blocks == []
    doc = arclean.clean("الرئيسية\nاتصل بنا\n© 2025")
    assert doc.text == "" and len(doc.removed) == 3


def test_explain_lists_every_block(capsys):
    path = PAGES / "sports-insert.txt"
    assert main(["explain", str(path), "--why", "0"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == sum(1 for l in path.read_text(encoding="utf-8").splitlines() if l.strip())
    assert any(" body " in l and "paragraph" in l for l in out)
    assert any("read_also" in l for l in out)
    # with --why, each block is followed by the measurements that weighed most in its score
    assert main(["explain", str(path), "--why", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 * sum(1 for l in path.read_text(encoding="utf-8").splitlines() if l.strip())
    names = set(arclean._core.EVIDENCE_NAMES) | set(arclean._core.CONTEXT_NAMES)
    assert all(w.split()[0] in names for w in out[1::2] if w.strip())


def test_prose_using_words_of_closing_markers_does_not_end_the_article():
    paragraphs = [
        "ناقش البرلمان أمس مشروع قانون جديد لحماية حقوق النشر والملكية الفكرية في البيئة الرقمية.",
        "وقال رئيس اللجنة إن الآراء الواردة في التقرير الحكومي لا تمثل موقف جميع الأعضاء.",
        "وسأل أحد النواب الوزير: ما اسمك في سجل المؤلفين؟ فضحك الحاضرون وتابعوا النقاش حول التعويضات.",
        "ومن المقرر أن يصوت المجلس على المشروع في جلسة الأسبوع المقبل بعد إدخال التعديلات المقترحة.",
    ]
    doc = arclean.clean("\n\n".join(["أخبار", *paragraphs, "جميع الحقوق محفوظة"]))
    assert [p.text for p in doc.paragraphs] == paragraphs


def test_evidence_names_the_decoders_markers():
    page = ("عنوان الخبر\n\nقال الوزير إن الحكومة ستعلن خطتها الجديدة للنقل العام خلال الأسبوع المقبل.\n\n"
            "اقرأ أيضا\n\nمريم says:\n\nأضاف الوزير أن الخطة تشمل خطوط الحافلات والقطارات في المدن الكبرى.\n")
    blocks = arclean.Cleaner().evidence(page)
    marked = {b["text"]: b["marker"] for b in blocks}
    assert marked["اقرأ أيضا"] and marked["مريم says:"]
    assert not any(v for t, v in marked.items() if t.startswith(("قال", "أضاف", "عنوان")))
