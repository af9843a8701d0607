"""The drill clock lives in the store: every Site opened with one EXAMOPS_CLOCK value runs the same drill.

Real time is replaced by a settable one (`clock.wall_clock`), so no test waits; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

import pytest

from examops.services import clock as clock_module
from examops.services.site import Site, init_site
from tests.conftest import MORNING, SAMPLE_PLAN, TEST_PIN


@pytest.fixture
def real_time(monkeypatch) -> list[float]:
    now = [1_000_000.0]
    monkeypatch.setattr(clock_module, "wall_clock", lambda: now[0])
    return now


def _local(url: str) -> dt.datetime:
    site = Site.open(url)
    try:
        return site.clock.local()
    finally:
        site.close()


def test_later_opens_continue_the_drill_the_first_began(store_url, real_time):
    init_site(SAMPLE_PLAN, url=store_url, chief_pin=TEST_PIN).close()
    start = dt.datetime.fromisoformat(MORNING)
    assert _local(store_url) == start
    real_time[0] += 90
    assert _local(store_url) == start + dt.timedelta(seconds=90)
    real_time[0] += 30
    assert _local(store_url) == start + dt.timedelta(seconds=120)


def test_another_value_starts_a_new_drill_and_frozen_clocks_stay_put(store_url, real_time, monkeypatch):
    init_site(SAMPLE_PLAN, url=store_url, chief_pin=TEST_PIN).close()
    real_time[0] += 600
    monkeypatch.setenv("EXAMOPS_CLOCK", "2021-10-16T13:40")
    assert _local(store_url) == dt.datetime(2021, 10, 16, 13, 40)
    real_time[0] += 5
    assert _local(store_url) == dt.datetime(2021, 10, 16, 13, 40, 5)
    monkeypatch.setenv("EXAMOPS_CLOCK", MORNING)
    assert _local(store_url) == dt.datetime.fromisoformat(MORNING)  # a new drill, not the first one resumed
    monkeypatch.setenv("EXAMOPS_CLOCK", "2021-10-16T11:35!")
    real_time[0] += 5
    assert _local(store_url) == dt.datetime(2021, 10, 16, 11, 35)
    monkeypatch.setenv("EXAMOPS_CLOCK", MORNING)
    real_time[0] += 7
    assert _local(store_url) == dt.datetime.fromisoformat(MORNING) + dt.timedelta(seconds=12)  # the frozen one recorded nothing


def test_without_examops_clock_the_site_runs_on_real_time(store_url, real_time, monkeypatch):
    init_site(SAMPLE_PLAN, url=store_url, chief_pin=TEST_PIN).close()
    monkeypatch.delenv("EXAMOPS_CLOCK")
    site = Site.open(store_url)
    try:
        assert site.clock.drill is None and site.clock.now().timestamp() == real_time[0]
    finally:
        site.close()
