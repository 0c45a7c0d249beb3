"""The artifacts drawn from LibreOffice's rendering of the deck, as the format registry
makes them: each from the deck's bytes, all from one conversion."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from builder.render.office.contact_sheet import render_contact_sheet as contact_sheet
from builder.render.office.handout_slides import render_handout_slides as handout_slides
from builder.render.office.slides_pdf import render_slides_pdf as slides_pdf

if TYPE_CHECKING:
    from builder.formats import Format
    from builder.settings import BuildOptions
    from builder.sourcemap import LoadedLesson
    from builder.theme import Theme


@functools.lru_cache(maxsize=1)
def _converted(deck: bytes, created: dt.datetime, where: Path) -> bytes:
    """The deck as LibreOffice renders it, once for every artifact drawn from it."""
    return slides_pdf(deck, created, where)


def render_slides_pdf(
    loaded: LoadedLesson,
    theme: Theme,
    options: BuildOptions,
    created: dt.datetime,
    fmt: Format,
    source: bytes,
) -> bytes:
    return _converted(source, created, loaded.path)


def render_contact_sheet(
    loaded: LoadedLesson,
    theme: Theme,
    options: BuildOptions,
    created: dt.datetime,
    fmt: Format,
    source: bytes,
) -> bytes:
    return contact_sheet(_converted(source, created, loaded.path))


def render_handout_slides(
    loaded: LoadedLesson,
    theme: Theme,
    options: BuildOptions,
    created: dt.datetime,
    fmt: Format,
    source: bytes,
) -> bytes:
    slides = _converted(source, created, loaded.path)
    return handout_slides(loaded, theme, slides, created, options.print, fmt)
