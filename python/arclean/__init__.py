r"""arclean: clean, normalize and segment Arabic text, over a Rust core.

>>> import arclean
>>> doc = arclean.clean("الرئيسية\n\nوقال الوزير إن الحكومة ستعلن خطتها الجديدة للنقل العام خلال الأسبوع المقبل.\n\nجميع الحقوق محفوظة")
>>> doc.text
'وقال الوزير إن الحكومة ستعلن خطتها الجديدة للنقل العام خلال الأسبوع المقبل.'
>>> [r.reason for r in doc.removed]
['menu', 'copyright']
>>> arclean.normalize("العــربيـة")
'العربية'
>>> arclean.normalize("أَهْلاً وسهلاً", preset="search")
'اهلا وسهلا'
"""

from __future__ import annotations

from functools import lru_cache

from . import errors
from ._core import (
    DEFAULT_MAX_BYTES,
    PRESETS,
    SWITCHES,
    Aligned,
    Article,
    Block,
    Cleaner,
    Document,
    Normalizer,
    Paragraph,
    Removed,
    Segmenter,
    Sentence,
    __version__,
    reasons,
)
from .errors import ArcleanError, ConfigError, DecodeError, InputTooLargeError

__all__ = [
    "Aligned",
    "Article",
    "Block",
    "Cleaner",
    "DEFAULT_MAX_BYTES",
    "Document",
    "Paragraph",
    "Removed",
    "Segmenter",
    "Sentence",
    "clean",
    "clean_batch",
    "reasons",
    "ArcleanError",
    "ConfigError",
    "DecodeError",
    "InputTooLargeError",
    "Normalizer",
    "PRESETS",
    "SWITCHES",
    "__version__",
    "errors",
    "normalize",
    "normalize_batch",
    "paragraphs",
    "sentences",
]


@lru_cache(maxsize=64)
def _cached(cls: type, preset: str, options: tuple[tuple[str, object], ...]):
    return cls(preset, **dict(options))


def _compiled(cls: type, preset: str, options: dict):
    """A `Normalizer` or `Cleaner` for these options, compiled once while the options hash."""
    try:
        return _cached(cls, preset, tuple(sorted(options.items())))
    except TypeError:  # unhashable values (lists, dicts): build one; the core checks them
        return cls(preset, **options)


def normalize(text: str, preset: str = "safe", **switches: bool) -> str:
    """Fold orthographic variants of Arabic text.

    Presets: ``safe`` (presentation forms, tatweel, invisible characters, Persian look-alike
    letters, spaces and line ends) keeps every meaning-bearing letter; ``search`` adds the lossy
    folds used for retrieval (diacritics, alef and hamza forms, alef maksura, teh marbuta, digits,
    stretched letters); ``none`` starts from nothing. Every fold in `SWITCHES` can be turned on or
    off by keyword.

    >>> normalize("ﻻ إله إلا الله")
    'لا إله إلا الله'
    >>> normalize("كتابة ٣ كتب", preset="search", fold_teh_marbuta=False)
    'كتابة 3 كتب'

    Raises:
        ConfigError: unknown preset or switch.
        DecodeError: `text` holds a lone surrogate.
    """
    return _compiled(Normalizer, preset, switches).normalize(text)


def normalize_batch(texts: list[str], preset: str = "safe", **switches: bool) -> list[str]:
    """`normalize` over many texts in one call, in parallel with the GIL released.

    >>> normalize_batch(["مرحباااا", "ی"], preset="search")
    ['مرحبا', 'ي']
    """
    return _compiled(Normalizer, preset, switches).normalize_batch(texts)


def clean(page: str | bytes, preset: str = "safe", *, format: str = "auto", **options) -> Document:
    r"""Remove boilerplate from a scraped page and return its article.

    `page` is plain text as scrapers save it or an HTML page; `format` is "auto" (HTML when the
    page looks like HTML), "text" or "html". Bytes are decoded: text by byte-order mark, else
    UTF-8; HTML by byte-order mark, valid UTF-8, the page's declared charset, else detection
    (windows-1256, ISO-8859-6, ...). Spans point into the (decoded) page.
    The body is normalized with `preset` (and any switches given by keyword) and split into
    paragraphs and sentences; `extra_phrases` ({family: [phrase, ...]}), `disable` ([family or
    rule, ...]), `max_bytes`, `split_semicolon` and `abbreviations` are passed to `Cleaner`.
    Articles saved after the main one (behind a read-also marker) are in `Document.articles`. Cleaners are cached by their options; with list or dict options, which do not
    hash, build a `Cleaner` once for many pages.

    >>> d = clean("عاجل\n\nأعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة يضم مئتي سرير.\n\nالمصدر: وكالات")
    >>> d.text, d.meta
    ('أعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة يضم مئتي سرير.', {'source': 'وكالات'})
    >>> d.paragraphs[0].sentences[0].span
    (6, 68)
    >>> h = clean("<html><body><nav><a href='/'>الرئيسية</a></nav><article><h1>افتتاح مستشفى</h1>"
    ...           "<p>أعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة يضم مئتي سرير.</p></article></body></html>")
    >>> h.title, h.text
    ('افتتاح مستشفى', 'أعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة يضم مئتي سرير.')

    Raises:
        ConfigError: unknown preset, switch, phrase family or rule.
        DecodeError: bytes that are not UTF-8 (or UTF-16 with a byte-order mark).
        InputTooLargeError: a page over `max_bytes`.
    """
    return _compiled(Cleaner, preset, options).clean(page, format)


def clean_batch(
    pages: list[str | bytes], preset: str = "safe", *, format: str = "auto", **options
) -> list[Document]:
    """`clean` over many pages in one call, in parallel in Rust with the GIL released."""
    return _compiled(Cleaner, preset, options).clean_batch(pages, format)


def sentences(
    text: str, *, split_semicolon: bool = False, abbreviations: tuple[str, ...] = ()
) -> list[Sentence]:
    """Split text that needs no cleaning into sentences, with their spans in `text`.

    A sentence never crosses a line break; stops inside numbers, dates, links and after
    abbreviations (`د.`, `أ.د.`, `U.S.`, and any given in `abbreviations`) do not end one, nor does
    an ellipsis inside a line. `split_semicolon` makes `؛` and `;` end sentences too.

    >>> [s.text for s in sentences("قال د. أحمد إن النمو بلغ 3.5 بالمئة. هل يستمر؟ ربما...")]
    ['قال د. أحمد إن النمو بلغ 3.5 بالمئة.', 'هل يستمر؟', 'ربما...']
    >>> sentences("أولاً. ثانياً")[1].span
    (7, 13)
    """
    return _segmenter(split_semicolon, tuple(abbreviations)).sentences(text)


def paragraphs(
    text: str, *, split_semicolon: bool = False, abbreviations: tuple[str, ...] = ()
) -> list[Paragraph]:
    r"""Split text into paragraphs at blank lines, each with its sentences; spans in `text`.

    >>> [len(p.sentences) for p in paragraphs("جملة أولى. جملة ثانية.\n\nفقرة أخرى")]
    [2, 1]
    """
    return _segmenter(split_semicolon, tuple(abbreviations)).paragraphs(text)


@lru_cache(maxsize=16)
def _segmenter(split_semicolon: bool, abbreviations: tuple[str, ...]) -> Segmenter:
    return Segmenter(split_semicolon=split_semicolon, abbreviations=list(abbreviations))
