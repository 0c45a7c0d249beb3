"""Slides: fitted into their boxes as rendered by a real client, on any slide master."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Pt

from builder.errors import TemplateError
from builder.render.slides.fit import block_height, fit_paragraphs, fit_title, line_height
from builder.render.slides.geometry import Box
from builder.render.slides.master import check_template_file
from builder.source import load_lesson
from builder.text.inline import plain
from builder.text.linebreak import balanced, unbreakable, wrap
from builder.text.measure import FontFace, text_width
from tests.conftest import FIXTURES, SEED, run_lectern, title_text
from tests.slide_check import escapes, paragraph_numbers, render_pdf

needs_libreoffice = pytest.mark.needs("soffice")

# 禁则, the line-breaking rules of Chinese typesetting (W3C "Requirements for Chinese Text
# Layout", 3.1.7; JIS X 4051 for the marks Chinese shares), written out here rather than
# read from the code. Marks that may not start a line: stops and pauses, closing brackets
# and quotation marks, the ellipsis, dashes and middle dots, and units after a number…
NO_LINE_START = set(
    "。，、；：？！"  # 点号, stops and pauses
    "）」』”’》〉】〕〗〙〛｝］"  # closing brackets and quotation marks
    "…‥·・ー～—"  # ellipsis, middle dots, prolonged sound, wave dash, em dash
    "%‰℃"  # units that follow their number
    ",.;:?!)]}>/-"  # the same roles in Latin text
)
# …and marks that may not end one: opening brackets and quotation marks.
NO_LINE_END = set("（「『“‘《〈【〔〖〘〚｛［" + "([{<")
QUOTES = set("“”‘’\"'")
"""Quotation marks whose side Unicode leaves ambiguous (UAX #14 class QU): no break on
either side of them, as LibreOffice (which follows UAX #14) breaks there."""
FACE = FontFace("Noto Sans CJK SC")


def organisation_template(path: Path) -> Path:
    """A 4:3 master unlike the built-in one: Chinese layout names, a narrow body column."""
    prs = Presentation()
    names = {
        "Title Slide": "标题幻灯片",
        "Title and Content": "标题和内容",
        "Section Header": "节标题",
        "Title Only": "仅标题",
    }
    for layout in prs.slide_layouts:
        layout.name = names.get(layout.name, layout.name)
        if layout.name == "标题和内容":
            body = next(ph for ph in layout.placeholders if ph.placeholder_format.idx == 1)
            body.left, body.width = Pt(200), Pt(480)
            body.top, body.height = Pt(140), Pt(300)
    prs.save(path)
    return path


def build_deck(lesson: Path, output: Path, *args: str | Path) -> Path:
    result = run_lectern("build", lesson, "--output", output, *args)
    assert result.returncode == 0, result.stderr
    return output / lesson.name / "slides.pptx"


@needs_libreoffice
@pytest.mark.parametrize(
    ("lesson", "options"),
    [
        pytest.param(SEED, (), id="seed-16:9"),
        pytest.param(SEED, ("--aspect", "4:3"), id="seed-4:3"),
        pytest.param(SEED, ("--slide-template", "ORG"), id="seed-organisation-template"),
        pytest.param(FIXTURES / "stress", (), id="stress-16:9"),
        pytest.param(FIXTURES / "stress", ("--slide-template", "ORG"), id="stress-template"),
    ],
)
def test_every_rendered_character_lies_inside_its_box(tmp_path: Path, lesson, options) -> None:
    template = organisation_template(tmp_path / "org.pptx")
    args = [template if option == "ORG" else option for option in options]
    deck = build_deck(lesson, tmp_path / "out", *args)
    found, checked = escapes(deck, render_pdf(deck, tmp_path))
    assert checked > 1000
    assert found == []


def test_stress_lesson_continues_on_extra_slides_instead_of_shrinking(tmp_path: Path) -> None:
    deck = Presentation(build_deck(FIXTURES / "stress", tmp_path))
    titles = [title_text(s) for s in deck.slides if s.shapes.title is not None]
    continued = [t for t in titles if t.endswith("（续）")]
    assert len([t for t in continued if t.startswith("（一）四十个要点的小节")]) >= 5
    sizes = {
        run.font.size.pt
        for slide in deck.slides
        if slide.name == "points"
        for shape in slide.placeholders
        if shape.placeholder_format.idx == 1
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
        if run.text != "\u2060"  # the 1 pt word joiner that takes LibreOffice's space
    }
    assert min(sizes) >= 20


@pytest.mark.parametrize(
    "deck", ["chongqing-governance", "open-source-licences", "stress-on-a-4:3-master"]
)
def test_decks_are_valid_office_open_xml(built: Path, tmp_path: Path, deck: str) -> None:
    """PowerPoint repairs or refuses a deck that breaks the ECMA-376 schemas (an element
    out of order, a missing relationship) where LibreOffice shows it without a word; the
    decks are checked against the schemas and the Open XML SDK's semantic rules."""
    from openxml_audit import validate_pptx

    if deck == "stress-on-a-4:3-master":
        template = organisation_template(tmp_path / "org.pptx")
        path = build_deck(FIXTURES / "stress", tmp_path / "out", "--slide-template", template)
    else:
        path = built / deck / "slides.pptx"
    result = validate_pptx(path)
    assert [(e.part_uri, e.path, e.description) for e in result.errors] == []
    assert result.is_valid


def test_seed_deck_has_the_slide_kinds_of_a_lesson(built: Path) -> None:
    lesson = load_lesson(SEED).lesson
    deck = Presentation(built / "chongqing-governance" / "slides.pptx")
    kinds = [slide.name for slide in deck.slides]
    assert kinds[:3] == ["title", "objectives", "agenda"]
    assert kinds.count("divider") == len(lesson.sections) == 3
    assert kinds.count("quote") >= 2  # the opening quotation and the one inside part one
    # Figures sit with their section's points: both sections' fit on one slide.
    assert kinds.count("figures") == 0
    with_figures = [
        title_text(slide)
        for slide in deck.slides
        if any(
            shape.has_text_frame and shape.text_frame.text in ("26个", "1031个")
            for shape in slide.shapes
        )
    ]
    assert with_figures == [
        "（三）以整体统筹应对空间结构优化能力的挑战",
        "（二）破解技术运行对治理要素配置的挑战",
    ]
    assert "discussion" in kinds
    assert kinds[-1] == "closing"
    dividers = [s for s in deck.slides if s.name == "divider"]
    for slide, part in zip(dividers, lesson.sections, strict=True):
        assert title_text(slide) == part.title
    first = deck.slides[0]
    assert lesson.title in title_text(first)
    assert any("西南大学" in shape.text_frame.text for shape in first.placeholders)


def test_discussion_slides_number_the_questions_as_the_sheets_do(built: Path) -> None:
    """ "Let's take question 5" means the same question on the slide and on the sheet; each
    slide's notes hold the hints and follow-ups of the questions it shows, and no others."""
    lesson = load_lesson(SEED).lesson
    deck = Presentation(built / "chongqing-governance" / "slides.pptx")
    slides = [s for s in deck.slides if s.name == "discussion"]
    assert len(slides) > 1  # the seed's seven questions continue over several slides
    numbered = []
    for slide in slides:
        body = next(s for s in slide.placeholders if s.placeholder_format.idx == 1).text_frame
        numbers = paragraph_numbers(body)
        shown = [lesson.questions[n - 1] for n in numbers]
        for paragraph, question in zip(body.paragraphs, shown, strict=True):
            drawn = paragraph.text.replace("\v", "").replace("\u2060", "")
            assert drawn.startswith(plain(question.prompt))
        numbered += numbers
        notes = slide.notes_slide.notes_text_frame.text
        assert "\n\n\n" not in notes
        for question in lesson.questions:
            told = [plain(question.prompt), *map(plain, question.hints + question.follow_up)]
            assert all((t in notes) == (question in shown) for t in told), question.prompt
    assert numbered == list(range(1, len(lesson.questions) + 1))


def test_further_reading_has_a_slide_of_its_own_after_the_summary(lesson_copy) -> None:
    folder = lesson_copy(FIXTURES / "minimal")
    text = (folder / "lesson.yaml").read_text(encoding="utf-8")
    (folder / "lesson.yaml").write_text(
        text
        + "closing:\n  summary: 总结一句。\n  reading:\n"
        + "    - {title: 《共产党宣言》, author: 马克思、恩格斯}\n    - {title: 论持久战}\n",
        encoding="utf-8",
    )
    deck = Presentation(build_deck(folder, folder.parent / "out"))
    *_, summary, reading = deck.slides
    assert title_text(summary) == "结语" and "总结一句。" in summary.placeholders[1].text_frame.text
    assert title_text(reading) == "延伸阅读"
    entries = [p.text for p in reading.placeholders[1].text_frame.paragraphs]
    assert entries == ["马克思、恩格斯：《共产党宣言》", "《论持久战》"]


def test_template_without_a_needed_layout_is_named_in_the_error(tmp_path: Path) -> None:
    """Only the title slide keeps a title: no layout can hold points, in any language."""
    prs = Presentation()
    for layout in prs.slide_layouts:
        layout.name = f"Diapositivo {layout.name}"
        for ph in list(layout.placeholders):
            if ph.placeholder_format.idx == 0 and layout.name != "Diapositivo Title Slide":
                ph._element.getparent().remove(ph._element)
    prs.save(tmp_path / "bare.pptx")
    result = run_lectern(
        "build",
        FIXTURES / "minimal",
        "-o",
        tmp_path / "out",
        "--slide-template",
        tmp_path / "bare.pptx",
    )
    assert result.returncode == 2
    assert "no layout fits objectives slides: they need a horizontal title" in result.stderr
    assert "'Diapositivo Title and Content'" in result.stderr  # the layouts are listed
    assert "choose one with --layout objectives=NAME" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ("points=Fancy Points", "no layout named 'Fancy Points' (mapped to points slides)"),
        (
            "points=Blank",
            "layout 'Blank' cannot hold points slides: needs a horizontal title placeholder",
        ),
        ("image=Blank", "layout 'Blank' cannot hold image slides: needs a horizontal title"),
        ("pionts=Title Only", "no slide kind 'pionts' (kinds: title, divider, objectives"),
    ],
)
def test_a_layout_mapping_that_cannot_be_used_is_named(tmp_path: Path, mapping, expected) -> None:
    """In build and in check, before anything is drawn, whatever the lesson holds."""
    for command in (("build", "-o", tmp_path), ("check",)):
        result = run_lectern(*command, FIXTURES / "minimal", "--layout", mapping)
        assert result.returncode == 2, (command, result.stderr)
        assert expected in result.stderr
        assert "Traceback" not in result.stderr


def test_potx_templates_are_accepted(tmp_path: Path) -> None:
    import zipfile

    template = organisation_template(tmp_path / "org.pptx")
    potx = tmp_path / "org.potx"
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(potx, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"presentation.main+xml", b"template.main+xml")
            target.writestr(info, data)
    deck = Presentation(
        build_deck(FIXTURES / "minimal", tmp_path / "out", "--slide-template", potx)
    )
    assert {slide.slide_layout.name for slide in deck.slides} >= {"标题幻灯片", "标题和内容"}


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a zip", "not a zip package"), (b"", "not a zip package")],
)
def test_file_that_is_not_a_presentation_is_refused(tmp_path: Path, content, message) -> None:
    from builder.render.slides.master import check_template_file

    (tmp_path / "t.pptx").write_bytes(content)
    with pytest.raises(TemplateError, match=message):
        check_template_file(tmp_path / "t.pptx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-32"])
def test_a_template_part_declaring_a_dtd_is_refused(tmp_path: Path, encoding: str) -> None:
    """Its entity references would reach the deck unresolved: a deck that does not open.
    In any encoding the XML parser reads; the words in a comment are not a DTD."""
    import zipfile

    template = organisation_template(tmp_path / "org.pptx")
    layout = "ppt/slideLayouts/slideLayout2.xml"

    def with_layout(name: str, edit) -> Path:
        target_path = tmp_path / name
        with zipfile.ZipFile(template) as source, zipfile.ZipFile(target_path, "w") as target:
            for info in source.infolist():
                data = source.read(info)
                target.writestr(info, edit(data) if info.filename == layout else data)
        return target_path

    def dtd(data: bytes) -> bytes:
        body = data.split(b"?>", 1)[1].replace(b'name="', b'name="&co; ', 1)
        return ('<!DOCTYPE x [<!ENTITY co "Contoso">]>' + body.decode()).encode(encoding)

    refused = with_layout("dtd.pptx", dtd)
    result = run_lectern(
        "build", FIXTURES / "minimal", "-o", tmp_path / "out", "--slide-template", refused
    )
    assert result.returncode == 2
    assert f"{refused}: error: {layout} declares a DTD" in result.stderr
    assert not (tmp_path / "out").exists()
    commented = with_layout("comment.pptx", lambda d: d + b"<!-- no <!DOCTYPE here -->")
    assert check_template_file(commented)


def test_inspect_template_lists_layouts_and_the_kind_mapping(tmp_path: Path) -> None:
    template = organisation_template(tmp_path / "org.pptx")
    result = run_lectern("inspect-template", template)
    assert result.returncode == 0, result.stderr
    assert "layout '标题和内容'" in result.stdout
    assert "placeholder  1 OBJECT        at (200, 140) size 480 × 300 pt" in result.stdout
    assert "points      → '标题和内容'" in result.stdout


# -- layout properties ---------------------------------------------------------------------

_TEXT = st.text(
    st.sampled_from(
        list("超大城市现代化治理新路子的探索过程数字重庆")
        + list("，。、；：？！（）“”《》—…")
        + list("PythonGDP1361 abcxyz-/.")
    ),
    min_size=1,
    max_size=400,
)


def _measure(size: float):
    return lambda s: text_width(s, size, FACE)


def _chars(text: str) -> float:
    """A measure where every character is one unit wide: a line of width 5 holds 5."""
    return float(len(text))


@pytest.mark.parametrize("mark", sorted(NO_LINE_START))
def test_a_closing_mark_where_a_line_would_break_moves_down_with_a_character(mark) -> None:
    lines = wrap("汉字汉字汉" + mark + "字汉字汉字", 5, _chars)
    assert not any(line.startswith(mark) for line in lines), lines
    assert "".join(lines) == "汉字汉字汉" + mark + "字汉字汉字"


@pytest.mark.parametrize("mark", sorted(NO_LINE_END))
def test_an_opening_mark_where_a_line_would_break_moves_down(mark) -> None:
    lines = wrap("汉字汉字" + mark + "汉字汉字汉字", 5, _chars)
    assert not any(line.endswith(mark) for line in lines), lines
    assert "".join(lines) == "汉字汉字" + mark + "汉字汉字汉字"


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, width=st.floats(min_value=60, max_value=900), size=st.sampled_from([18, 24, 32]))
def test_wrapped_lines_fit_and_never_start_with_closing_punctuation(text, width, size) -> None:
    lines = wrap(text, width, _measure(size))
    for i, line in enumerate(lines):
        assert text_width(line, size, FACE) <= width + 1e-6 or len(line) == 1
        if i and line[0] in NO_LINE_START:
            # Allowed only where the rules leave no choice: nowhere in the previous line
            # could it have ended without a closing mark opening the next or an opening
            # mark closing it.
            run = lines[i - 1] + line[0]
            legal = [
                k
                for k in range(1, len(run) - 1)
                if run[k] not in NO_LINE_START and run[k - 1] not in NO_LINE_END
            ]
            assert not legal, (lines[i - 1], line)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").strip() or not text.strip()


@settings(max_examples=150, deadline=None)
@given(
    points=st.lists(_TEXT, min_size=1, max_size=40),
    width=st.floats(min_value=300, max_value=900),
    height=st.floats(min_value=120, max_value=420),
)
def test_fitted_pages_never_exceed_the_box(points, width, height) -> None:
    box = Box(0, 0, width, height)
    pages = fit_paragraphs(
        points, box, size=24, min_size=20, spacing=1.3, gap=0.45, face=FACE, indent_em=1.0
    )
    assert pages
    for page in pages:
        assert page.size >= 20
        lines = [len(p.lines) for p in page.paragraphs]
        assert block_height(lines, page.size, 1.3, 0.45) <= box.text_height + 0.01
        for paragraph in page.paragraphs:
            for line in paragraph.lines:
                assert (
                    text_width(line, page.size, FACE) <= box.text_width - paragraph.indent + 1e-6
                    or len(line) == 1
                )
    shown = "".join(p.text for page in pages for p in page.paragraphs)
    assert shown.replace(" ", "") == "".join(points).replace(" ", "")


@settings(max_examples=100, deadline=None)
@given(
    lines=st.lists(st.integers(min_value=1, max_value=4), min_size=2, max_size=9),
    capacity=st.integers(min_value=4, max_value=9),
)
def test_continued_pages_leave_the_emptiest_as_full_as_any_cut_could(lines, capacity) -> None:
    """Seven questions of three lines go 3, 2, 2 on slides of nine lines, not 3, 3, 1: among
    every way to cut the texts, in order, into as few pages as fit, none has a fuller
    emptiest page. Texts are of "一" repeated, a line each per 10 em (one em = 24 pt)."""
    size, spacing, gap = 24.0, 1.3, 0.45
    texts = ["一" * (10 * n) for n in lines]
    height = block_height([capacity], size, spacing, 0) + 2 * Box(0, 0, 1, 1).inset
    box = Box(0, 0, 10 * size / 0.985 + 2 * Box(0, 0, 1, 1).inset + 1, height)
    pages = fit_paragraphs(
        texts, box, size=size, min_size=size, spacing=spacing, gap=gap, face=FACE
    )
    assert [len(p.lines) for page in pages for p in page.paragraphs] == lines

    def page_height(group: list[int]) -> float:
        return block_height(group, size, spacing, gap)

    def fits(group: list[int]) -> bool:
        return page_height(group) <= box.text_height + 0.01

    assert not any(all(map(fits, c)) for n in range(1, len(pages)) for c in _cuts(lines, n))
    possible = [cut for cut in _cuts(lines, len(pages)) if all(map(fits, cut))]
    emptiest = min(page_height([len(p.lines) for p in page.paragraphs]) for page in pages)
    assert emptiest == max(min(map(page_height, cut)) for cut in possible)


def _cuts(items: list[int], count: int) -> list[list[list[int]]]:
    """Every way to cut items, in order, into count non-empty groups."""
    return [
        [items[a:b] for a, b in itertools.pairwise((0, *ends, len(items)))]
        for ends in itertools.combinations(range(1, len(items)), count - 1)
    ]


@settings(max_examples=200, deadline=None)
@given(text=_TEXT, width=st.floats(min_value=60, max_value=900))
def test_balanced_lines_are_as_many_as_wrapped_ones_and_no_wider(text, width) -> None:
    measure = _measure(32)
    greedy, even = wrap(text, width, measure), balanced(text, width, measure)
    assert len(even) == len(greedy)
    assert all(measure(line) <= width + 1e-6 or len(line) == 1 for line in even)
    assert "".join(even).replace(" ", "") == "".join(greedy).replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=22), min_size=2
    ),
    width=st.floats(min_value=120, max_value=900),
)
def test_balancing_an_english_title_never_splits_a_word_wrapping_kept(words, width) -> None:
    measure = _measure(32)
    text = " ".join(words)
    greedy = wrap(text, width, measure)
    if all(word in words for line in greedy for word in line.split()):
        assert [w for line in balanced(text, width, measure) for w in line.split()] == words


def test_agenda_items_that_wrap_break_as_titles_do(tmp_path: Path) -> None:
    """On a 4:3 slide the part titles take two lines: at their comma, never "…挑 / 战"."""
    deck = Presentation(build_deck(SEED, tmp_path, "--aspect", "4:3"))
    agenda = next(slide for slide in deck.slides if slide.name == "agenda")
    body = next(s for s in agenda.placeholders if s.placeholder_format.idx == 1)
    items = [p for p in body.text_frame.paragraphs if p.text]
    assert len(items) == 3
    for item in items:
        lines = "".join(
            "\n" if node.tag == qn("a:br") else node.text
            for node in item._p.iter(qn("a:t"), qn("a:br"))
        ).split("\n")
        assert len(lines) == 2 and lines[0].endswith("，"), lines


def test_a_title_breaks_at_its_comma_or_evenly_never_leaving_a_runt() -> None:
    measure = _measure(32)
    two = "以数字化超大城市治理技术创新为重点，应对变革挑战"
    width = measure(two[:-1]) + 1  # by characters: "…应对变革挑 / 战"; by phrases: "挑战"
    assert wrap(two, width, measure)[-1] == "挑战"
    assert balanced(two, width, measure) == ["以数字化超大城市治理技术创新为重点，", "应对变革挑战"]
    for title, first in (
        ("Growth to 10,000 members of the research software community", "10,000"),
        ("Why 16:9 slides, and why 3:2 photographs look different", "16:9"),
    ):  # half-width marks end a phrase only before a space: not inside a number
        assert not any(line.endswith(first[:-2]) for line in balanced(title, 500, measure))
    plain_title = "重庆探索超大城市现代化治理新路子所面临的挑战"
    width = measure(plain_title[:-2]) + 1
    assert len(wrap(plain_title, width, measure)[-1]) == 2
    first, second = balanced(plain_title, width, measure)
    assert abs(len(first) - len(second)) <= 1


@settings(max_examples=200, deadline=None)
@given(prompt=_TEXT, minutes=st.integers(1, 120), width=st.floats(min_value=300, max_value=900))
def test_a_questions_minutes_are_never_broken(prompt, minutes, width) -> None:
    """ "（2分 / 钟）" on a slide reads as a typo: the label wraps whole or not at all."""
    label = f"（{unbreakable(f'{minutes}分钟')}）"
    prompt = prompt.rstrip("".join(NO_LINE_END | QUOTES))  # else glued to the label
    lines = wrap(prompt + label, width, _measure(24))
    assert any(label in line for line in lines)


def test_a_questions_minutes_stay_with_its_last_phrase_and_breaks_are_drawn(
    tmp_path: Path,
) -> None:
    """ "（2分钟）" alone on a line is a runt: the minutes end the question's last line, and
    every line the plan broke between two characters is drawn so, since a client would
    break Chinese text anywhere."""
    from builder.render.slides.geometry import BUILT_IN_DECK
    from builder.render.slides.render import plan_lesson_deck

    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    prompts = [
        "在平台上报事项时，你最常遇到的困难是什么？" * k + "事项卡在了哪一步？" for k in (1, 2, 3)
    ]
    prompts += ["问" * k + "？" for k in range(20, 45)]
    questions = "".join(f"  - prompt: {p}\n    minutes: 2\n" for p in prompts)
    (tmp_path / "lesson.yaml").write_text(
        text.split("questions:")[0] + "questions:\n" + questions, encoding="utf-8"
    )
    slides = plan_lesson_deck(load_lesson(tmp_path), BUILT_IN_DECK).slides
    drawn = [p for s in slides if s.kind == "discussion" for p in s.body.paragraphs]
    label = "（2\u2060分\u2060钟）"
    assert [p.text.replace("\v", "") for p in drawn] == [p + "\u2060" + label for p in prompts]
    assert sum(len(p.lines) > 1 for p in drawn) > 10
    for paragraph in drawn:
        assert paragraph.lines[-1] != label and paragraph.lines[-1].endswith(label)
        assert paragraph.text.split("\v") == list(paragraph.lines)


@settings(max_examples=150, deadline=None)
@given(title=_TEXT)
def test_titles_shrink_within_bounds(title) -> None:
    box = Box(0, 0, 848, 86)
    size, lines = fit_title(title, box, 32, 24, 1.15, FontFace("Noto Sans CJK SC", bold=True))
    assert 24 <= size <= 32
    if size > 24:
        assert len(lines) * line_height(size, 1.15) <= box.text_height


def test_slide_font_is_set_on_both_latin_and_east_asian_slots(tmp_path: Path) -> None:
    deck = Presentation(
        build_deck(FIXTURES / "minimal", tmp_path, "--slide-font", "Microsoft YaHei")
    )
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    props = [r.find("a:rPr", ns) for s in deck.slides for r in s._element.iterfind(".//a:r", ns)]
    assert props
    for rpr in props:
        assert rpr.find("a:latin", ns).get("typeface") == "Microsoft YaHei"
        assert rpr.find("a:ea", ns).get("typeface") == "Microsoft YaHei"
    # What a lecturer types into the deck later takes the theme's fonts: the same face.
    theme = etree.fromstring(deck.slide_master.part.part_related_by(RT.THEME).blob)
    for scheme in ("major", "minor"):
        for slot in ("latin", "ea"):
            face = theme.find(f".//a:{scheme}Font/a:{slot}", ns)
            assert face.get("typeface") == "Microsoft YaHei"


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(_TEXT, min_size=1, max_size=6), size=st.sampled_from([18, 24]))
def test_growing_measure_equals_text_width_exactly(pieces, size) -> None:
    from builder.text.measure import GrowingMeasure

    measure = GrowingMeasure(size, FACE)
    text = ""
    for piece in pieces:
        text += piece
        assert measure(text) == text_width(text, size, FACE)
        assert measure(piece) == text_width(piece, size, FACE)


def test_project_file_sets_the_organisation_template_and_font(tmp_path: Path) -> None:
    organisation_template(tmp_path / "org.pptx")
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content" / "minimal")
    (tmp_path / "lectern.yaml").write_text(
        "slide_template: org.pptx\nslide_font: Microsoft YaHei\naspect: '4:3'\n", encoding="utf-8"
    )
    assert run_lectern("build", cwd=tmp_path).returncode == 0
    deck = Presentation(tmp_path / "output" / "minimal" / "slides.pptx")
    assert {slide.slide_layout.name for slide in deck.slides} >= {"标题幻灯片", "标题和内容"}
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    first = next(deck.slides[0]._element.iterfind(".//a:rPr/a:ea", ns))
    assert first.get("typeface") == "Microsoft YaHei"
    # A command-line flag wins over the project file.
    assert run_lectern("build", "--slide-font", "SimHei", cwd=tmp_path).returncode == 0
    deck = Presentation(tmp_path / "output" / "minimal" / "slides.pptx")
    assert next(deck.slides[0]._element.iterfind(".//a:rPr/a:ea", ns)).get("typeface") == "SimHei"
    # Not installed here: one finding says so, instead of one "no glyph" per character.
    report = json.loads(run_lectern("check", "--format", "json", cwd=tmp_path).stdout)
    glyphs = [f["message"] for f in report["findings"] if f["code"] == "glyph"]
    assert glyphs == [
        "slide font 'Microsoft YaHei' is not installed here: slides are fitted with cautious "
        "estimated widths and its glyphs are not checked (once it is installed, the next "
        "build uses it)"
    ]


def test_project_file_mistakes_are_located(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content" / "minimal")
    (tmp_path / "lectern.yaml").write_text("slide_fonts: x\npaper: B6\n", encoding="utf-8")
    result = run_lectern("build", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "lectern.yaml:1:1: error: slide_fonts: unknown setting 'slide_fonts' (did you mean "
        "'slide_font'?)" in result.stderr
    )
    assert "lectern.yaml:2:8: error: paper:" in result.stderr


def test_a_warm_process_redraws_only_changed_slides_and_writes_the_same_deck(
    tmp_path: Path,
) -> None:
    """watch copies slides it drew before; the deck must equal one drawn from scratch."""
    from builder.artifacts import build_time
    from builder.render.slides import deck
    from builder.render.slides.render import render_slides

    lesson = tmp_path / "seed"
    shutil.copytree(SEED, lesson)
    source = lesson / "lesson.yaml"
    created = build_time(load_lesson(source).lesson.date)  # as the build stamps the deck
    render_slides(load_lesson(source), created)  # the watch's first build
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("  - prompt: ", "  - prompt: 新增：", 1), encoding="utf-8")

    drawn = []
    draw = deck.DeckWriter.draw
    deck.DeckWriter.draw = lambda self, slide, planned, number: (
        drawn.append(planned.kind),
        draw(self, slide, planned, number),
    )
    try:
        warm = render_slides(load_lesson(source), created)
    finally:
        deck.DeckWriter.draw = draw
    assert drawn and set(drawn) <= {"discussion", "closing"}, drawn  # the rest were copied

    result = run_lectern("build", lesson, "-o", tmp_path / "out", "--force", "-j", "1")
    assert result.returncode == 0, result.stderr
    assert warm == (tmp_path / "out" / "seed" / "slides.pptx").read_bytes()


def test_overflow_is_predicted_on_the_slide_master_the_deck_is_drawn_on(tmp_path: Path) -> None:
    """A narrow organisation master needs more continuation slides: check must say so."""
    organisation_template(tmp_path / "org.pptx")
    shutil.copytree(SEED, tmp_path / "content" / SEED.name)

    def extra_discussion_slides(findings: list[dict]) -> int:
        [message] = [
            f["message"] for f in findings if f["code"] == "overflow" and f["field"] == "questions"
        ]
        return int(message.split(" needs ")[1].split()[0])

    def checked(*flags: str | Path) -> int:
        result = run_lectern("check", "--format", "json", *flags, cwd=tmp_path)
        return extra_discussion_slides(json.loads(result.stdout)["findings"])

    on_builtin = checked()
    assert checked("--slide-template", tmp_path / "org.pptx") > on_builtin  # flag or file
    (tmp_path / "lectern.yaml").write_text("slide_template: org.pptx\n", encoding="utf-8")
    on_organisation = checked()
    assert on_organisation > on_builtin >= 1
    assert run_lectern("build", cwd=tmp_path).returncode == 0
    output = tmp_path / "output" / SEED.name
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert extra_discussion_slides(manifest["findings"]) == on_organisation
    deck = Presentation(output / "slides.pptx")
    continued = [
        s for s in deck.slides if s.name == "discussion" and "（续）" in s.shapes.title.text
    ]
    assert len(continued) == on_organisation


def test_a_slide_font_installed_for_the_user_is_measured(tmp_path: Path) -> None:
    """The finding's advice holds: install the font, build again, and it is used."""
    from fontTools.ttLib import TTFont

    from builder.text.fontconfig import match

    font = TTFont(match("DejaVu Sans").file)  # a real face, under a name no machine has
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Lectern Test Sans"
        elif record.nameID == 6:
            record.string = "LecternTestSans"
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content" / "minimal")
    (tmp_path / "lectern.yaml").write_text("slide_font: Lectern Test Sans\n", encoding="utf-8")
    env = {"XDG_DATA_HOME": str(tmp_path / "share"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    before = run_lectern("build", cwd=tmp_path, env=env)
    assert before.returncode == 0, before.stderr
    assert "slide font 'Lectern Test Sans' is not installed here" in before.stderr
    (tmp_path / "share" / "fonts").mkdir(parents=True)
    font.save(tmp_path / "share" / "fonts" / "LecternTestSans.ttf")
    after = run_lectern("build", cwd=tmp_path, env=env)  # the fonts changed: not a no-op
    assert after.returncode == 0, after.stderr
    assert "minimal: 4 built" in after.stderr
    assert "is not installed here" not in after.stderr
    # Measured now: DejaVu has no CJK glyphs, which the check can say at last.
    assert "the slide font 'Lectern Test Sans' has none: an empty box on slides" in after.stderr


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ('以"1361"整体构架', "以“1361”整体构架"),
        ('"以群众认可为准"', "“以群众认可为准”"),
        ("他说'好'，又说\"不\"", "他说‘好’，又说“不”"),
        ('src="x" 他说"好"', 'src="x" 他说“好”'),  # markup-like Latin keeps its own
        ('don\'t "quote" me', 'don\'t "quote" me'),  # Latin: print curls it its own way
    ],
)
def test_straight_quotes_typed_in_chinese_are_set_as_chinese_marks(typed, shown) -> None:
    assert plain(typed) == shown


def test_libreoffices_script_space_is_taken_beside_chinese_marks_only() -> None:
    from builder.render.slides.autospace import stopped

    assert stopped("讨论（5\u2060分\u2060钟）") == ["讨论（", "5\u2060分\u2060钟）"]
    assert stopped("《手册（2025年版）》") == ["《手册（", "2025年版）》"]
    assert stopped("以“1361”整体") == ["以“", "1361”", "整体"]
    assert stopped("共1031个乡镇") == ["共1031个乡镇"]  # a quarter em, as Chinese sets it


@pytest.mark.parametrize(("width", "height"), [(800, 200), (150, 600)], ids=["wide", "tall"])
def test_a_picture_keeps_its_shape_inside_the_space_under_the_title(
    tmp_path: Path, width: int, height: int
) -> None:
    """The planner places the picture (its aspect from the file); the deck draws it there."""
    from PIL import Image

    lesson = tmp_path / "pictured"
    lesson.mkdir()
    Image.new("RGB", (width, height), (200, 40, 40)).save(lesson / "chart.png")
    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "      一段正文。\n",
        "      一段正文。\n    images:\n      - src: chart.png\n        alt: 示意图\n"
        "        caption: 图一 示意\n",
    )
    (lesson / "lesson.yaml").write_text(text, encoding="utf-8")
    deck = Presentation(build_deck(lesson, tmp_path / "out"))
    [picture] = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    slide = next(s for s in deck.slides if picture in list(s.shapes))
    title = slide.shapes.title or min(slide.shapes, key=lambda s: s.top)
    assert picture.width / picture.height == pytest.approx(width / height, rel=1e-3)
    assert picture.top >= title.top + title.height
    assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
    assert picture.top + picture.height <= deck.slide_height
    centre = picture.left + picture.width / 2
    assert centre == pytest.approx(deck.slide_width / 2, abs=deck.slide_width * 0.01)
