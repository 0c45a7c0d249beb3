"""The quick no-op test: are a lesson's input files and options exactly as last built?

A build records the hashes of the files it read (the lesson, its images, the word list)
and a key of its options in the manifest. When they all still match and the artifacts
on disk are intact, the lesson is settled without parsing it, validating it or importing
a renderer: this module deliberately imports nothing heavy.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

import builder


@functools.cache
def code_fingerprint() -> str:
    """Lectern's version and its own source, so a changed renderer rebuilds everything."""
    digest = hashlib.sha256(builder.__version__.encode())
    package = Path(builder.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def options_key(options: object, theme_fingerprint: str) -> str:
    """Everything besides the lesson's own files that decides what a build writes."""
    template = getattr(options, "slide_template", None)
    parts = {
        "code": code_fingerprint(),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        "theme": theme_fingerprint,
        "template": hashlib.sha256(template.read_bytes()).hexdigest() if template else None,
        "aspect": getattr(options, "aspect", None),
        "paper": getattr(options, "paper", None),
        "layouts": list(getattr(options, "layouts", ())),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def file_hashes(paths: list[Path], root: Path) -> dict[str, str | None]:
    """sha256 of each file by its path relative to root; None for a file that is absent."""
    out: dict[str, str | None] = {}
    for path in paths:
        try:
            out[os.path.relpath(path, root)] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            out[os.path.relpath(path, root)] = None
    return out


def settled(lesson_file: Path, folder: Path, key: str) -> dict | None:
    """The manifest of folder if the lesson's recorded inputs, options and outputs still hold."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    inputs = manifest.get("inputs") or {}
    if inputs.get("options") != key or not inputs.get("files"):
        return None
    root = lesson_file.parent
    recorded = inputs["files"]
    if file_hashes([root / name for name in recorded], root) != recorded:
        return None
    for entry in manifest.get("artifacts", []):
        try:
            data = (folder / entry["name"]).read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
            return None
    return manifest
