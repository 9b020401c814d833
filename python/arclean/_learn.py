"""Learning sites' templates from pages on disk, for `arclean learn` and `arclean clean --learn`:
page files and JSONL records read a batch at a time (never the whole input at once), each
batch's pages decoded and counted in parallel by the core (`Profile.add_pages`)."""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ._io import Found, input_kind, shown

#: Page files counted per call into the core.
BATCH_PAGES = 256
#: Bytes of page files read per call into the core, at most (a batch of large pages ends early).
BATCH_BYTES = 32 << 20


@dataclass
class Learnt:
    """What a learning pass read."""

    files: int = 0
    pages: int = 0
    failures: list = field(default_factory=list)


def folder_of(name: str) -> str:
    """The folder a page sits in as the runner names it (`.` for none)."""
    return os.path.dirname(name) or "."


def _open(path: str):
    with open(path, "rb") as f:
        magic = f.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


def learn(profile, found: list[Found], *, forced: str = "auto", text_field: str = "text",
          site_from: str = "auto", progress=None) -> Learnt:
    """Counts every page of `found` into `profile`; a page that cannot be read or decoded is
    noted in `Learnt.failures` and left out."""
    out = Learnt()
    batch: list[tuple[str, str, str]] = []  # (path, name, format)
    size = 0

    def flush() -> None:
        nonlocal batch, size
        if not batch:
            return
        fallbacks = [folder_of(name) for _, name, _ in batch]
        sites = fallbacks if site_from == "folder" else None
        for fmt in ("html", "text", "auto"):
            part = [k for k, b in enumerate(batch) if b[2] == fmt]
            if not part:
                continue
            try:
                profile.add_pages([Path(batch[k][0]) for k in part], fmt,
                                  sites=[sites[k] for k in part] if sites else None,
                                  fallbacks=[fallbacks[k] for k in part])
                out.pages += len(part)
                out.files += len(part)
            except Exception:  # noqa: BLE001 - a page of the batch failed: one at a time, to name it
                for k in part:
                    path, name, _ = batch[k]
                    try:
                        profile.add_page(Path(path), fmt, site=sites[k] if sites else None, fallback=fallbacks[k])
                        out.pages += 1
                        out.files += 1
                    except Exception as e:  # noqa: BLE001 - a page's failure is reported, not raised
                        out.failures.append({"path": name, "kind": "unreadable", "message": str(e)})
        if progress is not None:
            progress.advance(size, len(batch))
        batch, size = [], 0

    for f in found:
        name = f.label or shown(f.path)
        kind, page = input_kind(f.path, forced)
        if kind == "jsonl":
            flush()
            _learn_jsonl(profile, f.path, name, text_field, site_from, out)
            if progress is not None:
                progress.advance(f.size, 1)
            continue
        batch.append((f.path, name, page))
        size += f.size
        if len(batch) >= BATCH_PAGES or size >= BATCH_BYTES:
            flush()
    flush()
    return out


def _learn_jsonl(profile, path: str, name: str, text_field: str, site_from: str, out: Learnt) -> None:
    texts: list[str] = []
    urls: list[str | None] = []
    folder = folder_of(name)

    def flush() -> None:
        if texts:
            sites = [folder] * len(texts) if site_from == "folder" else None
            profile.add_pages(texts, "auto", sites=sites, urls=urls)
            out.pages += len(texts)
            texts.clear()
            urls.clear()

    try:
        with _open(path) as fh:
            for line_no, raw in enumerate(fh, 1):
                if not raw.strip():
                    continue
                try:
                    rec = json.loads(raw)
                    text = rec.get(text_field) if isinstance(rec, dict) else None
                except ValueError as e:
                    out.failures.append({"path": name, "line": line_no, "kind": "bad_record", "message": str(e)})
                    continue
                if not isinstance(text, str):
                    continue
                url = rec.get("url")
                texts.append(text)
                urls.append(url if isinstance(url, str) else None)
                if len(texts) >= BATCH_PAGES:
                    flush()
            flush()
        out.files += 1
    except (OSError, EOFError) as e:
        out.failures.append({"path": name, "kind": "unreadable", "message": str(e)})
