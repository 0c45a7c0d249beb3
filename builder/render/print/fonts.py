"""Print fonts cut down to a lesson's printed characters before WeasyPrint lays it out.

The CJK faces the print theme uses are 20 MB collections of 65,000 glyphs. Given the
whole face, Pango loads it and WeasyPrint copies, subsets (keeping every glyph id up to
the highest used) and compresses it again for every PDF: measured here, 0.2–0.4 s of
each document and most of a build's memory. A document uses a few hundred distinct
characters, and HarfBuzz cuts a face down to them in ~15 ms, keeping the layout
features and metrics Pango shapes with, so lines break exactly where the whole face
would break them.

How: one fontconfig configuration per process, in which the big faces are rejected
(``<rejectfont>``) and the document's cut-down copies, which keep the faces' names, are
the application fonts. The faces are cut to the characters of all of a lesson's print
documents at once (``documents.printed_lesson``), not of each: after a swap Pango loads
every face afresh and measures each glyph again, ~40 ms a document, so the three
documents of a lesson share one set and a process swaps once a lesson. What a PDF
embeds depends on its lesson alone (reproducible, whatever else the process built, and
part of each print document's key). Cut faces are kept in the user's cache, keyed by
the face file and the character set, so an unchanged lesson never cuts again. A
document that shows characters the cut did not read (an imported stylesheet's
``content``) is rendered again with the whole faces (``pdf.html_to_pdf``). A face the
machine lacks, or a missing ``uharfbuzz``, just leaves the whole faces in use.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from builder.cache import cache_folder, font_key, read_entry, write_entry
from builder.render.print.weasy import load_weasyprint, reach, user_agent_stylesheet
from builder.text.fontconfig import Fontconfig, Match, fontconfig, match

SUBSET_FACES = (
    ("Noto Sans CJK SC", "Regular"),
    ("Noto Sans CJK SC", "Bold"),
    ("Noto Serif CJK SC", "Regular"),
    ("Noto Serif CJK SC", "Bold"),
    ("AR PL UKai CN", "Book"),
)
"""The faces of the built-in theme worth cutting down; other fonts are used whole."""

MIN_FACE_BYTES = 4 * 1024 * 1024
"""Smaller font files cost WeasyPrint little; they are used whole."""

FOLDER_PREFIX = "lectern-fonts-"
"""A process's own copies of the faces in use: ``lectern-fonts-<pid>-…`` in the temp folder."""

KEEP_CUTS = 200
"""Cut faces kept in the cache (~300 KB each): a series' documents, several edits deep."""

ALWAYS = (
    "".join(chr(c) for c in range(0x20, 0x7F))
    + "\u00a0\u00ad\u2010\u2011\u2013\u2014\u2026\u2022\u25e6\u25aa\u201c\u201d\u2018\u2019"
    + "\u3000\u3001\u3002\u3007一二三四五六七八九十百千零（）〈〉《》「」『』〔〕【】"
)
"""Characters a stylesheet or WeasyPrint can put on a page without them being in the
HTML: page counters (decimal and CJK), list markers, hyphens, ellipses, quotes."""


@functools.cache
def _counter_styles() -> dict[str, str]:
    """WeasyPrint's @counter-style rules by name (甲乙丙…, 壹贰叁…, kana, Greek…): the
    symbols a list marker or counter() of that style can put on a page."""
    sheet = user_agent_stylesheet()
    return dict(re.findall(r"@counter-style\s+([\w-]+)\s*\{([^}]*)\}", sheet))


def _counter_symbols(texts: tuple[str, ...]) -> str:
    """The symbols of every counter style the texts name, and of those they fall back to."""
    styles = _counter_styles()
    named = [name for name in styles if any(name in text for text in texts)]
    seen = set(named)
    while named:
        for used in re.findall(r"(?:extends|fallback:)\s*([\w-]+)", styles[named.pop()]):
            if used in styles and used not in seen:
                seen.add(used)
                named.append(used)
    return "".join(styles[name] for name in sorted(seen))


def charset(*texts: str) -> frozenset[str]:
    """The characters a document can show: its HTML and CSS, the symbols of the counter
    styles they name, ALWAYS, and their case variants."""
    chars = set(ALWAYS) | set(_counter_symbols(texts))
    for text in texts:
        chars.update(text)
    chars.update("".join(c.upper() + c.lower() for c in list(chars)))
    # Spaces are shaped too: the ideographic space U+3000 is a full em in a CJK face.
    return frozenset(c for c in chars if c not in "\n\r\t")


def charset_digest(chars: frozenset[str]) -> str:
    """A character set's name: what its cut faces are kept under, part of print keys."""
    return hashlib.sha256("".join(sorted(chars)).encode()).hexdigest()


def _cut(face: Match, chars: frozenset[str]) -> bytes | None:
    import uharfbuzz as hb

    source = hb.Face(hb.Blob.from_file_path(face.file), face.index)
    features, scripts = _layout_tags(source)
    request = hb.SubsetInput()
    request.unicode_set.update(sorted(map(ord, chars)))
    request.sets(hb.SubsetInputSets.NAME_ID).update(range(256))  # fontconfig finds it by name
    # Every feature the face has (vert, locl, kern, palt…), so Pango shapes as with the whole
    # face; but not 'aalt', whose closure pulls in every alternate glyph.
    request.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG).update(features - {_tag("aalt")})
    request.sets(hb.SubsetInputSets.LAYOUT_SCRIPT_TAG).update(scripts)
    request.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    try:
        return hb.subset(source, request).blob.data
    except Exception:  # a face HarfBuzz cannot cut is used whole
        return None


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("latin-1").ljust(4), "big")


def _layout_tags(face) -> tuple[set[int], set[int]]:
    """The OpenType feature and script tags of a face, from its GSUB and GPOS tables."""
    features, scripts = set(), set()
    for table in ("GSUB", "GPOS"):
        table_scripts = face.get_table_script_tags(table)
        scripts.update(table_scripts)
        for script, _ in enumerate(table_scripts):
            languages = face.get_script_language_tags(table, script)
            for language in (0xFFFF, *range(len(languages))):  # 0xFFFF: the default
                features.update(face.get_language_feature_tags(table, script, language))
    return {_tag(f) for f in features}, {_tag(s) for s in scripts}


class DocumentFonts:
    """One process's font configuration, holding the current document's cut-down faces."""

    def __init__(self, fc: Fontconfig) -> None:
        ffi, gobject = reach("weasyprint.text.ffi.ffi"), reach("weasyprint.text.ffi.gobject")
        pangoft2 = reach("weasyprint.text.ffi.pangoft2")
        configuration = reach("weasyprint.text.fonts.FontConfiguration")

        self._fc = fc
        found = [match(f"{family}:style={style}") for family, style in SUBSET_FACES]
        self.faces = tuple(
            m
            for m in found
            if m
            and (m.family, m.style) in SUBSET_FACES
            and Path(m.file).stat().st_size >= MIN_FACE_BYTES
        )
        self._config = fc.lib.FcInitLoadConfig()
        rejected = "".join(
            f"<pattern><patelt name='file'><string>{_xml(f.file)}</string></patelt>"
            f"<patelt name='index'><int>{f.index}</int></patelt></pattern>"
            for f in self.faces
        )
        fc.lib.FcConfigParseAndLoadFromMemory(
            self._config,
            f"<fontconfig><selectfont><rejectfont>{rejected}</rejectfont></selectfont>"
            f"</fontconfig>".encode(),
            1,
        )
        fc.lib.FcConfigBuildFonts(self._config)

        # WeasyPrint's FontConfiguration, built around this fontconfig configuration.
        config = configuration.__new__(configuration)
        config._config = ffi.cast("FcConfig *", int(fc.ffi.cast("uintptr_t", self._config)))
        config.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
        pangoft2.pango_fc_font_map_set_config(
            ffi.cast("PangoFcFontMap *", config.font_map), config._config
        )
        config._folder = None
        config.strut_layouts = {}
        config.font_features = {}
        self.config = config
        self._current: str | None = None
        self.chars: frozenset[str] = frozenset()
        """The characters the faces now in use were cut down to."""
        _remove_orphans()
        self._folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        atexit.register(shutil.rmtree, self._folder, ignore_errors=True)

    def use(self, chars: frozenset[str]):
        """The configuration with the faces cut down to chars (``charset``); None if a face
        cannot be cut."""
        ffi, pangoft2 = reach("weasyprint.text.ffi.ffi"), reach("weasyprint.text.ffi.pangoft2")

        digest = charset_digest(chars)[:24]
        if digest == self._current:
            return self.config
        self.chars = frozenset()  # until the new faces are in place
        cuts = [_cut_face(face, chars, digest) for face in self.faces]
        if None in cuts:
            return None
        # The faces in use are this process's own copies: the shared cache may be pruned
        # by another build at any moment, and Pango opens font files when it needs them.
        for old in self._folder.iterdir():
            old.unlink()
        self._fc.lib.FcConfigAppFontClear(self._config)
        for i, data in enumerate(cuts):
            path = self._folder / f"{digest}-{i}.otf"
            path.write_bytes(data)
            self._fc.lib.FcConfigAppFontAddFile(self._config, str(path).encode())
        pangoft2.pango_fc_font_map_config_changed(
            ffi.cast("PangoFcFontMap *", self.config.font_map)
        )
        self.config.strut_layouts.clear()
        self._current, self.chars = digest, chars
        return self.config


def _remove_orphans() -> None:
    """Remove the font folders of processes that were killed before they could."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        pid = folder.name.removeprefix(FOLDER_PREFIX).split("-")[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # alive, or not ours to look at
            pass


def _cut_face(face: Match, chars: frozenset[str], digest: str) -> bytes | None:
    """The face cut down to chars: from the user's cache, or cut now and kept there."""
    key = font_key(face.file, face.index, _harfbuzz())[:16]
    path = cache_folder("cut-fonts") / f"{key}-{digest}.otf"
    data = read_entry(path)
    if data is not None:
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept when the cache is pruned
        return data
    data = _cut(face, chars)
    if data is not None and write_entry(path, data):
        _prune(path.parent)
    return data


def _prune(folder: Path) -> None:
    """Keep the most recently used KEEP_CUTS faces (a few hundred KB each)."""
    entries = []
    for path in folder.glob("*.otf"):
        with contextlib.suppress(OSError):  # pruned meanwhile by another build
            entries.append((path.stat().st_mtime, path))
    for _, stale in sorted(entries, reverse=True)[KEEP_CUTS:]:
        with contextlib.suppress(OSError):
            stale.unlink(missing_ok=True)


@functools.cache
def _harfbuzz() -> str:
    import uharfbuzz

    return uharfbuzz.__version__


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;")


@functools.cache
def whole_fonts():
    """The plain shared configuration: every installed face, whole."""
    load_weasyprint()
    return reach("weasyprint.text.fonts.FontConfiguration")()


@functools.cache
def document_fonts() -> DocumentFonts | None:
    """The process's cut-down font configuration, or None where it cannot be had."""
    load_weasyprint()
    fc = fontconfig()
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return None
    fonts = DocumentFonts(fc) if fc else None
    return fonts if fonts and fonts.faces else None
