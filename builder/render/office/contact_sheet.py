"""The contact sheet: every slide on one picture, numbered, for a pull request or a CI
summary, where a reviewer sees the deck without opening it.

The PNG is written by Pillow with nothing but pixels (no time, no text chunks), so the
same slides give the same bytes.
"""

from __future__ import annotations

from PIL import Image, ImageDraw, ImageFont

from builder.render.office.pages import page_images, png_bytes

COLUMNS = 4
THUMB_WIDTH = 400
"""Pixels per slide: a 16:9 slide's title is legible at this width, and a 30-slide deck
stays a picture of about 1.7 megapixels wide by 2 high."""
GAP = 28
LABEL = 26
PAPER = (240, 240, 240)
INK = (40, 40, 40)
FRAME = (170, 170, 170)


def contact_sheet(slides_pdf: bytes) -> bytes:
    """slides_pdf's pages on a grid of COLUMNS, each numbered above its top-left corner."""
    thumbs = page_images(slides_pdf, THUMB_WIDTH)
    height = max(t.height for t in thumbs)
    columns = min(COLUMNS, len(thumbs))
    rows = -(-len(thumbs) // columns)
    cell_w, cell_h = THUMB_WIDTH + GAP, height + LABEL + GAP
    sheet = Image.new("RGB", (GAP + columns * cell_w, GAP + rows * cell_h), PAPER)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=LABEL - 6)
    for index, thumb in enumerate(thumbs):
        left = GAP + (index % columns) * cell_w
        top = GAP + (index // columns) * cell_h
        draw.text((left, top), str(index + 1), fill=INK, font=font)
        sheet.paste(thumb, (left, top + LABEL))
        draw.rectangle(
            (left - 1, top + LABEL - 1, left + thumb.width, top + LABEL + thumb.height),
            outline=FRAME,
        )
    return png_bytes(sheet)
