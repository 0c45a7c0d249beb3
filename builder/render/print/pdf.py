"""HTML → PDF with WeasyPrint, fenced in: no network, no files outside the lesson and theme.

WeasyPrint is loaded (through ``weasy``, the only door to it) when a PDF is actually
rendered: the import costs most of a second. One font configuration is shared by every
document of the process; WeasyPrint would otherwise build one per document and keep its
memory. Its large CJK faces are cut down to the lesson's printed characters first (``fonts``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.errors import Location, Problem, RenderError
from builder.render.print import engine, standards
from builder.render.print.weasy import reach
from builder.text.measure import is_wide

MAX_RESOURCE_BYTES = 200 * 1024 * 1024
"""A file a print document may load (an image, a theme font: CJK collections are large)."""


MAX_PARSED = 16
_PARSED: dict[tuple[str, str], object] = {}
"""Theme stylesheets parsed in this process, by path and text: parsing one took ~20 ms
of every document (each save, in ``lectern watch``). Only a stylesheet that names no
@import, url() or @font-face is kept: one that does registers fonts or fetches files,
read for the characters fonts are cut to, for each document anew."""

NOTDEF = ".notdef glyph rendered"
"""WeasyPrint's warning for a character no font in use has."""


MEMORY = "lectern-memory:"
"""The scheme of resources made in memory for one document (``html_to_pdf``'s resources)."""


def _fetcher(
    allowed: tuple[Path, ...],
    requests: list[str],
    texts: list[str] | None = None,
    resources: dict[str, bytes] | None = None,
):
    """A URL fetcher that serves only local files below the allowed folders, and the
    resources made for the document (by their ``lectern-memory:`` URL).

    Every URL asked for goes into requests; what it serves that is text (an imported
    stylesheet, an SVG) into texts, whose characters the cut-down fonts must have too.
    """
    refused = reach("weasyprint.urls.FatalURLFetchingError")
    response = reach("weasyprint.urls.URLFetcherResponse")

    class FencedFetcher(reach("weasyprint.urls.URLFetcher")):
        def fetch(self, url: str, headers=None):
            requests.append(url)
            if resources and url in resources:
                return response(url, resources[url])
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise refused(f"refused to fetch {url!r}: Lectern never uses the network")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(folder.resolve()) for folder in allowed):
                raise refused(f"refused to read {path}: outside the lesson and theme")
            # Only regular files, and not without end: a FIFO or a device would hang here.
            if path.exists() and (not path.is_file() or path.stat().st_size > MAX_RESOURCE_BYTES):
                raise refused(
                    f"refused to read {path}: not a regular file of at most "
                    f"{MAX_RESOURCE_BYTES // (1024 * 1024)} MB"
                )
            data = path.read_bytes()
            if texts is not None:
                with contextlib.suppress(UnicodeDecodeError):
                    texts.append(data.decode("utf-8"))
            return response(url, data)

    return FencedFetcher(fail_on_errors=True)


def _finisher(identifier: str, bleed: float | None):
    def finish(document, pdf) -> None:
        _finish(document, pdf)
        standards.fix(pdf, identifier, bleed)
        _serialise_once(document, pdf)

    return finish


def _finish(document, pdf) -> None:
    """The last touches to the PDF before it is written: a document with bookmarks opens
    with them shown (WeasyPrint has no option for the catalog's /PageMode), and their
    titles read as the headings do, without the word joiners and no-break spaces that
    keep a heading's last two characters or words on one line (``markup.kept_together``)."""
    from builder.render.print.markup import NO_BREAK_SPACE, WORD_JOINER

    dictionary, string = reach("pydyf.Dictionary"), reach("pydyf.String")

    if "Outlines" in pdf.catalog:
        pdf.catalog["PageMode"] = "/UseOutlines"
    for obj in pdf.objects:
        if isinstance(obj, dictionary) and isinstance(obj.get("Title"), string):
            title = obj["Title"].string.replace(WORD_JOINER, "").replace(NO_BREAK_SPACE, " ")
            obj["Title"] = string(title)


def _serialise_once(document, pdf) -> None:
    """Have each stream of the PDF serialised and compressed once, not twice.

    A PDF with an identifier is serialised twice by pydyf: once to write it, once more
    to hash it for its /ID. Streams (page contents, fonts) are joined and compressed at
    zlib's slowest level each time: 15-25 % of a document's render. Nothing changes a
    stream between the two, so the first bytes are kept; the PDF is byte-identical.
    """
    stream = reach("pydyf.Stream")
    for obj in pdf.objects:
        if isinstance(obj, stream):
            obj.__class__ = _serialised_once(type(obj))


@functools.cache
def _serialised_once(cls: type) -> type:
    def data(self) -> bytes:
        kept = self.__dict__.get("_lectern_data")
        if kept is None:
            kept = self.__dict__["_lectern_data"] = cls.data.fget(self)
        return kept

    return type(cls.__name__, (cls,), {"data": property(data)})


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def html_to_pdf(
    html: str,
    stylesheets: list[Path],
    *,
    extra_css: str = "",
    allowed: tuple[Path, ...],
    identifier: str,
    requests: list[str] | None = None,
    origin: Path,
    cut_fonts: bool = True,
    chars: frozenset[str] | None = None,
    variant: str | None = None,
    bleed: float | None = None,
    resources: dict[str, bytes] | None = None,
) -> bytes:
    """Render html to PDF bytes; any WeasyPrint warning (a missing image, font) is an error.

    resources are files made for this document (pictures of slides), by their URL
    (``MEMORY`` followed by a name): their URLs, unlike a temporary file's, are the same
    on every run, and WeasyPrint names images in the PDF after their URLs.

    cut_fonts=False renders with the whole installed faces (``fonts``), as WeasyPrint
    would by itself: the same pages, slower and larger. chars are the characters to cut
    them to (the lesson's, which its documents share: ``documents.printed_lesson``), the
    document's own added where they are not all among them. variant names a PDF standard
    (``standards``); bleed, in millimetres, is the page's bleed box around its trim box.
    """
    weasyprint = engine.weasyprint()
    refused = reach("weasyprint.urls.FatalURLFetchingError")

    for path in stylesheets:  # opened by name, not through the fetcher: fenced here
        real = path.resolve()
        if not real.is_file() or not any(real.is_relative_to(f.resolve()) for f in allowed):
            raise RenderError(
                [Problem(Location(path), "stylesheet is not a file inside the theme folders")]
            )
    from builder.render.print.fonts import charset, document_fonts, whole_fonts

    def write(font_config) -> tuple[bytes, list[str], list[str]]:
        texts: list[str] = []
        fetcher = _fetcher(allowed, requests if requests is not None else [], texts, resources)
        collect = _Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collect)
        try:
            document = weasyprint.HTML(
                string=html, base_url=origin.resolve().parent.as_uri() + "/", url_fetcher=fetcher
            )
            css = []
            for path, text in zip(stylesheets, sheets, strict=True):
                key = (str(path.resolve()), hashlib.sha256(text.encode()).hexdigest())
                if key in _PARSED:
                    css.append(_PARSED[key])
                    continue
                seen = len(collect.messages)
                try:  # what goes wrong reading a stylesheet is the theme's
                    sheet = weasyprint.CSS(
                        string=text,
                        base_url=path.resolve().as_uri(),
                        url_fetcher=fetcher,
                        font_config=font_config,
                    )
                except refused as error:
                    raise _refused(error, path) from None
                if len(collect.messages) > seen:
                    raise _warned(collect.messages[seen:], path)
                if not any(w in text.lower() for w in ("@font-face", "url(", "@import")):
                    if len(_PARSED) >= MAX_PARSED:
                        _PARSED.clear()
                    _PARSED[key] = sheet
                css.append(sheet)
            if extra_css:
                css.append(weasyprint.CSS(string=extra_css, font_config=font_config))
            pdf = document.write_pdf(
                stylesheets=css,
                font_config=font_config,
                color_profiles=standards.color_profiles(variant),
                pdf_variant=variant,
                pdf_tags=True,
                pdf_identifier=hashlib.sha256(identifier.encode("utf-8", "surrogateescape"))
                .hexdigest()[:32]
                .encode(),
                custom_metadata=True,
                finisher=_finisher(identifier, bleed),
            )
        finally:
            logger.removeHandler(collect)
        return pdf, collect.messages, texts

    # A document without CJK text never loads a CJK face: nothing to cut.
    fonts = document_fonts() if cut_fonts and any(map(is_wide, html)) else None
    sheets = [path.read_text(encoding="utf-8") for path in stylesheets]
    own = charset(html, *sheets, extra_css) if fonts else frozenset()
    cut = fonts.use(own if chars is None else chars | own) if fonts else None
    try:
        pdf, warnings, fetched = write(cut or whole_fonts())
        if cut and (any(NOTDEF in m for m in warnings) or not charset(*fetched) <= fonts.chars):
            # Text the cut was not made for (an @import's content string, an SVG's
            # words): the whole faces, as WeasyPrint would have used them anyway.
            pdf, warnings, _ = write(whole_fonts())
    except refused as error:
        raise _refused(error, origin) from None
    if warnings:
        raise _warned(warnings, origin)
    return pdf


def _refused(error: Exception, where: Path) -> RenderError:
    """A fetch the fence refused, at the file that asked for it."""
    return RenderError([Problem(Location(where), str(error.__cause__ or error))])


def _warned(messages: list[str], where: Path) -> RenderError:
    """WeasyPrint's warnings (each an error here), at the file they came from."""
    return RenderError([Problem(Location(where), f"WeasyPrint: {m}") for m in messages])
