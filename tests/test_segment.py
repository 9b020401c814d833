"""Sentences and paragraphs: the shared rule table, spans through cleaning and normalization,
other articles on a page, accuracy on the treebank sentences beside the project, properties."""

from __future__ import annotations

import json
import pickle
import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import any_str, noisy_text

import arclean
from arclean import Segmenter

from conftest import DATA, DEV_SET, dev_pages

CASES = tomllib.loads((DATA / "sentences.toml").read_text(encoding="utf-8"))["case"]
TREEBANK = DEV_SET / "sentences-dev.jsonl"


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_rule_table(case):
    got = arclean.sentences(case["text"], split_semicolon=case.get("semicolon", False))
    assert [s.text for s in got] == case["sentences"]
    for s in got:
        a, b = s.span
        assert case["text"][a:b] == s.text


def boundaries(text: str, sentences: list[str]) -> set[int]:
    """End offsets of `sentences` found in order in `text`."""
    out, pos = set(), 0
    for s in sentences:
        s = s.strip()
        if s:
            i = text.index(s, pos)
            pos = i + len(s)
            out.add(pos)
    return out


def f1(pairs, split) -> float:
    tp = fp = fn = 0
    for text, gold in pairs:
        g, p = boundaries(text, gold), boundaries(text, split(text))
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
    return 2 * tp / (2 * tp + fp + fn)


def naive(text: str) -> list[str]:
    return re.findall(r"[^.!?؟]*[.!?؟]+|[^.!?؟]+$", text)


def test_treebank_boundaries_at_least_the_naive_split():
    if not TREEBANK.exists():
        pytest.skip("the development set (../shared/dev-set) is not beside the project")
    docs = [json.loads(line) for line in TREEBANK.read_text(encoding="utf-8").splitlines() if line]
    pairs = [(d["text"], d["sentences"]) for d in docs]
    ours = f1(pairs, lambda t: [s.text for s in arclean.sentences(t)])
    base = f1(pairs, naive)
    assert ours >= base, (ours, base)
    assert ours >= 0.99


def test_hard_cases_far_above_the_naive_split():
    pairs = [(c["text"], c["sentences"]) for c in CASES if not c.get("semicolon")]
    assert f1(pairs, naive) < 0.85  # the table is hard for a split on every stop
    assert f1(pairs, lambda t: [s.text for s in arclean.sentences(t)]) == 1.0


def test_abbreviations_are_extendable():
    t = "وقالت شركة Acme Corp. Holdings إنها ستوسع أعمالها."
    assert len(arclean.sentences(t)) == 2
    assert len(arclean.sentences(t, abbreviations=("Corp.",))) == 1
    seg = Segmenter(abbreviations=["Corp."], split_semicolon=True)
    assert pickle.loads(pickle.dumps(seg)).abbreviations == ["Corp."]
    assert pickle.loads(pickle.dumps(seg)).split_semicolon
    cleaner = arclean.Cleaner(abbreviations=["Corp."], split_semicolon=True)
    again = pickle.loads(pickle.dumps(cleaner))
    page = "مقدمة الخبر هنا\n\nوقالت شركة Acme Corp. Holdings إنها ستوسع أعمالها؛ وتفتح فروعاً جديدة في المنطقة."
    for c in (cleaner, again):
        assert [s.text for s in c.clean(page).sentences] == [
            "وقالت شركة Acme Corp. Holdings إنها ستوسع أعمالها؛",
            "وتفتح فروعاً جديدة في المنطقة.",
        ]


def test_paragraphs_of_plain_text():
    t = "\n فقرة أولى. فيها جملتان.\nوسطر ثان\n\n\n  فقرة ثانية؟  \n"
    ps = arclean.paragraphs(t)
    assert [p.text for p in ps] == ["فقرة أولى. فيها جملتان.\nوسطر ثان", "فقرة ثانية؟"]
    assert [[s.text for s in p.sentences] for p in ps] == [
        ["فقرة أولى.", "فيها جملتان.", "وسطر ثان"],
        ["فقرة ثانية؟"],
    ]
    for p in ps:
        assert t[p.span[0]:p.span[1]] == p.text
        for s in p.sentences:
            assert t[s.span[0]:s.span[1]] == s.text
    assert arclean.paragraphs("") == [] and arclean.sentences(" \n ") == []


def check_document_spans(page: str, doc) -> None:
    """Sentence spans slice the body text to the sentence and the input to its source."""
    for p in doc.paragraphs:
        a, b = p.text_span
        assert doc.text[a:b] == p.text
        last = p.text_span[0]
        for s in p.sentences:
            a, b = s.text_span
            assert doc.text[a:b] == s.text
            assert p.text_span[0] <= a and b <= p.text_span[1] and a >= last
            last = b
            i, j = s.span
            assert p.span[0] <= i <= j <= p.span[1]
            assert arclean.normalize(page[i:j]) == s.text


def test_spans_on_the_dev_pages(dev_texts):
    for page in dev_texts:
        doc = arclean.clean(page)
        assert doc.sentences
        check_document_spans(page, doc)
        assert [s.text for s in doc.sentences] == [s.text for p in doc.paragraphs for s in p.sentences]


def test_spans_with_bytes_input_count_code_points():
    page = "عنوان\n\nقال د. سامي إن الخطة ﻻ تنتظر. وأضاف أنها ستبدأ غداً!\n"
    doc = arclean.clean(page.encode("utf-8"))
    check_document_spans(page, doc)
    assert [s.text for s in doc.sentences] == ["قال د. سامي إن الخطة لا تنتظر.", "وأضاف أنها ستبدأ غداً!"]
    assert page[slice(*doc.sentences[0].span)] == "قال د. سامي إن الخطة ﻻ تنتظر."


def test_other_articles_on_the_dev_pages():
    pages = dev_pages()
    if not pages:
        pytest.skip("the development set (../shared/dev-set) is not beside the project")
    with_articles = 0
    for path in pages:
        text = path.read_text(encoding="utf-8")
        doc = arclean.clean(text)
        for art in doc.articles:
            with_articles += 1
            assert art.paragraphs and art.title
            assert art.text == "\n\n".join(p.text for p in art.paragraphs)
            for p in art.paragraphs:
                assert p.text not in doc.text, "an appended article is not body"
                assert text[slice(*p.span)].strip()
    # the pages with a second article after a read-also marker are found, and only those
    assert with_articles == 2, with_articles


@given(st.lists(st.one_of(noisy_text, st.sampled_from([". ", "؟ ", "...", "!", "\n", "«", "»", "3.5", "د. ", "\n\n"])), max_size=30).map("".join))
def test_sentences_cover_the_text(text):
    ss = arclean.sentences(text)
    assert re.sub(r"\s", "", "".join(s.text for s in ss)) == re.sub(r"\s", "", text)
    last = 0
    for s in ss:
        a, b = s.span
        assert a >= last and b > a and text[a:b] == s.text and s.text == s.text.strip()
        last = b


@given(st.lists(st.sampled_from(["كلمة", "أخرى", "3", "،", "«نص»", ":", "-", "A"]), min_size=1, max_size=20).map(" ".join))
def test_text_without_stops_is_one_sentence(text):
    assert [s.text for s in arclean.sentences(text)] == [text.strip()]


@given(any_str)
def test_any_str(text):
    try:
        ss = arclean.sentences(text)
        ps = arclean.paragraphs(text)
    except arclean.DecodeError:
        return
    assert sum(len(p.sentences) for p in ps) == len(ss)
