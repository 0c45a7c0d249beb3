"""The usual YAML slips: each named with its fix at the line where the author made it,
and the unambiguous ones accepted."""

from __future__ import annotations

import pytest

from builder.check.run import check_lesson
from builder.errors import SourceError
from builder.source import load_lesson
from tests.conftest import FIXTURES

SLIPS = FIXTURES / "slips"


@pytest.mark.parametrize(
    ("case", "where", "says"),
    [
        ("full-width-colon", "2:6", "full-width colon '：' after 'title'; use a half-width colon"),
        ("colon-in-text", "15:15", 'put the whole text in quotes: prompt: "辩题: 居民'),
        ("percent-unit", "14:15", "cannot begin with '%' unquoted; put it in quotes: unit: \"%\""),
        ("item-out-of-line", "12:8", "indented 7 spaces, but line 11 at the same level is "),
        ("tab", "4:1", "a tab indents this line; YAML indents with spaces"),
        ("no-space-after-dash", "11:7", "'-' needs a space after it: write '- 一个要点'"),
        ("list-without-dashes", "11:7", "a list needs '- ' before each item"),
    ],
)
def test_a_slip_is_named_with_its_fix_where_it_was_made(case: str, where: str, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        load_lesson(SLIPS / case)
    [problem] = caught.value.problems
    location = problem.location
    assert f"{location.line}:{location.column}" == where
    assert says in problem.message


def test_a_point_run_on_to_the_next_line_is_a_warning_at_that_line() -> None:
    loaded = load_lesson(SLIPS / "continued-point")
    assert loaded.lesson.sections[0].points == ["一个要点， 接着写到下一行"]
    [warning] = [f for f in check_lesson(loaded) if f.code == "yaml"]
    assert (warning.location.line, warning.location.column) == (12, 9)
    assert "begin it with '- '" in warning.message


@pytest.mark.parametrize(
    ("case", "field", "value"),
    [
        ("chinese-date", "date", "2026-03-05"),
        ("chinese-id", "id", "实践"),
        ("minutes-unit", "minutes", "20 5"),
    ],
)
def test_unambiguous_forms_are_accepted(case: str, field: str, value: str) -> None:
    lesson = load_lesson(SLIPS / case).lesson
    got = {
        "date": lambda: lesson.date.isoformat(),
        "id": lambda: f"{lesson.sections[0].id}" if lesson.questions[0].section == "实践" else "",
        "minutes": lambda: f"{lesson.duration} {lesson.questions[0].minutes}",
    }[field]()
    assert got == value


def test_a_date_that_does_not_exist_is_still_refused(tmp_path) -> None:
    text = (SLIPS / "chinese-date" / "lesson.yaml").read_text(encoding="utf-8")
    (tmp_path / "lesson.yaml").write_text(text.replace("3月5日", "2月30日"), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_lesson(tmp_path)
    assert caught.value.problems[0].message == "there is no day 2026年2月30日"
