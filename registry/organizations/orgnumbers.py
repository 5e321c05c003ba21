"""Organization numbers of Norway, Sweden, Denmark and Finland: validation and canonical form.

Check digits and canonical layouts are python-stdnum's (``stdnum.no.orgnr``, ``stdnum.se.orgnr``,
``stdnum.dk.cvr``, ``stdnum.fi.ytunnus``). Around them the registry keeps what it decides itself:

- which characters a number may be written with. stdnum is more lenient: it also drops dots, slashes,
  colons, hyphens anywhere, Unicode dashes and ``DK``/``FI`` prefixes; it drops only spaces, not tabs
  or line breaks. Here whitespace of any kind is ignored, and only the hyphen of the canonical form;
- Sweden's 12-digit form with a century prefix. ``stdnum.se.orgnr`` takes 10 digits only, and
  ``stdnum.se.personnummer`` (which takes 19/20 prefixes) also requires a real birth date, so it
  refuses coordination numbers (day + 60), which sole traders may hold;
- the order in which broken rules are named (length before a CVR's leading zero), and the messages.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import luhn
from stdnum.dk import cvr
from stdnum.exceptions import InvalidChecksum, InvalidFormat, ValidationError
from stdnum.fi import alv, ytunnus
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr


class OrgNumberError(ValueError):
    """An organization number broke a rule; the message names it, ``rule`` is a stable short code."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


def _mod11_check_digit(checksum: Callable[[str], int]) -> Callable[[str], str | None]:
    """The check digit completing a body under stdnum's mod 11 ``checksum`` (the check digit weighs 1).

    None when it would have to be 10: such a body has no valid number.
    """

    def check_digit(body: str) -> str | None:
        digit = -checksum(body + "0") % 11
        return None if digit == 10 else str(digit)

    return check_digit


def _drop_swedish_century(digits: str) -> str:
    """12 → 10 digits. Legal entities (third digit 2–9) take 16; sole traders' personnummer (month 01–12), 19/20."""
    century, number = digits[:2], digits[2:]
    if century not in (("16",) if number[2] >= "2" else ("19", "20")):
        raise OrgNumberError("century", "Swedish century prefix is 16 for legal entities, 19 or 20 for personal identity numbers")
    return number


def _unchanged(number: str) -> str:
    return number


@dataclass(frozen=True)
class _Scheme:
    noun: str
    length: int
    hyphen: int  # digits after the hyphen of the canonical form (optional in input); 0: no hyphen
    validate: Callable[[str], str]  # stdnum's: the compact digits, or a ValidationError
    check_digit: Callable[[str], str | None]  # completes a body of length - 1 digits, None if none can
    algorithm: str
    format: Callable[[str], str] = _unchanged  # canonical form of valid digits
    drop_century: Callable[[str], str] | None = None  # turns a form of length + 2 digits into the canonical length


_SCHEMES = {
    "NO": _Scheme("Norwegian organization numbers", 9, 0, no_orgnr.validate, _mod11_check_digit(no_orgnr.checksum), "mod 11"),
    "SE": _Scheme(
        "Swedish organization numbers",
        10,
        4,
        se_orgnr.validate,
        luhn.calc_check_digit,
        "Luhn",
        format=se_orgnr.format,
        drop_century=_drop_swedish_century,
    ),
    "DK": _Scheme("Danish CVR numbers", 8, 0, cvr.validate, _mod11_check_digit(cvr.checksum), "mod 11"),
    "FI": _Scheme("Finnish business IDs (Y-tunnus)", 8, 1, ytunnus.validate, _mod11_check_digit(alv.checksum), "mod 11", format=ytunnus.format),
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
    try:
        digits = scheme.validate(digits)
    except InvalidChecksum as exc:
        raise OrgNumberError("check_digit", f"check digit does not match ({scheme.algorithm})") from exc
    except InvalidFormat as exc:  # digits and length are checked above: what is left is a CVR starting with 0
        raise OrgNumberError("first_digit", f"{scheme.noun} do not start with {digits[0]}") from exc
    except ValidationError as exc:  # no other rule in python-stdnum 2.2; kept so that a new one still names itself
        raise OrgNumberError("invalid", f"not a valid number: {exc}") from exc
    return scheme.format(digits)


def random_org_number(country: str, rng: random.Random, prefix: str = "") -> str:
    """A number in canonical form that passes ``country``'s rule, for demonstrations, tests and benchmarks.

    ``prefix`` fixes the leading digits, e.g. ``"55"`` for a Swedish limited company; it leaves room
    for the check digit and must itself be possible (a Danish CVR number never starts with 0).
    """
    scheme = _SCHEMES[country]
    if not re.fullmatch(f"[0-9]{{0,{scheme.length - 1}}}", prefix) or (country == "DK" and prefix.startswith("0")):
        raise ValueError(f"{prefix!r} cannot begin {scheme.noun}")
    while True:
        body = prefix + "".join(rng.choice("0123456789") for _ in range(scheme.length - 1 - len(prefix)))
        check = scheme.check_digit(body)
        if check is None and len(prefix) == scheme.length - 1:
            raise ValueError(f"{prefix!r} cannot begin {scheme.noun}: no check digit completes it")
        if check is None:
            continue
        try:
            return scheme.format(scheme.validate(body + check))
        except ValidationError:  # a CVR body starting with 0
            continue
