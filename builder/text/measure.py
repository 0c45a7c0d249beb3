"""Text width from real font metrics, so layout is computed rather than hoped for.

Widths come from the font's own advance widths (fontTools reads ``hmtx``), located the
way the build machine resolves fonts (fontconfig). CJK ideographs are one em wide in
every CJK face, so a deck fitted here fits wherever a CJK font of the same size is used.
"""

from __future__ import annotations

import functools
import pickle
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from builder.cache import cache_folder, font_key, read_entry, write_entry

# Used only when fontconfig cannot find the face: generous average widths in em, so an
# estimate errs towards breaking lines early rather than overflowing.
_FALLBACK_EM = {"wide": 1.0, "narrow": 0.62, "space": 0.3}


CAUTIOUS = "Lectern cautious metric"
"""The family name under which text is measured for a face the build machine lacks.

A deck names its organisation's theme fonts; where the build machine does not have one,
the client that shows the deck will substitute some face, and nobody can know which. The
cautious metric gives every character the widest advance it has in any of
``CAUTIOUS_REFERENCES`` that is installed (humanist and geometric sans, serif, the CJK
face), so text fitted with it fits in whichever of those faces, or any narrower one, the
client picks. It costs a little room: lines break earlier than with the real face.
"""
CAUTIOUS_REFERENCES = ("DejaVu Sans", "DejaVu Serif", "Noto Sans", "Noto Serif", "Noto Sans CJK SC")


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (a TTC holds several) that text is measured with."""

    family: str
    bold: bool = False


@functools.cache
def _font_file(face: FontFace) -> tuple[Path, int] | None:
    from builder.text.fontconfig import match

    found = match(face.family + (":bold" if face.bold else ""))
    if found is None or face.family.lower() not in found.family.lower():
        return None
    return Path(found.file), found.index


@dataclass(frozen=True)
class _Metrics:
    """Advance widths by code point, in font units, for one face."""

    advances: dict[int, int]
    units: float


@functools.cache
def _metrics(face: FontFace) -> _Metrics | None:
    """Metrics of the face fontconfig resolves, read once per font file and cached on disk.

    Parsing a CJK font's cmap and hmtx costs ~0.3 s; the cache, keyed by the file's path,
    size and modification time, makes later processes pay ~10 ms.
    """
    if face.family == CAUTIOUS:
        return _cautious(face.bold)
    located = _font_file(face)
    if located is None:
        return None
    path, index = located
    cached = cache_folder("fonts") / f"{font_key(path, index, '1')[:32]}.pickle"
    data = read_entry(cached)
    if data is not None:
        return pickle.loads(data)  # checksummed: written whole by this code
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    hmtx = font["hmtx"]
    advances = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
    metrics = _Metrics(advances, float(font["head"].unitsPerEm))
    write_entry(cached, pickle.dumps(metrics, protocol=pickle.HIGHEST_PROTOCOL))
    return metrics


def _cautious(bold: bool) -> _Metrics | None:
    """The widest advance of each character over the installed reference faces, in
    thousandths of an em."""
    advances: dict[int, int] = {}
    for family in CAUTIOUS_REFERENCES:
        metrics = _metrics(FontFace(family, bold))
        if metrics is None:
            continue
        for code, advance in metrics.advances.items():
            em = round(advance / metrics.units * 1000)
            if em > advances.get(code, 0):
                advances[code] = em
    return _Metrics(advances, 1000.0) if advances else None


def installed(face: FontFace) -> bool:
    """Whether fontconfig finds this face on the machine."""
    return _metrics(face) is not None


def covers(face: FontFace, char: str) -> bool:
    """Whether the face has a glyph for char (False when the face is not installed)."""
    metrics = _metrics(face)
    return metrics is not None and ord(char) in metrics.advances


def is_wide(char: str) -> bool:
    """Ideographs, kana, hangul and full-width forms: one em wide in CJK fonts."""
    code = ord(char)
    return (
        0x1100 <= code <= 0x115F
        or 0x2E80 <= code <= 0xA4CF
        or 0xAC00 <= code <= 0xD7A3
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFF60
        or 0xFFE0 <= code <= 0xFFE6
        or 0x20000 <= code <= 0x3FFFD
    )


@functools.lru_cache(maxsize=65536)
def char_em(char: str, face: FontFace) -> float:
    """The advance width of char in em."""
    if unicodedata.category(char) == "Cf":  # format characters (word joiner…) take no room
        return 0.0
    metrics = _metrics(face)
    if metrics is not None:
        advance = metrics.advances.get(ord(char))
        if advance is not None:
            return advance / metrics.units
    if is_wide(char):
        return _FALLBACK_EM["wide"]
    return _FALLBACK_EM["space"] if char.isspace() else _FALLBACK_EM["narrow"]


AUTOSPACE_EM = 0.25
"""Space LibreOffice puts between Asian and non-Asian text ("1031个" is drawn "1031 个"),
measured here as a quarter em. PowerPoint adds none; counting it everywhere keeps the
plan on the safe side for both."""


def _accumulate(
    text: str, face: FontFace, ems: float, previous: bool | None
) -> tuple[float, bool | None]:
    """ems of text added to ems; previous says whether the last non-space char was wide."""
    for char in text:
        ems += char_em(char, face)
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        wide = is_wide(char)
        if previous is not None and wide != previous:
            ems += AUTOSPACE_EM
        previous = wide
    return ems, previous


def text_width(text: str, size: float, face: FontFace) -> float:
    """Width of text set at size (points) in face, in points, script-boundary spacing included."""
    return _accumulate(text, face, 0.0, None)[0] * size


class GrowingMeasure:
    """text_width for strings that grow by appending, as line wrapping measures them.

    Wrapping measures "line", then "line + word", then "line + word + word"...; each
    call continues from the longest recently measured prefix instead of starting over,
    which turns a paragraph's quadratic measuring linear. Results equal text_width's
    exactly: the same additions happen in the same order.
    """

    def __init__(self, size: float, face: FontFace) -> None:
        self.size, self.face = size, face
        self.recent: list[tuple[str, float, bool | None]] = []

    def __call__(self, text: str) -> float:
        base, ems, previous = "", 0.0, None
        for known, known_ems, known_previous in self.recent:
            if len(known) > len(base) and text.startswith(known):
                base, ems, previous = known, known_ems, known_previous
        ems, previous = _accumulate(text[len(base) :], self.face, ems, previous)
        self.recent = [(text, ems, previous), *self.recent[:7]]
        return ems * self.size
