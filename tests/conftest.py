"""Shared fixtures: real builds of real lessons, run the way users run them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "content" / "chongqing-governance"
PRINTED = ("handout.pdf", "questions.pdf", "questions-facilitator.pdf")
"""The print documents a build makes, as the README lists them."""
ENGLISH = ROOT / "content" / "open-source-licences"

# `./run test` (and so CI) draws the property tests' inputs from a fixed seed, so a
# run is repeatable; plain pytest explores new inputs each run, and what it finds
# becomes an @example. (A random input once found a WeasyPrint crash in CI.)
# Timing is the machine's (two cores shared by many, LibreOffice warming up), not a
# property of the code: no hypothesis deadline in either profile.
settings.register_profile("default", deadline=None)
settings.register_profile("repeatable", derandomize=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

TOOLS = {
    "soffice": "LibreOffice (Debian: libreoffice-impress-nogui)",
    "pdftoppm": "poppler (Debian: poppler-utils)",
    "pdftotext": "poppler (Debian: poppler-utils)",
    "faketime": "faketime (Debian: faketime)",
    "qpdf": "qpdf (Debian: qpdf)",
}
"""The real clients some tests drive, and where they come from (./run test installs them)."""


def in_ci() -> bool:
    """True when the CI variable says so (GitHub, GitLab and most others set CI=true)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def pytest_configure(config: pytest.Config) -> None:
    """One cache folder per test session, shared by its xdist workers (they inherit the
    controller's environment): a test never reads or fills the user's ~/.cache/lectern,
    and one session's cache cannot hide a bug from the next."""
    if not hasattr(config, "workerinput"):
        cache = tempfile.mkdtemp(prefix="lectern-test-cache-")
        os.environ["XDG_CACHE_HOME"] = cache
        config.add_cleanup(lambda: shutil.rmtree(cache, ignore_errors=True))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.needs("soffice", ...)``: skip a test whose real client is missing,
    except in CI (CI=true), where a missing client fails the test: a CI run that skipped
    every LibreOffice test would pass while checking nothing it promises to check."""
    for marker in item.iter_markers("needs"):
        missing = [tool for tool in marker.args if shutil.which(tool) is None]
        if not missing:
            continue
        what = ", ".join(f"{tool} ({TOOLS.get(tool, 'see ./run')})" for tool in missing)
        if in_ci():
            pytest.fail(f"CI=true but {what} is missing from PATH; ./run test installs it")
        pytest.skip(f"{what} is missing; ./run test installs it")


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
