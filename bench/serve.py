"""Benchmark: `lectern serve`, from a save to the updated slide in the browser.

    .venv/bin/python bench/serve.py [--edits 5]

Serves a copy of the seed lesson (LibreOffice kept warm), opens it in headless
Chromium, then edits the first discussion question over and over, each time timing
from the write of lesson.yaml to the moment the question's slide shows its new picture
(loaded). Prints each time and the median. Nothing is asserted: it measures.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "chongqing-governance"
sys.path.insert(0, str(ROOT))

from tests.browser import chromium, serving, slides, slides_changed, wait_until  # noqa: E402

QUESTION = "结合本单位、本社区的工作实际"
EDITS = ["结合本单位、本街道的工作实际", "结合本单位、本村镇的工作实际"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lectern-bench-serve-") as folder:
        project = Path(folder)
        shutil.copytree(SEED, project / "content" / SEED.name)
        lesson = project / "content" / SEED.name / "lesson.yaml"
        source = lesson.read_text(encoding="utf-8")
        with serving(project) as address, chromium() as driver:
            driver.get(address)
            shown = wait_until(lambda: slides(driver), 60)
            time.sleep(2)  # the first build's findings and page pictures settle
            times = []
            for edit in range(arguments.edits + 1):
                text = source.replace(QUESTION, EDITS[edit % 2])
                started = time.perf_counter()
                lesson.write_text(text, encoding="utf-8")
                changed = wait_until(lambda s=shown: slides_changed(driver, s), 120, every=0.02)
                seconds = time.perf_counter() - started
                shown = slides(driver)
                time.sleep(3)  # the rest of the build (print pages, findings) ends
                if edit == 0:  # the first edit after start loads what the rest reuse
                    print(f"first edit (not counted): {seconds:.2f} s, slides {changed}")
                    continue
                times.append(seconds)
                print(f"edit {edit}: {seconds:.2f} s, slides {changed}")
    print(f"save to updated slide, median of {len(times)}: {statistics.median(times):.2f} s")


if __name__ == "__main__":
    main()
