"""What a print shop checks: paper and binding, booklets, marks, PDF standards, fonts.

The PDFs are read back with pdfplumber (text positions) and pikepdf (objects), neither
of which wrote them; a merged file is made with qpdf's own command line.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.render.print.documents import render_pdf
from builder.render.print.impose import saddle_stitched, sheet_sides
from builder.render.print.page import PrintSetup
from builder.source import load_lesson
from builder.theme import Theme
from tests.conftest import FIXTURES, SEED, run_lectern

CREATED = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
MM = 72 / 25.4
MINIMAL = FIXTURES / "minimal"


@functools.cache
def rendered(lesson: Path, artifact: str, setup: PrintSetup | None = None) -> bytes:
    return render_pdf(load_lesson(lesson), Theme(), artifact, CREATED, setup or PrintSetup())


def opened(data: bytes) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(data))


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_block(page) -> tuple[float, float]:
    """The text block's left and right edges, as the running header's rule draws them
    (print.css: the rule is the text width), on a page that has the header."""
    # WeasyPrint draws a border as a filled rectangle less its inside: the header's margin
    # box starts at the page's top edge and has the rule at its bottom.
    header = [r for r in page.rects if r["top"] < 1 and r["bottom"] < 40 * MM]
    assert header, "no running header on this page"
    return min(r["x0"] for r in header), max(r["x1"] for r in header)


# Mirrored margins ---------------------------------------------------------------------


def body_edges(page) -> tuple[float, float]:
    """The left and right edges of the page's body text (the header and footer left out)."""
    body = [c for c in page.chars if 30 * MM < c["top"] < page.height - 30 * MM]
    return min(c["x0"] for c in body), max(c["x1"] for c in body)


def test_duplex_margins_are_mirrored_on_odd_and_even_pages() -> None:
    with opened(rendered(SEED, "handout.pdf")) as pdf:
        width = pdf.pages[0].width
        odd = [body_edges(p) for p in pdf.pages[:-1:2]]  # pages 1, 3, 5 (the notes page out)
        even = [body_edges(p) for p in pdf.pages[1:-1:2]]
    inner_odd = {round(left) for left, _ in odd}
    outer_odd = {round(width - right) for _, right in odd}
    inner_even = {round(width - right) for _, right in even}
    outer_even = {round(left) for left, _ in even}
    assert len(inner_odd) == len(inner_even) == len(outer_odd) == len(outer_even) == 1
    assert inner_odd == inner_even and outer_odd == outer_even  # mirrored
    assert inner_odd.pop() > outer_odd.pop() + 3 * MM  # the binding side is the wider


def test_single_sided_binding_keeps_the_binding_on_the_left() -> None:
    with opened(rendered(SEED, "handout.pdf", PrintSetup(binding="none"))) as pdf:
        edges = [body_edges(p) for p in pdf.pages[:-1]]
        width = pdf.pages[0].width
    assert len({round(left) for left, _ in edges}) == 1
    assert len({round(width - right) for _, right in edges}) == 1
    assert edges[0][0] > width - edges[0][1] + 3 * MM


# Paper sizes ----------------------------------------------------------------------------

SIZES = {"B5": (176, 250), "16K": (185, 260), "A3": (297, 420)}
"""ISO 216 B5 and A3, and 16开 as Chinese printers cut it."""


@pytest.mark.parametrize("paper", SIZES)
def test_paper_sizes_are_exact_and_every_glyph_is_inside_the_text_block(paper: str) -> None:
    with opened(rendered(SEED, "handout.pdf", PrintSetup(paper))) as pdf:
        for page in pdf.pages:
            assert abs(page.width / MM - SIZES[paper][0]) < 0.5
            assert abs(page.height / MM - SIZES[paper][1]) < 0.5
        blocks = [text_block(page) for page in pdf.pages[1:3]]  # one right-, one left-hand
        for number, page in enumerate(pdf.pages):
            left, right = blocks[(number + 1) % 2] if number else blocks[1]
            assert page.chars
            for char in page.chars:
                assert left - 0.5 <= char["x0"] and char["x1"] <= right + 0.5, (paper, number)
                # The header and page numbers are in the margins, clear of the trim's
                # 5 mm safety zone.
                assert char["top"] > 5 * MM and char["bottom"] < page.height - 5 * MM


def test_the_paper_flag_and_the_project_file_take_the_new_sizes(tmp_path: Path) -> None:
    result = run_lectern("build", MINIMAL, "-o", tmp_path, "--paper", "16K", "--binding", "none")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "minimal" / "questions.pdf") as pdf:
        assert round(pdf.pages[0].width / MM) == 185
    (tmp_path / "lectern.yaml").write_text("paper: B6\n", encoding="utf-8")
    refused = run_lectern("build", MINIMAL, "-o", tmp_path / "out", cwd=tmp_path)
    assert refused.returncode == 2
    assert "lectern.yaml:1:8: error: paper:" in refused.stderr


# Booklets ------------------------------------------------------------------------------


@given(st.integers(1, 30))
def test_each_page_of_a_booklet_is_on_one_sheet_side_in_folding_order(sheets: int) -> None:
    pages = 4 * sheets
    sides = sheet_sides(pages)
    assert len(sides) == 2 * sheets
    assert sorted(p for side in sides for p in side) == list(range(pages))
    for side in sides:  # facing halves of a folded sheet: page p beside page n - 1 - p
        assert sum(side) == pages - 1
    fronts, backs = sides[::2], sides[1::2]
    for front, back in zip(fronts, backs, strict=True):
        assert back == (front[1] + 1, front[0] - 1)  # a page's reverse is the next page


def test_the_booklet_is_imposed_for_saddle_stitching() -> None:
    handout = rendered(SEED, "handout.pdf")
    booklet = saddle_stitched(handout)
    assert booklet == saddle_stitched(handout)  # the same bytes every time
    with opened(handout) as pages, opened(booklet) as sheets:
        count = len(pages.pages)
        assert count % 4 and len(sheets.pages) == -(-count // 4) * 2  # padded to fours
        width, height = pages.pages[0].width, pages.pages[0].height
        front = sheets.pages[0]
        for sheet in sheets.pages:
            assert abs(sheet.width - 2 * width) < 0.5 and abs(sheet.height - height) < 0.5
        left = flat(front.crop((0, 0, width, height)).extract_text())
        right = flat(front.crop((width, 0, 2 * width, height)).extract_text())
        assert left == flat(pages.pages[-1].extract_text())  # the back cover: the last page
        assert right == flat(pages.pages[0].extract_text())  # the front cover: page 1
        inside = flat(sheets.pages[1].crop((0, 0, width, height)).extract_text())
        assert inside == flat(pages.pages[1].extract_text())


def test_the_booklet_flag_writes_the_booklet_beside_the_handout(tmp_path: Path) -> None:
    result = run_lectern("build", MINIMAL, "-o", tmp_path, "--booklet", "--paper", "A5")
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "minimal" / "handout-booklet.pdf") as pdf:
        assert len(pdf.pages) % 2 == 0
        assert round(pdf.pages[0].width / MM) == 2 * 148 and round(pdf.pages[0].height / MM) == 210
    assert "handout-booklet.pdf" in (tmp_path / "minimal" / "manifest.json").read_text()
    again = run_lectern("build", MINIMAL, "-o", tmp_path, "--booklet", "--paper", "A5")
    assert "0 built, 5 unchanged" in again.stderr


# Marks and bleed -----------------------------------------------------------------------


def boxes(page: pikepdf.Page) -> dict[str, list[float]]:
    """The page's media, bleed and trim boxes; an absent one is what ISO 32000 says it
    defaults to (the bleed box to the crop box, that to the media box; trim to bleed)."""
    found = {"MediaBox": [float(v) for v in page.obj["/MediaBox"]]}
    for name, default in (
        ("CropBox", "MediaBox"),
        ("BleedBox", "CropBox"),
        ("TrimBox", "BleedBox"),
    ):
        box = page.obj.get(f"/{name}")
        found[name] = [float(v) for v in box] if box is not None else found[default]
    return found


def inside(inner: list[float], outer: list[float]) -> bool:
    return all(inner[i] >= outer[i] - 0.01 for i in (0, 1)) and all(
        inner[i] <= outer[i] + 0.01 for i in (2, 3)
    )


def test_marks_set_a_three_millimetre_bleed_around_the_trim(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    (theme / "print").mkdir(parents=True)
    css = (Path("templates/print/print.css")).read_text(encoding="utf-8")
    (theme / "print" / "print.css").write_text(css + "@page { background: #2060c0 }\n")
    data = render_pdf(
        load_lesson(MINIMAL),
        Theme.with_user_folder(theme),
        "questions.pdf",
        CREATED,
        PrintSetup(marks=True),
    )
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = boxes(pdf.pages[0])
    trim, bleed, media = found["TrimBox"], found["BleedBox"], found["MediaBox"]
    assert abs((trim[2] - trim[0]) / MM - 210) < 0.5 and abs((trim[3] - trim[1]) / MM - 297) < 0.5
    assert all(abs(abs(b - t) / MM - 3) < 0.05 for b, t in zip(bleed, trim, strict=True))
    assert inside(trim, bleed) and inside(bleed, media) and media != bleed
    # Seen as a printer would: the background runs into the bleed, the marks outside it.
    path = tmp_path / "page.pdf"
    path.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "144", "-f", "1", "-l", "1", path, tmp_path / "p"], check=True
    )
    from PIL import Image

    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    scale = image.width / (media[2] - media[0])

    def grey(x_pt: float, y_pt: float) -> int:  # from the media's top left, in points
        return image.getpixel((round(x_pt * scale), round(y_pt * scale)))

    out = trim[0] - media[0]  # the media's margin around the trim
    blue = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    x, y = round((out - 1.5 * MM) * scale), round((out + 20 * MM) * scale)
    assert blue.getpixel((x, y))[2] > 150 > blue.getpixel((x, y))[0]  # blue 1.5 mm past the trim
    assert grey(1, 1) > 250  # outside the bleed: blank paper
    # The crop mark of the trim's left edge: a dark line above the bleed, at x = the trim.
    mark = [grey(out + dx / scale, y) for dx in (-1, 0, 1) for y in range(1, round(out - 3 * MM))]
    assert min(mark) < 120


# PDF standards -------------------------------------------------------------------------


def xmp(pdf: pikepdf.Pdf) -> str:
    return pdf.Root.Metadata.read_bytes().decode("utf-8")


def fonts_embedded(pdf: pikepdf.Pdf) -> bool:
    descriptors = [
        obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and "/FontName" in obj
    ]
    assert descriptors
    return all(any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in descriptors)


def fills(pdf: pikepdf.Pdf) -> tuple[set[str], set[tuple]]:
    """The colour operators of the pages' content, and the fill colour each text showing
    operator draws in (colour space, components)."""
    operators, text = set(), set()
    for page in pdf.pages:
        space, colour = "/DeviceGray", (0.0,)
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name in ("rg", "RG", "k", "K", "g", "G", "cs", "CS", "sc", "scn", "SC", "SCN"):
                operators.add(name)
            if name == "rg":
                space, colour = "/DeviceRGB", tuple(float(v) for v in operands)
            elif name == "cs":
                space = str(operands[0])
            elif name in ("sc", "scn"):
                colour = tuple(float(v) for v in operands)
            elif name in ("Tj", "TJ"):
                text.add((space, colour))
    return operators, text


def check_page_boxes(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        found = boxes(page)
        assert inside(found["TrimBox"], found["BleedBox"])
        assert inside(found["BleedBox"], found["MediaBox"])


def variant(name: str, artifact: str = "handout.pdf", **setup) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(rendered(SEED, artifact, PrintSetup(variant=name, **setup))))


def test_pdf_x4_has_a_cmyk_output_intent_and_black_text_in_black_ink_only() -> None:
    setup = PrintSetup(variant="pdf/x-4", marks=True)
    pdf = pikepdf.open(io.BytesIO(rendered(SEED, "handout.pdf", setup)))
    assert pdf.pdf_version == "1.6"
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFX" and intent.DestOutputProfile.N == 4
    assert str(intent.OutputConditionIdentifier)
    meta = xmp(pdf)
    assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in meta
    for field in ("DocumentID", "InstanceID", "VersionID", "RenditionClass"):
        assert re.search(rf"<xmpMM:{field}>[^<]+</xmpMM:{field}>", meta), field
    assert str(pdf.docinfo["/Trapped"]) == "/False" and "/Title" in pdf.docinfo
    check_page_boxes(pdf)
    assert fonts_embedded(pdf)
    operators, text = fills(pdf)
    assert not operators & {"rg", "RG"}  # no DeviceRGB in the pages' own drawing
    body = {colour for space, colour in text if space == "/DeviceCMYK"}
    assert text and all(space == "/DeviceCMYK" for space, _ in text)
    assert (0.0, 0.0, 0.0, 1.0) in body  # body text: black ink alone
    # What is still RGB (the crop marks' drawing, pictures) is said to be sRGB.
    spaces = pdf.pages[0].Resources.ColorSpace
    assert spaces.DefaultRGB[0] == "/ICCBased"
    booklet = pikepdf.open(io.BytesIO(saddle_stitched(rendered(SEED, "handout.pdf", setup))))
    assert booklet.pdf_version == "1.6" and booklet.Root.OutputIntents[0].S == "/GTS_PDFX"
    check_page_boxes(booklet)
    ids = [
        re.search(rf"<xmpMM:{f}>([^<]+)<", xmp(booklet))[1] for f in ("DocumentID", "InstanceID")
    ]
    assert ids[0] == re.search(r"<xmpMM:DocumentID>([^<]+)<", meta)[1] != ids[1]
    grey = variant("pdf/x-4", grayscale=True)
    assert all(c[:3] == (0.0, 0.0, 0.0) for _, c in fills(grey)[1])  # K only, all of it


def test_pdf_a2b_has_an_srgb_output_intent_and_its_identification() -> None:
    pdf = variant("pdf/a-2b")
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
    meta = xmp(pdf)
    assert 'pdfaid:part="2"' in meta and 'pdfaid:conformance="B"' in meta
    assert re.search(r"<xmpMM:DocumentID>uuid:[0-9a-f-]{36}</xmpMM:DocumentID>", meta)
    check_page_boxes(pdf)
    assert fonts_embedded(pdf)
    operators, text = fills(pdf)
    assert not operators & {"k", "K"}  # DeviceCMYK is not the output intent's
    assert ("/DeviceRGB", (0.0, 0.0, 0.0)) in text  # body text pure black, not 1D1D1F


def test_grayscale_sets_every_colour_as_a_grey() -> None:
    data = rendered(SEED, "handout.pdf", PrintSetup(grayscale=True))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        greys = set()
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("rg", "RG"):
                    greys.add(len({round(float(v), 3) for v in operands}))
    assert greys == {1}  # red = green = blue, every time


def marked_chars(data: bytes):
    with opened(data) as plumber:
        for number, page in enumerate(plumber.pages):
            for char in page.chars:
                yield number, page.height, char


def test_pdf_ua1_tags_the_running_header_and_page_numbers_as_artifacts() -> None:
    data = rendered(SEED, "questions-facilitator.pdf", PrintSetup(variant="pdf/ua-1"))
    pdf = pikepdf.open(io.BytesIO(data))
    assert 'pdfuaid:part="1"' in xmp(pdf) and "<dc:title>" in xmp(pdf)
    assert pdf.Root.MarkInfo.Marked and pdf.Root.ViewerPreferences.DisplayDocTitle
    assert str(pdf.Root.Lang) == "zh-CN"
    assert fonts_embedded(pdf)
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    margins = body = 0
    for number, height, char in marked_chars(data):
        in_margin = char["top"] < 20 * MM or char["bottom"] > height - 20 * MM
        if in_margin:  # the running header (not on page 1) and 第 N 页 / 共 M 页
            margins += 1
            assert char["tag"] == "Artifact", (number, char["text"])
        else:
            body += 1
            element = parents[number][char["mcid"]]  # content: linked into the structure
            assert isinstance(element, pikepdf.Dictionary) and element.Type == "/StructElem"
    assert margins and body
    assert scopes(pdf) == {"/Column"}  # the session plan's column heads
    sheet = rendered(SEED, "questions.pdf", PrintSetup(variant="pdf/ua-1"))
    assert scopes(pikepdf.open(io.BytesIO(sheet))) == {"/Row"}  # labels of write-in fields


def scopes(pdf: pikepdf.Pdf) -> set[str]:
    """The /Scope of each table header cell's structure element."""
    found = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/TH"]
    assert found
    return {str(cell.A.get("/Scope")) for cell in found}


def test_every_variant_is_byte_identical_when_built_again() -> None:
    for name in ("pdf/x-4", "pdf/a-2b", "pdf/ua-1"):
        setup = PrintSetup(variant=name)
        once = render_pdf(load_lesson(MINIMAL), Theme(), "questions.pdf", CREATED, setup)
        assert once == render_pdf(load_lesson(MINIMAL), Theme(), "questions.pdf", CREATED, setup)


# Merged documents ----------------------------------------------------------------------


@pytest.mark.needs("qpdf")
def test_a_merged_handout_and_guide_name_their_different_subsets_apart(tmp_path: Path) -> None:
    handout, guide = tmp_path / "handout.pdf", tmp_path / "guide.pdf"
    handout.write_bytes(rendered(SEED, "handout.pdf"))
    guide.write_bytes(rendered(SEED, "questions-facilitator.pdf"))
    merged = tmp_path / "merged.pdf"
    subprocess.run(["qpdf", "--empty", "--pages", handout, guide, "--", merged], check=True)
    programs: dict[str, set[str]] = {}
    with pikepdf.open(merged) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and "/FontName" in obj:
                font = next(obj[k] for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in obj)
                digest = hashlib.sha256(font.read_bytes()).hexdigest()
                programs.setdefault(str(obj.FontName), set()).add(digest)
    assert all(len(found) == 1 for found in programs.values()), programs
    faces = [name.split("+", 1)[1] for name in programs]
    assert len(faces) > len(set(faces))  # a face in both, under two names
