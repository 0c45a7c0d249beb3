"""The only door to WeasyPrint and pydyf: everything Lectern reaches inside them, checked
once, before the first document is laid out.

Lectern goes where their APIs do not: it justifies Chinese between characters (four
functions replaced, ``justify``), builds a font configuration around its own fontconfig
set (``fonts``), fences URL fetching, touches the PDF up before it is written (``pdf``),
and takes two shortcuts for speed (below). Every name reached is listed in REACHED with
the parameters relied on; ``load_weasyprint`` checks the installed versions against
SUPPORTED and every reached name against REACHED, so an upgrade that moves one stops the
command with one message naming the version (``DependencyError``), not an
AttributeError in the middle of a render. Other modules get those names from ``reach``
and replace them with ``replace``; none imports WeasyPrint or pydyf itself.

Importing: WeasyPrint loads Pango, HarfBuzz and fontconfig by trying several names per
library, Windows names first ("libgobject-2.0-0"). cffi answers each name it cannot
load directly by asking ``ctypes.util.find_library``, which on Linux runs ``ldconfig``
and ``gcc`` in subprocesses: measured here, 0.3 s of the 0.65 s import, in every process
that renders a PDF. The names that succeed on Linux and macOS are sonames
("libgobject-2.0.so.0"), which the dynamic loader opens directly, so during the import
the search is skipped; everywhere else WeasyPrint imports as it always does.

cffi parses every C type WeasyPrint names the first time it is named, with pycparser,
re-declaring each of the hundreds of typedefs WeasyPrint declares: 2-3 ms a type.
WeasyPrint names a new array type for every font it embeds ("hb_codepoint_t[1302]",
sized to the glyphs used), so each PDF paid ~30 ms, and a fresh process ~90 ms, parsing
types (``sized_arrays_as_unsized``). pydyf rebuilt a PDF's page list on every request
(``page_references_kept``). WeasyPrint tags the running header and page numbers as
content of no structure element (``tagging``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

from builder.dependencies import package_version
from builder.errors import DependencyError

SUPPORTED = {"weasyprint": ((70,), (71,)), "pydyf": ((0, 11), (0, 14))}
"""The versions (lowest, and first not supported) whose internals are as REACHED says:
pyproject.toml declares the same bounds. WeasyPrint 68 and 69 have them too, but lay out
the question sheets with bytes that vary from run to run (found with
constraints/lowest.txt): 70 is the first whose PDFs are reproducible."""

REACHED: dict[str, tuple[str, ...] | str | None] = {
    "weasyprint.HTML": None,
    "weasyprint.CSS": None,
    "weasyprint.HTML.write_pdf": (
        "self",
        "target",
        "zoom",
        "finisher",
        "font_config",
        "color_profiles",
    ),
    "weasyprint.DEFAULT_OPTIONS": (
        "stylesheets",
        "pdf_tags",
        "pdf_identifier",
        "custom_metadata",
        "pdf_variant",
    ),
    "weasyprint.urls.URLFetcher": None,
    "weasyprint.urls.URLFetcher.fetch": ("self", "url", "headers"),
    "weasyprint.urls.URLFetcherResponse": ("url", "body"),
    "weasyprint.urls.URLFetcher.__init__": ("self", "fail_on_errors"),
    "weasyprint.urls.FatalURLFetchingError": None,
    "weasyprint.text.ffi.ffi": None,
    "weasyprint.text.ffi.pango": None,
    "weasyprint.text.ffi.pangoft2": None,
    "weasyprint.text.ffi.gobject": None,
    "weasyprint.text.ffi.TO_UNITS": None,
    # Built by hand around Lectern's fontconfig set (fonts.DocumentFonts): the attributes
    # its __init__ sets are the ones set there.
    "weasyprint.text.fonts.FontConfiguration": None,
    "weasyprint.text.fonts.FontConfiguration.__init__": (
        "attributes",
        "_config",
        "font_map",
        "_folder",
        "strut_layouts",
        "font_features",
    ),
    "weasyprint.layout.inline.count_expandable_spaces": ("box",),
    "weasyprint.layout.inline.justify_line": ("context", "line", "extra_width"),
    "weasyprint.layout.inline.add_word_spacing": (
        "context",
        "box",
        "justification_spacing",
        "x_advance",
    ),
    "weasyprint.text.line_break.Layout.set_text": ("self", "text", "justify"),
    "weasyprint.formatting_structure.boxes.TextBox": None,
    "weasyprint.formatting_structure.boxes.LineBox": None,
    "weasyprint.formatting_structure.boxes.InlineBox": None,
    "pydyf.PDF.page_references": "property",
    "pydyf.Stream": None,
    "pydyf.Stream.data": "property",
    "pydyf.Dictionary": None,
    "pydyf.Array": None,
    "weasyprint.css.ColorProfile": ("file_object", "src", "rendering_intent", "components"),
    "weasyprint.formatting_structure.boxes.MarginBox": None,
    # Tagging: page margins as pagination artifacts, table heads' scope (``tagging``).
    "weasyprint.pdf.tags._build_box_tree": (
        "box",
        "parent",
        "pdf",
        "page_number",
        "nums",
        "annotations",
        "tags",
    ),
    "weasyprint.pdf.tags.add_tags": ("pdf", "document", "pdf_version", "page_streams"),
    "weasyprint.pdf.add_tags": ("pdf", "document", "pdf_version", "page_streams"),
    "pydyf.String": None,
}
"""Each name Lectern reaches and what it relies on: parameter names (in this order),
"property", the keys of a mapping, or ("attributes", …) for the
attributes a method sets; None: that it exists."""

HARFBUZZ = {
    "linux": ("libharfbuzz.so.0", "libharfbuzz-subset.so.0"),
    "darwin": ("libharfbuzz.0.dylib", "libharfbuzz-subset.0.dylib"),
}
"""HarfBuzz and its subsetter (Debian: libharfbuzz-subset0), by the names WeasyPrint
opens them by on each platform it is checked on."""


def _release(version: str) -> tuple[int, ...]:
    """The numeric release of a version ("70.0rc1" → (70, 0))."""
    return tuple(int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3] or [0])


def _shown(release: tuple[int, ...]) -> str:
    return ".".join(map(str, release))


def check_versions() -> None:
    """Refuse, before anything is built, a WeasyPrint or pydyf outside SUPPORTED: a
    DependencyError naming the installed version and what to install instead."""
    problems = []
    for package, (lowest, beyond) in SUPPORTED.items():
        found = package_version(package)
        wanted = f"{package}>={_shown(lowest)},<{_shown(beyond)}"
        if found is None:
            problems.append(f"{package} is not installed; install '{wanted}'")
        elif not lowest <= _release(found) < beyond:
            problems.append(
                f"{package} {found} is installed, but Lectern's print works with "
                f"{_shown(lowest)} up to (not including) {_shown(beyond)}: "
                f"pip install '{wanted}' (or ./run, which installs the locked versions)"
            )
    if problems:
        raise DependencyError(problems)


def _resolve(name: str) -> object:
    """The object a dotted name names: the longest importable module, then attributes."""
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            target = inspect.getattr_static(target, attribute)
        return target
    raise ImportError(name)


def _unlike(name: str, target: object, expected) -> str | None:
    """How target differs from what REACHED expects of it, or None."""
    if expected is None:
        return None
    if expected == "property":
        return None if isinstance(target, property) else "is no longer a property"
    if isinstance(target, dict):
        missing = [key for key in expected if key not in target]
        return f"lacks {', '.join(missing)}" if missing else None
    if expected[0] == "attributes":
        code = getattr(target, "__code__", None)
        names = set(code.co_names if code else ())
        missing = [attribute for attribute in expected[1:] if attribute not in names]
        return f"no longer sets {', '.join(missing)}" if missing else None
    try:
        parameters = tuple(inspect.signature(target).parameters)
    except (TypeError, ValueError):
        return "has no signature"
    if [name for name in parameters if name in expected] != list(expected):
        return f"takes ({', '.join(parameters)}), not ({', '.join(expected)})"
    return None


def check_internals() -> None:
    """Every name in REACHED is there and as relied on; else one DependencyError naming
    the versions installed and each name that moved."""
    moved = []
    for name, expected in REACHED.items():
        try:
            why = _unlike(name, _as_shipped(name), expected)
        except (ImportError, AttributeError):
            why = "is gone"
        if why:
            moved.append(f"{name} {why}")
    if moved:
        versions = ", ".join(f"{p} {package_version(p)}" for p in SUPPORTED)
        raise DependencyError(
            [f"{versions}: what Lectern's print relies on has changed: {m}" for m in moved]
            + [f"install the versions Lectern supports: {_wanted()} (./run does)"]
        )


def _wanted() -> str:
    return " ".join(f"'{p}>={_shown(lo)},<{_shown(hi)}'" for p, (lo, hi) in SUPPORTED.items())


@functools.cache
def reach(name: str):
    """The WeasyPrint or pydyf object a REACHED name names (after ``load_weasyprint``),
    as WeasyPrint defines it (not as ``replace`` left it); a class's method as the plain
    function, as the class holds it."""
    if name not in REACHED:
        raise KeyError(f"{name} is not in REACHED: list it there, with what is relied on")
    return _resolve(name)


_REPLACED: dict[str, tuple[object, object]] = {}
"""Each name ``replace`` replaced: WeasyPrint's own object, and Lectern's in its place."""


def _as_shipped(name: str) -> object:
    """What name is in WeasyPrint itself: a check after a render has replaced it must look
    at the original, not at Lectern's replacement (whose parameters may differ)."""
    current = _resolve(name)
    original, ours = _REPLACED.get(name, (None, None))
    return original if ours is not None and current is ours else current


def replace(name: str, value) -> None:
    """Replace a REACHED function or method by value, for this process."""
    owner_name, _, attribute = name.rpartition(".")
    if name not in REACHED:
        raise KeyError(f"{name} is not in REACHED: list it there, with what is relied on")
    _REPLACED[name] = (_as_shipped(name), value)
    setattr(_resolve(owner_name), attribute, value)


def srgb_profile() -> bytes:
    """The sRGB ICC profile WeasyPrint ships (sRGB2014.icc)."""
    from importlib.resources import files

    return (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()


def user_agent_stylesheet() -> str:
    """WeasyPrint's own HTML stylesheet (its @counter-style rules, among others), read
    from where the package is installed without importing it (``load_weasyprint`` does,
    when a document is laid out)."""
    import importlib.util

    spec = importlib.util.find_spec("weasyprint")
    folders = spec.submodule_search_locations if spec else None
    if not folders:
        raise DependencyError(["weasyprint is not installed; install it (./run does)"])
    return (Path(folders[0]) / "css" / "html5_ua.css").read_text(encoding="utf-8")


@functools.cache
def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported once per process, its versions and internals checked and
    this module's shortcuts taken; a DependencyError where it cannot be used. Lectern's
    extensions are installed by ``engine.weasyprint``."""
    check_versions()
    with _fonttools_deferred():
        if sys.platform.startswith(("linux", "darwin")):
            import ctypes.util

            search = ctypes.util.find_library
            ctypes.util.find_library = lambda name: None
            try:
                import weasyprint
            finally:
                ctypes.util.find_library = search
        else:
            import weasyprint
    check_internals()
    sized_arrays_as_unsized(reach("weasyprint.text.ffi.ffi"))
    page_references_kept()
    return weasyprint


@contextlib.contextmanager
def _fonttools_deferred():
    """While WeasyPrint is imported, have fontTools' subsetter and variable-font instancer
    load only when first used: WeasyPrint imports both at start-up for the fonts
    HarfBuzz cannot subset and for variable fonts, and neither is used where HarfBuzz's
    subsetter is installed and the faces are static (the print theme's are). Measured
    here: a third of WeasyPrint's import, in every process that renders a PDF."""
    import types

    class Deferred(types.ModuleType):
        """A module imported when one of its names is first asked for."""

        def __getattr__(self, name: str):
            return getattr(importlib.import_module(self.__name__), name)

    placed = []
    if "fontTools.subset" not in sys.modules:
        sys.modules["fontTools.subset"] = Deferred("fontTools.subset")
        placed.append("fontTools.subset")
    if "fontTools.varLib.instancer" not in sys.modules:
        instancer = types.ModuleType("fontTools.varLib.instancer")

        def instantiateVariableFont(*args, **kwargs):
            from fontTools.varLib.instancer import instantiateVariableFont as instantiate

            return instantiate(*args, **kwargs)

        instancer.instantiateVariableFont = instantiateVariableFont
        sys.modules[instancer.__name__] = instancer
        placed.append(instancer.__name__)
    try:
        yield
    finally:
        for name in placed:  # the real module, for whoever imports it next
            sys.modules.pop(name, None)


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
    build = reach("pydyf.PDF.page_references").fget

    def page_references(pdf) -> tuple:
        count = len(pdf.pages["Kids"])
        kept = pdf.__dict__.get("_lectern_page_references")
        if kept is None or kept[0] != count:
            kept = pdf.__dict__["_lectern_page_references"] = (count, build(pdf))
        return kept[1]

    replace("pydyf.PDF.page_references", property(page_references))


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
