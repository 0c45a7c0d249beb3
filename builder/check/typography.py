"""Chinese typography: punctuation width, pairs, doubling, and CJK–Latin spacing.

The rules follow the common Chinese copywriting guidelines (中文文案排版指北): full-width
punctuation in Chinese sentences, balanced paired marks, no doubled marks, and one
consistent choice about spaces between Chinese and Latin text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.check.findings import Finding, locate, locate_span, text_fields
from builder.source import LoadedLesson

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_IN_CHINESE = re.compile(r"(?<=[\u4e00-\u9fff])[,;:?!(]|[,;:?!)](?=[\u4e00-\u9fff])")
_PERIOD = re.compile(r"(?<=[\u4e00-\u9fff])\.(?!\d)")
_DOUBLED = re.compile(r"([。，、；：？！])\1")
_PAIRS = (("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("「", "」"), ("『", "』"))
_GLUED = re.compile(r"[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]")
_SPACED = re.compile(r"[\u4e00-\u9fff] [A-Za-z0-9]|[A-Za-z0-9] [\u4e00-\u9fff]")


def typography(loaded: LoadedLesson) -> Iterator[Finding]:
    if not loaded.lesson.is_chinese:
        return
    glued, spaced = [], []
    for path, text in text_fields(loaded, prose_only=True):
        for pattern in (_HALF_IN_CHINESE, _PERIOD):
            for match in pattern.finditer(text):
                mark = match.group()
                wanted = _FULL.get(mark, "。")
                yield Finding(
                    locate_span(loaded, path, text, *match.span()),
                    "typography",
                    f"half-width '{mark}' in Chinese text; use '{wanted}'",
                )
        for match in _DOUBLED.finditer(text):
            yield Finding(
                locate_span(loaded, path, text, *match.span()),
                "typography",
                f"doubled punctuation '{match.group()}'",
            )
        for opening, closing in _PAIRS:
            if text.count(opening) != text.count(closing):
                yield Finding(
                    locate(loaded, path, text[:8]),
                    "typography",
                    f"unbalanced {opening}{closing}: {text.count(opening)} opening, "
                    f"{text.count(closing)} closing",
                )
        glued += [(path, text, m.span()) for m in _GLUED.finditer(text)]
        spaced += [(path, text, m.span()) for m in _SPACED.finditer(text)]
    # Either convention is fine; mixing them is not. Report the rarer one.
    if glued and spaced:
        minority, style = (spaced, "with") if len(spaced) < len(glued) else (glued, "without")
        for path, text, span in minority[:10]:
            yield Finding(
                locate_span(loaded, path, text, *span),
                "typography",
                f"Chinese and Latin {style} a space here, unlike the rest of the lesson",
            )
