"""The page a print document is set on: paper size, margins, binding side, bleed and marks.

Each setting becomes CSS applied after the theme's stylesheet. The theme's own page is
A4 for double-sided printing (``print.css``): its margins are mirrored, the wider one
inside, at the binding, on the right of a left-hand page. Other papers, single-sided
binding and crop marks override that page; what they do not set stays the theme's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    """A paper size and the margins a handout is set with on it."""

    size: str
    """The CSS page size."""
    top: str
    outer: str
    bottom: str
    inner: str
    """The binding side: left on a right-hand page, right on a left-hand one."""
    css: str = ""
    """What else the paper changes: a smaller type size, fewer ruled lines."""


PAPERS = {
    "A4": Paper("A4", "22mm", "20mm", "22mm", "25mm"),
    "A5": Paper(
        "A5",
        "16mm",
        "14mm",
        "17mm",
        "18mm",
        # 18 ruled lines: the notes page stays one page.
        "html { font-size: 9.5pt } .notes-page .rule:nth-child(n+19) { display: none }",
    ),
    # ISO B5 (176 × 250 mm) and 16开 (185 × 260 mm), the common Chinese book format: a
    # little smaller than A4, in the same type with narrower margins (~38 characters a line).
    "B5": Paper("B5", "18mm", "16mm", "19mm", "21mm"),
    "16K": Paper("185mm 260mm", "18mm", "16mm", "19mm", "21mm"),
    # A3 in two columns, each about as wide as an A4 page's text, in the same type.
    "A3": Paper(
        "A3",
        "24mm",
        "22mm",
        "24mm",
        "28mm",
        "body { columns: 2; column-gap: 12mm } .title-block, .sheet-head { column-span: all }",
    ),
    "Letter": Paper("letter", "0.85in", "0.8in", "0.85in", "1in"),
}
"""Paper sizes a print document can be set on, by the names ``--paper`` takes."""

BINDINGS = ("duplex", "none")
"""Double-sided (mirrored margins, the default) or single-sided (binding always left)."""

BLEED = 3
"""Millimetres of background printed past the trim edge, cut off by the guillotine."""
MARK_SPACE = 5
"""Millimetres outside the bleed holding the crop marks (``standards.crop_marks``)."""


def page_css(paper: str, binding: str = "duplex", marks: bool = False) -> str:
    """The CSS that sets a print document on paper, after the theme's stylesheet."""
    chosen = PAPERS[paper]
    css = []
    if paper != "A4":
        page = f"{chosen.top} {chosen.outer} {chosen.bottom} {chosen.inner}"
        css.append(f"@page {{ size: {chosen.size}; margin: {page} }}")
        css.append(f"@page :left {{ margin-left: {chosen.outer}; margin-right: {chosen.inner} }}")
    if binding == "none":  # every page bound on the left, as a right-hand page is
        css.append(f"@page :left {{ margin-left: {chosen.inner}; margin-right: {chosen.outer} }}")
    if marks:
        css.append(f"@page {{ bleed: {BLEED + MARK_SPACE}mm }}")
    if chosen.css:
        css.append(chosen.css)
    return "\n".join(css)


VARIANTS = ("pdf/x-4", "pdf/a-2b", "pdf/ua-1")
"""The PDF standards a print document can be made to (WeasyPrint's variants of them)."""


@dataclass(frozen=True)
class PrintSetup:
    """How the print documents are set and made: what a build's options say of them."""

    paper: str = "A4"
    binding: str = "duplex"
    marks: bool = False
    """Crop marks and a bleed around each page (a print shop's trimming)."""
    variant: str | None = None
    """A PDF standard from VARIANTS, or None for plain PDF."""
    grayscale: bool = False
    """Every colour as a shade of grey, for a one-colour printer."""

    @property
    def css(self) -> str:
        return page_css(self.paper, self.binding, self.marks)
