"""The command line: exit status, outputs, and inputs left as they were."""

from __future__ import annotations

import io
import sys

import pytest

from arclean.cli import main


@pytest.fixture
def tree(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("العــربية  ﻻ\r\n", encoding="utf-8")
    (src / "sub" / "b.txt").write_text("\ufeffفی البيت", encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\xd8\xa7 ok \xff\xfe\xfa broken")
    (src / "skip.bin").write_bytes(b"\x00\x01")
    (src / ".hidden.txt").write_text("x", encoding="utf-8")
    return src


def snapshot(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_folder_to_folder(tree, tmp_path, capsys):
    before = snapshot(tree)
    out = tmp_path / "out"
    assert main(["normalize", str(tree), "-o", str(out)]) == 1  # bad.txt failed
    assert (out / "a.txt").read_text(encoding="utf-8") == "العربية لا\n"
    assert (out / "sub" / "b.txt").read_text(encoding="utf-8") == "في البيت"
    assert not (out / "bad.txt").exists()
    assert not (out / "skip.bin").exists() and not (out / ".hidden.txt").exists()
    err = capsys.readouterr().err
    assert "bad.txt: cannot decode as utf-8: invalid byte at offset" in err
    assert "2 normalized, 1 failed" in err
    assert snapshot(tree) == before


def test_file_to_stdout_with_preset_and_switch(tree, capsys):
    assert main(["normalize", str(tree / "a.txt"), "--preset", "search", "--set", "fold_alef=false"]) == 0
    assert capsys.readouterr().out == "العربيه لا\n"


def test_stdin_to_stdout(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("أَهْلاً".encode())))
    assert main(["normalize", "--preset", "search"]) == 0
    assert capsys.readouterr().out == "اهلا"


def test_never_overwrites_an_input(tree, capsys):
    before = snapshot(tree)
    assert main(["normalize", str(tree / "a.txt"), "-o", str(tree)]) == 1
    assert "refusing to overwrite an input file" in capsys.readouterr().err
    assert snapshot(tree) == before


@pytest.mark.parametrize(
    "argv, message",
    [
        (["normalize", "--preset", "fast"], "invalid choice"),
        (["normalize", "--set", "strip_everything=true", "x"], "unknown switch"),
        (["normalize", "--set", "strip_tatweel=maybe"], "must be true or false"),
        (["normalize", "no/such/file.txt"], "no such file or folder"),
        ([], "required"),
    ],
)
def test_usage_errors_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x").write_text("x")
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_output_folder_inside_the_input_is_not_read_again(tree, capsys):
    out = tree / "cleaned"
    assert main(["normalize", str(tree), "-o", str(out)]) == 1
    assert main(["normalize", str(tree), "-o", str(out)]) == 1  # a second run reads the same inputs
    assert not (out / "cleaned").exists()
    assert "2 normalized, 1 failed" in capsys.readouterr().err.splitlines()[-1]


def test_html_pages_in_a_folder(tmp_path, capsys):
    from conftest import DATA

    src = tmp_path / "in"
    src.mkdir()
    news = (DATA / "html" / "news-portal.html").read_bytes()
    (src / "story.html").write_bytes(news)
    (src / "story.txt").write_text("عنوان\n\nقال الوزير إن الخطة جاهزة للتنفيذ خلال الشهر المقبل في كل المحافظات.\n", encoding="utf-8")
    (src / "GOV.HTM").write_bytes((DATA / "html" / "gov-notice.html").read_bytes())
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    assert main(["clean", str(src), "-o", str(tmp_path / "out")]) == 0
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["GOV.txt", "story.html.txt", "story.txt"]
    assert "سجلت صادرات التمور" in (out / "story.html.txt").read_text(encoding="utf-8")
    assert "<" not in (out / "story.html.txt").read_text(encoding="utf-8")
    assert "قنوات الري" in (out / "GOV.txt").read_text(encoding="utf-8")  # windows-1256, declared
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before
    assert main(["explain", str(src / "story.html")]) == 0
    assert "navigation" in capsys.readouterr().out
