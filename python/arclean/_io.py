"""Finding inputs and naming outputs for the command line: discovery, formats, output names.

Library functions here raise or return problems; they never print or exit.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import _core
from .errors import DecodeError

#: Extensions read when a folder is given (without --include).
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
PAGE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
ALL_SUFFIXES = PAGE_SUFFIXES + JSONL_SUFFIXES


def page_format(name: str, forced: str = "auto") -> str:
    """"html" for an HTML extension, else `forced` ("auto" lets the content decide).

    >>> page_format("a/b.HTM"), page_format("a/b.txt"), page_format("x.htm", "text")
    ('html', 'auto', 'text')
    """
    if forced != "auto":
        return forced
    return "html" if name.lower().endswith(HTML_SUFFIXES) else "auto"


def input_kind(path: Path, forced: str = "auto") -> tuple[str, str]:
    """What a file holds: `("jsonl", "auto")` or `("page", "text" | "html" | "auto")`. The
    extension decides; an unknown one is decided by the first bytes (gzip or a JSON object
    line means JSONL).

    >>> input_kind(Path("a/b.jsonl.gz")), input_kind(Path("x.htm")), input_kind(Path("x.txt"), "html")
    (('jsonl', 'auto'), ('page', 'html'), ('page', 'html'))
    """
    if forced == "jsonl":
        return "jsonl", "auto"
    if forced in ("text", "html"):
        return "page", forced
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl", "auto"
    if name.endswith(PAGE_SUFFIXES):
        return "page", page_format(name)
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return "page", "auto"  # the runner reports why it cannot be read
    if head[:2] == b"\x1f\x8b":
        return "jsonl", "auto"
    first = head.lstrip().split(b"\n", 1)[0].rstrip()
    if first.startswith(b"{") and (first.endswith(b"}") or len(first) == len(head.lstrip())):
        return "jsonl", "auto"
    return "page", "auto"


def output_name(rel: Path, source: Path, taken: set[Path]) -> Path:
    """Where a page's body goes in the output tree: `NAME.txt`; an HTML page beside a text page
    of the same name (or after another page took the name) gets `NAME.html.txt`.

    >>> output_name(Path("a/x.html"), Path("/nonexistent/x.html"), set())
    PosixPath('a/x.txt')
    """
    out = rel.with_suffix(".txt")
    if rel.suffix.lower() != ".txt" and (source.with_suffix(".txt").exists() or out in taken):
        out = rel.with_name(rel.name + ".txt")
    taken.add(out)
    return out


def decode(data: bytes, path: str = "<input>", *, html: bool = False, encoding: str | None = None) -> str:
    """Bytes of a file to text as the command line reads them: a byte-order mark, UTF-16, valid
    UTF-8, the declared charset (HTML), else detection; mojibake repaired.

    >>> decode("سلام".encode("utf-16"))
    'سلام'
    >>> decode("أعلنت الوزارة اليوم عن خطة جديدة للنقل العام في المدينة".encode("cp1256"))
    'أعلنت الوزارة اليوم عن خطة جديدة للنقل العام في المدينة'

    Detection needs a few words: on a handful of bytes a legacy encoding is a guess.

    Raises:
        DecodeError: binary data, with the path.
    """
    try:
        return _core.decode_page(data, html, encoding)[0]
    except DecodeError as e:
        raise DecodeError(f"{path}: {e}") from None


@dataclass(frozen=True)
class Found:
    """A file to read (`rel`: its name under the folder given, or its own name)."""

    path: Path
    rel: Path


@dataclass(frozen=True)
class Problem:
    """Something met while looking for files: a folder that cannot be read, a symlink loop."""

    path: Path
    kind: str
    message: str


def _matches(rel: Path, patterns: list[str]) -> bool:
    """A pattern with a `/` is matched against the relative path, one without against the name."""
    posix = rel.as_posix()
    return any(fnmatch.fnmatch(posix if "/" in p else rel.name, p) for p in patterns)


def discover(
    paths: list[Path],
    suffixes: tuple[str, ...] = ALL_SUFFIXES,
    skip: Path | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    problems: list[Problem] | None = None,
) -> Iterator[Found]:
    """Files given directly, and (sorted) the files under folders given that have one of
    `suffixes` (or match `include`) and do not match `exclude`. Hidden entries and the folder
    `skip` (the output) are left out. Symlinks are followed; a folder reached twice (a symlink
    loop) is not entered again and is noted in `problems`, as are folders that cannot be read."""
    skip_real = skip.resolve() if skip is not None else None
    problems = problems if problems is not None else []
    for p in paths:
        if not p.is_dir():
            yield Found(p, Path(p.name))
            continue
        seen: set[tuple[int, int]] = set()

        def onerror(e: OSError) -> None:
            problems.append(Problem(Path(e.filename or p), "unreadable", f"{e.filename}: {e.strerror}"))

        for root, dirs, files in os.walk(p, followlinks=True, onerror=onerror):
            here = Path(root)
            try:
                st = here.stat()
            except OSError as e:
                problems.append(Problem(here, "unreadable", f"{here}: {e.strerror}"))
                dirs[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen:
                problems.append(Problem(here, "symlink_loop", f"{here}: folder already read (symlink loop), skipped"))
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            kept = []
            for d in sorted(dirs):
                dp = here / d
                if d.startswith("."):
                    continue
                if skip_real is not None and dp.resolve() == skip_real:
                    continue
                kept.append(d)
            dirs[:] = kept
            for f in sorted(files):
                if f.startswith("."):
                    continue
                fp = here / f
                rel = fp.relative_to(p)
                if include:
                    if not _matches(rel, include):
                        continue
                elif not f.lower().endswith(suffixes):
                    continue
                if exclude and _matches(rel, exclude):
                    continue
                yield Found(fp, rel)
