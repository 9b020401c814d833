"""Properties of normalization that must hold for any text and any choice of switches."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import ARABIC_LETTERS, any_str, noisy_text

import arclean
from arclean import PRESETS, SWITCHES, DecodeError, Normalizer

switch_sets = st.dictionaries(st.sampled_from(SWITCHES), st.booleans())


def in_ranges(ch: str, *ranges: tuple[int, int]) -> bool:
    return any(a <= ord(ch) <= b for a, b in ranges)


def is_diacritic(ch: str) -> bool:
    return in_ranges(ch, (0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06DC),
                     (0x06DF, 0x06E4), (0x06E7, 0x06E8), (0x06EA, 0x06ED), (0x08CA, 0x08E1), (0x08E3, 0x08FF))


def is_presentation_form(ch: str) -> bool:
    return in_ranges(ch, (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)) and unicodedata.normalize("NFKC", ch) != ch


INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u00ad\u180e"


def tatweels_inside_words(out: str) -> list[int]:
    """Positions of tatweels with a letter or mark of an Arabic word on both sides."""
    def word(c):
        return ("\u0620" <= c <= "\u064a" and c != "\u0640") or "\u0671" <= c <= "\u06d3" or is_diacritic(c) \
            or "\ufb50" <= c <= "\ufefc" or "\u0750" <= c <= "\u077f" or c in "\u066e\u066f\u06d5\u06ee\u06ef\u06fa\u06fb\u06fc\u06ff"
    found = []
    for i, c in enumerate(out):
        if c != "\u0640":
            continue
        before = [x for x in out[:i] if x != "\u0640" and x not in INVISIBLE]
        after = [x for x in out[i + 1:] if x != "\u0640" and x not in INVISIBLE]
        if before and after and word(before[-1]) and word(after[0]):
            found.append(i)
    return found


#: For each switch: what must not be left in the output when it is on.
LEFT_BEHIND = {
    "fold_presentation_forms": lambda out: [c for c in out if is_presentation_form(c) and c != "\ufeff"],
    "strip_tatweel": lambda out: tatweels_inside_words(out),
    "strip_invisible": lambda out: [c for c in out if c in "\u200B\u200E\u200F\u061C\u202A\u202B\u202C\u202D\u202E"
                                    "\u2060\u2066\u2067\u2068\u2069\uFEFF\u00AD"],
    "fold_persian_letters": lambda out: [c for c in out if c in "یکڪۀہۂھەۃ"],
    "fold_spaces": lambda out: [c for c in out if c in "\u00A0\u2009\u3000\u202F\u000B\u000C\u2000\u205F"],
    "collapse_spaces": lambda out: re.findall(r"[ \t]{2,}|\t", out),
    "trim_lines": lambda out: [ln for ln in out.split("\n") if ln != ln.strip(" \t") and "\r" not in ln],
    "normalize_newlines": lambda out: [c for c in out if c in "\r\u2028\u2029\u0085"],
    "strip_diacritics": lambda out: [c for c in out if is_diacritic(c)],
    "fold_alef": lambda out: [c for c in out if c in "أإآٱٲٳ"],
    "fold_alef_maksura": lambda out: [c for c in out if c == "ى"],
    "fold_teh_marbuta": lambda out: [c for c in out if c == "ة"],
    "fold_hamza": lambda out: [c for c in out if c in "ؤئ"],
    "fold_digits": lambda out: [c for c in out if in_ranges(c, (0x0660, 0x0669), (0x06F0, 0x06F9))],
    "collapse_elongation": lambda out: re.findall("(" + "|".join(f"{c}{c}{c}" for c in ARABIC_LETTERS) + ")", out),
    "fold_punctuation": lambda out: [c for c in out if c in "،؛؟«»٪٫۔"],
}


def test_every_switch_has_a_left_behind_check():
    assert set(LEFT_BEHIND) == set(SWITCHES)


@given(noisy_text, st.sampled_from(PRESETS), switch_sets)
def test_idempotent_for_every_preset_and_switch_set(text, preset, switches):
    n = Normalizer(preset, **switches)
    once = n.normalize(text)
    assert n.normalize(once) == once


@given(noisy_text, st.sampled_from(PRESETS), switch_sets)
def test_nothing_an_active_fold_removes_is_left(text, preset, switches):
    n = Normalizer(preset, **switches)
    out = n.normalize(text)
    for name, on in n.switches.items():
        if on:
            assert LEFT_BEHIND[name](out) == [], name


@given(noisy_text, st.sampled_from(PRESETS), switch_sets)
def test_aligned_and_plain_agree(text, preset, switches):
    n = Normalizer(preset, **switches)
    assert n.normalize_aligned(text).text == n.normalize(text)


@given(noisy_text, st.sampled_from(PRESETS), switch_sets)
def test_alignment_is_monotone_and_covers_the_input(text, preset, switches):
    n = Normalizer(preset, **switches)
    a = n.normalize_aligned(text)
    spans = a.spans()
    assert len(spans) == len(a.text)
    covered = [False] * len(text)
    prev = (0, 0)
    for s, e in spans:
        assert 0 <= s <= e <= len(text)
        assert s >= prev[0] and e >= prev[1], "spans go forward"
        assert s >= prev[1] or (s, e) == prev, "spans overlap only when one input maps to several outputs"
        for k in range(s, e):
            covered[k] = True
        prev = (s, e)
    # whatever no output character came from was removed by a fold: spaces, line ends, marks,
    # invisible characters, or a stretched letter's repeats
    for k, ch in enumerate(text):
        if not covered[k]:
            assert (ch.isspace() or unicodedata.category(ch) in ("Mn", "Cf") or ch == "\u0640"
                    or ch in ARABIC_LETTERS
                    or all(unicodedata.category(x) == "Mn" or x in " \u0640" for x in unicodedata.normalize("NFKC", ch))), (k, ch)
    assert a.to_input(0, len(a.text))[1] <= len(text)


@given(noisy_text, st.sampled_from(PRESETS))
def test_batch_matches_single(text, preset):
    n = Normalizer(preset)
    texts = [text, text[::-1], "", text * 2]
    assert n.normalize_batch(texts) == [n.normalize(t) for t in texts]


@given(any_str)
def test_any_str_gives_text_or_a_clear_error(text):
    for preset in PRESETS:
        try:
            out = arclean.normalize(text, preset=preset)
        except DecodeError as e:
            assert "not valid unicode" in str(e)
            assert any(0xD800 <= ord(c) <= 0xDFFF for c in text)
        else:
            assert isinstance(out, str)


plain_word = st.text(
    alphabet=st.characters(
        exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"),
        exclude_characters="\u0085",
    ).filter(lambda c: not in_ranges(c, (0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF),
                                         (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    min_size=1,
    max_size=8,
)
plain_text = st.lists(st.lists(plain_word, max_size=6).map(" ".join), max_size=5).map("\n".join)


@given(plain_text, st.sampled_from(PRESETS))
def test_text_without_arabic_or_special_spaces_is_unchanged(text, preset):
    assume(all(not c.isspace() or c in " \n" for c in text))
    assert arclean.normalize(text, preset=preset) == text


# one-, two- and four-byte strings as CPython stores them: ASCII, Latin-1, Arabic (BMP) and
# characters beyond the BMP, mixed or alone
_WIDTHS = st.one_of(
    st.text(st.characters(max_codepoint=0x7F)),
    st.text(st.characters(max_codepoint=0xFF)),
    st.text(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(" \u00e9\u0640\ufefb\n")),
    st.text(st.characters(exclude_categories=("Cs",))),
)


@given(st.lists(_WIDTHS, max_size=6), st.sampled_from(PRESETS))
def test_str_bytes_and_batch_give_the_same_text_whatever_the_storage_width(texts, preset):
    n = Normalizer(preset)
    singles = [n.normalize(t) for t in texts]
    assert [s.encode("utf-8") for s in singles] == [n.normalize(t.encode("utf-8")) for t in texts]
    assert n.normalize_batch(texts) == singles == n.normalize_batch(texts, parallel=False)
    for t, s in zip(texts, singles):
        assert s == t or s is not t
        # a result is a canonical str: equal to the same text built by CPython's own codec
        assert s == s.encode("utf-8").decode("utf-8") and hash(s) == hash(s.encode("utf-8").decode("utf-8"))
        assert arclean.normalize(t, preset) == s
