"""Lesson + theme → .pptx bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from builder.render.slides.deck import DeckWriter
from builder.render.slides.geometry import ASPECTS
from builder.render.slides.plan import SlideFonts, plan_deck
from builder.source import LoadedLesson


def render_slides(
    loaded: LoadedLesson,
    created: dt.datetime,
    *,
    aspect: str = "16:9",
    template: Path | None = None,
    fonts: SlideFonts | None = None,
) -> bytes:
    """The lesson's deck as .pptx bytes: planned and fitted first, then drawn."""
    fonts = fonts or SlideFonts()
    geometry = ASPECTS[aspect]
    writer = DeckWriter(loaded.lesson, geometry, fonts, template, loaded.folder)
    for number, slide in enumerate(plan_deck(loaded.lesson, geometry, fonts), start=1):
        writer.add(slide, number)
    return writer.save(created)
