"""Hostile and unlucky input: pages built to crash or stall the parser, file names that are not
UTF-8 or carry terminal escapes, outputs that would land on inputs or on each other, special
files. Each case ends in a clear per-file error or a documented result, never a crash, a hang or
a lost file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import arclean
from conftest import DATA

from arclean.cli import main

PAGE = sorted((DATA / "pages").glob("*.txt"))[0].read_text(encoding="utf-8")


def run_cli(*args: str, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command in a child process: a crash shows as a signal, a hang as a timeout."""
    return subprocess.run([sys.executable, "-m", "arclean.cli", *args], capture_output=True, timeout=timeout,
                          cwd=cwd)


def snapshot(root: Path) -> dict:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


# -- pages that stress the HTML parser ------------------------------------------------------


def attributes(n: int, quote: str = '"') -> str:
    return "<p " + " ".join(f"a{i}={quote}x{quote}" for i in range(n)) + ">نص قصير</p>"


@pytest.mark.parametrize("n", [7_000, 300_000])
def test_a_tag_with_very_many_attributes_does_not_overflow_the_stack(tmp_path, n):
    page = tmp_path / "e.html"
    page.write_text("<html><body>" + attributes(n) + "<p>" + PAGE + "</p></body></html>", encoding="utf-8")
    done = run_cli("clean", str(page), "-o", str(tmp_path / "out"), "-q")
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "out" / "e.txt").read_text(encoding="utf-8").strip()


def test_many_attributes_in_the_library_on_the_main_thread():
    doc = arclean.Cleaner().clean(attributes(100_000) + "<p>" + PAGE + "</p>", format="html")
    assert doc.text


def test_one_long_class_token():
    # was quadratic (every prefix hashed); its time is measured in benches/test_linear.py
    page = f'<html><body><div class="{"a" * 400_000}"><p>{PAGE}</p></div></body></html>'
    assert arclean.Cleaner().clean(page, format="html").text


def test_many_extra_phrases():
    # building was quadratic (10 s and 1 GB for 64k phrases); measured in benches/test_linear.py
    words = ["خبر", "عاجل", "تابع", "شاهد", "اقرأ", "المزيد", "فيديو", "صور"]
    phrases = [f"{words[i % 8]} {words[i // 8 % 8]} {i}" for i in range(64_000)]
    cleaner = arclean.Cleaner(extra_phrases={"related": phrases})
    doc = cleaner.clean("تابع فيديو 17\n" + PAGE)
    assert doc.text and "تابع فيديو 17" not in doc.text


# -- file names -------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="file names as raw bytes")
def test_file_names_that_are_not_utf8(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    name = os.fsdecode(b"\xe3\xd5\xd1.txt")  # an Arabic name in cp1256
    (src / name).write_text(PAGE, encoding="utf-8")
    (src / "ok.txt").write_text(PAGE, encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert (tmp_path / "out" / name).exists() and (tmp_path / "out" / "ok.txt").exists()
    report = tmp_path / "r.json"
    assert main(["clean", str(src), "-o", str(tmp_path / "recs"), "--format", "jsonl", "-q",
                 "--report", str(report)]) == 0
    sources = [json.loads(line)["source"] for line in (tmp_path / "recs" / "pages-00000.jsonl").open(encoding="utf-8")]
    assert any("\\xe3\\xd5\\xd1" in s for s in sources)


def test_terminal_escapes_in_names_are_not_printed_raw(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    bad = src / "x\x1b[2Jy.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)  # binary: reported with its name
    assert main(["clean", str(src), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2Jy.txt" in err


# -- outputs never land on inputs or on each other ---------------------------------------------


def test_two_folders_with_the_same_names_collide_loudly(tmp_path, capsys):
    for d in "AB":
        (tmp_path / d).mkdir()
        (tmp_path / d / "x.txt").write_text(PAGE, encoding="utf-8")
    code = main(["clean", str(tmp_path / "A"), str(tmp_path / "B"), "-o", str(tmp_path / "out"), "-j", "2"])
    err = capsys.readouterr().err
    assert code == 1
    assert str(tmp_path / "B" / "x.txt") in err and str(tmp_path / "A" / "x.txt") in err
    # the first input wins, every run
    first = arclean.Cleaner().clean(PAGE).text
    assert (tmp_path / "out" / "x.txt").read_text(encoding="utf-8").strip() == first.strip()


@pytest.mark.parametrize("names", [
    ["a.txt", "a.TXT"],
    ["noext", "noext.txt"],
    ["b.html", "b.txt", "b.html.txt"],
])
def test_names_that_map_to_one_output_are_all_written_or_reported(tmp_path, capsys, names):
    src = tmp_path / "in"
    src.mkdir()
    for n in names:
        (src / n).write_text(PAGE if not n.endswith("html") else f"<p>{PAGE}</p>", encoding="utf-8")
    code = main(["clean", str(src), "--include", "*", "-o", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    failed = err.count("not written")
    assert len(written) + failed == len(names)
    assert code == (1 if failed else 0)
    # every .txt input keeps its own name
    assert all(n in written for n in names if n.endswith(".txt"))


def test_shards_never_overwrite_an_input(tmp_path, capsys):
    src = tmp_path / "X"
    src.mkdir()
    (src / "a.txt").write_text(PAGE, encoding="utf-8")
    (src / "pages-00000.jsonl").write_text('{"text": "نص"}\n', encoding="utf-8")
    before = snapshot(src)
    assert main(["clean", str(src), "-o", str(src), "--format", "jsonl"]) == 2
    assert "pages-00000.jsonl" in capsys.readouterr().err
    assert snapshot(src) == before


@pytest.mark.parametrize("where", ["input", "output"])
def test_the_report_never_overwrites_an_input_or_an_output(tmp_path, capsys, where):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(PAGE, encoding="utf-8")
    report = src / "a.txt" if where == "input" else tmp_path / "out" / "a.txt"
    before = snapshot(src)
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "--report", str(report)]) == 2
    assert "report" in capsys.readouterr().err
    assert snapshot(src) == before


# -- special files and symlinks ----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs")
def test_a_fifo_in_a_folder_is_skipped_not_waited_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    os.mkfifo(src / "x.txt")
    os.mkfifo(src / "y.jsonl")
    (src / "ok.txt").write_text(PAGE, encoding="utf-8")
    done = run_cli("clean", str(src), "-o", str(tmp_path / "out"), timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert "not a regular file" in done.stderr.decode()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["ok.txt"]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="a device that never ends")
@pytest.mark.parametrize("name", ["z.txt", "z.jsonl"])
def test_symlinks_to_devices_are_not_read_forever(tmp_path, name):
    src = tmp_path / "in"
    src.mkdir()
    os.symlink("/dev/zero", src / name)
    (src / "ok.txt").write_text(PAGE, encoding="utf-8")
    # not followed by default; followed, the device is left out as a special file
    for extra in ([], ["--follow"]):
        done = run_cli("clean", str(src), "-o", str(tmp_path / f"out{len(extra)}"), *extra, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        assert sorted(p.name for p in (tmp_path / f"out{len(extra)}").iterdir()) == ["ok.txt"]
    # given directly, a page read stops at --max-bytes
    done = run_cli("clean", str(src / name), "--input-format", "text", "--max-bytes", "100000",
                   "-o", str(tmp_path / "direct"), timeout=60)
    assert done.returncode == 1 and b"more than 100000 bytes" in done.stderr


def test_symlinks_leaving_the_tree_are_not_followed(tmp_path):
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "key.txt").write_text("سر لا يخرج من هنا أبدا", encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text(PAGE, encoding="utf-8")
    os.symlink(secret / "key.txt", src / "key.txt")
    os.symlink(secret, src / "linked")
    assert main(["normalize", str(src), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").rglob("*")) == ["ok.txt"]
    assert main(["normalize", str(src), "-o", str(tmp_path / "followed"), "-q", "--follow"]) == 0
    assert (tmp_path / "followed" / "key.txt").exists() and (tmp_path / "followed" / "linked" / "key.txt").exists()


# -- broken compressed input ---------------------------------------------------------------------


def test_a_truncated_gzip_fails_and_is_redone_on_resume(tmp_path):
    import gzip

    src = tmp_path / "in"
    src.mkdir()
    lines = "".join(json.dumps({"text": f"{PAGE}\n{i}"}, ensure_ascii=False) + "\n" for i in range(300))
    data = gzip.compress(lines.encode())
    (src / "t.jsonl.gz").write_bytes(data[: len(data) // 2])
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "-q"]) == 1
    assert not (out / "t.jsonl.gz").exists() and not list(out.rglob("*.tmp"))
    (src / "t.jsonl.gz").write_bytes(data)
    assert main(["clean", str(src), "-o", str(out), "-q", "--resume"]) == 0
    assert len(gzip.decompress((out / "t.jsonl.gz").read_bytes()).splitlines()) == 300


def test_a_gzip_of_newlines_is_read_in_bounded_steps(tmp_path):
    import gzip

    path = tmp_path / "newlines.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n" * (8 << 20)))
    runner = arclean._core.Runner(arclean.Normalizer(), jobs=1)
    f = runner.open_jsonl(str(path), None)
    steps = 0
    while True:
        *_, done = f.step(max_bytes=1 << 20)
        steps += 1
        if done:
            break
    f.finish()
    # blank lines count toward a step: about one step per MiB read, each returning to Python
    # (where Ctrl-C is seen); before, the whole file went in one step
    assert steps >= 8


def test_a_symlink_loop_followed_is_entered_once(tmp_path):
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    (src / "a" / "ok.txt").write_text(PAGE, encoding="utf-8")
    os.symlink("..", src / "a" / "up")
    report = tmp_path / "r.json"
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "-q", "--follow", "--report", str(report)]) == 0
    assert [s["kind"] for s in json.loads(report.read_text(encoding="utf-8"))["skipped"]] == ["symlink_loop"]


# -- memory bounded by the input ------------------------------------------------------------------


def peak_of_child(args: list[str]) -> tuple[int, int]:
    """Exit status and peak resident memory (bytes) of `arclean ARGS`, in a fresh process."""
    code = ("import resource, subprocess, sys;"
            "r = subprocess.run([sys.executable, '-m', 'arclean.cli', *sys.argv[1:]], capture_output=True);"
            "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=300, check=True)
    rc, peak = done.stdout.split()
    return int(rc), int(peak)


def test_a_page_of_millions_of_tiny_lines_is_refused_in_bounded_memory(tmp_path):
    page = tmp_path / "tiny.txt"
    page.write_bytes(b"x\n" * (8 << 20))  # 16 MB, 8M lines: 3 GB when every line was judged
    rc, peak = peak_of_child(["clean", str(page), "-o", str(tmp_path / "out"), "-q"])
    assert rc == 1  # too large: more blocks than one page has
    assert peak < 400 << 20
    doc_error = pytest.raises(arclean.InputTooLargeError, arclean.Cleaner().clean, "x\n" * 200_000)
    assert "blocks" in str(doc_error.value)


# -- encodings: repair only on strong evidence ---------------------------------------------------


def test_french_capitals_are_not_taken_for_mojibake(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    french = "OÙ VA LA TUNISIE ? Le débat de l'été, Ø© compris.\n"
    (src / "fr.txt").write_text(french + PAGE, encoding="utf-8")
    assert main(["normalize", str(src), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert (tmp_path / "out" / "fr.txt").read_text(encoding="utf-8").startswith("OÙ VA LA TUNISIE")


def test_a_file_of_utf8_and_cp1256_halves_reads_both(tmp_path):
    half = len(PAGE.splitlines()) // 2
    lines = PAGE.splitlines(keepends=True)
    data = "".join(lines[:half]).encode("utf-8") + "".join(lines[half:]).encode("cp1256", errors="replace")
    from arclean._io import decode

    text = decode(data)
    assert "".join(lines[:half]) in text
    assert not any("\u00c0" <= c <= "\u00ff" for c in text)  # no Latin garbage


def test_declared_utf8_on_cp1256_bytes_is_read_as_cp1256(tmp_path):
    html = f'<html><head><meta charset="utf-8"></head><body><p>{PAGE}</p></body></html>'
    (tmp_path / "p.html").write_bytes(html.encode("cp1256", errors="replace"))
    assert main(["clean", str(tmp_path / "p.html"), "-o", str(tmp_path / "out"), "-q"]) == 0
    body = (tmp_path / "out" / "p.txt").read_text(encoding="utf-8")
    assert len(body) > 100 and "\ufffd" not in body


# -- smaller cases ---------------------------------------------------------------------------------


def test_long_output_names_leave_room_for_temporaries(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    name = "%D8%A7" * 40 + ".txt"  # a percent-encoded Arabic slug: 244 bytes
    (src / name).write_text(PAGE, encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "-q"]) == 0
    assert (tmp_path / "out" / name).exists()
    assert main(["clean", str(src), "-o", str(tmp_path / "recs"), "--format", "jsonl", "-q"]) == 0


@pytest.mark.parametrize("value", [True, -1, 1.5, "big"])
def test_bad_byte_limits_are_config_errors(value):
    with pytest.raises(arclean.ConfigError):
        arclean.Cleaner(max_bytes=value)


def test_a_huge_byte_limit_means_no_limit():
    assert arclean.Cleaner(max_bytes=10**30).clean(PAGE).text


@pytest.mark.parametrize("toml", [
    'extra_phrases = {related = "شاهد"}',
    'disable = [1, 2]',
    'max_bytes = -5',
    'abbreviations = [true]',
])
def test_config_files_of_the_wrong_shape_are_usage_errors(tmp_path, capsys, toml):
    conf = tmp_path / "arclean.toml"
    conf.write_text(toml + "\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "--config", str(conf), "-o", str(tmp_path / "out")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_broken_pyproject_with_our_table_is_reported(tmp_path):
    from arclean import _config

    (tmp_path / "pyproject.toml").write_text("[tool.arclean]\npreset = \n", encoding="utf-8")
    with pytest.raises(arclean.ConfigError):
        _config.load(None, cwd=tmp_path)
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n", encoding="utf-8")
    assert _config.load(None, cwd=tmp_path) == {}


def test_shards_take_the_same_permissions_as_pages(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "pages"), "-q"]) == 0
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "recs"), "--format", "jsonl", "-q"]) == 0
    page_mode = (tmp_path / "pages" / "a.txt").stat().st_mode & 0o777
    assert (tmp_path / "recs" / "pages-00000.jsonl").stat().st_mode & 0o777 == page_mode


@pytest.mark.skipif(sys.platform == "win32", reason="advisory locks")
def test_a_second_run_on_a_busy_output_folder_is_refused(tmp_path):
    import fcntl

    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / ".a.txt.arclean-1-0.tmp").write_text("a live run's temporary", encoding="utf-8")
    fd = os.open(out, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a live run holds it
    try:
        done = run_cli("clean", str(tmp_path / "a.txt"), "-o", str(out), "--resume")
        assert done.returncode == 2 and b"another arclean run" in done.stderr
        assert (out / ".a.txt.arclean-1-0.tmp").exists()
    finally:
        os.close(fd)
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(out), "--resume", "-q"]) == 0
    assert not (out / ".a.txt.arclean-1-0.tmp").exists()


def test_too_many_jobs_are_bounded_by_the_cores(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    done = run_cli("clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--jobs", "100000")
    assert done.returncode == 0 and b"cores; using" in done.stderr
    assert arclean._core.Runner(arclean.Normalizer(), jobs=100_000).jobs <= (os.cpu_count() or 1)


# -- command-line habits -----------------------------------------------------------------------------


def test_a_closed_pipe_ends_quietly(tmp_path):
    for k in range(200):
        (tmp_path / f"p{k:03d}.txt").write_text(PAGE, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "arclean.cli", "clean", str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()  # as `| head` does
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert b"Broken pipe" not in err and b"Traceback" not in err


def test_no_input_files_is_said(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["clean", str(tmp_path / "empty"), "-o", str(tmp_path / "out")]) == 1
    assert "no input files" in capsys.readouterr().err


def test_the_bare_command_prints_its_help(capsys):
    assert main([]) == 2
    assert "clean" in capsys.readouterr().out


def test_the_report_is_enough_to_reproduce_the_run(tmp_path):
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    report = tmp_path / "r.json"
    assert main(["clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--disable", "duplicate",
                 "--report", str(report), "-q"]) == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["version"] == arclean.__version__
    assert "duplicate" in data["settings"]["disable"]


def test_stdin_is_named_stdin_not_a_temporary_path(tmp_path):
    done = subprocess.run([sys.executable, "-m", "arclean.cli", "clean", "--format", "jsonl"],
                          input=PAGE.encode(), capture_output=True, timeout=120)
    assert done.returncode == 0
    assert json.loads(done.stdout)["source"] == "<stdin>"
    done = subprocess.run([sys.executable, "-m", "arclean.cli", "clean", "-"], input=b"\x00\x01" * 50,
                          capture_output=True, timeout=120)
    assert done.returncode == 1 and b"<stdin>" in done.stderr and b"arclean-stdin-" not in done.stderr


def test_pages_to_stdout_are_a_blank_line_apart(tmp_path):
    for k in range(3):
        (tmp_path / f"p{k}.txt").write_text(PAGE, encoding="utf-8")
    done = run_cli("clean", str(tmp_path), "-q")
    body = arclean.clean(PAGE).text
    assert done.returncode == 0
    assert done.stdout.decode("utf-8") == "\n".join([body + "\n"] * 3)
