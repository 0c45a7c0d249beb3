"""Taking out what copy-pasting brought along: spam spliced into sentences and invisible
characters, each reported with where it was, by the detectors ``lectern check`` uses."""

from __future__ import annotations

from builder.check.injected import spliced_spans
from builder.i18n import _
from builder.text.invisible import invisible_kind

_SEPARATORS = "\u2028\u2029"
"""Unicode's line and paragraph separators: breaks to keep (the reader makes them so)."""


def cleaned(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """text without spam and invisible characters, and (offset in text, what, why) for
    each piece taken out."""
    spans = [(start, end, _("web spam")) for start, end in spliced_spans(text, set(), set())]
    spans += [
        (index, index + 1, _("invisible character U+{code:04X}").format(code=ord(char)))
        for index, char in enumerate(text)
        if invisible_kind(char) and char not in _SEPARATORS
    ]
    kept, removed, at = [], [], 0
    for start, end, why in sorted(spans):
        if start < at:
            continue  # inside a span already taken out
        kept.append(text[at:start])
        removed.append((start, text[start:end], why))
        at = end
    kept.append(text[at:])
    return "".join(kept), removed
