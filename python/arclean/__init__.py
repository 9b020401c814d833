r"""arclean: clean, normalize and segment Arabic text, over a Rust core.

>>> import arclean
>>> doc = arclean.clean("الرئيسية\n\nوقال الوزير إن الحكومة ستعلن خطتها الجديدة للنقل العام خلال الأسبوع المقبل.\n\nجميع الحقوق محفوظة")
>>> doc.text
'وقال الوزير إن الحكومة ستعلن خطتها الجديدة للنقل العام خلال الأسبوع المقبل.'
>>> [r.reason for r in doc.removed]
['menu', 'copyright']
>>> arclean.normalize("العربیة ﻻ")
'العربية لا'
>>> arclean.normalize("أَهْلاً وسهــلاً", preset="search")
'اهلا وسهلا'
"""

from __future__ import annotations

import os
from typing import Literal

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
    Profile,
    Paragraph,
    Removed,
    Segmenter,
    Sentence,
    __version__,
    QUALITY_NAMES,
    QUALITY_PRESETS,
    iso_date,
    normalize,
    quality_check,
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
    "Format",
    "Preset",
    "Profile",
    "Paragraph",
    "Removed",
    "Segmenter",
    "Sentence",
    "clean",
    "clean_batch",
    "iso_date",
    "quality_check",
    "QUALITY_NAMES",
    "QUALITY_PRESETS",
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


#: What a page is: "auto" decides by looking at it.
Format = Literal["auto", "text", "html"]
#: The normalization presets (see `PRESETS`).
Preset = Literal["safe", "search", "none"]


def _frozen(value: object) -> object:
    """A hashable stand-in for an option's value: lists and sets as tuples, dicts as sorted
    pairs (a str stays a str, so the core can refuse it where a list is needed)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_frozen(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(_frozen(v) for v in value)))
    hash(value)
    return value


_CACHE: dict[tuple, object] = {}
#: the cleaner of each preset without options: `clean`'s common call skips building a key
_PLAIN_CLEANERS: dict[str, Cleaner] = {}
_CACHE_SIZE = 64


def _compiled(cls: type, preset: str, options: dict):
    """A `Normalizer` or `Cleaner` for these options, compiled once: module functions called
    with the same options (lists and dicts included) reuse it."""
    try:
        key = (cls, preset, tuple(sorted((k, _frozen(v)) for k, v in options.items())) if options else ())
    except TypeError:  # a value that cannot be a key (an object): build one; the core checks it
        return cls(preset, **options)
    found = _CACHE.get(key)
    if found is None:
        found = cls(preset, **options)
        if len(_CACHE) >= _CACHE_SIZE:
            try:
                _CACHE.pop(next(iter(_CACHE)), None)
            except (StopIteration, RuntimeError):  # emptied or changed by another thread
                pass
        _CACHE[key] = found
    return found


def normalize_batch(texts: list[str], preset: Preset = "safe", **switches: bool) -> list[str]:
    """`normalize` over many texts in one call, in parallel with the GIL released.

    >>> normalize_batch(["مرحباااا", "ی"], preset="search")
    ['مرحبا', 'ي']
    """
    return _compiled(Normalizer, preset, switches).normalize_batch(texts)


def clean(page: str | bytes | bytearray | memoryview | os.PathLike[str], preset: Preset = "safe", *,
          format: Format = "auto", **options) -> Document:
    r"""Remove boilerplate from a scraped page and return its article.

    `page` is plain text as scrapers save it or an HTML page; `format` is "auto" (HTML when the
    page looks like HTML), "text" or "html". Bytes are decoded: text by byte-order mark, else
    UTF-8; HTML by byte-order mark, valid UTF-8, the page's declared charset, else detection
    (windows-1256, ISO-8859-6, ...). Spans point into the (decoded) page.
    The body is normalized with `preset` (and any switches given by keyword) and split into
    paragraphs and sentences; `extra_phrases` ({family: [phrase, ...]}), `disable` ([family or
    rule, ...]), `max_bytes`, `split_semicolon` and `abbreviations` are passed to `Cleaner`.
    Articles saved after the main one (behind a read-also marker) are in `Document.articles`.
    A path (`pathlib.Path`, any `os.PathLike`) is read and decoded as the command line does
    (legacy encodings detected, mojibake repaired). Cleaners are cached by their options, lists
    and dicts included: repeated calls with the same options compile once.

    >>> d = clean("عاجل\n\nأعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة يضم مئتي سرير.\n\nالمصدر: وكالات")
    >>> d.text, d.meta
    ('أعلنت وزارة الصحة افتتاح مستشفى جديد في المدينة يضم مئتي سرير.', {'source': 'وكالات', 'lang': 'ar'})
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
    cleaner = _PLAIN_CLEANERS.get(preset) if not options else None
    if cleaner is None:
        cleaner = _compiled(Cleaner, preset, options)
        if not options:
            _PLAIN_CLEANERS[preset] = cleaner
    return cleaner.clean(page, format)


def clean_batch(
    pages: list[str | bytes | bytearray | memoryview | os.PathLike[str]], preset: Preset = "safe", *,
    format: Format = "auto", return_exceptions: bool = False, **options
) -> list[Document]:
    """`clean` over many pages in one call, in parallel in Rust with the GIL released; order is
    kept. A page that fails raises (its index named), unless `return_exceptions` is true: then
    its exception stands in its place in the list and every other page is cleaned.

    >>> [type(d).__name__ for d in clean_batch(["نص قصير.", b"\\xff"], return_exceptions=True)]
    ['Document', 'DecodeError']
    """
    return _compiled(Cleaner, preset, options).clean_batch(pages, format, return_exceptions=return_exceptions)


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
    return _segmenter(split_semicolon, abbreviations).sentences(text)


def paragraphs(
    text: str, *, split_semicolon: bool = False, abbreviations: tuple[str, ...] = ()
) -> list[Paragraph]:
    r"""Split text into paragraphs at blank lines, each with its sentences; spans in `text`.

    >>> [len(p.sentences) for p in paragraphs("جملة أولى. جملة ثانية.\n\nفقرة أخرى")]
    [2, 1]
    """
    return _segmenter(split_semicolon, abbreviations).paragraphs(text)


def _segmenter(split_semicolon: bool, abbreviations: object) -> Segmenter:
    return _compiled(_Segmenter, "", {"split_semicolon": split_semicolon, "abbreviations": abbreviations})


def _Segmenter(_preset: str, **options) -> Segmenter:
    return Segmenter(**options)
