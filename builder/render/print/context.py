"""What the print templates see: the lesson plus derived numbering, plans and labels."""

from __future__ import annotations

from dataclasses import dataclass, field

from builder.model import Lesson, Question, Section
from builder.text.citation import attribution, work_title
from builder.text.dates import long_date
from builder.text.labels import labels
from builder.text.numbering import heading_number


@dataclass(frozen=True)
class NumberedSection:
    """A section with its generated heading number and anchor."""

    section: Section
    number: str
    depth: int
    anchor: str
    children: list[NumberedSection] = field(default_factory=list)


@dataclass(frozen=True)
class PlanRow:
    """One row of the facilitator's timed session plan."""

    start: int
    end: int
    activity: str
    question: Question | None = None
    index: int | None = None


def numbered(
    sections: list[Section], chinese: bool, trail: tuple[int, ...] = ()
) -> list[NumberedSection]:
    """Sections with their numbers (一、（一）1. for Chinese, 1. 1.1 otherwise)."""
    out = []
    for i, section in enumerate(sections, start=1):
        here = (*trail, i)
        out.append(
            NumberedSection(
                section,
                heading_number(here, chinese),
                len(here),
                "s-" + "-".join(map(str, here)),
                numbered(section.sections, chinese, here),
            )
        )
    return out


def session_plan(lesson: Lesson) -> list[PlanRow]:
    """The talk, each question and the wrap-up with their running start and end minute."""
    words = labels(lesson.language)
    rows, clock = [], 0
    talk = lesson.lecture_minutes
    if talk:
        rows.append(PlanRow(0, talk, words["lecture"]))
        clock = talk
    for index, question in enumerate(lesson.questions, start=1):
        rows.append(PlanRow(clock, clock + question.minutes, words["discussion"], question, index))
        clock += question.minutes
    if lesson.closing.minutes:
        rows.append(PlanRow(clock, clock + lesson.closing.minutes, words["closing"]))
    return rows


def answer_lines(question: Question) -> int:
    """Ruled lines to leave for an answer: two per minute of discussion, within bounds."""
    return max(4, min(14, question.minutes * 2))


def print_context(lesson: Lesson) -> dict:
    """The variables every print template receives."""
    return {
        "lesson": lesson,
        "labels": labels(lesson.language),
        "chinese": lesson.is_chinese,
        "sections": numbered(lesson.sections, lesson.is_chinese),
        "plan": session_plan(lesson),
        "answer_lines": answer_lines,
        "work_title": work_title,
        "attribution": attribution,
        "long_date": long_date,
    }
