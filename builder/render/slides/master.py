"""Slide masters: the built-in 16:9/4:3 design or the organisation's own .pptx/.potx.

Layout geometry is read from the master, never assumed: the planner fits text into the
placeholder boxes of whichever layouts the deck uses (``layouts.py`` chooses them).
A user's template is checked as a zip before python-pptx opens it, because it is
untrusted input like any lesson file.
"""

from __future__ import annotations

import functools
import hashlib
import io
import posixpath
import stat
import zipfile
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from builder.errors import Location, Problem, TemplateError
from builder.render.slides.colour import hex_of
from builder.render.slides.geometry import Box, DeckGeometry
from builder.render.slides.layouts import (
    BODY_TYPES,
    FOOTER_TYPES,
    TITLE_TYPES,
    box_of,
    map_layouts,
)

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
"""Parts of a template package; PowerPoint's own templates have a few hundred."""
_TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_MAIN = (
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)


def check_template_file(path: Path) -> bytes:
    """The template's bytes, as a presentation package; refuses what is not safe to open."""
    where = Location(path)
    try:
        if path.exists() and not path.is_file():
            raise TemplateError([Problem(where, "template is not a regular file")])
        with path.open("rb") as stream:
            data = stream.read(MAX_TEMPLATE_BYTES + 1)
        if len(data) > MAX_TEMPLATE_BYTES:
            raise TemplateError([Problem(where, "template is larger than 50 MB")])
    except OSError as error:
        raise TemplateError([Problem(where, f"cannot read template: {error.strerror}")]) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if len(members) > MAX_MEMBERS:
                raise TemplateError(
                    [Problem(where, f"template has more than {MAX_MEMBERS} parts (a zip bomb?)")]
                )
            names = {m.filename for m in members}
            for member in members:
                if _unsafe_member(member.filename):
                    raise TemplateError([Problem(where, f"unsafe member name {member.filename!r}")])
            if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
                raise TemplateError(
                    [Problem(where, "template unpacks to more than 200 MB (a zip bomb?)")]
                )
            if "[Content_Types].xml" not in names or "ppt/presentation.xml" not in names:
                raise TemplateError([Problem(where, "not a PowerPoint presentation or template")])
            for member in members:  # every part, whatever its name says it is
                part = package.read(member)
                if member.filename.endswith(".rels") and _links_outside(part):
                    # A picture or object linked by address is fetched by whatever opens
                    # the deck (LibreOffice for the slide PDF and serve): the network, or a
                    # file of the machine, from a stranger's template.
                    raise TemplateError(
                        [Problem(where, f"{member.filename} links to an outside file or address")]
                    )
                if _declares_a_dtd(part):
                    # Office never writes one; python-pptx keeps its entity references
                    # unresolved, and the deck they were copied into would not open.
                    raise TemplateError(
                        [Problem(where, f"{member.filename} declares a DTD (<!DOCTYPE>)")]
                    )
            types = package.read("[Content_Types].xml")
    except zipfile.BadZipFile:
        raise TemplateError([Problem(where, "not a PowerPoint file (not a zip package)")]) from None
    except (NotImplementedError, RuntimeError, ValueError, EOFError, OSError) as error:
        # An encrypted part, an unknown compression method, a damaged header.
        raise TemplateError([Problem(where, f"damaged PowerPoint package: {error}")]) from None
    if _TEMPLATE_MAIN in types:
        # A .potx is a presentation whose main part is labelled "template": relabel it so
        # python-pptx opens it; the masters and layouts are the same.
        data = _relabel(data, types.replace(_TEMPLATE_MAIN, _PRESENTATION_MAIN))
    return data


_NO_DTD = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)


def _declares_a_dtd(data: bytes) -> bool:
    """Whether data is XML, in any encoding the parser reads, with a document type
    declaration (and not just the words "<!DOCTYPE" in a comment)."""
    try:
        return bool(etree.fromstring(data, _NO_DTD).getroottree().docinfo.doctype)
    except etree.XMLSyntaxError:  # not XML (a picture), or XML python-pptx will refuse
        return False


_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _links_outside(rels: bytes) -> bool:
    """Whether a relationships part points outside the package at anything but a
    hyperlink (which is only shown, never fetched)."""
    try:
        root = etree.fromstring(rels, _NO_DTD)
    except etree.XMLSyntaxError:
        return False
    return any(
        rel.get("TargetMode") == "External" and rel.get("Type") != _HYPERLINK for rel in root
    )


def _unsafe_member(name: str) -> bool:
    """A zip member name that would leave the package if it were ever unpacked."""
    normal = posixpath.normpath(name.replace("\\", "/"))
    return (
        name.startswith(("/", "\\"))
        or normal == ".."
        or normal.startswith("../")
        or ":" in name.split("/", 1)[0]
        or any(ord(c) < 32 for c in name)
    )


def _relabel(data: bytes, types: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = types if info.filename == "[Content_Types].xml" else source.read(info)
            target.writestr(info, body)
    return out.getvalue()


def read_template(path: Path) -> tuple[bytes, str]:
    """A template's checked bytes and their sha256, read and checked once per version of
    the file: a build opens the master for the overflow check and again to draw."""
    try:
        info = path.stat()
    except OSError:
        info = None
    if info is None or not stat.S_ISREG(info.st_mode):
        return _checked(path)  # refused, with a located error
    return _read_template(path, info.st_size, info.st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _read_template(path: Path, size: int, modified: int) -> tuple[bytes, str]:
    return _checked(path)


def _checked(path: Path) -> tuple[bytes, str]:
    data = check_template_file(path)
    return data, hashlib.sha256(data).hexdigest()


def open_master(template: Path | None, geometry: DeckGeometry):
    """A presentation with no slides whose layouts the deck will use."""
    if template is not None:
        try:
            prs = Presentation(io.BytesIO(read_template(template)[0]))
        except TemplateError:
            raise
        except Exception as error:  # python-pptx raises many kinds on a malformed package
            raise TemplateError([Problem(Location(template), f"cannot open: {error}")]) from None
        _drop_slides(prs)
        _mend(prs)
        return prs
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(geometry.width), Pt(geometry.height)
    _place_builtin_layouts(prs, geometry)
    return prs


def set_theme_fonts(prs, latin: str, east_asian: str) -> None:
    """Make the built-in master's theme fonts the slide font, for both scripts.

    Every run Lectern draws names its faces; what a lecturer types later, bullets, and
    notes take the theme's, which python-pptx's default leaves as Calibri with no East
    Asian face at all, so a client falls back to a face nothing was measured with.
    """
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for scheme in (*root.iter(qn("a:majorFont")), *root.iter(qn("a:minorFont"))):
        scheme.find(qn("a:latin")).set("typeface", latin)
        scheme.find(qn("a:ea")).set("typeface", east_asian)
        for script in scheme.findall(qn("a:font")):
            if script.get("script") == "Hans":  # Simplified Chinese: 微软雅黑 otherwise
                script.set("typeface", east_asian)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_PROPERTIES = {
    "presProps": (
        "presentationPr",
        "application/vnd.openxmlformats-officedocument.presentationml.presProps+xml",
    ),
    "viewProps": (
        "viewPr",
        "application/vnd.openxmlformats-officedocument.presentationml.viewProps+xml",
    ),
}


def _mend(prs) -> None:
    """Mend what some masters lack and PowerPoint repairs (an "unreadable content" dialog)
    or the schemas require, so a deck made on them is valid: a colour scheme's name,
    the presentation and view properties parts."""
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    for master in prs.slide_masters:
        theme = master.part.part_related_by(RT.THEME)
        root = etree.fromstring(theme.blob)
        unnamed = [e for e in root.iter(qn("a:clrScheme")) if not e.get("name")]
        for scheme in unnamed:
            scheme.set("name", root.get("name") or "Theme")
        if unnamed:
            theme._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
    related = {rel.reltype for rel in prs.part.rels.values()}
    for name, (element, content_type) in _PROPERTIES.items():
        reltype = RT.PRES_PROPS if name == "presProps" else RT.VIEW_PROPS
        if reltype in related:
            continue
        xml = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<p:{element} xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
            'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
        )
        part = Part(PackURI(f"/ppt/{name}.xml"), content_type, prs.part.package, xml.encode())
        prs.part.relate_to(part, reltype)


def _drop_slides(prs) -> None:
    """Remove a template's example slides: the deck holds only the lesson's."""
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)


def _place_builtin_layouts(prs, g: DeckGeometry) -> None:
    """Move the default master's placeholders to the built-in design's boxes."""
    title, body = g.title_box(), g.body_box()
    content_width = g.width - 2 * g.margin
    boxes = {
        "Title Slide": (
            Box(g.margin, 110, content_width, 230),
            Box(g.margin, g.height - 118, content_width, 108),
        ),
        "Section Header": (
            Box(g.margin, 210, content_width, 180),
            Box(g.margin, 140, content_width, 60),
        ),
        "Title and Content": (title, body),
        "Title Only": (title, None),
    }
    for layout in prs.slide_layouts:
        # The built-in design draws its footer and slide number in its own places.
        for shape in list(layout.placeholders):
            if shape.placeholder_format.type in FOOTER_TYPES:
                shape._element.getparent().remove(shape._element)
        if layout.name not in boxes:
            continue
        title_box, body_box = boxes[layout.name]
        for shape, box in (
            (_placeholders(layout, TITLE_TYPES), title_box),
            (_placeholders(layout, BODY_TYPES), body_box),
        ):
            if shape and box:
                _move(shape[0], box)
    for shape in prs.slide_master.placeholders:
        kind = shape.placeholder_format.type
        if kind in TITLE_TYPES:
            _move(shape, title)
        elif kind in BODY_TYPES:
            _move(shape, body)


def _placeholders(layout, types) -> list:
    return sorted(
        (ph for ph in layout.placeholders if ph.placeholder_format.type in types),
        key=lambda ph: ph.placeholder_format.idx,
    )


def _move(shape, box: Box) -> None:
    shape.left, shape.top = Pt(box.left), Pt(box.top)
    shape.width, shape.height = Pt(box.width), Pt(box.height)


def describe_template(path: Path, overrides: dict[str, str] | None = None) -> str:
    """A readable listing of a template: per layout its placeholders, theme fonts,
    background, the slide kinds it is chosen for and where its colours do not read."""
    from builder.render.slides.backdrop import backdrop_of
    from builder.render.slides.look import with_looks
    from builder.render.slides.palette import theme_of

    prs = open_master(path, DeckGeometry())
    width, height = Emu(prs.slide_width).pt, Emu(prs.slide_height).pt
    geometry = DeckGeometry(width=width, height=height)
    mapping = with_looks(map_layouts(prs, geometry, overrides, path), geometry)
    lines = [f"{path}: {width:.0f} × {height:.0f} pt"]
    for layout in prs.slide_layouts:
        theme = theme_of(layout.slide_master)
        kinds = [kind for kind, (chosen, _) in mapping.items() if chosen is layout]
        backdrop = backdrop_of(layout, theme, width, height)
        lines.append(f"layout '{layout.name}' (type {layout._element.get('type') or 'none'})")
        lines.append(
            f"  fonts: headings '{theme.major.latin}' / '{theme.major.east_asian}', "
            f"body '{theme.minor.latin}' / '{theme.minor.east_asian}' (Latin / East Asian)"
        )
        lines.append(f"  background: {backdrop.kind} #{hex_of(backdrop.colour)}")
        lines.append(f"  slide kinds: {', '.join(kinds) or 'none'}")
        for ph in layout.placeholders:
            box = box_of(ph)
            kind = ph.placeholder_format.type
            lines.append(
                f"  placeholder {ph.placeholder_format.idx:>2} {kind.name if kind else '?':<13}"
                f" at ({box.left:.0f}, {box.top:.0f}) size {box.width:.0f} × {box.height:.0f} pt"
            )
        warnings = {w for k in kinds for w in mapping[k][1].look.warnings}
        lines += [f"  warning: {w}" for w in sorted(warnings)]
    lines.append("slide kinds:")
    lines += [f"  {kind:<11} → '{layout.name}'" for kind, (layout, _) in mapping.items()]
    return "\n".join(lines)
