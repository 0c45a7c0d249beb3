"""Print typography: what a reader sees on the page, checked in the rendered PDFs."""

from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path

import pdfplumber

from builder.render.print.documents import DOCUMENTS, render_pdf
from builder.source import load_lesson
from builder.theme import Theme
from tests.conftest import ENGLISH, FIXTURES, SEED

CREATED = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)


@functools.cache
def rendered(lesson: Path, artifact: str, paper: str = "A4") -> bytes:
    """One print document of a lesson, rendered in this process (once per test worker)."""
    return render_pdf(load_lesson(lesson), Theme(), artifact, CREATED, paper=paper)


def opened(data: bytes) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(data))


def test_the_write_in_fields_fill_exactly_the_text_width() -> None:
    for lesson in (SEED, ENGLISH):
        for paper in ("A4", "A5", "Letter"):
            with opened(rendered(lesson, "questions.pdf", paper)) as pdf:
                page = pdf.pages[0]
                # The answer rules below span the text width: the fields must too.
                rules = [r for r in page.rects if r["height"] > 10]
                left, right = min(r["x0"] for r in rules), max(r["x1"] for r in rules)
                fields = sorted(page.lines, key=lambda line: line["x0"])[:3]
                assert len({round(line["top"]) for line in fields}) == 1
                assert round(fields[-1]["x1"], 1) == round(right, 1), (lesson.name, paper)
                label = min(c["x0"] for c in page.chars if abs(c["top"] - fields[0]["top"]) < 12)
                assert round(label, 1) == round(left, 1)
                assert all(line["x1"] - line["x0"] > 0.15 * (right - left) for line in fields)


MM = 72 / 25.4


def test_a_long_title_keeps_the_running_header_to_one_line_above_the_body() -> None:
    stress = FIXTURES / "stress"
    assert len(load_lesson(stress).lesson.title) > 60  # far longer than one header line
    for artifact in DOCUMENTS:
        with opened(rendered(stress, artifact)) as pdf:
            for page in pdf.pages[1:]:
                top_margin, right_margin = 22 * MM, page.width - 20 * MM
                header = [c for c in page.chars if c["top"] < top_margin]
                body = [c for c in page.chars if c["top"] >= top_margin]
                assert header, (artifact, page.page_number)
                assert max(c["top"] for c in header) - min(c["top"] for c in header) < 1
                assert max(c["bottom"] for c in header) < top_margin
                assert max(c["x1"] for c in header) <= right_margin + 0.5
                assert min(c["top"] for c in body) >= top_margin
