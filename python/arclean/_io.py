"""Reading inputs and writing outputs for the command line: discovery, decoding, atomic writes.

Library functions here raise; they never print or exit.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from . import _core
from .errors import DecodeError

#: Extensions read when a folder is given.
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PAGE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES


def page_format(name: str, forced: str = "auto") -> str:
    """"html" for an HTML extension, else `forced` ("auto" lets the content decide).

    >>> page_format("a/b.HTM"), page_format("a/b.txt"), page_format("x.htm", "text")
    ('html', 'auto', 'text')
    """
    if forced != "auto":
        return forced
    return "html" if name.lower().endswith(HTML_SUFFIXES) else "auto"


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


def decode(data: bytes, path: str = "<input>") -> str:
    """Bytes to text: a UTF-8 or UTF-16 byte-order mark wins, else strict UTF-8 (in the core).

    >>> decode("سلام".encode("utf-16"))
    'سلام'

    Raises:
        DecodeError: the bytes are not UTF-8, with the path and the offset of the first bad byte.
    """
    try:
        return _core.decode(data)
    except DecodeError as e:
        raise DecodeError(f"{path}: {e}") from None


def discover(
    paths: list[Path], suffixes: tuple[str, ...] = TEXT_SUFFIXES, skip: Path | None = None
) -> Iterator[tuple[Path, Path]]:
    """Yields `(file, relative name)` for files given directly and, sorted, for files with one
    of `suffixes` under folders given (hidden entries, symlinks and the folder `skip` -- the
    output -- inside folders left out)."""
    skip = skip.resolve() if skip is not None else None
    for p in paths:
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(
                    d for d in dirs
                    if not d.startswith(".")
                    and not (Path(root) / d).is_symlink()
                    and (Path(root) / d).resolve() != skip
                )
                for f in sorted(files):
                    fp = Path(root) / f
                    if f.startswith(".") or fp.is_symlink() or not f.lower().endswith(suffixes):
                        continue
                    yield fp, fp.relative_to(p)
        else:
            yield p, Path(p.name)


def write_atomic(target: Path, text: str, inputs: set[Path]) -> None:
    """Writes `text` to `target` through a temporary file beside it, then a rename.

    Raises:
        ValueError: `target` is one of the inputs.
    """
    if target.resolve() in inputs:
        raise ValueError(f"{target}: refusing to overwrite an input file")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
