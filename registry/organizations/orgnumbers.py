"""Organization numbers of Norway, Sweden, Denmark and Finland: validation and canonical form."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass


class OrgNumberError(ValueError):
    """An organization number broke a rule; the message names it, ``rule`` is a stable short code."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


def _mod11(*weights: int) -> Callable[[str], bool]:
    """Weighted digit sum (check digit weighted 1) divisible by 11; so a check digit of 10 cannot exist."""
    return lambda digits: sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 == 0


def _luhn(digits: str) -> bool:
    doubled = (int(d) * (1 + i % 2) for i, d in enumerate(reversed(digits)))
    return sum(n // 10 + n % 10 for n in doubled) % 10 == 0


def _drop_swedish_century(digits: str) -> str:
    """12 → 10 digits. Legal entities (third digit 2–9) take 16; sole traders' personnummer (month 01–12), 19/20."""
    century, number = digits[:2], digits[2:]
    if century not in (("16",) if number[2] >= "2" else ("19", "20")):
        raise OrgNumberError(
            "century", "Swedish century prefix is 16 for legal entities, 19 or 20 for personal identity numbers"
        )
    return number


@dataclass(frozen=True)
class _Scheme:
    noun: str
    length: int
    hyphen: int  # digits after the hyphen of the canonical form (optional in input); 0: no hyphen
    valid: Callable[[str], bool]
    algorithm: str
    first_digits: str = "0123456789"
    drop_century: Callable[[str], str] | None = None  # turns a form of length + 2 digits into the canonical length

    def format(self, digits: str) -> str:
        return f"{digits[: -self.hyphen]}-{digits[-self.hyphen :]}" if self.hyphen else digits


_SCHEMES = {
    "NO": _Scheme("Norwegian organization numbers", 9, 0, _mod11(3, 2, 7, 6, 5, 4, 3, 2, 1), "mod 11"),
    "SE": _Scheme("Swedish organization numbers", 10, 4, _luhn, "Luhn", drop_century=_drop_swedish_century),
    "DK": _Scheme("Danish CVR numbers", 8, 0, _mod11(2, 7, 6, 5, 4, 3, 2, 1), "mod 11", first_digits="123456789"),
    "FI": _Scheme("Finnish business IDs (Y-tunnus)", 8, 1, _mod11(7, 9, 10, 5, 8, 4, 2, 1), "mod 11"),
}


def normalize_org_number(country: str, raw: str) -> str:
    """Validate ``raw`` by the rule of ``country`` (NO, SE, DK, FI) and return its canonical form.

    Canonical forms: NO ``NNNNNNNNN``, SE ``NNNNNN-NNNN``, DK ``NNNNNNNN``, FI ``NNNNNNN-C``.
    Whitespace is ignored; SE and FI accept their hyphen or its absence; SE also accepts 12 digits
    with a century prefix. Raises ``OrgNumberError`` naming the first rule broken.
    """
    scheme = _SCHEMES.get(country)
    if scheme is None:
        known = ", ".join(_SCHEMES)
        raise OrgNumberError("country", f"no organization number rule for country {country!r} (known: {known})")
    compact = "".join(raw.split())
    hyphen = f"(?:-[0-9]{{{scheme.hyphen}}})?" if scheme.hyphen else ""
    if not re.fullmatch(f"[0-9]*{hyphen}", compact):
        layout = f", optionally hyphenated as {scheme.format('N' * scheme.length)}" if scheme.hyphen else ""
        raise OrgNumberError("characters", f"{scheme.noun} contain only digits{layout}")
    digits = compact.replace("-", "")
    if scheme.drop_century and len(digits) == scheme.length + 2:
        digits = scheme.drop_century(digits)
    if len(digits) != scheme.length:
        long_form = " (12 with a century prefix)" if scheme.drop_century else ""
        raise OrgNumberError("length", f"{scheme.noun} have {scheme.length} digits{long_form}")
    if digits[0] not in scheme.first_digits:
        raise OrgNumberError("first_digit", f"{scheme.noun} do not start with {digits[0]}")
    if not scheme.valid(digits):
        raise OrgNumberError("check_digit", f"check digit does not match ({scheme.algorithm})")
    return scheme.format(digits)


def random_org_number(country: str, rng: random.Random, prefix: str = "") -> str:
    """A number in canonical form that passes ``country``'s rule, for demonstrations, tests and benchmarks.

    ``prefix`` fixes the leading digits, e.g. ``"55"`` for a Swedish limited company.
    """
    scheme = _SCHEMES[country]
    while True:
        digits = prefix + "".join(rng.choice("0123456789") for _ in range(scheme.length - len(prefix)))
        if digits[0] in scheme.first_digits and scheme.valid(digits):
            return scheme.format(digits)
