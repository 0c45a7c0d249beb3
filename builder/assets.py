"""Files a lesson refers to (images): found inside the lesson folder, checked before use.

Lesson files are untrusted: a path may not leave the lesson folder (``..``, absolute
paths, percent-encoding, symlinks), must name a regular file under a size cap, and must
be an image format on the allow-list whose pixel count is bounded, so a tiny file that
decodes to gigabytes is refused before anything decodes it.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from builder.errors import Problem

if TYPE_CHECKING:
    from builder.model import Lesson
    from builder.source import SourceMap

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
"""About 8000×5000: more than any slide or A4 page can show."""
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


def resolve_asset(src: str, folder: Path) -> Path:
    """The file src names inside folder; ``ValueError`` says why it is refused."""
    decoded = urllib.parse.unquote(src)
    if "://" in decoded or decoded.startswith(("/", "\\")) or ":" in decoded[:3]:
        raise ValueError("must be a path relative to the lesson folder")
    root = folder.resolve()
    candidate = (folder / decoded).resolve()
    if not candidate.is_relative_to(root):
        raise ValueError("points outside the lesson folder")
    if not candidate.exists():
        raise ValueError("file not found")
    if not candidate.is_file():
        raise ValueError("is not a regular file")
    if candidate.stat().st_size > MAX_IMAGE_BYTES:
        raise ValueError(f"is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    return candidate


def image_format(path: Path) -> str:
    """The MIME type of an allowed, sane image; ``ValueError`` for anything else."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind, (width, height) = image.format, image.size
            if kind not in IMAGE_FORMATS:
                raise ValueError(f"is {kind}; use PNG or JPEG")
            if width * height > MAX_IMAGE_PIXELS:
                raise ValueError(
                    f"is {width}×{height} pixels; at most "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels are accepted"
                )
            image.verify()
    except (UnidentifiedImageError, SyntaxError, OSError) as error:
        raise ValueError(f"is not a readable PNG or JPEG image ({error})") from None
    return IMAGE_FORMATS[kind]


def check_images(lesson: Lesson, folder: Path, source_map: SourceMap) -> list[Problem]:
    """A located problem for every image of the lesson that cannot be used."""
    problems = []
    for path, image in _images_with_paths(lesson):
        try:
            image_format(resolve_asset(image.src, folder))
        except ValueError as why:
            problems.append(
                Problem(source_map.locate((*path, "src")), f"image '{image.src}': {why}")
            )
    return problems


def _images_with_paths(lesson: Lesson):
    def walk(sections, prefix):
        for i, section in enumerate(sections):
            for j, image in enumerate(section.images):
                yield (*prefix, i, "images", j), image
            yield from walk(section.sections, (*prefix, i, "sections"))

    yield from walk(lesson.sections, ("sections",))
