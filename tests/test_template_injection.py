"""Theme templates from a stranger's repository run no code and read no files.

A theme folder beside ``content/`` is picked up by every build, so a cloned lesson
repository (or a CI job building one) runs whatever its templates do. Each payload here
must end in a located error with no side effect: the canary command never runs, the
canary file is never opened (a Python audit hook watches), and its content appears in
no artifact and no message.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED

CORPUS = Path(__file__).parent / "corpus" / "ssti" / "jinja2.txt"
CANARY = Path(__file__).parent / "canary.py"

HEADLINE = {
    "pickle": '{{ lesson.parse_raw("cposix\\nsystem\\n(S\'{cmd}\'\\ntR.", proto="pickle",'
    " allow_pickle=True) }}",
    "parse_file": "{{ lesson.parse_file('{secret}') }}",
}


class Canaries:
    """A command that would leave a file, and a secret file that must stay unread."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.ran = folder / "command-ran"
        self.secret = folder / "secret.txt"
        self.token = "canary-" + secrets.token_hex(16)
        self.secret.write_text(self.token + "\n", encoding="utf-8")
        self.log = folder / "audit.jsonl"
        self.log.touch()

    def fill(self, payload: str) -> str:
        return payload.replace("{cmd}", f"touch {self.ran}").replace("{secret}", str(self.secret))

    def assert_untouched(self, *texts: str) -> None:
        assert not self.ran.exists(), "the canary command ran"
        assert self.log.read_text(encoding="utf-8") == "", self.log.read_text(encoding="utf-8")
        for text in texts:
            assert self.token not in text, "the canary file's content leaked"


def corpus() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_the_corpus_holds_at_least_forty_payloads() -> None:
    assert len(corpus()) >= 40
    assert len(set(corpus())) == len(corpus())


@pytest.mark.parametrize("name", sorted(HEADLINE))
def test_a_hostile_theme_beside_content_is_refused_without_side_effects(
    tmp_path: Path, name: str
) -> None:
    canaries = Canaries(tmp_path / "canaries")
    project = tmp_path / "project"
    shutil.copytree(SEED, project / "content" / SEED.name)
    template = project / "templates" / "print" / "questions.html"
    template.parent.mkdir(parents=True)
    template.write_text(
        '{% extends "print/base.html" %}{% block body %}\n'
        + canaries.fill(HEADLINE[name])
        + "\n{% endblock %}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, CANARY, canaries.log, canaries.secret, "--", "build", "-j", "1"],
        capture_output=True,
        text=True,
        cwd=project,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=300,
    )
    assert result.returncode == 2, result.stderr
    assert "templates/print/questions.html:2: error:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "output").exists() or not any((project / "output").rglob("*.pdf"))
    canaries.assert_untouched(result.stdout, result.stderr)


def test_every_payload_in_the_corpus_is_refused_where_it_is_written(tmp_path: Path) -> None:
    canaries = Canaries(tmp_path / "canaries")
    payloads = tmp_path / "payloads.json"
    payloads.write_text(json.dumps([canaries.fill(p) for p in corpus()]), encoding="utf-8")
    results = tmp_path / "results.jsonl"
    run = subprocess.run(
        [
            sys.executable,
            CANARY,
            canaries.log,
            canaries.secret,
            "--payloads",
            payloads,
            SEED,
            tmp_path / "themes",
            results,
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    outcomes = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    assert len(outcomes) == len(corpus())
    rendered = [o["payload"] for o in outcomes if "pdf" in o]
    assert rendered == [], rendered
    for outcome in outcomes:
        where = (outcome["file"], outcome["line"])
        assert where == (outcome["template"], 2), outcome
    canaries.assert_untouched(
        run.stdout,
        run.stderr,
        *(o["message"] for o in outcomes),
        *(o.get("pdf", "") for o in outcomes),
    )
