"""``lectern release``: one reproducible zip per lesson series, for CI to publish.

Each zip holds every artifact of the series' lessons under ``<lesson>/`` with their
manifests, entries sorted and stamped with the series' latest lesson date (or
``SOURCE_DATE_EPOCH``), so the same sources give the same zip bytes on any machine.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from builder.artifacts import (
    UNSAFE_CHARACTERS,
    build_time,
    deterministic_zip,
    lesson_name,
    unsafe_because,
    write_all,
)
from builder.errors import Location, OutputError, Problem
from builder.pipeline import BuildOptions, output_folder

NO_SERIES = "lessons"
"""The zip of the lessons that name no series."""
MAX_STEM_BYTES = 120
"""A zip name's length before ``.zip``, in UTF-8 bytes: file systems take 255 for a name,
and the zip is first written as a hidden temporary (``.NAME.zip.XXXXXXXX.tmp``)."""


def series_name(series: str | None) -> str:
    """A file name (without ``.zip``) for a series, the same on every run and machine.

    The series' own name when every system accepts it as it stands; otherwise what is
    left of it, cut to a safe length, with a short hash of the full name, so that two
    series never share a zip (``a:b`` and ``ab``, ``CON``, ``...`` and no series at all).
    """
    if series is None:
        return NO_SERIES
    name = series.strip()
    if (
        name == series
        and not name.startswith(".")  # hidden on Unix, or "..."
        and name.casefold() != NO_SERIES
        and len(name.encode()) <= MAX_STEM_BYTES
        and not unsafe_because(f"{name}.zip")
    ):
        return name
    kept = "".join(char for char in series if char not in UNSAFE_CHARACTERS)
    kept = kept.encode()[: MAX_STEM_BYTES - 9].decode("utf-8", "ignore").strip(" .")
    return f"{kept}-{_digest(series)}" if kept else f"series-{_digest(series)}"


def _digest(series: str) -> str:
    """A short hash of a series' full name, to tell apart names that were cut or clash."""
    return hashlib.sha256(series.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def refuse_unzippable(lessons: list[Path]) -> None:
    """Refuse, before anything is built, lessons whose folder names a zip cannot hold: a
    zip names its entries in UTF-8, and is unpacked on every system."""
    problems = [
        Problem(Location(path.parent), "folder name is not UTF-8: rename it")
        for path in lessons
        if _undecodable(lesson_name(path.parent))
    ]
    if problems:
        raise OutputError(problems)


def package(lessons: list[Path], options: BuildOptions, dist: Path) -> list[Path]:
    """Write one zip per series of the (already built, refuse_unzippable-checked) lessons
    into dist; return the paths.

    Every zip is made in memory first and then all are renamed into place together: a
    release that fails writes none of them.
    """
    from builder.source import load_lesson

    groups: dict[str | None, list] = {}
    for path in lessons:
        loaded = load_lesson(path)
        groups.setdefault(loaded.lesson.series, []).append(loaded)
    names = _distinct_names(list(groups))
    files = []
    for series, members in sorted(groups.items(), key=lambda item: names[item[0]]):
        entries = []
        for loaded in sorted(members, key=lambda m: m.name):
            folder = output_folder(loaded.folder, options)
            for artifact in (*options.artifacts, "manifest.json"):
                try:
                    data = (folder / artifact).read_bytes()
                except OSError as error:
                    reason = error.strerror or str(error)
                    raise OutputError(
                        [Problem(Location(folder / artifact), f"cannot read: {reason}")]
                    ) from None
                entries.append((f"{loaded.name}/{artifact}", data))
        created = build_time(max(m.lesson.date for m in members))
        files.append((dist / f"{names[series]}.zip", deterministic_zip(entries, created)))
    write_all(dist, files)
    return [path for path, _ in files]


def _distinct_names(series: list[str | None]) -> dict[str | None, str]:
    """series_name() of each, with a hash added where two differ only in letter case
    (one file on Windows and macOS)."""
    names = {s: series_name(s) for s in series}
    folded: dict[str, list[str | None]] = {}
    for s, name in names.items():
        folded.setdefault(name.casefold(), []).append(s)
    for clash in (group for group in folded.values() if len(group) > 1):
        for s in clash:
            if s is not None:
                names[s] = f"{names[s]}-{_digest(s)}"
    return names


def _undecodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
