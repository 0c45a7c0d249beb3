"""``lectern watch``: rebuild on save in one long-lived process, renderers kept warm.

Polling file times (ten per second) keeps this free of platform watchers and works
on network drives. A lesson folder holds a handful of files: a poll costs ~0.05 ms for
one lesson and ~2 ms for a season of fifty, and a save waits 0.05 s on average to be
seen.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

from builder.artifacts import lesson_name
from builder.errors import LecternError, display_path, printable
from builder.pipeline import BuildResult, build_lesson, theme_for
from builder.render.workers import Renderers
from builder.settings import BuildOptions

INTERVAL = 0.1
Built = Callable[[Path, BuildResult | None, LecternError | None], None]
"""Told of each build's end: the lesson file, and its result or the error that stopped it."""


def _snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """Modification time and size of every file below the watched folders (or of the
    watched files themselves)."""
    out = {}
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else (folder,):
            try:
                if path.is_file():
                    stat = path.stat()
                    out[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue
    return out


def watch(
    lessons: list[Path],
    settings: Callable[[], BuildOptions],
    report: Callable[[str], None],
    *,
    rounds: int | None = None,
    jobs: int = 1,
    project_file: Path,
    on_built: Built | None = None,
) -> None:
    """Build lessons, then rebuild each one whose folder changes, and all of them when
    what they share changes: the print theme, the slide master or lectern.yaml.

    settings() gives the build options; it is asked again when lectern.yaml changes. A
    build error (or a broken lectern.yaml) is reported with its location and the watch
    goes on: the next good save builds again. rounds bounds the polling loop (for
    tests); None runs until ^C. With jobs > 1, jobs − 1 worker processes share the PDFs
    with this one, kept warm throughout. on_built, if given, hears of every build's end:
    the lesson file and its result or its error (``lectern serve`` shows them).
    """
    with Renderers(jobs) as renderers:
        _watch(lessons, settings, report, rounds, renderers, project_file, on_built)


def _shared(options: BuildOptions, lessons: list[Path], project_file: Path) -> list[Path]:
    """What the lessons' builds read besides their own folders: the print theme (the
    project's templates/ folder and the built-in one), the slide master, lectern.yaml."""
    themes = set()
    for path in lessons:
        with contextlib.suppress(LecternError):  # no --templates folder: builds report it
            themes.update(theme_for(path.parent, options).folders)
    return [*sorted(themes), *(p for p in (options.slide_template, project_file) if p)]


def _watch(
    lessons: list[Path],
    settings: Callable[[], BuildOptions],
    report: Callable[[str], None],
    rounds: int | None,
    renderers: Renderers,
    project_file: Path,
    on_built: Built | None,
) -> None:
    options = settings()
    lesson_folders = sorted({path.parent for path in lessons})
    folders = [*lesson_folders, *_shared(options, lessons, project_file)]
    output = options.output.resolve()

    def build(path: Path, why: str) -> None:
        started = time.perf_counter()
        try:
            result: BuildResult = build_lesson(path, options, renderers)
        except LecternError as error:
            for problem in error.problems:
                report(problem.render())
            name = printable(lesson_name(path.parent))
            report(f"{name}: not built ({why}); waiting for the next save")
            if on_built:
                on_built(path, None, error)
            return
        if on_built:
            on_built(path, result, None)
        for finding in result.findings:
            report(finding.render())
        built = ", ".join(a.name for a in result.artifacts) or "nothing to rebuild"
        seconds = time.perf_counter() - started
        report(f"{printable(result.lesson)}: {why}: {built} ({seconds:.2f} s)")

    before = _snapshot(folders)  # before building, so a save during the first build counts
    for path in lessons:
        build(path, "start")
    count = 0
    while rounds is None or count < rounds:
        count += 1
        time.sleep(INTERVAL)
        now = _snapshot(folders)
        changed = {p for p in now.keys() | before.keys() if now.get(p) != before.get(p)}
        changed = {p for p in changed if not p.resolve().is_relative_to(output)}
        before = now
        if project_file in changed:
            try:
                options = settings()
            except LecternError as error:
                for problem in error.problems:
                    report(problem.render())
                report(f"{display_path(project_file)}: not applied; waiting for the next save")
                continue
            folders = [*lesson_folders, *_shared(options, lessons, project_file)]
            before = _snapshot(folders)
        shared = sorted(p for p in changed if not any(p.is_relative_to(f) for f in lesson_folders))
        for path in lessons:
            mine = sorted(p for p in changed if p.is_relative_to(path.parent))
            if mine or shared:
                build(path, "changed " + ", ".join(p.name for p in [*mine, *shared]))
