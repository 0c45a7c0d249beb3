"""A lesson's print documents (handout, participants' sheet, facilitator's guide) as PDF.

Each is one template of the theme, given the same context, styled by the theme's
print stylesheet; only what the template shows differs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from builder.assets import resolve_asset
from builder.errors import Location, Problem, RenderError
from builder.render.print.context import print_context
from builder.render.print.coverage import NOT_PRINTED, no_print_glyph
from builder.render.print.page import BLEED, PrintSetup
from builder.render.print.pdf import MEMORY, html_to_pdf
from builder.render.print.standards import colour_css
from builder.render.print.templating import render_template
from builder.sourcemap import LoadedLesson, locate, text_fields
from builder.theme import Theme

if TYPE_CHECKING:
    from builder.formats import Job

STYLESHEET = "print/print.css"


def render_html(
    loaded: LoadedLesson,
    theme: Theme,
    template: str,
    created: dt.datetime,
    extra: dict | None = None,
    pictures: dict[str, Path] | None = None,
) -> str:
    """The HTML of one print document; extra adds to what its template sees, pictures
    receives the files of the lesson's pictures it shows, by the URL it names them with."""

    def image_url(src: str) -> str:
        # Handed to WeasyPrint from memory by their place in the lesson folder, not by a
        # file URL: WeasyPrint names a picture in the PDF after its URL, and a file URL
        # holds the folder's path, so the same lesson checked out elsewhere (another CI
        # job) would print other bytes.
        path = resolve_asset(str(src), loaded.folder)
        # Percent-encoded as WeasyPrint would encode it (a Chinese or spaced file name),
        # so the URL it asks for is the one the pictures are kept under.
        relative = path.relative_to(loaded.folder.resolve()).as_posix()
        url = f"{MEMORY}lesson/{urllib.parse.quote(relative)}"
        if pictures is not None:
            pictures[url] = path
        return url

    context = print_context(
        loaded.lesson,
        created=created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        image_url=image_url,
        **(extra or {}),
    )
    return render_template(theme, template, context)


def render_print(
    job: Job, *, extra: dict | None = None, resources: dict[str, bytes] | None = None
) -> bytes:
    """A print format (``fmt.template`` lays it out, on the build's paper) as the format
    registry renders it; extra and resources as ``render_document`` takes them."""
    loaded, fmt = job.loaded, job.fmt
    return render_document(
        loaded,
        job.theme,
        fmt.template or "",
        job.created,
        job.options.print,
        identifier=f"{loaded.name}/{fmt.name}",
        extra=extra,
        resources=resources,
    )


@dataclass(frozen=True)
class PrintedLesson:
    """A lesson's print documents set as HTML: the handout's, the participants' sheet's
    and the guide's, each with the picture files it shows, and the characters the three
    show, which their faces are cut to (``fonts``). Always these three, whichever a build
    asks for, so that a document's bytes do not depend on which others were built with
    it. The building process sets them for the artifacts' keys and hands them to its
    workers with their documents (``render.workers``), which then lay them out without
    setting them again (~35 ms of a cold build's longest path). Kept by the lesson's
    source text: the HTML shows pictures by name, and reads no file but the lesson."""

    key: tuple
    documents: dict[str, tuple[str, dict[str, Path]]]
    chars: frozenset[str]


def printed_lesson(
    loaded: LoadedLesson, theme: Theme, created: dt.datetime, setup: PrintSetup
) -> PrintedLesson:
    """The lesson's print documents as HTML; kept for the last lesson asked about (or
    handed over: ``keep_printed``)."""
    from builder.errors import LecternError
    from builder.formats import ARTIFACTS, named
    from builder.render.print.fonts import charset

    key = (loaded.path, loaded.text, theme.fingerprint, created, setup)
    printed = _last.get("printed")
    if printed is None or printed.key != key:
        documents = {}
        for template in [t for n in ARTIFACTS if (t := named(n).template) is not None]:
            # A template that fails says so when its own document is rendered; the
            # others still print, each with its own characters added to the cut.
            with contextlib.suppress(LecternError):
                pictures: dict[str, Path] = {}
                html = render_html(loaded, theme, template, created, pictures=pictures)
                documents[template] = (html, pictures)
        sheet = theme.find(STYLESHEET).read_text(encoding="utf-8")
        texts = [html for html, _ in documents.values()]
        printed = PrintedLesson(key, documents, charset(*texts, sheet, _extra_css(setup)))
        _last["printed"] = printed
    return printed


def keep_printed(printed: PrintedLesson) -> None:
    """Take a lesson's print documents as another process set them (a worker, handed
    them by the building process)."""
    _last["printed"] = printed


_last: dict[str, PrintedLesson] = {}


def _extra_css(setup: PrintSetup) -> str:
    """What the build's print settings add to the theme's stylesheet: paper, colours."""
    return "\n".join((setup.css, colour_css(setup.variant, setup.grayscale)))


def render_pdf(
    loaded: LoadedLesson,
    theme: Theme,
    artifact: str,
    created: dt.datetime,
    setup: PrintSetup | None = None,
    *,
    requests: list[str] | None = None,
) -> bytes:
    """One print artifact by its file name as PDF bytes (default: A4, duplex); requests,
    when given, receives every URL the layout asked for."""
    from builder.formats import named

    return render_document(
        loaded,
        theme,
        named(artifact).template or "",
        created,
        setup or PrintSetup(),
        identifier=f"{loaded.name}/{artifact}",
        requests=requests,
    )


def render_document(
    loaded: LoadedLesson,
    theme: Theme,
    template: str,
    created: dt.datetime,
    setup: PrintSetup,
    *,
    identifier: str,
    extra: dict | None = None,
    resources: dict[str, bytes] | None = None,
    requests: list[str] | None = None,
) -> bytes:
    """The theme's template as PDF bytes, set as setup says; extra adds to what the
    template sees, resources are files made for it (``pdf.html_to_pdf``)."""
    printed = printed_lesson(loaded, theme, created, setup)
    pictures: dict[str, Path] = {}
    if extra is None and template in printed.documents:
        html, pictures = printed.documents[template]
    else:
        html = render_html(loaded, theme, template, created, extra, pictures)
    files = {url: path.read_bytes() for url, path in pictures.items()}
    try:
        return html_to_pdf(
            html,
            [theme.find(STYLESHEET)],
            extra_css=_extra_css(setup),
            chars=printed.chars,
            allowed=(loaded.folder, *theme.folders),
            identifier=identifier,
            requests=requests,
            origin=loaded.path,
            variant=setup.variant,
            bleed=BLEED if setup.marks else None,
            resources={**files, **(resources or {})},
        )
    except RenderError as error:
        problems = [
            _in_the_theme(theme, template, _in_the_lesson(loaded, p)) for p in error.problems
        ]
        raise RenderError(problems) from None


_THEME_MARKUP = ('Missing required "lang" attribute',)
"""WeasyPrint's complaints about the document's markup, which only the theme's templates
write: lesson text is escaped into it and cannot add an element or an attribute."""


def _in_the_theme(theme: Theme, template: str, problem: Problem) -> Problem:
    """A complaint about the markup, located at the theme file that writes the <html>
    element (the document's template or one it extends), not at the lesson; a refused
    fetch at the theme's folder (a lesson's pictures are fenced in before rendering, so
    only a template or a stylesheet can ask for the network or an outside file)."""
    in_theme = any(problem.location.file.is_relative_to(f) for f in theme.folders)
    if problem.message.startswith("refused to ") and not in_theme:
        return Problem(Location(theme.folders[0]), problem.message)
    if not any(marker in problem.message for marker in _THEME_MARKUP):
        return problem
    path = theme.find(template)
    for _ in range(10):  # {% extends %} chains are short; a loop would have failed to render
        text = path.read_text(encoding="utf-8", errors="replace")
        parent = re.search(r"""{%-?\s*extends\s+["']([^"']+)["']""", text)
        if "<html" in text.lower() or parent is None:
            break
        path = theme.find(parent.group(1))
    return Problem(Location(path), problem.message)


_NO_GLYPH = re.compile(r'unsupported by fonts: "(.+)" \(U\+[0-9A-F]+\)')


def _in_the_lesson(loaded: LoadedLesson, problem: Problem) -> Problem:
    """A character no print font has, said as a lecturer would want it: where it is typed
    in the lesson, not which document WeasyPrint was laying out."""
    found = _NO_GLYPH.search(problem.message)
    if found is None:
        return problem
    char = found.group(1)
    for path, text in text_fields(loaded):
        if char in text and path[-1] not in NOT_PRINTED:
            return Problem(locate(loaded, path, char), no_print_glyph(char))
    return Problem(problem.location, no_print_glyph(char))
