"""The slide PDF: the deck as LibreOffice renders it, one page per slide, reproducible.

LibreOffice stamps each PDF with the clock (/CreationDate), a random file identifier
(/ID) and a checksum that covers them (/DocChecksum); the date is replaced by the build's
time, the identifier by a hash of the content, and the checksum dropped, so the same
deck gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from builder.render.office.libreoffice import office


def normalised_pdf(pdf: bytes, created: dt.datetime) -> bytes:
    """pdf with its dates set to created and its identifier derived from its content."""
    import pikepdf

    stamp = created.strftime("D:%Y%m%d%H%M%SZ")
    with pikepdf.open(io.BytesIO(pdf)) as document:
        info = document.docinfo
        info["/CreationDate"] = stamp
        info["/ModDate"] = stamp
        for key in ("/DocChecksum", "/ID"):  # an /ID left would keep its first half
            if key in document.trailer:
                del document.trailer[key]
        if "/Metadata" in document.Root:  # XMP repeats the dates; the Info dictionary suffices
            del document.Root["/Metadata"]
        out = io.BytesIO()
        document.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def slides_pdf(deck: bytes, created: dt.datetime, where: Path) -> bytes:
    """The deck (.pptx bytes) as a PDF of its slides; where locates errors."""
    return normalised_pdf(office().to_pdf(deck, where), created)
