"""Colours and contrast: WCAG 2's ratio, and choosing a readable colour for a background.

Text must stand out from what is behind it by 4.5:1, or 3:1 from 24 pt (WCAG 2.1, 1.4.3);
rules and bullets, which are not text, by 3:1 (1.4.11). A background is judged by its
pixels (a picture or a gradient is not one colour), and a colour by the worst tenth of
them, so a word is not read as fine because most of its background is.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

RGB = tuple[int, int, int]

TEXT_CONTRAST = 4.5
LARGE_TEXT_CONTRAST = 3.0
LARGE_TEXT = 24.0
"""Points from which text counts as large."""
GRAPHIC_CONTRAST = 3.0
BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)


def needed(size: float) -> float:
    """The contrast text of size points needs."""
    return LARGE_TEXT_CONTRAST if size >= LARGE_TEXT else TEXT_CONTRAST


def hex_of(rgb: RGB) -> str:
    return "{:02X}{:02X}{:02X}".format(*rgb)


def rgb_of(hex_text: str) -> RGB:
    return tuple(int(hex_text[i : i + 2], 16) for i in (0, 2, 4))


@functools.lru_cache(maxsize=65536)
def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour (0–255 channels)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def worst_contrast(colour: RGB, behind: Sequence[RGB]) -> float:
    """colour's contrast against the worst tenth of the background's pixels: a corner
    ornament under a tenth of a box does not decide its text's colour."""
    if not behind:
        return 21.0
    counts: dict[RGB, int] = {}
    for pixel in behind:
        counts[pixel] = counts.get(pixel, 0) + 1
    ratios = sorted(r for pixel, n in counts.items() for r in [contrast(colour, pixel)] * n)
    return ratios[len(ratios) // 10]


def readable(candidates: Iterable[RGB], behind: Sequence[RGB], need: float) -> RGB:
    """The first candidate that stands out from behind by need; else the one that stands
    out most, black and white included (one of them always reaches 4.5:1 on a flat colour)."""
    candidates = list(dict.fromkeys([*candidates, BLACK, WHITE]))
    scored = [(worst_contrast(c, behind), c) for c in candidates]
    for ratio, colour in scored:
        if ratio >= need:
            return colour
    return max(scored)[1]
