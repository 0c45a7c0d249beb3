"""The artifacts drawn from LibreOffice's rendering of the deck, from one conversion."""

from __future__ import annotations

import datetime as dt

from builder.artifacts import Artifact
from builder.render.office.contact_sheet import render_contact_sheet
from builder.render.office.handout_slides import render_handout_slides
from builder.render.office.slides_pdf import render_slides_pdf
from builder.render.print.page import PrintSetup
from builder.source import LoadedLesson
from builder.theme import Theme


def render_from_deck(
    loaded: LoadedLesson,
    theme: Theme,
    deck: bytes,
    names: tuple[str, ...],
    created: dt.datetime,
    setup: PrintSetup,
) -> list[Artifact]:
    """The named artifacts among slides.pdf, contact-sheet.png and handout-slides.pdf."""
    slides = render_slides_pdf(deck, created, loaded.path)
    artifacts = []
    if "slides.pdf" in names:
        artifacts.append(Artifact("slides.pdf", slides))
    if "contact-sheet.png" in names:
        artifacts.append(Artifact("contact-sheet.png", render_contact_sheet(slides)))
    if "handout-slides.pdf" in names:
        pdf = render_handout_slides(loaded, theme, slides, created, setup)
        artifacts.append(Artifact("handout-slides.pdf", pdf))
    return artifacts
