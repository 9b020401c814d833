"""The `arclean` command: parses arguments, builds the configuration, runs, reports.

Exit status: 0 when every input went through, 1 when some failed, 2 for usage or
configuration errors. Data goes to stdout; errors and the summary to stderr.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
from pathlib import Path

from . import PRESETS, SWITCHES, Cleaner, Normalizer, __version__
from ._core import decode_html, sniff_html
from ._io import PAGE_SUFFIXES, decode, discover, output_name, page_format, write_atomic
from .errors import ArcleanError, ConfigError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _switch(value: str) -> tuple[str, bool]:
    name, sep, flag = value.partition("=")
    flag = flag.strip().lower() if sep else "true"
    if flag not in ("true", "false", "on", "off", "1", "0", "yes", "no"):
        raise argparse.ArgumentTypeError(f"switch value must be true or false; got '{flag}'")
    return name.strip(), flag in ("true", "on", "1", "yes")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="arclean", description="Clean, normalize and segment Arabic text.")
    p.add_argument("--version", action="version", version=f"arclean {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    n = sub.add_parser("normalize", help="fold orthographic variants of Arabic text")
    n.add_argument("inputs", nargs="*", type=Path, help="files or folders (*.txt); none or '-' reads stdin")
    n.add_argument("-o", "--output", type=Path, help="output folder (default: stdout)")
    n.add_argument("--preset", default="safe", choices=PRESETS)
    n.add_argument(
        "--set", dest="switches", action="append", type=_switch, default=[], metavar="SWITCH=BOOL",
        help=f"turn one fold on or off ({', '.join(SWITCHES)})",
    )
    c = sub.add_parser("clean", help="remove boilerplate from scraped pages; write one body per page")
    c.add_argument("inputs", nargs="*", type=Path,
                   help="files or folders (*.txt, *.html, *.htm); none or '-' reads stdin")
    c.add_argument("-o", "--output", type=Path,
                   help="output folder: the input tree mirrored, one NAME.txt body per page (default: stdout)")
    _cleaner_options(c)
    e = sub.add_parser("explain", help="show each block of a page, kept or removed, with its reason")
    e.add_argument("input", type=Path, help="a page (*.txt, *.html), or '-' for stdin")
    _cleaner_options(e)
    return p


def _cleaner_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", default="safe", choices=PRESETS, help="normalization of the body")
    p.add_argument("--set", dest="switches", action="append", type=_switch, default=[], metavar="SWITCH=BOOL",
                   help="turn one normalization fold on or off")
    p.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="switch off a phrase family or rule (repeatable)")
    p.add_argument("--max-bytes", type=int, default=None, help="refuse pages larger than this")
    p.add_argument("--input-format", default="auto", choices=("auto", "text", "html"),
                   help="pages are plain text or HTML (auto: by extension, else by content)")


def _cleaner(args: argparse.Namespace) -> Cleaner:
    kwargs = dict(args.switches)
    if args.max_bytes is not None:
        kwargs["max_bytes"] = args.max_bytes
    return Cleaner(args.preset, disable=args.disable, **kwargs)


def _error(msg: str) -> None:
    print(f"arclean: error: {msg}", file=sys.stderr)


def _normalize(args: argparse.Namespace) -> int:
    normalizer = Normalizer(args.preset, **dict(args.switches))
    return _run(args, lambda data, name: normalizer.normalize(decode(data, name)), "normalized")


def _clean(args: argparse.Namespace) -> int:
    cleaner = _cleaner(args)

    def one(data: bytes, name: str) -> str:
        text = cleaner.clean(data, page_format(name, args.input_format)).text
        return text + "\n" if text else text

    return _run(args, one, "cleaned", PAGE_SUFFIXES)


def _run(args: argparse.Namespace, work, verb: str, suffixes: tuple[str, ...] = (".txt",)) -> int:
    """Applies `work(bytes, name) -> str` to every input; a failing input is reported and skipped."""
    inputs = [p for p in args.inputs if str(p) != "-"]
    if not inputs:
        data = sys.stdin.buffer.read()
        sys.stdout.write(work(data, "<stdin>"))
        return EXIT_OK
    resolved = set()
    for p in inputs:
        if not p.exists():
            _error(f"{p}: no such file or folder")
            return EXIT_USAGE
        resolved.add(p.resolve())
    protected = resolved_files(resolved, skip=args.output, suffixes=suffixes)
    failed = done = 0
    taken: set[Path] = set()
    for path, rel in discover(inputs, suffixes, skip=args.output):
        try:
            text = work(path.read_bytes(), str(path))
            if args.output is None:
                sys.stdout.write(text)
            else:
                write_atomic(args.output / output_name(rel, path, taken), text, protected)
            done += 1
        except (OSError, ArcleanError, ValueError) as e:
            _error(str(e) if str(path) in str(e) else f"{path}: {e}")
            failed += 1
    if args.output is not None:
        print(f"arclean: {done} {verb}, {failed} failed", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    cleaner = _cleaner(args)
    data = sys.stdin.buffer.read() if str(args.input) == "-" else args.input.read_bytes()
    fmt = page_format(str(args.input), args.input_format)
    is_html = fmt == "html" or (fmt == "auto" and sniff_html(data))
    text = decode_html(data)[0] if is_html else decode(data, str(args.input))
    doc = cleaner.clean(text, "html" if is_html else "text")
    color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    paint = {"body": "32", "title": "1;36", "meta": "33", "boilerplate": "2"}
    for b in doc.blocks:
        line = text[b.span[0]:b.span[1]]
        if is_html:  # the block's text, for display: tags dropped, entities decoded
            line = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", line)).split())
        head = f"{b.line:5d}  {b.label:<11s} {b.reason:<18s}"
        if color:
            head = f"\x1b[{paint[b.label]}m{head}\x1b[0m"
        print(f"{head} {line}")
    kept = sum(1 for b in doc.blocks if b.label == "body")
    print(f"arclean: {kept} of {len(doc.blocks)} blocks kept as body", file=sys.stderr)
    return EXIT_OK


def resolved_files(roots: set[Path], skip: Path | None = None, suffixes: tuple[str, ...] = (".txt",)) -> set[Path]:
    """The input files themselves (a folder's files are never output targets either)."""
    out = set()
    for r in roots:
        if r.is_dir():
            out.update(f.resolve() for f, _ in discover([r], suffixes, skip=skip))
        else:
            out.add(r)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) and EXIT_USAGE
    try:
        if args.command == "normalize":
            return _normalize(args)
        if args.command == "clean":
            return _clean(args)
        if args.command == "explain":
            return _explain(args)
    except ConfigError as e:
        _error(str(e))
        return EXIT_USAGE
    except ArcleanError as e:
        _error(str(e))
        return EXIT_FAILED
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
