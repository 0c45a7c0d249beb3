"""Checks a rendered deck for text that does not stand out from what is behind it.

Each word's fill colour comes from the PDF LibreOffice drew (pdfplumber reads the
non-stroking colour of every glyph); what is behind it comes from the same page rendered
to pixels by poppler: thin strips just above and below the word, outside the glyphs'
boxes, so neither the word's own glyphs nor its neighbours' count as background. The
contrast is WCAG 2's ratio of relative luminances.
"""

from __future__ import annotations

import functools
import itertools
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

RESOLUTION = 96
"""Pixels per inch of the rendered pages: 4 px a point of margin at 72 pt an inch."""
STRIP = (2, 6)
"""The background strips' distance from a word's box, in pixels: near, yet clear of it."""


@dataclass(frozen=True)
class LowContrast:
    page: int
    word: str
    ratio: float
    text: tuple[int, int, int]
    behind: tuple[int, int, int]


@functools.lru_cache(maxsize=1 << 16)
def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 relative luminance of an sRGB colour given as 0–255 channels."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def fill_rgb(color) -> tuple[int, int, int] | None:
    """A pdfplumber colour (gray, RGB or CMYK components in 0–1) as 0–255 RGB."""
    if color is None:
        return (0, 0, 0)
    if isinstance(color, int | float):
        color = (color,)
    if not all(isinstance(c, int | float) for c in color):
        return None  # a pattern: not a flat colour
    if len(color) == 1:
        return (round(color[0] * 255),) * 3
    if len(color) == 3:
        return tuple(round(c * 255) for c in color)
    if len(color) == 4:
        c, m, y, k = color
        return tuple(round(255 * (1 - v) * (1 - k)) for v in (c, m, y))
    return None


def render_pages(pdf: Path, folder: Path) -> list[Path]:
    """The PDF's pages as PNG files, in page order."""
    prefix = folder / pdf.stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(RESOLUTION), str(pdf), str(prefix)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return sorted(folder.glob(f"{pdf.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def low_contrast_words(
    pdf: Path, folder: Path, minimum: float = 3.0
) -> tuple[list[LowContrast], int]:
    """Words whose colour stands out from what is behind them by less than minimum, and how
    many words were measured."""
    import pdfplumber
    from PIL import Image

    found: list[LowContrast] = []
    measured = 0
    scale = RESOLUTION / 72
    pages = render_pages(pdf, folder)
    with pdfplumber.open(pdf) as document:
        for number, (page, png) in enumerate(zip(document.pages, pages, strict=True), 1):
            image = Image.open(png).convert("RGB")
            pixels = image.load()
            width, height = image.size
            words = page.extract_words(extra_attrs=["non_stroking_color"], use_text_flow=True)
            for word in words:
                text = fill_rgb(word["non_stroking_color"])
                if text is None or not word["text"].strip("•·"):
                    continue
                left, right = int(word["x0"] * scale), int(word["x1"] * scale) + 1
                top, bottom = int(word["top"] * scale), int(word["bottom"] * scale) + 1
                behind = []
                for near, far in (STRIP,):
                    for y in (*range(top - far, top - near), *range(bottom + near, bottom + far)):
                        if 0 <= y < height:
                            behind += [pixels[x, y] for x in range(max(left, 0), min(right, width))]
                if not behind:
                    continue
                measured += 1
                counts = Counter(behind)
                ratios = sorted((contrast(text, p), p) for p in counts)
                quarter = len(behind) // 4  # the worst quarter of the background
                totals = itertools.accumulate(counts[colour] for _, colour in ratios)
                ratio, colour = next(
                    r for r, total in zip(ratios, totals, strict=True) if total > quarter
                )
                if ratio < minimum:
                    found.append(LowContrast(number, word["text"], round(ratio, 2), text, colour))
    return found, measured
