"""Dates to ISO 8601 (the shared table tests/data/dates.toml, every month-name family), and the
metadata a page gives of itself: date, language, address, title."""

from __future__ import annotations

import json
import tomllib

import pytest

import arclean
from arclean.cli import main
from conftest import DATA

CASES = tomllib.loads((DATA / "dates.toml").read_text(encoding="utf-8"))["case"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['family']}: {c['text'][:30]}")
def test_every_date_of_the_table(case):
    assert (arclean.iso_date(case["text"]) or "") == case["iso"]


def test_the_table_covers_every_month_family():
    families = {c["family"] for c in CASES}
    for f in ("egyptian and gulf", "levantine", "moroccan", "algerian and tunisian", "hijri", "english"):
        assert f in families


ARTICLE = ("<p>شهدت أسعار القمح ارتفاعا ملحوظا خلال الأسبوع الماضي في أسواق العاصمة، إذ قفز سعر الطن بنحو "
           "خمسة عشر في المئة مقارنة بالشهر السابق.</p><p>وقال تجار إن تراجع الإنتاج المحلي وارتفاع تكاليف "
           "النقل دفعا الأسعار إلى مستويات لم تشهدها الأسواق منذ سنوات طويلة.</p>")


def test_html_metadata_from_a_template():
    page = ('<html lang="en-US"><head><title>ارتفاع أسعار القمح في الأسواق المحلية | الغد</title>'
            '<link rel="canonical" href="https://WWW.Example.com:8443/news/1?ref=home">'
            '<meta property="og:url" content="https://example.com/other">'
            '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"الثلاثاء 4 حزيران 2024",'
            '"headline":"&quot;القمح&quot; يرتفع &amp; الخبز يتبعه","keywords":"اقتصاد, &quot;قمح&quot;"}</script>'
            '</head><body><div><h1 class="logo"><a href="/">الغد</a></h1></div>'
            f'<article>{ARTICLE}</article></body></html>')
    doc = arclean.clean(page)
    assert doc.title == '"القمح" يرتفع & الخبز يتبعه'  # entities left in JSON-LD are decoded
    assert doc.meta["date"] == "2024-06-04" and doc.meta["date_raw"] == "الثلاثاء 4 حزيران 2024"
    assert doc.meta["tags"] == ["اقتصاد", '"قمح"']
    assert doc.meta["lang"] == "ar"  # the text's language, not the template's en-US
    assert doc.meta["url"] == "https://WWW.Example.com:8443/news/1?ref=home"  # canonical before og:url
    assert doc.meta["host"] == "www.example.com"


def test_a_logo_h1_is_not_the_title():
    page = ('<html><head><title>ارتفاع أسعار القمح في الأسواق المحلية | صحيفة الغد</title></head><body>'
            f'<div><h1 class="logo"><a href="/">الغد</a></h1></div><article>{ARTICLE}</article></body></html>')
    assert arclean.clean(page).title == "ارتفاع أسعار القمح في الأسواق المحلية"


def test_an_english_page_keeps_its_declared_language():
    page = ('<html lang="en"><body><article><p>The ministry said the new transport plan will start next month '
            'in the capital and three other cities.</p></article></body></html>')
    assert arclean.clean(page).meta.get("lang") == "en"


def test_a_prayer_times_widget_gives_way_to_the_date_line():
    page = ("الرئيسية\n\nمواقيت الصلاة: الفجر 04:12 الظهر 12:30 العصر 15:48\n\n"
            "ارتفاع أسعار القمح في الأسواق المحلية\n\nالثلاثاء 4 حزيران 2024\n\n"
            + ARTICLE.replace("<p>", "").replace("</p>", "\n\n"))
    doc = arclean.clean(page)
    assert doc.meta["date"] == "2024-06-04" and doc.meta["date_raw"] == "الثلاثاء 4 حزيران 2024"


def test_a_jsonl_record_url_gives_the_address(tmp_path):
    text = "ارتفاع أسعار القمح\n\n" + ARTICLE.replace("<p>", "").replace("</p>", "\n\n")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"url": "https://news.example.org/a/1", "text": text}, ensure_ascii=False) + "\n"
                   + json.dumps({"text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--format", "jsonl", "-q"]) == 0
    first, second = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert first["meta"]["url"] == "https://news.example.org/a/1" and first["meta"]["host"] == "news.example.org"
    assert second["meta"]["url"] is None
