"""Fitting text into slide boxes: measured, wrapped and split before python-pptx sees it.

Body text keeps the theme's size when it fits, shrinks no further than the minimum
readable size, and otherwise continues on further slides. A paragraph taller than a
whole slide is split at sentence ends first, then at line ends. Every decision is made
with ``measure`` and ``wrap``, the same functions the property tests check.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from builder.render.slides.geometry import Box
from builder.text.linebreak import balanced, wrap
from builder.text.measure import FontFace, GrowingMeasure, is_wide

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=[.!?;] )")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph as it will be drawn: its text, the lines it wraps to, and its size."""

    text: str
    lines: tuple[str, ...]
    size: float
    indent: float = 0.0
    text_index: int = 0
    """Which of the fitted texts this paragraph is (a long text may be split in pieces)."""


@dataclass(frozen=True)
class Fitted:
    """Paragraphs that fit one box at one size."""

    paragraphs: tuple[Paragraph, ...]
    size: float


LINE_BREAK = "\v"
"""Where a planned line ends inside a paragraph: drawn as <a:br/>, as PowerPoint's Shift+Enter."""


def drawn_breaks(paragraph: Paragraph) -> Paragraph:
    """paragraph with a line break wherever two of its planned lines meet with no space
    between them. Clients break Chinese text between any two characters; the plan broke
    it between phrases ("网格员 / 数字化", never "网格 / 员"), so those breaks are drawn.
    At a space a client breaks as the plan did, and the text stays as typed."""
    if len(paragraph.lines) < 2 or LINE_BREAK in paragraph.text:
        return paragraph
    text, out, position = paragraph.text, "", 0
    for i, line in enumerate(paragraph.lines):
        start = text.find(line, position)
        if start < 0:  # not a piece of the text as typed: leave the client to break it
            return paragraph
        between = text[position:start]
        out += between if between or i == 0 else LINE_BREAK
        out += line
        position = start + len(line)
    return replace(paragraph, text=out + text[position:])


def line_height(size: float, spacing: float) -> float:
    return size * spacing


SLACK = 0.985
"""Share of a line's width the plan fills. Clients lay text out in their own units
(LibreOffice in 1/100 mm, PowerPoint in EMU) and round per glyph; 1.5% absorbs that."""


def wrap_paragraph(text: str, width: float, size: float, face: FontFace) -> list[str]:
    """text broken into lines that fit width at size, with the slack clients need."""
    return wrap(text, width * SLACK, GrowingMeasure(size, face))


def wrap_title(text: str, width: float, size: float, face: FontFace) -> list[str]:
    """A title's lines: as many as ``wrap_paragraph`` gives, of even widths (``balanced``)."""
    return balanced(text, width * SLACK, GrowingMeasure(size, face))


def block_height(lines_per_paragraph: list[int], size: float, spacing: float, gap: float) -> float:
    """Height of paragraphs set at size: their lines plus the gaps between them."""
    lines = sum(lines_per_paragraph)
    gaps = max(len(lines_per_paragraph) - 1, 0)
    return lines * line_height(size, spacing) + gaps * gap * size


def fit_title(
    text: str, box: Box, size: float, min_size: float, spacing: float, face: FontFace
) -> tuple[float, list[str]]:
    """The largest size from size down to min_size at which text fits box, and its lines.

    Below min_size a title keeps min_size and wraps; the caller grows the title box.
    """
    current = size
    while True:
        lines = wrap_paragraph(text, box.text_width, current, face)
        if len(lines) * line_height(current, spacing) <= box.text_height or current <= min_size:
            return current, wrap_title(text, box.text_width, current, face)
        current = max(current - 2, min_size)


def join_lines(lines: list[str]) -> str:
    """Wrapped lines back into text: a space where a Latin word ended, none after Chinese."""
    out = ""
    for line in lines:
        if out and not (is_wide(out[-1]) or is_wide(line[0])):
            out += " "
        out += line
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of text, each keeping its closing punctuation."""
    return [part for part in _SENTENCE_END.split(text) if part.strip()]


def _pieces(
    text: str, box: Box, size: float, spacing: float, indent: float, face: FontFace
) -> list[str]:
    """text as pieces that each fit box alone: whole, else by sentences, else by lines."""
    width = box.text_width - indent
    capacity = max(int((box.text_height + 0.01) // line_height(size, spacing)), 1)
    if len(wrap_paragraph(text, width, size, face)) <= capacity:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in split_sentences(text):
        candidate = current + sentence
        if current and len(wrap_paragraph(candidate, width, size, face)) > capacity:
            pieces.append(current)
            current = sentence
        else:
            current = candidate
    if current:
        pieces.append(current)
    out: list[str] = []
    for piece in pieces:
        lines = wrap_paragraph(piece, width, size, face)
        if len(lines) <= capacity:
            out.append(piece)
        else:
            out += [join_lines(lines[i : i + capacity]) for i in range(0, len(lines), capacity)]
    return out


def fit_paragraphs(
    texts: list[str],
    box: Box,
    *,
    size: float,
    min_size: float,
    spacing: float,
    gap: float,
    face: FontFace,
    indent_em: float = 0.0,
    max_size: float | None = None,
) -> list[Fitted]:
    """texts laid out into as few boxes as possible without going below min_size.

    One box at the largest size from max_size (else size) down that fits; if none does,
    as many boxes as needed at size.
    """
    if not texts:
        return [Fitted((), size)]
    current = max(max_size or size, size)
    while current >= min_size:
        laid = _layout(texts, box, current, spacing, gap, face, indent_em)
        if laid is not None:
            return [laid]
        current -= 2
    pages = _paginate(texts, box, size, spacing, gap, face, indent_em)
    return _evened(pages, box.text_height + 0.01, spacing, gap)


def _layout(texts, box, size, spacing, gap, face, indent_em) -> Fitted | None:
    indent = indent_em * size
    paragraphs = tuple(
        Paragraph(t, tuple(wrap_paragraph(t, box.text_width - indent, size, face)), size, indent, i)
        for i, t in enumerate(texts)
    )
    height = block_height([len(p.lines) for p in paragraphs], size, spacing, gap)
    return Fitted(paragraphs, size) if height <= box.text_height + 0.01 else None


def _paginate(texts, box, size, spacing, gap, face, indent_em) -> list[Fitted]:
    indent = indent_em * size
    pages: list[Fitted] = []
    page: list[Paragraph] = []
    for text_index, text in enumerate(texts):
        for piece in _pieces(text, box, size, spacing, indent, face):
            paragraph = Paragraph(
                piece,
                tuple(wrap_paragraph(piece, box.text_width - indent, size, face)),
                size,
                indent,
                text_index,
            )
            trial = [*page, paragraph]
            if page and block_height([len(p.lines) for p in trial], size, spacing, gap) > (
                box.text_height + 0.01
            ):
                pages.append(Fitted(tuple(page), size))
                page = [paragraph]
            else:
                page = trial
    if page:
        pages.append(Fitted(tuple(page), size))
    return pages


def _evened(pages: list[Fitted], room: float, spacing: float, gap: float) -> list[Fitted]:
    """pages cut again so that the emptiest is as full as the same number of pages allows.

    Filling each page before the next leaves the last with what is over: seven questions
    of three lines make slides of 3, 3 and 1, and the last looks forgotten; 3, 2 and 2 do
    not. Pages that split a text (a long point continued) are kept as they were cut.
    """
    paragraphs = [p for page in pages for p in page.paragraphs]
    if len(pages) < 2 or len({p.text_index for p in paragraphs}) < len(paragraphs):
        return pages
    size = pages[0].size

    def height(start: int, end: int) -> float:
        return block_height([len(p.lines) for p in paragraphs[start:end]], size, spacing, gap)

    @functools.cache
    def best(start: int, count: int) -> tuple[float, tuple[int, ...]]:
        """The fullest the emptiest page can be when paragraphs[start:] fill count pages,
        and where those pages end; on a tie the earlier pages take more."""
        if count == 1:
            rest = height(start, len(paragraphs))
            return (rest, (len(paragraphs),)) if rest <= room else (-1.0, ())
        found: tuple[float, tuple[int, ...]] = (-1.0, ())
        for end in range(start + 1, len(paragraphs) - count + 2):
            here = height(start, end)
            if here > room:
                break
            emptiest, ends = best(end, count - 1)
            if ends and min(here, emptiest) >= found[0]:
                found = (min(here, emptiest), (end, *ends))
        return found

    _, ends = best(0, len(pages))
    starts = (0, *ends[:-1])
    return [Fitted(tuple(paragraphs[a:b]), size) for a, b in zip(starts, ends, strict=True)]
