"""What Lectern depends on: one door to WeasyPrint's internals, checked before anything is
built, and every version that shapes an artifact in its key and its manifest."""

from __future__ import annotations

import ast
import json
import os
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from builder.errors import DependencyError
from tests.conftest import FIXTURES, ROOT, run_lectern


def fake_installed(folder: Path, package: str, fake_version: str) -> dict:
    """An environment in which package's metadata says fake_version: a dist-info folder
    on PYTHONPATH, found before the real one as pip's own metadata would be."""
    dist = folder / f"{package.replace('-', '_')}-{fake_version}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {package}\nVersion: {fake_version}\n", encoding="utf-8"
    )
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH")) if p)
    return {"PYTHONPATH": path}


def test_an_unsupported_weasyprint_is_named_before_anything_is_built(tmp_path: Path) -> None:
    env = fake_installed(tmp_path / "site", "weasyprint", "62.3")
    result = run_lectern("build", FIXTURES / "minimal", "-o", tmp_path / "out", env=env)
    assert result.returncode == 2
    assert "weasyprint 62.3 is installed" in result.stderr
    assert "pip install 'weasyprint>=" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_moved_internal_stops_the_render_with_one_message(monkeypatch) -> None:
    """A WeasyPrint release that renames a parameter Lectern's justification relies on."""
    from weasyprint.layout import inline

    from builder.render.print.weasy import check_internals

    check_internals()  # the installed versions are as relied on

    def justify_line(context, line, width):  # "extra_width" renamed
        raise AssertionError("never called")

    monkeypatch.setattr(inline, "justify_line", justify_line)
    with pytest.raises(DependencyError) as raised:
        check_internals()
    message = str(raised.value)
    assert f"weasyprint {version('weasyprint')}" in message
    assert "weasyprint.layout.inline.justify_line takes (context, line, width)" in message


def test_only_the_door_imports_weasyprint_or_pydyf() -> None:
    door = ROOT / "builder" / "render" / "print" / "weasy.py"
    importers = []
    for path in (ROOT / "builder").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in ("weasyprint", "pydyf") for n in names):
                importers.append(path)
    assert set(importers) == {door}


def test_the_declared_bounds_are_the_ones_the_door_checks() -> None:
    from builder.render.print.weasy import SUPPORTED

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {
        line.split(">=")[0].strip(): line.split(">=")[1].split("#")[0].strip()
        for line in project["project"]["dependencies"]
        if ">=" in line
    }
    for package, (lowest, beyond) in SUPPORTED.items():
        shown = ".".join(map(str, lowest)), ".".join(map(str, beyond))
        assert declared[package] == f"{shown[0]},<{shown[1]}"
        assert lowest <= tuple(int(p) for p in version(package).split(".")[:2]) < beyond


def test_the_manifest_says_what_built_each_artifact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_lectern("build", FIXTURES / "minimal", "-o", out).returncode == 0
    manifest = json.loads((out / "minimal" / "manifest.json").read_text(encoding="utf-8"))
    printed, slides = manifest["dependencies"]["printed"], manifest["dependencies"]["slides"]
    for package in ("weasyprint", "pydyf", "fonttools", "uharfbuzz", "pillow"):
        assert printed[package] == version(package)
    assert slides["python-pptx"] == version("python-pptx")
    assert printed["libharfbuzz"].count(".") == 2 and printed["libpango"].count(".") == 2
    serif = printed["font Noto Serif CJK SC"]
    assert serif.startswith("NotoSerifCJK") and "/" not in serif  # no path: any machine


def built_names(result) -> set[str]:
    return {Path(line.split()[0]).name for line in result.stdout.splitlines() if line.strip()}


def test_an_upgraded_package_rebuilds_what_it_shapes_and_only_that(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_lectern("build", FIXTURES / "minimal", "-o", out)
    assert first.returncode == 0, first.stderr
    assert run_lectern("build", FIXTURES / "minimal", "-o", out).stdout == ""  # all unchanged

    newer_pptx = fake_installed(tmp_path / "pptx", "python-pptx", "1.0.99")
    slides = run_lectern("build", FIXTURES / "minimal", "-o", out, env=newer_pptx)
    assert slides.returncode == 0, slides.stderr
    assert built_names(slides) == {"slides.pptx"}
    manifest = json.loads((out / "minimal" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dependencies"]["slides"]["python-pptx"] == "1.0.99"

    fake_installed(tmp_path / "pptx", "pydyf", "0.13.99")  # python-pptx stays 1.0.99
    printed = run_lectern("build", FIXTURES / "minimal", "-o", out, env=newer_pptx)
    assert printed.returncode == 0, printed.stderr
    assert built_names(printed) == {"handout.pdf", "questions.pdf", "questions-facilitator.pdf"}
