"""The project a command works in: where lectern.yaml is, and the settings it holds.

lectern.yaml is validated with pydantic, whose import alone costs a no-op build more
than its whole budget. A project's settings, once valid, are kept in the cache keyed
by the file's bytes, its place and Lectern's code, so a build that changes nothing reads them back
without pydantic; any edit validates the file again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from builder.cache import cache_folder, read_entry, write_entry
from builder.errors import LecternError
from builder.freshness import code_fingerprint
from builder.settings import SETTINGS, BuildOptions, Stale

PROJECT_FILE = "lectern.yaml"


def project_folder(lessons: tuple[Path, ...]) -> Path:
    """Where lectern.yaml is read: the working directory; when it has none, the project
    the named lessons belong to (the folder holding their content/), where their print
    theme is found too. `cd /tmp; lectern build /proj/content` keeps /proj's settings."""
    here = Path(".")
    if (here / PROJECT_FILE).exists() or not lessons:
        return here
    from builder.series import find_lessons

    try:
        files = find_lessons(list(lessons))
    except LecternError:
        return here  # the command reports it
    projects = {file.resolve().parent.parent.parent for file in files}
    found = projects.pop() if len(projects) == 1 else here
    return found if (found / PROJECT_FILE).exists() else here


def project_settings(project: Path = Path(".")) -> BuildOptions:
    """Build options from the project's lectern.yaml, if it has one (defaults for what it
    does not set); a located LecternError for a broken one."""
    path = project / PROJECT_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return BuildOptions()
    except OSError:
        data = None  # a folder in its place, unreadable: load_config says what is wrong
    kept = None
    if data is not None:
        # Lectern's code, not only its version: validation rules change between releases
        # of one version (a path outside the project is refused since 2026-12-06).
        key = f"{code_fingerprint()}|{path.resolve()}|".encode() + data
        kept = cache_folder("settings") / f"{hashlib.sha256(key).hexdigest()}.json"
        settings = _read(kept)
        if settings is not None:
            return BuildOptions(**settings)
    from builder.config import load_config

    settings = load_config(path)
    if kept is not None:
        write_entry(kept, json.dumps(_as_json(settings)).encode())
    return BuildOptions(**settings)


_KINDS = {declared.name: declared.kind for declared in SETTINGS if declared.in_file}


def _as_json(settings: dict[str, Any]) -> dict[str, Any]:
    return {name: _KINDS[name].to_json(value) for name, value in settings.items()}


def _read(kept: Path) -> dict[str, Any] | None:
    """Settings kept from a valid file, if they still hold (a removed master is reported
    by validating again)."""
    data = read_entry(kept)
    if data is None:
        return None
    settings = json.loads(data)  # checksummed: written whole by this code
    try:
        return {name: _KINDS[name].from_json(value) for name, value in settings.items()}
    except (KeyError, Stale):  # a setting since renamed, a path since removed
        return None
