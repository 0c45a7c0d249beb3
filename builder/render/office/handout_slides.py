"""The slides handout: three slides a page beside ruled lines for notes, as PowerPoint
prints its handouts, but on the print theme's paper and in its fonts.

The theme's ``print/handout-slides.html`` lays the page out; the slides are pictures of
LibreOffice's rendering, handed to WeasyPrint from memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.render.office.pages import page_images, png_bytes

if TYPE_CHECKING:
    from builder.formats import Job

SLIDE_WIDTH = 900
"""Pixels across a slide: about 230 dpi at the 99 mm the theme gives it, sharp in print."""


def handout_slides(job: Job, slides_pdf: bytes) -> bytes:
    """The slides handout of the lesson as PDF bytes, laid out by the format's template
    on the build's paper, from LibreOffice's rendering of the deck."""
    from builder.render.print.documents import render_print
    from builder.render.print.pdf import MEMORY

    pictures = {
        f"{MEMORY}slide-{number:03}.png": png_bytes(image)
        for number, image in enumerate(page_images(slides_pdf, SLIDE_WIDTH), 1)
    }
    return render_print(
        job,
        extra={"slides": list(pictures)},
        resources=pictures,
    )
