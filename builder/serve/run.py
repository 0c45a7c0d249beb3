"""``lectern serve``: ``lectern watch`` rebuilding on save, and a page showing the results.

The watch loop runs in this (the main) thread, as in ``lectern watch``: the print
templates' clock is a signal timer, which only the main thread has. The server answers
from its own threads, reading the previews under their lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from builder.errors import LecternError
from builder.formats import SLIDES_PDF
from builder.pipeline import BuildResult
from builder.render.office.libreoffice import INSTALL, kept_warm, soffice
from builder.serve.previews import Previews
from builder.serve.server import Events, make_server
from builder.settings import BuildOptions
from builder.watch import watch

SHOWS = SLIDES_PDF.name
"""The artifact the slide pictures are drawn from: built while serving, when it can be."""


def serve(
    lessons: list[Path],
    settings: Callable[[], BuildOptions],
    report: Callable[[str], None],
    *,
    host: str,
    port: int,
    project_file: Path,
    jobs: int = 1,
    rounds: int | None = None,
    listening: Callable[[str], None] | None = None,
) -> None:
    """Serve the lessons' previews on host:port and rebuild them on save until ^C (or
    for rounds polls, in tests); listening hears the page's address once it answers."""
    missing = soffice() is None
    note = INSTALL.format(what="the slides") if missing else None
    current: list[BuildOptions] = []

    def options() -> BuildOptions:
        chosen = settings()
        if not missing and SHOWS not in chosen.extras:
            chosen = replace(chosen, extras=(*chosen.extras, SHOWS))
        current[:] = [chosen]
        return chosen

    previews = Previews(lessons, options(), note)
    events = Events()

    def changed(name: str) -> None:
        events.publish("lesson", previews.state(name)["lessons"][0])

    with kept_warm(lambda path, pdf: previews.converted(path, pdf, changed)) as office:
        server = make_server(host, port, previews, events)
        address = f"http://{_url_host(host)}:{server.server_address[1]}/"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            if not missing:
                office.start()  # before the first build, which it renders
            (listening or report)(address)

            def built(path: Path, result: BuildResult | None, error: LecternError | None):
                if error is not None:
                    changed(previews.failed(path, error))
                else:
                    previews.built(path, result, current[0], changed)

            watch(
                lessons,
                options,
                report,
                rounds=rounds,
                jobs=jobs,
                project_file=project_file,
                on_built=built,
            )
        finally:
            server.shutdown()
            server.server_close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
