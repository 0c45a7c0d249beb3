"""Shared fixtures: real builds of real lessons, run the way users run them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "content" / "chongqing-governance"
ENGLISH = ROOT / "content" / "open-source-licences"

# `./run test` (and so CI) draws the property tests' inputs from a fixed seed, so a
# run is repeatable; plain pytest explores new inputs each run, and what it finds
# becomes an @example. (A random input once found a WeasyPrint crash in CI.)
settings.register_profile("repeatable", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def run_lectern(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run ``python -m builder`` in a real process, as a user or CI would."""
    return subprocess.run(
        [sys.executable, "-m", "builder", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """Both example lessons built once into a fresh output folder."""
    output = tmp_path_factory.mktemp("output")
    result = run_lectern("build", SEED, ENGLISH, "--output", output)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture
def lesson_copy(tmp_path) -> callable:
    """Copy a fixture lesson folder into tmp_path and return its path."""

    def copy(source: Path, name: str | None = None) -> Path:
        target = tmp_path / "content" / (name or source.name)
        shutil.copytree(source, target)
        return target

    return copy


def title_text(slide) -> str:
    """A slide's title as one line: the lines the plan broke it into (\v), joined as read:
    a space between Latin words, nothing between Chinese characters."""
    return re.sub(r"(?<=[A-Za-z0-9,.:;!?])\v(?=[A-Za-z0-9])", " ", slide.shapes.title.text).replace(
        "\v", ""
    )


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)
