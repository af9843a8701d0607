"""Which candidate a photo file names, and which files are the junk file managers leave."""

from __future__ import annotations

import pytest

from examops.domain.photo_pack import CandidateIndex, Named, assign, entry_stem, is_junk

INDEX = CandidateIndex([("21150054251571", "150203199001011234"), ("0021150099", "15020319900101123X"),
                        ("0123", "110101199001011237"), ("123", "110101199001011245")])


@pytest.mark.parametrize(("name", "stem"), [
    ("photos/21150054251571.JPG", "21150054251571"), ("a\\b\\x.jpeg", "x"), (" 123 .Png", "123"),
    ("15020319900101123x.jpg", "15020319900101123x"), ("readme.txt", "readme"), ("noext", "noext"),
])
def test_entry_stem(name, stem):
    assert entry_stem(name) == stem


@pytest.mark.parametrize(("stem", "ticket", "how"), [
    ("21150054251571", "21150054251571", "ticket"),
    ("150203199001011234", "21150054251571", "id"),
    ("15020319900101123x", "0021150099", "id"),
    ("21150099", "0021150099", "ticket-zeros"),
    ("0123", "0123", "ticket"),
    ("99", None, "none"),
    ("", None, "none"),
])
def test_match(stem, ticket, how):
    match = INDEX.match(stem)
    assert (match.ticket, match.how) == (ticket, how)


def test_a_stem_two_tickets_share_once_zeros_are_lost_is_ambiguous():
    match = CandidateIndex([("0123", "1"), ("00123", "2")]).match("123")
    assert (match.ticket, match.how, match.candidates) == (None, "ambiguous", ("00123", "0123"))


@pytest.mark.parametrize(("name", "junk"), [
    ("__MACOSX/p/._1.jpg", True), ("p/Thumbs.db", True), (".DS_Store", True), ("p/desktop.ini", True),
    ("p/.hidden.jpg", True), ("p/1.jpg", False),
])
def test_junk(name, junk):
    assert is_junk(name) is junk


def test_two_files_for_one_candidate_are_both_refused_naming_the_other():
    chosen, problems = assign([Named("p.zip", "1.jpg", "T", "ticket"), Named("p.zip", "ID.png", "T", "id"),
                               Named("other", "2.jpg", "U", "ticket")])
    assert list(chosen) == ["U"]
    assert [(p.entry, p.params["others"]) for p in problems] == [("1.jpg", ["ID.png"]), ("ID.png", ["1.jpg"])]
