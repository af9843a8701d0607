"""A scanner's double read is one scan; the same code later, or another code, is a scan."""

from examops.domain.scan_stream import DoubleReadFilter


def test_the_same_code_within_a_second_is_one_scan():
    reads = DoubleReadFilter()
    assert reads.is_scan("2115", 10.0)
    assert not reads.is_scan("2115", 10.2)
    assert not reads.is_scan(" 2115 ", 10.9)  # measured from the last read


def test_the_same_code_after_a_second_or_another_code_counts():
    reads = DoubleReadFilter()
    assert reads.is_scan("2115", 10.0)
    assert reads.is_scan("2115", 11.0)
    assert reads.is_scan("9999", 11.1)
    assert reads.is_scan("2115", 11.2)  # not the previous read: a scan


def test_a_rescan_after_a_failed_read_counts():
    reads = DoubleReadFilter()
    assert reads.is_scan("2115", 10.0)
    reads.forget()
    assert reads.is_scan("2115", 10.1)
