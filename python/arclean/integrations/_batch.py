"""What the integrations share: a cleaner from options, and a column cleaned into named
columns (Arrow arrays), the text column replaced by the body."""

from __future__ import annotations

from typing import Any

from .. import arrow
from .._core import Cleaner


def cleaner_of(cleaner: Cleaner | None, options: dict[str, Any]) -> Cleaner:
    if cleaner is not None and options:
        raise TypeError("give a cleaner or options, not both")
    return cleaner if cleaner is not None else Cleaner(**options)


def cleaned_columns(column: Any, text_column: str, cleaner: Cleaner, fmt: str, prefix: str) -> dict[str, Any]:
    """`{text_column: bodies, prefix+"title": ..., ...}` as pyarrow arrays, in row order."""
    table = arrow.clean(column, cleaner, format=fmt)
    out = {text_column: table.column("text")}
    for name in arrow.COLUMNS[1:]:
        out[prefix + name] = table.column(name)
    return out
