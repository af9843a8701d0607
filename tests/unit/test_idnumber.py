"""Resident ID numbers: the shared vectors, and agreement with python-stdnum's ``cn.ric``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from examops.domain import idnumber
from examops.domain.idnumber import IdError

# A copy of shared/vectors/cn_resident_id.tsv (its source is in its header), so the tests stand alone.
VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "cn_resident_id.tsv"


def _vectors() -> list[tuple[str, str, str]]:
    rows = []
    for line in VECTORS.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("number\t"):
            continue
        number, expected, note = line.split("\t")
        rows.append((number, expected, note))
    return rows


def _stdnum_outcome(number: str) -> str:
    try:
        ric.validate(number)
    except stdnum_errors.InvalidLength:
        return "invalid-length"
    except stdnum_errors.InvalidFormat:
        return "invalid-format"
    except stdnum_errors.InvalidComponent:
        return "invalid-component"
    except stdnum_errors.InvalidChecksum:
        return "invalid-checksum"
    except KeyError:
        # python-stdnum 2.2: area codes it knows without a county (e.g. 110001)
        # make get_birth_place raise KeyError('county') instead of InvalidComponent.
        return "region-lookup-crash"
    return "valid"


def _stdnum_knows_region(number: str) -> bool:
    try:
        ric.get_birth_place(number)
    except (stdnum_errors.ValidationError, ValueError, KeyError):
        return False
    return True


def test_vector_file_is_present_and_covers_every_outcome():
    expected = {e for _, e, _ in _vectors()}
    assert expected == {"valid", "valid-15", "invalid-format", "invalid-component", "invalid-checksum"}


@pytest.mark.parametrize(("number", "expected", "note"), _vectors(), ids=[v[0] for v in _vectors()])
def test_vectors_through_check_agree_with_stdnum_except_unknown_region(number, expected, note):
    ours = idnumber.check(number)
    if expected == "valid-15":
        assert ours.valid and ours.upgraded_from_15
        assert _stdnum_outcome(number) == "invalid-length", "stdnum does not upgrade 15-digit numbers"
        assert _stdnum_outcome(ours.number) == "valid"
        assert ours.number == ric.compact(ours.number) == "360426199101010071"
        return
    assert _stdnum_outcome(number) == expected, note
    assert ours.number == ric.compact(number)
    if note == "unknown region":
        assert ours.valid and ours.unknown_region, "an unknown area code is a warning for us, not an error"
    elif expected == "valid":
        assert ours.valid and not ours.unknown_region
    else:
        assert ours.error is IdError(expected), note


def _body(area: str, born: dt.date, sequence: int) -> str:
    return f"{area}{born:%Y%m%d}{sequence:03d}"


AREA = st.sampled_from(["110101", "120110", "150203", "360426", "412723", "440113", "650102", "990426", "000000", "710000"])
BORN = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="0123456789Xx", min_size=18, max_size=18))
def test_random_18_char_strings_valid_exactly_when_stdnum_says_so(text):
    ours = idnumber.check(text)
    assert ours.number == ric.compact(text)
    if _stdnum_knows_region(ours.number):
        assert ours.valid == ric.is_valid(text), text
    elif ours.valid:
        assert _stdnum_outcome(text) in ("invalid-component", "region-lookup-crash"), "stdnum may only object to the region"


@settings(max_examples=300, deadline=None)
@given(area=AREA, born=BORN, sequence=st.integers(0, 999))
def test_random_valid_numbers_agree_with_stdnum_where_it_knows_the_region(area, born, sequence):
    body = _body(area, born, sequence)
    number = body + idnumber.check_char(body)
    ours = idnumber.check(number)
    assert ours.valid
    assert ric.calc_check_digit(number) == number[17]
    if _stdnum_knows_region(number):
        assert ric.is_valid(number)
        assert not ours.unknown_region
    else:
        assert _stdnum_outcome(number) in ("invalid-component", "region-lookup-crash")
    assert idnumber.sex_of(number) == ("M" if sequence % 2 else "F")


@settings(max_examples=200, deadline=None)
@given(area=AREA, born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), sequence=st.integers(0, 999))
def test_15_digit_numbers_upgrade_to_what_stdnum_validates(area, born, sequence):
    legacy = f"{area}{born:%y%m%d}{sequence:03d}"
    ours = idnumber.check(legacy)
    assert ours.upgraded_from_15 and ours.valid
    assert ours.number == ric.compact(ours.number)
    assert ours.number[:6] == area and ours.number[6:14] == f"{born:%Y%m%d}"
    if _stdnum_knows_region(ours.number):
        assert ric.validate(ours.number) == ours.number


@settings(max_examples=200, deadline=None)
@given(area=AREA, born=BORN, sequence=st.integers(0, 999), wrong=st.sampled_from("0123456789X"))
def test_wrong_check_character_rejected_like_stdnum(area, born, sequence, wrong):
    body = _body(area, born, sequence)
    assume(wrong != idnumber.check_char(body))
    number = body + wrong
    assert idnumber.check(number).error is IdError.CHECKSUM
    assert _stdnum_outcome(number) == "invalid-checksum"
