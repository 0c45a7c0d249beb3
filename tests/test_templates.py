"""Organisation templates: real masters from public repositories (tests/corpus/templates).

Every one of them maps each slide kind to a layout by what the layout holds, whatever
language its names are in, and builds both example lessons without a --layout flag.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pptx import Presentation

from builder.render.slides.geometry import DeckSetup
from builder.render.slides.layouts import frames_for, layout_shape
from builder.render.slides.render import open_deck, render_slides
from builder.source import load_lesson
from tests.conftest import ENGLISH, SEED
from tests.contact_sheet import contact_sheet
from tests.contrast_check import low_contrast_words
from tests.slide_check import escapes, render_pdfs

needs_libreoffice = pytest.mark.needs("soffice")

CORPUS = Path(__file__).resolve().parent / "corpus" / "templates"
TEMPLATES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".pptx", ".potx"))
CREATED = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def test_the_corpus_is_varied_as_the_issue_asks() -> None:
    sizes, names, kinds = set(), [], set()
    for template in TEMPLATES:
        prs, geometry, _ = open_deck(DeckSetup(template=template))
        sizes.add(round(geometry.width / geometry.height, 2))
        names += [layout.name for layout in prs.slide_layouts]
        kinds.add(template.suffix)
        assert template.stat().st_size < 2_000_000
    assert len(TEMPLATES) >= 10
    assert {1.78, 1.33} <= sizes
    assert kinds == {".pptx", ".potx"}
    assert any("標題" in name for name in names)  # Chinese
    assert any("Título" in name for name in names) and any("Titel" in name for name in names)
    assert any(len(Presentation(io.BytesIO(_package(t))).slide_layouts) <= 4 for t in TEMPLATES)
    assert "SOURCES.md" in {p.name for p in CORPUS.iterdir()}


def _package(template: Path) -> bytes:
    from builder.render.slides.master import read_template

    return read_template(template)[0]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_kinds_map_by_layout_type_not_by_name(template: Path) -> None:
    """Where a master has PowerPoint's title-and-content layout (type obj), points go there,
    whatever it is called; where it has a title-only one, figures go there."""
    prs, geometry, mapping = open_deck(DeckSetup(template=template))
    types = {layout._element.get("type") for layout in prs.slide_layouts}
    chosen = {kind: layout._element.get("type") for kind, (layout, _) in mapping.items()}
    if "obj" in types:
        assert chosen["points"] == "obj"
    title_only = [x for x in prs.slide_layouts if x._element.get("type") == "titleOnly"]
    if any(frames_for(layout_shape(layout), "figures", geometry) for layout in title_only):
        assert chosen["figures"] == "titleOnly"  # unless its title sits too low for a body
    if "title" in types:
        assert chosen["title"] == "title"
    for _, frames in mapping.values():  # no box of negative or nil size reaches the deck
        assert frames.title.width > 0 and frames.body.height > 0 and frames.body.width > 0


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_both_lessons_build_on_every_template_without_a_layout_flag(template: Path) -> None:
    for lesson, objectives in ((SEED, "学习目标"), (ENGLISH, "Learning objectives")):
        deck = render_slides(load_lesson(lesson), CREATED, DeckSetup(template=template))
        slides = Presentation(io.BytesIO(deck)).slides
        assert len(slides) > 10
        # A title is never overwritten by its body (masters that leave idx 0 on both).
        titles = [s.shapes.title.text for s in slides if s.shapes.title is not None]
        assert objectives in titles


# -- the corpus rendered: every word inside its box and readable --------------------------

LESSONS = {"zh": SEED, "en": ENGLISH}
REPRESENTATIVE = (
    ("built-in-16x9", "zh"),
    ("built-in-16x9", "en"),
    ("built-in-4x3", "zh"),
    ("built-in-4x3", "en"),
    ("onlyoffice-sample-dark", "zh"),
    ("mecanon-ufrj", "en"),
    ("onlyoffice-zh-tw", "zh"),
)
"""In the default run: both built-in designs, a dark picture master (4:3), a .potx with
Portuguese names and bands (16:9), Chinese layout names. The whole corpus runs with
-m slow."""


def _decks(
    folder: Path, setups: dict[str, DeckSetup], which: tuple[tuple[str, str], ...]
) -> dict[str, tuple[Path, Path]]:
    """The decks which names (setup, lesson), built, and all rendered by one soffice."""
    decks = {}
    for name, language in which:
        deck = folder / f"{name}--{language}.pptx"
        deck.write_bytes(render_slides(load_lesson(LESSONS[language]), CREATED, setups[name]))
        decks[deck.stem] = deck
    pdfs = render_pdfs(list(decks.values()), folder)
    return {stem: (deck, pdf) for (stem, deck), pdf in zip(decks.items(), pdfs, strict=True)}


def _assert_deck_reads(deck: Path, pdf: Path, folder: Path) -> None:
    """0 words outside their boxes, 0 words below 3:1 against what is behind them, valid
    Office Open XML, and python-pptx reopens it; a contact sheet is left beside it."""
    from openxml_audit import validate_pptx

    outside, checked = escapes(deck, pdf)
    assert checked > 500 and outside == []
    pages = folder / deck.stem
    pages.mkdir()
    unreadable, measured = low_contrast_words(pdf, pages)
    contact_sheet(render_pages_sorted(pages), folder / f"{deck.stem}.png")
    assert measured > 100 and unreadable == []
    result = validate_pptx(deck)
    assert [(e.part_uri, e.path, e.description) for e in result.errors] == []
    assert len(Presentation(deck).slides) > 10


def render_pages_sorted(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


@pytest.fixture(scope="module")
def representative(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("representative")
    setups = {
        "built-in-16x9": DeckSetup(aspect="16:9"),
        "built-in-4x3": DeckSetup(aspect="4:3"),
        **{t.stem: DeckSetup(template=t) for t in TEMPLATES},
    }
    return _decks(folder, setups, REPRESENTATIVE)


@needs_libreoffice
@pytest.mark.parametrize("deck", [f"{name}--{language}" for name, language in REPRESENTATIVE])
def test_decks_on_representative_masters_read_and_fit(representative, deck: str) -> None:
    path, pdf = representative[deck]
    _assert_deck_reads(path, pdf, pdf.parent)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Every corpus deck; LECTERN_CONTACT_SHEETS=folder keeps their contact sheets there."""
    import os

    folder = Path(os.environ.get("LECTERN_CONTACT_SHEETS") or tmp_path_factory.mktemp("corpus"))
    folder.mkdir(parents=True, exist_ok=True)
    setups = {t.stem: DeckSetup(template=t) for t in TEMPLATES}
    return _decks(folder, setups, tuple((t.stem, lang) for t in TEMPLATES for lang in LESSONS))


@pytest.mark.slow
@needs_libreoffice
@pytest.mark.parametrize(
    "deck", [f"{t.stem}--{language}" for t in TEMPLATES for language in LESSONS]
)
def test_every_corpus_deck_reads_and_fits(corpus, deck: str) -> None:
    path, pdf = corpus[deck]
    _assert_deck_reads(path, pdf, pdf.parent)


# -- a face the build machine lacks ---------------------------------------------------------

MISSING = "Lectern Missing Sans"


def _with_theme_font(template: Path, target: Path, face: str) -> Path:
    """template with its theme's heading and body Latin faces renamed face."""
    import zipfile

    from lxml import etree

    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("ppt/theme/theme"):
                root = etree.fromstring(data)
                for slot in root.iter(f"{a}latin"):
                    slot.set("typeface", face)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            out.writestr(info, data)
    return target


def _substituting(folder: Path, substitute: str) -> dict:
    """An environment whose fontconfig draws MISSING in substitute."""
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        '  <match target="pattern"><test name="family"><string>'
        f"{MISSING}</string></test>\n"
        '    <edit name="family" mode="prepend" binding="strong"><string>'
        f"{substitute}</string></edit></match>\n</fontconfig>\n",
        encoding="utf-8",
    )
    import os

    return {**os.environ, "FONTCONFIG_FILE": str(config)}


@needs_libreoffice
def test_a_deck_fitted_for_a_missing_face_fits_in_two_different_substitutes(
    tmp_path: Path,
) -> None:
    """The theme names a face this machine lacks: the deck is measured cautiously, and
    still fits when LibreOffice draws it in DejaVu Sans (wide) and in Noto Serif."""
    import subprocess

    import pdfplumber

    from builder.text.measure import FontFace, installed

    assert not installed(FontFace(MISSING))
    template = _with_theme_font(CORPUS / "onlyoffice-ru.pptx", tmp_path / "t.pptx", MISSING)
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(render_slides(load_lesson(ENGLISH), CREATED, DeckSetup(template=template)))
    drawn_in = set()
    for substitute in ("DejaVu Sans", "Noto Serif"):
        folder = tmp_path / substitute.replace(" ", "-")
        folder.mkdir()
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", str(folder), str(deck)],
            check=True, capture_output=True, timeout=600, env=_substituting(folder, substitute),
        )  # fmt: skip
        pdf = folder / "deck.pdf"
        with pdfplumber.open(pdf) as rendered:
            faces = {c["fontname"].split("+")[-1] for p in rendered.pages for c in p.chars}
        drawn_in.add(frozenset(faces))
        assert any(substitute.replace(" ", "") in face for face in faces), faces
        outside, checked = escapes(deck, pdf)
        assert checked > 500 and outside == []
    assert len(drawn_in) == 2


def test_inspect_template_shows_fonts_backgrounds_kinds_and_unreadable_colours() -> None:
    from tests.conftest import run_lectern

    result = run_lectern("inspect-template", CORPUS / "uaeu-geometry-lecture.pptx")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "fonts: headings 'Lucida Sans Unicode'" in out
    assert "background: gradient #" in out and "background: solid #FFFFFF" in out
    assert "slide kinds: objectives, agenda, points, discussion, closing" in out
    assert "divider     → 'Section Header'" in out  # by its type, secHead
    # The master's white footer text does not read where its gradient is light: said, and
    # what is drawn instead.
    assert "warning: layout 'Title Only': its footer colour #FFFFFF stands out 2.0:1" in out


def test_check_reports_the_templates_unreadable_colours_and_a_contradicting_aspect(
    tmp_path: Path,
) -> None:
    from tests.conftest import run_lectern

    template = CORPUS / "uaeu-geometry-lecture.pptx"
    result = run_lectern("check", SEED, "--slide-template", template, "--aspect", "16:9")
    assert "Traceback" not in result.stderr
    out = result.stdout + result.stderr
    assert "--aspect 16:9 (960 × 540 pt) does not match the slide template's 720 × 540 pt" in out
    assert "its footer colour #FFFFFF stands out 2.0:1" in out
    # The lesson title does not fit the master's narrow footer box: cut, and said once.
    assert out.count("the footer is cut to fit its box on") == 1


def test_title_slide_text_that_does_not_fit_is_kept_in_the_notes_and_reported(
    lesson_copy, tmp_path: Path
) -> None:
    """Eight authors with long affiliations on a master whose subtitle box is small:
    what does not fit is reported by check and by build alike, never dropped in silence."""
    import json

    from tests.conftest import FIXTURES, run_lectern

    lesson = lesson_copy(FIXTURES / "minimal")
    source = (lesson / "lesson.yaml").read_text(encoding="utf-8")
    affiliation = "西南大学国家治理学院第{i}研究中心与重庆市基层治理研究所"
    authors = "".join(
        f"  - name: 作者{i}\n    affiliation: {affiliation.format(i=i)}\n" for i in range(8)
    )
    source = source.replace("authors:\n  - name: 测试者\n", "authors:\n" + authors)
    (lesson / "lesson.yaml").write_text(source, encoding="utf-8")
    template = CORPUS / "aes-conference-13x9.pptx"
    report = run_lectern("check", lesson, "--slide-template", template, "--format", "json")
    found = [f for f in json.loads(report.stdout)["findings"] if f["code"] == "overflow"]
    lost = [f for f in found if "title slide: does not fit" in f["message"]]
    assert len(lost) == 1 and "作者7" in lost[0]["message"]
    assert lost[0]["field"] == "title"
    build = run_lectern("build", lesson, "-o", tmp_path / "out", "--slide-template", template)
    assert build.returncode == 0 and "title slide: does not fit" in build.stderr + build.stdout
    deck = Presentation(tmp_path / "out" / lesson.name / "slides.pptx")
    shown = "".join(
        shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame
    )
    notes = deck.slides[0].notes_slide.notes_text_frame.text
    for i in range(8):  # every author is on the slide or in its notes
        assert f"作者{i}" in shown or f"作者{i}" in notes


def test_the_planner_decides_without_python_pptx() -> None:
    """Plan, then draw: the plan (sizes, positions, cut labels, footers) is plain Python."""
    import subprocess
    import sys

    probe = (
        "import sys, builder.render.slides.plan;"
        "print(any(m.startswith('pptx') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
