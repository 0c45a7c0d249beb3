"""Completeness: what a session needs that the lesson does not yet say."""

from __future__ import annotations

from collections.abc import Iterator

from builder.check.findings import Finding
from builder.sourcemap import LoadedLesson


def completeness(loaded: LoadedLesson) -> Iterator[Finding]:
    lesson, where = loaded.lesson, loaded.source_map.locate
    if not lesson.questions:
        yield Finding(where(("title",)), "completeness", "the lesson has no discussion questions")
    planned = sum(q.minutes for q in lesson.questions) + lesson.closing.minutes
    if planned > lesson.duration:
        yield Finding(
            where(("duration",)),
            "completeness",
            f"discussion and wrap-up take {planned} minutes; the session has {lesson.duration}",
        )

    def walk(sections, prefix):
        for i, section in enumerate(sections):
            path = (*prefix, i)
            if section.prose and not section.points:
                yield Finding(
                    where((*path, "title")),
                    "completeness",
                    f'section "{section.title}" has prose but no slide points',
                )
            yield from walk(section.sections, (*path, "sections"))

    yield from walk(lesson.sections, ("sections",))
