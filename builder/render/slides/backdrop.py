"""What lies behind a layout's text: its background and the master's and layout's own
pictures and filled shapes, painted coarsely (four points a pixel) so colours can be
chosen against the real background, not an assumed white one.

This is no renderer: a shape is painted as its bounding box in its fill (or its
picture), a gradient as a linear blend of its stops, lines and text are left out. That
is enough to tell a dark band from a light page, and to see a photograph's colours.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from lxml import etree

from builder.render.slides.colour import RGB
from builder.render.slides.geometry import Box
from builder.render.slides.palette import FILLS, A, P, Theme, layout_colour_map, resolve_colour

SCALE = 0.25
"""Pixels a point."""
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
EMU_PER_PT = 12700


@dataclass(frozen=True, eq=False)
class Backdrop:
    """A layout's background as pixels, with what it is made of (for inspect-template)."""

    image: object
    """A PIL RGB image of the slide at SCALE."""
    kind: str
    """solid, gradient or picture: the background fill (not the shapes over it)."""
    colour: RGB
    """The background's average colour."""

    def pixels(self, box: Box) -> list[RGB]:
        """The colours behind box (at least one), from at most 32 × 32 pixels of it:
        sampled, not averaged, so a thin dark band is not blended away, and as many of
        each as the area it covers."""
        from PIL import Image

        image = self.image
        left = min(max(int(box.left * SCALE), 0), image.width - 1)
        top = min(max(int(box.top * SCALE), 0), image.height - 1)
        right = min(max(int((box.left + box.width) * SCALE) + 1, left + 1), image.width)
        bottom = min(max(int((box.top + box.height) * SCALE) + 1, top + 1), image.height)
        crop = image.crop((left, top, right, bottom))
        if crop.width > 32 or crop.height > 32:
            crop = crop.resize(
                (min(crop.width, 32), min(crop.height, 32)), Image.Resampling.NEAREST
            )
        raw = crop.tobytes()
        return list(zip(raw[0::3], raw[1::3], raw[2::3], strict=True))

    def clear_below(self, box: Box) -> Box:
        """box cut off where the background under it changes (a band, a picture's edge),
        so text laid out from its top does not run onto something it cannot be read on."""
        from builder.render.slides.colour import contrast, luminance

        def row(y: float) -> RGB:
            colours = self.pixels(Box(box.left, y, box.width, 1 / SCALE))
            return sorted(colours, key=luminance)[len(colours) // 2]

        first = row(box.top)
        step = 1 / SCALE
        y = box.top + step
        while y < box.top + box.height:
            if contrast(row(y), first) > 1.6:
                return Box(box.left, box.top, box.width, y - box.top - step, box.inset)
            y += step
        return box


def backdrop_of(layout, theme: Theme, width: float, height: float) -> Backdrop:
    """The layout's background and shapes, the master's shapes too where it shows them."""
    from PIL import Image

    size = (max(int(width * SCALE), 1), max(int(height * SCALE), 1))
    mapping = layout_colour_map(layout, theme)
    master = layout.slide_master
    image = Image.new("RGB", size, (255, 255, 255))
    kind, colour = "solid", (255, 255, 255)
    for owner in (master, layout):  # the layout's own background replaces the master's
        background = owner._element.find(f"{P}cSld/{P}bg")
        if background is not None:
            kind, colour = _paint_background(image, background, owner.part, theme, mapping)
    painter = _Painter(image, theme, mapping)
    if layout._element.get("showMasterSp", "1") not in ("0", "false"):
        painter.shapes(master._element.find(f"{P}cSld/{P}spTree"), master.part)
    painter.shapes(layout._element.find(f"{P}cSld/{P}spTree"), layout.part)
    return Backdrop(image, kind, colour)


def _paint_background(image, background, part, theme: Theme, mapping) -> tuple[str, RGB]:
    properties = background.find(f"{P}bgPr")
    if properties is not None:
        fill = next((c for c in properties if etree.QName(c).localname in FILLS), None)
        placeholder = None
    else:
        reference = background.find(f"{P}bgRef")
        if reference is None:
            return "solid", (255, 255, 255)
        index = int(reference.get("idx", "0"))
        placeholder = resolve_colour(
            reference[0] if len(reference) else None, theme, mapping=mapping
        )
        styles = theme.fill_styles[1] if index > 1000 else theme.fill_styles[0]
        position = index - 1001 if index > 1000 else index - 1
        fill = styles[position] if 0 <= position < len(styles) else None
        if fill is None:
            fill = etree.Element(f"{A}solidFill")
            colour = placeholder or (255, 255, 255)
            image.paste(colour, (0, 0, image.width, image.height))
            return "solid", colour
    box = (0, 0, image.width, image.height)
    return _paint_fill(image, box, fill, part, theme, mapping, placeholder)


def _paint_fill(image, box, fill, part, theme, mapping, placeholder=None) -> tuple[str, RGB]:
    """Paint fill into box (pixels); what kind of fill it was and its average colour."""
    from PIL import Image

    left, top, right, bottom = box
    if right <= left or bottom <= top or fill is None:
        return "none", (255, 255, 255)
    name = etree.QName(fill).localname
    if name == "solidFill":
        colour = resolve_colour(fill[0] if len(fill) else None, theme, placeholder, mapping)
        colour = colour or (255, 255, 255)
        image.paste(colour, box)
        return "solid", colour
    if name == "gradFill":
        stops = sorted(
            (int(stop.get("pos", "0")), resolve_colour(stop[0], theme, placeholder, mapping))
            for stop in fill.iter(f"{A}gs")
            if len(stop)
        )
        stops = [(pos / 100000, c) for pos, c in stops if c is not None]
        if not stops:
            return "none", (255, 255, 255)
        linear = fill.find(f"{A}lin")
        angle = int(linear.get("ang", "0")) / 60000 if linear is not None else 90.0
        vertical = 45 <= angle % 180 <= 135
        span = (bottom - top) if vertical else (right - left)
        for step in range(span):
            colour = _blend(stops, step / max(span - 1, 1))
            if vertical:
                image.paste(colour, (left, top + step, right, top + step + 1))
            else:
                image.paste(colour, (left + step, top, left + step + 1, bottom))
        return "gradient", _blend(stops, 0.5)
    if name == "blipFill":
        blip = fill.find(f"{A}blip")
        picture = _picture(part, blip.get(f"{R}embed") if blip is not None else None)
        if picture is None:
            return "picture", (255, 255, 255)
        # A transparent logo lets the band under it show: pasted through its alpha.
        if fill.find(f"{A}tile") is not None:
            size = (int(picture.width * 0.75 * SCALE), int(picture.height * 0.75 * SCALE))
            tile = picture.resize((max(size[0], 1), max(size[1], 1)))
            for x in range(left, right, tile.width):
                for y in range(top, bottom, tile.height):
                    image.paste(tile, (x, y), tile)
        else:
            stretched = picture.resize((right - left, bottom - top))
            image.paste(stretched, (left, top), stretched)
        average = picture.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        return "picture", average
    if name == "pattFill":
        colour = resolve_colour(
            next(iter(fill.find(f"{A}fgClr") or []), None), theme, placeholder, mapping
        )
        if colour is not None:
            image.paste(colour, box)
        return "solid", colour or (255, 255, 255)
    return "none", (255, 255, 255)


def _blend(stops: list[tuple[float, RGB]], at: float) -> RGB:
    before = [s for s in stops if s[0] <= at] or stops[:1]
    after = [s for s in stops if s[0] >= at] or stops[-1:]
    (p0, c0), (p1, c1) = before[-1], after[0]
    t = 0.0 if p1 == p0 else (at - p0) / (p1 - p0)
    return tuple(round(a + (b - a) * t) for a, b in zip(c0, c1, strict=True))


def _picture(part, rid: str | None):
    """The picture a relationship points to, as a PIL RGB image; None where PIL cannot
    read it (a metafile) or it is missing."""
    from PIL import Image, UnidentifiedImageError

    if not rid:
        return None
    try:
        blob = part.related_part(rid).blob
        with Image.open(io.BytesIO(blob)) as picture:
            picture.draft("RGB", (512, 512))
            return picture.convert("RGBA")
    except (KeyError, OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None


class _Painter:
    """Paints a shape tree's pictures and filled shapes over the background."""

    def __init__(self, image, theme: Theme, mapping) -> None:
        self.image, self.theme, self.mapping = image, theme, mapping

    def shapes(self, tree, part, transform=(0.0, 0.0, 1.0, 1.0)) -> None:
        if tree is None:
            return
        for shape in tree:
            name = etree.QName(shape).localname
            if name == "grpSp":
                self.shapes(shape, part, self._group(shape, transform))
            elif name in ("sp", "pic"):
                self.shape(shape, name, part, transform)

    def _group(self, group, transform):
        xfrm = group.find(f"{P}grpSpPr/{A}xfrm")
        if xfrm is None:
            return transform
        off, ext = self._pair(xfrm, "off"), self._pair(xfrm, "ext")
        child_off, child_ext = self._pair(xfrm, "chOff"), self._pair(xfrm, "chExt")
        sx = ext[0] / child_ext[0] if child_ext[0] else 1.0
        sy = ext[1] / child_ext[1] if child_ext[1] else 1.0
        dx, dy, px, py = transform
        return (
            dx + px * (off[0] - child_off[0] * sx),
            dy + py * (off[1] - child_off[1] * sy),
            px * sx,
            py * sy,
        )

    @staticmethod
    def _pair(xfrm, tag: str) -> tuple[float, float]:
        found = xfrm.find(f"{A}{tag}")
        if found is None:
            return (0.0, 0.0)
        keys = ("x", "y") if tag in ("off", "chOff") else ("cx", "cy")
        return tuple(int(found.get(k, "0")) / EMU_PER_PT for k in keys)

    def shape(self, shape, name: str, part, transform) -> None:
        properties = shape.find(f"{P}spPr")
        xfrm = properties.find(f"{A}xfrm") if properties is not None else None
        if xfrm is None:
            return  # a placeholder placed by its master: it draws nothing of its own here
        (x, y), (w, h) = self._pair(xfrm, "off"), self._pair(xfrm, "ext")
        dx, dy, px, py = transform
        box = (
            int((dx + x * px) * SCALE),
            int((dy + y * py) * SCALE),
            int((dx + (x + w) * px) * SCALE),
            int((dy + (y + h) * py) * SCALE),
        )
        if name == "pic":
            _paint_fill(self.image, box, shape.find(f"{P}blipFill"), part, self.theme, self.mapping)
            return
        fill = next((c for c in properties if etree.QName(c).localname in FILLS), None)
        if fill is None:  # no fill of its own: the shape style's, if it has one
            reference = shape.find(f"{P}style/{A}fillRef")
            index = int(reference.get("idx", "0")) if reference is not None else 0
            styles = self.theme.fill_styles[0]
            if not index or index > len(styles) or not len(reference):
                return
            colour = resolve_colour(reference[0], self.theme, mapping=self.mapping)
            _paint_fill(self.image, box, styles[index - 1], part, self.theme, self.mapping, colour)
            return
        if (
            shape.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is not None
            and etree.QName(fill).localname == "noFill"
        ):
            return
        _paint_fill(self.image, box, fill, part, self.theme, self.mapping)
