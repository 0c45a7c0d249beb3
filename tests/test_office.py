"""Artifacts drawn from LibreOffice's rendering of the deck (``--with``): whole, checked
against the deck, reproducible, and part of incremental builds and releases."""

from __future__ import annotations

import io
import math
import os
import signal
import struct
import zipfile

import pytest
from pptx import Presentation
from pypdf import PdfReader

from tests.conftest import ROOT, SEED, run_lectern
from tests.slide_check import escapes

NAME = SEED.name
FROM_DECK = ("slides.pdf", "contact-sheet.png", "handout-slides.pdf")
WITH = [arg for name in FROM_DECK for arg in ("--with", name)]


def _chunks(png: bytes) -> list[bytes]:
    """The chunk types of a PNG file, in order."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    found, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        found.append(png[at + 4 : at + 8])
        at += 12 + length
    return found


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The seed lesson built twice with every deck artifact, into two fresh folders."""
    outputs = []
    for _ in range(2):
        output = tmp_path_factory.mktemp("output")
        result = run_lectern("build", SEED, "-o", output, *WITH)
        assert result.returncode == 0, result.stderr
        outputs.append(output / NAME)
    return outputs


@pytest.mark.needs("soffice")
def test_two_builds_give_byte_identical_deck_artifacts(two_builds):
    first, second = two_builds
    for name in (*FROM_DECK, "manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.needs("soffice")
def test_slides_pdf_has_a_page_per_slide_with_no_text_outside_its_box(two_builds):
    folder = two_builds[0]
    slides = len(Presentation(folder / "slides.pptx").slides)
    assert len(PdfReader(folder / "slides.pdf").pages) == slides
    found, checked = escapes(folder / "slides.pptx", folder / "slides.pdf")
    assert checked > 1000
    assert found == []


@pytest.mark.needs("soffice")
def test_contact_sheet_is_a_png_of_pixels_only(two_builds):
    from PIL import Image

    folder = two_builds[0]
    png = (folder / "contact-sheet.png").read_bytes()
    assert set(_chunks(png)) <= {b"IHDR", b"IDAT", b"IEND"}  # no tIME, tEXt, pHYs
    slides = len(Presentation(folder / "slides.pptx").slides)
    with Image.open(folder / "contact-sheet.png") as sheet:
        # Every slide is drawn at a size a reviewer can read (a 16:9 slide 320 px wide).
        assert sheet.width * sheet.height >= slides * 320 * 180


@pytest.mark.needs("soffice")
def test_slides_handout_has_three_slides_a_page_on_the_handouts_paper(two_builds):
    folder = two_builds[0]
    slides = len(Presentation(folder / "slides.pptx").slides)
    pages = PdfReader(folder / "handout-slides.pdf").pages
    assert len(pages) == math.ceil(slides / 3)
    paper = PdfReader(folder / "handout.pdf").pages[0].mediabox
    for page in pages:
        assert (page.mediabox.width, page.mediabox.height) == (paper.width, paper.height)
    # WeasyPrint gives every page the document's resources: count each picture once.
    assert len({image.name for page in pages for image in page.images}) == slides
    assert _fonts(folder / "handout-slides.pdf") <= _fonts(folder / "handout.pdf")


def _fonts(pdf) -> set[str]:
    """The families a PDF's pages use, without their subset tags."""
    return {
        font["/BaseFont"].split("+")[-1]
        for page in PdfReader(pdf).pages
        for font in page["/Resources"]["/Font"].values()
    }


@pytest.mark.needs("soffice")
def test_deck_artifacts_are_kept_when_nothing_changed_and_released(two_builds, tmp_path):
    folder = two_builds[0]
    manifest = (folder / "manifest.json").read_text(encoding="utf-8")
    assert all(f'"name": "{name}"' in manifest for name in FROM_DECK)
    again = run_lectern("build", SEED, "-o", folder.parent, "-v", *WITH)
    assert again.returncode == 0, again.stderr
    assert "0 built" in again.stderr
    released = run_lectern("release", SEED, "-o", folder.parent, "-d", tmp_path, *WITH)
    assert released.returncode == 0, released.stderr
    (archive,) = tmp_path.glob("*.zip")
    with zipfile.ZipFile(archive) as zipped:
        for name in FROM_DECK:
            assert zipped.read(f"{NAME}/{name}") == (folder / name).read_bytes()


def _no_office(tmp_path):
    """An environment whose PATH has no LibreOffice (nor anything else)."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    return {"PATH": str(empty), "PYTHONPATH": str(ROOT)}


def test_with_in_lectern_yaml_asks_for_the_artifact_as_the_flag_does(tmp_path, lesson_copy):
    folder = lesson_copy(SEED)
    project = folder.parent.parent
    (project / "lectern.yaml").write_text("with: [contact-sheet.png]\n", encoding="utf-8")
    result = run_lectern("build", "-o", "out", cwd=project, env=_no_office(tmp_path))
    assert result.returncode == 2
    assert "contact-sheet.png" in result.stderr and "libreoffice-impress-nogui" in result.stderr
    assert not (project / "out").exists()


def test_an_unknown_name_in_with_is_a_located_error(tmp_path, lesson_copy):
    project = lesson_copy(SEED).parent.parent
    (project / "lectern.yaml").write_text("with:\n  - slides.pptx\n", encoding="utf-8")
    result = run_lectern("build", "-o", "out", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("lectern.yaml:2:5: error: with[0]: input should be")
    assert not (project / "out").exists()


@pytest.mark.needs("soffice")
def test_a_warm_libreoffice_that_dies_is_started_again(built):
    """lectern serve keeps one LibreOffice for the session; killed (out of memory, by a
    user), the next save starts a new one instead of failing."""
    from builder.render.office.libreoffice import kept_warm

    deck = (built / NAME / "slides.pptx").read_bytes()
    with kept_warm() as office:
        office.start()
        first = office.process_group
        assert first is not None
        os.killpg(first, signal.SIGKILL)
        pdf = office.to_pdf(deck, SEED / "lesson.yaml")
        assert office.process_group not in (None, first)
    slides = len(Presentation(built / NAME / "slides.pptx").slides)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == slides
