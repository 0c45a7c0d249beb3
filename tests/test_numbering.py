"""Heading numbers as Chinese documents write them (GB/T 9704: 一、 （一） 1. （1）),
written out here for parts past ten, where the tens are spoken: 十, 十二, 二十一."""

from __future__ import annotations

import pytest

from builder.text.numbering import heading_number

PARTS = {1: "一、", 9: "九、", 10: "十、", 11: "十一、", 12: "十二、", 20: "二十、", 21: "二十一、"}


@pytest.mark.parametrize(("n", "label"), list(PARTS.items()))
def test_parts_are_numbered_in_chinese_words(n: int, label: str) -> None:
    assert heading_number((n,), chinese=True) == label


def test_each_depth_has_its_own_form() -> None:
    assert [heading_number(t, True) for t in ((2,), (1, 12), (1, 1, 3), (1, 1, 1, 4))] == [
        "二、",
        "（十二）",
        "3.",
        "（4）",
    ]
    assert [heading_number(t, False) for t in ((2,), (2, 3), (2, 3, 4))] == ["2.", "2.3", "2.3.4"]
