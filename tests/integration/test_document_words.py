"""The report's words in the report's language: gate reasons, 三零 reasons, the approval record's people and notes."""

from __future__ import annotations

from openpyxl import load_workbook

from examops.services.gate import Lane
from examops.services.review import approve, pending_ids
from examops.services.seating import reallocate
from examops.services.site import Site
from tests.conftest import TEST_PIN, at_local, seed_roster
from tests.integration.test_report import report_json


def _texts(path, title: str) -> list[str]:  # noqa: ANN001
    return [str(v) for row in load_workbook(path)[title].iter_rows(values_only=True) for v in row if v is not None]


def _morning(site: Site):
    people = seed_roster(site, n_rooms=2)
    gate = Lane(site, "A", "安检员甲")
    at_local(site, "2021-10-16T08:05")
    held, retried, pending = people[0], people[1], people[2]
    gate.check(held.ticket, session_id="S1", outcome="no_test_cert")
    gate.check(retried.ticket, session_id="S1", outcome="no_test_cert")
    gate.check(retried.ticket, session_id="S1", outcome="no_test_cert")  # the first attempt is superseded
    gate.check(pending.ticket, session_id="S1", outcome="no_test_cert")
    ids = [i for i in pending_ids(site, session="S1", level="chief")]
    wanted = [i for i in ids if i != ids[-1]]
    approve(site, wanted, level="chief", by="王总监", pin=TEST_PIN)
    approve(site, wanted, level="deputy", by="李副总", pin=TEST_PIN)
    approve(site, wanted, level="supervisor", by="省督导组赵组长", recorded_by="王总监", note="电话批准", pin=TEST_PIN)
    reallocate(site, "S1", by="chief", pin=TEST_PIN, allow_partial=True)
    return held


def test_chinese_report_words_its_reasons_and_people(site, tmp_path):
    _morning(site)
    out = tmp_path / "S1.xlsx"
    summary = report_json(site, out, "--session", "S1", "--lang", "zh")
    assert summary["zero_incident"] is False
    workbook = load_workbook(out)
    listed = [str(v) for row in workbook.worksheets[2].iter_rows(values_only=True) for v in row if v is not None]
    assert "未出示核酸检测证明" in listed and "no certificate shown" not in listed
    everything = [str(v) for ws in workbook.worksheets[:-1] for row in ws.iter_rows(values_only=True) for v in row if v]
    assert not [t for t in everything if "exception(s)" in t or "no certificate" in t or t in ("exception", "chief")]
    assert any("起异常未决或未安置" in t for t in _texts(out, workbook.sheetnames[0]))
    timeline = workbook.worksheets[3]
    rows = [[str(v) if v is not None else "" for v in row] for row in timeline.iter_rows(values_only=True)]
    phoned = next(r for r in rows if "省督导组赵组长" in r)
    assert "王总监（代省督导组赵组长）" in phoned and "电话批准" in phoned and any("督导组" in c for c in phoned)
    assert any("已由安检口的新一次核验取代" in r for r in rows)
    seated = [r for r in rows if any(c.startswith("B01/") for c in r)]
    assert seated and all("总监考" in r for r in seated)


def test_english_report_keeps_english_words(site, tmp_path):
    _morning(site)
    out = tmp_path / "S1.xlsx"
    report_json(site, out, "--session", "S1", "--lang", "en")
    workbook = load_workbook(out)
    listed = [str(v) for row in workbook.worksheets[2].iter_rows(values_only=True) for v in row if v is not None]
    assert "no certificate shown" in listed
    rows = [[str(v) if v is not None else "" for v in row] for row in workbook.worksheets[3].iter_rows(values_only=True)]
    assert any("王总监 (for 省督导组赵组长)" in r for r in rows)


def test_fever_and_missing_evidence_reasons_print_in_chinese(site, tmp_path):
    """The 异常情况登记表 and the approval record word the policy's fever and missing-evidence reasons (seen in English
    on the 08:40 drill's PDF: "evidence missing: colour", "re-test 38.4 °C is still ≥ 37.3 °C")."""
    people = seed_roster(site, n_rooms=1)
    gate = Lane(site, "A", "安检员甲")
    at_local(site, "2021-10-16T08:40")
    gate.check(people[0].ticket, session_id="S1", outcome="health_code")
    gate.check(people[1].ticket, session_id="S1", outcome="fever", evidence={"temp1": "38.2", "temp2": "38.4"})
    gate.check(people[2].ticket, session_id="S1", outcome="fever", evidence={"temp1": "37.8"})
    out = tmp_path / "S1.xlsx"
    report_json(site, out, "--session", "S1", "--lang", "zh")
    workbook = load_workbook(out)
    printed = " ".join(_texts(out, workbook.sheetnames[2]) + _texts(out, workbook.sheetnames[3]))
    for words in ("缺少登记项：健康码颜色", "复测体温 38.4 °C，仍不低于 37.3 °C", "体温 37.8 °C：在临时观察区休息后复测"):
        assert words in printed, words
    assert "evidence missing" not in printed and "re-test" not in printed and "observation area" not in printed
