"""Fontconfig in-process: which installed file and face a family name resolves to.

The same lookup as ``fc-match``, without a subprocess per face (~10 ms each), and the
configuration calls the print renderer needs to swap in cut-down faces
(``builder.render.print.fonts``), which WeasyPrint's own bindings lack.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    family: str
    style: str
    file: str
    index: int


class Fontconfig:
    """The few libfontconfig calls Lectern makes, through cffi."""

    def __init__(self) -> None:
        import cffi

        self.ffi = cffi.FFI()
        self.ffi.cdef(
            """
            void *FcInitLoadConfig(void);
            void *FcInitLoadConfigAndFonts(void);
            int FcConfigBuildFonts(void *config);
            int FcConfigParseAndLoadFromMemory(void *config, const char *xml, int complain);
            int FcConfigAppFontAddFile(void *config, const char *file);
            void FcConfigAppFontClear(void *config);
            void *FcNameParse(const char *name);
            int FcConfigSubstitute(void *config, void *pattern, int kind);
            void FcDefaultSubstitute(void *pattern);
            void *FcFontMatch(void *config, void *pattern, int *result);
            int FcPatternGetString(void *pattern, const char *object, int n, char **value);
            int FcPatternGetInteger(void *pattern, const char *object, int n, int *value);
            void FcPatternDestroy(void *pattern);
            int FcPatternGetCharSet(void *pattern, const char *object, int n, void **value);
            int FcCharSetHasChar(const void *charset, unsigned int ucs4);
            """
        )
        self.lib = _dlopen(self.ffi)

    def match(self, config, pattern: str) -> Match | None:
        """The face fontconfig picks for a pattern such as ``Noto Sans CJK SC:bold``."""
        ffi, lib = self.ffi, self.lib
        found = self._best(config, pattern)
        if found is None:
            return None
        try:
            text, number = ffi.new("char **"), ffi.new("int *")
            values = []
            for key in (b"family", b"style", b"file"):
                if lib.FcPatternGetString(found, key, 0, text) != 0:
                    return None
                values.append(ffi.string(text[0]).decode())
            if lib.FcPatternGetInteger(found, b"index", 0, number) != 0:
                return None
            return Match(*values, number[0])
        finally:
            lib.FcPatternDestroy(found)

    def _best(self, config, pattern: str):
        """The pattern fontconfig matches best (the caller destroys it), or None."""
        ffi, lib = self.ffi, self.lib
        query = lib.FcNameParse(pattern.encode())
        if query == ffi.NULL:
            return None
        lib.FcConfigSubstitute(config, query, 0)  # FcMatchPattern
        lib.FcDefaultSubstitute(query)
        found = lib.FcFontMatch(config, query, ffi.new("int *"))
        lib.FcPatternDestroy(query)
        return None if found == ffi.NULL else found

    def family_having(self, config, char: str) -> str | None:
        """The family fontconfig falls back to for char, as Pango would; None if no
        installed face has a glyph for it."""
        ffi, lib = self.ffi, self.lib
        found = self._best(config, f":charset={ord(char):x}")
        if found is None:
            return None
        try:
            charset, text = ffi.new("void **"), ffi.new("char **")
            if lib.FcPatternGetCharSet(found, b"charset", 0, charset) != 0:
                return None
            if not lib.FcCharSetHasChar(charset[0], ord(char)):
                return None  # the best match is a face without it: none has it
            if lib.FcPatternGetString(found, b"family", 0, text) != 0:
                return None
            return ffi.string(text[0]).decode()
        finally:
            lib.FcPatternDestroy(found)


def _dlopen(ffi):
    """libfontconfig by its Linux, macOS and Windows names, then wherever ctypes finds it."""
    for name in ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"):
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    import ctypes.util

    found = ctypes.util.find_library("fontconfig")
    if found is None:
        raise OSError("libfontconfig not found")
    return ffi.dlopen(found)


@functools.cache
def fontconfig() -> Fontconfig | None:
    try:
        return Fontconfig()
    except (ImportError, OSError):
        return None


@functools.cache
def _system():
    fc = fontconfig()
    return fc.lib.FcInitLoadConfigAndFonts() if fc else None


def match(pattern: str) -> Match | None:
    """What the machine's fonts give for a pattern; None without fontconfig."""
    fc = fontconfig()
    return fc.match(_system(), pattern) if fc else None


def family_having(char: str) -> str | None:
    """The installed family that would draw char where the fonts asked for lack it."""
    fc = fontconfig()
    return fc.family_having(_system(), char) if fc else None
