"""The TUI's messages are made by `message_class`, not dataclasses: they take, default, compare and show as before."""

from __future__ import annotations

import pytest

from examops.tui.messages import CasesLoaded, DecisionRefused, ScanFailed, ScanRequest


def test_a_message_takes_its_fields_by_position_or_name_with_textuals_own_set_up():
    request = ScanRequest("21150054251571")
    failed = ScanFailed(request, error="disk full")
    assert (failed.request, failed.error) == (request, "disk full")
    assert failed.handler_name == "on_scan_failed" and failed.time > 0 and not failed.is_forwarded
    assert failed == ScanFailed(request, "disk full") and failed != ScanFailed(request, "locked")
    assert repr(failed) == f"ScanFailed(request={request!r}, error='disk full', also=())"
    assert ScanFailed(request, "disk full", (request,)).requests == (request, request)


def test_defaults_and_fresh_factories():
    loaded = CasesLoaded({}, [], [], [])
    assert loaded.record is None
    first, second = DecisionRefused("approve", "no"), DecisionRefused("approve", "no")
    assert first.missing_seats == {} and first.missing_seats is not second.missing_seats


@pytest.mark.parametrize("args, kwargs", [((), {"request": None}), ((None, "x", (), "y"), {}),
                                          ((None,), {"request": None, "error": "x"}), ((None, "x"), {"other": 1})])
def test_wrong_arguments_are_refused_as_a_dataclass_would(args, kwargs):
    with pytest.raises(TypeError):
        ScanFailed(*args, **kwargs)

