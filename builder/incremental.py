"""What each artifact depends on, as one key: rebuild an artifact only when its key changes.

A key hashes exactly the inputs that artifact uses: the parts of the lesson it shows,
the files it embeds, the theme or slide master, the options, Lectern's own code and
the versions of the packages, libraries and font files that shape it. So
editing a discussion question changes the keys of the question sheets and the deck
(which has a discussion slide) but not the handout's, and the session's length only the
facilitator's guide (its timed plan). ``tests/test_incremental_fields.py`` holds, for
every field of the lesson model, the artifacts that show it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from builder.artifacts import source_date_epoch
from builder.assets import resolve_asset
from builder.check.wordlist import WORDLIST
from builder.dependencies import (
    CHECKS,
    PRINTED,
    PRINTED_LIBRARIES,
    SLIDES,
    SLIDES_LIBRARIES,
    font_files,
    versions,
)
from builder.freshness import code_fingerprint, file_digest
from builder.source import LoadedLesson
from builder.theme import Theme

_WORD_LISTS = (WORDLIST, f"../{WORDLIST}")  # relative to the lesson folder, as hashed
_PRINTED = ("title", "subtitle", "series", "date", "language")
"""What every print document carries (its heading, running header, metadata and date)."""


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def image_paths(loaded: LoadedLesson) -> list[Path]:
    """The image files the lesson shows, resolved inside its folder."""
    return [
        resolve_asset(image.src, loaded.folder)
        for _, section in loaded.lesson.all_sections()
        for image in section.images
    ]


def shaping(options: Any) -> dict[str, dict[str, str]]:
    """What shapes each kind of artifact besides Lectern and the lesson: the versions of
    packages and libraries, and the font files (``dependencies``)."""
    from builder.check.glyphs import PRINT_FACES
    from builder.render.slides.plan import SlideFonts

    slide_font = (SlideFonts.named(options.slide_font).east_asian,)
    printed = {
        **versions(PRINTED, PRINTED_LIBRARIES),
        **{f"font {k}": v for k, v in font_files(PRINT_FACES).items()},
    }
    slides = {
        **versions(SLIDES, SLIDES_LIBRARIES),
        **{f"font {k}": v for k, v in font_files(slide_font).items()},
    }
    checks = {**versions(CHECKS, SLIDES_LIBRARIES), **printed, **slides}
    return {"printed": printed, "slides": slides, "checks": dict(sorted(checks.items()))}


def artifact_keys(
    loaded: LoadedLesson,
    theme: Theme,
    options: Any,
    hashes: dict[str, str | None],
    shaped: dict[str, dict[str, str]],
) -> dict[str, str]:
    """The dependency key of every artifact of the lesson, and of its findings.

    hashes are the digests of the files the build read (``freshness.file_hashes``):
    the lesson, its images and the word lists, each hashed once per build; shaped is
    ``shaping(options)``.
    """
    shown = shown_by(loaded.lesson.model_dump(mode="json"))
    common = (code_fingerprint(), source_date_epoch())
    printed = (*common, theme.fingerprint, options.print, shaped["printed"])
    template = options.slide_template
    master = (file_digest(template) or "unreadable") if template else "built-in"
    # The deck and the findings that predict it (overflow, glyphs) are set the same way.
    deck = (master, options.aspect, options.layouts, options.slide_font)
    images = [hashes.get(os.path.relpath(path, loaded.folder)) for path in image_paths(loaded)]
    slides = _digest(*common, shown["slides.pptx"], images, *deck, shaped["slides"])
    handout = _digest(*printed, shown["handout.pdf"], images)
    return {
        "slides.pptx": slides,
        # Drawn from the deck: what changes the deck changes them (LibreOffice's own
        # version does not enter: updating it does not rebuild them).
        "slides.pdf": _digest(slides, "slides.pdf"),
        "contact-sheet.png": _digest(slides, "contact-sheet.png"),
        "handout-slides.pdf": _digest(slides, *printed, shown["questions.pdf"][0]),
        "handout.pdf": handout,
        "handout-booklet.pdf": _digest(handout, "booklet"),
        "questions.pdf": _digest(*printed, shown["questions.pdf"]),
        "questions-facilitator.pdf": _digest(*printed, shown["questions-facilitator.pdf"]),
        "findings": _digest(
            *common, loaded.text, *deck, [hashes.get(n) for n in _WORD_LISTS], shaped["checks"]
        ),
    }


def shown_by(data: dict) -> dict[str, Any]:
    """The parts of a lesson (``model_dump(mode="json")``) each artifact shows.

    The deck shows all but the timing of the session, what kind each question is and
    which section it is about, and section ids; the handout all but the questions, the
    timing, speaker notes and ids; the participants' sheet each question's prompt, kind
    and minutes; the facilitator's guide the questions whole, the timing, and the title
    and points of each section a question is about. Each print document also carries the
    title, subtitle, series, authors' names, date and language.
    """
    printed = {name: data[name] for name in _PRINTED}
    printed["authors"] = [author["name"] for author in data["authors"]]
    about = {q["section"] for q in data["questions"] if q["section"]}
    related = {
        section["id"]: (section["title"], section["points"])
        for section in _walk(data["sections"])
        if section["id"] in about
    }
    timing = (data["duration"], data["closing"]["minutes"])
    untimed = {**data, "closing": {**data["closing"], "minutes": None}, "duration": None}
    return {
        "slides.pptx": {
            **untimed,
            "sections": [_without(s, "id") for s in data["sections"]],
            "questions": [_without(q, "kind", "section") for q in data["questions"]],
        },
        "handout.pdf": {
            **untimed,
            "sections": [_without(s, "id", "notes") for s in data["sections"]],
            "questions": None,
        },
        "questions.pdf": (
            printed,
            [(q["prompt"], q["kind"], q["minutes"]) for q in data["questions"]],
        ),
        "questions-facilitator.pdf": (printed, timing, data["questions"], related),
    }


def _walk(sections: list[dict]) -> list[dict]:
    return [s for section in sections for s in (section, *_walk(section["sections"]))]


def _without(item: dict, *names: str) -> dict:
    """item without names, in its nested sections too."""
    return {
        key: [_without(child, *names) for child in value] if key == "sections" else value
        for key, value in item.items()
        if key not in names
    }
