"""arclean: clean, normalize and segment Arabic text, over a Rust core.

>>> import arclean
>>> arclean.normalize("العــربيـة")
'العربية'
>>> arclean.normalize("أَهْلاً وسهلاً", preset="search")
'اهلا وسهلا'
"""

from __future__ import annotations

from functools import lru_cache

from . import errors
from ._core import PRESETS, SWITCHES, Aligned, Normalizer, __version__
from .errors import ArcleanError, ConfigError, DecodeError, InputTooLargeError

__all__ = [
    "Aligned",
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
]


@lru_cache(maxsize=64)
def _cached(preset: str, switches: tuple[tuple[str, bool], ...]) -> Normalizer:
    return Normalizer(preset, **dict(switches))


def _normalizer(preset: str, switches: dict[str, bool]) -> Normalizer:
    try:
        return _cached(preset, tuple(sorted(switches.items())))
    except TypeError:  # an unhashable value: let the core name the bad switch
        return Normalizer(preset, **switches)


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
    return _normalizer(preset, switches).normalize(text)


def normalize_batch(texts: list[str], preset: str = "safe", **switches: bool) -> list[str]:
    """`normalize` over many texts in one call, in parallel with the GIL released.

    >>> normalize_batch(["مرحباااا", "ی"], preset="search")
    ['مرحبا', 'ي']
    """
    return _normalizer(preset, switches).normalize_batch(texts)
