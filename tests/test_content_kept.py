"""Nothing the author wrote is lost on the way to the artifacts.

Each lesson is built as a user builds it, then read back: the deck's text across
continued slides, its speaker notes, the handout's and the participants' sheet's PDF
text. The expected texts are read from the lesson file with a plain YAML reader, not
from Lectern's model, and compared with whitespace, punctuation and symbols removed
(so line breaks, inline markup, typographic quotes and hyphens do not matter).

A text that occurs more than once in a lesson (the stress lesson repeats one paragraph
in many places) must occur in the artifact at least as many times as in the texts meant
for it, so a copy cannot stand in for the one that was lost. ``long-points`` holds only
unique text, and points so long that one sentence is split by lines across slides.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from tests.conftest import ENGLISH, FIXTURES, SEED, run_lectern

LESSONS = {
    "chongqing-governance": SEED,
    "open-source-licences": ENGLISH,
    "stress": FIXTURES / "stress",
    "long-points": FIXTURES / "long-points",
}


def norm(text: str) -> str:
    """text without whitespace, punctuation, symbols or invisible characters, case folded."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in text if unicodedata.category(c)[0] not in "PZSC")


def paragraphs(text: str | None) -> list[str]:
    """A block's paragraphs: blank lines separate them (the lesson format's own rule)."""
    return [p for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def sections(lesson: dict) -> Iterator[dict]:
    def walk(section: dict) -> Iterator[dict]:
        yield section
        for child in section.get("sections", []):
            yield from walk(child)

    for part in lesson["sections"]:
        yield from walk(part)


def expected(lesson: dict) -> dict[str, list[str]]:
    """What the author wrote, by where it must be found."""
    every = list(sections(lesson))
    opening_quote = (lesson.get("opening") or {}).get("quote")
    quotes = [opening_quote] if opening_quote else []
    quotes += [q for s in every for q in s.get("quotes", [])]
    prompts = [q["prompt"] for q in lesson.get("questions", [])]
    return {
        "deck titles": [lesson["title"], *(s["title"] for s in every)],
        "deck text": [
            *lesson.get("objectives", []),
            *(p for s in every for p in s.get("points", [])),
            *(q["text"] for q in quotes),
            *prompts,
        ],
        "speaker notes": [
            *(p for s in every for p in paragraphs(s.get("prose"))),
            *(s["notes"] for s in every if s.get("notes")),
        ],
        "handout": [p for s in every for p in paragraphs(s.get("prose"))],
        "participants' sheet": prompts,
    }


def deck_streams(deck: Path) -> dict[str, str]:
    """The deck's titles, its other text read across slides, and its notes.

    The running footer (the same text on most slides) and the slide number are left
    out, so a point continued on the next slide reads on without a break.
    """
    slides = list(Presentation(deck).slides)
    boxes = [
        [shape for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text]
        for slide in slides
    ]
    texts = [shape.text_frame.text for shapes in boxes for shape in shapes]
    running = {t for t in set(texts) if texts.count(t) > len(slides) // 2}
    titles, body = [], []
    for shapes in boxes:
        for shape in shapes:
            text = shape.text_frame.text
            title = shape.is_placeholder and shape.placeholder_format.type in (
                PP_PLACEHOLDER.TITLE,
                PP_PLACEHOLDER.CENTER_TITLE,
            )
            if title:
                titles.append(text)
            elif text not in running and not text.strip().isdigit():
                body.append(text)
    notes = [s.notes_slide.notes_text_frame.text for s in slides if s.has_notes_slide]
    return {
        "deck titles": norm("".join(titles)),
        "deck text": norm("".join(body)),
        "speaker notes": norm("".join(notes)),
    }


def pdf_lines(pdf: Path, *mode: str) -> list[list[str]]:
    """Each page's lines of text as poppler reads them."""
    pages = subprocess.run(
        ["pdftotext", *mode, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [[line for line in page.splitlines() if line.strip()] for page in pages.split("\f")]


def pdf_body(pdf: Path) -> str:
    """A PDF's text in the order it was set, without its running headers and page numbers.

    Furniture is a line that starts or ends more than one page as laid out (digits
    aside: "page 1 of 3"); the text is read in content order (``-raw``), where a label
    set beside a question's first line does not cut into it.
    """

    def masked(line: str) -> str:
        return re.sub(r"\d+", "#", norm(line))

    laid_out = [page for page in pdf_lines(pdf) if page]
    edges = [masked(page[0]) for page in laid_out] + [masked(page[-1]) for page in laid_out]
    furniture = {edge for edge in edges if edges.count(edge) > 1}
    kept = [line for page in pdf_lines(pdf, "-raw") for line in page]
    return norm("".join(line for line in kept if masked(line) not in furniture))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("kept")
    result = run_lectern("build", *LESSONS.values(), "--output", output)
    assert result.returncode == 0, result.stderr
    return output


def lost(wanted: list[str], found: str) -> list[str]:
    """The wanted texts found fewer times than they are wanted (each shortened for the
    message)."""
    everything = [norm(text) for text in wanted]
    missing = []
    for text in dict.fromkeys(everything):
        if text and found.count(text) < sum(e.count(text) for e in everything):
            missing.append(text[:40] + ("…" if len(text) > 40 else ""))
    return missing


@pytest.mark.needs("pdftotext")
@pytest.mark.parametrize("name", list(LESSONS))
def test_every_text_the_author_wrote_reaches_its_artifacts(built: Path, name: str) -> None:
    lesson = yaml.load((LESSONS[name] / "lesson.yaml").read_text("utf-8"), yaml.BaseLoader)
    folder = built / name
    found = {
        **deck_streams(folder / "slides.pptx"),
        "handout": pdf_body(folder / "handout.pdf"),
        "participants' sheet": pdf_body(folder / "questions.pdf"),
    }
    losses = {
        where: missing
        for where, texts in expected(lesson).items()
        if (missing := lost(texts, found[where]))
    }
    assert not losses, f"{name}: lost {losses}"


def test_the_long_points_lesson_splits_a_sentence_by_lines_across_slides(built: Path) -> None:
    """The lesson above exercises what it is for: a point whose single sentence does not
    fit one slide continues, mid-sentence, on the next."""
    lesson = yaml.load((LESSONS["long-points"] / "lesson.yaml").read_text("utf-8"), yaml.BaseLoader)
    point = norm(lesson["sections"][0]["points"][0])
    assert not re.search(r"[。！？.!?]", lesson["sections"][0]["points"][0])  # one sentence
    bodies = []
    for slide in Presentation(built / "long-points" / "slides.pptx").slides:
        body = slide.placeholders[1].text_frame.text if len(slide.placeholders) > 1 else ""
        bodies.append(norm(body))
    holding = [i for i, body in enumerate(bodies) if body and body in point]
    assert len(holding) >= 2 and holding == list(range(holding[0], holding[0] + len(holding)))
