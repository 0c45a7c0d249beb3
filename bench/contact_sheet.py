"""Contact sheets: every slide of built decks, and the first pages of handout and guide.

    .venv/bin/python bench/contact_sheet.py OUTPUT_FOLDER SHEETS_FOLDER [--pages 2]

OUTPUT_FOLDER is a build's output (one folder per lesson). Each deck is rendered by
LibreOffice (all decks in one soffice call, to spare a shared machine), and each sheet is
a PNG to look at: ``<lesson>-slides.png``, ``<lesson>-handout.png``, ``<lesson>-guide.png``.
Nothing is asserted: it is for looking.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

COLUMNS = 5
GAP = 8


def _pages(pdf: Path, folder: Path, resolution: int, last: int | None = None) -> list[Path]:
    prefix = folder / pdf.stem
    args = ["pdftoppm", "-png", "-r", str(resolution)]
    if last:
        args += ["-l", str(last)]
    subprocess.run([*args, str(pdf), str(prefix)], check=True)
    return sorted(folder.glob(f"{pdf.stem}-*.png"))


def _sheet(images: list[Path], target: Path, columns: int) -> None:
    tiles = [Image.open(path).convert("RGB") for path in images]
    width = max(t.width for t in tiles)
    height = max(t.height for t in tiles)
    rows = (len(tiles) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * (width + GAP) + GAP, rows * (height + GAP) + GAP), "#888")
    draw = ImageDraw.Draw(sheet)
    for i, tile in enumerate(tiles):
        left, top = GAP + (i % columns) * (width + GAP), GAP + (i // columns) * (height + GAP)
        sheet.paste(tile, (left, top))
        draw.text((left + 4, top + 2), str(i + 1), fill="#00a")
    sheet.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("sheets", type=Path)
    parser.add_argument("--pages", type=int, default=2, help="print pages per document")
    args = parser.parse_args()
    args.sheets.mkdir(parents=True, exist_ok=True)
    lessons = sorted(p.parent for p in args.output.glob("*/slides.pptx"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        decks = []
        for lesson in lessons:  # soffice names each PDF after its file: copy under the lesson
            deck = work / f"{lesson.name}.pptx"
            deck.write_bytes((lesson / "slides.pptx").read_bytes())
            decks.append(deck)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{work}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                *map(str, decks),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        for lesson in lessons:
            pngs = work / lesson.name
            pngs.mkdir()
            slides = _pages(work / f"{lesson.name}.pdf", pngs, 40)
            _sheet(slides, args.sheets / f"{lesson.name}-slides.png", COLUMNS)
            for name, pdf in (("handout", "handout.pdf"), ("guide", "questions-facilitator.pdf")):
                pages = _pages(lesson / pdf, pngs, 60, args.pages)
                _sheet(pages, args.sheets / f"{lesson.name}-{name}.png", args.pages)
            print(f"{lesson.name}: {len(slides)} slides")


if __name__ == "__main__":
    main()
