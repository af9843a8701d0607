"""Scan classification: tickets, ID numbers, QR payloads, garbage."""

import pytest

from examops.domain.scan import classify, ticket_qr_payload


@pytest.mark.parametrize("raw,kind,value", [
    ("21150000000123", "ticket", "21150000000123"),
    ("  21150000000123\r\n", "ticket", "21150000000123"),
    ("21150000000123".translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)}), "ticket", "21150000000123"),
    ("11010519491231002x", "id_number", "11010519491231002X"),
    ("360426910101007", "id_number", "360426199101010071"),
    (ticket_qr_payload("21150000000123"), "ticket", "21150000000123"),
    ("https://zk.example.org/q?zkzh=21150000000123&x=1", "ticket", "21150000000123"),
    ('{"zkzh": "21150000000123"}', "ticket", "21150000000123"),
    ("", "invalid", ""),
    ("hello", "invalid", ""),
    ("'; DROP TABLE events; --", "invalid", ""),
    ("2115\x000000123", "invalid", ""),
    ("\ufffd\ufffd", "invalid", ""),
    ("9" * 10_000, "invalid", ""),
    ("12345", "invalid", ""),
])
def test_classify(raw, kind, value):
    scan = classify(raw)
    assert (scan.kind, scan.value) == (kind, value)


def test_a_raw_id_number_is_masked_for_screens_and_anything_else_is_kept():
    from examops.domain.scan import masked

    assert masked("11010519491231002X") == "110105********002X"
    assert masked("110105194912310021") == "110105********0021"  # check character fails: still masked
    assert masked("21150054251634") == "21150054251634"
    assert masked("garbage!") == "garbage!"
