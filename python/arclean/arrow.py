"""Cleaning a column of pages at once, with Arrow in and out.

>>> import pyarrow as pa
>>> import arclean.arrow
>>> pages = pa.array(["الرئيسية\\n\\nقال الوزير إن الخطة الجديدة للنقل العام ستبدأ الشهر المقبل.\\n\\nجميع الحقوق محفوظة", None])
>>> table = arclean.arrow.clean(pages)
>>> table.column("text").to_pylist()
['قال الوزير إن الخطة الجديدة للنقل العام ستبدأ الشهر المقبل.', None]
>>> table.schema.names
['text', 'title', 'date', 'date_raw', 'byline', 'source', 'lang', 'url', 'host', 'tags', 'articles', 'removed_share', 'quality', 'error']
>>> round(table.column("quality").to_pylist()[0]["arabic_share"], 2)
1.0

A pandas Series gives a pandas DataFrame with the Series' index, so that its columns assign
back to the frame the pages came from row for row:

>>> import pandas as pd
>>> frame = pd.DataFrame({"page": ["قال الوزير إن الخطة الجديدة للنقل العام ستبدأ الشهر المقبل."]}, index=[7])
>>> frame["body"] = arclean.arrow.clean(frame["page"])["text"]
>>> frame.loc[7, "body"]
'قال الوزير إن الخطة الجديدة للنقل العام ستبدأ الشهر المقبل.'

The column crosses into the core once: an Arrow string array (`string` or `large_string`, also
each chunk of a ChunkedArray) is read in place through the Arrow C data interface, with no copy
of the pages; a list of `str` is borrowed. `quality` is a struct of the quality measures (`arclean.QUALITY_NAMES`;
`table.column("quality").combine_chunks().field("words")` gives one). Rows are cleaned in parallel with the GIL released,
and the results come back as Arrow buffers wrapped without another copy. Null pages give null
rows; a page the core refuses (over `max_bytes`, not UTF-8) gives null results and its `error`.
"""

from __future__ import annotations

from typing import Any

from ._core import QUALITY_NAMES, Cleaner

#: The result's columns, in order.
COLUMNS = ("text", "title", "date", "date_raw", "byline", "source", "lang", "url", "host", "tags", "articles",
           "removed_share", "quality", "error")


def _pa():
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover
        raise ImportError("arclean.arrow needs pyarrow: pip install 'arclean[arrow]'") from None
    return pa


def _chunks(column: Any) -> list:
    """The column as what the core reads: capsule pairs of string arrays, or a list of str."""
    pa = _pa()
    if isinstance(column, list):
        return column
    if not isinstance(column, (pa.Array, pa.ChunkedArray)):
        column = pa.array(column, from_pandas=True)  # a pandas Series, a tuple, a numpy array...
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = []
    for c in chunks:
        if c.type not in (pa.string(), pa.large_string()):
            c = _as_strings(pa, c)
        out.append(c.__arrow_c_array__())
    return out


def _as_strings(pa, chunk):
    """Other string-like types cast to `large_string`: string views, dictionaries of strings,
    nulls, and binary holding UTF-8 (binary that is not UTF-8 is refused: decode it first)."""
    t = chunk.type
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        try:
            return chunk.cast(pa.large_string())
        except pa.ArrowInvalid as e:
            raise TypeError(f"a binary column must hold UTF-8 text to be read in place ({e}); decode it "
                            "first, or give a list of bytes to Cleaner.clean_batch") from None
    if (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)
            or pa.types.is_null(t)):
        return chunk.cast(pa.large_string())
    raise TypeError(f"a column of strings is needed; got {chunk.type}")


def _is_series(column: Any) -> bool:
    return type(column).__module__.startswith("pandas") and hasattr(column, "index") and hasattr(column, "array")


def to_pandas(table: Any, index: Any = None) -> Any:
    """The result of `clean` as a pandas DataFrame: strings and floats as Arrow-backed columns,
    `tags` as Python lists (so that the frame writes to Parquet and reads back in plain pandas),
    with `index` when given."""
    import pandas as pd

    pa = _pa()

    def mapper(t):
        return None if pa.types.is_list(t) or pa.types.is_large_list(t) else pd.ArrowDtype(t)

    frame = table.to_pandas(types_mapper=mapper)
    if index is not None:
        frame.index = index
    return frame


def _buffer(pa, data: bytes | None):
    return None if data is None else pa.py_buffer(data)


def _floats(pa, length: int, buffers: tuple):
    validity, data, nulls = buffers
    return pa.Array.from_buffers(pa.float64(), length, [_buffer(pa, validity), pa.py_buffer(data)], null_count=nulls)


def _strings(pa, length: int, buffers: tuple):
    validity, offsets, data, nulls = buffers
    bufs = [_buffer(pa, validity), pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.large_string(), length, bufs, null_count=nulls)


def clean(column: Any, cleaner: Cleaner | None = None, *, format: str = "auto", **options: Any):
    """Cleans every page of `column` (a pyarrow Array or ChunkedArray of strings, a pandas
    Series, a list of `str`/`None`) and returns a `pyarrow.Table` with the `COLUMNS`, one row
    per page, in order. `cleaner` (or the `Cleaner(**options)` built here) does the work;
    `format` is "auto", "text" or "html" for every row. A pandas Series gives a pandas DataFrame
    indexed like it (`to_pandas`)."""
    pa = _pa()
    if cleaner is None:
        cleaner = Cleaner(**options)
    elif options:
        raise TypeError("give a cleaner or options, not both")
    res = cleaner._clean_column(_chunks(column), format)
    n = res["length"]
    arrays = {}
    for name in ("text", "title", "date", "date_raw", "byline", "source", "lang", "url", "host", "error"):
        arrays[name] = _strings(pa, n, res[name])
    for name in ("tags", "articles"):
        validity, offsets, nulls, values = res[name]
        items = _strings(pa, len(values[1]) // 8 - 1, values)
        arrays[name] = pa.Array.from_buffers(
            pa.large_list(pa.large_string()), n, [_buffer(pa, validity), pa.py_buffer(offsets)],
            null_count=nulls, children=[items])
    arrays["removed_share"] = _floats(pa, n, res["removed_share"])
    # quality: a struct of float64 measures, null where the page is
    fields = [_floats(pa, n, b) for b in res["quality"]]
    mask = None
    if fields and fields[0].null_count:
        mask = fields[0].is_null()
    arrays["quality"] = pa.StructArray.from_arrays(fields, names=list(QUALITY_NAMES), mask=mask)
    table = pa.table({name: arrays[name] for name in COLUMNS})
    return to_pandas(table, column.index) if _is_series(column) else table


__all__ = ["COLUMNS", "clean", "to_pandas"]
