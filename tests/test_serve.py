"""``lectern serve``: what it refuses (other hosts, paths outside the lessons' outputs,
folders), and what it shows without LibreOffice. The server is the real command, run as
a user runs it; requests are sent byte for byte as written, as an attacker would."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED, run_lectern

NAME = SEED.name


def _lectern_without_office(tmp_path: Path) -> dict:
    """An environment whose PATH has no LibreOffice (nor anything else)."""
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    return {**os.environ, "PATH": str(empty)}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The seed lesson served from a copy of it, on a free port, without LibreOffice;
    yields (port, project folder) once its first build is shown."""
    project = tmp_path_factory.mktemp("project")
    shutil.copytree(SEED, project / "content" / NAME)
    env = _lectern_without_office(project)
    server = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--port", "0", "-o", "out"],
        cwd=project,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        port = _port(server)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            lessons = json.loads(_get(port, "/api/state")[2])["lessons"]
            if not lessons[0]["building"]:
                break
            time.sleep(0.3)
        yield port, project
    finally:
        server.terminate()
        server.wait(30)


def _port(server: subprocess.Popen) -> int:
    """The port a starting ``lectern serve`` says it listens on."""
    seen = []
    for line in server.stdout:
        seen.append(line)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return int(found.group(1))
    raise AssertionError("".join(seen))


def _get(port: int, path: str, host: str | None = None, method: str = "GET"):
    """(status, headers, body) of one request whose path is sent exactly as given."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_without_libreoffice_the_print_pages_show_and_the_slides_say_what_to_install(served):
    port, _ = served
    lesson = json.loads(_get(port, "/api/state")[2])["lessons"][0]
    assert "libreoffice-impress-nogui" in lesson["slides_note"]
    assert "slides" not in lesson["pictures"]
    for kind in ("handout", "questions", "facilitator"):
        assert lesson["pictures"][kind], kind
    status, headers, body = _get(port, f"/lesson/{NAME}/handout/1.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    assert {d["name"] for d in lesson["downloads"]} == {
        "slides.pptx",
        "handout.pdf",
        "questions.pdf",
        "questions-facilitator.pdf",
    }


def test_an_artifact_downloads_as_built(served):
    port, project = served
    status, headers, body = _get(port, f"/lesson/{NAME}/files/handout.pdf")
    assert status == 200 and headers["Content-Disposition"] == "attachment"
    assert body == (project / "out" / NAME / "handout.pdf").read_bytes()


TRAVERSALS = [
    "/../../../../etc/passwd",
    f"/lesson/{NAME}/files/../manifest.json",
    f"/lesson/{NAME}/files/../../../content/{NAME}/lesson.yaml",
    "/assets/../server.py",
    "/assets/../../cli.py",
    "/lesson/../../etc/passwd",
    f"/lesson/{NAME}/files//etc/passwd",
]
ENCODED = [
    f"/lesson/{NAME}/files/%2e%2e%2fmanifest.json",
    f"/lesson/{NAME}/files/%2E%2E%2F%2E%2E%2F%2E%2E%2Fcontent%2F{NAME}%2Flesson.yaml",
    f"/lesson/{NAME}/files/..%2f..%2f..%2fetc%2fpasswd",
    "/assets/%2e%2e%2fserver.py",
    "/assets/%2e%2e/%2e%2e/cli.py",
    f"/lesson/%2e%2e/files/{NAME}",
    f"/lesson/{NAME}/files/%252e%252e%252fmanifest.json",
    f"/lesson/{NAME}/files/%2fetc%2fpasswd",
    f"/lesson/{NAME}/files/handout.pdf%00.png",
    f"/lesson/{NAME}/files/..%5c..%5cmanifest.json",
    "/%ff%fe",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_a_path_leading_out_of_the_outputs_is_refused(served, path):
    port, _ = served
    status, _, body = _get(port, path)
    assert status == 404, body
    assert b"root:" not in body and b"lectern:" not in body and b"import" not in body


@pytest.mark.parametrize("path", ENCODED)
def test_a_percent_encoded_path_leading_out_is_refused(served, path):
    port, _ = served
    status, _, body = _get(port, path)
    assert status in (400, 404), body
    assert b"root:" not in body and b"lectern:" not in body and b"import" not in body


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example:{port}",
        "127.0.0.1:1{port}",
        "",
    ],
)
def test_a_request_for_another_host_is_refused(served, host):
    """DNS rebinding: a page from evil.example, its name pointed at 127.0.0.1, would
    send its own name as Host; so would anything asking through a proxy."""
    port, _ = served
    for path in ("/", "/api/state", f"/lesson/{NAME}/files/handout.pdf", "/events"):
        status, _, body = _get(port, path, host=host.format(port=port))
        assert status == 403, (path, body)
        assert b"%PDF" not in body and b"lessons" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_a_request_naming_this_machine_is_answered(served, host):
    port, _ = served
    status, _, body = _get(port, "/", host=host.format(port=port))
    assert status == 200 and b"/assets/page.js" in body


@pytest.mark.parametrize(
    "path",
    ["/assets/", "/assets", "/lesson/", f"/lesson/{NAME}/", f"/lesson/{NAME}/files/", "/lesson"],
)
def test_a_folder_is_not_listed(served, path):
    port, _ = served
    status, _, body = _get(port, path)
    assert status == 404
    assert b"handout.pdf" not in body and b"page.js" not in body and b"Index of" not in body


def test_only_reading_is_allowed(served):
    port, _ = served
    for method in ("POST", "PUT", "DELETE"):
        assert _get(port, f"/lesson/{NAME}/files/handout.pdf", method=method)[0] == 501


def test_serving_writes_nothing_outside_the_output_folder(served):
    port, project = served
    _get(port, "/api/state")
    written = {
        str(p.relative_to(project))
        for p in project.rglob("*")
        if p.is_file() and not p.is_relative_to(project / "out")
    }
    assert written == {
        str(p.relative_to(SEED.parent.parent).as_posix()) for p in SEED.rglob("*") if p.is_file()
    }


def test_without_libreoffice_a_build_with_slides_pdf_says_what_to_install(tmp_path):
    env = _lectern_without_office(tmp_path)
    env["PYTHONPATH"] = str(ROOT)
    asked = run_lectern("build", SEED, "-o", tmp_path / "out", "--with", "slides.pdf", env=env)
    assert asked.returncode == 2
    assert "LibreOffice is not installed" in asked.stderr
    assert "libreoffice-impress-nogui" in asked.stderr
    assert "Traceback" not in asked.stderr
    assert not (tmp_path / "out").exists()
    plain = run_lectern("build", SEED, "-o", tmp_path / "out", env=env)
    assert plain.returncode == 0, plain.stderr
    assert (tmp_path / "out" / NAME / "handout.pdf").is_file()


def test_listening_beyond_this_machine_is_warned_of(tmp_path):
    shutil.copytree(SEED, tmp_path / "content" / NAME)
    server = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--host", "0.0.0.0", "--port", "0"],
        cwd=tmp_path,
        env={**_lectern_without_office(tmp_path), "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        seen = []
        for line in server.stdout:
            seen.append(line)
            if "serving" in line:
                break
        said = "".join(seen)
        assert "warning: listening on 0.0.0.0" in said
        assert "http://0.0.0.0:" in said
    finally:
        server.terminate()
        server.wait(60)


def test_a_finding_is_placed_on_the_slide_and_the_page_that_show_its_text(lesson_copy):
    """The lecturer sees a finding beside the slide planned from its field and the first
    handout page that prints its text."""
    from builder.check.run import check_lesson
    from builder.formats import render_lesson
    from builder.pipeline import theme_for
    from builder.render.office.pages import page_texts
    from builder.render.slides.render import plan_lesson_deck
    from builder.serve.where import pages_of, slides_of
    from builder.settings import BuildOptions
    from builder.source import load_lesson

    folder = lesson_copy(SEED)
    lesson = folder / "lesson.yaml"
    point = "以要素协同效应推动治理要素重组"
    spam = "以要素协同效应开云kaiyun推动治理要素重组"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(point, spam), encoding="utf-8")
    loaded = load_lesson(lesson)
    options = BuildOptions()
    (finding,) = [f for f in check_lesson(loaded, options.deck) if f.code == "injected"]
    plan = plan_lesson_deck(loaded, options.deck)
    slides = slides_of(finding, [slide.origin for slide in plan.slides])
    assert [plan.slides[n - 1].title for n in slides] == ["（一）治理要素重组的理论挑战"]
    (handout,) = render_lesson(loaded, theme_for(folder, options), options, ("handout.pdf",))
    texts = {"handout": page_texts(handout.data)}
    ((document, page),) = pages_of(finding, loaded.lesson.model_dump(mode="json"), texts)
    assert document == "handout"
    assert "开云kaiyun" in texts["handout"][page - 1]
    assert not any("开云kaiyun" in text for text in texts["handout"][: page - 1])
