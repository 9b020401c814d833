"""Quality measures of a document's body and the filter built on them: the shared table, ranges
and determinism on generated pages, the presets, and the filter in the command line, JSONL
records, Arrow columns and the report."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

import arclean
from arclean.cli import main
from conftest import DATA, SHARED
from pages import pages
from strategies import noisy_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = tomllib.loads((DATA / "quality.toml").read_text(encoding="utf-8"))["case"]
SHARES = [n for n in arclean.QUALITY_NAMES if n not in ("words", "mean_word_length")]
# the duplicate rule would take a repeated paragraph out of the body the table measures
CLEANER = arclean.Cleaner(disable=["duplicate"])


def page_of(text: str) -> str:
    """The case's paragraphs as a page, with a menu above and a footer below."""
    return "الرئيسية\nأخبار\nرياضة\n\n" + text.strip() + "\n\nجميع الحقوق محفوظة\n"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_table(case):
    doc = CLEANER.clean(page_of(case["text"]), format="text")
    paragraphs = [p.strip() for p in case["text"].strip().split("\n\n")]
    assert len(doc.paragraphs) == len(paragraphs), "the cleaner kept the case's paragraphs, and only them"
    for name, (lo, hi) in case["expect"].items():
        assert lo - 1e-6 <= doc.quality[name] <= hi + 1e-6, (name, doc.quality[name])


def in_range(q: dict) -> None:
    assert list(q) == list(arclean.QUALITY_NAMES)
    for name in SHARES:
        assert 0.0 <= q[name] <= 1.0, (name, q[name])
    assert q["words"] >= 0 and q["mean_word_length"] >= 0


@given(pages())
def test_measures_in_range_and_deterministic_on_pages(page):
    for fmt, src in (("text", page.text), ("html", page.html)):
        doc = arclean.clean(src, format=fmt)
        in_range(doc.quality)
        assert arclean.clean(src, format=fmt).quality == doc.quality
        assert doc.quality["confidence"] == pytest.approx(doc.confidence, abs=1e-6)
        if not doc.paragraphs:
            assert doc.quality["words"] == 0


@given(st.lists(noisy_text, min_size=1, max_size=6))
def test_measures_in_range_on_noise(lines):
    doc = arclean.clean("\n\n".join(lines), format="text")
    in_range(doc.quality)
    back = arclean.Document.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert back.quality == doc.quality


def test_quality_check_presets_and_bounds():
    doc = arclean.clean(page_of(CASES[0]["text"]), format="text")
    assert arclean.quality_check(doc, "arabic") is None
    assert arclean.quality_check(doc, "arabic", min_words=500) == "min_words"
    assert arclean.quality_check(doc.quality, max_latin_share=0.0) is None
    assert arclean.quality_check(doc) is None  # no bounds
    assert set(arclean.QUALITY_PRESETS) >= {"arabic", "lenient"}
    with pytest.raises(arclean.ConfigError, match="no measure"):
        arclean.quality_check(doc, min_colour=1)
    with pytest.raises(arclean.ConfigError, match="preset"):
        arclean.quality_check(doc, "strict")
    with pytest.raises(TypeError):
        arclean.quality_check("text")


def test_the_arabic_preset_keeps_every_real_article():
    """The corpus beside the project: real articles from 39 sites, none dropped."""
    pages_ = sorted((SHARED / "corpus" / "text").glob("*.txt"))
    if not pages_:
        pytest.skip("the corpus (../shared/corpus) is not beside the project")
    dropped = {p.name: arclean.quality_check(arclean.clean(p, format="text"), "arabic") for p in pages_}
    assert {k: v for k, v in dropped.items() if v} == {}


def filter_tree(root: Path) -> Path:
    src = root / "in"
    src.mkdir()
    (src / "good.txt").write_text(page_of(CASES[0]["text"]), encoding="utf-8")
    short = "قالت وزارة الزراعة في بيان رسمي اليوم إن موسم الحصاد بدأ مبكرا هذا العام."
    (src / "short.txt").write_text(page_of(short), encoding="utf-8")
    (src / "latin.txt").write_text(page_of(CASES[5]["text"]), encoding="utf-8")
    return src


def test_command_line_filter_drops_and_counts(tmp_path):
    src = filter_tree(tmp_path)
    report = tmp_path / "report.json"
    out = tmp_path / "out.jsonl"
    code = main(["clean", "-q", str(src), "-o", str(out), "--format", "jsonl", "--quality", "arabic",
                 "--quality-bound", "max_latin_share=0.1", "--report", str(report)])
    assert code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(r["source"]).name for r in records] == ["good.txt"]
    assert set(records[0]["quality"]) == set(arclean.QUALITY_NAMES)
    counts = json.loads(report.read_text(encoding="utf-8"))
    assert counts["filtered"] == {"min_words": 1, "max_latin_share": 1}
    # pages as text files: a dropped page gives an empty body
    assert main(["clean", "-q", str(src), "-o", str(tmp_path / "txt"), "--quality", "arabic"]) == 0
    assert (tmp_path / "txt" / "good.txt").read_text(encoding="utf-8")
    assert (tmp_path / "txt" / "short.txt").read_text(encoding="utf-8") == ""


def test_filter_on_jsonl_records_and_from_the_config(tmp_path):
    src = filter_tree(tmp_path)
    records = tmp_path / "pages.jsonl"
    records.write_text("".join(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")},
                                          ensure_ascii=False) + "\n" for p in sorted(src.iterdir())),
                       encoding="utf-8")
    conf = tmp_path / "arclean.toml"
    conf.write_text('[quality]\npreset = "lenient"\nmin_words = 30\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", "-q", str(records), "-o", str(out), "--config", str(conf)]) == 0
    kept = [json.loads(line)["id"] for line in (out / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    assert kept == ["good", "latin"]
    conf.write_text('[quality]\nmin_words = "many"\n', encoding="utf-8")
    assert main(["clean", "-q", str(records), "-o", str(tmp_path / "o2"), "--config", str(conf)]) == 2
    conf.write_text('[quality]\nmin_colour = 3\n', encoding="utf-8")
    assert main(["clean", "-q", str(records), "-o", str(tmp_path / "o3"), "--config", str(conf)]) == 2


def test_arrow_quality_column():
    pa = pytest.importorskip("pyarrow")
    import arclean.arrow

    table = arclean.arrow.clean(pa.array([page_of(CASES[0]["text"]), None]))
    rows = table.column("quality").to_pylist()
    assert rows[1] is None
    assert set(rows[0]) == set(arclean.QUALITY_NAMES)
    doc = arclean.clean(page_of(CASES[0]["text"]))
    assert rows[0]["words"] == doc.quality["words"]
