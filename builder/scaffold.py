"""``lectern new``: a starter lesson, copied from the theme, that builds as it stands."""

from __future__ import annotations

from pathlib import Path

from builder.artifacts import unsafe_because, write_atomic
from builder.errors import Location, Problem, SourceError
from builder.sourcemap import LESSON_FILE
from builder.theme import BUILTIN


def create_lesson(content: Path, name: str, language: str) -> Path:
    """Write content/name/lesson.yaml; refuse unsafe names and never overwrite a lesson.

    A name is checked by the rule the build applies to lesson folders (which name their
    output folders), so a lesson made here can be built.
    """
    why = unsafe_because(name)
    if why:
        raise SourceError(
            [Problem(Location(Path(name or ".")), f"lesson name {name!r} {why}; choose another")]
        )
    target = content / name / LESSON_FILE
    if target.exists():
        raise SourceError([Problem(Location(target), "a lesson already exists here")])
    starter = (BUILTIN / "scaffold" / f"lesson.{language}.yaml").read_bytes()
    write_atomic(target, starter)
    return target
