"""Column widths are decided by each look's widest text in a column: the same widths, in the same column order, as
scaling and capping every cell's own width and keeping the most."""

from __future__ import annotations

import random

from examops.adapters.excel_out.fit import PADDING, _display_width, _scale, column_widths


def _cell_by_cell(cells, caps, floor=6.0, cap=40.0):  # noqa: ANN001, ANN202
    widths: dict[int, float] = {}
    for _, column, value, (size, wraps) in cells:
        need = _display_width(str(value)) * _scale(size) + PADDING
        column_cap = caps.get(column, cap)
        limit = column_cap if wraps else max(column_cap, need)
        widths[column] = max(widths.get(column, floor), min(need, limit))
    return widths


def test_widths_equal_a_fold_of_every_cell():
    rng = random.Random(15)
    texts = ["", "1", "考场", "座位号", "2021-10-16 08:05", "张三丰", "x" * 45, "宽" * 30, "a\nbb\n考生", 7, 123456789]
    looks = [(10.0, False), (10.0, True), (11.0, True), (16.0, False), (9.0, True)]
    for _ in range(200):
        cells = [(row, rng.randint(1, 6), rng.choice(texts), rng.choice(looks)) for row in range(rng.randint(0, 40))]
        caps = {column: rng.choice([8.0, 20.0, 60.0]) for column in range(1, 7) if rng.random() < 0.4}
        got, expected = column_widths(cells, caps=caps), _cell_by_cell(cells, caps)
        assert got == expected and list(got) == list(expected)
