"""Driving ``lectern serve`` the way a lecturer sees it: the real command on a copy of
a lesson, and headless Chromium (Debian's chromium and chromium-driver) on its page.
The browser test and the save-to-update benchmark share this."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


@contextlib.contextmanager
def serving(project: Path, *lessons: str) -> Iterator[str]:
    """``lectern serve`` run in project on a free port; yields the page's address once
    every lesson's first build is shown, and stops the server afterwards."""
    server = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--port", "0", "-o", "out", *lessons],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        address = None
        for line in server.stdout:
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                address = found.group(0)
                break
        assert address, "lectern serve did not start"
        wait_until(lambda: not any(lesson["building"] for lesson in state(address)), 300)
        yield address
    finally:
        server.terminate()
        server.wait(60)


def state(address: str) -> list[dict]:
    with urllib.request.urlopen(address + "api/state", timeout=30) as response:
        return json.load(response)["lessons"]


def wait_until(condition, seconds: float, every: float = 0.05):
    """condition()'s first true value within seconds, else an AssertionError."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(every)


@contextlib.contextmanager
def chromium() -> Iterator:
    """A headless Chromium with a fresh profile, driven through chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="lectern-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()


SLIDES = """return Array.from(document.querySelectorAll('[data-kind="slides"] img'))
  .map(img => [img.getAttribute('src'), img.complete && img.naturalWidth > 0])"""
"""Each slide picture on the page: its address and whether it has loaded."""
ERROR = """const box = document.querySelector('.lesson .error');
  return box && !box.hidden ? box.textContent : null"""
"""The text of the error shown above the preview, or null."""


def slides(driver) -> list[str]:
    """The addresses of the slide pictures, once every one of them has loaded."""
    shown = driver.execute_script(SLIDES)
    return [src for src, loaded in shown] if shown and all(ok for _, ok in shown) else []


def slides_changed(driver, before: list[str]) -> list[int] | None:
    """The numbers of the slides whose pictures changed since before, once loaded."""
    now = slides(driver)
    if len(now) != len(before):
        return [0] if now else None
    changed = [n for n, (old, new) in enumerate(zip(before, now, strict=True), 1) if old != new]
    return changed or None


def error_shown(driver) -> str | None:
    return driver.execute_script(ERROR)
