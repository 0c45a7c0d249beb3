"""Contact sheets: every page of a rendered deck on one PNG, to look at a deck at a glance."""

from __future__ import annotations

from pathlib import Path


def contact_sheet(pages: list[Path], target: Path, columns: int = 6, width: int = 320) -> Path:
    """The page images scaled to width pixels each, in rows of columns, saved at target."""
    from PIL import Image

    images = [Image.open(p).convert("RGB") for p in pages]
    thumbs = [im.resize((width, round(im.height * width / im.width))) for im in images]
    cell = max(t.height for t in thumbs) + 8
    rows = (len(thumbs) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * (width + 8) + 8, rows * cell + 8), (128, 128, 128))
    for i, thumb in enumerate(thumbs):
        sheet.paste(thumb, (8 + (i % columns) * (width + 8), 8 + (i // columns) * cell))
    sheet.save(target)
    return target
