"""The colours and faces of a deck on an organisation's master: the template's own where
they read, theme colours chosen against the real background where they do not.

Titles and bodies keep the colour the layout gives them (nothing is set on their runs)
when it stands out from what is behind their boxes; otherwise the theme colour that does
is set, and a warning says so. What Lectern draws itself (quotations, figure values and
their rules, labels, footers without a placeholder) takes theme colours chosen against
the layout's background there, never fixed ones.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from builder.render.slides.backdrop import Backdrop, backdrop_of
from builder.render.slides.colour import (
    BLACK,
    GRAPHIC_CONTRAST,
    LARGE_TEXT,
    TEXT_CONTRAST,
    WHITE,
    hex_of,
    needed,
    readable,
    worst_contrast,
)
from builder.render.slides.geometry import (
    FOOTER_SIZE,
    Box,
    DeckGeometry,
    LayoutFrames,
    LayoutLook,
    MinimumArea,
)
from builder.render.slides.palette import Theme, text_colour, theme_of

EDGE = 0.15
"""The share of a text box's width, from its left, judged on its own."""
MARGIN = {"solid": 1.1, "picture": 1.1, "gradient": 1.5}
"""How much more contrast than needed a colour must show on the painted backdrop, which
is coarser than what a client draws: gradients most (clients blend their stops their
own way)."""


def look_of(
    layout,
    frames: LayoutFrames,
    theme: Theme,
    backdrop: Backdrop,
    g: DeckGeometry,
    footed: bool = True,
) -> LayoutLook:
    """The colours a kind's slides on layout are drawn in; footed: whether they have a
    footer (title slides and part dividers do not)."""
    warnings: list[str] = []

    def own(idx, style: str, box: Box, size: float, what: str) -> str:
        """The layout's own colour, as its theme colour element, where it reads on box
        (with a margin: the backdrop is painted coarsely); else the theme colour that does,
        as hex. Written on the runs either way, so every client draws what was judged."""
        colour, element = text_colour(layout, idx, style, theme)
        # Every line of left-aligned text starts at the box's left edge: a band there is
        # behind the text, however little of the whole box it covers.
        edge = backdrop.pixels(replace(box, width=box.width * EDGE))
        behind = backdrop.pixels(box)
        judge = partial(_worst_of, behind=behind, edge=edge)
        ratio = judge(colour)
        margin = MARGIN.get(backdrop.kind, 1.5)
        if ratio >= needed(size) * margin:
            return element
        candidates = (*theme.text_candidates, BLACK, WHITE)
        fit = [c for c in candidates if judge(c) >= needed(size) * margin]
        chosen = fit[0] if fit else max(candidates, key=judge)
        better = chosen != colour and judge(chosen) > ratio
        if ratio >= needed(size):  # enough, though too close to trust: no warning
            return hex_of(chosen) if better else element
        warnings.append(
            f"layout '{layout.name}': its {what} colour #{hex_of(colour)} stands out "
            f"{ratio:.1f}:1 from the background (needs {needed(size):g}:1); "
            + (f"drawn in #{hex_of(chosen)}" if better else "no theme colour does better")
        )
        return hex_of(chosen) if better else element

    body_pixels = backdrop.pixels(frames.body)
    text = readable(theme.text_candidates, body_pixels, TEXT_CONTRAST)
    accent = readable(theme.accents, body_pixels, TEXT_CONTRAST)
    rule = readable(theme.accents, body_pixels, GRAPHIC_CONTRAST)
    footer_box = frames.footer or g.footer_box()
    # A long title grows its box downwards (``DeckPlanner._title``): judged with that room.
    grown = replace(frames.title, height=frames.title.height * 1.6)
    title = own(frames.title_idx, "titleStyle", grown, LARGE_TEXT, "title")
    # A text box Lectern adds where a layout has no body placeholder has no colour of the
    # template's to inherit (its default is the theme's tx1): it is given one that reads.
    body = (
        own(frames.body_idx, "bodyStyle", frames.body, 0.0, "body text")
        if frames.body_is_placeholder
        else hex_of(text)
    )
    footer = ""
    if frames.footer is not None and footed:
        index = dict(frames.footer_idx).get("footer")
        footer = own(index, "otherStyle", frames.footer, FOOTER_SIZE, "footer")
    footer_text = readable(theme.text_candidates, backdrop.pixels(footer_box), TEXT_CONTRAST)
    look = LayoutLook(
        title=title,
        body=body,
        text=hex_of(text),
        accent=hex_of(accent),
        rule=hex_of(rule),
        footer=footer,
        footer_text=hex_of(footer_text),
        background=f"{backdrop.kind} #{hex_of(backdrop.colour)}",
        warnings=tuple(warnings),
    )
    return look


def _worst_of(colour, behind, edge) -> float:
    return min(worst_contrast(colour, behind), worst_contrast(colour, edge))


def with_looks(
    mapping: dict[str, tuple[object, LayoutFrames]], g: DeckGeometry
) -> dict[str, tuple[object, LayoutFrames]]:
    """The mapping with each kind's frames carrying the look of its layout there (each
    layout's backdrop painted once, each master's theme read once)."""
    themes: dict[int, Theme] = {}
    backdrops: dict[int, Backdrop] = {}
    out = {}
    for kind, (layout, frames) in mapping.items():
        master = layout.slide_master
        theme = themes.setdefault(id(master), theme_of(master))
        if id(layout) not in backdrops:
            backdrops[id(layout)] = backdrop_of(layout, theme, g.width, g.height)
        backdrop = backdrops[id(layout)]
        if not frames.body_is_placeholder:
            clear = backdrop.clear_below(frames.body)
            if clear.height >= MinimumArea.of(kind).body_height:
                frames = replace(frames, body=clear)
        look = look_of(layout, frames, theme, backdrop, g, kind not in ("title", "divider"))
        out[kind] = (layout, replace(frames, look=look))
    return out
