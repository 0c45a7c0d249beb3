"""Writes the Word, PowerPoint and PDF-pasted scripts of this corpus (see SOURCES.md).

Run from the repository: .venv/bin/python tests/corpus/scripts/make_corpus.py
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import docx
from pptx import Presentation

HERE = Path(__file__).parent

TITLE = "把“小事”办成“实事”：新时代社区治理的三个着力点"
SALUTATION = "同志们："
LEAD = (
    "社区是城市治理的“最后一公里”。今天，我们结合本市实践，围绕社区治理谈三点体会。"
    "“民惟邦本，本固邦宁。”——《尚书·五子之歌》这句古语，讲的正是基层之于国家的分量。"
)
PARTS = [
    (
        "坚持党建引领，把方向",
        [
            ("建强社区党组织", "全市1200个社区全部建立党组织，配齐配强社区书记。"),
            ("推动党员下沉", "机关党员到居住地社区报到，认领服务项目。"),
        ],
    ),
    (
        "坚持居民主体，聚合力",
        [
            ("畅通议事渠道", "每月召开一次居民议事会，大事小情由居民商量着办。"),
            ("培育社区社会组织", "全市登记备案的社区社会组织达到3500家，覆盖养老、托幼等领域。"),
        ],
    ),
    (
        "坚持数字赋能，提效率",
        [
            ("一网统管", "把网格员发现的问题统一派单、限时办结、群众评价。"),
            ("数据减负", "同一数据只采一次，社区报表精简了四成。"),
        ],
    ),
]
CLOSING = "同志们，社区治理没有终点，让我们把每一件小事办好。"


def headed_docx() -> None:
    """Word heading styles: Title, Heading 1 for parts, Heading 2 for points."""
    document = docx.Document()
    document.add_heading(TITLE, level=0)
    document.add_paragraph(SALUTATION)
    document.add_paragraph(LEAD)
    for part, points in PARTS:
        document.add_heading(part, level=1)
        for title, text in points:
            document.add_heading(title, level=2)
            document.add_paragraph(text)
    document.add_paragraph(CLOSING)
    document.save(HERE / "headings.docx")


def numbered_docx() -> None:
    """Every paragraph in the Normal style; the structure is only in the typed numbers."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(SALUTATION)
    document.add_paragraph(LEAD)
    numerals = "一二三"
    for i, (part, points) in enumerate(PARTS):
        document.add_paragraph(f"{numerals[i]}、{part}")
        for j, (title, text) in enumerate(points):
            document.add_paragraph(f"（{numerals[j]}）{title}")
            document.add_paragraph(text)
    document.add_paragraph(CLOSING)
    document.save(HERE / "numbered.docx")


def deck() -> None:
    """A deck of our own: a title slide, then a slide per part with bullets and notes."""
    presentation = Presentation()
    first = presentation.slides.add_slide(presentation.slide_layouts[0])
    first.shapes.title.text = TITLE
    first.placeholders[1].text = "社区工作者培训"
    for part, points in PARTS:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = part
        body = slide.placeholders[1].text_frame
        body.text = points[0][0]
        for title, _ in points[1:]:
            body.add_paragraph().text = title
        slide.notes_slide.notes_text_frame.text = "\n".join(text for _, text in points)
    presentation.save(HERE / "deck.pptx")


def pdf_pasted() -> None:
    """The seed's opening paragraphs as a PDF viewer copies them: a line break every 26
    characters where the page's line ended, and no blank line between paragraphs."""
    seed = (HERE / "seed-lesson.txt").read_text(encoding="utf-8").split("\n")
    paragraphs = [line.strip() for line in seed if line.strip()][2:4]
    lines = [line for p in paragraphs for line in textwrap.wrap(p, 26)]
    (HERE / "pdf-pasted.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    headed_docx()
    numbered_docx()
    deck()
    pdf_pasted()
