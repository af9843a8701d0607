"""The site's forms: an 应试人员违纪情况报告单 per misconduct or cheating incident, and the session's 考点 summary."""

from __future__ import annotations

import json

from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from examops.cli import main
from examops.services.incidents import record_incident
from tests.conftest import TEST_PIN, at_local
from tests.integration.test_report import morning, report_json  # noqa: F401  (the fixture)
from tests.support.print_check import print_problems


def _values(ws) -> list[str]:  # noqa: ANN001
    return [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def test_misconduct_reports_and_site_summary(morning, tmp_path):  # noqa: F811
    site = morning
    cheat, wander = site.people[35], site.people[36]
    at_local(site, "2021-10-16T09:12")
    record_incident(site, session="S1", room="002", kind="cheating", ticket=cheat.ticket, note="携带手机并查看", by="监考员甲",
                    severity="high")
    at_local(site, "2021-10-16T09:30")
    record_incident(site, session="S1", room="002", kind="misconduct", ticket=wander.ticket, note="开考后擅自离开座位",
                    by="监考员乙")
    record_incident(site, session="S1", room="003", kind="room_irregularity", note="空调故障", by="监考员丙")
    figures = report_json(site, tmp_path / "S1.xlsx", "--session", "S1")

    done = CliRunner().invoke(main, ["--db", site.store.url, "docs", "--session", "S1", "--forms", "--out", str(tmp_path / "f"),
                                     "--format", "both", "--json"], env={"EXAMOPS_PIN": TEST_PIN}, catch_exceptions=False)
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout)
    assert result["misconduct_reports"] == 2
    xlsx = next(f for f in result["files"] if f.endswith(".xlsx"))
    workbook = load_workbook(xlsx)
    assert len(workbook.worksheets) == 3 and all(print_problems(ws) == [] for ws in workbook.worksheets)

    summary = _values(workbook.worksheets[0])
    for label, key in (("应到人数", "expected"), ("实到人数", "present"), ("缺考人数", "absent")):
        assert summary[summary.index(label) + 1] == str(figures[key]), label
    assert summary[summary.index("违纪作弊") + 1] == "2"
    assert summary[summary.index("调配考生") + 1] == str(len(site.groups["held"]))
    assert "备用考场一（B01）" in summary and summary[summary.index("备用考场一（B01）") + 2] == str(len(site.groups["held"]))
    assert summary[summary.index("零事故、零失误、零差错") + 1] == "否"
    assert any("记录违纪及异常事件 3 起" in v for v in summary)

    first = _values(workbook.worksheets[1])
    assert "应试人员违纪情况报告单" in first
    for value in (cheat.ticket, cheat.name, "第002考场 / 06", "2021-10-16 09:12", "携带手机并查看", "监考员甲", "作弊（重）"):
        assert value in first, value
    assert any(v.startswith("监考员（签名）") for v in first) and any(v.startswith("应试人员（签名）") for v in first)
    second = _values(workbook.worksheets[2])
    assert wander.ticket in second and "2021-10-16 09:30" in second and "违纪（中）" in second

    pdf = next(f for f in result["files"] if f.endswith(".pdf"))
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for person in (cheat, wander):
        assert person.ticket in text and person.name in text
    assert "空调故障" not in text  # a room irregularity is not a candidate's breach


def test_before_the_cutoff_the_summary_adds_up_with_the_not_yet_arrived(morning, tmp_path):  # noqa: F811
    """At 08:40 (entry open until 09:00) the 考点 summary showed 应到 180, 实到 108, 缺考 0 and nothing else; the 未到 row
    makes it add up. The 三零 reasons' label spans the label columns (it broke as "未达“三零”原 / 因")."""
    from examops.services.documents import write_site_forms

    at_local(morning, "2021-10-16T08:40")
    result = write_site_forms(morning, "S1", tmp_path / "f")
    ws = load_workbook(next(f for f in result["files"] if f.endswith(".xlsx"))).worksheets[0]
    summary = _values(ws)
    count = {label: int(summary[summary.index(label) + 1]) for label in ("应到人数", "实到人数", "缺考人数", "未到人数")}
    assert count["应到人数"] == count["实到人数"] + count["缺考人数"] + count["未到人数"] and count["未到人数"] > 0, count
    label = next(c for row in ws.iter_rows() for c in row if c.value == "未达“三零”原因")
    merged = next(r for r in ws.merged_cells.ranges if label.coordinate in r)
    assert (merged.min_col, merged.max_col) == (1, 2)
    assert print_problems(ws) == []
    at_local(morning, "2021-10-16T11:35")
    late = write_site_forms(morning, "S1", tmp_path / "g")
    assert "未到人数" not in _values(load_workbook(next(f for f in late["files"] if f.endswith(".xlsx"))).worksheets[0])
