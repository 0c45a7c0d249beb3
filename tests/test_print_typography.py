"""Print typography: what a reader sees on the page, checked in the rendered PDFs."""

from __future__ import annotations

import datetime as dt
import functools
import io
import itertools
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.render.print.documents import render_pdf
from builder.render.print.page import PrintSetup
from builder.source import load_lesson
from builder.theme import Theme
from tests.conftest import ENGLISH, FIXTURES, PRINTED, ROOT, SEED, run_lectern

CREATED = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)


@functools.cache
def rendered(lesson: Path, artifact: str, paper: str = "A4") -> bytes:
    """One print document of a lesson, rendered in this process (once per test worker)."""
    return render_pdf(load_lesson(lesson), Theme(), artifact, CREATED, PrintSetup(paper))


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
    for artifact in PRINTED:
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


CLOSING = "。，、；：？！）」』”’》〉】〕"
OPENING = "（「『“‘《〈【〔"


def lines_of(page: pdfplumber.page.Page) -> list[list[dict]]:
    """The page's visible characters in visual lines (same baseline), left to right, top
    to bottom."""
    rows: dict[int, list[dict]] = {}
    for char in page.chars:
        if char["text"].strip():
            rows.setdefault(round(char["matrix"][5]), []).append(char)  # its baseline
    return [sorted(row, key=lambda c: c["x0"]) for _, row in sorted(rows.items(), reverse=True)]


def line_end(row: list[dict], width: float) -> float:
    """Where a line's last glyph ends, for a line meant to end at width. pdfplumber gives
    a full-width mark a full em; one set half width (a closing mark before another mark,
    OpenType ``halt``) ends half an em sooner, which is told by where its em would end."""
    last = row[-1]
    squeezed = last["text"] in CLOSING and last["x1"] > width + last["size"] / 4
    return last["x1"] - (last["size"] / 2 if squeezed else 0)


def lesson_with(tmp_path: Path, old: str, new: str) -> Path:
    """The minimal lesson with one piece of its text replaced."""
    folder = tmp_path / "lesson"
    shutil.copytree(FIXTURES / "minimal", folder)
    source = folder / "lesson.yaml"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_chinese_lines_break_beside_quotation_marks_and_stay_flush(tmp_path: Path) -> None:
    # Without a break before “ and after ”, this is one unbreakable run of 100 characters.
    prose = "各地" + "“条”和“块”" * 16 + "协同。"
    lesson = lesson_with(tmp_path, "一段正文。", prose)
    with opened(render_pdf(load_lesson(lesson), Theme(), "handout.pdf", CREATED)) as pdf:
        page = pdf.pages[0]
        rows = [row for row in lines_of(page) if "块" in "".join(c["text"] for c in row)]
        right = page.width - 20 * MM  # the text width
        assert len(rows) >= 3
        for row in rows[:-1]:
            # A line ends short by what cannot start the next (“块” is three characters);
            # the slack is spread between the line's characters, so it ends flush.
            assert line_end(row, right) == pytest.approx(right, abs=0.5), "ends short or over"
            assert row[0]["text"] not in CLOSING and row[-1]["text"] not in OPENING
        assert rows[-1][0]["text"] not in CLOSING
        copied = "".join(line.strip() for line in page.extract_text().splitlines())
    assert prose in copied  # the break opportunities are not characters


def test_no_closing_mark_starts_a_line_and_no_opening_mark_ends_one() -> None:
    for lesson in (SEED, FIXTURES / "stress"):
        for artifact in PRINTED:
            with opened(rendered(lesson, artifact)) as pdf:
                for page in pdf.pages:
                    for row in lines_of(page):
                        where = (lesson.name, artifact, page.page_number, row[0]["top"])
                        assert row[0]["text"] not in CLOSING, where
                        assert row[-1]["text"] not in OPENING, where


def paragraphs_of(page: pdfplumber.page.Page, indent: float, within: str) -> list[list[list[dict]]]:
    """The page's paragraphs of text within (each starts indented by indent), as lines."""
    rows = [row for row in lines_of(page) if "".join(c["text"] for c in row) in within]
    left = min((row[0]["x0"] for row in rows), default=0)
    out: list[list[list[dict]]] = []
    for row in rows:
        if row[0]["x0"] - left >= indent - 1:
            out.append([])
        if out:
            out[-1].append(row)
    return out


def test_chinese_paragraphs_end_on_two_characters_and_every_other_line_is_flush(
    tmp_path: Path,
) -> None:
    """Chinese typesetting never leaves one character alone on a paragraph's last line;
    the character moved down with it leaves the line above short, and that slack is
    spread between the line's characters. 40 paragraphs of 40 lengths in a row: one of
    them, at least, ends one character past a full line."""
    words = "基层治理要素协同推动重组现代化"
    paragraphs = [(words * 8)[: 80 + n] + "。" for n in range(40)]
    lesson = lesson_with(tmp_path, "一段正文。", "\n\n      ".join(paragraphs))
    data = render_pdf(load_lesson(lesson), Theme(), "handout.pdf", CREATED)
    with opened(data) as pdf:
        prose = "".join(paragraphs)
        # Per page: a left-hand page's text block is further left (mirrored margins).
        pages = [paragraphs_of(page, 2 * 10.5, prose) for page in pdf.pages]
        found = [paragraph for page in pages for paragraph in page]
        copied = "".join("".join(page.extract_text().split()) for page in pdf.pages)
    ends = [paragraph[-1] for paragraph in found if len(paragraph) > 1]
    assert len(ends) >= 40
    assert min(len(row) for row in ends) == 3  # two characters and the full stop
    for page in pages:
        right = max((row[-1]["x1"] for paragraph in page for row in paragraph), default=0)
        for paragraph in page:
            for row in paragraph[:-1]:
                assert right - row[-1]["x1"] < 0.5, "".join(c["text"] for c in row)
    assert all(text in copied for text in paragraphs)  # copied as typed


def test_two_marks_side_by_side_are_set_half_an_em_closer(tmp_path: Path) -> None:
    """A full-width mark is half glyph, half blank: “：“” showed a full em of nothing."""
    lesson = lesson_with(
        tmp_path, "一段正文。", "他强调：“要读《资本论》。”（《共产党宣言》）然后。"
    )
    with opened(render_pdf(load_lesson(lesson), Theme(), "handout.pdf", CREATED)) as pdf:
        rows = lines_of(pdf.pages[0])
    line = next(row for row in rows if "".join(c["text"] for c in row).startswith("他强调"))
    em = line[0]["size"]
    after = {a["text"] + b["text"]: (b["x0"] - a["x0"]) / em for a, b in itertools.pairwise(line)}
    assert after["他强"] == pytest.approx(1, abs=0.03)  # letters are one em apart
    for pair in ("：“", "》。", "。”", "（《"):  # closing then any mark; opening then opening
        assert after[pair] == pytest.approx(0.5, abs=0.03), pair
    for pair in ("“要", "读《"):  # a mark beside a letter keeps its em
        assert after[pair] == pytest.approx(1, abs=0.03), pair


def test_two_marks_side_by_side_are_set_closer_in_a_kai_quotation_too() -> None:
    """AR PL UKai has no half-width forms: “枫桥经验”，坚持 showed a full em of nothing
    between ” and ， in the second lesson's opening quotation."""
    with opened(rendered(ROOT / "content" / "fengqiao-grid", "handout.pdf")) as pdf:
        rows = lines_of(pdf.pages[0])
    line = next(row for row in rows if "".join(c["text"] for c in row).startswith("要坚持好"))
    assert "Kai" in line[0]["fontname"]
    em = line[0]["size"]
    after = {a["text"] + b["text"]: (b["x0"] - a["x0"]) / em for a, b in itertools.pairwise(line)}
    assert after["”，"] <= 0.5
    assert after["坚持"] == pytest.approx(after["要坚"])  # letters keep their spacing


def test_a_line_cut_short_by_an_unbreakable_word_is_not_spread_out(tmp_path: Path) -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis_and_more_very_long_identifier_name"
    prose = f"这个词非常长：{word}，后面还有中文继续写下去直到行尾为止，看看效果如何。"
    lesson = lesson_with(tmp_path, "一段正文。", prose)
    with opened(render_pdf(load_lesson(lesson), Theme(), "handout.pdf", CREATED)) as pdf:
        page = pdf.pages[0]
        row = next(r for r in lines_of(page) if "".join(c["text"] for c in r) == "这个词非常长：")
        copied = "".join(page.extract_text().split("\n"))
    em = row[0]["size"]
    assert all(b["x0"] - a["x0"] < 1.01 * em for a, b in itertools.pairwise(row))
    assert "这个词非常长：" in copied  # no gaps read as spaces


def test_a_kept_end_wraps_inside_a_narrow_figure_box(tmp_path: Path) -> None:
    label = "Number of districts in the whole municipality of Chongqing city"
    figures = "".join(f"\n      - {{value: '{n}', unit: x, label: '{label}'}}" for n in range(4))
    lesson = lesson_with(tmp_path, "    prose: |", f"    figures:{figures}\n    prose: |")
    data = render_pdf(load_lesson(lesson), Theme(), "handout.pdf", CREATED, PrintSetup("A5"))
    with opened(data) as pdf:
        page = next(p for p in pdf.pages if "Chongqing" in p.extract_text())
        rects = [r for r in page.rects if 10 < r["width"] < page.width / 3 and r["height"] > 20]
        labels = [c for c in page.chars if c["text"].strip() and c["text"] in label]
    boxes = {round(r["x0"] / 10): (r["x0"], r["x1"]) for r in sorted(rects, key=lambda r: r["x1"])}
    assert len(boxes) == 4 and len(labels) >= 4 * len(label.replace(" ", ""))
    for char in labels:  # each label's letters inside the box of its figure
        assert any(left <= char["x0"] and char["x1"] <= right for left, right in boxes.values())


def test_a_heading_that_wraps_keeps_its_last_phrase_whole() -> None:
    """On A5 the part titles wrap: at their comma ("…为基础，/ 应对能力挑战"), not inside
    the phrase after it ("…为基础，应 / 对能力挑战")."""
    with opened(rendered(SEED, "handout.pdf", "A5")) as pdf:
        rows = ["".join(c["text"] for c in row) for page in pdf.pages for row in lines_of(page)]
    for phrase in ("应对理论挑战", "应对能力挑战", "应对变革挑战"):
        assert any(phrase in row for row in rows), phrase
    for section in load_lesson(SEED).lesson.sections:  # the bookmarks read as typed
        assert any(
            section.title in title for title in outline_titles(rendered(SEED, "handout.pdf", "A5"))
        )


def test_the_end_of_a_text_is_joined_where_a_line_must_not_break() -> None:
    from builder.render.print.markup import html

    joiner, space = "\u2060", "\u00a0"
    assert str(html("超大城市现代化治理水平面临的挑战。" * 2)).endswith(f"的挑{joiner}战。")
    assert str(html("Who may use, change and share the code, " * 2 + "and how?")).endswith(
        f"code, and{space}how?"
    )
    assert joiner not in str(html("一个要点"))  # one line anyway
    long = "基层治理要素协同推动重组现代化" * 3 + "的挑战。"
    assert joiner not in str(html(long, keep=False))  # a narrow box: a figure's label
    # Across **emphasis**, whichever side the two letters are on.
    ending = "基层治理要素协同推动重组现代化" * 3
    assert str(html(ending + "，**挑战**。")).endswith(f"<strong>挑{joiner}战</strong>。")
    assert str(html(ending + "挑**战**。")).endswith(f"挑{joiner}<strong>战</strong>。")
    assert space not in str(html("Patents " * 9 + "extraordinarily incomprehensible"))


@given(st.text(alphabet="治理块条abc XY“”‘’—…。，！：（《》）**<&", max_size=80))
def test_inline_markup_is_whole_and_shows_the_text_as_typed(text: str) -> None:
    from lxml import etree
    from markupsafe import escape

    from builder.render.print.markup import html
    from builder.text.inline import plain

    markup = str(html(text)).replace("<wbr>", "<wbr/>")
    element = etree.fromstring(f"<p>{markup}</p>")  # raises where tags are not whole
    shown = re.sub(r"<[^>]*>", "", markup).replace("\u2060", "").replace("\u00a0", " ")
    assert shown == str(escape(plain(text)))  # joiners are all it adds
    assert "".join(element.itertext()).replace("\u2060", "").replace("\u00a0", " ") == plain(text)


def test_quotation_marks_give_a_break_only_beside_chinese() -> None:
    from builder.render.print.markup import html

    def marked(text: str) -> str:
        return re.sub(r'<span class="[\w-]+">|</span>', "", str(html(text)))

    assert marked("哪些“条”和“块”，") == "哪些<wbr>“条”<wbr>和<wbr>“块”，"
    assert marked("“上系统”“建平台”") == "“上系统”<wbr>“建平台”"
    assert marked("他说：“好。”然后") == "他说：“好。”<wbr>然后"  # never before ： or 。
    assert marked("It’s “quoted” text, ‘this’ too") == "It’s “quoted” text, ‘this’ too"


def page_texts(data: bytes) -> list[str]:
    """Each page's text with line breaks removed, so a phrase can be found across lines."""
    with opened(data) as pdf:
        return ["".join(page.extract_text().split()) for page in pdf.pages]


def test_question_cards_break_only_between_their_blocks_and_fill_the_pages() -> None:
    """A card whose question, hints and follow-ups were kept whole left pages half empty
    (the seed's guide: 5 pages for 7 questions); now a card may continue on the next page,
    but only between its blocks: a question stays with its first hint, a list is whole."""
    from builder.text.inline import plain

    def key(text: str) -> str:
        return "".join(plain(text).split())[:12]

    for lesson in (SEED, ENGLISH):
        pages = page_texts(rendered(lesson, "questions-facilitator.pdf"))
        for question in load_lesson(lesson).lesson.questions:
            # The prompt is in the plan table too: the card is its last appearance.
            card = max(i for i, text in enumerate(pages) if key(question.prompt) in text)
            assert key(question.hints[0]) in pages[card], (lesson.name, question.prompt)
            for items in (question.hints, question.follow_up):
                if items:
                    page = next(i for i in range(card, len(pages)) if key(items[0]) in pages[i])
                    assert key(items[-1]) in pages[page], (lesson.name, items)
    assert len(page_texts(rendered(SEED, "questions-facilitator.pdf"))) <= 4


def test_the_session_plan_leaves_no_row_alone_on_a_page(tmp_path: Path) -> None:
    """Plans long enough to cross pages (30 rows leave the last one alone without the
    rule): each page a plan is on holds two of its rows or more."""
    for count in (29, 30, 31):
        folder = tmp_path / str(count)
        shutil.copytree(FIXTURES / "minimal", folder)
        source = folder / "lesson.yaml"
        questions = "".join(
            f"  - prompt: 第{n}题：结合本单位实际，谈谈基层治理中有哪些治理要素仍处于分散状态？"
            f"怎样以协同效应推动这些要素重组？\n    minutes: 2\n"
            for n in range(1, count + 1)
        )
        text = source.read_text(encoding="utf-8").replace("duration: 20", f"duration: {2 * count}")
        source.write_text(text.split("questions:")[0] + "questions:\n" + questions, "utf-8")
        guide = render_pdf(load_lesson(folder), Theme(), "questions-facilitator.pdf", CREATED)
        rows = [len(re.findall(r"\d:\d\d–\d:\d\d", text)) for text in page_texts(guide)]
        assert sum(rows) == count
        assert all(n == 0 or n >= 2 for n in rows), (count, rows)


def outline_titles(data: bytes) -> list[str]:
    from pypdf import PdfReader

    def walk(entries: list) -> list[str]:
        out = []
        for entry in entries:
            out += walk(entry) if isinstance(entry, list) else [entry.title]
        return out

    return walk(PdfReader(io.BytesIO(data)).outline)


def test_bookmarks_read_as_numbered_headings_in_each_language() -> None:
    english = outline_titles(rendered(ENGLISH, "handout.pdf"))
    assert "1. Why a licence at all" in english
    assert "1.1 No licence means no permission" in english
    chinese = outline_titles(rendered(SEED, "handout.pdf"))
    assert "一、以国家治理体系与治理能力现代化为指导，应对理论挑战" in chinese
    assert "（一）治理要素重组的理论挑战" in chinese


def test_straight_quotes_typed_in_prose_print_curly() -> None:
    from builder.render.print.markup import curly

    assert curly("Open source doesn't mean \"free\", the '90s said") == (
        "Open source doesn’t mean “free”, the ’90s said"
    )
    assert (
        curly("your dependencies' licences; 'quoted'.") == "your dependencies’ licences; ‘quoted’."
    )
    assert curly('<img src="x"> and 他说"好"') == '<img src="x"> and 他说"好"'  # not prose
    with opened(rendered(ENGLISH, "handout.pdf")) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "doesn’t" in text and "institution’s" in text
    assert "'" not in text and '"' not in text


def test_english_print_is_set_in_the_latin_manner() -> None:
    with opened(rendered(ENGLISH, "handout.pdf")) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
        chars = [c for page in pdf.pages for c in page.chars]
        gaps = baseline_gaps(pdf.pages[0], size=10.5)
    assert "— Open Source Initiative" in text and "——" not in text
    bold_body = {c["fontname"].split("+")[-1] for c in chars if "Bold" in c["fontname"]}
    bold_body &= {c["fontname"].split("+")[-1] for c in chars if round(c["size"], 1) == 10.5}
    assert bold_body and all("Serif" in name for name in bold_body), bold_body
    assert round(gaps, 1) == round(10.5 * 1.5, 1)
    with opened(rendered(SEED, "handout.pdf")) as pdf:
        assert baseline_gaps(pdf.pages[0], size=11) >= 11 * 1.8  # Chinese stays open
        strong = [
            c
            for page in pdf.pages
            for c in page.chars
            if "Bold" in c["fontname"] and round(c["size"], 1) == 11
        ]
        assert strong and all("Sans" in c["fontname"] for c in strong)  # 黑体 for emphasis


def baseline_gaps(page: pdfplumber.page.Page, size: float) -> float:
    """The most common distance between consecutive baselines of body text of size."""
    from collections import Counter

    baselines = sorted(
        {round(c["matrix"][5], 2) for c in page.chars if round(c["size"], 1) == size}
    )
    return Counter(round(b - a, 2) for a, b in itertools.pairwise(baselines)).most_common(1)[0][0]


def test_words_in_capitals_are_not_hyphenated() -> None:
    for artifact in PRINTED:
        with opened(rendered(ENGLISH, artifact)) as pdf:
            for page in pdf.pages:
                for line in page.extract_text().splitlines():
                    if line.endswith("\u2010"):
                        word = line.split()[-1].rstrip("\u2010")
                        assert not word.isupper(), (artifact, line)


def test_reading_titles_are_cited_once_in_chinese_punctuation(tmp_path: Path) -> None:
    reading = (
        "closing:\n  reading:\n"
        "    - {title: 《英国工人阶级状况》, author: 恩格斯, note: 一部实地调查}\n"
        "    - {title: 资本论, note: 第一卷}\n"
        "questions:"
    )
    lesson = lesson_with(tmp_path, "questions:", reading)
    handout = render_pdf(load_lesson(lesson), Theme(), "handout.pdf", CREATED)
    text = "".join(page_texts(handout))
    assert "恩格斯：《英国工人阶级状况》——一部实地调查" in text
    assert "《资本论》——第一卷" in text
    assert "《《" not in text


def test_dates_are_written_as_each_language_writes_them() -> None:
    from builder.text.dates import long_date

    assert long_date(dt.date(2024, 7, 1), "zh-CN") == "2024年7月1日"
    assert long_date(dt.date(2024, 12, 25), "zh-Hant-TW") == "2024年12月25日"
    assert long_date(dt.date(2024, 7, 1), "en") == "1 July 2024"
    assert long_date(dt.date(2024, 10, 1), "en-GB") == "1 October 2024"
    assert "2024年7月1日" in page_texts(rendered(SEED, "handout.pdf"))[0]
    assert "1October2024" in page_texts(rendered(ENGLISH, "handout.pdf"))[0]


def test_a_handout_without_subtitle_has_no_subject_repeating_its_title() -> None:
    from pypdf import PdfReader

    def info(lesson: Path, artifact: str) -> dict:
        return dict(PdfReader(io.BytesIO(rendered(lesson, artifact))).metadata)

    assert load_lesson(SEED).lesson.subtitle is None
    handout = info(SEED, "handout.pdf")
    assert handout["/Title"] == load_lesson(SEED).lesson.title
    assert "/Subject" not in handout
    # A sheet's Title is "讨论题单 · title": the lesson's title is its Subject.
    assert info(SEED, "questions.pdf")["/Subject"] == handout["/Title"]
    english = info(ENGLISH, "handout.pdf")
    assert english["/Subject"] == "A practical guide for research software teams"


def test_every_pdf_opens_with_an_outline_of_its_parts_and_questions() -> None:
    from pypdf import PdfReader

    for lesson, words in ((SEED, ("学习目标", "导语")), (ENGLISH, ("Learning objectives",))):
        questions = load_lesson(lesson).lesson.questions
        numbered = [f"{i}. {q.prompt.replace('**', '')}" for i, q in enumerate(questions, 1)]
        for artifact in PRINTED:
            data = rendered(lesson, artifact)
            assert PdfReader(io.BytesIO(data)).trailer["/Root"]["/PageMode"] == "/UseOutlines"
            titles = outline_titles(data)
            if artifact == "handout.pdf":
                assert titles[: len(words)] == list(words), titles
            else:
                assert [t for t in titles if t[0].isdigit()] == numbered
    assert "Introduction" in outline_titles(rendered(ENGLISH, "handout.pdf"))


LONG_URL = (
    "https://www.gov.cn/zhengce/zhengceku/2021-04/28/content_5603729.htm"
    "?source=lectern&section=community-governance-and-grid-work#paragraph-twelve"
)
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
A4_TEXT_BLOCK_MM = (25.0, 210.0 - 20.0)
"""The built-in theme's A4 right-hand page: 25 mm inner margin, 20 mm outer (print.css);
a left-hand page's is mirrored."""


def test_long_addresses_and_words_stay_inside_the_text_block(tmp_path: Path, lesson_copy) -> None:
    folder = lesson_copy(FIXTURES / "minimal")
    text = (folder / "lesson.yaml").read_text(encoding="utf-8")
    text = text.replace("一段正文。", f"一段正文，详见{LONG_URL}。\n      English: {LONG_WORD}.")
    text = text.replace("一个问题？", f"读一读 {LONG_URL} 谈谈体会？")
    text += f"closing:\n  reading:\n    - title: 文件\n      url: {LONG_URL}\n"
    (folder / "lesson.yaml").write_text(text, encoding="utf-8")
    output = tmp_path / "out"
    result = run_lectern("build", folder, "--output", output)
    assert result.returncode == 0, result.stderr
    mm = 72 / 25.4
    left, right = (edge * mm for edge in A4_TEXT_BLOCK_MM)
    blocks = ((left, right), (210 * mm - right, 210 * mm - left))  # right- and left-hand
    for name in ("handout.pdf", "questions.pdf", "questions-facilitator.pdf"):
        with pdfplumber.open(output / folder.name / name) as pdf:
            chars, outside = [], []
            for number, page in enumerate(pdf.pages):
                low, high = blocks[number % 2]
                shown = [c for c in page.chars if c["text"].strip()]
                chars += shown
                outside += [c["text"] for c in shown if c["x0"] < low - 0.5 or c["x1"] > high + 0.5]
            assert outside == [], (name, "".join(outside))
            shown = "".join(c["text"] for c in chars)
            lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
        # An address's own hyphen never ends a line: it would read as a word hyphenated.
        assert [line for line in lines if line.endswith("-")] == [], name
        squeezed = re.sub(r"\s", "", shown)
        assert LONG_URL in squeezed, name  # whole: broken without a hyphen, nothing lost


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ('<a rel="attachment" href="x">', '<a rel="attachment" href="x">'),
        ('set lang="zh" and "we agree"', 'set lang="zh" and \u201cwe agree\u201d'),
        ('He said "yes', 'He said "yes'),
        ("the students' books", "the students\u2019 books"),
        ("'quoted' words", "\u2018quoted\u2019 words"),
    ],
)
def test_straight_quotes_are_curled_in_pairs_or_not_at_all(typed: str, printed: str) -> None:
    from builder.render.print.markup import curly

    assert curly(typed) == printed


@given(st.text(alphabet=st.sampled_from(list("ab =\"'.,( )x")), max_size=40))
def test_every_curled_double_quote_has_its_partner(text: str) -> None:
    from builder.render.print.markup import curly

    curled = curly(text)
    assert curled.count("\u201c") == curled.count("\u201d")
    assert len(curled) == len(text)
