"""Where a finding shows: the slides planned from its field, the print pages with its text.

A finding is located in the source (``sections[1].points[0]``); the lecturer looks at
slides and pages. The deck plan records the source field each slide was planned from,
and a print page holds the text it prints, so both are found from the finding's field.
"""

from __future__ import annotations

import re
from typing import Any

from builder.check.findings import Finding

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
SNIPPET = 12
"""Characters of a field's text (spaces and markup left out) looked for on a page."""


def field_path(field: str | None) -> tuple:
    """``sections[1].points[0]`` as the path ``("sections", 1, "points", 0)``."""
    if not field:
        return ()
    return tuple(int(index) if index else name for name, index in _STEP.findall(field))


def _value(data: Any, path: tuple) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _squeezed(text: str) -> str:
    return re.sub(r"\s+|\*\*", "", text)


def slides_of(finding: Finding, origins: list[tuple]) -> list[int]:
    """The slide numbers (from 1) planned from the finding's field or a field around it."""
    path = field_path(finding.location.field)
    return [
        number
        for number, origin in enumerate(origins, 1)
        if origin and (path[: len(origin)] == origin or origin[: len(path)] == path)
    ]


def pages_of(finding: Finding, lesson: dict, texts: dict[str, list[str]]) -> list[list]:
    """[document, page number] of the first page of each print document that shows the
    finding's text; texts are each document's pages' text."""
    value = _value(lesson, field_path(finding.location.field))
    if not isinstance(value, str) or not _squeezed(value):
        return []
    snippet = _squeezed(value)[:SNIPPET]
    found = []
    for document, pages in texts.items():
        for number, text in enumerate(pages, 1):
            if snippet in _squeezed(text):
                found.append([document, number])
                break
    return found
