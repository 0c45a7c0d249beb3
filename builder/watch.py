"""``lectern watch``: rebuild on save in one long-lived process, renderers kept warm.

Polling file times (ten per second) keeps this free of platform watchers and works
on network drives. A lesson folder holds a handful of files: a poll costs ~0.05 ms for
one lesson and ~2 ms for a season of fifty, and a save waits 0.05 s on average to be
seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from builder.errors import LecternError
from builder.pipeline import BuildOptions, BuildResult, build_lesson
from builder.render.workers import Renderers

INTERVAL = 0.1


def _snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """Modification time and size of every file below the watched folders."""
    out = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    stat = path.stat()
                    out[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue
    return out


def watch(
    lessons: list[Path],
    options: BuildOptions,
    report: Callable[[str], None],
    *,
    rounds: int | None = None,
    jobs: int = 1,
) -> None:
    """Build lessons, then rebuild each one whose folder (or the theme) changes.

    A build error is reported with its location and the watch goes on: the next good
    save builds again. rounds bounds the polling loop (for tests); None runs until ^C.
    With jobs > 1, jobs − 1 worker processes share the PDFs with this one, kept warm
    throughout.
    """
    with Renderers(jobs) as renderers:
        _watch(lessons, options, report, rounds, renderers)


def _watch(
    lessons: list[Path],
    options: BuildOptions,
    report: Callable[[str], None],
    rounds: int | None,
    renderers: Renderers,
) -> None:
    folders = sorted({path.parent for path in lessons})
    if options.templates:
        folders.append(options.templates)
    output = options.output.resolve()

    def build(path: Path, why: str) -> None:
        started = time.perf_counter()
        try:
            result: BuildResult = build_lesson(path, options, renderers)
        except LecternError as error:
            for problem in error.problems:
                report(problem.render())
            report(f"{path.parent.name}: not built ({why}); waiting for the next save")
            return
        for finding in result.findings:
            report(finding.render())
        built = ", ".join(a.name for a in result.artifacts) or "nothing to rebuild"
        report(f"{result.lesson}: {why}: {built} ({time.perf_counter() - started:.2f} s)")

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
        for path in lessons:
            mine = sorted(
                p
                for p in changed
                if p.is_relative_to(path.parent)
                or (options.templates and p.is_relative_to(options.templates))
            )
            if mine:
                build(path, "changed " + ", ".join(p.name for p in mine))
