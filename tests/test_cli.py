"""The command line: folders of mixed pages, encodings and bad files; exit status, outputs,
reports, resuming after a kill, and inputs left as they were."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import arclean
from conftest import DATA

from arclean.cli import main

PAGES = sorted((DATA / "pages").glob("*.txt"))


def expect(name: str) -> dict:
    return json.loads((DATA / "pages" / name).with_suffix(".json").read_text(encoding="utf-8"))


def snapshot(root: Path) -> dict:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def garble(text: str) -> str:
    """Arabic UTF-8 read as windows-1252 (Latin-1 for its undefined bytes): mojibake."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


@pytest.fixture
def tree(tmp_path):
    """Nested folders: text pages in five encodings, mojibake, HTML, JSONL plain and gzip, a
    binary file, an empty file, files of other kinds, a symlink loop."""
    src = tmp_path / "in"
    (src / "news" / "2024").mkdir(parents=True)
    (src / "html").mkdir()
    (src / "dumps").mkdir()
    texts = [p.read_text(encoding="utf-8") for p in PAGES]
    (src / "a-utf8.txt").write_text(texts[0], encoding="utf-8")
    (src / "news" / "b-bom.txt").write_text("\ufeff" + texts[1], encoding="utf-8")
    (src / "news" / "c-utf16.txt").write_bytes(texts[2].encode("utf-16"))
    (src / "news" / "2024" / "d-utf16le.txt").write_bytes(texts[3].encode("utf-16-le"))
    (src / "news" / "2024" / "e-1256.txt").write_bytes(texts[4].encode("cp1256"))
    (src / "news" / "f-mojibake.txt").write_text(garble(texts[5]), encoding="utf-8")
    (src / "html" / "story.html").write_bytes((DATA / "html" / "news-portal.html").read_bytes())
    (src / "html" / "notice.htm").write_bytes((DATA / "html" / "gov-notice.html").read_bytes())
    records = [{"id": k, "url": f"https://example.org/{k}", "text": t} for k, t in enumerate(texts[:4])]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (src / "dumps" / "part.jsonl").write_text(lines, encoding="utf-8")
    (src / "dumps" / "part2.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (src / "empty.txt").write_bytes(b"")
    (src / "notes.md").write_text("# not read without --include", encoding="utf-8")
    (src / ".hidden.txt").write_text("x", encoding="utf-8")
    os.symlink("..", src / "news" / "2024" / "up")  # a loop back to news/
    return src


def page_names(texts_index: int) -> str:
    return PAGES[texts_index].name


def test_a_mixed_tree(tree, tmp_path, capsys):
    before = snapshot(tree)
    out, report = tmp_path / "out", tmp_path / "report.json"
    assert main(["clean", str(tree), "-o", str(out), "--report", str(report)]) == 1  # binary and empty failed
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == [
        "a-utf8.txt", "dumps/part.jsonl", "dumps/part2.jsonl.gz", "html/notice.txt", "html/story.txt",
        "news/2024/d-utf16le.txt", "news/2024/e-1256.txt", "news/b-bom.txt", "news/c-utf16.txt",
        "news/f-mojibake.txt",
    ]
    bodies = {
        "a-utf8.txt": 0, "news/b-bom.txt": 1, "news/c-utf16.txt": 2, "news/2024/d-utf16le.txt": 3,
        "news/2024/e-1256.txt": 4, "news/f-mojibake.txt": 5,
    }
    for name, k in bodies.items():
        # whatever the encoding, the body is the one the library gives for the page's text
        body = (out / name).read_text(encoding="utf-8")
        want = arclean.clean(PAGES[k].read_text(encoding="utf-8")).text
        assert _norm(body) == _norm(want), name
    recs = [json.loads(x) for x in (out / "dumps" / "part.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == [0, 1, 2, 3]
    assert recs[2]["url"] == "https://example.org/2"  # other fields carried
    assert recs[2]["text"] == (out / "news" / "c-utf16.txt").read_text(encoding="utf-8").rstrip("\n")
    assert gzip.decompress((out / "dumps" / "part2.jsonl.gz").read_bytes()).decode() == (
        out / "dumps" / "part.jsonl").read_text(encoding="utf-8")
    assert "سجلت صادرات التمور" in (out / "html" / "story.txt").read_text(encoding="utf-8")

    rep = json.loads(report.read_text(encoding="utf-8"))
    assert {(Path(f["path"]).name, f["kind"]) for f in rep["failures"]} == {("binary.txt", "binary"), ("empty.txt", "empty")}
    assert rep["files"] == {"done": 10, "failed": 2, "already_done": 0}
    assert rep["pages"] == 8 + 8  # 8 page files, 8 records
    assert rep["mojibake"]["pages"] == 1 and rep["mojibake"]["characters"] > 100
    assert {"UTF-8", "UTF-16LE", "windows-1256"} <= set(rep["encodings"])
    assert rep["reasons"] and 0 < rep["removed_share"] < 1
    assert [s["kind"] for s in rep["skipped"]] == ["symlink"]  # not followed by default
    err = capsys.readouterr().err
    assert "binary.txt: binary data" in err and "empty.txt: no text" in err
    assert "10 files cleaned, 2 failed" in err and "mojibake repaired in 1 pages" in err
    assert snapshot(tree) == before


def _norm(s: str) -> str:
    import arclean

    return " ".join(arclean.normalize(s).split())


def test_same_output_for_one_and_two_jobs(tree, tmp_path):
    for fmt in ("txt", "jsonl"):
        outs = []
        for jobs in ("1", "2"):
            out = tmp_path / f"out-{fmt}-{jobs}"
            main(["clean", str(tree), "-o", str(out), "--jobs", jobs, "--format", fmt, "-q"])
            outs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
        assert outs[0] == outs[1] and len(outs[0]) >= 3


def test_records_carry_spans_into_the_input(tree, tmp_path):
    out = tmp_path / "all.jsonl"
    assert main(["clean", str(tree / "news"), "-o", str(out), "--format", "jsonl", "-q"]) == 0
    recs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [Path(r["source"]).name for r in recs] == ["b-bom.txt", "c-utf16.txt", "f-mojibake.txt", "d-utf16le.txt", "e-1256.txt"]
    for r in recs:
        source = Path(r["source"])
        from arclean._io import decode

        text = decode(source.read_bytes(), str(source))
        assert len(r["paragraphs"]) == len(arclean.clean(text).paragraphs) and r["removed"]
        for s in r["sentences"]:
            a, b = s["span"]
            assert _norm(text[a:b]) == _norm(s["text"])
        for rm in r["removed"]:
            a, b = rm["span"]
            assert text[a:b].strip() and rm["reason"]
    assert recs[2]["mojibake_repaired"] > 100


def test_killed_run_resumes_where_it_stopped(tmp_path):
    src, out, ref = tmp_path / "in", tmp_path / "out", tmp_path / "ref"
    texts = [p.read_text(encoding="utf-8") for p in PAGES]
    for k in range(4000):
        d = src / f"{k // 500:02d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{k:05d}.txt").write_text(texts[k % len(texts)] * 2, encoding="utf-8")
    assert main(["clean", str(src), "-o", str(ref), "-q"]) == 0
    cmd = [sys.executable, "-m", "arclean.cli", "clean", str(src), "-o", str(out), "--jobs", "1", "-q"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(out.rglob("*.txt")):
        time.sleep(0.005)
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = [p for p in out.rglob("*.txt") if not p.name.startswith(".")]
    assert 0 < len(done) < 4000, "the run was not stopped half-way"
    for p in done:  # what a killed run left is complete
        assert p.read_bytes() == (ref / p.relative_to(out)).read_bytes()
    report = tmp_path / "r.json"
    assert main(["clean", str(src), "-o", str(out), "--resume", "-q", "--report", str(report)]) == 0
    rep = json.loads(report.read_text(encoding="utf-8"))
    assert rep["files"]["already_done"] == len(done)
    assert rep["files"]["done"] == 4000 - len(done)
    got = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    want = {p.relative_to(ref): p.read_bytes() for p in ref.rglob("*") if p.is_file()}
    assert got == want  # no temporaries left, every output complete and right


def _without_override():  # pragma: no cover - runs in the child
    """Root reads any file: drop the two capabilities that let it, so permissions apply."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

    dac_override, dac_read_search, pr_capbset_drop = 1, 2, 24
    for cap in (dac_override, dac_read_search):
        if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    header, data = Header(0x20080522, 0), (Data * 2)()
    if libc.capget(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capget")
    mask = ~((1 << dac_override) | (1 << dac_read_search)) & 0xFFFFFFFF
    for field in ("effective", "permitted", "inheritable"):
        setattr(data[0], field, getattr(data[0], field) & mask)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def test_unreadable_file_and_folder(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    (src / "locked").mkdir(parents=True)
    (src / "ok.txt").write_text(PAGES[0].read_text(encoding="utf-8"), encoding="utf-8")
    (src / "secret.txt").write_text("نص", encoding="utf-8")
    (src / "locked" / "x.txt").write_text("نص", encoding="utf-8")
    os.chmod(src / "secret.txt", 0)
    os.chmod(src / "locked", 0)
    try:
        cmd = [sys.executable, "-m", "arclean.cli", "clean", str(src), "-o", str(out), "--report", str(tmp_path / "r.json")]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                                 preexec_fn=_without_override if os.geteuid() == 0 else None)
        except (OSError, subprocess.SubprocessError) as e:
            pytest.skip(f"cannot run without the right to read every file here: {e}")
        assert res.returncode == 1, res.stderr
        assert "secret.txt: Permission denied" in res.stderr
        rep = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
        kinds = sorted((Path(f["path"]).name, f["kind"]) for f in rep["failures"])
        assert kinds == [("locked", "unreadable"), ("secret.txt", "unreadable")]
        assert (out / "ok.txt").read_text(encoding="utf-8").strip()
    finally:
        os.chmod(src / "locked", 0o755)
        os.chmod(src / "secret.txt", 0o644)


def test_never_overwrites_an_input(tree, capsys):
    before = snapshot(tree)
    assert main(["normalize", str(tree / "a-utf8.txt"), "-o", str(tree)]) == 1
    assert "refusing to overwrite an input file" in capsys.readouterr().err
    assert main(["clean", str(tree / "a-utf8.txt"), "-o", str(tree / "a-utf8.txt"), "--format", "jsonl"]) == 2
    assert "not a folder" in capsys.readouterr().err
    part = tree / "dumps" / "part.jsonl"
    assert main(["clean", str(part), "-o", str(part), "--format", "jsonl"]) == 2
    assert "refusing to overwrite an input file" in capsys.readouterr().err
    assert snapshot(tree) == before


def test_output_folder_inside_the_input_is_not_read_again(tree, capsys):
    out = tree / "cleaned"
    assert main(["clean", str(tree), "-o", str(out), "-q"]) == 1
    assert main(["clean", str(tree), "-o", str(out)]) == 1  # a second run reads the same inputs
    assert not (out / "cleaned").exists()
    assert "10 files cleaned, 2 failed" in capsys.readouterr().err


def test_include_exclude_and_forced_encoding(tree, tmp_path):
    out = tmp_path / "out"
    assert main(["clean", str(tree), "-o", str(out), "--include", "*.md", "--include", "news/*.txt",
                 "--exclude", "*mojibake*", "-q"]) == 0
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert names == ["news/2024/d-utf16le.txt", "news/2024/e-1256.txt", "news/b-bom.txt", "news/c-utf16.txt", "notes.txt"]
    iso = tmp_path / "iso.txt"
    iso.write_bytes(PAGES[4].read_text(encoding="utf-8").encode("iso-8859-6", errors="replace"))
    forced = tmp_path / "forced"
    assert main(["clean", str(iso), "-o", str(forced), "--encoding", "iso-8859-6", "-q"]) == 0
    assert expect(PAGES[4].name)["keep"][0][:20] in (forced / "iso.txt").read_text(encoding="utf-8")


def test_stdin_and_stdout(monkeypatch, capsys):
    page = PAGES[0].read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page.encode("cp1256"))))
    assert main(["clean", "-"]) == 0
    out = capsys.readouterr().out
    assert _norm(expect(PAGES[0].name)["keep"][0]) in _norm(out)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("أَهْلاً".encode())))
    assert main(["normalize", "--preset", "search"]) == 0
    assert capsys.readouterr().out == "اهلا"
    lines = json.dumps({"id": 7, "body": "قال الوزير: بدأ العمل. وانتهى الاجتماع؟ نعم"}, ensure_ascii=False) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert main(["segment", "--input-format", "jsonl", "--text-field", "body", "--format", "jsonl"]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["id"] == 7 and [s["text"] for s in rec["sentences"]] == [
        "قال الوزير: بدأ العمل.", "وانتهى الاجتماع؟", "نعم"]


def test_segment_files(tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("جملة أولى. جملة ثانية!\n\nفقرة أخرى؟ نعم", encoding="utf-8")
    assert main(["segment", str(f)]) == 0
    assert capsys.readouterr().out == "جملة أولى.\nجملة ثانية!\n\nفقرة أخرى؟\nنعم\n"


def test_settings_from_a_file_and_from_pyproject(tmp_path, monkeypatch, capsys):
    page = tmp_path / "p.txt"
    page.write_text("الرئيسية\n\nقال الوزير إن الخطة جاهزة للتنفيذ خلال الشهر المقبل في كل المحافظات.\n\nجميع الحقوق محفوظة\n",
                    encoding="utf-8")
    assert main(["clean", str(page)]) == 0
    assert "قال الوزير إن الخطة" in capsys.readouterr().out
    conf = tmp_path / "arclean.toml"
    conf.write_text('preset = "search"\ndisable = ["copyright"]\n[normalize]\nfold_alef = false\n', encoding="utf-8")
    assert main(["clean", str(page), "--config", str(conf)]) == 0
    assert "قال الوزير إن الخطه" in capsys.readouterr().out  # search folds teh marbuta; alef kept by the switch
    assert main(["clean", str(page), "--config", str(conf), "--preset", "safe"]) == 0  # the command line wins
    assert "قال الوزير إن الخطة" in capsys.readouterr().out
    (tmp_path / "pyproject.toml").write_text('[tool.arclean]\npreset = "search"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["clean", str(page)]) == 0
    assert "قال الوزير ان الخطه" in capsys.readouterr().out
    conf.write_text("colour = 'red'\n", encoding="utf-8")
    assert main(["clean", str(page), "--config", str(conf)]) == 2
    assert "unknown settings ['colour']" in capsys.readouterr().err
    conf.write_text("disable = 'copyright'\n", encoding="utf-8")
    assert main(["clean", str(page), "--config", str(conf)]) == 2
    assert "'disable' must be a list" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["normalize", "--preset", "fast"], "invalid choice"),
        (["normalize", "--set", "strip_everything=true", "x"], "unknown switch"),
        (["normalize", "--set", "strip_tatweel=maybe"], "must be true or false"),
        (["normalize", "no/such/file.txt"], "no such file or folder"),
        (["clean", "x", "--resume"], "--resume needs an output folder"),
        (["clean", "x", "--encoding", "klingon"], "unknown encoding"),
        (["clean", "x", "--jobs", "-3"], "--jobs must be"),
    ],
)
def test_usage_errors_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").write_text("x")
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_html_names_and_explain(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "story.html").write_bytes((DATA / "html" / "news-portal.html").read_bytes())
    (src / "story.txt").write_text("عنوان\n\nقال الوزير إن الخطة جاهزة للتنفيذ خلال الشهر المقبل في كل المحافظات.\n",
                                   encoding="utf-8")
    (src / "GOV.HTM").write_bytes((DATA / "html" / "gov-notice.html").read_bytes())
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "-q"]) == 0
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["GOV.txt", "story.html.txt", "story.txt"]
    assert "<" not in (out / "story.html.txt").read_text(encoding="utf-8")
    assert "قنوات الري" in (out / "GOV.txt").read_text(encoding="utf-8")  # windows-1256, declared
    assert main(["explain", str(src / "story.html"), "--color", "always"]) == 0
    shown = capsys.readouterr().out
    assert "navigation" in shown and "\x1b[32m" in shown and "\x1b[2m" in shown
    assert main(["explain", str(src / "story.txt"), "--color", "never"]) == 0
    assert "\x1b[" not in capsys.readouterr().out


def test_the_report_lists_the_pages_that_gave_an_empty_result(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    menu = "الرئيسية\nأخبار\nرياضة\nاتصل بنا\n"
    page = PAGES[0].read_text(encoding="utf-8")
    (src / "article.txt").write_text(page, encoding="utf-8")
    (src / "menu.txt").write_text(menu, encoding="utf-8")
    records = [{"text": page}, {"text": menu}, {"text": page}, {"text": "   "}]
    (src / "dump.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                    encoding="utf-8")
    report = tmp_path / "r.json"
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "-q", "--report", str(report)]) == 0
    rep = json.loads(report.read_text(encoding="utf-8"))
    listed = {(Path(e["path"]).name, e.get("line")) for e in rep["empty_pages"]}
    assert listed == {("menu.txt", None), ("dump.jsonl", 2), ("dump.jsonl", 4)}
    assert rep["empty_results"] == 3
