"""One lesson's build: load → check → render what changed → write.

Heavy modules (pydantic, python-pptx, WeasyPrint) are imported inside the functions
that need them, so settling an up-to-date lesson (``builder.series``) stays fast.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.artifacts import (
    MANIFEST,
    Artifact,
    lesson_name,
    read_manifest,
    reusable,
    safe_output_name,
    write_lesson,
)
from builder.errors import FindingsError, Problem, RenderError
from builder.formats import named
from builder.freshness import file_hashes, written_before_fonts_changed
from builder.process import roomy_stack
from builder.render.workers import Renderers
from builder.settings import BuildOptions, options_key, settings_record
from builder.theme import Theme

if TYPE_CHECKING:
    from builder.sourcemap import LoadedLesson


@dataclass(frozen=True)
class BuildResult:
    """What a lesson's build wrote (artifacts), kept from before, and found."""

    lesson: str
    folder: Path
    artifacts: tuple[Artifact, ...]
    findings: tuple = ()
    kept: tuple[str, ...] = ()
    seconds: float = 0.0


def theme_for(lesson_folder: Path, options: BuildOptions) -> Theme:
    """The print theme: --templates, else a templates/ folder beside content/, else built-in."""
    project = lesson_folder.resolve().parent.parent / "templates"
    return Theme.with_user_folder(options.templates or (project if project.is_dir() else None))


def output_folder(lesson_folder: Path, options: BuildOptions) -> Path:
    return options.output / safe_output_name(lesson_name(lesson_folder))


@roomy_stack
def build_lesson(
    path: Path, options: BuildOptions, renderers: Renderers | None = None
) -> BuildResult:
    """Load, check, render what changed and write one lesson; on error nothing is written.

    renderers says where artifacts are rendered (default: in this process). Renders start
    before the content checks run, so workers render while this process checks.
    """
    from builder.check.wordlist import word_list_paths
    from builder.incremental import artifact_keys, image_paths, shaping
    from builder.source import load_lesson

    started = time.perf_counter()
    loaded = load_lesson(path)
    theme = theme_for(loaded.folder, options)
    folder = output_folder(loaded.folder, options)
    read = [loaded.path, *image_paths(loaded), *word_list_paths(loaded.folder)]
    hashes = file_hashes(read, loaded.folder)
    shaped = shaping(options)
    keys = artifact_keys(loaded, theme, options, hashes, shaped)
    # A font installed or removed since: every artifact is set again with the fonts there are.
    fonts_new = written_before_fonts_changed(folder / MANIFEST)
    previous = {} if options.force or fonts_new else read_manifest(folder)
    names = options.artifacts
    kept = [entry for name in names if (entry := reusable(folder, previous, name, keys[name]))]
    stale = tuple(name for name in names if name not in {entry["name"] for entry in kept})
    # What is made from another artifact comes with it (the booklet with the handout).
    scheduled = tuple(n for n in stale if named(n).made_from not in stale)
    pending = (renderers or Renderers()).start(loaded, theme, options, scheduled)
    try:
        findings = _findings(loaded, options, previous, keys["findings"])
        if findings and options.strict:
            raise FindingsError(findings)
    except BaseException:
        pending.cancel()
        raise
    try:
        fresh = pending.result()
    except RenderError as error:
        # A render stops at its document's first missing glyphs; the check saw them all,
        # and says them once (all at once where the print faces are not installed).
        from builder.render.print.coverage import NO_PRINT_GLYPH

        refused = [Problem(f.location, f.message) for f in findings if f.severity == "error"]
        rendered = [p for p in error.problems if not (refused and NO_PRINT_GLYPH in p.message)]
        problems = dict.fromkeys([*rendered, *refused])
        raise RenderError(sorted(problems, key=lambda p: p.location.sort_key())) from None
    record = settings_record(options, theme.fingerprint)
    write_lesson(
        folder,
        fresh,
        keys=keys,
        kept=kept,
        source_hash=hashes[loaded.path.name] or "",
        findings=[f.as_json() for f in findings],
        settings=record,
        dependencies={kind: shaped[kind] for kind in ("printed", "slides")},
        inputs={
            "options": options_key(record),
            "files": hashes,
        },
    )
    return BuildResult(
        loaded.name,
        folder,
        tuple(fresh),
        tuple(findings),
        kept=tuple(entry["name"] for entry in kept),
        seconds=time.perf_counter() - started,
    )


def _findings(loaded: LoadedLesson, options: BuildOptions, previous: dict, key: str) -> list:
    """The lesson's findings: from the last build's manifest when nothing they see changed."""
    from builder.check.findings import Finding

    if previous.get("findings_key") == key:
        return [Finding.from_json(item) for item in previous.get("findings", [])]
    from builder.check.run import check_lesson

    return check_lesson(loaded, options.deck)
