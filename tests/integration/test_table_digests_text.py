"""The roster's digests joined column by column hash the very text canonical_json writes (verify compares them)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from examops.adapters.store.digests import _columns_digest, _digest

_TEXT = st.one_of(st.text(max_size=6), st.sampled_from(["张三", "Anna Müller", 'a"b', "a\\b", "\n", "\x00", "\x1f", "\x7f", "\u2028"]))
_CELL = st.one_of(_TEXT, st.none(), st.integers(-10**20, 10**20), st.booleans(), st.floats(allow_nan=False))


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 4).flatmap(lambda width: st.lists(st.tuples(*[st.one_of(_TEXT, st.none(), st.integers())] * width)
                                                        | st.tuples(*[_CELL] * width), max_size=6)),
       st.integers(1, 4))
def test_columns_digest_is_the_rows_digest(rows, width):
    rows = [row[:width] for row in rows]
    columns = list(zip(*rows)) if rows else [()] * width
    if len(columns) == 1:
        assert _columns_digest(columns[0]) == _digest(list(columns[0]))
    else:
        assert _columns_digest(*columns) == _digest([list(row) for row in rows])


def test_a_roster_shaped_table_is_joined_not_encoded():
    tickets, names, seats = ("1", "2"), ("张三", None), (1, 30)
    assert _columns_digest(tickets, names, seats) == _digest([["1", "张三", 1], ["2", None, 30]])
    assert _columns_digest(()) == _digest([]) and _columns_digest((), ()) == _digest([])
