"""What a print shop's workflow asks of a PDF beyond WeasyPrint's own variants.

WeasyPrint makes PDF/X-4, PDF/A-2b and PDF/UA-1 documents (``pdf_variant``): version,
output intent, XMP metadata. What it leaves, done here:

- inks: text in black alone, a K-only black where the variant's output is CMYK (PDF/X),
  every theme colour as CMYK there (no DeviceRGB), grey shades for ``--grayscale``;
- the CMYK output profile PDF/X needs (``icc``), and DefaultRGB for images, which keep
  their RGB pixels;
- identifiers that are the same on every build: WeasyPrint writes a random XMP
  DocumentID for PDF/X, and none for the others;
- font subset names unique to the glyphs they hold: WeasyPrint names a subset after the
  face alone, so two documents' different subsets share one name, and a print shop that
  merges them gets two fonts under one name (against ISO 32000-1 §9.6.4);
- a bleed box exactly the bleed around the trim box.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid

from builder.render.print.weasy import reach, srgb_profile

CMYK = "pdf/x-4"
"""The variant whose output condition is CMYK."""

_THEME_COLOURS = {
    # name: (CMYK, grey), for the built-in theme's colours (print.css :root)
    "--ink": ((0, 0, 0, 1), 0.0),
    "--accent": ((0, 0.86, 0.84, 0.36), 0.2),
    "--muted": ((0, 0, 0, 0.62), 0.38),
    "--rule": ((0, 0, 0, 0.22), 0.78),
    "--tint": ((0, 0.02, 0.05, 0.03), 0.94),
    "--paper": ((0, 0, 0, 0), 1.0),
}
_MARGIN_COLOURS = {"header_rule": 0.60, "footer": 0.33}
"""Greys the page's margin boxes use (print.css @page), which custom properties of the
document cannot reach."""


def colour_css(variant: str | None, grayscale: bool) -> str:
    """The theme's colours as the variant and a one-colour printer need them."""
    if variant is None and not grayscale:
        return ""

    def colour(cmyk: tuple[float, ...], grey: float) -> str:
        if variant == CMYK:
            return "device-cmyk({})".format(" ".join(f"{v:g}" for v in cmyk))
        level = round(grey * 255)
        return f"rgb({level} {level} {level})"

    values = {}
    for name, (cmyk, grey) in _THEME_COLOURS.items():
        if variant == CMYK and grayscale:
            cmyk = (0, 0, 0, round(1 - grey, 2))
        elif variant != CMYK and not grayscale and name != "--ink":
            continue  # RGB stays RGB; only the text goes black
        values[name] = colour(cmyk, grey)
    css = [":root { " + " ".join(f"{n}: {v};" for n, v in values.items()) + " }"]
    if variant == CMYK or grayscale:
        rule, footer = (
            colour((0, 0, 0, round(1 - grey, 2)), grey) for grey in _MARGIN_COLOURS.values()
        )
        css.append(
            f"@page {{ @top-center {{ border-bottom-color: {rule} }}"
            f" @bottom-center {{ color: {footer} }} }}"
        )
    return "\n".join(css)


def color_profiles(variant: str | None) -> dict | None:
    """The colour profiles WeasyPrint is given: PDF/X's CMYK output profile."""
    if variant != CMYK:
        return None
    profile_of = reach("weasyprint.css.ColorProfile")
    from builder.render.print.icc import generic_cmyk_profile

    profile = io.BytesIO(generic_cmyk_profile())
    return {
        "device-cmyk": profile_of(
            profile, "lectern-cmyk.icc", "relative-colorimetric", ["c", "m", "y", "k"]
        )
    }


def fix(pdf, identifier: str, bleed: float | None) -> None:
    """What the standards ask that WeasyPrint leaves (see the module's docstring)."""
    _unique_subset_names(pdf)
    if bleed is not None:
        _crop_marks(pdf, bleed * 72 / 25.4, cmyk=_uses_device_cmyk_output(pdf))
    metadata = pdf.catalog.get("Metadata")
    if metadata is not None:
        _xmp_identifiers(_referred(pdf, metadata), identifier)
    if _uses_device_cmyk_output(pdf):
        _default_rgb(pdf)


def _unique_subset_names(pdf) -> None:
    """Name each embedded subset after its glyphs: the tag (ABCDEF+) from a hash of the
    font program, so the same subset has the same name in every document, and different
    subsets different names."""

    renamed = {}
    for obj in pdf.objects:
        if isinstance(obj, reach("pydyf.Dictionary")) and "FontName" in obj:
            program = next(obj[k] for k in ("FontFile", "FontFile2", "FontFile3") if k in obj)
            stream = _referred(pdf, program)
            digest = hashlib.sha256(b"".join(_bytes(part) for part in stream.stream)).digest()
            name = _bytes(obj["FontName"])
            tag = "".join(chr(65 + b % 26) for b in digest[:6]).encode()
            renamed[name] = re.sub(rb"^/[A-Z]{6}\+", b"/" + tag + b"+", name)
    for obj in pdf.objects:
        if isinstance(obj, reach("pydyf.Dictionary")):
            for key in ("FontName", "BaseFont"):
                if key in obj and _bytes(obj[key]) in renamed:
                    obj[key] = renamed[_bytes(obj[key])]


def _referred(pdf, reference):
    """The object a reference ("12 0 R", as pydyf keeps it) names."""
    return pdf.objects[int(_bytes(reference).split()[0])]


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


def _crop_marks(pdf, bleed: float, cmyk: bool) -> None:
    """Each page's bleed box (its trim box grown by the bleed), the media outside it left
    blank, and crop marks there in line with the trim box's edges.

    WeasyPrint paints a page's background over the whole media and draws its own crop
    marks (CSS ``marks``) only on a page that has a background, into the bleed itself.
    The marks are drawn after the page's content, from the default coordinates (the
    content is wrapped in q … Q), as an artifact of a tagged page; in black ink alone
    where the output is CMYK.
    """

    white, black = (b"0 0 0 0 k", b"0 0 0 1 K") if cmyk else (b"1 g", b"0 G")
    opened = reach("pydyf.Stream")([b"q"])
    pdf.add_object(opened)
    for page in pdf.objects:
        if not (isinstance(page, reach("pydyf.Dictionary")) and page.get("Type") == "/Page"):
            continue
        left, bottom, right, top = (float(v) for v in page["TrimBox"])
        media = [float(v) for v in page["MediaBox"]]
        box = (left - bleed, bottom - bleed, right + bleed, top + bleed)
        page["BleedBox"] = reach("pydyf.Array")(box)
        frame = (
            f"{media[0]} {media[1]} {media[2] - media[0]} {media[3] - media[1]} re "
            f"{box[0]} {box[1]} {box[2] - box[0]} {box[3] - box[1]} re f*"
        )
        lines = []
        for x in (left, right):  # vertical marks, from the bleed's edge to the media's
            lines += [(x, box[1], x, media[1]), (x, box[3], x, media[3])]
        for y in (bottom, top):  # horizontal marks
            lines += [(box[0], y, media[0], y), (box[2], y, media[2], y)]
        strokes = " ".join(f"{x0:g} {y0:g} m {x1:g} {y1:g} l" for x0, y0, x1, y1 in lines)
        drawing = b"\n".join(
            [
                b"Q /Artifact BMC q",
                white,
                frame.encode(),
                black,
                b"0.25 w",
                strokes.encode() + b" S",
                b"Q EMC",
            ]
        )
        marks = reach("pydyf.Stream")([drawing])
        pdf.add_object(marks)
        page["Contents"] = reach("pydyf.Array")(
            [opened.reference, page["Contents"], marks.reference]
        )


_RDF_END = b"</rdf:RDF>"


def _xmp_identifiers(stream, identifier: str) -> None:
    """The XMP packet's document and instance identifiers, from the document's identity
    (the same on every build, as its /ID is), in place of WeasyPrint's random one."""
    document = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'lectern:' + identifier)}"
    packet = b"".join(_bytes(part) for part in stream.stream)
    packet = re.sub(rb"<xmpMM:DocumentID>[^<]*</xmpMM:DocumentID>", b"", packet)
    described = (
        '<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">'
        f"<xmpMM:DocumentID>{document}</xmpMM:DocumentID>"
        f"<xmpMM:InstanceID>{document}</xmpMM:InstanceID></rdf:Description>"
    ).encode()
    stream.stream = [packet.replace(_RDF_END, described + _RDF_END, 1)]


def _uses_device_cmyk_output(pdf) -> bool:
    intents = pdf.catalog.get("OutputIntents", ())
    return any("GTS_PDFX" in str(intent.get("S")) for intent in intents)


def _default_rgb(pdf) -> None:
    """Images keep their RGB pixels; under a CMYK output intent PDF/X allows DeviceRGB
    only where a DefaultRGB colour space says what it means: sRGB."""
    profile = reach("pydyf.Stream")([srgb_profile()], reach("pydyf.Dictionary")({"N": 3}))
    pdf.add_object(profile)
    for obj in pdf.objects:
        if isinstance(obj, reach("pydyf.Dictionary")) and "ColorSpace" in obj and "Font" in obj:
            spaces = _referred(pdf, obj["ColorSpace"])
            spaces["DefaultRGB"] = reach("pydyf.Array")(("/ICCBased", profile.reference))
