"""Properties of `clean` for any input: no exception but the documented ones, every non-blank
line accounted for once, paragraphs are normalized input lines, deterministic in batches."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from strategies import any_str, noisy_text

import arclean
from arclean import Cleaner, DecodeError

lines = st.lists(
    st.one_of(
        noisy_text,
        st.sampled_from([
            "اقرأ أيضا:", "مقالات ذات صلة", "كلمات دلالية: أ، ب", "المصدر: وكالات", "© 2024", "  • قائمة",
            "أعلنت الحكومة اليوم عن خطة جديدة لتطوير شبكة النقل العام في المدن الكبرى خلال عامين.",
            "وقال المتحدث إن الخطة تشمل شراء حافلات كهربائية وبناء محطات جديدة.", "", "",
        ]),
    ),
    max_size=25,
).map("\n".join)


@given(lines)
def test_every_line_is_accounted_for_once(page):
    doc = arclean.clean(page)
    nonblank = [l for l in page.replace("\r\n", "\n").replace("\r", "\n").split("\n") if l.strip()]
    assert len(doc.blocks) == len(nonblank) == len(doc.paragraphs) + len(doc.removed)
    for p in doc.paragraphs:
        s, e = p.span
        assert p.text == arclean.normalize(page[s:e])
    for r in doc.removed:
        s, e = r.span
        assert page[s:e] == r.text


@given(st.lists(lines, max_size=6))
def test_batch_equals_single(pages):
    c = Cleaner()
    assert [d.text for d in c.clean_batch(pages)] == [c.clean(p).text for p in pages]


@given(any_str)
def test_any_str(page):
    try:
        doc = arclean.clean(page)
    except DecodeError:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in page)
    else:
        assert isinstance(doc.text, str)


@given(st.binary(max_size=300))
def test_any_bytes(data):
    try:
        doc = arclean.clean(data)
    except DecodeError as e:
        assert "cannot decode" in str(e)
    else:
        assert isinstance(doc.text, str)
