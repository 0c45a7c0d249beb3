"""Chinese typography: punctuation width, pairs, doubling, and CJK–Latin spacing.

The rules follow the common Chinese copywriting guidelines (中文文案排版指北): full-width
punctuation in Chinese sentences, balanced paired marks, no doubled marks, and one
consistent choice about spaces between Chinese and Latin text. The patterns live in
``builder.text.punctuation``, beside the corrections ``lectern fix`` makes from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from builder.check.findings import Finding
from builder.sourcemap import LoadedLesson, Path_, locate, locate_span, text_fields
from builder.text.punctuation import FULL as _FULL
from builder.text.punctuation import GLUED as _GLUED
from builder.text.punctuation import HALF_IN_CHINESE as _HALF_IN_CHINESE
from builder.text.punctuation import PERIOD as _PERIOD
from builder.text.punctuation import SPACED as _SPACED

_DOUBLED = re.compile(r"([。，、；：？！])\1")
_PAIRS = (("“", "”"), ("‘", "’"), ("《", "》"), ("（", "）"), ("「", "」"), ("『", "』"))


def _paragraph(text: str, offset: int) -> int:
    """Which paragraph of text (blocks apart by a blank line) offset falls in."""
    return len(re.findall(r"\n\s*\n", text[:offset]))


def _grouped(
    loaded: LoadedLesson, spots: list[tuple[Path_, str, tuple[int, int]]], say
) -> Iterator[Finding]:
    """One finding per paragraph for spots of one kind, at the first, with their count:
    a pasted paragraph with twenty half-width commas is one thing to fix, not twenty."""
    groups: dict[tuple[Path_, int], list[tuple[str, tuple[int, int]]]] = {}
    for path, text, span in spots:
        groups.setdefault((path, _paragraph(text, span[0])), []).append((text, span))
    for (path, _), found in groups.items():
        found.sort(key=lambda spot: spot[1])
        text, (start, end) = found[0]
        yield Finding(locate_span(loaded, path, text, start, end), "typography", say(found))


def _half_width(found: list[tuple[str, tuple[int, int]]]) -> str:
    text, (start, end) = found[0]
    mark = text[start:end]
    wanted = _FULL.get(mark, "。")
    if len(found) == 1:
        return f"half-width '{mark}' in Chinese text; use '{wanted}'"
    return (
        f"{len(found)} half-width marks in Chinese text in this paragraph, the first "
        f"'{mark}' here; use full-width ones ('{wanted}')"
    )


def _doubled(found: list[tuple[str, tuple[int, int]]]) -> str:
    text, (start, end) = found[0]
    if len(found) == 1:
        return f"doubled punctuation '{text[start:end]}'"
    return f"{len(found)} doubled marks in this paragraph, the first '{text[start:end]}' here"


def typed_numbers(loaded: LoadedLesson) -> Iterator[Finding]:
    """Heading numbers the author typed, which the loader removed (``source``)."""
    for path, number in loaded.typed_numbers:
        yield Finding(
            loaded.source_map.locate(path),
            "numbering",
            f"'{number}' typed before the title was removed: headings are numbered "
            "from their place in the lesson",
        )


def typography(loaded: LoadedLesson) -> Iterator[Finding]:
    if not loaded.lesson.is_chinese:
        return
    half, doubled, glued, spaced = [], [], [], []
    for path, text in text_fields(loaded, prose_only=True):
        for pattern in (_HALF_IN_CHINESE, _PERIOD):
            half += [(path, text, m.span()) for m in pattern.finditer(text)]
        doubled += [(path, text, m.span()) for m in _DOUBLED.finditer(text)]
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
    yield from _grouped(loaded, half, _half_width)
    yield from _grouped(loaded, doubled, _doubled)
    # Either convention is fine; mixing them is not. Report the rarer one.
    if glued and spaced:
        minority, style = (spaced, "with") if len(spaced) < len(glued) else (glued, "without")

        def say(found: list) -> str:
            if len(found) == 1:
                return f"Chinese and Latin {style} a space here, unlike the rest of the lesson"
            return (
                f"Chinese and Latin {style} a space in {len(found)} places in this paragraph, "
                "the first here, unlike the rest of the lesson"
            )

        yield from _grouped(loaded, minority, say)
