"""check_lesson(): every content check over one lesson, findings in source order."""

from __future__ import annotations

from builder.check.completeness import completeness
from builder.check.findings import Finding
from builder.check.glyphs import glyphs
from builder.check.injected import invisible, spliced
from builder.check.overflow import overflow
from builder.check.typography import typed_numbers, typography
from builder.check.wordlist import word_lists
from builder.render.slides.geometry import BUILT_IN_DECK, DeckSetup
from builder.sourcemap import LoadedLesson


def check_lesson(
    loaded: LoadedLesson, deck: DeckSetup = BUILT_IN_DECK, *, predict_overflow: bool = True
) -> list[Finding]:
    """All findings for a lesson, ordered by where they are in its file.

    deck is how the build will set the slides: overflow and glyph coverage are
    predicted on that master and typeface. predict_overflow=False leaves that
    prediction out, for a deck setup that cannot be opened.
    """
    allowed, denied = word_lists(loaded)
    findings = [
        *(Finding(p.location, "yaml", p.message) for p in loaded.source_map.warnings),
        *invisible(loaded),
        *spliced(loaded, allowed, denied),
        *typography(loaded),
        *typed_numbers(loaded),
        *completeness(loaded),
        *glyphs(loaded, deck),
        *(overflow(loaded, deck) if predict_overflow else ()),
    ]
    return sorted(findings, key=lambda f: (f.location.line or 0, f.location.column or 0, f.code))
