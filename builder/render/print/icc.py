"""A generic CMYK ICC profile, made here, for the output intent of PDF/X documents.

PDF/X-4 requires an embedded CMYK output profile. The profiles presses are characterised
by (FOGRA39, GRACoL) are not free to ship, and Debian packages none under a licence that
lets its bytes go into every document. This one is computed: CMYK to Lab through sRGB,
Lab to CMYK with full grey-component replacement, so a neutral prints in black ink only.
It describes no real press ("uncharacterised"); a print shop applies its own condition
on output, as it does for any PDF/X file whose intent is not its own. The bytes are the
same on every run (a fixed date, no random profile ID).
"""

from __future__ import annotations

import functools
import itertools
import struct

NAME = "Lectern generic CMYK (uncharacterised)"
D50 = (0.9642, 1.0, 0.8249)


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _srgb_to_lab(r: float, g: float, b: float) -> tuple[float, float, float]:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = linear(r), linear(g), linear(b)
    # sRGB to XYZ, already adapted to D50 (Bradford), as ICC's PCS expects.
    x = 0.4360747 * r + 0.3850649 * g + 0.1430804 * b
    y = 0.2225045 * r + 0.7168786 * g + 0.0606169 * b
    z = 0.0139322 * r + 0.0971045 * g + 0.7141733 * b

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x / D50[0]), f(y / D50[1]), f(z / D50[2])
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _lab_to_srgb(lightness: float, a: float, b: float) -> tuple[float, float, float]:
    fy = (lightness + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200

    def inverse(t: float) -> float:
        return t**3 if t**3 > 216 / 24389 else (116 * t - 16) / (24389 / 27)

    x, y, z = inverse(fx) * D50[0], inverse(fy) * D50[1], inverse(fz) * D50[2]
    r = 3.1338561 * x - 1.6168667 * y - 0.4906146 * z
    g = -0.9787684 * x + 1.9161415 * y + 0.0334540 * z
    b = 0.0719453 * x - 0.2289914 * y + 1.4052427 * z

    def gamma(c: float) -> float:
        c = min(1.0, max(0.0, c))
        return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055

    return gamma(r), gamma(g), gamma(b)


def _lab16(lightness: float, a: float, b: float) -> tuple[int, int, int]:
    """Lab in ICC version 2's 16-bit encoding (L 0..100 as 0..0xFF00, a/b offset 128)."""

    def clamp(v: float) -> int:
        return min(0xFFFF, max(0, round(v)))

    return clamp(lightness * 0xFF00 / 100), clamp((a + 128) * 256), clamp((b + 128) * 256)


def _cmyk_to_lab(c: float, m: float, y: float, k: float) -> tuple[float, float, float]:
    return _srgb_to_lab((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))


def _lab_to_cmyk(lightness: float, a: float, b: float) -> tuple[float, float, float, float]:
    r, g, b_ = _lab_to_srgb(lightness, a, b)
    k = 1 - max(r, g, b_)
    if k > 0.99:  # black, or out of gamut beside it: black ink alone
        return 0.0, 0.0, 0.0, 1.0
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b_))
    return min(1.0, max(0.0, c)), min(1.0, max(0.0, m)), min(1.0, max(0.0, y)), k


def _lut16(inputs: int, outputs: int, grid: int, table: list[tuple[int, ...]]) -> bytes:
    identity = [1, 0, 0, 0, 1, 0, 0, 0, 1]
    head = b"mft2" + bytes(4) + bytes([inputs, outputs, grid, 0])
    head += b"".join(_s15(v) for v in identity) + struct.pack(">HH", 2, 2)
    linear = struct.pack(">HH", 0, 0xFFFF)
    body = linear * inputs + b"".join(struct.pack(f">{outputs}H", *row) for row in table)
    return head + body + linear * outputs


def _grid(points: int, dimensions: int):
    steps = [i / (points - 1) for i in range(points)]
    return itertools.product(steps, repeat=dimensions)  # first dimension slowest, as ICC


def _text_description(text: str) -> bytes:
    ascii_text = text.encode("ascii") + b"\0"
    data = b"desc" + bytes(4) + struct.pack(">I", len(ascii_text)) + ascii_text
    return data + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + bytes(67)


def _tags() -> dict[bytes, bytes]:
    a2b = [_lab16(*_cmyk_to_lab(*cmyk)) for cmyk in _grid(9, 4)]
    b2a = []
    for lightness, a, b in _grid(17, 3):
        cmyk = _lab_to_cmyk(lightness * 100, a * 255 - 128, b * 255 - 128)
        b2a.append(tuple(round(v * 0xFFFF) for v in cmyk))
    gamut = [(0,) for _ in _grid(2, 3)]
    return {
        b"desc": _text_description(NAME),
        b"cprt": b"text" + bytes(4) + b"No copyright: computed by Lectern\0",
        b"wtpt": b"XYZ " + bytes(4) + b"".join(_s15(v) for v in D50),
        b"A2B0": _lut16(4, 3, 9, a2b),
        b"B2A0": _lut16(3, 4, 17, b2a),
        b"gamt": _lut16(3, 1, 2, gamut),
    }


@functools.cache
def generic_cmyk_profile() -> bytes:
    """The profile's bytes (ICC version 2.1, an output device, CMYK to Lab)."""
    tags = _tags()
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, tag in tags.items():
        table += signature + struct.pack(">II", offset + len(data), len(tag))
        data += tag + bytes(-len(tag) % 4)
    body = struct.pack(">I", len(tags)) + table + data
    header = struct.pack(">I", 128 + len(body)) + b"lcms" + bytes([2, 0x10, 0, 0])
    header += b"prtrCMYKLab " + struct.pack(">6H", 2026, 1, 1, 0, 0, 0) + b"acsp"
    header += bytes(4 + 4 + 4 + 4 + 8) + struct.pack(">I", 0)
    header += b"".join(_s15(v) for v in D50) + bytes(4 + 16 + 28)
    return header + body
