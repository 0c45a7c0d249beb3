"""Importing WeasyPrint, without its library search's slow path.

WeasyPrint loads Pango, HarfBuzz and fontconfig by trying several names per library,
Windows names first ("libgobject-2.0-0"). cffi answers each name it cannot load
directly by asking ``ctypes.util.find_library``, which on Linux runs ``ldconfig`` and
``gcc`` in subprocesses: measured here, 0.3 s of the 0.65 s import, in every process
that renders a PDF. The names that succeed on Linux and macOS are sonames
("libgobject-2.0.so.0"), which the dynamic loader opens directly, so during the import
the search is skipped; everywhere else WeasyPrint imports as it always does.
"""

from __future__ import annotations

import functools
import sys


@functools.cache
def load_weasyprint() -> None:
    if not sys.platform.startswith(("linux", "darwin")):
        import weasyprint

        return
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = search
