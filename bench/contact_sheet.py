"""Pictures of a build, for looking at a change: each deck's contact sheet beside the first
pages of its handout and facilitator's guide.

    lectern build LESSON... -o OUTPUT --with contact-sheet.png
    .venv/bin/python bench/contact_sheet.py OUTPUT PICTURES [--pages 2]

For every lesson in OUTPUT, PICTURES gets ``<lesson>-slides.png`` (the deck as LibreOffice
draws it) and ``<lesson>-handout-1.png``, ``<lesson>-guide-1.png``… Nothing is asserted:
it is for looking.
"""

from __future__ import annotations

import argparse
import io
import shutil
from pathlib import Path

import pikepdf

from builder.formats import CONTACT_SHEET, FACILITATOR, HANDOUT
from builder.render.office.pages import page_images, png_bytes

PRINTED = {"handout": HANDOUT.name, "guide": FACILITATOR.name}
WIDTH = 900
"""Pixels across a print page: its body text legible, a few pages side by side on a screen."""


def first_pages(pdf: Path, count: int) -> bytes:
    """The first count pages of pdf, as a PDF of their own."""
    with pikepdf.open(pdf) as document:
        del document.pages[count:]
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("pictures", type=Path)
    parser.add_argument("--pages", type=int, default=2, help="print pages per document")
    args = parser.parse_args()
    args.pictures.mkdir(parents=True, exist_ok=True)
    for sheet in sorted(args.output.glob(f"*/{CONTACT_SHEET.name}")):
        lesson = sheet.parent
        shutil.copyfile(sheet, args.pictures / f"{lesson.name}-slides.png")
        for name, pdf in PRINTED.items():
            pages = page_images(first_pages(lesson / pdf, args.pages), WIDTH)
            for number, page in enumerate(pages, 1):
                (args.pictures / f"{lesson.name}-{name}-{number}.png").write_bytes(png_bytes(page))
        print(f"{lesson.name}: slides and {args.pages} pages of {', '.join(PRINTED)}")


if __name__ == "__main__":
    main()
