"""The print renderer's cut-down CJK faces: same pages as the whole faces, and nothing
drawn by a stand-in face when text reaches the page by a way the cut did not read."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pdfplumber
import pytest

from builder.render.print.documents import STYLESHEET, render_html
from builder.render.print.pdf import html_to_pdf
from builder.source import load_lesson
from builder.theme import Theme
from tests.conftest import SEED
from tests.test_print import CREATED


def pages_as_png(pdf: bytes, folder: Path, name: str) -> list[bytes]:
    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", folder / f"{name}.pdf", folder / name], check=True
    )
    return [p.read_bytes() for p in sorted(folder.glob(f"{name}-*.png"))]


@pytest.mark.needs("pdftoppm")
def test_cut_faces_print_the_same_pages_as_the_whole_faces(tmp_path: Path) -> None:
    loaded = load_lesson(SEED / "lesson.yaml")
    theme = Theme()
    html = render_html(loaded, theme, "print/handout.html", CREATED)
    common = {
        "allowed": (loaded.folder, *theme.folders),
        "identifier": "handout",
        "origin": loaded.path,
    }
    cut = html_to_pdf(html, [theme.find(STYLESHEET)], **common)
    whole = html_to_pdf(html, [theme.find(STYLESHEET)], **common, cut_fonts=False)
    cut_pages = pages_as_png(cut, tmp_path, "cut")
    assert len(cut_pages) > 3
    assert cut_pages == pages_as_png(whole, tmp_path, "whole")
    assert len(cut) < 0.6 * len(whole)  # the embedded CJK faces are far smaller


def drawn_by(pdf: bytes, folder: Path) -> dict[str, set[str]]:
    (folder / "out.pdf").write_bytes(pdf)
    faces: dict[str, set[str]] = {}
    with pdfplumber.open(folder / "out.pdf") as document:
        for page in document.pages:
            for char in page.chars:
                faces.setdefault(char["text"], set()).add(char["fontname"].split("+")[-1])
    return faces


@pytest.mark.parametrize("imported", [True, False], ids=["imported", "in-the-stylesheet"])
@pytest.mark.parametrize(
    ("html", "css", "shown"),
    [
        # A character only a stylesheet puts on the page
        ('<p class="x">中文</p>', '.x::after { content: "龘" }', "龘"),
        # Counter symbols that appear in no text: 甲乙丙 from a named counter style
        (
            "<ol><li>一</li><li>二</li><li>三</li></ol>",
            "ol { list-style: cjk-heavenly-stem }",
            "丙",
        ),
    ],
)
def test_text_only_styles_show_is_still_drawn_by_the_chosen_face(
    tmp_path: Path, html: str, css: str, shown: str, imported: bool
) -> None:
    family = 'html { font-family: "Noto Sans CJK SC" }'
    sheet = tmp_path / "main.css"
    if imported:
        (tmp_path / "more.css").write_text(css, encoding="utf-8")
        sheet.write_text(f'@import "more.css"; {family}', encoding="utf-8")
    else:
        sheet.write_text(f"{family} {css}", encoding="utf-8")
    origin = tmp_path / "lesson.yaml"
    origin.write_text("")
    pdf = html_to_pdf(
        f'<html lang="zh-CN"><body>{html}</body></html>',
        [sheet],
        allowed=(tmp_path,),
        identifier="t",
        origin=origin,
    )
    assert drawn_by(pdf, tmp_path)[shown] == {"Noto-Sans-CJK-SC"}


def test_the_cut_keeps_what_chinese_text_is_set_with() -> None:
    """Spaces and punctuation are glyphs of the face too: a missing ideographic space
    would be set in some other face, at its width."""
    from builder.render.print.fonts import charset

    chars = charset("<p>\u3000\u3000第一段：“引文”……</p>")
    assert {"\u3000", "第", "：", "“", "”", "…"} <= chars
    assert {"A", "a", "1", "一", "（", "）"} <= chars  # counters, markers, case variants
