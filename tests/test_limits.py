"""Every limit of a lesson, at the limit and one past it.

The limits are the ones the README and SECURITY.md promise, written out here rather than
read from the code: a lesson file of at most 2 MB (2,097,152 bytes), nested at most 64
levels, at most 200,000 values with aliases expanded, at most 1,000 entries in a list;
titles of at most 200 characters, names 300, prompts 1,000, a figure's value 24, unit 12
and label 100; at most 200 emphasised stretches in one text; minutes and durations in
their ranges; images of at most 20 MB (20,971,520 bytes) and 40,000,000 pixels.
"""

from __future__ import annotations

import copy
import struct
import zlib
from pathlib import Path

import pytest
import yaml
from PIL import Image

from builder.errors import LecternError
from builder.source import load_lesson

LESSON = {
    "title": "边界",
    "authors": [{"name": "作者", "affiliation": "单位"}],
    "date": "2025-01-02",
    "duration": "600",
    "sections": [
        {
            "id": "one",
            "title": "部分",
            "points": ["要点"],
            "figures": [{"value": "1", "unit": "个", "label": "区"}],
        }
    ],
    "questions": [{"prompt": "问题？", "minutes": "5", "hints": ["提示"], "follow_up": ["追问"]}],
    "closing": {"minutes": "0"},
}


def problems(folder: Path, text: str | bytes) -> str:
    """Every problem loading the lesson text in folder finds, as printed ("" for none)."""
    folder.mkdir(exist_ok=True)
    path = folder / "lesson.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    try:
        load_lesson(path)
    except LecternError as error:
        return str(error)
    return ""


def with_value(where: tuple, value: object) -> str:
    lesson = copy.deepcopy(LESSON)
    target = lesson
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    return yaml.safe_dump(lesson, allow_unicode=True, width=10**9)


TEXT_LIMITS = {
    "title": (("title",), 200),
    "subtitle": (("subtitle",), 200),
    "series": (("series",), 200),
    "sections[0].title": (("sections", 0, "title"), 200),
    "authors[0].name": (("authors", 0, "name"), 300),
    "authors[0].affiliation": (("authors", 0, "affiliation"), 300),
    "questions[0].prompt": (("questions", 0, "prompt"), 1000),
    "questions[0].hints[0]": (("questions", 0, "hints", 0), 1000),
    "questions[0].follow_up[0]": (("questions", 0, "follow_up", 0), 1000),
    "sections[0].figures[0].label": (("sections", 0, "figures", 0, "label"), 100),
    "sections[0].figures[0].value": (("sections", 0, "figures", 0, "value"), 24),
    "sections[0].figures[0].unit": (("sections", 0, "figures", 0, "unit"), 12),
}


@pytest.mark.parametrize("field", list(TEXT_LIMITS))
def test_a_text_at_its_limit_is_taken_and_one_character_more_is_refused(
    tmp_path: Path, field: str
) -> None:
    where, limit = TEXT_LIMITS[field]
    assert problems(tmp_path, with_value(where, "字" * limit)) == ""
    refused = problems(tmp_path, with_value(where, "字" * (limit + 1)))
    assert f"{field}: " in refused and str(limit) in refused, refused


NUMBER_RANGES = {
    "questions[0].minutes": (("questions", 0, "minutes"), 1, 120),
    "closing.minutes": (("closing", "minutes"), 0, 60),
    "duration": (("duration",), 1, 600),
    "lectern": (("lectern",), 1, 1),
}


@pytest.mark.parametrize("field", list(NUMBER_RANGES))
def test_a_number_at_either_end_of_its_range_is_taken_and_one_beyond_is_refused(
    tmp_path: Path, field: str
) -> None:
    where, low, high = NUMBER_RANGES[field]
    for taken in (low, high):
        assert problems(tmp_path, with_value(where, str(taken))) == "", (field, taken)
    for beyond in (low - 1, high + 1):
        refused = problems(tmp_path, with_value(where, str(beyond)))
        assert f"{field}: " in refused, (field, beyond, refused)


def test_two_hundred_emphases_in_one_text_are_taken_and_one_more_is_refused(
    tmp_path: Path,
) -> None:
    point = ("sections", 0, "points", 0)
    assert problems(tmp_path, with_value(point, "**重**点" * 200)) == ""
    refused = problems(tmp_path, with_value(point, "**重**点" * 201))
    assert "sections[0].points[0]: " in refused and "200" in refused


def test_a_list_of_1000_entries_is_taken_and_1001_are_refused(tmp_path: Path) -> None:
    points = ("sections", 0, "points")
    assert problems(tmp_path, with_value(points, [f"要点{i}" for i in range(1000)])) == ""
    refused = problems(tmp_path, with_value(points, [f"要点{i}" for i in range(1001)]))
    assert "sections[0].points: 1001 entries" in refused and "1000" in refused


def nested(levels: int) -> str:
    """A lesson whose deepest value is levels keys and indices below the top: an
    objective nested in lists (which the model then refuses, for another reason)."""
    value = "目标"
    for _ in range(levels - 1):  # "objectives" is the first level
        value = [value]
    return with_value(("objectives",), value)


def test_values_nested_64_levels_are_read_and_65_are_refused(tmp_path: Path) -> None:
    assert "levels deep" not in problems(tmp_path, nested(64))
    assert "nested more than 64 levels deep" in problems(tmp_path, nested(65))


def with_values(count: int) -> str:
    """A lesson of exactly count values with aliases expanded (the top mapping, every
    mapping, list and text below it; keys are not values): the points are 1,000 aliases
    of one list of texts, and the rest of the lesson is counted from LESSON."""
    base = yaml.safe_dump({**LESSON, "sections": [{"title": "部分", "points": "POINTS"}]})

    def values(node) -> int:
        if isinstance(node, dict):
            return 1 + sum(values(v) for v in node.values())
        if isinstance(node, list):
            return 1 + sum(values(v) for v in node)
        return 1

    others = values(yaml.safe_load(base)) - 1  # the points' placeholder is replaced
    # points: a list (1) of `lists` aliases to a list (1) of `texts` texts, plus one more
    # list (the anchor's own place) holding the remainder.
    wanted = count - others - 1
    texts = 199
    lists, remainder = divmod(wanted, texts + 1)
    anchor = "[" + ", ".join(["t"] * texts) + "]"
    items = ["&l " + anchor] + ["*l"] * (lists - 1)
    if remainder:
        items.append("[" + ", ".join(["t"] * (remainder - 1)) + "]")
    return base.replace("POINTS", "[" + ", ".join(items) + "]")


def test_200000_values_are_read_and_one_more_is_refused(tmp_path: Path) -> None:
    assert "values (an alias bomb?)" not in problems(tmp_path, with_values(200_000))
    assert "more than 200000 values" in problems(tmp_path, with_values(200_001))


def test_a_lesson_file_of_2_mb_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    text = yaml.safe_dump(LESSON, allow_unicode=True).encode("utf-8") + b"#"
    padded = text + b"x" * (2 * 1024 * 1024 - len(text) - 1) + b"\n"
    assert len(padded) == 2_097_152
    assert problems(tmp_path, padded) == ""
    assert "2 MB" in problems(tmp_path, padded[:-1] + b"x\n")


def png_of_size(size: int) -> bytes:
    """A valid 4×3 PNG of exactly size bytes: padded by a private ancillary chunk."""
    image = Image.new("RGB", (4, 3), (200, 30, 30))
    path_bytes = _png_bytes(image)
    head, tail = path_bytes[:-12], path_bytes[-12:]  # tail: the IEND chunk
    filler = size - len(path_bytes) - 12
    chunk = b"prIv" + b"\0" * filler
    padding = struct.pack(">I", filler) + chunk + struct.pack(">I", zlib.crc32(chunk))
    data = head + padding + tail
    assert len(data) == size
    return data


def _png_bytes(image: Image.Image) -> bytes:
    import io

    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def with_image(folder: Path, data: bytes) -> str:
    folder.mkdir(exist_ok=True)
    (folder / "x.png").write_bytes(data)
    image = [{"src": "x.png", "alt": "图"}]
    return with_value(("sections", 0, "images"), image)


def test_an_image_of_20_mb_is_taken_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    limit = 20 * 1024 * 1024
    assert problems(tmp_path, with_image(tmp_path, png_of_size(limit))) == ""
    refused = problems(tmp_path, with_image(tmp_path, png_of_size(limit + 1)))
    assert "is larger than 20 MB" in refused


def test_an_image_of_40_million_pixels_is_taken_and_one_more_is_refused(tmp_path: Path) -> None:
    # One row: the header says the pixel count; a grey row of zeros compresses to little.
    taken = _png_bytes(Image.new("L", (40_000_000, 1)))
    assert problems(tmp_path, with_image(tmp_path, taken)) == ""
    refused = problems(tmp_path, with_image(tmp_path, _png_bytes(Image.new("L", (40_000_001, 1)))))
    assert "40000001×1 pixels; at most 40 megapixels" in refused
