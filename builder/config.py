"""The project file ``lectern.yaml``: build settings an organisation sets once.

It sits beside ``content/`` and holds what would otherwise be repeated on every command
line: the organisation's slide master, its typeface, layout names, paper and aspect.
Options given on the command line win over it. Paths in it are relative to the file.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from builder.errors import Problem, SourceError

PROJECT_FILE = "lectern.yaml"


class ProjectConfig(BaseModel):
    """Settings for every build in a project."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    slide_template: str | None = Field(None, description=".pptx or .potx slide master")
    slide_font: str | None = Field(None, description="Typeface for slide text")
    layouts: dict[str, str] = Field(default_factory=dict, description="Slide kind → layout")
    aspect: Literal["16:9", "4:3"] | None = None
    paper: Literal["A4", "A5", "Letter"] | None = None
    templates: str | None = Field(None, description="Folder overriding the print theme")


def load_config(folder: Path = Path(".")) -> tuple[ProjectConfig, Path]:
    """The project's settings (defaults when it has no lectern.yaml) and their folder."""
    from builder.source import SourceMap, _parse, _read_text

    path = folder / PROJECT_FILE
    if not path.exists():
        return ProjectConfig(), folder
    source_map = SourceMap(path)
    data, problems = _parse(_read_text(path), source_map)
    if problems:
        raise SourceError(problems)
    try:
        return ProjectConfig.model_validate(data or {}), folder
    except ValidationError as error:
        found = []
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            message = item["msg"].removeprefix("Value error, ")
            if item["type"] == "extra_forbidden":
                close = difflib.get_close_matches(str(loc[-1]), list(ProjectConfig.model_fields))
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"unknown setting '{loc[-1]}'{hint}"
            found.append(
                Problem(source_map.locate(loc, key=item["type"] == "extra_forbidden"), message)
            )
        raise SourceError(found) from None


def resolve(value: str | None, folder: Path) -> Path | None:
    """A path setting relative to the project file's folder."""
    return None if value is None else folder / value
