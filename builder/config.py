"""The project file ``lectern.yaml``: build settings an organisation sets once.

It sits beside ``content/`` and holds what would otherwise be repeated on every command
line: the organisation's slide master, its typeface, layout names, paper and aspect, and
how its print shop wants PDFs (binding, booklet, marks, PDF standard, grayscale).
Options given on the command line win over it. Paths in it are relative to the file.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from builder.errors import Location, Problem, SourceError
from builder.project import PROJECT_FILE
from builder.render.office import FROM_DECK


class ProjectConfig(BaseModel):
    """Settings for every build in a project."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slide_template: str | None = Field(None, description=".pptx or .potx slide master")
    slide_font: str | None = Field(None, description="Typeface for slide text")
    layouts: dict[str, str] = Field(default_factory=dict, description="Slide kind → layout")
    aspect: Literal["16:9", "4:3"] | None = None
    paper: Literal["A4", "A5", "B5", "16K", "A3", "Letter"] | None = None
    binding: Literal["duplex", "none"] | None = None
    booklet: bool | None = None
    marks: bool | None = None
    pdf_variant: Literal["pdf/x-4", "pdf/a-2b", "pdf/ua-1"] | None = None
    grayscale: bool | None = None
    templates: str | None = Field(None, description="Folder overriding the print theme")
    with_: list[Literal[FROM_DECK]] = Field(
        default_factory=list,
        alias="with",
        description="Artifacts drawn from the deck by LibreOffice, built too",
    )


def load_config(folder: Path = Path(".")) -> tuple[ProjectConfig, Path]:
    """The project's settings (defaults when it has no lectern.yaml) and their folder.

    Problems are located in lectern.yaml and worded like a lesson's; a path setting that
    names nothing is one of them, at its line (not an error about the missing file that
    leaves the reader to find which setting named it).
    """
    from builder.source import SourceMap, _message, _parse, _read_text

    path = folder / PROJECT_FILE
    if path.is_dir():
        raise SourceError([Problem(Location(path), "is a folder; it must be a file of settings")])
    if not path.exists():
        return ProjectConfig(), folder
    source_map = SourceMap(path)
    data, problems = _parse(_read_text(path), source_map)
    if problems:
        raise SourceError(problems)
    if data is not None and not isinstance(data, dict):
        where = source_map.locate(())
        raise SourceError([Problem(where, f"{PROJECT_FILE} must be a mapping of settings")])
    try:
        config = ProjectConfig.model_validate(data or {})
    except ValidationError as error:
        found = []
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            if item["type"] == "extra_forbidden":
                names = [f.alias or n for n, f in ProjectConfig.model_fields.items()]
                close = difflib.get_close_matches(str(loc[-1]), names)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"unknown setting '{loc[-1]}'{hint}"
            else:
                message = _message(item, loc, source_map)
            found.append(
                Problem(source_map.locate(loc, key=item["type"] == "extra_forbidden"), message)
            )
        raise SourceError(found) from None
    missing = [
        Problem(
            source_map.locate((setting,)),
            f"{value!r} {what} (paths here are relative to {PROJECT_FILE}'s folder)",
        )
        for setting, value, exists, what in (
            ("slide_template", config.slide_template, Path.is_file, "is not a file"),
            ("templates", config.templates, Path.is_dir, "is not a folder"),
        )
        if value is not None and not exists(folder / value)
    ]
    if missing:
        raise SourceError(missing)
    return config, folder


def resolve(value: str | None, folder: Path) -> Path | None:
    """A path setting relative to the project file's folder."""
    return None if value is None else folder / value
