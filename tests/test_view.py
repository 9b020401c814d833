"""The HTML views: `arclean explain --html` and `arclean clean --report-html`, their content,
their escaping of page text, the per-site figures and the confidence behind them."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path

import pytest

import arclean
from arclean import _view as view
from arclean.cli import main
from conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))

#: A paragraph of prose and a line that is page markup, as a careless scrape saves it.
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def article(topic: str) -> str:
    para = (f"قالت وزارة {topic} في بيان رسمي اليوم إن العمل في المشروع الجديد بدأ فعليا بعد أشهر من "
            "التحضير والتخطيط، وأضافت أن المرحلة الأولى ستنتهي قبل نهاية العام الحالي إذا سارت الأمور كما هو متوقع.")
    return "\n\n".join(["الرئيسية", "أخبار", f"مشروع جديد لوزارة {topic}", para, para.replace("اليوم", "أمس"),
                        para.replace("الجديد", "الكبير"), "اقرأ أيضا", "عنوان خبر آخر عن الطقس في البلاد"]) + "\n"


def blocks_of(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<li id="b\d+" class="block [^"]*" (?:style="[^"]*" )?data-label="([^"]*)" '
                      r'data-reason="([^"]*)"', page)


def test_explain_view_shows_every_block_with_its_label(tmp_path):
    out = tmp_path / "view.html"
    assert main(["explain", str(SAMPLES[0]), "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    doc = arclean.clean(SAMPLES[0].read_text(encoding="utf-8"), format="text")
    assert blocks_of(page) == [(b.label, b.reason) for b in doc.blocks]
    assert '<html lang="ar" dir="rtl">' in page and 'name="viewport"' in page
    # self-contained: no script, no outside resource
    assert "<script" not in page and not re.search(r'(src|href)="(https?:)?//', page)
    assert f"{doc.confidence:.2f}" in page
    kept = sum(1 for b in doc.blocks if b.label == "body")
    assert f"body (kept) · {kept}" in page


def test_page_text_stays_text(tmp_path):
    src = tmp_path / "page.txt"
    src.write_text(HOSTILE + "\n\n" + article("الصحة"), encoding="utf-8")
    out = tmp_path / "view.html"
    assert main(["explain", str(src), "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert html.escape(HOSTILE) in page


def test_html_page_has_element_paths_and_escaped_entities(tmp_path):
    src = tmp_path / "page.html"
    para = article("النقل").split("\n\n")[3]
    src.write_text(
        '<html><body><nav class="menu"><a href="/">الرئيسية</a></nav><article class="post-body">'
        f"<p>{para}</p><p>&lt;script&gt;alert(2)&lt;/script&gt; {para}</p></article></body></html>",
        encoding="utf-8")
    out = tmp_path / "view.html"
    assert main(["explain", str(src), "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "article.post-body &gt; p" in page and "nav.menu &gt; a" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page and "<script" not in page
    ev = arclean.Cleaner().evidence(src.read_text(encoding="utf-8"), "html")
    assert [e["path"] for e in ev][-1] == "article.post-body > p"
    assert all(e["path"] == "" for e in arclean.Cleaner().evidence(article("النقل"), "text"))


def test_confidence_in_range_and_kept(tmp_path):
    doc = arclean.clean(article("الزراعة"), format="text")
    assert 0.5 < doc.confidence <= 1.0
    assert arclean.Document.from_dict(doc.to_dict()).confidence == pytest.approx(doc.confidence)
    assert arclean.clean("الرئيسية\nأخبار\nرياضة\n", format="text").confidence == 0.0
    for p in sorted((DATA / "pages").glob("*.txt")):
        c = arclean.clean(p.read_text(encoding="utf-8"), format="text").confidence
        assert 0.0 <= c <= 1.0


def test_run_view_lists_sites_pages_to_look_at_and_failures(tmp_path):
    good, bad = tmp_path / "in" / "good-site", tmp_path / "in" / "empty-site"
    good.mkdir(parents=True)
    bad.mkdir(parents=True)
    for k, topic in enumerate(["الصحة", "التعليم", "النقل"]):
        (good / f"p{k}.txt").write_text(article(topic), encoding="utf-8")
    for k in range(2):  # pages with no article: menus only
        (bad / f"menu{k}.txt").write_text("الرئيسية\nأخبار\nرياضة\nاتصل بنا\n", encoding="utf-8")
    (good / "bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    (good / f"{HOSTILE[:8]}.txt").write_text(HOSTILE + "\n", encoding="utf-8")
    report, data = tmp_path / "run.html", tmp_path / "run.json"
    code = main(["clean", "-q", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                 "--report-html", str(report), "--report", str(data)])
    assert code == 1  # the binary file failed
    page = report.read_text(encoding="utf-8")
    counts = json.loads(data.read_text(encoding="utf-8"))
    sites = counts["sites"]
    assert {Path(s).name for s in sites} == {"good-site", "empty-site"}
    empty_site = next(v for s, v in sites.items() if s.endswith("empty-site"))
    assert empty_site["pages"] == empty_site["empty_results"] == 2
    assert page.count('class="all-empty"') == 1
    # every empty page is listed with a link to its explain view, written beside the report
    links = re.findall(r'<a href="([^"]+)">', page)
    assert len(links) == len(counts["empty_pages"]) >= 2
    for link in links:
        target = report.parent / html.unescape(link)
        assert target.is_file() and 'data-label="boilerplate"' in target.read_text(encoding="utf-8")
    assert 'id="failures"' in page and "binary" in page
    assert "<script" not in page and html.escape(HOSTILE[:8]) in page
    assert 'id="reasons"' in page and "menu" in page


def test_report_html_never_lands_on_an_input(tmp_path):
    src = tmp_path / "page.txt"
    src.write_text(article("الصحة"), encoding="utf-8")
    before = src.read_bytes()
    assert main(["clean", "-q", str(src), "-o", str(tmp_path / "out"), "--report-html", str(src)]) == 2
    assert src.read_bytes() == before


def test_run_view_from_a_report_alone():
    page = view.run_html({"files": {"done": 0}, "pages": 0})
    assert "<html" in page and "Sites" not in page


def test_views_in_a_browser(tmp_path):
    """Loads the views in headless Chromium: no console messages, the expected elements in the
    page it built, and a screenshot. CI installs Chromium and sets ARCLEAN_REQUIRE_BROWSER, so
    there a missing browser fails instead of skipping."""
    from browser import chromium, load

    if chromium() is None:
        if os.environ.get("ARCLEAN_REQUIRE_BROWSER"):
            pytest.fail("Chromium is not installed (ARCLEAN_REQUIRE_BROWSER is set)")
        pytest.skip("no Chromium here (CI installs it)")

    pages = tmp_path / "pages"
    pages.mkdir()
    for s in SAMPLES:
        shutil.copy(s, pages / s.name)
    (pages / "menu.txt").write_text("الرئيسية\nأخبار\n" + HOSTILE + "\n", encoding="utf-8")
    report = tmp_path / "report.html"
    assert main(["clean", "-q", str(pages), "-o", str(tmp_path / "out"), "--report-html", str(report)]) == 0
    dom, console, shot = load(report, tmp_path / "report.png")
    assert console == []
    assert 'id="reasons"' in dom and 'id="sites"' in dom and 'id="look"' in dom
    assert "<script>alert" not in dom
    assert shot.stat().st_size > 10_000
    link = re.search(r'<a href="([^"]+)">', dom).group(1)
    dom, console, shot = load(report.parent / html.unescape(link), tmp_path / "explain.png", width=420)
    assert console == [] and dom.count('class="block ') >= 3
