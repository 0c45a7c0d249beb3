"""A print document imposed for saddle stitching: a booklet folded and stapled in the middle.

Each sheet holds four pages, two on each side, on paper twice the page's size (A4 pages
on A3, A5 on A4): printed double-sided (flipped on the short edge), the sheets stacked
in order and folded, the pages read 1, 2, 3 … The page count is padded to a multiple of
four with blank pages before the last one, so the last page (the handout's notes page)
stays the back cover. Pages are placed by their trim box, so a document with crop marks
and bleed is imposed trimmed.

The pages are placed with pikepdf (qpdf; MPL-2.0): each becomes a form XObject drawn at
its place on the sheet, so text, fonts and links' targets stay vector and searchable.
pdfimpose would do the same but is GPL-3.0, which Lectern's MIT licence would inherit.
The structure tree of a tagged document does not survive imposition: the booklet is for
the press, the handout for reading. qpdf writes the same bytes for the same pages, with
an identifier computed from its content (``deterministic_id``).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.formats import Job


def sheet_sides(pages: int) -> list[tuple[int, int]]:
    """The (left, right) page indices of each sheet side, front then back, sheet by sheet,
    for a booklet of pages (a multiple of four) in folding order."""
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 1 - 2 * sheet, 2 * sheet))  # front: outside of the fold
        sides.append((2 * sheet + 1, pages - 2 - 2 * sheet))  # back: inside
    return sides


def saddle_stitched(document: bytes) -> bytes:
    """The PDF document imposed as a saddle-stitched booklet (see the module docstring)."""
    import pikepdf
    from pikepdf import Name

    with pikepdf.open(io.BytesIO(document)) as source:
        pages = list(source.pages)
        padded = -(-len(pages) // 4) * 4
        sequence = [*pages[:-1], *[None] * (padded - len(pages)), pages[-1]]
        left, bottom, right, top = (float(v) for v in pages[0].trimbox)
        width, height = right - left, top - bottom
        booklet = pikepdf.new()
        for page in pages:  # placed by its trim box: marks and bleed fall outside
            page.mediabox = page.trimbox
        for side in sheet_sides(padded):
            sheet = booklet.add_blank_page(page_size=(2 * width, height))
            drawn = b""
            for slot, index in enumerate(side):
                if sequence[index] is None:
                    continue
                form = booklet.copy_foreign(sequence[index].as_form_xobject())
                # Named by page number (pikepdf's own overlay names them at random).
                name = sheet.add_resource(form, Name.XObject, Name(f"/Page{index + 1}"))
                place = pikepdf.Rectangle(slot * width, 0, (slot + 1) * width, height)
                drawn += sheet.calc_form_xobject_placement(form, name, place)
            sheet.contents_add(pikepdf.Stream(booklet, drawn))
            sheet.trimbox = sheet.mediabox  # each sheet is cut as it is
        _keep_standard(source, booklet)
        out = io.BytesIO()
        booklet.save(
            out, deterministic_id=True, compress_streams=True, min_version=source.pdf_version
        )
    return out.getvalue()


def _keep_standard(source, booklet) -> None:
    """The document's title, and what a PDF standard's file carries (output intent, XMP
    metadata, /Trapped), for the booklet: the XMP with an instance identifier of its own,
    since the booklet is another rendition of the same document."""
    import re
    import uuid

    from pikepdf import Name, Stream

    for key in ("/Title", "/Trapped"):
        if key in source.docinfo:
            booklet.docinfo[key] = source.docinfo[key]
    if "/OutputIntents" in source.Root:
        intents = source.make_indirect(source.Root.OutputIntents)  # copied as an object
        booklet.Root.OutputIntents = booklet.copy_foreign(intents)
    if "/Metadata" in source.Root:
        packet = source.Root.Metadata.read_bytes()
        instance = f"uuid:{uuid.uuid5(uuid.NAMESPACE_OID, packet.hex())}".encode()
        packet = re.sub(rb"(<xmpMM:InstanceID>)[^<]*", rb"\g<1>" + instance, packet)
        booklet.Root.Metadata = Stream(booklet, packet, Type=Name.Metadata, Subtype=Name.XML)


def render_booklet(job: Job) -> bytes:
    """The handout's booklet as the format registry makes it, from the handout's bytes."""
    assert job.source is not None  # Format.made_from: the handout comes first
    return saddle_stitched(job.source)
