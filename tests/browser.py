"""Headless Chromium for the view tests: loads a local file, returns the page it built, the
console messages it printed and a screenshot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(args: list[str], profile: str) -> subprocess.CompletedProcess:
    exe = chromium()
    assert exe is not None
    base = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]
    env = dict(os.environ, HOME=profile)
    return subprocess.run(base + args, capture_output=True, text=True, timeout=120, env=env)


def load(page: Path, screenshot: Path, width: int = 900, height: int = 1400) -> tuple[str, list[str], Path]:
    """`(dom, console, screenshot)`: the DOM after loading `page`, the console lines Chromium
    logged for it, and the screenshot's path."""
    url = page.resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="arclean-chromium-") as profile:
        dom = _run(["--dump-dom", url], profile)
        shot = _run([f"--window-size={width},{height}", f"--screenshot={screenshot}", url], profile)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    console = [line for line in (dom.stderr + shot.stderr).splitlines() if re.search(r":CONSOLE[:(]", line)]
    return dom.stdout, console, screenshot
