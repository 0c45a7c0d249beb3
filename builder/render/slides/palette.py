"""A slide master's theme as the deck needs it: its colour scheme, its fonts, and the
colour a layout's own title and body text take.

DrawingML colours are indirect: a run says ``schemeClr tx1``, the master's colour map
says tx1 is ``dk1``, the theme says dk1 is a system colour, and ``lumMod``/``lumOff``
shift it. This module follows that chain once, for the few colours the deck compares
with what lies behind them.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from builder.render.slides.colour import RGB, rgb_of

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
SCHEME_NAMES = (
    "dk1",
    "lt1",
    "dk2",
    "lt2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
)
DEFAULT_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
FILLS = ("solidFill", "gradFill", "blipFill", "pattFill", "noFill", "grpFill")


@dataclass(frozen=True)
class ThemeFonts:
    """A theme's heading (major) or body (minor) faces: Latin, East Asian and the faces it
    names for Simplified and Traditional Chinese script."""

    latin: str = ""
    east_asian: str = ""
    hans: str = ""
    hant: str = ""

    def for_language(self, language: str) -> str:
        """The face a client draws Chinese text in for a lesson in language."""
        script = self.hant if language.lower() in ("zh-tw", "zh-hk", "zh-hant") else self.hans
        return self.east_asian or script


@dataclass(frozen=True)
class Theme:
    """A master's colour scheme, colour map and fonts."""

    scheme: dict[str, RGB]
    colour_map: dict[str, str]
    major: ThemeFonts
    minor: ThemeFonts
    fill_styles: tuple
    """The theme's fill and background-fill style lists (elements), for style references."""

    def resolve(self, element, placeholder: RGB | None = None, mapping=None) -> RGB | None:
        """The colour a DrawingML colour element (srgbClr, schemeClr…) stands for."""
        return resolve_colour(element, self, placeholder, mapping)

    @property
    def text_candidates(self) -> tuple[RGB, ...]:
        """The scheme's text and background colours, then its accents: the colours a deck
        on this theme may set text in, in that order of preference."""
        order = ("dk1", "lt1", "dk2", "lt2", *SCHEME_NAMES[4:])
        mapped = [self.scheme[self.colour_map.get(n, n)] for n in ("tx1", "bg1", "tx2", "bg2")]
        return tuple(dict.fromkeys([*mapped, *(self.scheme[n] for n in order if n in self.scheme)]))

    @property
    def accents(self) -> tuple[RGB, ...]:
        names = (*SCHEME_NAMES[4:], "dk2", "dk1", "lt1")
        return tuple(dict.fromkeys(self.scheme[n] for n in names if n in self.scheme))


def theme_of(master) -> Theme:
    """The theme of a python-pptx slide master."""
    root = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    scheme: dict[str, RGB] = {}
    colours = root.find(f"{A}themeElements/{A}clrScheme")
    for name in SCHEME_NAMES:
        slot = colours.find(f"{A}{name}") if colours is not None else None
        value = _plain_colour(slot[0]) if slot is not None and len(slot) else None
        scheme[name] = value or ((0, 0, 0) if name.startswith("dk") else (255, 255, 255))
    colour_map = dict(DEFAULT_MAP)
    cmap = master._element.find(f"{P}clrMap")
    if cmap is not None:
        colour_map.update({k: v for k, v in cmap.attrib.items() if k in DEFAULT_MAP})
    fonts = root.find(f"{A}themeElements/{A}fontScheme")
    fill_styles = tuple(
        tuple(style)
        if (style := root.find(f"{A}themeElements/{A}fmtScheme/{A}{name}")) is not None
        else ()
        for name in ("fillStyleLst", "bgFillStyleLst")
    )
    return Theme(
        scheme,
        colour_map,
        _fonts(fonts, "majorFont"),
        _fonts(fonts, "minorFont"),
        fill_styles,
    )


def _fonts(scheme, name: str) -> ThemeFonts:
    element = scheme.find(f"{A}{name}") if scheme is not None else None
    if element is None:
        return ThemeFonts()

    def face(tag: str) -> str:
        found = element.find(f"{A}{tag}")
        return found.get("typeface", "") if found is not None else ""

    scripts = {f.get("script"): f.get("typeface", "") for f in element.findall(f"{A}font")}
    return ThemeFonts(face("latin"), face("ea"), scripts.get("Hans", ""), scripts.get("Hant", ""))


def _plain_colour(element) -> RGB | None:
    tag = etree.QName(element).localname
    if tag == "srgbClr":
        return _hex(element.get("val", "000000"))
    if tag == "sysClr":
        return _hex(
            element.get("lastClr") or ("000000" if element.get("val") == "windowText" else "FFFFFF")
        )
    return None


def _hex(text: str) -> RGB:
    try:
        return rgb_of(text)
    except ValueError:
        return (0, 0, 0)


_PRESETS = {"black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0)}


def resolve_colour(
    element, theme: Theme, placeholder: RGB | None = None, mapping=None
) -> RGB | None:
    """The sRGB colour a colour element means, modifiers applied; None when it is not one."""
    if element is None:
        return None
    tag = etree.QName(element).localname
    mapping = mapping or theme.colour_map
    if tag == "schemeClr":
        name = element.get("val", "tx1")
        if name == "phClr":
            base = placeholder or (0, 0, 0)
        else:
            base = theme.scheme.get(mapping.get(name, name), (0, 0, 0))
    elif tag == "prstClr":
        base = _PRESETS.get(element.get("val", "black"), (0, 0, 0))
    elif tag == "scrgbClr":
        base = tuple(round(int(element.get(c, "0")) / 100000 * 255) for c in ("r", "g", "b"))
    else:
        base = _plain_colour(element)
    if base is None:
        return None
    return _modified(base, element)


def _modified(rgb: RGB, element) -> RGB:
    """rgb with the element's lumMod/lumOff, tint and shade applied (others kept as is)."""
    h, light, s = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    r, g, b = (c / 255 for c in rgb)
    for change in element:
        name = etree.QName(change).localname
        value = int(change.get("val", "100000")) / 100000
        if name in ("lumMod", "lumOff"):
            h, light, s = colorsys.rgb_to_hls(r, g, b)
            light = light * value if name == "lumMod" else light + value
            r, g, b = colorsys.hls_to_rgb(h, min(max(light, 0), 1), s)
        elif name == "tint":  # towards white
            r, g, b = (1 - (1 - c) * value for c in (r, g, b))
        elif name == "shade":  # towards black
            r, g, b = (c * value for c in (r, g, b))
    return tuple(round(min(max(c, 0), 1) * 255) for c in (r, g, b))


def layout_colour_map(layout, theme: Theme) -> dict[str, str]:
    """The colour map a layout's slides use: the master's unless the layout overrides it."""
    override = layout._element.find(f"{P}clrMapOvr/{A}overrideClrMapping")
    if override is None:
        return theme.colour_map
    return {**theme.colour_map, **{k: v for k, v in override.attrib.items() if k in DEFAULT_MAP}}


def text_colour(layout, idx: int | None, style: str, theme: Theme) -> tuple[RGB, str]:
    """The colour a layout's placeholder idx sets its first-level text in (its own list
    style, the master's placeholder of that type, the master's text style, else the
    scheme's tx1), and that colour's DrawingML element as written there."""
    mapping = layout_colour_map(layout, theme)
    master = layout.slide_master
    chain = []
    placeholder = next((ph for ph in layout.placeholders if ph.placeholder_format.idx == idx), None)
    if placeholder is not None:
        chain.append(placeholder._element)
        ph_type = (
            placeholder._element.ph.get("type", "body")
            if placeholder._element.ph is not None
            else "body"
        )
        ph_type = {"ctrTitle": "title", "subTitle": "body", "obj": "body"}.get(ph_type, ph_type)
        for shape in master.placeholders:
            ph = shape._element.ph
            if ph is not None and ph.get("type", "body") in (
                ph_type,
                "ctrTitle" if ph_type == "title" else ph_type,
            ):
                chain.append(shape._element)
                break
    for element in chain:
        found = element.find(f"{P}txBody/{A}lstStyle/{A}lvl1pPr/{A}defRPr/{A}solidFill")
        if found is not None and len(found):
            return _found(found[0], theme, mapping)
    styles = master._element.find(f"{P}txStyles")
    if styles is not None:
        found = styles.find(f"{P}{style}/{A}lvl1pPr/{A}defRPr/{A}solidFill")
        if found is not None and len(found):
            return _found(found[0], theme, mapping)
    return theme.scheme[mapping.get("tx1", "dk1")], f'<a:schemeClr xmlns:a="{A[1:-1]}" val="tx1"/>'


def _found(element, theme: Theme, mapping) -> tuple[RGB, str]:
    colour = resolve_colour(element, theme, mapping=mapping) or (0, 0, 0)
    return colour, etree.tostring(element, encoding="unicode")
