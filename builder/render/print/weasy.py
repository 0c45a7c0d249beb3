"""Importing WeasyPrint, without its library search's slow path, and its C types' cost.

WeasyPrint loads Pango, HarfBuzz and fontconfig by trying several names per library,
Windows names first ("libgobject-2.0-0"). cffi answers each name it cannot load
directly by asking ``ctypes.util.find_library``, which on Linux runs ``ldconfig`` and
``gcc`` in subprocesses: measured here, 0.3 s of the 0.65 s import, in every process
that renders a PDF. The names that succeed on Linux and macOS are sonames
("libgobject-2.0.so.0"), which the dynamic loader opens directly, so during the import
the search is skipped; everywhere else WeasyPrint imports as it always does.

cffi parses every C type WeasyPrint names the first time it is named, with pycparser,
re-declaring each of the hundreds of typedefs WeasyPrint declares: 2-3 ms a type.
WeasyPrint names a new array type for every font it embeds ("hb_codepoint_t[1302]",
sized to the glyphs used), so each PDF paid ~30 ms, and a fresh process ~90 ms, parsing
types (``sized_arrays_as_unsized``).

pydyf rebuilt a PDF's page list on every request (``page_references_kept``),
WeasyPrint justifies Chinese only at spaces (``justify``), and tags the running header
and page numbers as content of no structure element (``tagging``).
"""

from __future__ import annotations

import functools
import re
import sys

HARFBUZZ = {
    "linux": ("libharfbuzz.so.0", "libharfbuzz-subset.so.0"),
    "darwin": ("libharfbuzz.0.dylib", "libharfbuzz-subset.0.dylib"),
}
"""HarfBuzz and its subsetter (Debian: libharfbuzz-subset0), by the names WeasyPrint
opens them by on each platform it is checked on."""


@functools.cache
def load_weasyprint() -> None:
    if sys.platform.startswith(("linux", "darwin")):
        import ctypes.util

        search = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint  # noqa: F401
        finally:
            ctypes.util.find_library = search
    from weasyprint.text.ffi import ffi

    from builder.render.print.justify import justify_between_cjk_characters
    from builder.render.print.tagging import pagination_as_artifacts

    sized_arrays_as_unsized(ffi)
    page_references_kept()
    pagination_as_artifacts()
    justify_between_cjk_characters()


_SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


def sized_arrays_as_unsized(ffi) -> None:
    """Have ffi.new("T[n]", items), given n items, make its array as ffi.new("T[]", items).

    Both arrays hold the same n items; "T[]" is parsed once, "T[n]" once for every n.
    """
    new = ffi.new

    def sized_as_unsized(cdecl, init=None):
        # Lists of numbers only: "char[n]" from n bytes would gain a terminating NUL.
        if isinstance(cdecl, str) and isinstance(init, list | tuple):
            sized = _SIZED_ARRAY.fullmatch(cdecl)
            if sized and "char" not in sized[1] and int(sized[2]) == len(init):
                return new(f"{sized[1]}[]", init)
        return new(cdecl, init)

    ffi.new = sized_as_unsized


@functools.cache
def page_references_kept() -> None:
    """Have pydyf build a PDF's list of page references once per page added, not on
    every call: a tagged PDF asks for it for each structure element it writes, so a
    long handout (50 pages, 6,000 elements) spent ~5 % of its render rebuilding it."""
    import pydyf

    build = pydyf.PDF.page_references.fget

    def page_references(pdf) -> tuple:
        count = len(pdf.pages["Kids"])
        kept = pdf.__dict__.get("_lectern_page_references")
        if kept is None or kept[0] != count:
            kept = pdf.__dict__["_lectern_page_references"] = (count, build(pdf))
        return kept[1]

    pydyf.PDF.page_references = property(page_references)


def slow_font_embedding(libraries: tuple[str, str] | None = None) -> str | None:
    """Why WeasyPrint would embed fonts with fontTools instead of HarfBuzz, or None.

    Without HarfBuzz's subsetter (and HarfBuzz 4.1 or later) WeasyPrint silently falls
    back to fontTools, measured ~14× slower on CJK faces: a handout that takes 1.5 s
    takes 21 s. Checked by opening the libraries, without importing WeasyPrint. Not on
    Windows, where WeasyPrint finds its DLLs in folders of its own.
    """
    import ctypes

    harfbuzz, subsetter = libraries or HARFBUZZ.get(sys.platform, (None, None))
    if harfbuzz is None:
        return None
    try:
        ctypes.CDLL(subsetter)
    except OSError:
        return f"HarfBuzz's font subsetter ({subsetter}; Debian: libharfbuzz-subset0) is missing"
    try:
        recent = ctypes.CDLL(harfbuzz).hb_version_atleast(4, 1, 0)
    except (OSError, AttributeError):
        return None  # WeasyPrint could not load without HarfBuzz: it says so itself
    return None if recent else f"{harfbuzz} is older than HarfBuzz 4.1"
