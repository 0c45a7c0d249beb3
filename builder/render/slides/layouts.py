"""Which layout of a slide master each slide kind is drawn on, in any language.

Layout names are whatever the organisation's PowerPoint was set to ("Titelfolie",
"Diapositivo de título", "標題投影片"), so a layout is chosen by what it holds: the
layout type PowerPoint records (``title``, ``obj``, ``secHead``, ``titleOnly``), the
placeholders' types and their geometry. Each kind has a fallback (a quotation on a
title-and-body layout, figures in the body area of a title-only one); a layout whose
boxes are too small for a kind's minimum is never chosen, so no box is ever drawn with
a negative size. Only when nothing fits does mapping fail, naming the kind, the layouts
and the ``--layout`` fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from builder.errors import Location, Problem, TemplateError
from builder.render.slides.geometry import (
    GAP_BELOW_TITLE,
    KINDS,
    TEXT_KINDS,
    Box,
    DeckGeometry,
    LayoutFrames,
    MinimumArea,
)

TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}
BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE}
FOOTER_TYPES = {
    PP_PLACEHOLDER.FOOTER: "footer",
    PP_PLACEHOLDER.SLIDE_NUMBER: "number",
    PP_PLACEHOLDER.DATE: "date",
}
VERTICAL_TYPES = {"vertTx", "vertTitleAndTx", "vertTitleAndTxOverChart"}

PREFERRED_TYPE = {
    "title": ("title",),
    "divider": ("secHead", "title"),
    **{kind: ("obj", "tx") for kind in TEXT_KINDS},
    "quote": ("titleOnly", "obj", "tx"),
    "figures": ("titleOnly", "obj", "tx"),
    "image": ("titleOnly", "obj", "tx"),
}
"""The PowerPoint layout types a kind is drawn on by preference (ST_SlideLayoutType)."""


def box_of(shape) -> Box:
    return Box(Emu(shape.left).pt, Emu(shape.top).pt, Emu(shape.width).pt, Emu(shape.height).pt)


@dataclass(frozen=True)
class LayoutShape:
    """What a layout offers a slide: its type, title, main body and footer placeholders."""

    name: str
    type: str
    title: Box | None
    title_idx: int | None
    centred_title: bool
    body: Box | None
    body_idx: int | None
    subtitle: bool
    bodies: int
    vertical: bool
    footers: dict[str, tuple[int, Box]]
    """footer, number, date → the placeholder's idx and box."""


def layout_shape(layout) -> LayoutShape:
    """A layout's placeholders as the mapping sees them (geometry inherited from the master)."""
    titles, bodies, footers = [], [], {}
    vertical = layout._element.get("type") in VERTICAL_TYPES
    for ph in layout.placeholders:
        kind = ph.placeholder_format.type
        if ph.width is None or ph.height is None:
            continue
        if ph._element.ph is not None and ph._element.ph.get("orient") == "vert":
            vertical = True
        if kind in TITLE_TYPES:
            titles.append(ph)
        elif kind in BODY_TYPES:
            bodies.append(ph)
        elif kind in FOOTER_TYPES:
            footers[FOOTER_TYPES[kind]] = (ph.placeholder_format.idx, box_of(ph))
    title = titles[0] if titles else None
    title_box = box_of(title) if title is not None else None
    # The main body: the largest that does not sit on the title (a caption beside a
    # picture, or a subtitle box overlapping a title, is not where points go).
    usable = [b for b in bodies if title_box is None or not _overlaps(box_of(b), title_box)]
    main = max(usable, key=lambda b: box_of(b).width * box_of(b).height, default=None)
    if title_box is not None and title_box.height > 2 * title_box.width:
        vertical = True
    return LayoutShape(
        name=layout.name,
        type=layout._element.get("type") or "",
        title=title_box,
        title_idx=title.placeholder_format.idx if title is not None else None,
        centred_title=title is not None
        and title.placeholder_format.type == PP_PLACEHOLDER.CENTER_TITLE,
        body=box_of(main) if main is not None else None,
        body_idx=main.placeholder_format.idx if main is not None else None,
        subtitle=any(b.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE for b in bodies),
        bodies=len(bodies),
        vertical=vertical,
        footers=footers,
    )


def _overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share more than a sliver (a fifth of the smaller one)."""
    width = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    height = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    smaller = min(a.width * a.height, b.width * b.height)
    return width > 0 and height > 0 and width * height > smaller / 5


def body_bottom(shape: LayoutShape, g: DeckGeometry) -> float:
    """How far down a body may reach: clear of the layout's footer placeholders, else of
    the built-in footer."""
    tops = [box.top for _, box in shape.footers.values() if box.top > g.height / 2]
    return min(tops) - 8 if tops else g.height - g.footer_height - 18


def frames_for(shape: LayoutShape, kind: str, g: DeckGeometry) -> LayoutFrames | None:
    """The boxes a kind's slide gets on this layout, or None when they are too small."""
    if shape.title is None or shape.vertical:
        return None
    minimum = MinimumArea.of(kind)
    title = shape.title
    if title.width < minimum.width or title.height < minimum.title_height:
        return None
    body, placeholder = shape.body, shape.body is not None
    if kind in TEXT_KINDS and shape.subtitle and shape.bodies == 1:
        return None  # a title slide's subtitle is no place for points
    if body is None:
        # No body placeholder: the slide's own area below the title, down to the footer.
        below = title.top + title.height + GAP_BELOW_TITLE
        body = Box(title.left, below, title.width, body_bottom(shape, g) - below)
        placeholder = False
    if body.width < minimum.width or body.height < minimum.body_height:
        return None
    beside = body.left >= title.left + title.width or title.left >= body.left + body.width
    if body.top < title.top + title.height / 2 and not beside and kind not in ("title", "divider"):
        return None  # a body above the title (a section header's) does not read as one
    footers = {name: box for name, (_, box) in shape.footers.items()}
    return LayoutFrames(
        shape.name,
        title,
        body,
        body_is_placeholder=placeholder,
        title_idx=shape.title_idx,
        body_idx=shape.body_idx if placeholder else None,
        footer=footers.get("footer"),
        number=footers.get("number"),
        date=footers.get("date"),
        footer_idx=tuple(sorted((name, idx) for name, (idx, _) in shape.footers.items())),
    )


def _score(shape: LayoutShape, kind: str, frames: LayoutFrames, g: DeckGeometry) -> float:
    """How well a layout suits a kind: its PowerPoint type first, then its geometry."""
    preferred = PREFERRED_TYPE[kind]
    score = 0.0
    if shape.type in preferred:
        score += 100 - 40 * preferred.index(shape.type)
    area = frames.body.width * frames.body.height / (g.width * g.height)
    if kind == "title":
        score += 40 * shape.centred_title + 20 * shape.subtitle + 10 * area
    elif kind == "divider":
        score += 20 * shape.centred_title + 10 * area
    else:
        score += 60 * area - 30 * shape.centred_title - 5 * max(shape.bodies - 1, 0)
        if kind in ("quote", "figures", "image") and shape.subtitle:
            score -= 20
        if kind in TEXT_KINDS and not frames.body_is_placeholder:
            score -= 80  # the area below a title serves, where no layout has a body
    return score


def map_layouts(
    prs, g: DeckGeometry, overrides: dict[str, str] | None = None, source=None
) -> dict[str, tuple[object, LayoutFrames]]:
    """Slide kind → (layout, its frames): the user's choice, else the best-suited layout."""
    from pathlib import Path

    layouts = list(prs.slide_layouts)
    shapes = {id(layout): layout_shape(layout) for layout in layouts}
    names = ", ".join(f"'{layout.name}'" for layout in layouts) or "none"
    where = Location(source or Path("built-in slide master"))
    problems = [
        Problem(where, f"no slide kind '{kind}' (kinds: {', '.join(KINDS)})")
        for kind in sorted(set(overrides or {}) - set(KINDS))
    ]
    chosen: dict[str, tuple[object, LayoutFrames]] = {}
    for kind in KINDS:
        wanted = (overrides or {}).get(kind)
        if wanted is not None:
            layout = next((each for each in layouts if each.name == wanted), None)
            frames = frames_for(shapes[id(layout)], kind, g) if layout is not None else None
            if layout is None:
                problems.append(
                    Problem(
                        where,
                        f"no layout named '{wanted}' (mapped to {kind} slides); layouts: {names}",
                    )
                )
            elif frames is None:
                problems.append(
                    Problem(
                        where,
                        f"layout '{wanted}' cannot hold {kind} slides: needs "
                        f"{MinimumArea.of(kind).describe(kind)}",
                    )
                )
            else:
                chosen[kind] = (layout, frames)
            continue
        candidates = [
            (layout, frames)
            for layout in layouts
            if (frames := frames_for(shapes[id(layout)], kind, g)) is not None
        ]
        if not candidates:
            problems.append(
                Problem(
                    where,
                    f"no layout fits {kind} slides: they need "
                    f"{MinimumArea.of(kind).describe(kind)}; layouts: {names}; "
                    f"choose one with --layout {kind}=NAME",
                )
            )
            continue
        # max() keeps the first of equals: the master's own order breaks ties.
        chosen[kind] = max(candidates, key=lambda c: _score(shapes[id(c[0])], kind, c[1], g))
    if problems:
        raise TemplateError(problems)
    return chosen
