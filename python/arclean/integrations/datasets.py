"""Hugging Face `datasets`: a function for `Dataset.map(..., batched=True)`.

```python
from datasets import load_dataset
from arclean.integrations.datasets import clean_fn

ds = load_dataset("json", data_files="pages.jsonl", split="train")
ds = ds.map(clean_fn("text"), batched=True, batch_size=1000, num_proc=4)
ds = ds.filter(lambda row: row["text"] != "")          # pages without an article
```
The text column is replaced by the body; `title`, `date`, `byline`, `source`, `lang`, `tags`,
`removed_share` and `error` are added (each name after `prefix`). The function pickles (its
`Cleaner` travels as its configuration), so `num_proc` workers get the same cleaner, and the
same rows give the same output for any batch size or number of processes.
"""

from __future__ import annotations

from typing import Any

from .._core import Cleaner
from ._batch import cleaned_columns, cleaner_of


class CleanFn:
    """Cleans the `text_column` of a batch (a dict of lists, or a pyarrow Table when the dataset
    is formatted as "arrow"): the text column replaced, arclean's columns added."""

    def __init__(self, text_column: str = "text", cleaner: Cleaner | None = None, *, format: str = "auto",
                 prefix: str = "", **options: Any):
        self.text_column = text_column
        self.cleaner = cleaner_of(cleaner, options)
        self.format = format
        self.prefix = prefix

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        # `map` hands a lazy batch over an Arrow table (or the table itself with the "arrow"
        # format): the column is read in place and the table comes back with its columns updated
        table = batch if isinstance(batch, pa.Table) else getattr(batch, "pa_table", None)
        if isinstance(table, pa.Table):
            new = cleaned_columns(table.column(self.text_column), self.text_column, self.cleaner, self.format,
                                  self.prefix)
            for name, col in new.items():
                k = table.schema.get_field_index(name)
                table = table.set_column(k, name, col) if k >= 0 else table.append_column(name, col)
            return table
        new = cleaned_columns(list(batch[self.text_column]), self.text_column, self.cleaner, self.format, self.prefix)
        return {name: col.to_pylist() for name, col in new.items()}

    def __repr__(self) -> str:
        return f"CleanFn({self.text_column!r}, {self.cleaner!r}, format={self.format!r}, prefix={self.prefix!r})"


def clean_fn(text_column: str = "text", cleaner: Cleaner | None = None, *, format: str = "auto", prefix: str = "",
             **options: Any) -> CleanFn:
    """A function for `dataset.map(fn, batched=True)`; `options` build a `Cleaner` when none is given."""
    return CleanFn(text_column, cleaner, format=format, prefix=prefix, **options)


__all__ = ["CleanFn", "clean_fn"]
