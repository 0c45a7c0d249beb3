"""``lectern release``: one reproducible zip per lesson series, for CI to publish.

Each zip holds every artifact of the series' lessons under ``<lesson>/`` with their
manifests, entries sorted and stamped with the series' latest lesson date (or
``SOURCE_DATE_EPOCH``), so the same sources give the same zip bytes on any machine.
A release packages only outputs made with its own settings (``refuse_other_settings``).

Sharded (``--shard I/N``, one CI job each), a job's lessons of a series go into a zip
named for the series and the shard (``微党课.shard-1-of-2.zip``), so no two jobs write
a zip of the same name; its comment records the shard and every lesson of the series.
``merge`` joins the shard zips of a release into the zips an unsharded release would
have written, byte for byte, and refuses a set with a lesson missing or twice.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from builder.artifacts import (
    MANIFEST,
    UNSAFE_CHARACTERS,
    build_time,
    deterministic_zip,
    lesson_name,
    unsafe_because,
    write_all,
)
from builder.errors import Location, OutputError, Problem
from builder.pipeline import output_folder, theme_for
from builder.settings import BuildOptions

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


def refuse_other_settings(lessons: list[Path], options: BuildOptions) -> None:
    """Refuse lessons whose outputs were made with settings other than options: a release
    packages what its build settings make (the same flags and lectern.yaml as ``build``),
    and says so rather than silently rebuilding, e.g., an A5 handout as A4."""
    from builder.artifacts import read_manifest
    from builder.settings import settings_record

    problems = []
    for path in lessons:
        folder = output_folder(path.parent, options)
        made = read_manifest(folder).get("settings")
        wanted = settings_record(options, theme_for(path.parent, options).fingerprint)
        if made is None or made == wanted:  # not built yet (or by an older Lectern)
            continue
        differ = ", ".join(
            f"{name} {_shown(made.get(name))} (this release: {_shown(wanted[name])})"
            for name in wanted
            if made.get(name) != wanted[name]
        )
        problems.append(
            Problem(
                Location(folder / MANIFEST),
                f"built with other settings: {differ}; give release the settings the build "
                "had (the same flags, lectern.yaml and SOURCE_DATE_EPOCH), or build again "
                "with these first",
            )
        )
    if problems:
        raise OutputError(problems)


def _shown(value) -> str:
    if isinstance(value, str) and len(value) == 64:  # a digest: a theme or a slide master
        return value[:12]
    return json.dumps(value, ensure_ascii=False)


def package(
    lessons: list[Path],
    options: BuildOptions,
    dist: Path,
    shard: str | None = None,
    everyone: list[Path] | None = None,
) -> list[Path]:
    """Write one zip per series of the (already built, refuse_unzippable-checked) lessons
    into dist; return the paths.

    With shard ("I/N"), lessons are this job's share of everyone, and each zip is named
    and marked for the shard (see the module's docstring). Every zip is made in memory
    first and then all are renamed into place together: a release that fails writes
    none of them.
    """
    from builder.source import load_lesson

    refuse_other_settings(lessons, options)  # a build in between, with other settings
    read = {path: load_lesson(path) for path in everyone or lessons}  # each once
    groups: dict[str | None, list] = {}
    for path in lessons:
        loaded = read[path]
        groups.setdefault(loaded.lesson.series, []).append(loaded)
    members_of: dict[str | None, list[str]] = {}
    for loaded in read.values():
        members_of.setdefault(loaded.lesson.series, []).append(loaded.name)
    names = _distinct_names(list(members_of))
    files = []
    for series, members in sorted(groups.items(), key=lambda item: names[item[0]]):
        entries = []
        for loaded in sorted(members, key=lambda m: m.name):
            folder = output_folder(loaded.folder, options)
            for artifact in (*options.artifacts, MANIFEST):
                try:
                    data = (folder / artifact).read_bytes()
                except OSError as error:
                    reason = error.strerror or str(error)
                    raise OutputError(
                        [Problem(Location(folder / artifact), f"cannot read: {reason}")]
                    ) from None
                entries.append((f"{loaded.name}/{artifact}", data))
        created = build_time(max(m.lesson.date for m in members))
        if shard is None:
            files.append((dist / f"{names[series]}.zip", deterministic_zip(entries, created)))
            continue
        index, _, count = shard.partition("/")
        mark = {
            SHARD_MARK: f"{index}/{count}",
            "series": series,
            "lessons": sorted(members_of[series]),
        }
        data = deterministic_zip(entries, created, comment=json.dumps(mark, ensure_ascii=False))
        files.append((dist / f"{names[series]}.shard-{index}-of-{count}.zip", data))
    write_all(dist, files)
    return [path for path, _ in files]


SHARD_MARK = "lectern-release-shard"
"""The key in a shard zip's comment that says which shard of a release it is."""


def merge(zips: list[Path], dist: Path) -> list[Path]:
    """Join the shard zips of a sharded release into one zip per series in dist, as an
    unsharded release would have written them; return their paths.

    Every lesson the shards name must be in exactly one of them: a set with a shard's
    zip missing, or one zip twice, is refused, naming the lessons.
    """
    import datetime as dt

    found: dict[str | None, dict] = {}
    problems = []
    for path in sorted(zips):
        try:
            with zipfile.ZipFile(path) as bundle:
                mark = json.loads(bundle.comment.decode("utf-8") or "{}")
                if not isinstance(mark, dict) or SHARD_MARK not in mark:
                    problems.append(Problem(Location(path), "not a zip of lectern release --shard"))
                    continue
                entries = [(info, bundle.read(info)) for info in bundle.infolist()]
        except (OSError, zipfile.BadZipFile, ValueError) as error:
            problems.append(Problem(Location(path), f"cannot read it as a shard zip: {error}"))
            continue
        series = found.setdefault(
            mark["series"], {"lessons": mark["lessons"], "shards": set(), "entries": {}}
        )
        count = mark[SHARD_MARK].partition("/")[2]
        series["shards"].add(count)
        if series["lessons"] != mark["lessons"] or len(series["shards"]) > 1:
            problems.append(Problem(Location(path), "is from another release than the others"))
        for info, data in entries:
            lesson = info.filename.split("/")[0]
            owner = series["entries"].setdefault(lesson, (path, []))
            if owner[0] != path:
                problems.append(
                    Problem(Location(path), f"lesson '{lesson}' is in {owner[0].name} too")
                )
                continue
            owner[1].append((info.filename, data, dt.datetime(*info.date_time, tzinfo=dt.UTC)))
    for series, held in found.items():
        missing = sorted(set(held["lessons"]) - set(held["entries"]))
        if missing:
            problems.append(
                Problem(
                    Location(dist),
                    f"series {series or '(none)'}: no shard zip holds {', '.join(missing)}; "
                    "merge every shard's zips at once",
                )
            )
    if problems:
        raise OutputError(problems)
    names = _distinct_names(list(found))
    files = []
    for series, held in sorted(found.items(), key=lambda item: names[item[0]]):
        lessons = [held["entries"][name][1] for name in sorted(held["entries"])]
        created = max(stamp for entries in lessons for _, _, stamp in entries)
        entries = [(name, data) for entries in lessons for name, data, _ in entries]
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
