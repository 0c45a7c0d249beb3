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
import stat
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


FONT_FOLDERS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
)
"""Where fonts are installed on Linux and macOS, besides $XDG_DATA_HOME/fonts."""


@functools.cache
def fonts_changed() -> int:
    """When a font was last installed or removed: the newest modification time of the
    font folders, in nanoseconds (0 where there are none).

    Slides are measured and print is set with the fonts the machine has. A lecturer who
    installs the slide font a deck was measured without (or a face print lacked) expects
    the next build to use it, not to find every artifact "unchanged". Adding or removing
    a font changes its folder's time, as fontconfig itself notices (~1 ms for the font
    folders of a desktop). Compared with when a lesson was last written, it is machine
    state that never enters the manifest, which a release zips from any machine alike.
    """
    data = os.environ.get("XDG_DATA_HOME") or "~/.local/share"
    newest = 0
    seen: set[tuple[int, int]] = set()  # folders linked twice, or in a loop, once
    for root in (*FONT_FOLDERS, f"{data}/fonts"):
        # Symbolic links followed, as fontconfig follows them.
        for folder, subfolders, _ in os.walk(os.path.expanduser(root), followlinks=True):
            try:
                info = os.stat(folder)
            except OSError:
                subfolders.clear()
                continue
            if (info.st_dev, info.st_ino) in seen:
                subfolders.clear()
                continue
            seen.add((info.st_dev, info.st_ino))
            newest = max(newest, info.st_mtime_ns)
    return newest


def written_before_fonts_changed(path: Path) -> bool:
    """Whether path (a lesson's manifest) was written before a font was last installed
    or removed, or is not there at all."""
    try:
        return os.stat(path).st_mtime_ns < fonts_changed()
    except OSError:
        return True


MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Larger than any input a build accepts (lessons, images, templates are capped lower)."""


def file_digest(path: Path) -> str | None:
    """sha256 of a regular file of sane size; None for anything else.

    Inputs are untrusted and this runs before the loader's checks: a FIFO, a device or
    /dev/zero behind a symlink must not be read. None never matches a recorded hash, so
    such a lesson goes on to a full build, where the loader reports it properly.
    """
    try:
        with open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NONBLOCK)) as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_INPUT_BYTES:
                return None
            return hashlib.sha256(stream.read(MAX_INPUT_BYTES + 1)).hexdigest()
    except OSError:
        return None


def file_hashes(paths: list[Path], root: Path) -> dict[str, str | None]:
    """Digest of each file by its path relative to root; None for one absent or refused."""
    return {os.path.relpath(path, root): file_digest(path) for path in paths}


def settled(lesson_file: Path, folder: Path, key: str) -> dict | None:
    """The manifest of folder if the lesson's recorded inputs, options and outputs still hold."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    inputs = manifest.get("inputs") or {}
    if inputs.get("options") != key or not inputs.get("files"):
        return None
    if written_before_fonts_changed(folder / "manifest.json"):  # artifacts.MANIFEST
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
