"""Lesson + slide master → .pptx bytes: open the master, plan and fit, then draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from pptx.util import Emu

from builder.render.slides.deck import DeckWriter
from builder.render.slides.geometry import ASPECTS
from builder.render.slides.master import layout_frames, map_layouts, open_master
from builder.render.slides.plan import SlideFonts, plan_deck
from builder.source import LoadedLesson


def render_slides(
    loaded: LoadedLesson,
    created: dt.datetime,
    *,
    aspect: str = "16:9",
    template: Path | None = None,
    layouts: dict[str, str] | None = None,
    fonts: SlideFonts | None = None,
) -> bytes:
    """The lesson's deck as .pptx bytes: planned and fitted first, then drawn."""
    fonts = fonts or SlideFonts()
    geometry = ASPECTS[aspect]
    prs = open_master(template, geometry)
    if template is not None:
        geometry = replace(geometry, width=Emu(prs.slide_width).pt, height=Emu(prs.slide_height).pt)
    mapping = map_layouts(prs, layouts, template)
    frames = {kind: layout_frames(layout) for kind, layout in mapping.items()}
    master_key = ("built-in", aspect) if template is None else _template_key(template)
    writer = DeckWriter(
        loaded.lesson,
        geometry,
        fonts,
        prs,
        mapping,
        loaded.folder,
        builtin=template is None,
        master_key=master_key,
    )
    for number, slide in enumerate(plan_deck(loaded.lesson, geometry, frames, fonts), start=1):
        writer.add(slide, number)
    return writer.save(created)


def _template_key(template: Path) -> tuple | None:
    from builder.freshness import file_digest

    digest = file_digest(template)
    return (str(template.resolve()), digest) if digest else None
