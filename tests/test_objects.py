"""The Python objects behave like the ecosystem's: they pickle, give plain dicts, read as Python
in a notebook, take paths and buffers, say what is wrong with an option, and are typed."""

from __future__ import annotations

import inspect
import json
import multiprocessing
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import arclean
from arclean import ConfigError, DecodeError, InputTooLargeError
from conftest import DATA

from conftest import DEV_SET

# the project's pages, and the development set's (two of them carry an appended article)
PAGES = (sorted((DATA / "pages").glob("*.txt")) + sorted((DATA / "html").glob("*.html"))
         + sorted((DEV_SET / "pages").glob("*.txt")))


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_a_document_pickles_and_comes_back_from_its_dict(path):
    doc = arclean.clean(path)
    d = doc.to_dict()
    assert d["text"] == doc.text and d["title"] == doc.title
    again = pickle.loads(pickle.dumps(doc))
    assert type(again) is arclean.Document
    assert again.to_dict() == d
    through_json = arclean.Document.from_dict(json.loads(json.dumps(d, ensure_ascii=False)))
    assert through_json.to_dict() == d
    assert [s.text for s in through_json.sentences] == [s.text for s in doc.sentences]
    assert [(a.title, a.text) for a in again.articles] == [(a.title, a.text) for a in doc.articles]
    assert [r.span for r in again.removed] == [r.span for r in doc.removed]


def test_the_dict_holds_every_part():
    doc = arclean.clean(DATA / "pages" / "appended-article.txt")
    d = doc.to_dict()
    assert set(d) == {"title", "meta", "text", "confidence", "quality", "paragraphs", "removed", "blocks", "articles"}
    assert 0.0 <= d["confidence"] <= 1.0
    p = d["paragraphs"][0]
    assert set(p) == {"text", "span", "text_span", "sentences"}
    assert set(p["sentences"][0]) == {"text", "span", "text_span"}
    assert set(d["removed"][0]) == {"text", "span", "label", "reason", "block"}
    assert set(d["blocks"][0]) == {"line", "span", "label", "reason"}
    for r in d["removed"]:
        assert d["blocks"][r["block"]]["span"] == r["span"]


@pytest.mark.parametrize("broken, message", [
    ({}, "has no 'title'"),
    ({"title": None, "meta": {}, "paragraphs": [], "removed": [], "blocks": [], "articles": 3}, "not a list"),
    ({"title": None, "meta": {}, "paragraphs": [], "articles": [], "removed": [],
      "blocks": [{"line": 0, "span": [0, 3], "label": "junk", "reason": "menu"}]}, "unknown label 'junk'"),
    ({"title": None, "meta": {}, "paragraphs": [], "articles": [], "blocks": [],
      "removed": [{"text": "x", "span": [0, 1], "label": "meta", "reason": "byline", "block": 4}]}, "not an index"),
    ({"title": None, "meta": {}, "paragraphs": [{"text": "x", "span": [3, 1]}], "articles": [], "removed": [],
      "blocks": []}, "pair"),
])
def test_from_dict_says_what_is_wrong(broken, message):
    with pytest.raises((ValueError, TypeError), match=message):
        arclean.Document.from_dict(broken)


def _body(page: str) -> str:
    return arclean.clean(page).text


def test_clean_runs_in_a_process_pool():
    pages = [p.read_text(encoding="utf-8") for p in sorted((DATA / "pages").glob("*.txt"))]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        docs = pool.map(arclean.clean, pages)
        bodies = pool.map(_body, pages)
    assert [d.text for d in docs] == bodies == [arclean.clean(p).text for p in pages]


def test_reprs_read_as_python_and_show_arabic():
    doc = arclean.clean(DATA / "pages" / "opinion-blog.txt")
    shown = [repr(doc), repr(doc.paragraphs[0]), repr(doc.sentences[0]), repr(doc.removed[0]),
             repr(doc.blocks[0])]
    for r in shown:
        assert "Some(" not in r and "\\u{" not in r and " object at 0x" not in r, r
    assert repr(doc).startswith(f"Document(title={doc.title!r}")
    assert any("\u0600" <= ch <= "\u06ff" for ch in repr(doc.paragraphs[0]))
    assert len(repr(doc.paragraphs[0])) < 150  # long texts are cut
    empty = arclean.clean("")
    assert repr(empty) == "Document(title=None, paragraphs=0, removed=0, articles=0)"
    voweled = repr(arclean.clean("نص فيه تشكيل: كِتَابٌ مُفِيدٌ جِدًّا لِلْقُرَّاءِ.").sentences[0])
    assert "كِتَابٌ" in voweled and "\\u" not in voweled


@pytest.mark.parametrize("obj", [
    arclean.Cleaner(),
    arclean.Cleaner("search", fold_hamza=True, disable=["duplicate", "widget"], max_bytes=1000,
                    split_semicolon=True, abbreviations=["Corp."]),
    arclean.Normalizer("search", fold_alef=False),
    arclean.Normalizer("none", strip_tatweel=True),
    arclean.Segmenter(split_semicolon=True, abbreviations=["Corp.", "Inc."]),
    arclean.Segmenter(),
], ids=repr)
def test_option_holders_repr_as_the_call_that_builds_them(obj):
    names = {"Cleaner": arclean.Cleaner, "Normalizer": arclean.Normalizer, "Segmenter": arclean.Segmenter}
    rebuilt = eval(repr(obj), names)
    assert type(rebuilt) is type(obj) and repr(rebuilt) == repr(obj)
    assert repr(pickle.loads(pickle.dumps(obj))) == repr(obj)


def test_paths_and_buffers_are_pages(tmp_path):
    page = DATA / "pages" / "opinion-blog.txt"
    text = page.read_text(encoding="utf-8")
    expected = arclean.clean(text).text
    assert arclean.clean(page).text == expected
    assert arclean.clean(memoryview(page.read_bytes())).text == expected
    assert arclean.clean(bytearray(page.read_bytes())).text == expected
    # a file in a legacy encoding is detected, as the command line does
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(text.encode("cp1256", errors="replace"))
    assert arclean.clean(legacy).title == arclean.clean(text.encode("cp1256", errors="replace").decode("cp1256")).title
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(DecodeError, match="binary"):
        arclean.clean(binary)
    with pytest.raises(FileNotFoundError):
        arclean.clean(tmp_path / "missing.txt")
    with pytest.raises(InputTooLargeError):
        arclean.Cleaner(max_bytes=100).clean(page)
    docs = arclean.clean_batch([page, text, memoryview(text.encode())])
    assert {d.text for d in docs} == {expected}


def test_a_list_option_given_as_a_str_is_refused_with_the_right_call():
    with pytest.raises(ConfigError, match=r"disable=\['duplicate'\]"):
        arclean.Cleaner(disable="duplicate")
    with pytest.raises(ConfigError, match=r"abbreviations=\['Corp.'\]"):
        arclean.Segmenter(abbreviations="Corp.")
    with pytest.raises(ConfigError, match=r"abbreviations=\['Corp.'\]"):
        arclean.sentences("نص.", abbreviations="Corp.")
    with pytest.raises(ConfigError, match="list of names"):
        arclean.Cleaner(disable=[1])


def test_module_functions_compile_once_for_the_same_options():
    a = arclean._compiled(arclean.Cleaner, "safe", {"disable": ["duplicate"], "extra_phrases": {"related": ["x"]}})
    b = arclean._compiled(arclean.Cleaner, "safe", {"extra_phrases": {"related": ["x"]}, "disable": ["duplicate"]})
    c = arclean._compiled(arclean.Cleaner, "safe", {"disable": ["widget"]})
    assert a is b and a is not c


def test_clean_batch_returns_exceptions_in_place_on_request():
    good = (DATA / "pages" / "opinion-blog.txt").read_text(encoding="utf-8")
    pages = [good, b"ab\xff", 5, "x" * 300, good]
    with pytest.raises(DecodeError, match=r"pages\[1\]"):
        arclean.clean_batch(pages, max_bytes=200_000)
    out = arclean.Cleaner(max_bytes=200).clean_batch(pages, return_exceptions=True)
    assert [type(o).__name__ for o in out] == ["InputTooLargeError", "DecodeError", "TypeError",
                                              "InputTooLargeError", "InputTooLargeError"]
    out = arclean.clean_batch(pages, return_exceptions=True)
    assert isinstance(out[0], arclean.Document) and out[0].text == out[4].text
    assert isinstance(out[1], DecodeError) and "pages[1]" in str(out[1])
    assert isinstance(out[2], TypeError) and "pages[2]" in str(out[2])
    assert isinstance(out[3], arclean.Document)


def _public_classes():
    return [getattr(arclean, n) for n in arclean.__all__ if inspect.isclass(getattr(arclean, n))
            and getattr(arclean, n).__module__ == "arclean._core"]


@pytest.mark.parametrize("cls", _public_classes(), ids=lambda c: c.__name__)
def test_every_public_member_has_a_docstring(cls):
    assert cls.__doc__, cls
    for name, member in vars(cls).items():
        if name.startswith("_"):
            continue
        assert getattr(member, "__doc__", None), f"{cls.__name__}.{name} has no docstring"


def test_the_type_stubs_match_the_extension(tmp_path):
    run = subprocess.run([sys.executable, "-m", "mypy.stubtest", "arclean._core"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
