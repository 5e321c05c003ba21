"""CPV codes (Common Procurement Vocabulary, Regulation (EC) 213/2008): ``NNNNNNNN-C``.

The check digit is ``-(Σ wᵢ·dᵢ) mod 10`` with weights 7, 3, 9 repeating over the eight digits;
it reproduces the published codes (e.g. 33196200-2, 85311100-3, 48000000-8).
"""

from __future__ import annotations

import re

CPV_FORMAT = re.compile(r"^(\d{8})-(\d)$")
WEIGHTS = (7, 3, 9, 7, 3, 9, 7, 3)


def check_digit(digits: str) -> int:
    return -sum(w * int(d) for w, d in zip(WEIGHTS, digits, strict=True)) % 10


def cpv_problem(code: str) -> str | None:
    """Why ``code`` is not a CPV code, or None."""
    match = CPV_FORMAT.match(code)
    if not match:
        return "must look like 33196200-2 (eight digits, a hyphen, a check digit)"
    expected = check_digit(match.group(1))
    if int(match.group(2)) != expected:
        return f"check digit should be {expected}"
    return None
