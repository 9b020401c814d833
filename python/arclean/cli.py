"""The `arclean` command: parses arguments, builds the configuration, runs, reports.

Exit status: 0 when every input went through, 1 when some failed, 2 for usage or
configuration errors. Data goes to stdout; errors, progress and the summary to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from . import PRESETS, SWITCHES, Cleaner, Normalizer, Segmenter, __version__, _config, _core
from . import _run as runs
from . import _learn as learning
from . import _view as view
from ._io import ALL_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES, Found, decode, discover, page_format, shown
from .errors import ArcleanError, ConfigError, DecodeError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _switch(value: str) -> tuple[str, bool]:
    name, sep, flag = value.partition("=")
    flag = flag.strip().lower() if sep else "true"
    if flag not in ("true", "false", "on", "off", "1", "0", "yes", "no"):
        raise argparse.ArgumentTypeError(f"switch value must be true or false; got '{flag}'")
    return name.strip(), flag in ("true", "on", "1", "yes")


def _bound(value: str) -> tuple[str, float]:
    name, sep, number = value.partition("=")
    try:
        return name.strip(), float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a bound is NAME=NUMBER; got '{value}'") from None


def _jobs(value: str) -> int:
    n = int(value)
    if n < 0:
        raise argparse.ArgumentTypeError("--jobs must be 0 (all cores) or more")
    return n


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="arclean", description="Clean, normalize and segment Arabic text.")
    p.add_argument("--version", action="version", version=f"arclean {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("clean", help="remove boilerplate from scraped pages; write one body per page")
    _run_options(c, "pages (*.txt, *.html, *.htm, *.jsonl, *.jsonl.gz)")
    c.add_argument("--format", default="txt", choices=("txt", "jsonl"),
                   help="txt: one body per page (a mirrored tree); jsonl: records with title, meta, "
                        "paragraphs, sentences and removed blocks")
    c.add_argument("--quality", metavar="PRESET", choices=tuple(_core.QUALITY_PRESETS),
                   help="drop cleaned documents below a quality preset "
                        f"({', '.join(_core.QUALITY_PRESETS)}); counted in the summary and report")
    c.add_argument("--quality-bound", dest="quality_bounds", action="append", type=_bound, default=[],
                   metavar="BOUND=VALUE", help="a bound on top of the preset: min_NAME or max_NAME of a "
                                               "quality measure (min_words=80, max_latin_share=0.2)")
    c.add_argument("--profile", type=Path, metavar="FILE",
                   help="a site profile (arclean learn): blocks on many pages of their site are template")
    c.add_argument("--learn", action="store_true",
                   help="learn the sites' templates from the inputs first, then clean with them (two passes)")
    c.add_argument("--site-from", choices=("auto", "folder"), default="auto",
                   help="a page's site: auto (the host of its address, else its folder) or folder")
    c.add_argument("--report-html", type=Path, metavar="FILE.html",
                   help="write the run at a glance as one HTML file, with explain views of the pages "
                        "to look at in a folder beside it (FILE_pages/)")
    _cleaner_options(c)
    n = sub.add_parser("normalize", help="fold orthographic variants of Arabic text")
    _run_options(n, "text files (*.txt, *.jsonl, *.jsonl.gz)")
    n.add_argument("--format", default="txt", choices=("txt", "jsonl"), help="txt: the text; jsonl: records")
    _normalize_options(n)
    s = sub.add_parser("segment", help="split text into sentences: one per line, paragraphs apart")
    _run_options(s, "text files (*.txt, *.jsonl, *.jsonl.gz)")
    s.add_argument("--format", default="txt", choices=("txt", "jsonl"),
                   help="txt: a sentence per line; jsonl: records with paragraphs and sentences and their spans")
    s.add_argument("--split-semicolon", action="store_true", default=None, help="a semicolon ends a sentence")
    s.add_argument("--config", type=Path, help="settings file (arclean.toml or pyproject.toml)")
    le = sub.add_parser("learn", help="learn sites' templates from their pages: a profile for clean --profile")
    le.add_argument("inputs", nargs="*", type=Path, help="files or folders of pages, JSONL included")
    le.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="the profile to write")
    le.add_argument("--merge", type=Path, action="append", default=[], metavar="FILE",
                    help="add a profile learnt on other pages (shards learnt apart merge into the whole)")
    le.add_argument("--min-share", type=float, default=_core.Profile().min_share,
                    help="a block on more than this share of its site's pages is template (default %(default)s)")
    le.add_argument("--min-pages", type=int, default=_core.Profile().min_pages,
                    help="sites with fewer pages learnt have no template (default %(default)s)")
    le.add_argument("--site-from", choices=("auto", "folder"), default="auto",
                    help="a page's site: auto (the host of its address, else its folder) or folder")
    le.add_argument("--input-format", default="auto", choices=("auto", "text", "html", "jsonl"))
    le.add_argument("--text-field", default="text", help="the field of JSONL records holding the page")
    le.add_argument("--include", action="append", default=[], metavar="GLOB")
    le.add_argument("--exclude", action="append", default=[], metavar="GLOB")
    le.add_argument("-q", "--quiet", action="store_true", help="no summary")
    e = sub.add_parser("explain", help="show each block of a page, kept or removed, with its reason")
    e.add_argument("input", type=Path, help="a page (*.txt, *.html), or '-' for stdin")
    e.add_argument("--input-format", default="auto", choices=("auto", "text", "html"))
    e.add_argument("--encoding", help="decode with this encoding instead of detecting one")
    e.add_argument("--color", default="auto", choices=("auto", "always", "never"))
    e.add_argument("--why", type=int, default=3, metavar="N",
                   help="under each block, the N measurements that weighed most in its body score "
                        "(0: none; default 3)")
    e.add_argument("--html", type=Path, metavar="OUT.html",
                   help="write the explanation as one HTML file (the page's blocks right to left, "
                        "removed ones shaded by reason) instead of printing it")
    e.add_argument("--profile", type=Path, metavar="FILE", help="a site profile (arclean learn)")
    e.add_argument("--site", help="the page's site in the profile (default: its address, or the profile's only site)")
    _cleaner_options(e)
    return p


def _run_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("inputs", nargs="*", type=Path, help=f"files or folders of {what}; none or '-' reads stdin")
    p.add_argument("-o", "--output", type=Path,
                   help="output folder (the input tree mirrored), a .jsonl/.jsonl.gz file with --format jsonl, "
                        "or '-' for stdout (default)")
    p.add_argument("--input-format", default="auto", choices=("auto", "text", "html", "jsonl"),
                   help="what the inputs are (auto: by extension, else by content)")
    p.add_argument("--text-field", default="text", help="the field of JSONL records holding the page (default: text)")
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="read the files matching this pattern in folders (instead of the known extensions)")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="leave out matching files")
    p.add_argument("--follow", action="store_true",
                   help="follow symlinks met in folders (default: left out and noted, so that a link "
                        "cannot pull files from outside the input tree)")
    p.add_argument("--encoding", help="decode every input with this encoding instead of detecting one")
    p.add_argument("-j", "--jobs", type=_jobs, default=0, help="threads (default 0: all cores; at most one per core)")
    p.add_argument("--resume", action="store_true", help="skip inputs whose output is already complete")
    p.add_argument("--report", type=Path, metavar="FILE.json", help="write the run's counts and failures here")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")


def _normalize_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--preset", default=None, choices=PRESETS, help="normalization (default: safe)")
    p.add_argument("--set", dest="switches", action="append", type=_switch, default=[], metavar="SWITCH=BOOL",
                   help=f"turn one fold on or off ({', '.join(SWITCHES)})")
    p.add_argument("--config", type=Path, help="settings file (arclean.toml or pyproject.toml)")


def _cleaner_options(p: argparse.ArgumentParser) -> None:
    _normalize_options(p)
    p.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="switch off a phrase family or rule (repeatable)")
    p.add_argument("--max-bytes", type=int, default=None, help="refuse pages larger than this")


def _settings(args: argparse.Namespace) -> dict:
    """The configuration file's settings with the command line's on top."""
    conf = dict(_config.load(getattr(args, "config", None)))
    if getattr(args, "preset", None):
        conf["preset"] = args.preset
    switches = dict(conf.pop("normalize", {}))
    switches.update(dict(getattr(args, "switches", [])))
    conf["normalize"] = switches
    if getattr(args, "disable", None):
        conf["disable"] = list(conf.get("disable", [])) + args.disable
    if getattr(args, "max_bytes", None) is not None:
        conf["max_bytes"] = args.max_bytes
    if getattr(args, "split_semicolon", None):
        conf["split_semicolon"] = True
    if getattr(args, "profile", None) is not None:
        conf["profile"] = str(args.profile)
    quality = dict(conf.pop("quality", {}))
    if getattr(args, "quality", None):
        quality["preset"] = args.quality
    quality.update(dict(getattr(args, "quality_bounds", [])))
    if quality:
        conf["quality"] = quality
    return conf


def _cleaner(conf: dict) -> Cleaner:
    kwargs = dict(conf.get("normalize", {}))
    for k in ("disable", "max_bytes", "split_semicolon", "abbreviations", "extra_phrases", "profile"):
        if k in conf:
            kwargs[k] = conf[k]
    try:
        return Cleaner(conf.get("preset", "safe"), **kwargs)
    except ConfigError:
        raise
    except (TypeError, ValueError, OverflowError) as e:  # a setting of the wrong shape
        raise ConfigError(f"configuration: {e}") from None


def _task(args: argparse.Namespace, conf: dict):
    if args.command == "clean":
        return _cleaner(conf)
    if args.command == "normalize":
        return Normalizer(conf.get("preset", "safe"), **conf.get("normalize", {}))
    return Segmenter(split_semicolon=bool(conf.get("split_semicolon", False)),
                     abbreviations=conf.get("abbreviations"))


def _error(msg: str) -> None:
    print(f"arclean: error: {msg}", file=sys.stderr)


def _protected(found: list, inputs: list[Path], out: Path | None, mode: str) -> set[str]:
    """The real paths of the inputs an output could land on: none when the output is stdout or a
    folder that neither holds nor is held by an input."""
    if mode == "stdout":
        return set()
    real_out = out.resolve()
    roots = [p.resolve() for p in inputs]
    if mode == "folder" and not any(
        r == real_out or r.is_relative_to(real_out) or real_out.is_relative_to(r) for r in roots
    ):
        return set()
    return {os.path.realpath(f.path) for f in found}


def _is_fd0(stream) -> bool:
    try:
        return stream.fileno() == 0
    except (OSError, ValueError, AttributeError):
        return False


def _stdin(forced: str) -> tuple[Found, str | None]:
    """Standard input as a file to read: JSONL (`--input-format jsonl`) streams from the
    descriptor itself; a page is read whole into a temporary file (removed after the run)."""
    if forced == "jsonl" and os.path.exists("/dev/stdin") and _is_fd0(sys.stdin):
        return Found("/dev/stdin", "stdin.jsonl", label="<stdin>"), None
    data = sys.stdin.buffer.read()
    fd, tmp = tempfile.mkstemp(prefix="arclean-stdin-", suffix=".jsonl" if forced == "jsonl" else "")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    return Found(tmp, "stdin", label="<stdin>"), tmp


def _run(args: argparse.Namespace) -> int:
    conf = _settings(args)
    if getattr(args, "learn", False):
        if not args.inputs or any(str(p) == "-" for p in args.inputs):
            _error("--learn reads the inputs twice: name files or folders, not stdin")
            return EXIT_USAGE
        if args.profile is not None:
            _error("--learn learns a profile: give it or --profile, not both")
            return EXIT_USAGE
        found, code = _found(args, ALL_SUFFIXES)
        if code is not None:
            return code
        profile = _core.Profile()
        learnt = learning.learn(profile, found, forced=args.input_format, text_field=args.text_field,
                                site_from=args.site_from)
        for f in learnt.failures:
            _error(f"{f['path']}: {f['message']}")
        if not args.quiet:
            print(f"arclean: learnt {len(profile.sites)} sites' templates from {learnt.pages} pages",
                  file=sys.stderr)
        conf = dict(conf, profile=profile)
    task = _task(args, conf)
    records = args.format == "jsonl"
    quality = dict(conf.get("quality", {})) if args.command == "clean" else {}
    preset = quality.pop("preset", None)
    runner = _core.Runner(task, jobs=args.jobs, output="record" if records else "body", encoding=args.encoding,
                          max_bytes=conf.get("max_bytes"), text_field=args.text_field,
                          quality_preset=preset, quality=quality or None,
                          site_from=getattr(args, "site_from", "auto"))
    if args.jobs > runner.jobs:
        print(f"arclean: --jobs {args.jobs} is more than the {runner.jobs} cores; using {runner.jobs}", file=sys.stderr)
    out = args.output
    if out is None or str(out) == "-":
        mode, out = "stdout", None
    elif records and out.name.lower().endswith((".jsonl", ".jsonl.gz", ".ndjson")):
        mode = "file"
    else:
        mode = "folder"
    if mode == "folder" and out.exists() and not out.is_dir():
        _error(f"{shown(out)}: not a folder (name a .jsonl file with --format jsonl, or a folder)")
        return EXIT_USAGE
    if args.resume and mode != "folder":
        _error("--resume needs an output folder (-o FOLDER)")
        return EXIT_USAGE
    if mode == "file" and out.name.lower().endswith(".gz"):
        _error("a single output file is written as plain JSONL; name it .jsonl (JSONL inputs keep gzip in a folder)")
        return EXIT_USAGE

    inputs = [p for p in args.inputs if str(p) != "-"]
    use_stdin = not args.inputs or any(str(p) == "-" for p in args.inputs)
    for p in inputs:
        if not p.exists() and not p.is_symlink():
            _error(f"{shown(p)}: no such file or folder")
            return EXIT_USAGE
    suffixes = ALL_SUFFIXES if args.command == "clean" else TEXT_SUFFIXES + JSONL_SUFFIXES
    totals = runs.Totals()
    problems: list = []
    found = list(discover(inputs, suffixes, skip=out if mode == "folder" else None,
                          include=args.include, exclude=args.exclude, problems=problems, follow=args.follow))
    noted = ("symlink_loop", "symlink", "special")  # left out on purpose: said, not failed
    totals.problems = [p for p in problems if p.kind in noted]
    for p in problems:
        if p.kind not in noted:
            totals.failures.append({"path": shown(p.path), "kind": p.kind, "message": shown(p.message)})
            totals.files_failed += 1
    if not found and not use_stdin and not totals.failures:
        what = "files matching --include" if args.include else f"files with {', '.join(suffixes)}"
        left = f"; {len(totals.problems)} left out (symlinks: --follow reads them)" if totals.problems else ""
        _error(f"no input files: no {what} under {', '.join(shown(p) for p in inputs)}{left}")
        return EXIT_FAILED
    protected = _protected(found, inputs, out, mode)
    stdin_tmp = None
    if use_stdin:
        stdin_found, stdin_tmp = _stdin(args.input_format)
        found.insert(0, stdin_found)
    try:
        if mode == "file" and os.path.realpath(out) in protected:
            _error(f"{out}: refusing to overwrite an input file")
            return EXIT_USAGE
        lock = runs.FolderLock(out) if mode == "folder" else None
        try:
            return _execute(args, runner, found, out, mode, records, protected, totals)
        finally:
            if lock is not None:
                lock.release()
    except runs.PlanError as e:
        _error(str(e))
        return EXIT_USAGE
    finally:
        if stdin_tmp is not None:
            os.unlink(stdin_tmp)


def _execute(args, runner, found, out, mode, records, protected, totals) -> int:
    """Plans the outputs and runs; the output folder is locked and stdin read by now."""
    if mode == "folder" and args.resume:
        runs.remove_temporaries(out)
    items = runs.plan(found, out, mode=mode, records=records, forced=args.input_format, resume=args.resume,
                      protected=protected, totals=totals, reports=_reports(args))
    for f in totals.failures:  # found before running: folders not read, outputs refused
        print(f"arclean: {f['message']}", file=sys.stderr)
    if args.command != "clean":
        for i in items:  # normalize and segment read every page as text
            i.page = "text"
    show = not args.quiet and sys.stderr.isatty()
    progress = runs.Progress(sum(i.size for i in items), len(items), show)
    start = runs.clock()
    try:
        runs.execute(runner, items, mode=mode, out=out, totals=totals, progress=progress,
                     separate=mode == "stdout" and not records)
    finally:
        progress.close()
    elapsed = runs.clock() - start
    verb = {"clean": "cleaned", "normalize": "normalized", "segment": "segmented"}[args.command]
    if not args.quiet and (mode != "stdout" or totals.failures or len(items) > 1):
        for line in runs.summary(totals, verb, elapsed):
            print(line, file=sys.stderr)
    if _reports(args):
        data = runs.report(totals, args.command, elapsed, runner.jobs)
        data = {"version": __version__, "argv": [shown(a) for a in sys.argv[1:]],
                "settings": _settings(args), **data}
        if args.report is not None:
            runs.write_report(args.report, data)
        if getattr(args, "report_html", None) is not None:
            _write_run_view(args, data)
    return EXIT_FAILED if totals.failures else EXIT_OK


def _reports(args: argparse.Namespace) -> list[Path]:
    return [p for p in (args.report, getattr(args, "report_html", None)) if p is not None]


#: Explain views written beside a run's HTML report, at most.
VIEWS_WRITTEN = 50


def _write_run_view(args: argparse.Namespace, data: dict) -> None:
    """The run's HTML view, and explain views of the first listed page files in a folder beside
    it (`REPORT_pages/page-N.html`). A page that cannot be read again is listed without a view."""
    target: Path = args.report_html
    folder = target.with_name(target.stem + "_pages")
    cleaner = _cleaner(_settings(args))
    links: dict[str, str] = {}
    listed = data["empty_pages"] + data["low_confidence_pages"]
    for p in listed:
        if len(links) >= VIEWS_WRITTEN:
            break
        key = view.page_key(p)
        if "line" in p or key in links or not os.path.isfile(p["path"]):
            continue  # JSONL records and stdin are not read again
        try:
            raw = Path(p["path"]).read_bytes()
            page = view.explain_html(p["path"], *_explained(cleaner, raw, p["path"], args.input_format,
                                                            args.encoding))
        except (OSError, ArcleanError, DecodeError, ValueError) as e:
            print(f"arclean: no explain view of {shown(p['path'])}: {e}", file=sys.stderr)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        name = f"page-{len(links) + 1:03d}.html"
        _core.write_atomic(str(folder / name), [page.encode()])
        links[key] = f"{folder.name}/{name}"
    _core.write_atomic(str(target), [view.run_html(data, links).encode()])


def _learn(args: argparse.Namespace) -> int:
    """`arclean learn`: counts the inputs' pages into a profile (with the merged ones) and
    writes it."""
    try:
        profile = _core.Profile(min_share=args.min_share, min_pages=args.min_pages)
    except ConfigError as e:
        _error(str(e))
        return EXIT_USAGE
    for m in args.merge:
        profile.merge(_core.Profile.load(m))
    if args.inputs or not args.merge:  # profiles alone merge without reading pages
        found, code = _found(args, ALL_SUFFIXES)
        if code is not None:
            return code
        learnt = learning.learn(profile, found, forced=args.input_format, text_field=args.text_field,
                                site_from=args.site_from)
    else:
        learnt = learning.Learnt()
    profile.save(args.output)
    for f in learnt.failures:
        _error(f"{f['path']}{':' + str(f['line']) if 'line' in f else ''}: {f['message']}")
    if not args.quiet:
        sites = profile.sites
        print(f"arclean: {learnt.pages} pages of {learnt.files} files learnt; {len(sites)} sites, "
              f"{sum(profile.template_blocks(s) for s in sites)} template blocks; wrote {shown(args.output)}",
              file=sys.stderr)
    return EXIT_FAILED if learnt.failures else EXIT_OK


def _found(args: argparse.Namespace, suffixes) -> tuple[list, int | None]:
    """The input files of a learning pass, or an exit status when there are none."""
    problems: list = []
    for p in args.inputs:
        if not p.exists():
            _error(f"{shown(p)}: no such file or folder")
            return [], EXIT_USAGE
    found = list(discover(args.inputs, suffixes, include=args.include, exclude=args.exclude, problems=problems))
    for p in problems:
        if p.kind not in ("symlink_loop", "symlink", "special"):
            _error(shown(p.message))
    if not found:
        _error("no input files to learn from")
        return [], EXIT_FAILED
    return found, None


def _explained(cleaner: Cleaner, data: bytes, name: str, input_format: str, encoding: str | None,
               site: str | None = None):
    """A page's bytes decoded as the runner decodes them, cleaned and judged: `(text, is_html,
    document, evidence)`."""
    fmt = page_format(name, input_format)
    is_html = fmt == "html" or (fmt == "auto" and _core.sniff_html(data))
    text = decode(data, name, html=is_html, encoding=encoding)
    fmt = "html" if is_html else "text"
    return text, is_html, cleaner.clean(text, fmt, site=site), cleaner.evidence(text, fmt, site=site)


def _explain(args: argparse.Namespace) -> int:
    cleaner = _cleaner(_settings(args))
    data = sys.stdin.buffer.read() if str(args.input) == "-" else args.input.read_bytes()
    text, is_html, doc, evidence = _explained(cleaner, data, str(args.input), args.input_format, args.encoding,
                                              args.site)
    if args.html is not None:
        name = "<stdin>" if str(args.input) == "-" else shown(args.input)
        _core.write_atomic(str(args.html), [view.explain_html(name, text, is_html, doc, evidence).encode()])
        kept = sum(1 for b in doc.blocks if b.label == "body")
        print(f"arclean: {kept} of {len(doc.blocks)} blocks kept as body; wrote {shown(args.html)}", file=sys.stderr)
        return EXIT_OK
    color = args.color == "always" or (
        args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    paint = {"body": "32", "title": "1;36", "meta": "33", "boilerplate": "2"}
    for b, ev in zip(doc.blocks, evidence):
        line = text[b.span[0]:b.span[1]]
        line = view.block_text(line, is_html)
        head = f"{b.line:5d}  {b.label:<11s} {b.reason:<18s} {ev['body']:+6.1f}"
        if color:
            head = f"\x1b[{paint[b.label]}m{head}\x1b[0m"
        print(f"{head} {line}")
        if args.why:
            why = "  ".join(f"{name} {c:+.1f}" for name, c in ev["why"][:args.why])
            print(f"{'':6} {why}")
    kept = sum(1 for b in doc.blocks if b.label == "body")
    print(f"arclean: {kept} of {len(doc.blocks)} blocks kept as body", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help()  # `arclean` alone: what it can do, not an error
        return EXIT_USAGE
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) and EXIT_USAGE
    try:
        if args.command == "explain":
            return _explain(args)
        if args.command == "learn":
            return _learn(args)
        return _run(args)
    except ConfigError as e:
        _error(str(e))
        return EXIT_USAGE
    except BrokenPipeError:
        # the reader went away (`| head`): end quietly, and keep Python from failing again when
        # it flushes stdout at exit
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK
    except (ArcleanError, DecodeError, OSError) as e:
        _error(str(e))
        return EXIT_FAILED
    except KeyboardInterrupt:
        _error("interrupted; outputs written so far are complete (use --resume to go on)")
        return 130


if __name__ == "__main__":
    sys.exit(main())
