"""Decks and print read as a Chinese reader reads: lines end between phrases, no line holds
one character, bodies use the room, and no stray space sits inside a bracket.

Both Chinese example lessons are built once and their decks rendered by LibreOffice in one
call; every check reads back what a reader would see (the .pptx as drawn, the PDFs, the
rendered slides).
"""

from __future__ import annotations

import itertools
import re
import shutil
import statistics
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from builder.model import Lesson
from builder.render.slides.fit import fit_paragraphs
from builder.render.slides.geometry import BUILT_IN_DECK
from builder.render.slides.plan import ROOMY, SlideFonts
from builder.render.slides.render import plan_lesson_deck
from builder.source import load_lesson
from builder.text.phrases import is_letter, raw_breaks
from tests.conftest import ROOT, SEED, run_lectern
from tests.slide_check import escapes

SECOND = ROOT / "content" / "fengqiao-grid"
LESSONS = (SEED, SECOND)
PDFS = ("handout.pdf", "questions.pdf", "questions-facilitator.pdf")

needs_libreoffice = pytest.mark.needs("soffice")


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """Both Chinese lessons built, and their decks rendered by LibreOffice in one call."""
    out = tmp_path_factory.mktemp("reading")
    result = run_lectern("build", *LESSONS, "--output", out)
    assert result.returncode == 0, result.stderr
    if shutil.which("soffice"):
        decks = []
        for lesson in LESSONS:  # soffice names a PDF after its deck: one name per lesson
            deck = out / f"{lesson.name}-deck.pptx"
            shutil.copy(out / lesson.name / "slides.pptx", deck)
            decks.append(str(deck))
        subprocess.run(
            [
                *("soffice", f"-env:UserInstallation=file://{out}/profile", "--headless"),
                *("--convert-to", "pdf", "--outdir", str(out), *decks),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return out


def _shown(text: str) -> str:
    """Text as a reader sees it: no format characters (word joiners), no line breaks."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf" and c not in "\v\n")


# -- lines ------------------------------------------------------------------------------


def pdf_lines(path: Path) -> list[tuple[int, str, float]]:
    """Every line of a PDF as drawn: (page, text, size), a line being the characters on
    one baseline up to a gap wider than an em (a table's next column, a floated label)."""
    import pdfplumber

    lines = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            rows: dict[int, list[dict]] = {}
            for char in page.chars:
                if char["text"].strip() and unicodedata.category(char["text"][0]) != "Cf":
                    rows.setdefault(round(char["matrix"][5]), []).append(char)
            for row in rows.values():
                row.sort(key=lambda c: c["x0"])
                text, last = "", None
                for char in row:
                    if last is not None and char["x0"] - last["x1"] > max(last["size"], 6):
                        lines.append((number, text, last["size"]))
                        text = ""
                    text, last = text + char["text"], char
                lines.append((number, text, last["size"]))
    return lines


def _whole_texts(lesson: Lesson) -> set[str]:
    """The lesson's texts of one letter (a figure's unit 个, its label 区): a line of one
    letter that is the whole text is not a runt."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and sum(map(is_letter, value)) == 1:
            found.add(_shown(value))

    walk(lesson.model_dump())
    return found


_LABEL_ALONE = re.compile(r"[（(][^（）()]*[）)][。，；]?")
"""A bracketed label on a line of its own, the end of a text: "（3分钟）"."""


def _runts(lines: list[tuple[int, str, float]], whole: set[str]) -> list[tuple[int, str]]:
    """Lines of one Chinese letter (with or without marks), or of a bracketed label."""
    return [
        (page, text)
        for page, text, _ in lines
        if (
            sum(map(is_letter, text)) == 1
            and not any(c.isascii() and c.isalnum() for c in text)
            and not any(w and w in text for w in whole)
        )
        or _LABEL_ALONE.fullmatch(text)
    ]


@needs_libreoffice
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_no_line_holds_a_single_chinese_character(output: Path, lesson: Path) -> None:
    """ "…卡在了哪一 / 步？", "新路 / 子", "（3分钟）" alone: in none of the four artifacts."""
    whole = _whole_texts(load_lesson(lesson).lesson)
    for name in PDFS:
        lines = pdf_lines(output / lesson.name / name)
        assert len(lines) > 20
        assert _runts(lines, whole) == [], name
    deck = pdf_lines(output / f"{lesson.name}-deck.pdf")
    assert len(deck) > 100
    assert _runts(deck, whole) == [], "slides.pptx as LibreOffice renders it"


@needs_libreoffice
def test_no_space_is_drawn_inside_a_bracket_or_a_quotation(output: Path) -> None:
    """LibreOffice spaces Chinese from Latin text; beside a full-width mark that space
    reads as typed: "（ 5 分钟）", "（ 2025 年版）》", "“ 1361” 整体"."""
    import pdfplumber

    gaps = []
    for lesson in LESSONS:
        with pdfplumber.open(output / f"{lesson.name}-deck.pdf") as pdf:
            for page in pdf.pages:
                chars = [c for c in page.chars if c["text"].strip()]
                for a, b in itertools.pairwise(chars):
                    inside = (a["text"] in "（“《" and b["text"].isascii()) or (
                        a["text"].isascii() and b["text"] in "）”》"
                    )
                    if inside and a["text"].strip() and abs(a["top"] - b["top"]) < 1:
                        gaps.append((a["text"] + b["text"], b["x0"] - a["x1"], a["size"]))
    assert len(gaps) >= 8  # the minutes of every question, 2025年版, “1361”
    assert [g for g in gaps if g[1] > 0.05 * g[2]] == []


# -- phrases ----------------------------------------------------------------------------


def _bad_breaks(lines: list[str]) -> list[str]:
    """Breaks between lines that fall inside a phrase when the line before them had a
    phrase boundary (or a space, or a mark) to break at instead."""
    text = "".join(lines)
    allowed = raw_breaks(text) | {
        i for i in range(1, len(text)) if not (is_letter(text[i - 1]) and is_letter(text[i]))
    }
    bad, start = [], 0
    for line in lines[:-1]:
        end = start + len(line)
        if end not in allowed and any(start < i < end for i in allowed):
            bad.append(f"{line} / {text[end : end + 4]}")
        start = end
    return bad


def _deck_texts(deck: Path) -> list[list[str]]:
    """Each title and body paragraph of a deck as the lines drawn (a:br breaks)."""
    texts = []
    for slide in Presentation(deck).slides:
        for shape in slide.placeholders:
            for paragraph in shape.text_frame.paragraphs:
                lines = [_shown(line) for line in paragraph.text.split("\v")]
                if len(lines) > 1:
                    texts.append(lines)
    return texts


def _print_headings(lesson: Path, output: Path) -> list[list[str]]:
    """The titles and headings of a lesson's PDFs as printed, line by line: runs of lines
    in a heading's size that read, joined, as the heading."""
    from builder.text.numbering import heading_number

    loaded = load_lesson(lesson).lesson
    wanted = {_shown(loaded.title)}

    def walk(sections, trail) -> None:
        for i, section in enumerate(sections, 1):
            wanted.add(heading_number((*trail, i), loaded.is_chinese) + _shown(section.title))
            walk(section.sections, (*trail, i))

    walk(loaded.sections, ())
    found = []
    for name in PDFS:
        lines = [text for _, text, size in pdf_lines(output / lesson.name / name) if size > 11]
        for i in range(len(lines)):
            for j in range(i + 2, min(i + 4, len(lines)) + 1):
                if "".join(lines[i:j]) in wanted:
                    found.append(lines[i:j])
    return found


def test_titles_headings_and_agenda_items_break_between_phrases(output: Path) -> None:
    """Every line break in a slide's title, agenda item or body, and in a printed title or
    heading, falls on a phrase boundary of BudouX whenever the line had one to offer."""
    deck = [t for lesson in LESSONS for t in _deck_texts(output / lesson.name / "slides.pptx")]
    headings = [t for lesson in LESSONS for t in _print_headings(lesson, output)]
    assert len(deck) >= 20 and len(headings) >= 2
    assert [b for lines in deck + headings for b in _bad_breaks(lines)] == []


# -- the room ---------------------------------------------------------------------------


def _body_fill(deck: Path, rendered: Path) -> list[float]:
    """For each points slide: the height its body text takes in the render, as a share of
    the body box of the slide's layout."""
    import pdfplumber

    prs = Presentation(deck)
    fills = []
    with pdfplumber.open(rendered) as pdf:
        for slide, page in zip(prs.slides, pdf.pages, strict=True):
            if slide._element.cSld.get("name") != "points":
                continue
            layout = next(p for p in slide.slide_layout.placeholders if p.placeholder_format.idx)
            top, height = Emu(layout.top).pt, Emu(layout.height).pt
            title = slide.shapes.title
            below = Emu(title.top).pt + Emu(title.height).pt
            chars = [c for c in page.chars if c["text"].strip() and top <= c["top"] < top + height]
            chars = [c for c in chars if c["top"] > below and c["bottom"] < top + height]
            if chars:
                spread = max(c["bottom"] for c in chars) - min(c["top"] for c in chars)
                fills.append(spread / height)
    return fills


@needs_libreoffice
def test_the_seed_points_slides_use_the_room(output: Path) -> None:
    """The median points slide's text fills at least 35% of its body box (30% when every
    body was set at 24 pt at the top of the box)."""
    fills = _body_fill(output / SEED.name / "slides.pptx", output / f"{SEED.name}-deck.pdf")
    assert len(fills) >= 10
    assert statistics.median(fills) >= 0.35, sorted(fills)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.name)
def test_no_body_is_set_below_the_size_its_content_allows(lesson: Path) -> None:
    """A body that fits one slide takes the largest size the theme allows it: two points
    larger, it would need another slide."""
    g = BUILT_IN_DECK
    plan = plan_lesson_deck(load_lesson(lesson), g)
    roomy = [s for s in plan.slides if s.kind in ROOMY and not s.title.endswith("（续）")]
    assert sum(s.kind == "points" for s in roomy) >= 10
    face = SlideFonts().measured
    for slide in roomy:
        size = slide.body.size
        assert size <= plan.geometry.body_max_size
        if size >= plan.geometry.body_max_size:
            continue
        texts = [p.text.replace("\v", "") for p in slide.body.paragraphs]
        indent = slide.body.paragraphs[0].indent / size if slide.body.paragraphs else 0
        larger = fit_paragraphs(
            texts,
            slide.room,
            size=size + 2,
            min_size=size + 2,
            spacing=plan.geometry.line_spacing,
            gap=plan.geometry.paragraph_gap,
            face=face,
            indent_em=indent,
        )
        assert len(larger) > 1, (slide.title, size)


@needs_libreoffice
def test_the_second_lesson_deck_keeps_every_character_inside_its_box(output: Path) -> None:
    deck = output / SECOND.name / "slides.pptx"
    found, checked = escapes(deck, output / f"{SECOND.name}-deck.pdf")
    assert checked > 500
    assert found == []
