"""A lesson's date as its readers write dates: 2024年7月1日 in Chinese, 1 July 2024 otherwise."""

from __future__ import annotations

import datetime as dt

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(date: dt.date, language: str) -> str:
    """The date written out for a BCP 47 language: Chinese (zh-*) as 2024年7月1日, every
    other language in English day-month-year order, 1 July 2024 (no locale lookup, so
    the output is the same on every machine)."""
    if language.lower().startswith("zh"):
        return f"{date.year}年{date.month}月{date.day}日"
    return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
