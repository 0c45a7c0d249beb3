"""Injected and invisible text: what copy-pasting from the web brings along.

Two kinds. Invisible characters (zero-width, bidi controls, private use) change what a
text means or how it sorts without showing. Spliced tokens are the SEO spam that pages
carry inside sentences: a brand and its pinyin ("开云kaiyun"), often with digits in
brackets ("(1635开云kaiyun)"). Ordinary Latin in Chinese — acronyms (PDF, GDP), numbers
(1361), capitalised names and spaced words (Python 3) — is left alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from builder.check.findings import Finding, locate_span, text_fields
from builder.source import LoadedLesson
from builder.text.measure import is_wide

_INVISIBLE = {
    **{chr(c): "zero-width" for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)},
    **{
        chr(c): "bidi control"
        for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
    },
}
_LOWER_RUN = re.compile(r"[a-z]{2,}")
_BRACKETED = re.compile(r"[（(][0-9A-Za-z\u4e00-\u9fff]{1,24}[）)]")


def _ideograph(char: str) -> bool:
    """A CJK letter (not punctuation: "（digital" is an ordinary aside)."""
    return is_wide(char) and unicodedata.category(char) == "Lo"


def _pinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(text)


def invisible(loaded: LoadedLesson) -> Iterator[Finding]:
    for path, text in text_fields(loaded):
        for index, char in enumerate(text):
            kind = _INVISIBLE.get(char)
            if kind is None and unicodedata.category(char) in ("Co", "Cc") and char not in "\n\t":
                kind = "private-use" if unicodedata.category(char) == "Co" else "control"
            if kind:
                yield Finding(
                    locate_span(loaded, path, text, index, index + 1),
                    "invisible",
                    f"{kind} character U+{ord(char):04X} in the text",
                )


def spliced_spans(text: str, allowed: set[str], denied: set[str]) -> Iterator[tuple[int, int]]:
    """Start and end of each spam token spliced into CJK text."""
    for term in denied:
        for match in re.finditer(re.escape(term), text):
            yield match.start(), match.end()
    for match in _LOWER_RUN.finditer(text):
        start, end = match.span()
        word = match.group()
        if word in allowed or word in denied:
            continue
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        # Only a lowercase word glued to Chinese on a side is suspicious; a word with
        # spaces around it, or part of a longer Latin phrase, is ordinary mixed text.
        if not (_ideograph(before) or _ideograph(after)):
            continue
        if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalnum()):
            continue  # part of a longer Latin word (iPhone, word2vec)
        # Extend over the Chinese characters the word spells in pinyin: 开云 + kaiyun.
        first = start
        for size in range(1, 6):
            if first - size < 0 or not all(_ideograph(c) for c in text[first - size : first]):
                break
            if "".join(_pinyin(text[first - size : first])) == word:
                start = first - size
                break
        # A bracket holding the brand and digits goes with it: (1635开云kaiyun).
        for bracket in _BRACKETED.finditer(text):
            if (
                bracket.start() <= start
                and end <= bracket.end()
                and re.search(r"\d", bracket.group())
            ):
                start, end = bracket.span()
        yield start, end


def spliced(loaded: LoadedLesson, allowed: set[str], denied: set[str]) -> Iterator[Finding]:
    for path, text in text_fields(loaded, prose_only=True):
        seen: set[tuple[int, int]] = set()
        for start, end in sorted(spliced_spans(text, allowed, denied)):
            if (start, end) in seen:
                continue
            seen.add((start, end))
            yield Finding(
                locate_span(loaded, path, text, start, end),
                "injected",
                f"'{text[start:end]}' looks spliced into the text (web spam?)",
            )
