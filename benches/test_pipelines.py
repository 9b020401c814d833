"""arclean inside pipelines: the Arrow column path beside calling `clean` per row from Python,
and a Dask DataFrame cleaned on a LocalCluster of 1 and 2 worker processes (one thread each,
RAYON_NUM_THREADS=1; 16 partitions already on the workers, results kept there), on the same
~10 MB of pages, in the same run.

Run: pytest benches/test_pipelines.py --benchmark-only
"""

from __future__ import annotations

import os

import pytest
from conftest import NOTES, RESULTS, corpus_mb, record

import arclean

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

GROUP = "column of pages"
DASK = "dask DataFrame (processes)"


def test_per_row_python_loop(benchmark, docs):
    c = arclean.Cleaner()
    benchmark.group = GROUP
    benchmark.pedantic(lambda: [c.clean(d).text for d in docs], rounds=3, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, "clean() per row, Python loop", corpus_mb(docs))


def test_arrow_column(benchmark, docs):
    import arclean.arrow

    c = arclean.Cleaner()
    column = pa.array(docs, pa.large_string())
    benchmark.group = GROUP
    benchmark.pedantic(lambda: arclean.arrow.clean(column, c), rounds=3, iterations=1, warmup_rounds=1)
    record(benchmark, GROUP, "arclean.arrow.clean (one call)", corpus_mb(docs))
    rates = RESULTS[GROUP]
    if "clean() per row, Python loop" in rates:
        ratio = rates["arclean.arrow.clean (one call)"] / rates["clean() per row, Python loop"]
        NOTES.append(f"{GROUP}: Arrow column / per-row loop = x{ratio:.2f}")


@pytest.mark.parametrize("workers", [1, 2])
def test_dask_workers(benchmark, docs, workers, monkeypatch):
    distributed = pytest.importorskip("distributed")
    dd = pytest.importorskip("dask.dataframe")
    from arclean.integrations.dask import clean_dataframe

    monkeypatch.setitem(os.environ, "RAYON_NUM_THREADS", "1")  # inherited by the worker processes
    frame = pd.DataFrame({"text": docs})
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        df = dd.from_pandas(frame, npartitions=16).persist()
        benchmark.group = DASK
        # the results stay on the workers (as when they write Parquet): gathering 10 MB of
        # frames to the client would measure the transfer, not the cleaning
        # (each round on a new graph: a round number column, so no result is reused)
        rounds = iter(range(100))
        benchmark.pedantic(lambda: distributed.wait(clean_dataframe(df.assign(round=next(rounds)), "text").persist()),
                           rounds=3, iterations=1, warmup_rounds=1)
    record(benchmark, DASK, f"arclean on {workers} worker(s)", corpus_mb(docs))
    rates = RESULTS[DASK]
    if len(rates) == 2:
        NOTES.append(f"{DASK}: 2 workers / 1 worker = x{rates['arclean on 2 worker(s)'] / rates['arclean on 1 worker(s)']:.2f}")
