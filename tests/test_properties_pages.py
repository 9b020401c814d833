"""The no-boilerplate promise as properties, on generated pages (tests/pages.py) as text and as
HTML: no catalog line is in the body and the article is never lost entirely (a paragraph of it
at least is kept); the share of article paragraphs kept over a sample of 200 pages stays above
a floor under the shipped model's figures; cleaning is idempotent; the output does not depend on batch size or
threads; every non-blank line is accounted for once.

The labeller is a fitted model: it weighs evidence and can drop a short lead paragraph that a
hand-written rule would keep, so "every paragraph kept" is measured, not promised."""

from __future__ import annotations

from hypothesis import given, note
from hypothesis import strategies as st
from pages import pages

import arclean
from arclean import Cleaner

CLEANER = Cleaner()


def norm(s: str) -> str:
    """What the comparison ignores: the lossy folds of `search`, white space, bullets."""
    return " ".join(arclean.normalize(s, preset="search").replace("•", " ").split()).strip("-* ")


def kept(page, doc) -> int:
    body = [norm(p.text) for p in doc.paragraphs]
    return sum(norm(para) in body for para in page.article)


def check(page, doc) -> None:
    body = [norm(p.text) for p in doc.paragraphs]
    note(f"body: {body}")
    assert kept(page, doc) > 0, "article lost entirely"
    text = norm(doc.text)
    for line in page.boilerplate:
        n = norm(line)
        assert n not in body, f"boilerplate kept: {line}"
        if len(n.split()) >= 4:
            assert n not in text, f"boilerplate kept inside a paragraph: {line}"


def test_a_short_repetitive_page_keeps_its_article():
    closing = "خلال مؤتمر صحفي عقده صباح اليوم."
    article = [
        f"أعلنت وزارة الزراعة أن إنتاج القمح ارتفع بنسبة 2% مقارنة بالعام الماضي {closing}",
        f"قال المتحدث باسم البلدية أن إنتاج القمح ارتفع بنسبة 2% مقارنة بالعام الماضي {closing}",
        f"أعلنت وزارة الزراعة أن المشروع سيوفر نحو 2 فرصة عمل للشباب في المحافظة {closing}",
    ]
    text = "\n".join(["الرئيسية", "", "الرئيسيه", "", "أخبار", "الأكثر مشاهدة اليوم",
                      "خطة جديدة لتطوير شبكة النقل في العاصمة", article[0], article[1],
                      "اقرأ أيضا: الحكومة تقر ميزانية العام المقبل", article[2]])
    body = [norm(p.text) for p in CLEANER.clean(text, "text").paragraphs]
    assert any(norm(a) in body for a in article)


@given(pages())
def test_text_pages_keep_the_article_and_nothing_else(page):
    note(page.text)
    check(page, CLEANER.clean(page.text, "text"))


@given(pages())
def test_html_pages_keep_the_article_and_nothing_else(page):
    note(page.html)
    check(page, CLEANER.clean(page.html, "html"))


def test_share_of_article_paragraphs_kept_on_a_fixed_sample():
    from hypothesis import Phase, seed, settings

    counts = {"text": [0, 0], "html": [0, 0]}

    # the sample is not the same in every run: Hypothesis draws different pages depending on what
    # ran before (seeded or derandomized alike), so the floors hold for any 200 pages
    @seed(2026)
    @settings(max_examples=200, derandomize=False, database=None, phases=[Phase.generate])
    @given(pages())
    def run(page):
        for fmt, src in (("text", page.text), ("html", page.html)):
            counts[fmt][0] += kept(page, CLEANER.clean(src, fmt))
            counts[fmt][1] += len(page.article)

    run()
    shares = {fmt: k / n for fmt, (k, n) in counts.items()}
    print(f"article paragraphs kept on 200 generated pages: {shares}")
    # the shipped model on samples of 200 pages: text 0.888-0.989, HTML 0.957-0.994 (floors below)
    assert shares["text"] >= 0.85, shares
    assert shares["html"] >= 0.93, shares


@given(pages())
def test_cleaning_is_idempotent(page):
    once = CLEANER.clean(page.text).text
    assert CLEANER.clean(once).text == once


@given(pages())
def test_every_line_is_accounted_for_once(page):
    doc = CLEANER.clean(page.text, "text")
    lines = [x for x in page.text.replace("\r\n", "\n").split("\n") if x.strip()]
    assert len(doc.paragraphs) + len(doc.removed) == len(lines)


@given(st.lists(pages(), min_size=1, max_size=6), st.integers(1, 3))
def test_batch_size_and_threads_do_not_matter(batch, threads):
    import tempfile
    from pathlib import Path

    import arclean.arrow

    texts = [p.text for p in batch]
    single = [CLEANER.clean(t).text for t in texts]
    assert [d.text for d in CLEANER.clean_batch(texts)] == single
    assert arclean.arrow.clean(texts, CLEANER).column("text").to_pylist() == single
    with tempfile.TemporaryDirectory() as d:  # the command line's runner on its own pool
        files = []
        for k, t in enumerate(texts):
            f = Path(d) / f"{k}.txt"
            f.write_bytes(t.encode("utf-8"))
            files.append((str(f), None, "text", str(f)))
        runner = arclean._core.Runner(CLEANER, jobs=threads)
        _stats, failures, data = runner.run_files(files)
        cores = arclean._core.Runner(CLEANER, jobs=0).jobs
        assert not failures and runner.jobs == min(threads, cores)
        assert [b.decode("utf-8") for _, b in data] == [t + "\n" if t else t for t in single]
