"""The loader: every broken lesson gets a located message naming file, line, column, field."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.errors import SourceError
from builder.source import load_lesson
from tests.conftest import FIXTURES

BROKEN = FIXTURES / "broken"


def problems_of(case: str) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_lesson(BROKEN / case)
    return [p.render() for p in caught.value.problems]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "syntax",
            "syntax/lesson.yaml:8:11: error: YAML syntax error: while parsing a flow "
            "sequence, did not find expected ',' or ']' (it began at line 7, column 12); "
            "a value that begins with [ or { is read as a list or mapping: quote it",
        ),
        (
            "misspelt",
            "misspelt/lesson.yaml:1:1: error: titel: unknown field 'titel' (did you mean 'title'?)",
        ),
        (
            "wrong-type",
            "wrong-type/lesson.yaml:5:11: error: duration: expected a whole number, got '二十分钟'",
        ),
        (
            "missing-field",
            "missing-field/lesson.yaml:1:1: error: authors: required field is missing",
        ),
        ("empty-title", "empty-title/lesson.yaml:1:8: error: title: must not be empty"),
        (
            "duplicate-key",
            "duplicate-key/lesson.yaml:8:5: error: sections[0].title: "
            "duplicate key 'title' (first given on line 7)",
        ),
        (
            "yaml11",
            "yaml11/lesson.yaml:15:14: error: questions[0].minutes: expected a whole "
            "number, got '1.10'",
        ),
        (
            "missing-image",
            "missing-image/lesson.yaml:9:14: error: sections[0].images[0].src: "
            "image 'pictures/not-there.png': file not found",
        ),
        (
            "not-utf8",
            "not-utf8/lesson.yaml:1:8: error: file is not valid UTF-8 "
            "(it looks like GBK/GB18030: save it as UTF-8)",
        ),
    ],
)
def test_broken_lesson_is_reported_with_its_location(case: str, expected: str) -> None:
    problems = problems_of(case)
    assert len(problems) == 1
    assert problems[0].endswith(expected)
    assert problems[0].startswith(str(BROKEN)) or problems[0].startswith("tests/")


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    problems = problems_of("many-problems")
    assert [p.split(": error: ")[1].split(":")[0] for p in problems] == [
        "titel",
        "authors[0].name",
        "date",
        "questions[0].minutes",
    ]
    lines = [int(p.split("lesson.yaml:")[1].split(":")[0]) for p in problems]
    assert lines == sorted(lines)


def test_yaml_11_words_and_decimals_stay_text(tmp_path: Path) -> None:
    source = (BROKEN / "yaml11" / "lesson.yaml").read_text(encoding="utf-8")
    fixed = source.replace("minutes: 1.10", "minutes: 10")
    (tmp_path / "lesson.yaml").write_text(fixed, encoding="utf-8")
    lesson = load_lesson(tmp_path).lesson
    assert lesson.title == "no"
    assert lesson.subtitle == "on"
    assert lesson.series == "1.10"
    assert lesson.authors[0].name == "yes"
    assert lesson.sections[0].title == "off"
    assert lesson.sections[0].points == ["1.10"]


def test_utf8_bom_and_utf16_lessons_load(tmp_path: Path) -> None:
    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    for encoding, name in (("utf-8-sig", "bom"), ("utf-16", "utf16")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "lesson.yaml").write_bytes(text.encode(encoding))
        assert load_lesson(folder).lesson.title == "最小课程"


def test_unicode_line_and_paragraph_separators_read_as_newlines(tmp_path: Path) -> None:
    """Pasted from web pages: they mean a line break and a new paragraph."""
    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    text = text.replace("prose: |\n      一段正文。", 'prose: "第一段\\u2029第二段"').replace(
        "prompt: 一个问题？", 'prompt: "问题\\u2028换行"'
    )
    (tmp_path / "lesson.yaml").write_text(text, encoding="utf-8")
    lesson = load_lesson(tmp_path).lesson
    assert lesson.sections[0].prose == "第一段\n\n第二段"
    assert lesson.questions[0].prompt == "问题\n换行"


def problem_after(tmp_path: Path, old: str, new: str):
    """The one problem of the minimal lesson with old replaced by new."""
    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    (tmp_path / "lesson.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_lesson(tmp_path)
    [problem] = caught.value.problems
    return problem


def test_reference_to_unknown_section_is_located(tmp_path: Path) -> None:
    problem = problem_after(tmp_path, "section: one", "section: onee")
    assert problem.location.line == 17
    assert problem.location.field == "questions[0].section"
    assert "did you mean 'one'?" in problem.message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: 最小课程",
            "title: " + "长" * 201,
            "2:8: error: title: at most 200 characters (it is set as a slide title and a "
            "running header); this one has 201",
        ),
        (
            "一段正文。",
            "**甲**乙" * 201,
            "12:12: error: sections[0].prose: at most 200 emphasised stretches (**…**) in one text",
        ),
        (
            "prompt: 一个问题？",
            "prompt: " + "问" * 1001,
            "15:13: error: questions[0].prompt: at most 1000 characters (print keeps it whole "
            "on one page); this one has 1001",
        ),
        (
            "    section: one\n",
            "    section: one\n    hints: [" + "提" * 1001 + "]\n",
            "18:13: error: questions[0].hints[0]: at most 1000 characters (print keeps it "
            "whole on one page); this one has 1001",
        ),
    ],
    ids=["long title", "emphasis", "long prompt", "long hint"],
)
def test_inputs_that_would_stall_or_break_a_renderer_are_refused_where_typed(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    """Limits WeasyPrint and the slide metadata need, stated where the author typed."""
    assert problem_after(tmp_path, old, new).render().endswith(expected)


@pytest.mark.parametrize("typed", ["2_0", "+20", '" 20 "', "20.0", "0x14", "二十"])
def test_a_whole_number_is_digits_as_typed(tmp_path: Path, typed: str) -> None:
    """Every value is read as the text typed: Python's int() would also take 2_0 and +20."""
    problem = problem_after(tmp_path, "duration: 20", f"duration: {typed}")
    assert problem.message == f"expected a whole number, got '{typed.strip(chr(34))}'"
    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    (tmp_path / "lesson.yaml").write_text(text.replace("duration: 20", "duration: 020"))
    assert load_lesson(tmp_path).lesson.duration == 20


def test_a_tab_in_the_indentation_is_named(tmp_path: Path) -> None:
    problem = problem_after(tmp_path, "  - name: 测试者", "\t- name: 测试者")
    assert (problem.location.line, problem.location.column) == (4, 1)
    assert "a tab indents this line; YAML indents with spaces" in problem.message


def test_a_language_tag_with_an_underscore_is_told_the_tag(tmp_path: Path) -> None:
    newline = problem_after(tmp_path, "duration: 20", "duration: 20\nlanguage: |\n  zh-CN")
    assert newline.location.field == "language"  # "zh-CN\n" would reach the PDF's /Lang
    problem = problem_after(tmp_path, "duration: 20", "duration: 20\nlanguage: zh_CN")
    assert problem.location.field == "language"
    assert problem.message.endswith("got 'zh_CN' (did you mean 'zh-CN'?)")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://[::1", "not a link a reader can follow (Invalid IPv6 URL)"),
        ("https://example.org:99999/", "not a link a reader can follow"),
        ("https://example.org/\u202egnp.exe", "must not hold control or direction characters"),
        ("javascript:alert(1)", "a link is one web or mail address (http://, https:// or"),
        ("https://e.org/a b", "without spaces"),
    ],
)
def test_reading_links_must_be_links_a_reader_can_follow(tmp_path: Path, url, why) -> None:
    reading = f'closing:\n  reading:\n    - title: 一本书\n      url: "{url}"\n'
    problem = problem_after(tmp_path, "    section: one\n", "    section: one\n" + reading)
    assert problem.location.field == "closing.reading[0].url"
    assert why in problem.message


_SCALAR = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
)


@settings(max_examples=150, deadline=None)
@given(title=_SCALAR, minutes=_SCALAR, point=_SCALAR)
def test_any_scalar_values_load_or_fail_with_a_location(tmp_path_factory, title, minutes, point):
    import json

    folder = tmp_path_factory.mktemp("prop")
    # JSON is YAML: json.dumps quotes any text safely, so the structure stays intact.
    quoted = {
        k: json.dumps(v, ensure_ascii=False)
        for k, v in (("title", title), ("minutes", minutes), ("point", point))
    }
    document = (
        f"title: {quoted['title']}\nauthors:\n  - name: A\ndate: 2025-01-02\nduration: 30\n"
        f"sections:\n  - title: S\n    points:\n      - {quoted['point']}\n"
        f"questions:\n  - prompt: Q\n    minutes: {quoted['minutes']}\n"
    )
    (folder / "lesson.yaml").write_text(document, encoding="utf-8")
    try:
        lesson = load_lesson(folder).lesson
    except SourceError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.location.line is not None
    else:
        assert lesson.title == title.strip()
        assert lesson.questions[0].minutes == int(minutes)
