"""Checks a deck against its own rendering: every drawn character inside its text box.

LibreOffice draws a slide's shapes in z-order and each shape's text in reading order, so
the characters of a rendered page can be matched to the shapes of the .pptx one by one.
"""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu

TOLERANCE = 1.0  # points: rounding in EMU → PDF coordinates
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@dataclass(frozen=True)
class Escape:
    slide: int
    shape: str
    char: str
    where: tuple[float, float, float, float]
    box: tuple[float, float, float, float]


def render_pdf(deck: Path, folder: Path) -> Path:
    """The deck converted to PDF by LibreOffice headless."""
    [pdf] = render_pdfs([deck], folder)
    return pdf


def render_pdfs(decks: list[Path], folder: Path) -> list[Path]:
    """Many decks converted to PDF by one LibreOffice process: starting it costs more
    than converting a deck."""
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, decks),
        ],
        check=True,
        capture_output=True,
        timeout=min(1800, 300 * len(decks)),
    )
    return [folder / (deck.stem + ".pdf") for deck in decks]


def paragraph_numbers(text_frame) -> list[int | None]:
    """The automatic number drawn before each paragraph (None: not numbered), counted as
    OOXML says: from startAt, else on from the paragraph before."""
    numbers: list[int | None] = []
    for paragraph in text_frame.paragraphs:
        auto = paragraph._p.find(f"{A}pPr/{A}buAutoNum")
        before = numbers[-1] if numbers else None
        numbers.append(None if auto is None else int(auto.get("startAt", (before or 0) + 1)))
    return numbers


def _numbered_text(text_frame) -> str:
    """The shape's text as drawn, with its automatic numbers ("3.")."""
    numbers = paragraph_numbers(text_frame)
    return "".join(
        (f"{n}." if n else "") + p.text for n, p in zip(numbers, text_frame.paragraphs, strict=True)
    )


def _shape_texts(slide) -> list[tuple[str, tuple[float, float, float, float]]]:
    out = []
    for shape in slide.shapes:
        if not shape.has_text_frame:
            continue
        text = "".join(  # spaces and format characters (a word joiner) draw no glyph
            ch
            for ch in _numbered_text(shape.text_frame)
            if not ch.isspace() and unicodedata.category(ch) != "Cf"
        )
        if text:
            left, top = Emu(shape.left).pt, Emu(shape.top).pt
            out.append((text, (left, top, left + Emu(shape.width).pt, top + Emu(shape.height).pt)))
    return out


def escapes(deck: Path, pdf: Path) -> tuple[list[Escape], int]:
    """Characters drawn outside their shape's box or the slide, and how many were checked."""
    import pdfplumber

    prs = Presentation(deck)
    width, height = Emu(prs.slide_width).pt, Emu(prs.slide_height).pt
    found: list[Escape] = []
    checked = 0
    with pdfplumber.open(pdf) as rendered:
        assert len(rendered.pages) == len(prs.slides)
        for number, (slide, page) in enumerate(zip(prs.slides, rendered.pages, strict=True), 1):
            chars = [c for c in page.chars if c["text"].strip() and c["text"] != "•"]
            position = 0
            for text, box in _shape_texts(slide):
                # A ligature (——) is one drawn glyph carrying several characters.
                drawn, length = [], 0
                while length < len(text) and position < len(chars):
                    drawn.append(chars[position])
                    length += len(chars[position]["text"])
                    position += 1
                # In reading order, but a glyph from a fallback face ("…") may be drawn
                # after the rest of its line: the same characters, in any order.
                assert sorted("".join(c["text"] for c in drawn)) == sorted(text), (number, text)
                left, top, right, bottom = box
                for c in drawn:
                    checked += 1
                    inside = (
                        c["x0"] >= max(left, 0) - TOLERANCE
                        and c["x1"] <= min(right, width) + TOLERANCE
                        and c["top"] >= max(top, 0) - TOLERANCE
                        and c["bottom"] <= min(bottom, height) + TOLERANCE
                    )
                    if not inside:
                        found.append(
                            Escape(
                                number,
                                text[:20],
                                c["text"],
                                (c["x0"], c["top"], c["x1"], c["bottom"]),
                                box,
                            )
                        )
            assert position == len(chars), f"slide {number}: characters not in any shape"
    return found, checked
