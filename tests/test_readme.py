"""The README's two quick-start commands are the ones CI and users run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_quick_start_has_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    assert commands[0].startswith("pip install") and "arclean " in commands[0]
    assert "pytest" in commands[1] and "cargo test" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_quick_start_sample_ships_with_the_project():
    command = quick_start_commands()[0]
    target = command.split("arclean ", 1)[1].split()[1]
    assert (ROOT / target).exists(), target


def test_settings_example_is_a_valid_configuration(tmp_path):
    from arclean import _config
    from arclean.cli import _cleaner

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("**Settings.**", 1)[1]
    example = re.findall(r"```toml\n(.+?)```", section, re.S)[0]
    conf = tmp_path / "arclean.toml"
    conf.write_text(example, encoding="utf-8")
    settings = _config.load(conf)
    assert settings["extra_phrases"] and settings["normalize"]
    _cleaner(settings)  # raises on an unknown family, rule or switch


def test_arrow_example_runs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Arrow and pandas columns", 1)[1]
    example = re.findall(r"```python\n(.+?)```", section, re.S)[0]
    exec(compile(example, "README.md", "exec"), {})


# Every other code block of the README runs as a script in a fresh interpreter (a missing main
# guard or a missing import fails), in a folder of inputs written here from the project's pages.
PRELUDE = '''\
import json
from pathlib import Path
_records = [json.loads(line) for line in open("pages.jsonl", encoding="utf-8")]
pages = [r["text"] for r in _records]
page = pages[0]
html = next(p for p in pages if p.lstrip().startswith("<"))
html_bytes = html.encode("utf-8")
text = "قال الوزير إن النمو بلغ 3.5 بالمئة. هل يستمر؟\\n\\nفقرة ثانية قصيرة."
'''


def readme_blocks(lang: str) -> list[tuple[str, str]]:
    """(section heading, code) of every block of `lang` outside the quick start."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for section in re.split(r"\n(?=#{2,3} )", text):
        heading = section.splitlines()[0]
        if heading.startswith("## Quick start"):
            continue
        out += [(heading, code) for code in re.findall(rf"```{lang}\n(.+?)```", section, re.S)]
    return out


@pytest.fixture
def inputs(tmp_path):
    import gzip
    import json
    import shutil

    from conftest import DATA

    files = sorted((DATA / "pages").glob("*.txt")) + sorted((DATA / "html").glob("*.html"))
    records = [{"id": f.stem, "text": f.read_text(encoding="utf-8", errors="replace")} for f in files]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    (tmp_path / "pages.jsonl").write_text(lines, encoding="utf-8")
    half = len(records) // 2
    for k, part in enumerate((records[:half], records[half:])):
        (tmp_path / f"pages-{k}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "pages.jsonl").write_text(lines, encoding="utf-8")
    for f in files:  # the command line's pages/ holds pages, the datatrove reader only reads JSONL
        shutil.copy(f, tmp_path / "pages" / f.name)
    (tmp_path / "dump.jsonl.gz").write_bytes(gzip.compress(lines.encode("utf-8")))
    (tmp_path / "crawl" / "drafts").mkdir(parents=True)
    for f in sorted((DATA / "html").glob("*.html")):
        shutil.copy(f, tmp_path / "crawl" / f.name)
        shutil.copy(f, tmp_path / "crawl" / "drafts" / f.name)
    shutil.copy(files[0], tmp_path / "page.txt")
    shutil.copy(sorted((DATA / "html").glob("*.html"))[0], tmp_path / "page.html")
    return tmp_path


def _env():
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("PYTHONPATH", None)
    return env


@pytest.mark.parametrize("heading, code", readme_blocks("python"), ids=lambda v: v[:30] if "\n" not in v else "")
def test_readme_python_block_runs_as_a_script(inputs, heading, code):
    script = inputs / "example.py"
    script.write_text(PRELUDE + code, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], cwd=inputs, env=_env(), capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, f"{heading}\n{run.stderr[-3000:]}"
    if "to_parquet" in code:
        import pandas as pd

        back = pd.read_parquet(inputs / "cleaned", dtype_backend="pyarrow")
        assert len(back) == len(_records(inputs)) and set(back["text"]) != {""}
    if "JsonlWriter" in code:
        written = list((inputs / "cleaned").rglob("*.jsonl.gz"))
        assert written, list((inputs / "cleaned").rglob("*"))


def _records(folder):
    return (folder / "pages.jsonl").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("line", [line for _, code in readme_blocks("sh") for line in code.splitlines()
                                  if line.startswith(("arclean", "cat "))])
def test_readme_command_line_runs(inputs, line):
    run = subprocess.run(["bash", "-c", f"set -o pipefail; {line}"], cwd=inputs, env=_env(),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{line}\n{run.stderr[-3000:]}"
