"""An unknown ticket or ID number offers every roster entry one slip away, the likeliest first."""

from __future__ import annotations

import random

import pytest

from examops.domain import idnumber, typos
from examops.services.gate import Lane


def _expected(site, typed: str) -> set[str]:
    """Tickets one slip away from `typed`, by ticket or by ID number, found by reading every candidate."""
    return {p.ticket for p in site.people
            if typos.typo(typed, p.ticket) is not None or typos.typo(typed, p.id_number) is not None}


def _swapped_last_two(ticket: str) -> str:
    return ticket[:-2] + ticket[-1] + ticket[-2]


def test_a_swap_of_the_last_two_digits_is_offered_first(seeded_site):
    person = next(p for p in seeded_site.people[20:] if p.ticket[-1] != p.ticket[-2] and p.ticket[-1] != "0")
    typed = _swapped_last_two(person.ticket)
    verdict = Lane(seeded_site, "A", "s").check(typed, session_id="S1")
    assert verdict.verdict == "unknown"
    offered = [s.ticket for s in verdict.suggestions]
    assert offered[0] == person.ticket
    assert set(offered) == _expected(seeded_site, typed)  # every one-digit neighbour too, none cut off


def test_suggestions_rank_swap_then_wrong_digit_then_length(seeded_site):
    person = seeded_site.people[33]
    dropped = person.ticket[:9] + person.ticket[10:]  # one digit left out: shorter than any ticket
    verdict = Lane(seeded_site, "A", "s").check(dropped, session_id="S1")
    assert person.ticket in [s.ticket for s in verdict.suggestions]
    kinds = [min(k for k in (typos.typo(dropped, s.ticket), typos.typo(dropped, s.id_number)) if k is not None)
             for s in verdict.suggestions]
    assert kinds == sorted(kinds)


@pytest.mark.parametrize("position", [3, 10, 16, 17])
def test_an_id_whose_check_character_fails_is_a_typo_of_the_rostered_one(seeded_site, position):
    person = seeded_site.people[7]
    wrong = "1" if person.id_number[position] != "1" else "2"
    typed = person.id_number[:position] + wrong + person.id_number[position + 1:]
    assert idnumber.check_char(typed[:17]) != typed[17]  # GB 11643's check catches every single wrong digit
    verdict = Lane(seeded_site, "A", "s").check(typed, session_id="S1")
    assert verdict.verdict == "unknown" and verdict.mistyped_id
    assert verdict.suggestions[0].ticket == person.ticket
    assert verdict.to_json()["typo"] == "id-check-character"
    assert verdict.to_json()["suggestions"][0]["id_number"] == idnumber.mask(person.id_number)


def test_two_id_digits_swapped_find_the_candidate(seeded_site):
    person = next(p for p in seeded_site.people if p.id_number[14] != p.id_number[15])
    typed = person.id_number[:14] + person.id_number[15] + person.id_number[14] + person.id_number[16:]
    verdict = Lane(seeded_site, "A", "s").check(typed, session_id="S1")
    assert verdict.suggestions[0].ticket == person.ticket


def test_every_one_slip_neighbour_is_offered_for_random_slips(seeded_site):
    rng = random.Random(16)
    lane = Lane(seeded_site, "A", "s")
    for _ in range(12):
        person = rng.choice(seeded_site.people)
        value = rng.choice((person.ticket, person.id_number))
        typed = rng.choice(sorted(typos.neighbours(value)))
        if any(typed in (p.ticket, p.id_number) for p in seeded_site.people):
            continue
        verdict = lane.check(typed, session_id="S1")
        if verdict.verdict != "unknown":  # a slip can make another valid-looking kind of code
            continue
        assert {s.ticket for s in verdict.suggestions} == _expected(seeded_site, typed), typed


def test_neighbours_and_typo_agree():
    typed = "2115005"
    for value in typos.neighbours(typed, typos.ID_CHARS):
        assert typos.typo(typed, value) is not None, value
    assert typos.typo("12", "21") is typos.Typo.SWAP
    assert typos.typo("123", "124") is typos.Typo.DIGIT
    assert typos.typo("123", "1234") is typos.Typo.LENGTH
    assert typos.typo("1234", "2143") is None
