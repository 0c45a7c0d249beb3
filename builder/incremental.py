"""What each artifact depends on, as one key: rebuild an artifact only when its key changes.

A key hashes exactly the inputs that artifact uses (its entry in ``builder.formats``
says which): the parts of the lesson it shows,
the files it embeds, the theme or slide master, the options, Lectern's own code and
the versions of the packages, libraries and font files that shape it. So
editing a discussion question changes the keys of the question sheets and the deck
(which has a discussion slide) but not the handout's, and the session's length only the
facilitator's guide (its timed plan). The print documents also share the characters
their faces are cut to (``render.print.fonts``): an edit that changes those changes
all three keys. ``tests/test_incremental_fields.py`` holds, for
every field of the lesson model, the artifacts that show it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from builder.artifacts import build_time, source_date_epoch
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
from builder.formats import DECKS, FORMATS
from builder.freshness import code_fingerprint
from builder.settings import BuildOptions, settings_key
from builder.sourcemap import LoadedLesson
from builder.theme import Theme

_WORD_LISTS = (WORDLIST, f"../{WORDLIST}")  # relative to the lesson folder, as hashed


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def image_paths(loaded: LoadedLesson) -> list[Path]:
    """The image files the lesson shows, resolved inside its folder."""
    return [
        resolve_asset(image.src, loaded.folder)
        for _, section in loaded.lesson.all_sections()
        for image in section.images
    ]


def shaping(options: BuildOptions) -> dict[str, dict[str, str]]:
    """What shapes each kind of artifact besides Lectern and the lesson: the versions of
    packages and libraries, and the font files (``dependencies``), by ``Format.libraries``."""
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
    options: BuildOptions,
    hashes: dict[str, str | None],
    shaped: dict[str, dict[str, str]],
) -> dict[str, str]:
    """The dependency key of every artifact of the lesson, and of its findings.

    hashes are the digests of the files the build read (``freshness.file_hashes``):
    the lesson, its images and the word lists, each hashed once per build; shaped is
    ``shaping(options)``.
    """
    data = loaded.lesson.model_dump(mode="json")
    common = (code_fingerprint(), source_date_epoch())
    printed = _print_chars(loaded, theme, options)
    images = [hashes.get(os.path.relpath(path, loaded.folder)) for path in image_paths(loaded)]
    keys: dict[str, str] = {}
    for fmt in FORMATS:  # one made from another comes after it
        parts: list[Any] = [*common, fmt.name, settings_key(options, (fmt,))]
        if fmt.shows is not None:
            parts.append(fmt.shows(data))
        if fmt.images:
            parts.append(images)
        if fmt.template is not None:
            # The faces are cut to what all the lesson's print documents show.
            parts.extend((theme.fingerprint, printed))
        if fmt.libraries is not None:
            parts.append(shaped[fmt.libraries])
        if fmt.made_from is not None:
            parts.append(keys[fmt.made_from])
        keys[fmt.name] = _digest(*parts)
    # The checks predict the deck (overflow, slide glyphs) as the deck's settings set it.
    words = [hashes.get(name) for name in _WORD_LISTS]
    deck = settings_key(options, DECKS)
    keys["findings"] = _digest(*common, loaded.text, deck, words, shaped["checks"])
    return keys


def _print_chars(loaded: LoadedLesson, theme: Theme, options: BuildOptions) -> str:
    """A digest of the characters the lesson's print faces are cut to: an edit that adds
    one to any print document changes the bytes of all of them."""
    from builder.render.print.documents import printed_lesson
    from builder.render.print.fonts import charset_digest

    created = build_time(loaded.lesson.date)
    return charset_digest(printed_lesson(loaded, theme, created, options.print).chars)
