"""Building many lessons: find them, share them out to CI jobs, settle what is up to date,
and build the rest in parallel worker processes."""

from __future__ import annotations

import os
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.artifacts import lesson_name
from builder.errors import (
    FindingsError,
    LecternError,
    Location,
    OutputError,
    Problem,
    SourceError,
    display_path,
)
from builder.freshness import settled
from builder.pipeline import BuildResult, output_folder, theme_for
from builder.render.workers import Renderers, idle_cores
from builder.settings import BuildOptions, options_key, settings_record
from builder.sourcemap import LESSON_FILE


@dataclass(frozen=True)
class Outcome:
    """How one lesson's build ended: a result, or the error that stopped it."""

    path: Path
    result: BuildResult | None = None
    error: LecternError | None = None


def find_lessons(paths: list[Path], content: Path = Path("content")) -> list[Path]:
    """Lesson files named by paths, or every lesson in content/.

    A path is a lesson file, a lesson's folder, or a folder of lesson folders (content/).
    """
    if paths:
        return [found for path in paths for found in _lessons_at(path)]
    found = _lessons_in(content)
    if not found:
        raise SourceError([Problem(Location(content), f"no */{LESSON_FILE} found")])
    return found


def _lessons_at(path: Path) -> list[Path]:
    if not path.is_dir():
        return [path]
    try:
        if _holds_lesson(path):
            return [path / LESSON_FILE]
    except OSError as error:
        raise SourceError([_unreadable(path, error)]) from None
    # Not a lesson's folder: the lessons in it, if any (else the error names the file).
    return _lessons_in(path) or [path / LESSON_FILE]


def _lessons_in(folder: Path) -> list[Path]:
    """The lesson files one level down in folder (hidden folders aside).

    A folder that cannot be read is an error, not a folder without a lesson: it may hold
    one, and a build or a release that left it out in silence would lose it (``glob``
    skips what it cannot read)."""
    problems, found = [], []
    for entry in sorted(_entries(folder)):
        if entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            if _holds_lesson(entry):
                found.append(entry / LESSON_FILE)
        except OSError as error:
            problems.append(_unreadable(entry, error))
    if problems:
        raise SourceError(problems)
    return found


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except FileNotFoundError:
        return []
    except OSError as error:
        raise SourceError(
            [Problem(Location(folder), f"cannot be read: {error.strerror}")]
        ) from None


def _unreadable(folder: Path, error: OSError) -> Problem:
    return Problem(Location(folder), f"cannot be read: {error.strerror}")


def _holds_lesson(folder: Path) -> bool:
    with os.scandir(folder) as entries:  # raises where the folder cannot be read
        return any(entry.name == LESSON_FILE for entry in entries)


def distinct_outputs(paths: list[Path], options: BuildOptions) -> list[Path]:
    """paths, each lesson once; two lessons that would write one output folder are an error.

    Output folders are named after lesson folders, so ``a/x`` and ``b/x`` would overwrite
    each other's artifacts (and a release would zip both under ``x/``): that is refused
    before anything is built, naming both lessons and the folder they share.
    """
    unique: dict[Path, Path] = {}
    for path in paths:  # the same lesson named twice is built once
        unique.setdefault(path.resolve(), path)
    owners: dict[str, Path] = {}
    problems = []
    for path in unique.values():
        name = lesson_name(path.parent)
        first = owners.setdefault(_as_one_folder(name), path)
        if first is not path:
            where = display_path(options.output / name)
            other = lesson_name(first.parent)
            composed = {unicodedata.normalize("NFC", n) for n in (name, other)}
            if other != name and len(composed) == 1:
                where += " (one folder on macOS, which stores accented letters one way)"
            elif other != name:
                where += " (one folder on Windows and macOS, which ignore letter case)"
            problems.append(
                Problem(
                    Location(path),
                    f"this lesson and {display_path(first)} would both be written to "
                    f"{where}; rename one of their folders",
                )
            )
    if problems:
        raise OutputError(problems)
    return list(unique.values())


def _as_one_folder(name: str) -> str:
    """name as Windows and macOS compare folder names: letter case ignored letter by
    letter (so ß is not SS) and accented letters composed (é typed either way)."""
    composed = unicodedata.normalize("NFC", name)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in composed)


def shard(paths: list[Path], spec: str | None) -> list[Path]:
    """The share of paths for CI job i of n (``"i/n"``, 1-based): every n-th, from the i-th.

    Lessons are dealt by their sorted position, so every job computes the same split.
    """
    if not spec:
        return paths
    index, _, count = spec.partition("/")
    return sorted(paths)[int(index) - 1 :: int(count)]


def build(paths: list[Path], options: BuildOptions, jobs: int | None = 1) -> Iterator[Outcome]:
    """Build lessons (lesson files, as ``find_lessons`` gives them), in parallel worker
    processes when jobs > 1; yield each as it ends.

    Up-to-date lessons are settled here from their manifests, without a worker or a
    renderer. Workers are forked where that is safe (``process.worker_context``), else
    spawned, and each keeps its renderers and font configuration warm across its lessons.
    """
    stale = []
    for path in paths:
        try:
            result = None if options.force else _settled(path, options)
        except LecternError as error:
            yield Outcome(path, error=error)
            continue
        if result is None:
            stale.append(path)
        else:
            yield Outcome(path, result=result)
    if jobs is None:  # not given: every core, and for one lesson, the cores idle now
        jobs = os.cpu_count() or 1
        if len(stale) <= 1:
            jobs = min(jobs, 1 + idle_cores())
    if jobs <= 1 or len(stale) <= 1:  # one lesson to build: its PDFs are shared out instead
        with Renderers(jobs if stale else 1) as renderers:
            yield from (_build_one(path, options, renderers) for path in stale)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from builder.process import worker_context, worker_started

    with ProcessPoolExecutor(
        max_workers=min(jobs, len(stale)), mp_context=worker_context(), initializer=worker_started
    ) as pool:
        futures = [pool.submit(_build_one, path, options) for path in stale]
        for future in as_completed(futures):
            yield future.result()


def _settled(path: Path, options: BuildOptions) -> BuildResult | None:
    started = time.perf_counter()
    folder = output_folder(path.parent, options)
    key = options_key(settings_record(options, theme_for(path.parent, options).fingerprint))
    manifest = settled(path, folder, key)
    if manifest is None:
        return None
    from builder.check.findings import Finding

    findings = [Finding.from_json(item) for item in manifest.get("findings", [])]
    if findings and options.strict:
        raise FindingsError(findings)
    return BuildResult(
        lesson_name(path.parent),
        folder,
        (),
        tuple(findings),
        kept=options.artifacts,
        seconds=time.perf_counter() - started,
    )


def _build_one(path: Path, options: BuildOptions, renderers: Renderers | None = None) -> Outcome:
    from builder.pipeline import build_lesson

    try:
        return Outcome(path, result=build_lesson(path, options, renderers))
    except LecternError as error:
        return Outcome(path, error=error)
