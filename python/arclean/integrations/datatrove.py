"""datatrove: a pipeline step that cleans each Document's text in place.

```python
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from arclean.integrations.datatrove import ArcleanCleaner

LocalPipelineExecutor(pipeline=[
    JsonlReader("pages/"),
    ArcleanCleaner(),                 # Cleaner options as keyword arguments
    JsonlWriter("cleaned/"),
], tasks=4).run()
```
The body replaces `doc.text`; the title and metadata (`date`, `byline`, `source`, `lang`, `tags`,
`removed_share`, `quality`) go to `doc.metadata` under `arclean_` names; documents left empty
are dropped, and with `quality_preset="arabic"` (or bounds, `quality={"min_words": 80}`) so are
those below the quality bounds. Counters in datatrove's stats: `cleaned`, `dropped_empty`,
`dropped_quality_BOUND`, `failed`, `removed_bytes`. Documents
are cleaned a batch at a time (`batch_size`), in one call into the core each.
"""

from __future__ import annotations

from itertools import islice
from typing import Any

from datatrove.pipeline.base import PipelineStep

from .. import arrow
from .._core import Cleaner, quality_check
from ._batch import cleaner_of


class ArcleanCleaner(PipelineStep):
    name = "🧹 arclean"
    type = "✂️ - FORMAT"

    def __init__(self, cleaner: Cleaner | None = None, *, batch_size: int = 512, format: str = "auto",
                 keep_empty: bool = False, quality_preset: str | None = None,
                 quality: dict[str, float] | None = None, **options: Any):
        super().__init__()
        self.cleaner = cleaner_of(cleaner, options)
        self.batch_size = batch_size
        self.format = format
        self.keep_empty = keep_empty
        self.quality_preset = quality_preset
        self.quality = dict(quality or {})
        if quality_preset is not None or self.quality:
            quality_check({}, quality_preset, **self.quality)  # a wrong preset or bound fails here

    def run(self, data, rank: int = 0, world_size: int = 1):
        it = iter(data)
        while batch := list(islice(it, self.batch_size)):
            with self.track_time(unit="batch"):
                rows = arrow.clean([d.text for d in batch], self.cleaner, format=self.format).to_pylist()
            for doc, row in zip(batch, rows):
                if row["error"] is not None:
                    self.stat_update("failed")
                    doc.metadata["arclean_error"] = row["error"]
                    continue
                before = len(doc.text.encode("utf-8"))
                doc.text = row["text"]
                self.stat_update("removed_bytes", value=before - len(doc.text.encode("utf-8")))
                for key in arrow.COLUMNS:
                    if key not in ("text", "error") and row[key] is not None and row[key] != []:
                        doc.metadata[f"arclean_{key}"] = row[key]
                if not doc.text and not self.keep_empty:
                    self.stat_update("dropped_empty")
                    continue
                if (doc.text and (self.quality_preset is not None or self.quality)
                        and (bound := quality_check(row["quality"], self.quality_preset, **self.quality))):
                    self.stat_update(f"dropped_quality_{bound}")
                    continue
                self.stat_update("cleaned")
                self.update_doc_stats(doc)
                yield doc


__all__ = ["ArcleanCleaner"]
