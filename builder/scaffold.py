"""``lectern new``: a starter lesson, copied from the theme, that builds as it stands."""

from __future__ import annotations

import re
from pathlib import Path

from builder.artifacts import write_atomic
from builder.errors import Location, Problem, SourceError
from builder.source import LESSON_FILE
from builder.theme import BUILTIN

_SAFE_NAME = re.compile(r"^[\w][\w.-]{0,63}$")


def create_lesson(content: Path, name: str, language: str) -> Path:
    """Write content/name/lesson.yaml; refuse unsafe names and never overwrite a lesson."""
    if not _SAFE_NAME.match(name) or name in (".", ".."):
        raise SourceError(
            [Problem(Location(Path(name)), "lesson names are letters, digits, '-', '_' and '.'")]
        )
    target = content / name / LESSON_FILE
    if target.exists():
        raise SourceError([Problem(Location(target), "a lesson already exists here")])
    starter = (BUILTIN / "scaffold" / f"lesson.{language}.yaml").read_bytes()
    write_atomic(target, starter)
    return target
