"""Decks: each slide's title becomes a section, its bullets the section's points and its
speaker notes the prose, so an existing deck becomes a lesson. The first slide, when it
has no bullets, gives the lesson's title and subtitle."""

from __future__ import annotations

from pathlib import Path

from builder.errors import Location, Problem, SourceError
from builder.i18n import _
from builder.importers.clean import cleaned
from builder.importers.script import Block, Removed, Script


def read_pptx_script(path: Path) -> Script:
    from pptx import Presentation
    from pptx.enum.shapes import PP_PLACEHOLDER

    try:
        deck = Presentation(str(path))
    except Exception as error:  # a damaged file fails in many ways, each meaning unreadable
        raise SourceError(
            [Problem(Location(path), _("not a PowerPoint deck ({reason})").format(reason=error))]
        ) from None
    blocks: list[Block] = []
    removed: list[Removed] = []

    def clean(text: str, where: str) -> str:
        text, taken = cleaned(text)
        removed.extend(Removed(where, what, why) for _offset, what, why in taken)
        return text.strip()

    titles = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
    for number, slide in enumerate(deck.slides, 1):
        where = _("slide {number}").format(number=number)
        title, subtitle, bullets = "", "", []
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            kind = shape.placeholder_format.type if shape.is_placeholder else None
            if kind in titles:
                title = clean(shape.text_frame.text.replace("\v", ""), where)
            elif kind == PP_PLACEHOLDER.SUBTITLE:
                subtitle = clean(shape.text_frame.text, where)
            else:
                bullets += [clean(p.text, where) for p in shape.text_frame.paragraphs]
        notes = ""
        if slide.has_notes_slide:
            notes = clean(slide.notes_slide.notes_text_frame.text, where)
        bullets = [b for b in bullets if b]
        if not title:
            continue
        if number == 1 and not bullets:
            blocks.append(Block(title, where, level=0))
            if subtitle:
                blocks.append(Block("——" + subtitle, where))
            if notes:
                blocks.append(Block(notes, where))
            continue
        blocks.append(Block(title, where, level=1, points=bullets, notes=None))
        blocks += [Block(p, where) for p in notes.split("\n") if p.strip()]
    return Script(path.name, blocks, removed)
