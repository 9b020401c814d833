"""Hypothesis strategies for Arabic text with the noise scraped pages carry."""

from __future__ import annotations

from hypothesis import strategies as st

ARABIC_LETTERS = [chr(c) for c in range(0x0621, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
DIACRITICS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u06D6", "\u06E1", "\u06ED", "\u0615"]
PERSIAN = list("یکڪۀہۂھەۃ")
DIGITS = [chr(c) for c in range(0x0660, 0x066A)] + [chr(c) for c in range(0x06F0, 0x06FA)]
PUNCT = list("،؛؟«»٪٫٬۔")
PRESENTATION = ["\uFEFB", "\uFEF7", "\uFEF5", "\uFE8D", "\uFEE3", "\uFDF2", "\uFDFA", "\uFE70", "\uFE71",
                "\uFC5E", "\uFB8E", "\uFEFC", "\uFE84", "\uFE94", "\uFEF0"]
INVISIBLE = ["\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\u061C", "\u202A", "\u202E", "\u2066",
             "\u2069", "\uFEFF", "\u00AD", "\u2060"]
SPACES = [" ", " ", "\t", "\u00A0", "\u2009", "\u3000", "\u202F", "\u000B", "\u000C"]
NEWLINES = ["\n", "\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085"]
LATIN = list("abcXYZ019.,!?-()\"'w")
OTHER = ["😀", "👩", "💻", "क", "्", "é", "\u0301", "ا\u0654"]

ARABIC_WITH_NOISE = (
    ARABIC_LETTERS + ["\u0640"] * 3 + DIACRITICS + PERSIAN + DIGITS + PUNCT + PRESENTATION
    + INVISIBLE + SPACES * 3 + NEWLINES + LATIN + OTHER
)

#: Text built from the characters above, with runs (stretched letters, space runs) likely.
noisy_text = st.lists(
    st.one_of(
        st.sampled_from(ARABIC_WITH_NOISE),
        st.builds(lambda c, n: c * n, st.sampled_from(ARABIC_LETTERS + SPACES + ["\u0640"]), st.integers(2, 5)),
    ),
    max_size=60,
).map("".join)

#: Any `str`, lone surrogates included.
any_str = st.text(alphabet=st.characters(codec=None, exclude_categories=()))
