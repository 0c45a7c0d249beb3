"""Where to get the fonts Lectern's built-in theme sets text in, on each system.

A machine without the CJK faces cannot print a Chinese lesson: rather than one error per
character it cannot show, the check names the missing family once, with what installs
it on Debian/Ubuntu, Fedora, macOS (Homebrew) and Windows.
"""

from __future__ import annotations

NOTO_CJK = "https://github.com/notofonts/noto-cjk/releases"
NOTO = "https://fonts.google.com/noto"

PACKAGES: dict[str, dict[str, str]] = {
    "Noto Serif CJK SC": {
        "Debian/Ubuntu": "apt install fonts-noto-cjk",
        "Fedora": "dnf install google-noto-serif-cjk-fonts",
        "macOS": "brew install --cask font-noto-serif-cjk-sc",
        "Windows": f"Noto Serif CJK SC from {NOTO_CJK}, installed for all users",
    },
    "Noto Sans CJK SC": {
        "Debian/Ubuntu": "apt install fonts-noto-cjk",
        "Fedora": "dnf install google-noto-sans-cjk-fonts",
        "macOS": "brew install --cask font-noto-sans-cjk-sc",
        "Windows": f"Noto Sans CJK SC from {NOTO_CJK}, installed for all users",
    },
    "AR PL UKai CN": {
        "Debian/Ubuntu": "apt install fonts-arphic-ukai",
        "Fedora": "dnf install cjkuni-ukai-fonts",
        "macOS": "ukai.ttc from Debian's fonts-arphic-ukai, opened in Font Book",
        "Windows": "ukai.ttc from Debian's fonts-arphic-ukai, installed for all users",
    },
    "Noto Serif": {
        "Debian/Ubuntu": "apt install fonts-noto-core",
        "Fedora": "dnf install google-noto-serif-fonts",
        "macOS": "brew install --cask font-noto-serif",
        "Windows": f"Noto Serif from {NOTO}, installed for all users",
    },
    "Noto Sans": {
        "Debian/Ubuntu": "apt install fonts-noto-core",
        "Fedora": "dnf install google-noto-sans-fonts",
        "macOS": "brew install --cask font-noto-sans",
        "Windows": f"Noto Sans from {NOTO}, installed for all users",
    },
}
"""Each print family, and how each system gets it."""


def how_to_install(families: list[str]) -> str:
    """One sentence saying how to install families on each system, packages merged."""
    systems = {}
    for family in families:
        for system, how in PACKAGES.get(family, {}).items():
            systems.setdefault(system, []).append(how)
    said = []
    for system, hows in systems.items():
        commands: dict[str, list[str]] = {}  # "apt install" → its packages, merged
        others = []
        for how in dict.fromkeys(hows):
            if how.startswith(("apt ", "dnf ", "brew ")):
                verb, _, package = how.rpartition(" ")
                commands.setdefault(verb, []).append(package)
            else:
                others.append(how)
        parts = [f"{verb} {' '.join(packages)}" for verb, packages in commands.items()]
        said.append(f"{system}: " + "; ".join(parts + others))
    return "; ".join(said)
