"""Headings and labels of the bureau report and the regional roll-up, in Chinese (default) and English."""

from __future__ import annotations

import re

from examops.domain.figures import INCIDENT_KINDS

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "summary": "汇总", "exceptions": "异常情况", "timeline": "审批记录", "moves": "调配记录",
        "incidents": "违纪及异常", "charts": "图表 {session}", "rooms": "考场记录 {session}", "signature": "签名",
        "summary_title": "考点考务情况汇总表", "generated": "报告生成时间：{at}",
        "item": "项目", "total": "合计", "verdict": "零事故、零失误、零差错：{verdicts}",
        "room_title": "考场情况记录表", "room_line": "考场：{room}　类型：{kind}",
        "expected": "应到", "present": "实到", "absent": "缺考",
        "absentees": "缺考考生", "room_exceptions": "异常情况", "moved_in": "调入考生", "moved_out": "调出考生",
        "room_incidents": "违纪及异常情况", "none": "{section}：无", "list_sep": "、",
        "proctors": "第一监考员（签名）：＿＿＿＿＿＿＿＿　　第二监考员（签名）：＿＿＿＿＿＿＿＿",
        "candidate_sign": "违纪考生（签名）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
        "seat": "座号", "ticket": "准考证号", "name": "姓名", "id_number": "身份证号", "room": "考场",
        "code": "异常类型", "action": "处理方式", "status": "状态", "from_room": "原考场", "from_seat": "原座号",
        "to_room": "调往考场", "to_seat": "调往座号", "via": "方式", "session": "场次", "case": "异常编号",
        "at": "时间", "step": "环节", "by": "人员", "recorded_by": "代录人", "note": "说明", "lane": "通道",
        "staff": "安检员", "reason": "原因", "seated": "安置", "kind": "类型", "severity": "程度",
        "exceptions_title": "异常情况登记表", "timeline_title": "异常审批记录（全过程）",
        "moves_title": "考生调配记录", "incidents_title": "违纪及考场异常情况",
        "arrivals_title": "入场时间分布（每{minutes}分钟）", "slot": "时段", "arrived": "入场人数",
        "attendance_title": "各考场到考情况",
        "signature_title": "报告签名", "key": "key", "value": "值",
        "signature_note": "以下内容用于校验本报告：examops report verify 文件名.xlsx。任何数字被改动，校验即失败。",
        "chain_heads": "事件日志链头（各设备最后一条记录）", "device": "设备", "device_seq": "序号", "hash": "哈希",
        "sheet_digests": "各工作表摘要", "sheet": "工作表", "cells": "单元格数", "row_hashes": "逐行摘要",
        "page": "第 &P 页，共 &N 页",
        "rollup_title": "区域考务情况汇总表", "rollup_sites": "区域汇总", "rollup_sessions": "按场次",
        "rollup_sources": "来源", "site": "考点", "sessions": "场次数", "file": "文件", "fingerprint": "公钥指纹",
        "figures_sha256": "数据摘要", "verified": "校验", "ok": "通过", "zero_sites": "“三零”考点",
        "rollup_note": "人数按场次累计（人次）。各考点报告均已校验签名。",
        "rollup_chart": "各考点实到与缺考（人次）",
    },
    "en": {
        "summary": "Summary", "exceptions": "Exceptions", "timeline": "Approvals", "moves": "Reallocations",
        "incidents": "Incidents", "charts": "Charts {session}", "rooms": "Rooms {session}", "signature": "Signature",
        "summary_title": "Site report", "generated": "Generated at {at}",
        "item": "Item", "total": "Total", "verdict": "Zero incidents, zero mistakes, zero errors: {verdicts}",
        "room_title": "Room record", "room_line": "Room: {room}   Kind: {kind}",
        "expected": "Expected", "present": "Present", "absent": "Absent",
        "absentees": "Absent candidates", "room_exceptions": "Exceptions", "moved_in": "Moved in", "moved_out": "Moved out",
        "room_incidents": "Incidents", "none": "{section}: none", "list_sep": ", ",
        "proctors": "First proctor (signature): ________________   Second proctor (signature): ________________",
        "candidate_sign": "Candidate concerned (signature): ________________   Date: ____________",
        "seat": "Seat", "ticket": "Ticket", "name": "Name", "id_number": "ID number", "room": "Room",
        "code": "Code", "action": "Action", "status": "Status", "from_room": "From room", "from_seat": "From seat",
        "to_room": "To room", "to_seat": "To seat", "via": "Via", "session": "Session", "case": "Exception",
        "at": "Time", "step": "Step", "by": "By", "recorded_by": "Recorded by", "note": "Note", "lane": "Lane",
        "staff": "Staff", "reason": "Reason", "seated": "Seated", "kind": "Kind", "severity": "Severity",
        "exceptions_title": "Exceptions", "timeline_title": "Exceptions: the full approval timeline",
        "moves_title": "Reallocations and moves", "incidents_title": "Incidents in the rooms",
        "arrivals_title": "Arrivals per {minutes} minutes", "slot": "From", "arrived": "Arrivals",
        "attendance_title": "Attendance per room",
        "signature_title": "Report signature", "key": "key", "value": "Value",
        "signature_note": "What `examops report verify FILE.xlsx` checks: any figure changed and verification fails.",
        "chain_heads": "Event-log chain heads (last record of each device)", "device": "Device", "device_seq": "Seq",
        "hash": "Hash", "sheet_digests": "Sheet digests", "sheet": "Sheet", "cells": "Cells", "row_hashes": "Row hashes",
        "page": "Page &P of &N",
        "rollup_title": "Regional roll-up", "rollup_sites": "Region", "rollup_sessions": "By session",
        "rollup_sources": "Sources", "site": "Site", "sessions": "Sessions", "file": "File", "fingerprint": "Key fingerprint",
        "figures_sha256": "Figures digest", "verified": "Verified", "ok": "yes", "zero_sites": "Zero-incident sites",
        "rollup_note": "Counts add up session sittings. Every site report's signature was verified.",
        "rollup_chart": "Present and absent per site (sittings)",
    },
}

FIGURE_LABELS: dict[str, tuple[str, str]] = {
    "name": ("科目", "Paper"), "date": ("日期", "Date"), "start": ("开考时间", "Starts"), "end": ("结束时间", "Ends"),
    "expected": ("应到人数", "Expected"), "present": ("实到人数", "Present"), "absent": ("缺考人数", "Absent"),
    "admitted_late": ("开考后入场", "Admitted after the start"), "exceptions": ("异常登记", "Exceptions"),
    "exceptions_by_code": ("异常（按类型）", "Exceptions by code"),
    "exceptions_by_status": ("异常（按处理结果）", "Exceptions by outcome"),
    "approvals": ("审批签字", "Approvals signed"), "reallocated": ("调配入场", "Reallocated"),
    "denied": ("拒绝入场", "Denied entry"), "incidents": ("违纪及异常事件", "Incidents"),
    "incidents_by_kind": ("违纪及异常（按类型）", "Incidents by kind"), "duplicates": ("重复扫描报警", "Duplicate-scan alarms"),
    "duplicate_admissions": ("重复入场", "Duplicate admissions"), "conflicts": ("离线通道冲突", "Offline lane conflicts"),
    "voided": ("作废记录", "Voided events"), "unresolved": ("未决异常", "Unresolved exceptions"),
    "zero_incident": ("零事故、零失误、零差错", "Zero incidents, mistakes, errors"),
    "reasons": ("未达“三零”原因", "Reasons"),
}
STATUS_LABELS = {"pending": ("待审批", "pending"), "approved": ("已批准", "approved"), "rejected": ("已驳回", "rejected"),
                 "resolved": ("已解决", "resolved"), "closed": ("已关闭", "closed")}
ACTION_LABELS = {"hold": ("暂缓入场", "hold"), "backup_room": ("备用考场", "backup room"),
                 "isolation_room": ("隔离考场", "isolation room"), "deny": ("禁止入场", "deny"), "admit": ("准予入场", "admit")}
ROOM_KINDS = {"regular": ("常规考场", "regular"), "backup": ("备用考场", "backup"), "isolation": ("隔离考场", "isolation")}
LEVEL_LABELS = {"chief": ("总监考", "chief proctor"), "deputy": ("副总监考", "deputy"), "supervisor": ("督导组", "supervision group")}
VIA_LABELS = {"reallocation": ("调配", "reallocation"), "move": ("调整", "move"), "approval": ("审批入场", "approval"),
              "resolve": ("解决入场", "resolved")}
SEVERITY_LABELS = {"low": ("轻", "low"), "medium": ("中", "medium"), "high": ("重", "high")}
STEP_LABELS = {"exception": ("登记", "recorded"), "approved": ("批准", "approved"), "rejected": ("驳回", "rejected"),
               "resolved": ("解决", "resolved"), "seated": ("入场", "seated"), "closed": ("关闭", "closed")}
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}
BOOLEAN_WORDS = {"是": True, "否": False, "yes": True, "no": False}

_REASONS_ZH = (
    (re.compile(r"^(\d+) incident\(s\) recorded"), "记录违纪及异常事件 {0} 起"),
    (re.compile(r"^(\d+) exception\(s\) not decided or not seated"), "{0} 起异常未决或未安置"),
    (re.compile(r"^(\d+) duplicate admission\(s\)"), "重复入场 {0} 人次"),
    (re.compile(r"^(\d+) admission conflict\(s\)"), "离线通道入场冲突 {0} 起"),
    (re.compile(r"^(\d+) voided event\(s\)"), "作废记录 {0} 条（登记结果经更正）"),
)


def lang_of(lang: str) -> str:
    return "zh" if lang.lower().startswith("zh") else "en"


def words(lang: str) -> dict[str, str]:
    return WORDS[lang_of(lang)]


def pick(table: dict[str, tuple[str, str]], key: str | None, lang: str) -> str:
    """The label of `key` in `table`, or the key itself when the table does not know it."""
    if key is None:
        return ""
    pair = table.get(key)
    return (pair[0] if lang_of(lang) == "zh" else pair[1]) if pair else str(key)


def incident_label(kind: str | None, lang: str) -> str:
    return pick(INCIDENT_KINDS, kind, lang)


def reason_text(reason: str, lang: str) -> str:
    """A reason against the zero-incident verdict, in the report's language (the domain words it in English)."""
    if lang_of(lang) != "zh":
        return reason
    for pattern, text in _REASONS_ZH:
        match = pattern.match(reason)
        if match:
            return text.format(*match.groups())
    return reason
