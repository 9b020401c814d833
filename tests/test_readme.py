"""The README's two quick-start commands are the ones CI and users run."""

from __future__ import annotations

import re

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
