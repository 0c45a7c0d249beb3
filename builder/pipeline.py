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
    build_time,
    lesson_name,
    read_manifest,
    reusable,
    safe_output_name,
    write_lesson,
)
from builder.errors import FindingsError, Problem, RenderError
from builder.freshness import (
    file_hashes,
    options_key,
    settings_record,
    written_before_fonts_changed,
)
from builder.process import cycles_collected_after
from builder.render.office import FROM_DECK
from builder.render.print.page import PrintSetup
from builder.render.slides.geometry import DeckSetup
from builder.render.workers import Renderers
from builder.theme import Theme

if TYPE_CHECKING:
    from builder.source import LoadedLesson

ARTIFACTS = ("slides.pptx", "handout.pdf", "questions.pdf", "questions-facilitator.pdf")
BOOKLET = "handout-booklet.pdf"
"""The handout imposed for saddle stitching, made with --booklet from the handout's pages."""


@dataclass(frozen=True)
class BuildOptions:
    """What a build may vary besides the lesson itself."""

    output: Path = Path("output")
    templates: Path | None = None
    slide_template: Path | None = None
    layouts: tuple[tuple[str, str], ...] = ()
    """Slide kind → layout name overrides for the slide master."""
    aspect: str | None = None
    """16:9 or 4:3; None where not asked for: 16:9, or an organisation template's size."""
    paper: str = "A4"
    binding: str = "duplex"
    """Margins mirrored for double-sided printing, or "none" (single-sided)."""
    booklet: bool = False
    """Also the handout imposed for saddle stitching (BOOKLET)."""
    marks: bool = False
    """Crop marks and a bleed on every print document."""
    pdf_variant: str | None = None
    """A PDF standard the print documents are made to (pdf/x-4, pdf/a-2b, pdf/ua-1)."""
    grayscale: bool = False
    """Print documents in shades of grey, for a one-colour printer."""
    slide_font: str | None = None
    """Typeface for slide text (Latin and East Asian); None keeps the theme's."""
    strict: bool = False
    """Content findings fail the build instead of being reported as warnings."""
    force: bool = False
    """Rebuild every artifact, even those whose inputs did not change."""
    extras: tuple[str, ...] = ()
    """Artifacts of ``FROM_DECK`` to build besides the four (``--with``)."""

    @property
    def deck(self) -> DeckSetup:
        """How the slides are set: the deck and the checks that predict it share this."""
        return DeckSetup(self.aspect, self.slide_template, self.layouts, self.slide_font)

    @property
    def print(self) -> PrintSetup:
        """How the print documents are set and made."""
        return PrintSetup(self.paper, self.binding, self.marks, self.pdf_variant, self.grayscale)

    @property
    def artifacts(self) -> tuple[str, ...]:
        """The names of the artifacts a build with these options makes."""
        booklet = (BOOKLET,) if self.booklet else ()
        return (*ARTIFACTS, *booklet, *(name for name in FROM_DECK if name in self.extras))


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


def render_lesson(
    loaded: LoadedLesson, theme: Theme, options: BuildOptions, names: tuple[str, ...] = ARTIFACTS
) -> list[Artifact]:
    """The named artifacts of one lesson, as bytes; nothing is written. With --booklet
    the handout's booklet comes with the handout, imposed from its pages."""
    with cycles_collected_after():
        return _rendered(loaded, theme, options, names)


def _rendered(
    loaded: LoadedLesson, theme: Theme, options: BuildOptions, names: tuple[str, ...]
) -> list[Artifact]:
    created = build_time(loaded.lesson.date)
    artifacts = []
    from_deck = tuple(n for n in FROM_DECK if n in names)
    if "slides.pptx" in names or from_deck:
        from builder.render.slides.render import render_slides

        deck = render_slides(loaded, created, options.deck)
        if "slides.pptx" in names:
            artifacts.append(Artifact("slides.pptx", deck))
        if from_deck:
            from builder.render.office.render import render_from_deck

            artifacts += render_from_deck(loaded, theme, deck, from_deck, created, options.print)
    for name in (n for n in ARTIFACTS[1:] if n in names):
        from builder.render.print.documents import render_pdf

        pdf = render_pdf(loaded, theme, name, created, options.print)
        artifacts.append(Artifact(name, pdf))
        if name == "handout.pdf" and options.booklet:
            from builder.render.print.impose import saddle_stitched

            artifacts.append(Artifact(BOOKLET, saddle_stitched(pdf)))
    return artifacts


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
    if BOOKLET in stale:  # imposed from the handout's pages: it comes with the handout
        kept = [entry for entry in kept if entry["name"] != "handout.pdf"]
        stale = tuple(n for n in names if n != BOOKLET and n not in {e["name"] for e in kept})
    pending = (renderers or Renderers()).start(loaded, theme, options, stale)
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
        from builder.check.glyphs import NO_PRINT_GLYPH

        refused = [Problem(f.location, f.message) for f in findings if f.severity == "error"]
        rendered = [p for p in error.problems if not (refused and NO_PRINT_GLYPH in p.message)]
        problems = dict.fromkeys([*rendered, *refused])
        raise RenderError(sorted(problems, key=lambda p: p.location.sort_key())) from None
    write_lesson(
        folder,
        fresh,
        keys=keys,
        kept=kept,
        source_hash=hashes[loaded.path.name] or "",
        findings=[f.as_json() for f in findings],
        settings=settings_record(options, theme.fingerprint),
        dependencies={kind: shaped[kind] for kind in ("printed", "slides")},
        inputs={
            "options": options_key(options, theme.fingerprint),
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
