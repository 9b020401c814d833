"""Shared fixtures: hypothesis profiles and the development set beside the project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
DEV_SET = SHARED / "dev-set"


def run_scorer(gold, pred) -> str:
    """The dev set's scorer on cleaned bodies `pred` against `gold`: its printed rows."""
    return subprocess.run(
        [sys.executable, str(DEV_SET / "score.py"), "--gold", str(gold), "--pred", str(pred)],
        check=True, capture_output=True, text=True,
    ).stdout

# CI draws the same examples every run (a fresh clone has no example database): a red CI means a
# change broke something, not that a new example was drawn; the dev profile explores at random.
settings.register_profile("ci", max_examples=300, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def dev_pages() -> list[Path]:
    pages = sorted((DEV_SET / "pages").glob("*.txt"))
    return pages


@pytest.fixture(scope="session")
def dev_texts() -> list[str]:
    pages = dev_pages()
    if not pages:
        pytest.skip("the development set (../shared/dev-set) is not beside the project")
    return [p.read_text(encoding="utf-8") for p in pages]
