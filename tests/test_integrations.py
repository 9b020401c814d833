"""arclean in other pipelines: the Arrow column API, Hugging Face datasets, Dask on a real
`distributed` cluster with worker processes, and a datatrove pipeline step. Every path is
compared with cleaning the same pages one by one."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

import arclean
import arclean.arrow

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")

TEXT_PAGES = [p.read_text(encoding="utf-8") for p in sorted((DATA / "pages").glob("*.txt"))]
HTML_PAGES = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((DATA / "html").glob("*.html"))]
MENU_ONLY = "الرئيسية\nأخبار\nرياضة\nاتصل بنا\n"  # no article: an empty body


@pytest.fixture(scope="module")
def pages() -> list[str]:
    return TEXT_PAGES + HTML_PAGES[:2] + [MENU_ONLY]


@pytest.fixture(scope="module")
def expected(pages) -> list[dict]:
    c = arclean.Cleaner()
    rows = []
    for p in pages:
        d = c.clean(p)
        rows.append({"text": d.text, "title": d.title, "date": d.meta.get("date"), "tags": d.meta.get("tags", [])})
    return rows


def _check(table, expected):
    assert table.column("text").to_pylist() == [e["text"] for e in expected]
    assert table.column("title").to_pylist() == [e["title"] for e in expected]
    assert table.column("date").to_pylist() == [e["date"] for e in expected]
    assert table.column("tags").to_pylist() == [e["tags"] for e in expected]
    shares = table.column("removed_share").to_pylist()
    assert all(0.0 <= s <= 1.0 for s in shares)


def test_arrow_column_in_every_shape(pages, expected):
    arr = pa.array(pages)
    _check(arclean.arrow.clean(arr), expected)
    _check(arclean.arrow.clean(pa.array(pages, pa.large_string())), expected)
    _check(arclean.arrow.clean(pa.array(pages, pa.string_view())), expected)
    _check(arclean.arrow.clean(list(pages)), expected)
    _check(arclean.arrow.clean(pa.array([p.encode() for p in pages], pa.binary())), expected)
    _check(arclean.arrow.clean(pa.array(pages).dictionary_encode()), expected)
    # chunks and slices (an Arrow offset) give the same rows
    chunked = pa.chunked_array([arr.slice(0, 3), arr.slice(3, 4), arr.slice(7)])
    _check(arclean.arrow.clean(chunked), expected)
    _check(arclean.arrow.clean(arr.slice(2)), expected[2:])


def test_arrow_nulls_errors_and_empty():
    t = arclean.arrow.clean(pa.array([None, TEXT_PAGES[0], "x" * 500]), max_bytes=400)
    assert t.column("text").to_pylist()[0] is None and t.column("error").to_pylist()[0] is None
    assert t.column("text").to_pylist()[1] is None  # the dev page is over 400 bytes too
    assert "input too large" in t.column("error").to_pylist()[2]
    assert arclean.arrow.clean(pa.array([], pa.string())).num_rows == 0
    with pytest.raises(TypeError, match="column of strings"):
        arclean.arrow.clean(pa.array([1, 2]))
    with pytest.raises(TypeError, match="decode it first"):
        arclean.arrow.clean(pa.array([b"\xff\xfe"], pa.binary()))


def test_a_pandas_series_gives_a_frame_with_its_index(pages, expected):
    index = pd.Index([100 + 7 * i for i in range(len(pages))][::-1], name="page_id")
    series = pd.Series(pages, index=index)
    cleaned = arclean.arrow.clean(series)
    assert isinstance(cleaned, pd.DataFrame) and cleaned.index.equals(index)
    assert list(cleaned.columns) == list(arclean.arrow.COLUMNS)
    frame = pd.DataFrame({"page": series}).sort_index()  # another row order: assignment aligns on the index
    frame["body"] = cleaned["text"]
    assert frame.loc[index, "body"].tolist() == [e["text"] for e in expected]
    assert [list(t) for t in cleaned["tags"]] == [e["tags"] for e in expected]


def test_datasets_map_in_worker_processes(pages, expected):
    datasets = pytest.importorskip("datasets")
    from arclean.integrations.datasets import clean_fn

    ds = datasets.Dataset.from_dict({"id": list(range(len(pages))), "text": pages})
    out = ds.map(clean_fn("text"), batched=True, batch_size=3, num_proc=2)
    assert out["id"] == list(range(len(pages)))
    assert out["text"] == [e["text"] for e in expected]
    assert out["title"] == [e["title"] for e in expected]
    arrow_out = ds.with_format("arrow").map(clean_fn("text", prefix="ac_"), batched=True, batch_size=4)
    assert arrow_out["text"].to_pylist() == [e["text"] for e in expected]
    assert arrow_out["ac_tags"].to_pylist() == [e["tags"] for e in expected]


def test_dask_on_a_local_cluster_matches_one_process(pages):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    from arclean.integrations.dask import clean_bag, clean_dataframe, clean_partition

    frame = pd.DataFrame({"id": range(len(pages) * 3), "text": pages * 3})
    local = clean_partition(frame, "text", arclean.Cleaner())
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        for parts in (1, 4, 7):
            got = clean_dataframe(dd.from_pandas(frame, npartitions=parts), "text").compute()
            pd.testing.assert_frame_equal(got.sort_index(), local)
        import dask.bag as db  # the bag runs on the same cluster (the client is the default)

        records = [{"id": i, "page": p} for i, p in enumerate(pages)]
        cleaned = clean_bag(db.from_sequence(records, npartitions=3), "page").compute()
        # a lazy partition (after a map, as when reading JSON lines) is read once
        lazy = db.from_sequence([json.dumps(r) for r in records], npartitions=3).map(json.loads)
        assert clean_bag(lazy, "page").compute() == cleaned
        assert [r["id"] for r in cleaned] == list(range(len(pages)))
        assert [r["page"] for r in cleaned] == local["text"].tolist()[: len(pages)]
        titles = [None if pd.isna(t) else t for t in local["title"].tolist()[: len(pages)]]
        assert [r["title"] for r in cleaned] == titles


def test_dask_output_reads_back_in_plain_pandas(tmp_path, pages, expected):
    dd = pytest.importorskip("dask.dataframe")
    from arclean.integrations.dask import clean_dataframe

    frame = pd.DataFrame({"id": range(len(pages)), "text": pages})
    clean_dataframe(dd.from_pandas(frame, npartitions=2), "text").to_parquet(tmp_path / "cleaned")
    # pandas cannot rebuild an Arrow list column's dtype from the name it wrote in the file's
    # metadata, so the frame is read with the pyarrow backend
    back = pd.read_parquet(tmp_path / "cleaned", dtype_backend="pyarrow").sort_values("id")
    assert back["text"].tolist() == [e["text"] for e in expected]
    assert [list(t) for t in back["tags"]] == [e["tags"] for e in expected]
    again = dd.read_parquet(tmp_path / "cleaned", dtype_backend="pyarrow").compute().sort_values("id")
    assert again["title"].tolist() == back["title"].tolist()


def test_datatrove_step_in_a_local_executor(tmp_path, pages, expected):
    pytest.importorskip("datatrove")
    from datatrove.data import Document
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.writers import JsonlWriter

    from arclean.integrations.datatrove import ArcleanCleaner

    def reader(data, rank: int = 0, world_size: int = 1):
        for i, p in enumerate(pages):
            yield Document(text=p, id=str(i))

    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[reader, ArcleanCleaner(batch_size=4), JsonlWriter(str(out), compression=None)],
        tasks=1, logging_dir=str(tmp_path / "logs"),
    ).run()
    docs = [json.loads(x) for f in sorted(out.glob("*.jsonl")) for x in f.read_text(encoding="utf-8").splitlines()]
    kept = [(str(i), e) for i, e in enumerate(expected) if e["text"]]
    assert len(kept) < len(pages)  # the menu-only page at least gives an empty body
    assert [d["id"] for d in docs] == [i for i, _ in kept]  # pages with an empty body were dropped
    assert [d["text"] for d in docs] == [e["text"] for _, e in kept]
    titled = [(d, e) for d, (_, e) in zip(docs, kept) if e["title"]]
    assert titled and all(d["metadata"]["arclean_title"] == e["title"] for d, e in titled)
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text(encoding="utf-8"))
    step = next(s for s in stats if "arclean" in s["name"])
    assert step["stats"]["dropped_empty"] == len(pages) - len(kept)
    assert step["stats"]["cleaned"] == len(kept)


def test_other_articles_in_the_column_and_the_records(tmp_path, dev_texts):
    from arclean.cli import main

    with_articles = [t for t in dev_texts if arclean.clean(t).articles]
    assert with_articles, "the development set has pages with an appended article"
    table = arclean.arrow.clean(with_articles + [None])
    assert table.column("articles").to_pylist() == [[a.text for a in arclean.clean(t).articles]
                                                    for t in with_articles] + [None]
    src = tmp_path / "pages.jsonl"
    src.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in with_articles), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--format", "jsonl", "-q"]) == 0
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    for rec, t in zip(recs, with_articles):
        doc = arclean.clean(t)
        assert [a["text"] for a in rec["articles"]] == [a.text for a in doc.articles]
        assert [a["title"] for a in rec["articles"]] == [a.title for a in doc.articles]
        first = rec["articles"][0]["paragraphs"][0]
        assert first["span"] == list(doc.articles[0].paragraphs[0].span)
