"""Faults at the right moment: a build killed inside writing leaves all of it or none.

The writer has named points (``LECTERN_FAULT_AT``) where a test can have it SIGKILLed:
before its first rename, between two renames, after its last. Whatever the point, the
output folder as the next reader finds it (``read_manifest``, what every build does
first) is the earlier build or the new one, whole, never a mix, and the next build
leaves no scratch behind.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
from pathlib import Path

import pytest

from builder.artifacts import read_manifest
from tests.conftest import FIXTURES, run_lectern

POINTS = ("before-first-rename", "between-renames", "after-last-rename")
NEWER = {"SOURCE_DATE_EPOCH": "1700000000"}


def visible(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """An output folder with an earlier build, and the files of the earlier and the new."""
    root = tmp_path_factory.mktemp("all-or-none")
    old = run_lectern("build", FIXTURES / "minimal", "-o", root / "old")
    new = run_lectern("build", FIXTURES / "minimal", "-o", root / "new", env=NEWER)
    assert old.returncode == 0 and new.returncode == 0, old.stderr + new.stderr
    earlier, later = visible(root / "old" / "minimal"), visible(root / "new" / "minimal")
    assert all(earlier[name] != later[name] for name in earlier)  # each file is told apart
    return root / "old", earlier, later


@pytest.mark.parametrize("point", POINTS)
def test_a_build_killed_inside_writing_leaves_all_or_none(builds, tmp_path: Path, point: str):
    earlier_output, earlier, later = builds
    out = tmp_path / "out"
    shutil.copytree(earlier_output, out)
    folder = out / "minimal"
    killed = run_lectern(
        "build", FIXTURES / "minimal", "-o", out, env={**NEWER, "LECTERN_FAULT_AT": point}
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    read_manifest(folder)  # the next reader
    found = visible(folder)
    assert found in (earlier, later), {
        name: "old" if data == earlier.get(name) else "new" if data == later.get(name) else "?"
        for name, data in found.items()
    }
    manifest = json.loads(found["manifest.json"])
    for entry in manifest["artifacts"]:  # and the manifest describes what is there
        assert hashlib.sha256(found[entry["name"]]).hexdigest() == entry["sha256"]
    finished = run_lectern("build", FIXTURES / "minimal", "-o", out, env=NEWER)
    assert finished.returncode == 0, finished.stderr
    assert visible(folder) == later
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]  # no scratch
