"""Organization numbers: real examples, and properties checked against textbook check-digit formulas."""

import itertools
import random
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from registry.organizations.orgnumbers import OrgNumberError, normalize_org_number, random_org_number


def _weighted(body: str, weights: tuple[int, ...]) -> int:
    return sum(w * int(d) for w, d in zip(weights, body, strict=True))


def _no_check(body: str) -> str | None:
    """Brønnøysund: 11 - (sum mod 11); 11 gives 0, 10 means the body has no valid number."""
    check = 11 - _weighted(body, (3, 2, 7, 6, 5, 4, 3, 2)) % 11
    return {11: "0", 10: None}.get(check, str(check))


def _se_check(body: str) -> str:
    """Luhn: double every other digit from the right, starting with the body's last."""
    total = sum(sum(divmod(int(d) * (2 - i % 2), 10)) for i, d in enumerate(reversed(body)))
    return str(-total % 10)


def _dk_check(body: str) -> str | None:
    """CVR: the digit that makes the sum weighted 2,7,6,5,4,3,2,1 divisible by 11, if any."""
    total = _weighted(body, (2, 7, 6, 5, 4, 3, 2))
    return next((str(c) for c in range(10) if (total + c) % 11 == 0), None)


def _fi_check(body: str) -> str | None:
    """Y-tunnus: r = sum mod 11; r 0 gives 0, r 1 means no valid number, else 11 - r."""
    r = _weighted(body, (7, 9, 10, 5, 8, 4, 2)) % 11
    return {0: "0", 1: None}.get(r, str(11 - r))


# country: (body length, check digit of a body, canonical form of the digits)
SPEC = {
    "NO": (8, _no_check, lambda d: d),
    "SE": (9, _se_check, lambda d: f"{d[:6]}-{d[6:]}"),
    "DK": (7, _dk_check, lambda d: d),
    "FI": (7, _fi_check, lambda d: f"{d[:7]}-{d[7:]}"),
}

# Real registered numbers (and Skatteverket's test personnummer 121212-1212); check digits verified below.
REAL = [
    ("NO", "974760673"),
    ("NO", "938801363"),
    ("NO", "964338531"),
    ("NO", "958935420"),
    ("SE", "2120000142"),
    ("SE", "5560160680"),
    ("SE", "1212121212"),
    ("DK", "29188505"),
    ("DK", "64942212"),
    ("FI", "02012566"),
    ("FI", "01120389"),
]


@pytest.mark.parametrize(("country", "digits"), REAL)
def test_textbook_formulas_agree_with_real_numbers(country: str, digits: str) -> None:
    assert SPEC[country][1](digits[:-1]) == digits[-1]


@pytest.mark.parametrize(
    ("country", "raw", "canonical"),
    [
        ("NO", "974760673", "974760673"),
        ("NO", "974 760 673", "974760673"),
        ("NO", " 938801363\n", "938801363"),
        ("NO", "964 338 531", "964338531"),
        ("SE", "212000-0142", "212000-0142"),
        ("SE", "2120000142", "212000-0142"),
        ("SE", "556016-0680", "556016-0680"),
        ("SE", "165560160680", "556016-0680"),
        ("SE", "16556016-0680", "556016-0680"),
        ("SE", "19121212-1212", "121212-1212"),
        ("SE", "201212121212", "121212-1212"),
        ("DK", "29188505", "29188505"),
        ("DK", "29 18 85 05", "29188505"),
        ("DK", "64942212", "64942212"),
        ("FI", "0201256-6", "0201256-6"),
        ("FI", "02012566", "0201256-6"),
        ("FI", "0112038-9", "0112038-9"),
    ],
)
def test_real_numbers_are_normalized(country: str, raw: str, canonical: str) -> None:
    assert normalize_org_number(country, raw) == canonical


@pytest.mark.parametrize(
    ("country", "raw", "rule", "message"),
    [
        ("NO", "974760674", "check_digit", "check digit does not match (mod 11)"),
        ("NO", "974760690", "check_digit", "check digit does not match (mod 11)"),  # body's check would be 10
        ("NO", "97476067", "length", "Norwegian organization numbers have 9 digits"),
        ("NO", "9747606730", "length", "Norwegian organization numbers have 9 digits"),
        ("NO", "", "length", "Norwegian organization numbers have 9 digits"),
        ("NO", "97476O673", "characters", "Norwegian organization numbers contain only digits"),
        ("NO", "974-760-673", "characters", "Norwegian organization numbers contain only digits"),
        ("NO", "９７４７６０６７３", "characters", "Norwegian organization numbers contain only digits"),
        ("SE", "556016-0681", "check_digit", "check digit does not match (Luhn)"),
        ("SE", "55601606", "length", "Swedish organization numbers have 10 digits (12 with a century prefix)"),
        ("SE", "5560-160680", "characters", "optionally hyphenated as NNNNNN-NNNN"),
        ("SE", "SE5560160680", "characters", "Swedish organization numbers contain only digits"),
        ("SE", "195560160680", "century", "Swedish century prefix is 16 for legal entities"),
        ("SE", "161212121212", "century", "19 or 20 for personal identity numbers"),
        ("SE", "175560160680", "century", "Swedish century prefix"),
        ("DK", "29188506", "check_digit", "check digit does not match (mod 11)"),
        ("DK", "2918850", "length", "Danish CVR numbers have 8 digits"),
        ("DK", "02918854", "first_digit", "Danish CVR numbers do not start with 0"),  # checksum holds
        ("DK", "DK29188505", "characters", "Danish CVR numbers contain only digits"),
        ("DK", "0291885", "length", "Danish CVR numbers have 8 digits"),  # length is named before the leading 0
        ("FI", "0201256-7", "check_digit", "check digit does not match (mod 11)"),
        ("FI", "0201254-0", "check_digit", "check digit does not match (mod 11)"),  # r == 1: no check digit
        ("FI", "201256-6", "length", "Finnish business IDs (Y-tunnus) have 8 digits"),
        ("FI", "020125-66", "characters", "optionally hyphenated as NNNNNNN-N"),
        # python-stdnum would drop these separators and prefixes; the registry takes digits, whitespace and the canonical hyphen only
        ("SE", "556.016.0680", "characters", "Swedish organization numbers contain only digits"),
        ("SE", "556016\u20130680", "characters", "Swedish organization numbers contain only digits"),
        ("SE", "121212+1212", "characters", "Swedish organization numbers contain only digits"),
        ("DK", "29-18-85-05", "characters", "Danish CVR numbers contain only digits"),
        ("DK", "DK 29.18.85.05", "characters", "Danish CVR numbers contain only digits"),
        ("FI", "FI0201256-6", "characters", "Finnish business IDs (Y-tunnus) contain only digits"),
        ("FI", "0201256/6", "characters", "Finnish business IDs (Y-tunnus) contain only digits"),
        ("IS", "5502690239", "country", "no organization number rule for country 'IS'"),
        ("no", "974760673", "country", "no organization number rule for country 'no'"),
    ],
)
def test_invalid_numbers_name_the_broken_rule(country: str, raw: str, rule: str, message: str) -> None:
    with pytest.raises(OrgNumberError, match=re.escape(message)) as excinfo:
        normalize_org_number(country, raw)
    assert excinfo.value.rule == rule
    assert isinstance(excinfo.value, ValueError)


countries = st.sampled_from(sorted(SPEC))


def _bodies(country: str) -> st.SearchStrategy[str]:
    length = SPEC[country][0]
    return st.text("0123456789", min_size=length, max_size=length).filter(lambda body: country != "DK" or body[0] != "0")


def _valid(country: str) -> st.SearchStrategy[tuple[str, str]]:
    check = SPEC[country][1]
    return _bodies(country).filter(lambda body: check(body) is not None).map(lambda body: (country, body + check(body)))


valid_numbers = countries.flatmap(_valid)


@given(valid_numbers)
def test_body_plus_computed_check_digit_is_valid(number: tuple[str, str]) -> None:
    country, digits = number
    assert normalize_org_number(country, digits) == SPEC[country][2](digits)


@given(valid_numbers, st.data())
def test_any_single_digit_change_is_detected(number: tuple[str, str], data: st.DataObject) -> None:
    country, digits = number
    i = data.draw(st.integers(0, len(digits) - 1))
    digit = data.draw(st.sampled_from("0123456789").filter(lambda d: d != digits[i]))
    changed = digits[:i] + digit + digits[i + 1 :]
    assume(country != "DK" or changed[0] != "0")
    with pytest.raises(OrgNumberError, match=re.escape("check digit does not match")) as excinfo:
        normalize_org_number(country, changed)
    assert excinfo.value.rule == "check_digit"


@given(st.sampled_from(["NO", "DK", "FI"]).flatmap(lambda c: st.tuples(st.just(c), _bodies(c))))
def test_body_without_a_possible_check_digit_is_always_invalid(case: tuple[str, str]) -> None:
    country, body = case
    check = SPEC[country][1]
    # Only about 1 body in 11 has no check digit: vary the body's last digit to find it.
    hopeless = [b for b in (body[:-1] + d for d in "0123456789") if check(b) is None]
    for b, digit in itertools.product(hopeless, "0123456789"):
        with pytest.raises(OrgNumberError) as excinfo:
            normalize_org_number(country, b + digit)
        assert excinfo.value.rule == "check_digit"


@given(_valid("SE"), st.sampled_from(["19", "20"]))
def test_swedish_twelve_digit_form_normalizes_like_ten_digits(number: tuple[str, str], person_century: str) -> None:
    _, digits = number
    century = "16" if digits[2] >= "2" else person_century
    assert normalize_org_number("SE", century + digits) == normalize_org_number("SE", digits)


@given(_valid("SE"), st.text("0123456789", min_size=2, max_size=2))
def test_swedish_century_must_fit_the_kind_of_number(number: tuple[str, str], century: str) -> None:
    _, digits = number
    assume(century not in (("16",) if digits[2] >= "2" else ("19", "20")))
    with pytest.raises(OrgNumberError) as excinfo:
        normalize_org_number("SE", century + digits)
    assert excinfo.value.rule == "century"


@given(valid_numbers, st.data())
def test_whitespace_and_hyphen_variants_normalize_identically(number: tuple[str, str], data: st.DataObject) -> None:
    country, digits = number
    canonical = SPEC[country][2](digits)
    written = data.draw(st.sampled_from(sorted({digits, canonical})))
    gaps = st.sampled_from(["", "", " ", "  ", "\t", "\u00a0"])
    spaced = "".join(data.draw(gaps) + char for char in written) + data.draw(gaps)
    assert normalize_org_number(country, spaced) == canonical


@pytest.mark.parametrize("raw", ["1212721219", "121272-1219", "191212721219", "20121272-1219"])
def test_swedish_sole_trader_with_a_coordination_number_is_accepted(raw: str) -> None:
    """A samordningsnummer (day + 60) is no birth date; it is still a sole trader's organization number."""
    assert normalize_org_number("SE", raw) == "121272-1219"


@given(countries, st.integers(0, 2**32), st.data())
def test_random_numbers_are_valid_canonical_and_keep_their_prefix(country: str, seed: int, data: st.DataObject) -> None:
    body_length, check = SPEC[country][0], SPEC[country][1]
    prefix = data.draw(st.text("0123456789", max_size=body_length).filter(lambda p: country != "DK" or not p.startswith("0")))
    assume(len(prefix) < body_length or check(prefix) is not None)
    number = random_org_number(country, random.Random(seed), prefix)
    assert normalize_org_number(country, number) == number
    assert number.replace("-", "").startswith(prefix)


@pytest.mark.parametrize(
    ("country", "prefix"),
    [("NO", "123456789"), ("NO", "97476069"), ("SE", "55x"), ("DK", "0"), ("FI", "-1"), ("FI", "0201254")],  # no check digit fits the last two
)
def test_random_numbers_refuse_an_impossible_prefix(country: str, prefix: str) -> None:
    with pytest.raises(ValueError, match="cannot begin"):
        random_org_number(country, random.Random(1), prefix)
