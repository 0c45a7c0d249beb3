"""The artifacts drawn from LibreOffice's rendering of the deck, as the format registry
makes them: each from the deck's bytes, all from one conversion."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from builder.render.office.contact_sheet import contact_sheet
from builder.render.office.handout_slides import handout_slides
from builder.render.office.slides_pdf import slides_pdf

if TYPE_CHECKING:
    from builder.formats import Job


@functools.lru_cache(maxsize=1)
def _converted(deck: bytes, created: dt.datetime, where: Path) -> bytes:
    """The deck as LibreOffice renders it, once for every artifact drawn from it."""
    return slides_pdf(deck, created, where)


def _slides(job: Job) -> bytes:
    assert job.source is not None  # Format.made_from: the deck comes first
    return _converted(job.source, job.created, job.loaded.path)


def render_slides_pdf(job: Job) -> bytes:
    return _slides(job)


def render_contact_sheet(job: Job) -> bytes:
    return contact_sheet(_slides(job))


def render_handout_slides(job: Job) -> bytes:
    return handout_slides(job, _slides(job))
