"""The format registry: each artifact is one entry, named nowhere else in builder/."""

from __future__ import annotations

from pathlib import Path

from builder.formats import FORMATS

PACKAGE = Path(__file__).resolve().parent.parent / "builder"


def test_each_artifact_file_name_is_written_in_one_module_only():
    for fmt in FORMATS:
        holders = [
            path.relative_to(PACKAGE.parent).as_posix()
            for path in sorted(PACKAGE.rglob("*.py"))
            if fmt.name in path.read_text(encoding="utf-8")
        ]
        assert holders == ["builder/formats.py"], fmt.name


def test_every_renderer_the_registry_names_can_be_called():
    for fmt in FORMATS:
        assert callable(fmt.load_renderer()), fmt.renderer
