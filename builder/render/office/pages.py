"""PDF pages as pictures: the contact sheet, the slides handout and ``lectern serve`` all
show pages, and all draw them here (PDFium: in-process, no program to install)."""

from __future__ import annotations

from PIL import Image


def page_images(pdf: bytes, width: int) -> list[Image.Image]:
    """Every page of pdf drawn width pixels wide, in order (RGB, white paper)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            scale = width / page.get_width()
            images.append(page.render(scale=scale, may_draw_forms=False).to_pil().convert("RGB"))
            page.close()
        return images
    finally:
        document.close()


def png_bytes(image: Image.Image) -> bytes:
    """image as PNG with nothing but its pixels: no time, no text chunks, same bytes
    for the same pixels."""
    import io

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    return out.getvalue()


def page_texts(pdf: bytes) -> list[str]:
    """The text of every page of pdf, in order."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            text = page.get_textpage()
            texts.append(text.get_text_range())
            text.close()
            page.close()
        return texts
    finally:
        document.close()
