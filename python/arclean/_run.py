"""Running a task over many inputs for the command line: planning outputs, resuming, chunks
handed to the core's runner, progress, the summary and the report.

The core reads, decodes, processes and writes every file (in parallel, GIL released); this
module decides what goes where and keeps the counts.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import _core
from ._io import Found, Problem, claim, input_kind, output_names, shown

#: Pages per shard when page records go to an output folder.
SHARD_PAGES = 10_000


@dataclass
class Item:
    path: str
    kind: str  # "page" | "jsonl"
    page: str  # "text" | "html" | "auto"
    size: int
    output: str | None = None
    shard: int | None = None
    label: str | None = None  # the name shown for it, when not its path

    @property
    def name(self) -> str:
        return self.label or shown(self.path)


#: Pages with an empty result listed by name in the report (the count has them all).
EMPTY_LISTED = 10_000


@dataclass
class Totals:
    """Counts of a run, merged from the core's per-chunk counts."""

    files: int = 0
    files_failed: int = 0
    files_skipped: int = 0
    records_failed: int = 0
    stats: dict = field(default_factory=lambda: {
        "pages": 0, "bytes_in": 0, "bytes_out": 0, "kept": 0, "removed": 0, "reasons": {},
        "empty_results": 0, "encodings": {}, "replaced": 0, "mojibake_pages": 0, "mojibake_chars": 0,
        "low_confidence": 0, "sites": {}, "filtered": {},
    })
    failures: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    #: Pages whose result is empty (`path`, and `line` for a JSONL record), the first `EMPTY_LISTED`.
    empty: list = field(default_factory=list)
    #: Pages kept at a low confidence, listed the same way.
    low: list = field(default_factory=list)

    def merge(self, s: dict) -> None:
        t = self.stats
        for k, v in s.items():
            if k in ("empty", "low"):
                continue  # listed by the caller, which knows the paths
            if k == "reasons":
                for r, (n, b) in v.items():
                    old = t["reasons"].get(r, (0, 0))
                    t["reasons"][r] = (old[0] + n, old[1] + b)
            elif k in ("encodings", "filtered"):
                for e, n in v.items():
                    t[k][e] = t[k].get(e, 0) + n
            elif k == "sites":
                for site, counts in v.items():
                    mine = t["sites"].setdefault(site, dict.fromkeys(counts, 0))
                    for c, n in counts.items():
                        mine[c] += n
            else:
                t[k] += v

    def note_empty(self, pages) -> None:
        """Lists pages whose result is empty, up to `EMPTY_LISTED` (the count has them all)."""
        _note(self.empty, pages)

    def note_low(self, pages) -> None:
        """Lists pages kept at a low confidence, up to `EMPTY_LISTED`."""
        _note(self.low, pages)


def _note(into: list, pages) -> None:
    for p in pages:
        if len(into) >= EMPTY_LISTED:
            return
        into.append(p)


class Progress:
    """A bar on a terminal (files, MB, rate, ETA); nothing otherwise. Messages go above it."""

    def __init__(self, total_bytes: int, files: int, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1000,
                            dynamic_ncols=True, file=sys.stderr, leave=False)
            self.files_total = files
            self.files = 0

    def advance(self, nbytes: int, files: int = 0) -> None:
        if self.bar is not None:
            self.files += files
            self.bar.set_postfix_str(f"{self.files}/{self.files_total} files", refresh=False)
            self.bar.update(nbytes)

    def message(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class PlanError(Exception):
    """An output of the run would land on an input or on another output of the whole run."""


def plan(found: list[Found], out: Path | None, *, mode: str, records: bool, forced: str,
         resume: bool, protected: set[str], totals: Totals, reports: Iterable[Path] = ()) -> list[Item]:
    """Gives each input its output and drops those a resumed run already completed.
    `protected`: the inputs' real paths, when the output folder may hold some (empty when the
    output and input folders are apart; the core refuses to write over its own input anyway).

    `mode`: "stdout", "file" (one JSONL file), "folder" (a mirrored tree; page records in shards).

    Every output is checked against the inputs and the other outputs before anything runs: an
    input whose output is taken by another input fails (both named) and the run goes on; a shard
    or a report landing on an input or an output raises `PlanError`.
    """
    items: list[Item] = []
    root = str(out) if out is not None else ""

    def refuse(item: Item, message: str) -> None:
        totals.failures.append({"path": shown(item.path), "kind": "unwritable", "message": message})
        totals.files_failed += 1

    for f in found:
        kind, page = input_kind(f.path, forced)
        items.append(Item(f.path, kind, page, max(f.size, 0), label=f.label))
    taken: dict[str, str] = {}  # output name under `out` -> the input writing it
    if mode == "folder":
        # .txt inputs keep their names; other pages are named after them, jsonl files as they are
        order = sorted(range(len(items)), key=lambda k: (items[k].kind != "jsonl", not found[k].rel.endswith(".txt")))
        for k in order:
            item, rel = items[k], found[k].rel
            if item.kind == "page" and records:
                continue
            names = [rel] if item.kind == "jsonl" else output_names(rel, item.path)
            name = claim(names, item.path, taken)
            if name is None:
                held = "; ".join(f"{shown(os.path.join(root, n))} is the output of {shown(taken[n])}" for n in names)
                refuse(item, f"{shown(item.path)}: not written, no output name left: {held}")
                item.output = ""
                continue
            item.output = os.path.join(root, name)
    kept: list[Item] = []
    pages = 0
    for item in items:
        if item.output == "":
            continue
        if mode == "folder" and item.kind == "page" and records:
            item.shard = pages // SHARD_PAGES
            pages += 1
        if item.output is not None and protected and os.path.realpath(item.output) in protected:
            refuse(item, f"{shown(item.output)}: refusing to overwrite an input file")
            continue
        if resume and item.output is not None and os.path.exists(item.output):
            totals.files_skipped += 1
            continue
        kept.append(item)
    items = kept
    owners = {os.path.normpath(os.path.join(root, n)): src for n, src in taken.items()}
    if mode == "folder" and records and pages:
        for k in range((pages + SHARD_PAGES - 1) // SHARD_PAGES):
            target = str(shard_path(out, k))
            if os.path.realpath(target) in protected:
                raise PlanError(f"{shown(target)}: page records would be written over an input file")
            other = owners.get(os.path.normpath(target))
            if other is not None:
                raise PlanError(f"{shown(target)}: page records would be written over the output of {shown(other)}")
            owners[os.path.normpath(target)] = "the page records"
    inputs: set[str] | None = None  # the inputs' real paths, found only when a report is asked for
    for report in reports:
        if inputs is None:
            inputs = protected or {os.path.realpath(f.path) for f in found}
        other = owners.get(os.path.normpath(str(report)))
        if mode == "file":
            if os.path.realpath(report) == os.path.realpath(out):
                other = "the output"
        if other is not None:
            raise PlanError(f"{shown(report)}: the report would be written over the output of {shown(other)}")
        if os.path.realpath(report) in inputs:
            raise PlanError(f"{shown(report)}: refusing to write the report over an input file")
        owners[os.path.normpath(str(report))] = "the report"
    if mode == "folder" and records and resume:
        done = {i.shard for i in items if i.shard is not None and shard_path(out, i.shard).exists()}
        kept = []
        for i in items:
            if i.shard in done:
                totals.files_skipped += 1
            else:
                kept.append(i)
        items = kept
    return items


def shard_path(out: Path, k: int) -> Path:
    return out / f"pages-{k:05d}.jsonl"


class FolderLock:
    """An exclusive lock on an output folder for the length of a run (the folder itself is
    locked, no file is left): a second run on the same folder, `--resume` especially, would
    delete the first one's temporaries and write the same outputs."""

    def __init__(self, folder: Path):
        self.fd = None
        try:
            import fcntl
        except ImportError:  # pragma: no cover - no advisory locks here
            return
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise PlanError(f"{shown(folder)}: another arclean run is writing to this folder; "
                            "wait for it to end") from None
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_temporaries(out: Path) -> int:
    """Deletes the temporaries an interrupted run left in the output folder."""
    n = 0
    for root, _dirs, files in os.walk(out):
        for f in files:
            if _core.is_temporary(shown(f)):
                try:
                    os.unlink(os.path.join(root, f))
                    n += 1
                except OSError:
                    pass
    return n


class Sink:
    """Where results go when they are not one file per input: stdout, one JSONL file (a
    temporary renamed at the end), or the current shard of an output folder."""

    def __init__(self, mode: str, out: Path | None):
        self.mode, self.out = mode, out
        self.fh = None
        self.tmp: str | None = None
        self.target: Path | None = None

    def open(self, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        # the name shortened to leave room for the suffix; created with the umask's permissions,
        # like the page outputs (mkstemp's own are 0600)
        name = os.fsencode(target.name)[:200].decode("utf-8", "ignore")
        fd, self.tmp = tempfile.mkstemp(prefix=f".{name}.arclean-", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, 0o666 & ~_umask())
        self.fh = os.fdopen(fd, "wb")
        self.target = target

    def write(self, data: bytes) -> None:
        if not data:
            return
        if self.mode == "stdout":
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            self.fh.write(data)

    def commit(self) -> None:
        if self.fh is not None:
            self.fh.close()
            os.replace(self.tmp, self.target)
            self.fh = self.tmp = self.target = None

    def abandon(self) -> None:
        if self.fh is not None:
            self.fh.close()
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.fh = self.tmp = self.target = None


def execute(runner, items: list[Item], *, mode: str, out: Path | None, totals: Totals,
            progress: Progress, chunk_bytes: int = 32 << 20, separate: bool = False) -> None:
    """Runs the items in order, a chunk of page files or a step of a JSONL file at a time.
    `separate`: page bodies going to one stream are set apart by a blank line (paragraphs are
    one line break apart)."""
    sink = Sink(mode, out)
    if mode == "file":
        sink.open(out)
    chunk: list[Item] = []
    size = 0
    per_chunk = 256 * runner.jobs

    def fail(path, kind, message, line=None):
        entry = {"path": shown(path), "kind": kind, "message": shown(message)}
        if line is not None:
            entry["line"] = line
        totals.failures.append(entry)
        progress.message(f"arclean: {entry['message']}")

    wrote = False

    def flush() -> None:
        nonlocal chunk, size, wrote
        if not chunk:
            return
        jobs = [(i.path, i.output, i.page, i.name) for i in chunk]
        stats, failures, data = runner.run_files(jobs)
        totals.merge(stats)
        totals.note_empty({"path": shown(chunk[k].name)} for k in stats["empty"])
        totals.note_low({"path": shown(chunk[k].name)} for k in stats["low"])
        bad = {k for k, _, _ in failures}
        for k, kind, message in failures:
            item = chunk[k]
            fail(item.name, kind, message.replace(item.path, item.name) if item.label else message)
        totals.files += len(chunk) - len(bad)
        totals.files_failed += len(bad)
        for _k, d in data:
            if separate and d:
                if wrote:
                    sink.write(b"\n")
                wrote = True
            sink.write(d)
        progress.advance(sum(i.size for i in chunk), len(chunk))
        chunk, size = [], 0

    try:
        shard = None
        for item in items:
            if item.kind == "jsonl":
                flush()
                run_jsonl(runner, item, sink, totals, progress, fail)
                continue
            if item.shard is not None and item.shard != shard:
                flush()
                sink.commit()
                shard = item.shard
                sink.open(shard_path(out, shard))
            chunk.append(item)
            size += item.size
            if len(chunk) >= per_chunk or size >= chunk_bytes:
                flush()
        flush()
        sink.commit()
    except BaseException:
        sink.abandon()
        raise


def run_jsonl(runner, item: Item, sink: Sink, totals: Totals, progress: Progress, fail: Callable) -> None:
    try:
        f = runner.open_jsonl(item.path, item.output)
    except OSError as e:
        kind, message = e.args if len(e.args) == 2 else ("unreadable", str(e))
        fail(item.name, kind, message.replace(item.path, item.name))
        totals.files_failed += 1
        progress.advance(item.size, 1)
        return
    seen = 0
    try:
        while True:
            stats, failures, _written, data, position, done = f.step()
            totals.merge(stats)
            totals.note_empty({"path": shown(item.name), "line": line} for line in stats["empty"])
            totals.note_low({"path": shown(item.name), "line": line} for line in stats["low"])
            for kind, message, line in failures:
                totals.records_failed += 1
                fail(item.name, kind, message.replace(item.path, item.name), line)
            sink.write(data)
            progress.advance(position - seen)
            seen = position
            if done:
                break
        f.finish()
    except OSError as e:
        kind, message = e.args if len(e.args) == 2 else ("unwritable", str(e))
        fail(item.name, kind, message.replace(item.path, item.name))
        totals.files_failed += 1
        return
    except BaseException:
        f.abandon()
        raise
    progress.advance(max(0, item.size - seen), 1)
    totals.files += 1


def summary(totals: Totals, verb: str, elapsed: float) -> list[str]:
    """The lines printed at the end of a run."""
    s = totals.stats
    mb_in, mb_out = s["bytes_in"] / 1e6, s["bytes_out"] / 1e6
    lines = [
        f"arclean: {totals.files} files {verb}, {totals.files_failed} failed, {totals.files_skipped} already done"
        + (f"; {totals.records_failed} records failed" if totals.records_failed else ""),
        f"arclean: {s['pages']} pages, {mb_in:.1f} MB in, {mb_out:.1f} MB out, "
        f"{elapsed:.1f} s ({mb_in / elapsed if elapsed > 0 else 0:.1f} MB/s)",
    ]
    text = s["kept"] + s["removed"]
    if text and s["reasons"]:
        top = sorted(s["reasons"].items(), key=lambda kv: -kv[1][1])[:8]
        parts = ", ".join(f"{r} {100 * b / text:.1f}%" for r, (_n, b) in top)
        lines.append(f"arclean: {100 * s['removed'] / text:.1f}% of the text removed: {parts}")
    if s["empty_results"]:
        lines.append(f"arclean: {s['empty_results']} pages gave an empty result (no article found)")
    if s["filtered"]:
        parts = ", ".join(f"{b} {n}" for b, n in sorted(s["filtered"].items(), key=lambda kv: -kv[1]))
        lines.append(f"arclean: {sum(s['filtered'].values())} documents dropped by the quality filter: {parts}")
    if s["low_confidence"]:
        lines.append(f"arclean: {s['low_confidence']} pages kept at a low confidence (listed in --report)")
    if s["mojibake_pages"]:
        lines.append(f"arclean: mojibake repaired in {s['mojibake_pages']} pages ({s['mojibake_chars']} characters)")
    legacy = {e: n for e, n in s["encodings"].items() if e != "UTF-8"}
    if legacy:
        lines.append("arclean: encodings other than UTF-8: " + ", ".join(f"{e} {n}" for e, n in sorted(legacy.items())))
    for p in totals.problems:
        lines.append(f"arclean: skipped: {shown(p.message)}")
    return lines


def report(totals: Totals, command: str, elapsed: float, jobs: int) -> dict:
    s = totals.stats
    text = s["kept"] + s["removed"]
    return {
        "command": command,
        "jobs": jobs,
        "seconds": round(elapsed, 3),
        "files": {"done": totals.files, "failed": totals.files_failed, "already_done": totals.files_skipped},
        "records_failed": totals.records_failed,
        "pages": s["pages"],
        "bytes_in": s["bytes_in"],
        "bytes_out": s["bytes_out"],
        "text_bytes": {"kept": s["kept"], "removed": s["removed"]},
        "removed_share": round(s["removed"] / text, 6) if text else 0.0,
        "reasons": {r: {"blocks": n, "bytes": b} for r, (n, b) in sorted(s["reasons"].items())},
        "empty_results": s["empty_results"],
        "empty_pages": totals.empty,
        "low_confidence": s["low_confidence"],
        "filtered": dict(sorted(s["filtered"].items())),
        "low_confidence_pages": totals.low,
        "sites": {k: s["sites"][k] for k in sorted(s["sites"])},
        "encodings": dict(sorted(s["encodings"].items())),
        "replaced_bytes_pages": s["replaced"],
        "mojibake": {"pages": s["mojibake_pages"], "characters": s["mojibake_chars"]},
        "failures": totals.failures,
        "skipped": [{"path": shown(p.path), "kind": p.kind, "message": shown(p.message)} for p in totals.problems],
    }


def write_report(path: Path, data: dict) -> None:
    _core.write_atomic(str(path), [json.dumps(data, ensure_ascii=False, indent=2).encode() + b"\n"])


def clock() -> float:
    return time.perf_counter()


__all__ = ["FolderLock", "Item", "PlanError", "Problem", "Progress", "Totals", "execute", "plan", "remove_temporaries", "report", "summary",
           "write_report"]
