"""``lectern release``: one reproducible zip per lesson series, for CI to publish.

Each zip holds every artifact of the series' lessons under ``<lesson>/`` with their
manifests, entries sorted and stamped with the series' latest lesson date (or
``SOURCE_DATE_EPOCH``), so the same sources give the same zip bytes on any machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from builder.artifacts import build_time, deterministic_zip, write_atomic
from builder.pipeline import ARTIFACTS, BuildOptions, output_folder


def series_name(series: str | None) -> str:
    """A file name for a series: its own name with characters no system accepts removed."""
    name = re.sub(r'[<>:"/\\|?*\x00-\x1f]', "", series or "lessons").strip(" .")
    return name or "lessons"


def package(lessons: list[Path], options: BuildOptions, dist: Path) -> list[Path]:
    """Write one zip per series of the (already built) lessons into dist; return the paths."""
    from builder.source import load_lesson

    groups: dict[str, list] = {}
    for path in lessons:
        loaded = load_lesson(path)
        groups.setdefault(series_name(loaded.lesson.series), []).append(loaded)
    written = []
    for name, members in sorted(groups.items()):
        entries = []
        for loaded in sorted(members, key=lambda m: m.name):
            folder = output_folder(loaded.folder, options)
            for artifact in (*ARTIFACTS, "manifest.json"):
                entries.append((f"{loaded.name}/{artifact}", (folder / artifact).read_bytes()))
        created = build_time(max(m.lesson.date for m in members))
        target = dist / f"{name}.zip"
        write_atomic(target, deterministic_zip(entries, created))
        written.append(target)
    return written
