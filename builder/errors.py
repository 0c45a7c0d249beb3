"""Error types. Every error a user can cause carries where it happened.

The CLI prints these like a compiler (``file:line:col: field: message``) and exits
non-zero; anything that is not a ``LecternError`` is a bug in Lectern and keeps its
traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.text.invisible import shown


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column count from 1, field is a dotted path."""

    file: Path
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = display_path(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def sort_key(self) -> tuple:
        """Reading order: by file, then line and column (a whole-file problem first)."""
        return (str(self.file), self.line or 0, self.column or 0)


def display_path(path: Path) -> str:
    """A path relative to the working directory when it lies below it, as users typed it."""
    try:
        return printable(str(path.resolve().relative_to(Path.cwd().resolve())))
    except (ValueError, OSError, RuntimeError):  # outside the cwd, or a symlink loop
        return printable(str(path))


def printable(name: str) -> str:
    """name as it can be shown on one line of a terminal or a log: quoted and escaped like
    Python's repr when it holds a character that is not printable (a newline or U+2028
    would break the message in two, U+202E would reverse it) or bytes that are not UTF-8,
    as itself otherwise."""
    return name if name.isprintable() else repr(name)


@dataclass(frozen=True)
class Problem:
    """One located problem in a user's input."""

    location: Location
    message: str

    def __str__(self) -> str:
        return self.render()

    def render(self, severity: str = "error") -> str:
        """Compiler style: ``file:line:col: error: field.path: message``."""
        field = f"{self.location.field}: " if self.location.field else ""
        return f"{self.location}: {severity}: {field}{shown(self.message)}"


class Refusal(ValueError):
    """A validator's refusal of a value, its message kept as a template and its values
    apart, so the message can be shown in the reader's language."""

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(template.format(**values))

    def translated(self) -> str:
        from builder.i18n import _

        return _(self.template).format(**self.values)


class LecternError(Exception):
    """Base of every error caused by input, templates or the environment, not by a bug."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(Location(Path("lectern")), problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self):
        # Keep the located problems when an error crosses from a worker process.
        return (self.__class__, (self.problems,))


class SourceError(LecternError):
    """A lesson file cannot be read or does not follow the lesson format."""


class TemplateError(LecternError):
    """A theme template or slide master is broken or lacks what Lectern needs."""


class OutputError(LecternError):
    """An output cannot be written where or as asked."""


class RenderError(LecternError):
    """A renderer met something it cannot draw (a missing font, a refused resource)."""


class DependencyError(LecternError):
    """An installed library or font is missing, or a version Lectern does not work with:
    the machine's problem, said as one line each, not located in a file."""

    def __init__(self, problems: list[Problem] | list[str]) -> None:
        here = Location(Path("lectern"))
        super().__init__([p if isinstance(p, Problem) else Problem(here, p) for p in problems])


class MissingToolError(LecternError):
    """A program an artifact needs (LibreOffice) is not installed."""


class FindingsError(LecternError):
    """``--strict`` turned content findings into a failure."""

    exit_code = 1

    def __init__(self, findings: list) -> None:
        self.findings = findings
        super().__init__([Problem(f.location, f"{f.code}: {f.message}") for f in findings])

    def __reduce__(self):
        return (self.__class__, (self.findings,))
