"""Plain lesson data → the text of a lesson.yaml a lecturer can read and edit: prose in
``|`` blocks, plain values where YAML allows, drafted values marked with a comment."""

from __future__ import annotations

import json
from typing import Any

DRAFT = {"zh": "草稿：请授课人改写", "en": "draft: please rewrite"}
HEADER = {
    "zh": "# 由 lectern import 从 {source} 生成。标有“草稿”的内容是自动拟写的，请授课人改写。\n",
    "en": "# Made by lectern import from {source}. Values marked “draft” were drafted.\n",
}
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`~")


def lesson_yaml(data: dict[str, Any], drafts: set[tuple], source: str) -> str:
    """The YAML text of data, each path in drafts marked as a draft."""
    language = "zh" if str(data.get("language", "")).startswith("zh") else "en"
    lines: list[str] = [HEADER[language].format(source=source)]
    _mapping(data, (), 0, lines, drafts, DRAFT[language], first_prefix=None)
    return "\n".join(lines) + "\n"


def _mapping(value, path, indent, lines, drafts, note, first_prefix) -> None:
    for index, (key, item) in enumerate(value.items()):
        prefix = first_prefix if index == 0 and first_prefix is not None else " " * indent
        _entry(f"{prefix}{key}:", item, (*path, key), indent, lines, drafts, note)


def _entry(head, item, path, indent, lines, drafts, note) -> None:
    comment = f"  # {note}" if path in drafts else ""
    if isinstance(item, dict):
        lines.append(head + comment)
        _mapping(item, path, indent + 2, lines, drafts, note, first_prefix=None)
    elif isinstance(item, list):
        lines.append(head + comment)
        for i, element in enumerate(item):
            dash = " " * (indent + 2) + "- "
            if isinstance(element, dict):
                _mapping(element, (*path, i), indent + 4, lines, drafts, note, first_prefix=dash)
            else:
                lines.append(dash + _scalar(str(element), indent + 4))
    else:
        text = str(item)
        if "\n" in text:
            lines.append(f"{head} |{comment}")
            for line in text.split("\n"):
                lines.append(" " * (indent + 2) + line if line else "")
        else:
            lines.append(f"{head} {_scalar(text, indent)}{comment}")


def _scalar(text: str, indent: int) -> str:
    """text as a plain YAML scalar where that reads back the same, else double-quoted."""
    plain = (
        text
        and text == text.strip()
        and text[0] not in _INDICATORS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.isprintable()
    )
    return text if plain else json.dumps(text, ensure_ascii=False)
