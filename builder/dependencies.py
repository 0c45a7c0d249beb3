"""The versions of what shapes each artifact besides Lectern: Python packages, the C
libraries that lay out and shape text, and the font files.

They go into each artifact's key (an upgrade rebuilds what it shapes, and only that)
and into the manifest (a release says what built it). Only what is the same on every
machine with the same installs is recorded: versions and font files by name and
content, never paths or times, so two machines give byte-identical manifests.

Read cheaply, without importing the packages: a no-op build checks them too. Python
packages are read from the names of their ``*.dist-info`` folders on ``sys.path``
(first found wins, as for imports), libraries by one call each to their version
function.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import re
import sys
from pathlib import Path

from builder.cache import cache_folder, font_key, read_entry, write_entry

PRINTED = (
    "weasyprint",
    "pydyf",
    "tinycss2",
    "cssselect2",
    "pyphen",
    "jinja2",
    "fonttools",
    "uharfbuzz",
    "pillow",
    "pikepdf",
)
SLIDES = ("python-pptx", "lxml", "fonttools", "pillow")
CHECKS = ("fonttools", "pypinyin", "python-pptx")
"""The Python packages whose code decides the bytes of the PDFs, of the deck, and the
findings (the overflow check plans the deck)."""

LIBRARIES = {
    "harfbuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"),
    "pango": ("libpango-1.0.so.0", "libpango-1.0.0.dylib", "libpango-1.0-0.dll"),
    "fontconfig": ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"),
}
"""The C libraries that shape and lay out text (Pango and HarfBuzz for print, fontconfig
choosing faces for both), by the names they load by on Linux, macOS and Windows."""

PRINTED_LIBRARIES = ("harfbuzz", "pango", "fontconfig")
SLIDES_LIBRARIES = ("fontconfig",)


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def python_packages() -> dict[str, str]:
    """Installed distributions by normalised name → version."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                package, _, version = name.rsplit(".", 1)[0].partition("-")
                found.setdefault(_normalised(package), version.partition("-")[0] or "unknown")
    return found


def package_version(package: str) -> str | None:
    return python_packages().get(_normalised(package))


@functools.cache
def library_version(library: str) -> str:
    """A C library's version, or "missing" where it cannot be loaded."""
    for name in LIBRARIES[library]:
        try:
            handle = ctypes.CDLL(name)
        except OSError:
            continue
        return _version_of(library, handle)
    return "missing"


def _version_of(library: str, handle) -> str:
    if library == "harfbuzz":
        handle.hb_version_string.restype = ctypes.c_char_p
        return handle.hb_version_string().decode()
    if library == "pango":
        handle.pango_version_string.restype = ctypes.c_char_p
        return handle.pango_version_string().decode()
    number = handle.FcGetVersion()  # 21401 is 2.14.1
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def versions(packages: tuple[str, ...], libraries: tuple[str, ...]) -> dict[str, str]:
    """The versions of the named packages and libraries, as recorded."""
    recorded = {name: package_version(name) or "missing" for name in packages}
    recorded.update({f"lib{name}": library_version(name) for name in libraries})
    return dict(sorted(recorded.items()))


def all_versions() -> dict[str, str]:
    """Everything any artifact depends on: what the quick no-op test compares."""
    return versions(tuple(dict.fromkeys(PRINTED + SLIDES + CHECKS)), tuple(LIBRARIES))


def font_files(families: tuple[str, ...]) -> dict[str, str]:
    """The font file each family (regular and bold) is set in here: its file name, face
    index and a digest of its content ("missing" for a family the machine lacks,
    which then falls back to another face)."""
    from builder.text.fontconfig import match

    found = {}
    for family in families:
        for style in ("", ":bold"):
            face = match(family + style)
            if face is None or face.family != family:
                found[family + style] = "missing"
                continue
            found[family + style] = (
                f"{Path(face.file).name}#{face.index} {_file_digest(face.file, face.index)}"
            )
    return found


def _file_digest(file: str, index: int) -> str:
    """sha256 of a font file (20 MB for a CJK collection), kept in the user's cache by
    the file's path, size and time, so a build hashes each font once."""
    kept = cache_folder("font-digests") / font_key(file, index, "sha256")[:32]
    cached = read_entry(kept)
    if cached is not None:
        return cached.decode("ascii")
    digest = hashlib.sha256()
    with open(file, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    value = digest.hexdigest()[:32]
    write_entry(kept, value.encode("ascii"))
    return value
