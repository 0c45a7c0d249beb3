"""A warm LibreOffice, driven over UNO: converts decks to PDF, one request a line.

Run by ``libreoffice.WarmOffice`` under a Python that has LibreOffice's ``uno`` module
(Debian's python3-uno), which Lectern's own environment usually lacks: this file
imports nothing of Lectern's. It starts soffice listening on a private pipe, connects,
and answers each request line ``{"in": deck, "out": pdf}`` on stdin with a line
``{"ok": true}`` or ``{"error": "..."}`` on stdout. When stdin closes it ends soffice.
A soffice that dies ends this process too; its parent starts a new one.
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue

CONNECT_SECONDS = 60


def _property(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def _desktop(soffice, profile, pipe):
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("LibreOffice did not start") from None
            time.sleep(0.1)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    return office, desktop


def _convert(desktop, source, target):
    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source),
        "_blank",
        0,
        (_property("Hidden", True), _property("ReadOnly", True)),
    )
    try:
        document.storeToURL(
            uno.systemPathToFileUrl(target),
            (_property("FilterName", "impress_pdf_Export"),),
        )
    finally:
        document.close(True)


def main():
    soffice, profile, pipe = sys.argv[1:4]
    office, desktop = _desktop(soffice, profile, pipe)
    print(json.dumps({"ready": True}), flush=True)
    try:
        for line in sys.stdin:
            request = json.loads(line)
            try:
                _convert(desktop, request["in"], request["out"])
                answer = {"ok": True}
            except Exception as error:  # soffice gone: say so, and end
                if office.poll() is not None:
                    raise SystemExit("LibreOffice ended") from None
                answer = {"error": str(error) or type(error).__name__}
            print(json.dumps(answer), flush=True)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            office.wait(5)
        except subprocess.TimeoutExpired:
            office.kill()
        os._exit(0)


if __name__ == "__main__":
    main()
