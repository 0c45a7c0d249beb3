"""Settings are declared once (builder/settings.py); flags, lectern.yaml and keys follow.

The key tests change each setting in turn and watch every dependency key: a setting
must change the key of each artifact it shapes and of nothing else, so a setting left
out of a key, or a key that holds one it should not, fails here.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from builder.formats import FORMATS, FROM_DECK, render_lesson
from builder.freshness import file_hashes
from builder.incremental import artifact_keys, image_paths, shaping
from builder.pipeline import theme_for
from builder.settings import (
    SETTINGS,
    BuildOptions,
    Choice,
    Output,
    Pairs,
    Picks,
    Place,
    Setting,
    Switch,
    Text,
    Toggle,
    options_key,
    settings_record,
)
from builder.source import load_lesson
from tests.conftest import FIXTURES, ROOT


def another_value(setting: Setting, folder: Path) -> object:
    """A valid value of setting other than its default (files made in folder)."""
    kind = setting.kind
    if isinstance(kind, Choice):
        return next(v for v in kind.values if v != setting.default)
    if isinstance(kind, (Switch, Toggle)):
        return not setting.default
    if isinstance(kind, Picks):
        return kind.values[:1]
    if isinstance(kind, Text):
        return "Some Other Face"
    if isinstance(kind, Pairs):
        return (("points", "Title Only"),)
    if isinstance(kind, Output):
        return folder / "elsewhere"
    if isinstance(kind, Place) and kind.folder:
        (folder / "theme" / "print").mkdir(parents=True)
        (folder / "theme" / "print" / "print.css").write_text("h1 { color: red }")
        return folder / "theme"
    if isinstance(kind, Place):  # an organisation's master from the corpus
        shutil.copy(ROOT / "tests" / "corpus" / "templates" / "apachecon.pptx", folder)
        return folder / "apachecon.pptx"
    raise AssertionError(f"no other value of a {type(kind).__name__} setting: add one here")


def every_key(options: BuildOptions) -> dict[str, str]:
    """The keys a build of the minimal lesson would compare: every artifact's, the
    findings' and the no-op test's."""
    loaded = load_lesson(FIXTURES / "minimal")
    theme = theme_for(loaded.folder, options)
    hashes = file_hashes([loaded.path, *image_paths(loaded)], loaded.folder)
    keys = artifact_keys(loaded, theme, options, hashes, shaping(options))
    keys["options"] = options_key(settings_record(options, theme.fingerprint))
    return keys


def unkeyed(tmp_path: Path) -> list[str]:
    """What is wrong in the keys: each setting changed alone must change the key of
    exactly the artifacts it shapes (the findings with the deck, the no-op key with any)."""
    before = every_key(BuildOptions())
    wrong = []
    for setting in SETTINGS:
        folder = tmp_path / setting.name
        folder.mkdir()
        options = dataclasses.replace(
            BuildOptions(), **{setting.name: another_value(setting, folder)}
        )
        after = every_key(options)
        shaped = {f.name for f in setting.shapes}
        for fmt in FORMATS:  # what is made from an artifact it shapes changes with it
            if fmt.made_from in shaped:
                shaped.add(fmt.name)
        if any(f.deck for f in setting.shapes):
            shaped.add("findings")
        if setting.recorded:
            shaped.add("options")
        for name in before:
            changed = before[name] != after[name]
            if changed and name not in shaped:
                wrong.append(f"{setting.name} changes the {name} key but does not shape it")
            elif not changed and name in shaped:
                wrong.append(f"{setting.name} shapes {name} but is missing from its key")
    return wrong


def test_each_setting_is_in_the_key_of_exactly_what_it_shapes(tmp_path: Path) -> None:
    assert unkeyed(tmp_path) == []


def test_a_setting_left_out_of_a_key_is_caught(tmp_path: Path, monkeypatch) -> None:
    import builder.incremental

    def without_paper(options, formats):
        return {k: v for k, v in real(options, formats).items() if k != "paper"}

    real = builder.incremental.settings_key
    monkeypatch.setattr(builder.incremental, "settings_key", without_paper)
    printed = [f.name for f in FORMATS if f.template is not None]
    printed = [f.name for f in FORMATS if f.name in printed or f.made_from in printed]
    assert unkeyed(tmp_path) == [f"paper shapes {n} but is missing from its key" for n in printed]


def test_every_flag_and_project_setting_reaches_the_build_options(tmp_path: Path) -> None:
    """lectern.yaml takes each setting declared for it, and a flag each one declared for
    flags; the flag wins. Read back from the no-op key a build records."""
    from builder.config import load_config

    project = tmp_path / "lectern.yaml"
    given, expected = {}, {}
    for setting in (s for s in SETTINGS if s.in_file):
        folder = tmp_path / setting.name
        folder.mkdir()
        value = another_value(setting, folder)
        expected[setting.name] = value
        given[setting.in_file_as] = (
            dict(value)
            if isinstance(setting.kind, Pairs)
            else list(value)
            if isinstance(setting.kind, Picks)
            else str(value.relative_to(tmp_path))
            if isinstance(value, Path)
            else value
        )
    project.write_text(json.dumps(given), encoding="utf-8")  # JSON is YAML
    assert load_config(project) == expected


@pytest.mark.parametrize("setting", [s for s in SETTINGS if s.as_flag], ids=lambda s: s.name)
def test_every_setting_a_flag_may_set_is_a_flag_of_build(setting: Setting) -> None:
    from click.testing import CliRunner

    from builder.cli import main

    help_text = CliRunner().invoke(main, ["build", "--help"]).output
    assert all(name in help_text for flag in setting.flags for name in flag.split("/"))


def rendered(options: BuildOptions) -> dict[str, bytes]:
    """Every artifact of the minimal lesson as options render it, but those LibreOffice
    draws from the deck (the deck's own bytes stand for them)."""
    loaded = load_lesson(FIXTURES / "minimal")
    names = tuple(f.name for f in FORMATS if f.name not in FROM_DECK)
    artifacts = render_lesson(loaded, theme_for(loaded.folder, options), options, names)
    return {artifact.name: artifact.data for artifact in artifacts}


def test_a_setting_changes_the_bytes_only_of_what_it_is_declared_to_shape(tmp_path: Path):
    """The other half of the key test: a setting a renderer reads but whose declaration
    does not name the artifact (so no key holds it) changes bytes no key predicts."""
    before = rendered(BuildOptions())
    undeclared = []
    for setting in SETTINGS:
        folder = tmp_path / setting.name
        folder.mkdir()
        value = another_value(setting, folder)
        after = rendered(dataclasses.replace(BuildOptions(), **{setting.name: value}))
        shaped = {f.name for f in setting.shapes}
        shaped |= {f.name for f in FORMATS if f.made_from in shaped}
        undeclared += [
            f"{setting.name}={value!r} changes {name}"
            for name in before
            if after[name] != before[name] and name not in shaped
        ]
    assert undeclared == []
