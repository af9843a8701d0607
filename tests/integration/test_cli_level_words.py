"""`examops exceptions` and `approve` name the chain's levels in the site's words, as the review screen does."""

from __future__ import annotations

from click.testing import CliRunner

from examops.cli import main
from examops.services.gate import Lane
from examops.services.review import approve, pending_ids
from tests.conftest import TEST_PIN


def _one_approved_by_the_chief(site) -> None:
    lane = Lane(site, "A", "张三", device="dev-A")
    assert lane.check(site.people[0].ticket, session_id="S1", outcome="no_test_cert").recorded
    approve(site, pending_ids(site, session="S1", level="chief"), level="chief", by="王总监", pin=TEST_PIN, session="S1")


def test_a_chinese_case_line_names_the_levels_in_chinese(seeded_site):
    _one_approved_by_the_chief(seeded_site)
    listed = CliRunner().invoke(main, ["--db", seeded_site.store.url, "--lang", "zh-CN", "exceptions", "--session", "S1"])
    assert listed.exit_code == 0, listed.output
    assert "→ 副总监考" in listed.output and "总监考:王总监" in listed.output, listed.output
    assert "deputy" not in listed.output and "chief:" not in listed.output, listed.output


def test_nothing_waiting_names_the_level_in_chinese(seeded_site):
    _one_approved_by_the_chief(seeded_site)
    said = CliRunner().invoke(main, ["--db", seeded_site.store.url, "--lang", "zh-CN", "approve", "--all-pending",
                                     "--session", "S1", "--level", "supervisor", "--by", "赵组长"],
                              env={"EXAMOPS_PIN": TEST_PIN})
    assert "督导组" in said.output and "副总监考" in said.output, said.output
    assert "supervisor" not in said.output and "deputy" not in said.output, said.output
