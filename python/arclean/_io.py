"""Finding inputs and naming outputs for the command line: discovery, formats, output names.

Library functions here raise or return problems; they never print or exit.
"""

from __future__ import annotations

import fnmatch
import os
import stat
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


def input_kind(path: str, forced: str = "auto") -> tuple[str, str]:
    """What a file holds: `("jsonl", "auto")` or `("page", "text" | "html" | "auto")`. The
    extension decides; an unknown one is decided by the first bytes (gzip or a JSON object
    line means JSONL).

    >>> input_kind("a/b.jsonl.gz"), input_kind("x.htm"), input_kind("x.txt", "html")
    (('jsonl', 'auto'), ('page', 'html'), ('page', 'html'))
    """
    if forced == "jsonl":
        return "jsonl", "auto"
    if forced in ("text", "html"):
        return "page", forced
    name = os.path.basename(path).lower()
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


def output_names(rel: str, source: str) -> list[str]:
    """The names a page's body may take in the output tree, in order of preference: `NAME.txt`,
    then (for a page whose name does not end in `.txt`) `NAME.EXT.txt`; a file beside the source
    already named `NAME.txt` leaves only the second.

    >>> output_names("a/x.html", "/nonexistent/x.html"), output_names("a/x.txt", "/nonexistent/x.txt")
    (['a/x.txt', 'a/x.html.txt'], ['a/x.txt'])
    """
    stem, ext = os.path.splitext(rel)
    if ext == ".txt":
        return [rel]
    if os.path.exists(os.path.splitext(source)[0] + ".txt"):
        return [rel + ".txt"]
    return [stem + ".txt", rel + ".txt"]


def claim(names: list[str], source: str, taken: dict[str, str]) -> str | None:
    """The first of `names` not in `taken` (output names given so far, each with the input it
    was given to), now given to `source`; `None` when all are taken.

    >>> taken = {"a/x.txt": "in/a/x.txt"}
    >>> claim(output_names("a/x.html", "/nonexistent/x.html"), "x.html", taken), claim(["a/x.txt"], "x", taken)
    ('a/x.html.txt', None)
    """
    for out in names:
        if out not in taken:
            taken[out] = source
            return out
    return None


def shown(path: str | os.PathLike) -> str:
    r"""A path as it can be printed: bytes that are not UTF-8 and control characters (a terminal
    escape in a file name) written as escapes.

    >>> print(shown("a\x1b[31mb.txt"), shown(b"\xe3\xd5.txt"))
    a\x1b[31mb.txt \xe3\xd5.txt
    """
    text = os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


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
    """A file to read (`rel`: its name under the folder given, or its own name; `size` in
    bytes, -1 when it could not be read)."""

    path: str
    rel: str
    size: int = -1
    #: How the input is named in records and messages, when not by its path (`<stdin>`).
    label: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something met while looking for files: a folder that cannot be read, a symlink loop."""

    path: Path
    kind: str
    message: str


def _matches(rel: str, name: str, patterns: list[str]) -> bool:
    """A pattern with a `/` is matched against the relative path, one without against the name."""
    return any(fnmatch.fnmatch(rel if "/" in p else name, p) for p in patterns)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def discover(
    paths: list[Path],
    suffixes: tuple[str, ...] = ALL_SUFFIXES,
    skip: Path | None = None,
    include: list[str] | None = None,
    exclude: list[str] | None = None,
    problems: list[Problem] | None = None,
    follow: bool = False,
) -> Iterator[Found]:
    """Files given directly, and (sorted, a folder's files before its subfolders) the files
    under folders given that have one of `suffixes` (or match `include`) and do not match
    `exclude`. Hidden entries and the folder `skip` (the output) are left out.

    In folders only regular files are read: FIFOs, sockets and devices are left out and noted in
    `problems` (a FIFO would block the run, a device never ends). Symlinks met in folders are
    not followed unless `follow` (they are noted); when followed, a folder reached twice (a
    symlink loop) is not entered again. Folders that cannot be read are noted too. Paths given
    directly are read whatever they are (a pipe from a shell, a symlink)."""
    skip_real = os.path.realpath(skip) if skip is not None else None
    problems = problems if problems is not None else []
    for p in paths:
        if not p.is_dir():
            yield Found(str(p), p.name, _size(p))
            continue
        seen: set[tuple[int, int]] = set()
        stack = [(str(p), "")]
        while stack:
            folder, prefix = stack.pop()
            try:
                st = os.stat(folder)
                if (st.st_dev, st.st_ino) in seen:
                    problems.append(Problem(Path(folder), "symlink_loop",
                                            f"{folder}: folder already read (symlink loop), skipped"))
                    continue
                seen.add((st.st_dev, st.st_ino))
                with os.scandir(folder) as it:
                    entries = sorted(it, key=lambda e: e.name)
            except OSError as err:
                problems.append(Problem(Path(folder), "unreadable", f"{folder}: {err.strerror}"))
                continue
            subfolders = []
            for e in entries:
                if e.name.startswith("."):
                    continue
                rel = prefix + e.name
                try:
                    link = e.is_symlink()
                except OSError:
                    link = False
                try:
                    st = e.stat(follow_symlinks=follow)
                except OSError:
                    st = None  # a broken symlink followed: the runner says why it cannot be read
                if link and not follow:
                    if _wanted(rel, e.name, suffixes, include, exclude) or _is_dir(e):
                        problems.append(Problem(Path(e.path), "symlink",
                                                f"{e.path}: a symlink, not followed (--follow reads it)"))
                    continue
                if st is not None and stat.S_ISDIR(st.st_mode):
                    if skip_real is None or os.path.realpath(e.path) != skip_real:
                        subfolders.append((e.path, rel + "/"))
                    continue
                if not _wanted(rel, e.name, suffixes, include, exclude):
                    continue
                if st is not None and not stat.S_ISREG(st.st_mode):
                    problems.append(Problem(Path(e.path), "special",
                                            f"{e.path}: not a regular file (a FIFO, socket or device), skipped"))
                    continue
                yield Found(e.path, rel, st.st_size if st is not None else -1)
            stack.extend(reversed(subfolders))


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _wanted(rel: str, name: str, suffixes: tuple[str, ...], include: list[str] | None,
            exclude: list[str] | None) -> bool:
    if include:
        if not _matches(rel, name, include):
            return False
    elif not name.lower().endswith(suffixes):
        return False
    return not (exclude and _matches(rel, name, exclude))
