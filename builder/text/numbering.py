"""Heading numbers generated from a lesson's structure, in the lesson's convention.

Chinese documents number parts 一、 points （一） and sub-points 1. (GB/T 9704 style);
other languages use decimal outline numbers.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, up to 99."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def heading_number(trail: tuple[int, ...], chinese: bool) -> str:
    """The label for a heading at trail (1-based position at each depth): 一、（二）3. or 1.2.3"""
    if not chinese:
        return ".".join(str(n) for n in trail) + ("." if len(trail) == 1 else "")
    n, depth = trail[-1], len(trail)
    if depth == 1:
        return f"{chinese_number(n)}、"
    if depth == 2:
        return f"（{chinese_number(n)}）"
    if depth == 3:
        return f"{n}."
    return f"（{n}）"


def numbered_title(trail: tuple[int, ...], title: str, chinese: bool) -> str:
    """A title with its number: "一、标题", "（一）标题", or "1.2 Title" with a space."""
    number = heading_number(trail, chinese)
    return f"{number}{title}" if chinese else f"{number} {title}"


_TYPED = re.compile(
    r"第[一二三四五六七八九十]+(?:部分|章|节|讲)[：:、\s]+"  # 第一部分：
    r"|[一二三四五六七八九十]+[、.．]\s*"  # 一、
    r"|[（(][一二三四五六七八九十\d]+[）)]\s*"  # （一） (1)
    r"|\d+(?:\.\d+)*[.．、](?!\d)\s*"  # 1. 1.2.
    r"|\d+(?:\.\d+)+\s+"  # 1.2 Title
)


def typed_number(title: str) -> str:
    """The heading number an author typed at the start of title ("一、", "（二）", "1.2 "),
    with the space after it; "" when there is none. Lectern numbers headings itself."""
    match = _TYPED.match(title)
    return match.group() if match and match.end() < len(title) else ""
