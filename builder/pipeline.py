"""build(): load → render each artifact → write. Short enough to read in one screen."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.artifacts import Artifact, build_time, write_lesson
from builder.errors import FindingsError, Location, Problem, SourceError
from builder.source import LESSON_FILE, LoadedLesson, load_lesson
from builder.theme import Theme

ARTIFACTS = ("slides.pptx", "handout.pdf", "questions.pdf", "questions-facilitator.pdf")


@dataclass(frozen=True)
class BuildOptions:
    """What a build may vary besides the lesson itself."""

    output: Path = Path("output")
    templates: Path | None = None
    slide_template: Path | None = None
    layouts: tuple[tuple[str, str], ...] = ()
    """Slide kind → layout name overrides for the slide master."""
    aspect: str = "16:9"
    paper: str = "A4"
    strict: bool = False
    """Content findings fail the build instead of being reported as warnings."""


@dataclass(frozen=True)
class BuildResult:
    lesson: str
    folder: Path
    artifacts: tuple[Artifact, ...]
    findings: tuple = ()


def find_lessons(paths: list[Path], content: Path = Path("content")) -> list[Path]:
    """Lesson files named by paths (files or lesson folders), or every lesson in content/."""
    if paths:
        return [path / LESSON_FILE if path.is_dir() else path for path in paths]
    found = sorted(content.glob(f"*/{LESSON_FILE}"))
    if not found:
        raise SourceError([Problem(Location(content), f"no */{LESSON_FILE} found")])
    return found


def render_lesson(loaded: LoadedLesson, theme: Theme, options: BuildOptions) -> list[Artifact]:
    """Every artifact of one lesson, as bytes; nothing is written."""
    from builder.render.print.documents import render_pdf
    from builder.render.slides.render import render_slides

    created = build_time(loaded.lesson.date)
    artifacts = [
        Artifact(
            "slides.pptx",
            render_slides(
                loaded,
                created,
                aspect=options.aspect,
                template=options.slide_template,
                layouts=dict(options.layouts),
            ),
        )
    ]
    for name in ARTIFACTS[1:]:
        artifacts.append(
            Artifact(name, render_pdf(loaded, theme, name, created, paper=options.paper))
        )
    return artifacts


def build_lesson(path: Path, options: BuildOptions) -> BuildResult:
    """Load, render and write one lesson; on any error nothing of it is written."""
    from builder.check.run import check_lesson

    loaded = load_lesson(path)
    findings = check_lesson(loaded, options.aspect)
    if findings and options.strict:
        raise FindingsError(findings)
    theme = Theme.with_user_folder(options.templates or _user_templates(loaded))
    artifacts = render_lesson(loaded, theme, options)
    folder = options.output / loaded.name
    source_hash = hashlib.sha256(loaded.text.encode()).hexdigest()
    write_lesson(folder, artifacts, source_hash)
    return BuildResult(loaded.name, folder, tuple(artifacts), tuple(findings))


def build(paths: list[Path], options: BuildOptions) -> Iterator[BuildResult]:
    """Build each lesson in turn, yielding as each one is written."""
    for path in find_lessons(paths):
        yield build_lesson(path, options)


def _user_templates(loaded: LoadedLesson) -> Path | None:
    """A templates/ folder beside the lesson folders' parent (the project's own theme)."""
    candidate = loaded.folder.parent.parent / "templates"
    return candidate if candidate.is_dir() else None
