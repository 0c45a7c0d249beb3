"""Slide geometry and type sizes of the built-in deck, in points (1/72 inch)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide; text inside keeps ``inset`` points from each edge."""

    left: float
    top: float
    width: float
    height: float
    inset: float = 6.0

    @property
    def text_width(self) -> float:
        return self.width - 2 * self.inset

    @property
    def text_height(self) -> float:
        return self.height - 2 * self.inset


@dataclass(frozen=True)
class DeckGeometry:
    """Where titles, bodies and footers go, and the sizes text may take there."""

    width: float = 960.0  # 13.333 in: 16:9
    height: float = 540.0  # 7.5 in
    margin: float = 56.0
    title_top: float = 34.0
    title_height: float = 86.0
    footer_height: float = 30.0
    title_size: float = 32.0
    title_min_size: float = 24.0
    body_size: float = 24.0
    body_min_size: float = 20.0
    line_spacing: float = 1.3
    paragraph_gap: float = 0.45
    """Space before each paragraph after the first, in lines of its size."""

    def title_box(self) -> Box:
        return Box(self.margin, self.title_top, self.width - 2 * self.margin, self.title_height)

    def body_box(self, title: Box | None = None) -> Box:
        title = title or self.title_box()
        top = title.top + title.height + 14
        bottom = self.height - self.footer_height - 18
        return Box(self.margin, top, self.width - 2 * self.margin, bottom - top)

    def footer_box(self) -> Box:
        return Box(
            self.margin,
            self.height - self.footer_height - 4,
            self.width - 2 * self.margin,
            self.footer_height,
            inset=6.0,
        )


WIDE = DeckGeometry()
STANDARD = replace(WIDE, width=720.0, margin=44.0)
ASPECTS = {"16:9": WIDE, "4:3": STANDARD}


@dataclass(frozen=True)
class DeckSetup:
    """How a deck is set, besides the lesson: aspect, slide master, layout names, typeface.

    The deck is drawn with a setup, and the checks that predict it (overflow, glyph
    coverage) take the same one: what they report is what the lecturer will see.
    """

    aspect: str = "16:9"
    template: Path | None = None
    """The organisation's .pptx/.potx slide master; None is the built-in design."""
    layouts: tuple[tuple[str, str], ...] = ()
    """Slide kind → layout name overrides for the slide master."""
    font: str | None = None
    """Typeface for slide text, Latin and East Asian; None keeps the built-in one."""


BUILT_IN_DECK = DeckSetup()
"""The built-in design at 16:9 in its own typeface."""


def replace_left(box: Box, left: float) -> Box:
    """box with its left edge moved to left, its right edge kept."""
    return Box(left, box.top, box.width - (left - box.left), box.height, box.inset)
