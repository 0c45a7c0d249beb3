"""Messages in Chinese: the catalog is complete, and a broken lesson is told in Chinese at
the same file:line:col as in English."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from builder.i18n import CATALOGS
from tests.conftest import FIXTURES, ROOT, run_lectern

HELP_TEXTS = """
import json
from builder.cli import main
texts = []
for command in (main, *main.commands.values()):
    texts += [command.help] + [getattr(p, "help", None) for p in command.params]
print(json.dumps([t for t in texts if t]))
"""


def message_ids() -> set[str | tuple[str, str]]:
    """Every message Lectern can print: marked in the code, or a command's help."""
    marked = {
        message
        for _, _, message, _, _ in extract_from_dir(
            ROOT / "builder",
            method_map=[("**.py", "python")],
            keywords={"_": None, "N_": None, "ngettext": (1, 2)},
        )
    }
    english = subprocess.run(
        [sys.executable, "-c", HELP_TEXTS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"LANG": "C.UTF-8", "PATH": ""},
        check=True,
    )
    return marked | set(json.loads(english.stdout))


def fields(text: str) -> set[str]:
    """The placeholders of a message ({count}, {seconds:.2f})."""
    return set(re.findall(r"\{([a-z_]+)(?:[:!][^}]*)?\}", text))


def test_every_message_has_a_chinese_translation_with_the_same_placeholders() -> None:
    with open(CATALOGS / "zh_CN" / "LC_MESSAGES" / "lectern.po", "rb") as stream:
        catalog = read_po(stream)
    missing, wrong = [], []
    for message in message_ids():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        if entry is None or entry.fuzzy or not entry.string or not any(entry.string):
            missing.append(key)
            continue
        translated = entry.string[0] if isinstance(entry.string, tuple) else entry.string
        if fields(translated) != fields(key):
            wrong.append(key)
    assert missing == []
    assert wrong == []
    assert len(catalog) > 100


def lesson_cases() -> list:
    return sorted(
        p for group in ("broken", "slips") for p in (FIXTURES / group).iterdir() if p.is_dir()
    )


def located(output: str) -> list[tuple[str, str]]:
    """(file:line:col, message) of each located line a command printed."""
    out = []
    for line in output.splitlines():
        if "lesson.yaml:" in line and "[glyph]" not in line:
            where, _, message = line.partition(": ")
            out.append((where, message))
    return out


def test_each_broken_lesson_is_told_in_chinese_at_the_same_place() -> None:
    cases = lesson_cases()
    english = run_lectern("check", *cases, env={"LANG": "C.UTF-8", "LANGUAGE": ""})
    chinese = run_lectern("check", *cases, env={"LANG": "zh_CN.UTF-8", "LANGUAGE": ""})
    assert english.returncode == chinese.returncode == 2
    said = located(english.stdout + english.stderr)
    told = located(chinese.stdout + chinese.stderr)
    assert [where for where, _ in said] == [where for where, _ in told]
    heard = {case for case in cases if any(f"/{case.name}/lesson.yaml:" in w for w, _ in told)}
    accepted = {"chinese-date", "chinese-id", "minutes-unit"}  # slips taken as meant
    assert {case.name for case in cases if case not in heard} == accepted
    for (_, message), (where, chinese_message) in zip(said, told, strict=True):
        assert chinese_message != message, where
        assert any("\u4e00" <= c <= "\u9fff" for c in chinese_message.replace(message, "")), where
    assert chinese.stderr.strip().splitlines()[-1].startswith("lectern：")


def test_the_lang_flag_wins_over_the_locale() -> None:
    told = run_lectern("--lang", "zh", "check", FIXTURES / "broken" / "misspelt", env={"LANG": "C"})
    assert "没有“titel”这个字段（是不是“title”？）" in told.stderr
    said = run_lectern("--lang", "en", "--help", env={"LANG": "zh_CN.UTF-8"})
    assert "Show this message and exit." in said.stdout
