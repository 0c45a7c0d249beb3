"""The small things on a slide besides its title and body, decided before drawing: labels
(series, quotation source, caption), figure cards, footers, and their sizes and boxes.

Each is planned here so the overflow check sees it all: a label that had to be cut is a
finding, as a body that needed extra slides is. ``deck.py`` draws what this module gives.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.model import Figure
from builder.render.slides.fit import SLACK, fit_paragraphs, join_lines
from builder.render.slides.geometry import (
    CARD,
    FOOTER_MIN_SIZE,
    FOOTER_SIZE,
    LABEL_SPACING,
    QUOTE_RULE_WIDTH,
    SOURCE,
    Box,
    DeckGeometry,
    LayoutFrames,
)
from builder.text.inline import plain
from builder.text.measure import FontFace, text_width


@dataclass(frozen=True)
class PlannedLabel:
    """A short text in a box of its own, fitted: drawn at size, as text says."""

    box: Box
    text: str
    size: float
    role: str = "text"
    """Which colour it takes (a ``LayoutLook`` field): text, accent, footer, footer_text."""
    align: str | None = "left"
    """left, center or right; None keeps the layout placeholder's own alignment."""
    bold: bool = False
    cut: bool = False
    """The text did not fit at the smallest size and ends in "…" where it was cut."""
    placeholder: str | None = None
    """The layout's footer, number or date placeholder it is drawn in; None: a text box."""
    field: str | None = None
    """slidenum: the text is the slide's number, drawn as a field that follows reordering."""


@dataclass(frozen=True)
class FigureCard:
    """One key figure: its card, the rule along its top, its value and its label."""

    card: Box
    rule: Box
    value: PlannedLabel
    label: PlannedLabel


def fit_label(
    text: str,
    box: Box,
    size: float,
    min_size: float,
    face: FontFace,
    **kw,
) -> PlannedLabel:
    """text fitted into box, shrinking down to min_size; beyond that cut at a line end with
    "…", since a label that does not fit is better shortened (and reported) than spilling
    out of its box."""
    pages = fit_paragraphs(
        [text], box, size=size, min_size=min_size, spacing=LABEL_SPACING, gap=0, face=face
    )
    if len(pages) == 1:
        return PlannedLabel(box, text, pages[0].size, **kw)
    lines = [line for p in pages[0].paragraphs for line in p.lines]
    lines[-1] = lines[-1][:-1] + "…"
    return PlannedLabel(box, join_lines(lines), pages[0].size, cut=True, **kw)


def figure_cards(
    figures: tuple[Figure, ...], area: Box, face: FontFace, bold: FontFace
) -> tuple[FigureCard, ...]:
    """Cards side by side across area, as tall as it allows up to the design's height.

    A number is never broken across lines: it takes the largest size that keeps it on one
    (values are at most 24 characters, so this stays readable), and the numbers of one row
    share the size of the longest, so none looks more important.
    """
    count = len(figures)
    width = (area.width - CARD.gap * (count - 1)) / count
    height = min(area.height - CARD.top, CARD.height)
    k = height / CARD.height  # a shorter body: the card's parts shrink together
    values = [f"{figure.value}{figure.unit}" for figure in figures]
    value_height = CARD.value_height * k
    inner = Box(0, 0, width, value_height).text_width * SLACK
    fitting = min(inner / max(text_width(v, 1.0, bold), 0.01) for v in values)
    room = (value_height - 2 * Box(0, 0, 1, 1).inset) / CARD.value_spacing
    value_size = min(CARD.value_size, fitting, room)
    cards = []
    for i, (figure, value) in enumerate(zip(figures, values, strict=True)):
        left = area.left + i * (width + CARD.gap)
        card = Box(left, area.top + CARD.top, width, height)
        value_box = Box(left, card.top + CARD.value_top * k, width, value_height)
        label_top = card.top + CARD.label_top * k
        label_box = Box(left, label_top, width, card.top + card.height - 8 * k - label_top)
        cards.append(
            FigureCard(
                card,
                Box(left, card.top, width, CARD.rule),
                PlannedLabel(value_box, value, value_size, "accent", "center", bold=True),
                fit_label(
                    plain(figure.label),
                    label_box,
                    CARD.label_size,
                    CARD.label_min_size,
                    face,
                    role="text",
                    align="center",
                ),
            )
        )
    return tuple(cards)


def quote_parts(
    body: Box, used: float, source: str | None, face: FontFace
) -> tuple[Box, tuple[PlannedLabel, ...]]:
    """The rule beside a quotation (as long as its text) and its source below it, right."""
    shown = min(used, body.height)
    rule = Box(body.left - SOURCE.rule_offset, body.top, QUOTE_RULE_WIDTH, shown)
    if not source:
        return rule, ()
    box = Box(body.left, body.top + shown + SOURCE.gap, body.width, SOURCE.height)
    label = fit_label(source, box, SOURCE.size, SOURCE.min_size, face, role="muted", align="right")
    return rule, (label,)


def footer_parts(
    text: str, date: str, number: int, frame: LayoutFrames, g: DeckGeometry, face: FontFace
) -> tuple[PlannedLabel, ...]:
    """The footer text, the slide number and (where the layout has a place for it) the date:
    in the layout's own footer, number and date placeholders when it has them, otherwise
    in the built-in positions along the bottom, clear of the body."""
    size, low = FOOTER_SIZE, FOOTER_MIN_SIZE
    band = g.footer_box()
    number_width = text_width("000", size, face) + 2 * band.inset + 4
    parts = []
    if frame.number is not None:
        parts.append(
            PlannedLabel(
                frame.number,
                str(number),
                size,
                "footer",
                None,
                placeholder="number",
                field="slidenum",
            )
        )
    else:
        box = Box(band.left + band.width - number_width, band.top, number_width, band.height)
        parts.append(PlannedLabel(box, str(number), size, "footer_text", "right", field="slidenum"))
    if frame.footer is not None:
        parts.append(
            fit_label(
                text, frame.footer, size, low, face, role="footer", align=None, placeholder="footer"
            )
        )
    else:
        box = Box(band.left, band.top, band.width - number_width, band.height, band.inset)
        parts.append(fit_label(text, box, size, low, face, role="footer_text"))
    if frame.date is not None and date:
        parts.append(
            fit_label(
                date, frame.date, size, low, face, role="footer", align=None, placeholder="date"
            )
        )
    return tuple(parts)
