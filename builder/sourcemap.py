"""Where a lesson's values were typed: its source map, and the search for text through it.

Everything that points a reader at a place in a lesson file (the loader's problems, the
checks' findings, a renderer's missing glyph) locates it here. The module imports
neither YAML nor pydantic, so a finding kept from an earlier build is read back cheaply.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.artifacts import lesson_name
from builder.errors import Location, Problem

if TYPE_CHECKING:
    from builder.model import Lesson

LESSON_FILE = "lesson.yaml"
"""A lesson is a folder holding this file (and its pictures)."""

Path_ = tuple[str | int, ...]

NOT_PROSE = {"id", "src", "url", "language", "section", "kind", "lectern"}
"""Fields that hold names, paths or codes rather than prose for readers."""


def format_path(path: Path_) -> str:
    """``("sections", 2, "title")`` → ``sections[2].title``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass
class SourceMap:
    """Where each value of a lesson came from, by field path (``("sections", 0, "title")``)."""

    file: Path
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    refused: set[Path_] = field(default_factory=set)
    """Values the loader refused for their YAML tag: not reported again as invalid."""
    spans: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """First and last line of each unquoted value typed over several lines."""
    warnings: list[Problem] = field(default_factory=list)
    """Slips the loader accepted but an author may not have meant (a point run on)."""

    def locate(self, path: Path_, *, key: bool = False) -> Location:
        """The location of the value at path (or of its key), else of its nearest ancestor."""
        if key and path in self.key_positions:
            line, column = self.key_positions[path]
            return Location(self.file, line, column, format_path(path) or None)
        for end in range(len(path), -1, -1):
            if path[:end] in self.positions:
                line, column = self.positions[path[:end]]
                return Location(self.file, line, column, format_path(path) or None)
        return Location(self.file, field=format_path(path) or None)


@dataclass(frozen=True)
class LoadedLesson:
    """A validated lesson with the folder its assets live in and its source map."""

    lesson: Lesson
    path: Path
    source_map: SourceMap
    text: str
    typed_numbers: tuple[tuple[Path_, str], ...] = ()
    """Heading numbers the author typed (field path, number), removed from the titles."""

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def name(self) -> str:
        """The lesson folder's name, which names its output folder too (``some.yaml`` in
        the working directory is that directory's lesson, not a lesson called "")."""
        return lesson_name(self.folder)


def text_fields(loaded: LoadedLesson, *, prose_only: bool = False) -> Iterator[tuple[Path_, str]]:
    """Every text value of the lesson with its field path, in source order."""

    def walk(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
        if isinstance(value, dict):
            for key, item in value.items():
                if prose_only and key in NOT_PROSE:
                    continue
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, (*path, i))
        elif isinstance(value, str):
            yield path, value

    yield from walk(loaded.lesson.model_dump(exclude_defaults=False), ())


def locate(loaded: LoadedLesson, path: Path_, needle: str, start: int = 0) -> Location:
    """The location of needle as typed in the source, searched from the value at path.

    Values are found by the text the author typed, so the line and column point at the
    characters themselves, inside block scalars and quoted strings alike.
    """
    base = loaded.source_map.locate(path)
    field = format_path(path) or None
    if base.line is None:
        return Location(loaded.path, field=field)
    lines = loaded.text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: base.line - 1]) + (base.column or 1) - 1
    typed = _as_typed(needle)
    matches = typed.finditer(loaded.text, offset)
    for _ in range(start):
        next(matches, None)
    match = next(matches, None)
    if match is None:
        return Location(loaded.path, base.line, base.column, field)
    return location_at(loaded, match.start(), field)


def location_at(loaded: LoadedLesson, found: int, field: str | None = None) -> Location:
    """The location of the character at offset found of the lesson's source text."""
    line = loaded.text.count("\n", 0, found) + 1
    column = found - (loaded.text.rfind("\n", 0, found) + 1) + 1
    return Location(loaded.path, line, column, field)


_YAML_ESCAPES = {
    "\t": r"\\t",
    "\u00a0": r"\\_",
    "\u0085": r"\\N",
    "\u2028": r"\\L",
    "\u2029": r"\\P",
}


@functools.lru_cache(maxsize=1024)
def _as_typed(needle: str) -> re.Pattern[str]:
    """A pattern for needle as it may be typed in YAML: each character as itself or as an
    escape in a double-quoted value (``\\u202e``, ``\\x07``, ``\\_``), so a finding about an
    escaped character points at the escape, not at the start of the value."""
    parts = []
    for char in needle:
        code = ord(char)
        forms = [re.escape(char), rf"\\U(?i:{code:08x})"]
        if code <= 0xFFFF:
            forms.append(rf"\\u(?i:{code:04x})")
        if code <= 0xFF:
            forms.append(rf"\\x(?i:{code:02x})")
        if char in _YAML_ESCAPES:
            forms.append(_YAML_ESCAPES[char])
        parts.append("(?:" + "|".join(forms) + ")")
    return re.compile("".join(parts))


def locate_span(loaded: LoadedLesson, path: Path_, text: str, start: int, end: int) -> Location:
    """The location of text[start:end], a span of the value at path, in the source."""
    needle = text[start:end]
    return locate(loaded, path, needle, text.count(needle, 0, start))
