"""Every string the screens show, in zh-CN (the staff default) and en.

`set_language` is called once by the app; `t(key, **kw)` formats a string in it.
Policy code labels come from `OutcomeCode.zh/en`, not from here.
"""

from __future__ import annotations

import os
from dataclasses import replace

LANGUAGES = ("zh-CN", "en")

ZH_CN: dict[str, str] = {
    "app.title": "examops 考点运行",
    "header.lane": "通道 {lane}",
    "header.staff": "安检员 {staff}",
    "header.session": "场次 {session} {name}",
    "header.no_session": "无场次",
    "scan.placeholder": "扫描准考证 / 身份证，或输入后按 Enter",
    "scan.pending": "核验中… （{count}）",
    "focus.lost": "⚠ 扫描框未获得焦点 — 按 Esc   /   Focus lost — press Esc",
    "verdict.idle": "请扫描下一位考生",
    "verdict.pending": "核验中…",
    "verdict.picked": "已选中，尚未入场 — 按 Enter 准予入场",
    "verdict.admitted": "准予入场",
    "verdict.exception": "异常待审批",
    "verdict.denied": "禁止入场",
    "verdict.duplicate": "重复入场",
    "verdict.unknown": "查无此人",
    "verdict.wrong_session": "非本场次考生",
    "verdict.invalid": "无效扫描",
    "verdict.not_recorded": "未记录 NOT RECORDED — 请重扫 rescan",
    "action.admit": "准予入场",
    "action.hold": "暂缓入场，待总监考审批",
    "action.backup_room": "引导至备用考场",
    "action.isolation_room": "引导至隔离考场",
    "action.deny": "禁止入场",
    "detail.reason": "原因：{reason}",
    "detail.not_logged": "⚠ 本次扫描未写入记录：{reason}",
    "detail.first_admission": "首次入场：{lane} 通道 {at}，安检员 {staff}",
    "detail.call_chief": "疑似替考，请立即联系总监考",
    "detail.suggestions": "相近的考生（请核对后重扫或按 Ctrl+F 查找）：",
    "detail.no_suggestions": "无相近考生，请核对准考证或按 Ctrl+F 查找",
    "detail.scanned": "扫描内容：{scanned}",
    "detail.scan_failed": "处理扫描时出错：{error}",
    "detail.no_card": "卡片上没有可入场的考生：请先扫描或查找",
    "detail.busy": "上一个扫描仍在核验，请稍候",
    "card.name": "姓名",
    "card.sex": "性别",
    "card.id": "身份证号",
    "card.ticket": "准考证号",
    "card.session": "场次",
    "card.room": "考场",
    "card.seat": "座位",
    "card.not_seated": "本场无座位",
    "sex.M": "男",
    "sex.F": "女",
    "recent.title": "本通道最近扫描",
    "recent.time": "时间",
    "recent.ticket": "准考证号",
    "recent.name": "姓名",
    "recent.verdict": "结果",
    "counters.title": "本场统计",
    "counters.expected": "应到",
    "counters.admitted": "已入场",
    "counters.held": "待审批",
    "counters.denied": "拒绝",
    "counters.remaining": "未到",
    "counters.failed": "统计暂不可用：{error}",
    "rooms.title": "各考场 已入场/应到",
    "rooms.room": "考场",
    "rooms.count": "入场/应到",
    "clock.now": "现在",
    "clock.to_start": "距开考",
    "clock.started": "已开考",
    "clock.to_cutoff": "距停止入场",
    "clock.closed": "已停止入场",
    "codes.title": "异常代码（F键，或数字+Enter）",
    "binding.clear": "清除",
    "binding.search": "查找考生",
    "binding.codes": "异常代码",
    "binding.roster": "考场总览",
    "binding.gate": "返回通道",
    "binding.refresh": "刷新",
    "binding.quit": "退出",
    "binding.submit": "提交",
    "binding.cancel": "取消",
    "form.ticket": "准考证号 / 身份证号",
    "form.hint": "Enter 提交 · Tab 下一项 · Esc 取消",
    "form.required": "必填",
    "form.missing": "请填写：{fields}",
    "form.bad_value": "{field}：{error}",
    "picker.title": "选择异常代码",
    "search.title": "查找考生：姓名、身份证后四位、身份证号或准考证号",
    "search.placeholder": "输入后稍候，↓ 选择，Enter 选中",
    "search.none": "没有找到考生",
    "search.count": "找到 {count} 人",
    "search.failed": "查找失败：{error}",
    "roster.title": "考场总览",
    "roster.kind.regular": "常规",
    "roster.kind.backup": "备用",
    "roster.kind.isolation": "隔离",
    "roster.name": "名称",
    "roster.kind": "类型",
    "roster.search": "查找考生（最多显示 {limit} 条）",
    "roster.loading": "正在统计…",
    "roster.summary": "共 {rooms} 个考场 · 当前场次 {session}",
    "roster.failed": "统计失败：{error}",
    "roster.results": "显示 {count} 条（最多 {limit} 条）",
}

EN: dict[str, str] = {
    "app.title": "examops site operations",
    "header.lane": "Lane {lane}",
    "header.staff": "Staff {staff}",
    "header.session": "Session {session} {name}",
    "header.no_session": "no session",
    "scan.placeholder": "Scan the ticket or ID card, or type it and press Enter",
    "scan.pending": "checking… ({count})",
    "focus.lost": "⚠ Focus lost — press Esc   /   扫描框未获得焦点 — 按 Esc",
    "verdict.idle": "Ready — scan the next candidate",
    "verdict.pending": "Checking…",
    "verdict.picked": "Selected, not admitted — press Enter to admit",
    "verdict.admitted": "ADMITTED",
    "verdict.exception": "EXCEPTION — HOLD",
    "verdict.denied": "DENIED",
    "verdict.duplicate": "DUPLICATE ENTRY",
    "verdict.unknown": "UNKNOWN",
    "verdict.wrong_session": "WRONG SESSION",
    "verdict.invalid": "INVALID SCAN",
    "verdict.not_recorded": "NOT RECORDED — rescan",
    "action.admit": "admit",
    "action.hold": "hold for the chief proctor",
    "action.backup_room": "send to the backup room",
    "action.isolation_room": "send to the isolation room",
    "action.deny": "deny entry",
    "detail.reason": "Reason: {reason}",
    "detail.not_logged": "⚠ This scan was not logged: {reason}",
    "detail.first_admission": "First admitted at lane {lane}, {at}, by {staff}",
    "detail.call_chief": "Possible impersonation — call the chief proctor now",
    "detail.suggestions": "Near matches (check and rescan, or Ctrl+F to search):",
    "detail.no_suggestions": "No near match: check the ticket or press Ctrl+F to search",
    "detail.scanned": "Scanned: {scanned}",
    "detail.scan_failed": "The scan failed: {error}",
    "detail.no_card": "No candidate on the card to admit: scan or search first",
    "detail.busy": "Still checking the previous scan, wait a moment",
    "card.name": "Name",
    "card.sex": "Sex",
    "card.id": "ID",
    "card.ticket": "Ticket",
    "card.session": "Session",
    "card.room": "Room",
    "card.seat": "Seat",
    "card.not_seated": "no seat in this session",
    "sex.M": "M",
    "sex.F": "F",
    "recent.title": "Recent scans (this lane)",
    "recent.time": "Time",
    "recent.ticket": "Ticket",
    "recent.name": "Name",
    "recent.verdict": "Verdict",
    "counters.title": "Session figures",
    "counters.expected": "Expected",
    "counters.admitted": "Admitted",
    "counters.held": "Held",
    "counters.denied": "Denied",
    "counters.remaining": "Remaining",
    "counters.failed": "Figures unavailable: {error}",
    "rooms.title": "Rooms admitted/expected",
    "rooms.room": "Room",
    "rooms.count": "In/expected",
    "clock.now": "Now",
    "clock.to_start": "Starts in",
    "clock.started": "Started",
    "clock.to_cutoff": "Entry closes in",
    "clock.closed": "Entry closed",
    "codes.title": "Exception codes (F-key, or digit+Enter)",
    "binding.clear": "Clear",
    "binding.search": "Find",
    "binding.codes": "Codes",
    "binding.roster": "Rooms",
    "binding.gate": "Back to lane",
    "binding.refresh": "Refresh",
    "binding.quit": "Quit",
    "binding.submit": "Submit",
    "binding.cancel": "Cancel",
    "form.ticket": "Ticket / ID number",
    "form.hint": "Enter submit · Tab next field · Esc cancel",
    "form.required": "required",
    "form.missing": "Fill in: {fields}",
    "form.bad_value": "{field}: {error}",
    "picker.title": "Choose an exception code",
    "search.title": "Find a candidate: name, last ID digits, ID or ticket",
    "search.placeholder": "Type, then ↓ to choose and Enter to pick",
    "search.none": "No candidate found",
    "search.count": "{count} found",
    "search.failed": "Search failed: {error}",
    "roster.title": "Rooms overview",
    "roster.kind.regular": "regular",
    "roster.kind.backup": "backup",
    "roster.kind.isolation": "isolation",
    "roster.name": "Name",
    "roster.kind": "Kind",
    "roster.search": "Find a candidate (at most {limit} shown)",
    "roster.loading": "Counting…",
    "roster.summary": "{rooms} rooms · current session {session}",
    "roster.failed": "Figures unavailable: {error}",
    "roster.results": "{count} shown (at most {limit})",
}

STRINGS: dict[str, dict[str, str]] = {"zh-CN": ZH_CN, "en": EN}
_current = "zh-CN"


def resolve_language(requested: str | None = None) -> str:
    """`requested`, else EXAMOPS_LANG, else the locale: zh* → zh-CN, anything else → en."""
    for raw in (requested, os.environ.get("EXAMOPS_LANG")):
        if raw and raw.strip():
            return "zh-CN" if raw.strip().lower().startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh-CN" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(lang: str) -> None:
    global _current
    _current = lang if lang in STRINGS else resolve_language(lang)


def language() -> str:
    return _current


def t(key: str, **kw: object) -> str:
    """The string for `key` in the current language (English, then the key, if missing)."""
    text = STRINGS[_current].get(key) or EN.get(key) or key
    return text.format(**kw) if kw else text


def code_label(code) -> str:  # noqa: ANN001 - an OutcomeCode
    return code.label(_current)


def evidence_label(evidence) -> str:  # noqa: ANN001 - an Evidence
    return evidence.zh if _current.startswith("zh") else evidence.en


def localize_bindings(node, overrides: dict[str, str] | None = None) -> None:  # noqa: ANN001 - a DOMNode
    """Give a node's bindings the current language's descriptions, looked up by binding id."""
    overrides = overrides or {}
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_localized(b, overrides) for b in bindings]


def _localized(binding, overrides: dict[str, str]):  # noqa: ANN001, ANN202 - a textual Binding
    if not binding.id:
        return binding
    if binding.id in overrides:
        return replace(binding, description=overrides[binding.id])
    key = "binding." + binding.id.rsplit(".", 1)[-1]
    return replace(binding, description=t(key)) if key in STRINGS[_current] else binding
