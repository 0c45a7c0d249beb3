"""What ``lectern serve`` shows of each lesson: pictures of its slides and pages, its
findings with the slides and pages they affect, its downloads, and the last error.

Pictures are kept in memory, never written: the output folder holds only what a build
writes. Each has a version (a hash of its PNG), so after a rebuild the page replaces
exactly the pictures whose pixels changed.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder.artifacts import lesson_name
from builder.errors import LecternError, printable
from builder.formats import FACILITATOR, HANDOUT, QUESTIONS, SLIDES_PDF
from builder.pipeline import BuildResult, output_folder
from builder.settings import BuildOptions

SHOWN = {
    "slides": SLIDES_PDF.name,
    "handout": HANDOUT.name,
    "questions": QUESTIONS.name,
    "facilitator": FACILITATOR.name,
}
"""What the page shows, by the artifact drawn: slides from LibreOffice's rendering."""
WIDTH = {"slides": 960, "handout": 620, "questions": 620, "facilitator": 620}
"""Pixels across a picture: sharp on a laptop screen at the page's column widths."""


@dataclass(frozen=True)
class Picture:
    png: bytes
    version: str
    """A hash of the pixels: the same picture keeps its version (and is not reloaded)."""


@dataclass
class LessonPreview:
    """One lesson's state on the page; read by the server's threads under lock."""

    path: Path
    folder: Path
    name: str
    pictures: dict[str, list[Picture]] = field(default_factory=dict)
    error: list[str] | None = None
    findings: list[dict] = field(default_factory=list)
    downloads: list[dict] = field(default_factory=list)
    building: bool = True
    early: bool = False
    """The slides of the build under way are shown already (``Previews.converted``)."""

    def as_json(self, slides_note: str | None) -> dict:
        return {
            "name": self.name,
            "building": self.building,
            "error": self.error,
            "findings": self.findings,
            "downloads": self.downloads,
            "slides_note": slides_note,
            "pictures": {
                kind: [picture.version for picture in pictures]
                for kind, pictures in self.pictures.items()
            },
        }


class Previews:
    """Every served lesson's preview, updated after each build."""

    def __init__(self, lessons: list[Path], options: BuildOptions, slides_note: str | None):
        self.lock = threading.Lock()
        self.slides_note = slides_note
        """Why there are no slide pictures (LibreOffice missing), or None."""
        self.lessons = {
            lesson_name(path.parent): LessonPreview(
                path, output_folder(path.parent, options), lesson_name(path.parent)
            )
            for path in lessons
        }

    def state(self, name: str | None = None) -> dict:
        with self.lock:
            chosen = [self.lessons[name]] if name else list(self.lessons.values())
            return {"lessons": [lesson.as_json(self.slides_note) for lesson in chosen]}

    def picture(self, name: str, kind: str, index: int) -> Picture | None:
        with self.lock:
            lesson = self.lessons.get(name)
            pictures = lesson.pictures.get(kind, []) if lesson else []
            return pictures[index] if 0 <= index < len(pictures) else None

    def download(self, name: str, artifact: str) -> Path | None:
        """The output file of an artifact the lesson's last build listed, else None."""
        with self.lock:
            lesson = self.lessons.get(name)
            if lesson is None or artifact not in {d["name"] for d in lesson.downloads}:
                return None
            return lesson.folder / artifact

    def converted(self, path: Path, pdf: bytes, changed: Callable[[str], None]) -> None:
        """Show the slides as soon as LibreOffice has drawn them, while the build goes on
        with the print documents: the slide a save changed appears a second or more
        sooner. (A build that then fails shows its error above these slides.)"""
        lesson = self.lessons.get(lesson_name(path.parent))
        if lesson is None:
            return
        pictures = _pictures(pdf, WIDTH["slides"], lesson.pictures.get("slides", []))
        with self.lock:
            lesson.pictures["slides"] = pictures
            lesson.early = True
        changed(lesson.name)

    def failed(self, path: Path, error: LecternError) -> str:
        """Record a build's error (the last good pictures stay); the lesson's name."""
        lesson = self.lessons[lesson_name(path.parent)]
        with self.lock:
            lesson.building = False
            lesson.error = [printable(problem.render()) for problem in error.problems]
        return lesson.name

    def built(
        self,
        path: Path,
        result: BuildResult,
        options: BuildOptions,
        changed: Callable[[str], None],
    ) -> None:
        """Take in a build's outputs: pictures of every artifact it wrote (all of them
        after the first build), slides first, then its findings and downloads; changed
        hears the lesson's name after each step, so the page can show it at once."""
        from builder.artifacts import read_manifest

        lesson = self.lessons[lesson_name(path.parent)]
        written = {artifact.name for artifact in result.artifacts}
        manifest = read_manifest(lesson.folder)
        with self.lock:
            lesson.error = None
            lesson.downloads = [
                {"name": entry["name"], "size": entry["size"]}
                for entry in manifest.get("artifacts", [])
                if entry["name"] in options.artifacts
            ]
        early, lesson.early = lesson.early, False
        for kind, artifact in SHOWN.items():
            if artifact not in options.artifacts or (kind == "slides" and early):
                continue
            if artifact in written or kind not in lesson.pictures:
                try:
                    data = (lesson.folder / artifact).read_bytes()
                except OSError:
                    data = b""
                pictures = _pictures(data, WIDTH[kind], lesson.pictures.get(kind, []))
                with self.lock:
                    lesson.pictures[kind] = pictures
                changed(lesson.name)
        findings = _placed(path, result, options, lesson.folder)
        with self.lock:
            lesson.findings = findings
            lesson.building = False  # everything of this build is shown
        changed(lesson.name)


def _pictures(pdf: bytes, width: int, shown: list[Picture]) -> list[Picture]:
    """The pages of pdf as pictures; those whose pixels are as shown are kept as they
    are (only changed pages are encoded, and only they reload in the browser)."""
    from builder.render.office.pages import page_images, png_bytes

    if not pdf:
        return []
    kept = {picture.version: picture for picture in shown}
    pictures = []
    for image in page_images(pdf, width):
        version = hashlib.sha256(image.tobytes()).hexdigest()[:16]
        pictures.append(kept.get(version) or Picture(png_bytes(image), version))
    return pictures


def _placed(path: Path, result: BuildResult, options: BuildOptions, folder: Path) -> list[dict]:
    """The build's findings, each with the slides and print pages it affects."""
    if not result.findings:
        return []
    from builder.render.office.pages import page_texts
    from builder.render.slides.render import plan_lesson_deck
    from builder.serve.where import pages_of, slides_of
    from builder.source import load_lesson

    try:
        loaded = load_lesson(path)
        origins = [slide.origin for slide in plan_lesson_deck(loaded, options.deck).slides]
    except LecternError:  # changed again since the build: placed at the next one
        loaded, origins = None, []
    texts = {}
    for kind in ("handout", "questions", "facilitator"):
        try:
            texts[kind] = page_texts((folder / SHOWN[kind]).read_bytes())
        except OSError:
            continue
    lesson = loaded.lesson.model_dump(mode="json") if loaded else {}
    return [
        {
            "text": printable(finding.render()),
            "line": finding.location.line,
            "severity": finding.severity,
            "slides": slides_of(finding, origins),
            "pages": pages_of(finding, lesson, texts),
        }
        for finding in result.findings
    ]
