"""What the print templates see: the lesson as plain, frozen data, with derived numbering,
plans and labels.

Theme templates may come from a stranger's repository, so they get data, never objects:
read-only mappings (``types.MappingProxyType``), tuples, strings, numbers, booleans and
``None``, plus the few functions Lectern documents. A pydantic model or a ``Path`` would
hand a template every public method it has (``parse_raw`` unpickles, ``parse_file``
reads any file); plain data has none. ``freeze`` refuses any other type, so a new field
of an unexpected kind fails here, in a test, not in a theme.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from builder.model import Lesson, Section
from builder.text.citation import attribution, work_title
from builder.text.dates import long_date
from builder.text.labels import labels
from builder.text.numbering import heading_number

Data = MappingProxyType
"""A record a template reads: fields by name (``lesson.title``), nothing else."""


class TemplateFunction:
    """A function Lectern offers templates; the sandbox calls nothing else of ours."""

    __slots__ = ("_function", "name")

    def __init__(self, name: str, function: Callable[..., Any]) -> None:
        self.name = name
        self._function = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._function(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<function {self.name}>"


def freeze(value: Any) -> Any:
    """Plain, immutable template data from JSON-like values (dates become ISO text)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    raise TypeError(f"{type(value).__name__} is not template data")


def _section(section: Section, chinese: bool, trail: tuple[int, ...]) -> dict[str, Any]:
    """A section's fields with its generated heading number, depth, anchor and children."""
    data = section.model_dump(mode="json", exclude={"sections"})
    data["number"] = heading_number(trail, chinese)
    data["depth"] = len(trail)
    data["anchor"] = "s-" + "-".join(map(str, trail))
    data["sections"] = [
        _section(child, chinese, (*trail, i)) for i, child in enumerate(section.sections, 1)
    ]
    return data


def _sections_by_id(sections: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for section in sections:
        if section["id"] is not None:
            found.setdefault(section["id"], section)
        for key, child in _sections_by_id(section["sections"]).items():
            found.setdefault(key, child)
    return found


def session_plan(lesson: Lesson, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The talk, each question and the wrap-up with their running start and end minute."""
    words = labels(lesson.language)
    rows: list[dict[str, Any]] = []
    clock = 0

    def row(minutes: int, activity: str, question=None, index=None) -> None:
        nonlocal clock
        rows.append(
            {
                "start": clock,
                "end": clock + minutes,
                "activity": activity,
                "question": question,
                "index": index,
            }
        )
        clock += minutes

    if lesson.lecture_minutes:
        row(lesson.lecture_minutes, words["lecture"])
    for index, question in enumerate(questions, start=1):
        row(question["minutes"], words["discussion"], question, index)
    if lesson.closing.minutes:
        row(lesson.closing.minutes, words["closing"])
    return rows


def answer_lines(question: Mapping[str, Any]) -> int:
    """Ruled lines to leave for an answer: two per minute of discussion, within bounds."""
    return max(4, min(14, int(question["minutes"]) * 2))


def _long_date(date: str, language: str) -> str:
    return long_date(dt.date.fromisoformat(date), language)


FUNCTIONS = {
    "answer_lines": answer_lines,
    "work_title": work_title,
    "attribution": attribution,
    "long_date": _long_date,
}
"""The functions every print template may call, besides Jinja's own filters."""


def print_context(lesson: Lesson, **extra: Any) -> dict[str, Any]:
    """The variables every print template receives: frozen data and Lectern's functions.

    ``extra`` adds data (``created``) or functions (``image_url``) for one document.
    """
    chinese = lesson.is_chinese
    data = lesson.model_dump(mode="json")
    sections = [_section(s, chinese, (i,)) for i, s in enumerate(lesson.sections, 1)]
    by_id = _sections_by_id(sections)
    data["sections"] = sections
    data["is_chinese"] = chinese
    data["lecture_minutes"] = lesson.lecture_minutes
    for question in data["questions"]:
        question["related"] = by_id.get(question["section"]) if question["section"] else None
    variables: dict[str, Any] = {
        "lesson": data,
        "labels": labels(lesson.language),
        "chinese": chinese,
        "sections": sections,
        "plan": session_plan(lesson, data["questions"]),
    }
    functions = dict(FUNCTIONS)
    for name, value in extra.items():
        if callable(value):
            functions[name] = value
        else:
            variables[name] = value
    context = {name: freeze(value) for name, value in variables.items()}
    context.update({name: TemplateFunction(name, f) for name, f in functions.items()})
    return context
