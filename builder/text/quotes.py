"""Straight quotation marks typed in Chinese text, set as the Chinese marks “” and ‘’.

An author types " on a Latin keyboard; beside Chinese it is a quotation mark all the
same, and left straight it is drawn in the Latin face, narrow, with the space clients
put between Chinese and Latin text beside it (`以" 1361"`). Marks pair up in the order
typed; only those with a Chinese character beside them are turned, so markup-like text
(`src="x"`) and Latin prose keep theirs (print turns Latin quotes its own way).
"""

from __future__ import annotations

from builder.text.measure import is_wide

_TURNED = {'"': ("\u201c", "\u201d"), "'": ("\u2018", "\u2019")}


def chinese_quotes(text: str) -> str:
    """text with each straight quote beside a Chinese character turned to open or close,
    as its place among the text's straight quotes of that kind says."""
    if not any(is_wide(char) for char in text) or not any(q in text for q in _TURNED):
        return text
    chars = list(text)
    seen = {'"': 0, "'": 0}
    for i, char in enumerate(text):
        if char not in _TURNED:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        beside_chinese = is_wide(before[:1] or " ") or is_wide(after[:1] or " ")
        if char == "'" and not beside_chinese:
            continue  # an apostrophe (don't) counts in no pair
        if beside_chinese:
            chars[i] = _TURNED[char][seen[char] % 2]
        seen[char] += 1
    return "".join(chars)
