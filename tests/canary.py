"""Runs Lectern in this process under a Python audit hook that records what a hostile
input must never make it do: run a program, load a pickle, open a socket, or open the
canary file.

Used as ``python tests/canary.py LOG SECRET -- lectern arguments...`` (the build runs
with ``-j 1`` so every render is in this process, under the hook), or as
``python tests/canary.py LOG SECRET --payloads FILE`` to render one theme template per
payload through the print pipeline and record each outcome as JSON lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FORBIDDEN = (
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "subprocess.Popen",
    "pickle.find_class",
    "socket.connect",
    "socket.getaddrinfo",
)


def install(log: Path, secret: Path) -> None:
    secret_name = str(secret)
    events = log.open("a", encoding="utf-8")

    def hook(event: str, args: tuple) -> None:
        opened = event == "open" and args and str(args[0]) == secret_name
        if opened or event in FORBIDDEN:
            events.write(json.dumps({"event": event, "args": repr(args)[:200]}) + "\n")
            events.flush()

    sys.addaudithook(hook)


def render_payloads(payloads: Path, lesson: Path, theme_root: Path, results: Path) -> None:
    """Render the participants' sheet once per payload, each in a theme of its own."""
    import datetime as dt

    from builder.errors import LecternError
    from builder.render.print.documents import render_pdf
    from builder.source import load_lesson
    from builder.theme import Theme

    loaded = load_lesson(lesson)
    created = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with results.open("w", encoding="utf-8") as out:
        for number, payload in enumerate(json.loads(payloads.read_text(encoding="utf-8"))):
            theme = theme_root / f"theme-{number}"
            (theme / "print").mkdir(parents=True)
            template = theme / "print" / "questions.html"
            body = '{% extends "print/base.html" %}{% block body %}\n' + payload
            template.write_text(body + "\n{% endblock %}\n", encoding="utf-8")
            outcome = {"payload": payload, "template": str(template)}
            try:
                pdf = render_pdf(loaded, Theme.with_user_folder(theme), "questions.pdf", created)
            except LecternError as error:
                [problem] = error.problems
                outcome["file"] = str(problem.location.file)
                outcome["line"] = problem.location.line
                outcome["message"] = problem.message
            else:
                outcome["pdf"] = pdf.decode("latin-1")
            out.write(json.dumps(outcome) + "\n")


def main() -> None:
    log, secret = Path(sys.argv[1]), Path(sys.argv[2])
    install(log, secret)
    if sys.argv[3] == "--payloads":
        payloads, lesson, theme_root, results = map(Path, sys.argv[4:8])
        render_payloads(payloads, lesson, theme_root, results)
        return
    assert sys.argv[3] == "--"
    sys.argv = ["lectern", *sys.argv[4:]]
    from builder.cli import run

    run()


if __name__ == "__main__":
    main()
