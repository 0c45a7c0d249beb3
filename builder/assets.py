"""Files a lesson refers to (images): found inside the lesson folder, checked before use.

Lesson files are untrusted: a path may not leave the lesson folder (``..``, absolute
paths, percent-encoding, symlinks), must name a regular file under a size cap, and must
be an image format on the allow-list whose pixel count is bounded, so a tiny file that
decodes to gigabytes is refused before anything decodes it. The format is told by the
file's first bytes, and only the PNG and JPEG readers ever see a lesson's file: Pillow's
other parsers (some of which call out to other programs) are never asked to identify it.
An image that passes is decoded once in full, so a corrupt one is an error naming it,
not a picture silently missing from a slide.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from builder.errors import Problem, Refusal
from builder.i18n import N_, _

if TYPE_CHECKING:
    from builder.model import Lesson
    from builder.sourcemap import SourceMap

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
"""About 8000×5000: more than any slide or A4 page can show."""
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
_SIGNATURES = {"PNG": (b"\x89PNG\r\n\x1a\n",), "JPEG": (b"\xff\xd8\xff",)}
_OTHER_SIGNATURES = {
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"BM": "BMP",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
    b"\x00\x00\x01\x00": "ICO",
    b"%PDF": "PDF",
    b"%!PS": "PostScript",
    b"\xc5\xd0\xd3\xc6": "EPS",
    b"<svg": "SVG",
    b"<?xml": "XML (SVG?)",
    b"\x00\x00\x00\x0cjP  ": "JPEG 2000",
}


def resolve_asset(src: str, folder: Path) -> Path:
    """The file src names inside folder; ``ValueError`` says why it is refused."""
    decoded = urllib.parse.unquote(src)
    if "://" in decoded or decoded.startswith(("/", "\\")) or ":" in decoded[:3]:
        raise ValueError(N_("must be a path relative to the lesson folder"))
    if any(ord(c) < 32 or ord(c) == 127 for c in decoded):
        raise ValueError(N_("contains a control character"))
    try:
        root = folder.resolve()
        candidate = (folder / decoded).resolve()
        if not candidate.is_relative_to(root):
            raise ValueError(N_("points outside the lesson folder"))
        if not candidate.exists():
            raise ValueError(N_("file not found"))
        if not candidate.is_file():
            raise ValueError(N_("is not a regular file"))
        size = candidate.stat().st_size
    except RuntimeError:  # Python 3.11's resolve() on a loop of symbolic links
        raise ValueError(N_("is a loop of symbolic links")) from None
    except OSError as error:  # a name too long, a folder that cannot be read
        raise Refusal(N_("cannot be read ({reason})"), reason=error.strerror) from None
    if size > MAX_IMAGE_BYTES:
        raise Refusal(N_("is larger than {limit} MB"), limit=MAX_IMAGE_BYTES // (1024 * 1024))
    return candidate


def image_format(path: Path) -> str:
    """The MIME type of an allowed, sane image; ``ValueError`` for anything else.

    The pixel count is read from the header and checked before any pixel is decoded
    (Pillow's own bomb check would only warn up to twice its larger limit).
    """
    from PIL import JpegImagePlugin, PngImagePlugin

    readers = {"PNG": PngImagePlugin.PngImageFile, "JPEG": JpegImagePlugin.JpegImageFile}
    try:
        with path.open("rb") as stream:
            head = stream.read(16)
    except OSError as error:
        raise Refusal(N_("cannot be read ({reason})"), reason=error.strerror) from None
    kind = next((k for k, marks in _SIGNATURES.items() if head.startswith(marks)), None)
    if kind is None:
        other = next((n for mark, n in _OTHER_SIGNATURES.items() if head.startswith(mark)), None)
        if other:
            raise Refusal(N_("is {kind}; use PNG or JPEG"), kind=other)
        raise ValueError(N_("is not a PNG or JPEG image"))
    # Pillow's readers signal a malformed file with any of these.
    malformed = (SyntaxError, OSError, EOFError, ValueError, IndexError, KeyError, TypeError)
    try:
        image = readers[kind](str(path))
    except malformed as error:
        raise Refusal(
            N_("is not a readable {kind} image ({reason})"), kind=kind, reason=_reason(error)
        ) from None
    with image:
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise Refusal(
                N_("is {width}×{height} pixels; at most {limit} megapixels are accepted"),
                width=width,
                height=height,
                limit=MAX_IMAGE_PIXELS // 1_000_000,
            )
        try:
            image.load()
        except malformed as error:
            raise Refusal(
                N_("is not a readable {kind} image ({reason})"), kind=kind, reason=_reason(error)
            ) from None
        if image.mode not in PRINTABLE_MODES and "transparency" not in image.info:
            raise Refusal(
                N_("has {mode} pixels, which a PDF cannot hold; save it as 8-bit RGB or grey"),
                mode="16-bit grey" if image.mode.startswith("I;16") else f"'{image.mode}'",
            )
    return IMAGE_FORMATS[kind]


def aspect_ratio(path: Path) -> float:
    """An image's width over its height, from its header (``image_format`` has accepted
    it, so it is a readable PNG or JPEG)."""
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
    return width / height


PRINTABLE_MODES = frozenset({"1", "P", "I", "L", "LA", "RGB", "RGBA", "CMYK"})
"""Pillow's pixel modes WeasyPrint writes into a PDF (it converts 1, P and I to RGB)."""


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 80 else text[:77] + "..."


def check_images(lesson: Lesson, folder: Path, source_map: SourceMap) -> list[Problem]:
    """A located problem for every image of the lesson that cannot be used."""
    problems = []
    for path, image in _images_with_paths(lesson):
        try:
            image_format(resolve_asset(image.src, folder))
        except ValueError as error:
            why = error.translated() if isinstance(error, Refusal) else _(str(error))
            problems.append(
                Problem(
                    source_map.locate((*path, "src")),
                    _("image '{src}': {why}").format(src=image.src, why=why),
                )
            )
    return problems


def _images_with_paths(lesson: Lesson):
    def walk(sections, prefix):
        for i, section in enumerate(sections):
            for j, image in enumerate(section.images):
                yield (*prefix, i, "images", j), image
            yield from walk(section.sections, (*prefix, i, "sections"))

    yield from walk(lesson.sections, ("sections",))
