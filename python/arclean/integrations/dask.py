"""Dask: clean a DataFrame column or a Bag of pages on any Dask scheduler, a
`distributed` cluster included: the same code runs on one machine or many.

```python
import dask.dataframe as dd
from dask.distributed import Client, LocalCluster
from arclean.integrations.dask import clean_dataframe

client = Client(LocalCluster(n_workers=4, threads_per_worker=1))   # or Client("scheduler:8786")
df = dd.read_json("pages-*.jsonl", lines=True, blocksize="64MB")
clean_dataframe(df, "text").to_parquet("cleaned/")
```
Each partition is cleaned in one call into the core (all of a worker's threads, GIL released);
the `Cleaner` is shipped to workers as its configuration. Rows are independent, so the result is
the same for any partitioning and any number of workers.
"""

from __future__ import annotations

from typing import Any

from .. import arrow
from .._core import Cleaner
from ._batch import cleaner_of


def clean_partition(frame: Any, text_column: str, cleaner: Cleaner, fmt: str = "auto", prefix: str = "") -> Any:
    """One pandas partition: the text column replaced by the body, arclean's columns added."""
    import pandas as pd

    # every column Arrow-backed, tags a list<string> too: Dask writes Parquet from the schema of
    # its meta, and an object column of lists has none
    table = arrow.clean(frame[text_column].array, cleaner, format=fmt)
    out = frame.copy()
    for name in arrow.COLUMNS:
        col = table.column(name).to_pandas(types_mapper=pd.ArrowDtype)
        col.index = frame.index
        out[text_column if name == "text" else prefix + name] = col
    return out


def clean_dataframe(df: Any, text_column: str = "text", cleaner: Cleaner | None = None, *, format: str = "auto",
                    prefix: str = "", **options: Any) -> Any:
    """A Dask DataFrame with `text_column` cleaned and arclean's columns added (lazy)."""
    import pandas as pd

    cleaner = cleaner_of(cleaner, options)
    empty = df._meta if hasattr(df, "_meta") else df.head(0)
    meta = clean_partition(empty.assign(**{text_column: pd.Series([], dtype=object)}), text_column, cleaner,
                           format, prefix)
    return df.map_partitions(clean_partition, text_column, cleaner, format, prefix, meta=meta)


def _clean_records(records: Any, text_key: str | None, cleaner: Cleaner, fmt: str, prefix: str) -> list:
    records = list(records)  # a lazy partition (after .map) is an iterator: read it once
    pages = [r if text_key is None else r[text_key] for r in records]
    table = arrow.clean(pages, cleaner, format=fmt).to_pylist()
    out = []
    for r, row in zip(records, table):
        if text_key is None:
            out.append(row)
        else:
            rec = dict(r)
            rec[text_key] = row.pop("text")
            rec.update({prefix + k: v for k, v in row.items()})
            out.append(rec)
    return out


def clean_bag(bag: Any, text_key: str | None = None, cleaner: Cleaner | None = None, *, format: str = "auto",
              prefix: str = "", **options: Any) -> Any:
    """A Dask Bag of pages (`str`) or of records (`dict`, page under `text_key`) cleaned: pages give
    dicts of arclean's columns, records keep their keys with the page replaced by the body."""
    cleaner = cleaner_of(cleaner, options)
    return bag.map_partitions(_clean_records, text_key, cleaner, format, prefix)


__all__ = ["clean_bag", "clean_dataframe", "clean_partition"]
