"""End to end: the example lessons become four real artifacts, checked with real readers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from builder.render.print.weasy import slow_font_embedding
from builder.source import load_lesson
from builder.text.inline import paragraphs, plain
from tests.conftest import ENGLISH, FIXTURES, SEED, pdf_text, run_lectern, title_text
from tests.slide_check import render_pdf

ARTIFACTS = {"slides.pptx", "handout.pdf", "questions.pdf", "questions-facilitator.pdf"}


def squash(text: str) -> str:
    """Text without white space: PDF extraction breaks lines wherever the layout did."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lesson", ["chongqing-governance", "open-source-licences"])
def test_build_writes_four_artifacts_and_a_manifest(built: Path, lesson: str) -> None:
    folder = built / lesson
    assert {p.name for p in folder.iterdir()} == ARTIFACTS | {"manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text())
    for entry in manifest["artifacts"]:
        data = (folder / entry["name"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)


def body_text(pdf: Path, lesson) -> str:
    """The squashed text of a handout without its running header and page footers."""
    header = squash(f"{lesson.series} · {plain(lesson.title)}")
    text = squash(pdf_text(pdf))
    return re.sub(r"第\d+页/共\d+页", "", text.replace(header, ""))


def test_handout_contains_every_heading_point_quote_and_figure(built: Path) -> None:
    lesson = load_lesson(SEED).lesson
    text = body_text(built / "chongqing-governance" / "handout.pdf", lesson)
    expected = [plain(lesson.title), *map(plain, lesson.objectives)]
    expected += [plain(p) for p in paragraphs(lesson.opening.lead)]
    expected.append(plain(lesson.opening.quote.text))
    for _, section in lesson.all_sections():
        expected.append(plain(section.title))
        expected += [plain(p) for p in paragraphs(section.prose)]
        expected += [plain(q.text) for q in section.quotes]
        expected += [f"{f.value}{f.unit}{plain(f.label)}" for f in section.figures]
        expected += [plain(p) for p in section.points]
    missing = [item for item in expected if squash(item) not in text]
    assert not missing


def test_handout_follows_the_source_order(built: Path) -> None:
    lesson = load_lesson(SEED).lesson
    text = body_text(built / "chongqing-governance" / "handout.pdf", lesson)
    positions = [text.index(squash(plain(s.title))) for _, s in lesson.all_sections()]
    assert positions == sorted(positions)


def test_seed_figures_and_affiliation_are_present(built: Path) -> None:
    text = squash(pdf_text(built / "chongqing-governance" / "handout.pdf"))
    for figure in (
        "26个区",
        "8个县",
        "4个自治县",
        "1031个乡镇（街道）",
        "7959个行政村",
        "3272个社区",
    ):
        assert figure in text
    assert "西南大学国家治理学院" in text


def test_no_injected_spam_reaches_any_artifact(built: Path) -> None:
    folder = built / "chongqing-governance"
    texts = [pdf_text(folder / name) for name in ARTIFACTS - {"slides.pptx"}]
    deck = Presentation(folder / "slides.pptx")
    texts += [
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    texts += [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
    for text in texts:
        assert "开云" not in text
        assert "kaiyun" not in text.lower()


@pytest.mark.parametrize("lesson", ["chongqing-governance", "open-source-licences"])
def test_pdfs_embed_only_the_theme_fonts_subset(built: Path, lesson: str) -> None:
    for name in ARTIFACTS - {"slides.pptx"}:
        reader = PdfReader(built / lesson / name)
        fonts = set()
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
        if lesson == "chongqing-governance":
            assert any("CJK" in font for font in fonts), fonts
        # Only the theme's faces: Noto for text, AR PL UKai for quotations. No fallback
        # face (DejaVu and the like) means no character went looking for a glyph.
        assert all(font.startswith(("Noto", "AR-PL-UKai")) for font in fonts), fonts


def test_handout_pages_are_numbered_in_chinese(built: Path) -> None:
    reader = PdfReader(built / "chongqing-governance" / "handout.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"第 {number} 页 / 共 {total} 页" in page.extract_text()


def test_english_handout_is_numbered_in_english(built: Path) -> None:
    reader = PdfReader(built / "open-source-licences" / "handout.pdf")
    assert f"Page 1 of {len(reader.pages)}" in reader.pages[0].extract_text()


def test_handout_outline_has_one_entry_per_part(built: Path) -> None:
    lesson = load_lesson(SEED).lesson
    outline = PdfReader(built / "chongqing-governance" / "handout.pdf").outline
    top = [item for item in outline if not isinstance(item, list)]
    others = ("学习目标", "导语", "结语", "延伸", "学习笔记")
    parts = [item.title for item in top if not item.title.startswith(others)]
    assert len(parts) == len(lesson.sections)
    for title, section in zip(parts, lesson.sections, strict=True):
        assert plain(section.title) in title


def test_deck_reopens_with_titles_and_notes_from_the_lesson(built: Path) -> None:
    lesson = load_lesson(SEED).lesson
    deck = Presentation(built / "chongqing-governance" / "slides.pptx")
    titles = [title_text(slide) for slide in deck.slides if slide.shapes.title is not None]
    for part in lesson.sections:
        assert plain(part.title) in titles
    notes = "\n".join(slide.notes_slide.notes_text_frame.text for slide in deck.slides)
    for _, section in lesson.all_sections():
        for paragraph in paragraphs(section.prose):
            assert plain(paragraph) in notes
    assert deck.core_properties.title == plain(lesson.title)
    assert deck.core_properties.language == "zh-CN"


def test_deck_runs_name_both_latin_and_east_asian_typefaces(built: Path) -> None:
    deck = Presentation(built / "chongqing-governance" / "slides.pptx")
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    runs = [r for slide in deck.slides for r in slide._element.iterfind(".//a:r", ns)]
    assert runs
    for run in runs:
        props = run.find("a:rPr", ns)
        assert props.get("lang") == "zh-CN"
        assert props.find("a:latin", ns) is not None
        assert props.find("a:ea", ns) is not None


@pytest.mark.needs("soffice")
def test_libreoffice_renders_every_slide(built: Path, tmp_path: Path) -> None:
    deck = built / "chongqing-governance" / "slides.pptx"
    rendered = PdfReader(render_pdf(deck, tmp_path))
    assert len(rendered.pages) == len(Presentation(deck).slides)
    assert "重庆" in rendered.pages[0].extract_text()


def test_schema_validates_both_example_lessons() -> None:
    import jsonschema
    import yaml

    result = run_lectern("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    validator = jsonschema.Draft202012Validator(schema)
    for lesson in (SEED, ENGLISH):
        # What an editor's YAML plugin sees: YAML 1.2 data, with dates as text as in JSON.
        data = yaml.safe_load((lesson / "lesson.yaml").read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))
        assert not [e.message for e in validator.iter_errors(data)]
    assert list(validator.iter_errors({"titel": "x"}))


@pytest.mark.parametrize("case", sorted(p.name for p in (FIXTURES / "broken").iterdir()))
def test_broken_lesson_fails_cleanly_and_keeps_earlier_output(tmp_path: Path, case: str) -> None:
    output = tmp_path / "output"
    first = run_lectern("build", FIXTURES / "minimal", "--output", output)
    assert first.returncode == 0, first.stderr
    # The broken lesson is built under the name of the good one, into the same folder.
    target = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "broken" / case, target)
    before = {p.name: p.read_bytes() for p in (output / "minimal").iterdir()}
    result = run_lectern("build", target, "--output", output)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert re.search(r"lesson\.yaml:\d+:\d+: error: ", result.stderr)
    assert "nothing was written" in result.stderr
    after = {p.name: p.read_bytes() for p in (output / "minimal").iterdir()}
    assert after == before


def test_new_lesson_scaffolds_build_as_they_stand(tmp_path: Path) -> None:
    for lang in ("zh", "en"):
        created = run_lectern("new", f"lesson-{lang}", "--lang", lang, cwd=tmp_path)
        assert created.returncode == 0, created.stderr
    result = run_lectern("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr  # a starter lesson is clean, and so is this machine
    for lang in ("zh", "en"):
        assert {p.name for p in (tmp_path / "output" / f"lesson-{lang}").iterdir()} >= ARTIFACTS
    again = run_lectern("new", "lesson-zh", cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists" in again.stderr


def test_builds_are_byte_identical_across_clocks_and_time_zones(tmp_path: Path) -> None:
    manifests = []
    for zone, name in (("UTC", "a"), ("Asia/Shanghai", "b")):
        output = tmp_path / name
        result = run_lectern("build", FIXTURES / "minimal", "--output", output, env={"TZ": zone})
        assert result.returncode == 0, result.stderr
        manifests.append(json.loads((output / "minimal" / "manifest.json").read_text()))
    assert manifests[0] == manifests[1]


def pictured_lesson(folder: Path, name: str = "chart.png") -> Path:
    """The minimal lesson in folder with one picture, file name as given."""
    from PIL import Image

    folder.mkdir(parents=True)
    Image.new("RGB", (64, 32), (200, 40, 40)).save(folder / name)
    quoted = name.replace("'", "''").replace("%", "%25")  # YAML single quotes; a path
    picture = f"    images:\n      - src: '{quoted}'\n        alt: 图\n"
    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    text = text.replace("      一段正文。\n", "      一段正文。\n" + picture)
    (folder / "lesson.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_lesson_with_pictures_builds_the_same_bytes_wherever_its_folder_is(tmp_path):
    """Two CI jobs check the repository out at different paths: their artifacts, and so a
    release's zips, must not differ for it."""
    built = []
    for place in ("a", "somewhere/much/deeper"):
        lesson = pictured_lesson(tmp_path / place / "pictured")
        output = tmp_path / f"out-{len(built)}"
        result = run_lectern("build", lesson, "--output", output)
        assert result.returncode == 0, result.stderr
        built.append({p.name: p.read_bytes() for p in (output / "pictured").iterdir()})
    assert [name for name in built[0] if built[0][name] != built[1][name]] == []


@pytest.mark.parametrize("name", ["图表 1.png", "x'\"<y>&.png"], ids=["chinese-spaced", "markup"])
def test_a_picture_is_shown_whatever_its_file_is_called(tmp_path: Path, name: str) -> None:
    """A Chinese file name with a space, and one with quotes and angle brackets (which
    python-pptx wrote unescaped into the deck's XML: a traceback), print and show."""
    lesson = pictured_lesson(tmp_path / "pictured", name)
    result = run_lectern("build", lesson, "--output", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "out" / "pictured"
    assert len(PdfReader(folder / "handout.pdf").pages[0].images) == 1
    deck = Presentation(folder / "slides.pptx")
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in pictures] == ["图"]


def test_source_date_epoch_sets_the_artifacts_dates(tmp_path: Path) -> None:
    result = run_lectern(
        "build", FIXTURES / "minimal", "--output", tmp_path, env={"SOURCE_DATE_EPOCH": "1700000000"}
    )
    assert result.returncode == 0, result.stderr
    deck = Presentation(tmp_path / "minimal" / "slides.pptx")
    assert deck.core_properties.modified.year == 2023
    info = PdfReader(tmp_path / "minimal" / "handout.pdf").metadata
    assert info["/CreationDate"].startswith("D:20231114")


@pytest.mark.parametrize(
    ("date", "epoch", "stamped"),
    [
        ("2150-01-01", None, "2107-12-31"),
        ("0999-12-31", None, "1980-01-01"),
        ("2025-01-02", "99999999999999", "2107-12-31"),
    ],
)
def test_dates_a_zip_cannot_hold_are_stamped_with_the_nearest_it_can(
    lesson_copy, date: str, epoch: str | None, stamped: str
) -> None:
    """A typo'd year (or SOURCE_DATE_EPOCH) must not crash the build with a struct.error;
    a deck's properties stay within the 255 characters Office keeps (30 authors here)."""
    folder = lesson_copy(FIXTURES / "minimal")
    text = (folder / "lesson.yaml").read_text(encoding="utf-8")
    authors = "".join(f"  - name: 第{i}研究小组的同志们\n" for i in range(30))
    text = text.replace("date: 2025-01-02", f"date: {date}")
    (folder / "lesson.yaml").write_text(
        text.replace("  - name: 测试者\n", authors), encoding="utf-8"
    )
    out = folder.parent.parent / "out"
    result = run_lectern("build", folder, "-o", out, env={"SOURCE_DATE_EPOCH": epoch or ""})
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out / "minimal" / "slides.pptx") as deck_zip:
        assert {dt.date(*i.date_time[:3]).isoformat() for i in deck_zip.infolist()} == {stamped}
    deck = Presentation(out / "minimal" / "slides.pptx")
    assert len(deck.core_properties.author) == 255 and deck.core_properties.author.endswith("…")
    info = PdfReader(out / "minimal" / "handout.pdf").metadata
    assert info["/CreationDate"].startswith("D:" + stamped.replace("-", ""))


def test_a_lesson_folder_named_in_another_encoding_builds(tmp_path: Path) -> None:
    """Folders copied from an old Windows share keep GBK names that are not UTF-8."""
    folder = Path(os.fsdecode(bytes(tmp_path) + "/第一讲".encode("gbk")))
    shutil.copytree(FIXTURES / "minimal", folder)
    build = [sys.executable, "-m", "builder", "build", folder, "-o", tmp_path / "out"]
    result = subprocess.run(build, capture_output=True, timeout=300)  # names print as bytes
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert len(list((tmp_path / "out").glob("*/handout.pdf"))) == 1
    release = [sys.executable, "-m", "builder", "release", folder, "-d", tmp_path / "dist"]
    release += ["-o", tmp_path / "release-out"]
    released = subprocess.run(release, capture_output=True, timeout=300)
    assert released.returncode == 2  # a zip names entries in UTF-8, unpacked anywhere
    assert b"folder name is not UTF-8: rename it" in released.stderr
    assert b"Traceback" not in released.stderr
    assert not (tmp_path / "release-out").exists()  # refused before anything was built


def test_a_missing_font_subsetter_is_named_with_its_package() -> None:
    """WeasyPrint would silently embed fonts with fontTools, ~14× slower for CJK."""
    assert slow_font_embedding() is None  # ./run installs libharfbuzz-subset0
    reason = slow_font_embedding(("libharfbuzz.so.0", "libharfbuzz-subset.so.404"))
    assert reason is not None and "libharfbuzz-subset0" in reason
