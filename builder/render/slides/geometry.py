"""Slide geometry and type sizes of the built-in deck, in points (1/72 inch)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, get_args


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


def fitted_picture(area: Box, aspect: float) -> Box:
    """The largest box of a picture's aspect (width / height) inside area, centred across
    it and at its top."""
    width = min(area.width, area.height * aspect)
    height = width / aspect
    return Box(area.left + (area.width - width) / 2, area.top, width, height)


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
    """The body's size where text continues over several slides."""
    body_max_size: float = 32.0
    """The largest size a body that fits one slide may take (``plan``: size to the room)."""
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

    aspect: str | None = None
    """16:9 or 4:3 as asked for; None: 16:9, or the template's own size."""
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


GAP_BELOW_TITLE = 14.0
TITLE_SPACING = 1.15
LABEL_SPACING = 1.2
FOOTER_SIZE = 11.0
FOOTER_MIN_SIZE = 8.0
QUOTE_RULE = 24.0
"""Room left of a quotation for the rule that sets it apart."""
QUOTE_RULE_WIDTH = 6.0
FIGURES_PER_SLIDE = 4
FIGURE_ROW = 196.0
"""Room for a row of figure cards below a section's points, on the points slide: the cards
a little shorter than on a slide of their own, so the points keep the room above them."""
FIGURE_GAP = 12.0


@dataclass(frozen=True)
class CardDesign:
    """A key figure's card, at full height (a shorter body shrinks it evenly)."""

    gap: float = 24.0
    top: float = 20.0
    height: float = 210.0
    rule: float = 5.0
    value_top: float = 24.0
    value_height: float = 100.0
    value_size: float = 60.0
    value_spacing: float = 1.1
    label_top: float = 128.0
    label_size: float = 20.0
    label_min_size: float = 12.0


@dataclass(frozen=True)
class LabelDesign:
    """A label's place and sizes: below (gap) the text it belongs to, height tall."""

    gap: float
    height: float
    size: float
    min_size: float
    rule_offset: float = QUOTE_RULE


CARD = CardDesign()
SOURCE = LabelDesign(gap=12.0, height=36.0, size=18.0, min_size=10.0)
"""A quotation's source, right-aligned below it."""
CAPTION = LabelDesign(gap=0.0, height=36.0, size=14.0, min_size=10.0)
"""An image's caption, centred below it."""
SERIES = LabelDesign(gap=6.0, height=40.0, size=18.0, min_size=10.0)
"""The series name above the title slide's title (built-in design)."""
"""Room between a title and what follows it, where a layout leaves that to the deck."""

Kind = Literal[
    "title",
    "divider",
    "objectives",
    "agenda",
    "points",
    "discussion",
    "closing",
    "quote",
    "figures",
    "image",
]
"""A slide kind: what a slide shows, and so which layout it is drawn on."""
TEXT_KINDS = ("objectives", "agenda", "points", "discussion", "closing")
"""Slide kinds whose body is text set in the layout's body placeholder."""
KINDS: tuple[Kind, ...] = get_args(Kind)
"""Every slide kind, in the order a deck meets them."""


@dataclass(frozen=True)
class MinimumArea:
    """The smallest boxes a kind can be drawn in, in points: below these a layout is not
    chosen for it (PowerPoint would accept them, and the text would not fit at its
    minimum size, or a figure card would have no room)."""

    width: float
    title_height: float
    body_height: float

    @classmethod
    def of(cls, kind: str) -> MinimumArea:
        if kind == "title":
            return cls(200.0, 30.0, 36.0)
        if kind == "divider":
            return cls(200.0, 30.0, 28.0)
        if kind in TEXT_KINDS:
            return cls(240.0, 30.0, 90.0)
        return cls(240.0, 30.0, 140.0)

    def describe(self, kind: str) -> str:
        body = "a body placeholder" if kind in TEXT_KINDS else "room below it"
        return (
            f"a horizontal title placeholder and {body} of at least "
            f"{self.width:g} × {self.body_height:g} pt"
        )


@dataclass(frozen=True)
class LayoutLook:
    """The colours (hex RGB) a layout's slides are drawn in on an organisation's master.

    title, body and footer are the layout's own theme colour element (XML, e.g.
    ``<a:schemeClr val="tx1"/>``) where it reads, else the hex colour that does; footer
    is empty where the slides have no footer placeholder. The others are set on what
    Lectern draws.
    """

    title: str
    body: str
    text: str
    """Text Lectern draws over the body area: quotations, labels, captions, sources."""
    accent: str
    """Figure values and other text in the accent colour."""
    rule: str
    """Rules and bullets: graphics, which need 3:1, not text's 4.5:1."""
    footer: str
    footer_text: str
    """Footer text in the built-in position, where the layout has no footer placeholder."""
    background: str
    """What the layout's background is (solid, gradient, picture) and its colour."""
    warnings: tuple[str, ...] = ()
    """Where the template's own colours fall short of the contrast text needs."""


@dataclass(frozen=True)
class LayoutFrames:
    """Where a layout puts a slide's title, body and footer texts, in points.

    body is the layout's body placeholder, or (body_is_placeholder False) the area the
    deck uses below the title on a layout that has none. The footer boxes are the
    layout's own footer, slide-number and date placeholders; None where it has none.
    """

    name: str
    title: Box
    body: Box
    body_is_placeholder: bool = True
    title_idx: int | None = None
    body_idx: int | None = None
    footer: Box | None = None
    number: Box | None = None
    date: Box | None = None
    footer_idx: tuple[tuple[str, int], ...] = ()
    """footer, number, date → the idx of the layout placeholder a slide copies."""
    look: LayoutLook | None = None
    """The layout's colours on an organisation's master; None on the built-in design."""
