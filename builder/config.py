"""The project file ``lectern.yaml``: build settings an organisation sets once.

It sits beside ``content/`` and holds what would otherwise be repeated on every command
line: the organisation's slide master, its typeface, layout names, paper and aspect, and
how its print shop wants PDFs (binding, booklet, marks, PDF standard, grayscale).
Options given on the command line win over it. Paths in it are relative to the file and
inside its folder (``settings.Place``).
The settings it may hold, and their types, are those ``builder.settings`` declares for it.
"""

from __future__ import annotations

import difflib
import functools
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from builder.errors import Location, Problem, SourceError
from builder.settings import SETTINGS


@functools.cache
def project_model() -> type[BaseModel]:
    """The pydantic model of lectern.yaml, made from the settings' declarations."""
    fields: dict[str, Any] = {
        s.name: (s.kind.yaml_type(), Field(None, alias=s.in_file_as, description=s.help))
        for s in SETTINGS
        if s.in_file
    }
    config = ConfigDict(extra="forbid", frozen=True)
    return create_model("ProjectConfig", __config__=config, **fields)


def load_config(path: Path) -> dict[str, Any]:
    """The settings the project file at path gives, by name, as ``BuildOptions`` holds
    them (nothing when there is no file).

    Problems are located in lectern.yaml and worded like a lesson's; a path setting that
    names nothing is one of them, at its line (not an error about the missing file that
    leaves the reader to find which setting named it).
    """
    from builder.source import parse_yaml, problem_message, read_source_text
    from builder.sourcemap import SourceMap

    if path.is_dir():
        raise SourceError([Problem(Location(path), "is a folder; it must be a file of settings")])
    if not path.exists():
        return {}
    source_map = SourceMap(path)
    data, problems = parse_yaml(read_source_text(path), source_map)
    if problems:
        raise SourceError(problems)
    if data is not None and not isinstance(data, dict):
        where = source_map.locate(())
        raise SourceError([Problem(where, f"{path.name} must be a mapping of settings")])
    model = project_model()
    try:
        config = model.model_validate(data or {})
    except ValidationError as error:
        found = []
        for item in error.errors(include_url=False):
            loc = tuple(item["loc"])
            if item["type"] == "extra_forbidden":
                names = [field.alias or name for name, field in model.model_fields.items()]
                close = difflib.get_close_matches(str(loc[-1]), names)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"unknown setting '{loc[-1]}'{hint}"
            else:
                message = problem_message(item, loc, source_map)
            found.append(
                Problem(source_map.locate(loc, key=item["type"] == "extra_forbidden"), message)
            )
        raise SourceError(found) from None
    settings, problems = {}, []
    declared = {s.name: s for s in SETTINGS}
    for name, value in config.model_dump(exclude_none=True).items():
        try:
            settings[name] = declared[name].kind.from_file(value, path.parent)
        except ValueError as why:
            problems.append(
                Problem(
                    source_map.locate((declared[name].in_file_as,)),
                    f"{why} (paths here are relative to {path.name}'s folder)",
                )
            )
    if problems:
        raise SourceError(problems)
    return settings
