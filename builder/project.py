"""The project a command works in: where lectern.yaml is, and the settings it holds.

lectern.yaml is validated with pydantic, whose import alone costs a no-op build more
than its whole budget. A project's settings, once valid, are kept in the cache keyed
by the file's bytes and place, so a build that changes nothing reads them back
without pydantic; any edit validates the file again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from builder import __version__
from builder.cache import cache_folder, read_entry, write_entry
from builder.errors import LecternError

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


def project_settings(output: Path, project: Path = Path(".")):
    """Build options from the project's lectern.yaml, if it has one; a located
    LecternError for a broken one."""
    from builder.pipeline import BuildOptions

    path = project / PROJECT_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return BuildOptions(output=output)
    except OSError:
        data = None  # a folder in its place, unreadable: load_config says what is wrong
    kept = None
    if data is not None:
        key = f"{__version__}|{path.resolve()}|".encode() + data
        kept = cache_folder("settings") / f"{hashlib.sha256(key).hexdigest()}.json"
        settings = _read(kept)
        if settings is not None:
            return BuildOptions(output=output, **settings)
    settings = _validated(project)
    if kept is not None:
        write_entry(kept, json.dumps(_as_json(settings)).encode())
    return BuildOptions(output=output, **settings)


def _validated(project: Path) -> dict:
    from builder.config import load_config, resolve

    config, folder = load_config(project)
    return {
        "templates": resolve(config.templates, folder),
        "slide_template": resolve(config.slide_template, folder),
        "layouts": tuple(config.layouts.items()),
        "aspect": config.aspect,  # None: not asked for (16:9, or a template's own size)
        "paper": config.paper or "A4",
        "binding": config.binding or "duplex",
        "booklet": bool(config.booklet),
        "marks": bool(config.marks),
        "pdf_variant": config.pdf_variant,
        "grayscale": bool(config.grayscale),
        "slide_font": config.slide_font,
        "extras": tuple(dict.fromkeys(config.with_)),
    }


def _as_json(settings: dict) -> dict:
    return {
        **settings,
        "templates": settings["templates"] and str(settings["templates"]),
        "slide_template": settings["slide_template"] and str(settings["slide_template"]),
    }


def _read(kept: Path) -> dict | None:
    """Settings kept from a valid file, if the paths they name are still there (a
    removed master is reported by validating again)."""
    data = read_entry(kept)
    if data is None:
        return None
    settings = json.loads(data)  # checksummed: written whole by this code
    paths = {
        name: settings[name] and Path(settings[name]) for name in ("templates", "slide_template")
    }
    if any(p is not None and not p.exists() for p in paths.values()):
        return None
    return {
        **settings,
        **paths,
        "layouts": tuple(tuple(pair) for pair in settings["layouts"]),
        "extras": tuple(settings.get("extras", ())),
    }
