"""Screening policy: outcome codes, the evidence each needs, and the action each leads to.

Two presets ship (`standard`, `covid-2021`); a custom TOML policy can extend a
preset (`extends = "standard"`) or replace it. `judge` turns a code plus the
evidence staff typed into a decision; rules that depend on readings (fever
re-test, certificate age) live here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from typing import Mapping

from examops.domain.said import N_, SaidError, os_reason, said

ACTIONS = ("admit", "hold", "backup_room", "isolation_room", "deny")
FEVER_THRESHOLD_C = 37.3
CERT_VALID_HOURS = 48


class PolicyError(SaidError, ValueError):
    """A policy that cannot be used, or a value it refuses (a `Said`: the site's language at the edge)."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing staff record for a code (a reading, a time, a note)."""

    key: str
    zh: str
    en: str
    kind: str = "text"  # text | temperature | datetime
    required: bool = False

    def label(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True, slots=True)
class OutcomeCode:
    """One exception code of a policy (fever, late, …) with its action and its words."""

    code: str
    zh: str
    en: str
    action: str
    evidence: tuple[Evidence, ...] = ()
    key: str = ""  # the key that opens it at the gate

    def label(self, lang: str) -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True, slots=True)
class Decision:
    """What a code and its evidence lead to."""

    code: str
    action: str
    reason: str = ""
    missing: tuple[str, ...] = ()  # evidence keys still needed

    @property
    def verdict(self) -> str:
        if self.action == "admit":
            return "admitted"
        if self.action == "deny":
            return "denied"
        return "exception"


NOTE = Evidence("note", "备注", "Note")

STANDARD = (
    OutcomeCode("late", "迟到", "Late", "deny", (NOTE,), "1"),
    OutcomeCode("id_mismatch", "人证不符", "ID mismatch", "hold", (NOTE,), "2"),
    OutcomeCode("no_id", "未带身份证(临时身份证明)", "No ID card (temporary certificate)", "admit",
                (Evidence("temp_cert", "临时身份证明编号", "Temporary certificate no."), NOTE), "3"),
    OutcomeCode("prohibited_item", "携带违禁物品", "Prohibited item", "admit",
                (Evidence("item", "物品", "Item", required=True), NOTE), "4"),
    OutcomeCode("wrong_site", "走错考点", "Wrong site", "deny", (NOTE,), "5"),
    OutcomeCode("other", "其他", "Other", "hold", (Evidence("note", "说明", "Note", required=True),), "9"),
)

COVID_2021 = STANDARD[:5] + (
    OutcomeCode("health_code", "健康码异常", "Health code not green", "deny",
                (Evidence("colour", "健康码颜色", "Code colour", required=True), NOTE), "6"),
    OutcomeCode("fever", "体温异常", "Fever", "isolation_room",
                (Evidence("temp1", "首次体温(°C)", "First reading (°C)", "temperature", True),
                 Evidence("temp2", "复测体温(°C)", "Re-test (°C)", "temperature"), NOTE), "7"),
    OutcomeCode("no_test_cert", "无48小时核酸阴性证明", "No negative test within 48 h", "backup_room",
                (Evidence("sampled_at", "采样时间", "Sampling time", "datetime"), NOTE), "8"),
) + STANDARD[5:]

PRESETS: dict[str, tuple[OutcomeCode, ...]] = {"standard": STANDARD, "covid-2021": COVID_2021}


PRESET_ISOLATION_SPACING = {"standard": 1, "covid-2021": 2}


@dataclass(frozen=True)
class Policy:
    """A site's policy: its outcome codes and the rules that decide a scan."""

    name: str
    codes: Mapping[str, OutcomeCode] = field(default_factory=dict)
    isolation_spacing: int = 1
    """2 leaves every other seat of an isolation room empty."""

    def code(self, name: str) -> OutcomeCode:
        try:
            return self.codes[name]
        except KeyError:
            raise PolicyError(said(N_("unknown outcome code {code}; this site's codes: {codes}"), code=repr(name),
                                   codes=", ".join(self.codes))) from None

    def by_key(self, key: str) -> OutcomeCode | None:
        return next((c for c in self.codes.values() if c.key == key), None)

    def judge(self, code_name: str, evidence: Mapping[str, str], session_start: dt.datetime) -> Decision:
        """Decide what `code_name` with `evidence` leads to for a session starting at `session_start` (local)."""
        code = self.code(code_name)
        missing = tuple(e.key for e in code.evidence if e.required and not str(evidence.get(e.key, "")).strip())
        if missing:
            return Decision(code.code, "hold", f"evidence missing: {', '.join(missing)}", missing)
        if code.code == "fever":
            return _judge_fever(code, evidence)
        if code.code == "no_test_cert":
            return _judge_certificate(code, evidence, session_start)
        return Decision(code.code, code.action)


def parse_temperature(raw: str) -> float:
    """A reading in °C, 30 to 45. Three digits without a point are tenths: staff type 381 for 38.1 on a numeric pad."""
    text = str(raw).strip().replace("℃", "").replace("°C", "").replace("°", "").strip()
    value = int(text) / 10 if len(text) == 3 and text.isdigit() else float(text)
    if not 30.0 <= value <= 45.0:
        raise PolicyError(said(N_("temperature {value} is not a body temperature in °C"), value=repr(raw)))
    return value


def _judge_fever(code: OutcomeCode, evidence: Mapping[str, str]) -> Decision:
    first = parse_temperature(evidence["temp1"])
    if first < FEVER_THRESHOLD_C:
        return Decision(code.code, "admit", f"first reading {first:.1f} °C is below {FEVER_THRESHOLD_C} °C")
    second_raw = str(evidence.get("temp2", "")).strip()
    if not second_raw:
        return Decision(code.code, "hold", f"{first:.1f} °C: rest in the observation area, then re-test", ("temp2",))
    second = parse_temperature(second_raw)
    if second < FEVER_THRESHOLD_C:
        return Decision(code.code, "admit", f"re-test {second:.1f} °C is normal")
    return Decision(code.code, code.action, f"re-test {second:.1f} °C is still ≥ {FEVER_THRESHOLD_C} °C")


def parse_local_datetime(raw: str, default_date: dt.date) -> dt.datetime:
    """'2021-10-15 09:30', '2021-10-15T09:30' or '09:30' (on `default_date`)."""
    text = str(raw).strip().replace("T", " ")
    try:
        if len(text) <= 5:
            return dt.datetime.combine(default_date, dt.time.fromisoformat(text))
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise PolicyError(said(N_("time {value} is not like 2021-10-15 09:30"), value=repr(raw))) from None


def _judge_certificate(code: OutcomeCode, evidence: Mapping[str, str], session_start: dt.datetime) -> Decision:
    raw = str(evidence.get("sampled_at", "")).strip()
    if not raw:
        return Decision(code.code, code.action, "no certificate shown")
    sampled = parse_local_datetime(raw, session_start.date())
    earliest = session_start - dt.timedelta(hours=CERT_VALID_HOURS)
    if sampled > session_start:
        return Decision(code.code, code.action, f"sampling time {sampled:%Y-%m-%d %H:%M} is after the session starts")
    if sampled < earliest:
        return Decision(code.code, code.action, f"sampled {sampled:%Y-%m-%d %H:%M}, earliest acceptable {earliest:%Y-%m-%d %H:%M}")
    return Decision(code.code, "admit", f"certificate sampled {sampled:%Y-%m-%d %H:%M} is within {CERT_VALID_HOURS} h")


def _code_from_toml(name: str, table: Mapping, source: str) -> OutcomeCode:
    action = table.get("action")
    if action not in ACTIONS:
        raise PolicyError(said(N_("{file}: codes.{code}.action must be one of {choices}, got {value}"), file=source, code=name,
                               choices=", ".join(ACTIONS), value=repr(action)))
    evidence = tuple(
        Evidence(str(e["key"]), str(e.get("zh", e["key"])), str(e.get("en", e["key"])), str(e.get("kind", "text")), bool(e.get("required", False)))
        for e in table.get("evidence", [])
    )
    return OutcomeCode(name, str(table.get("zh", name)), str(table.get("en", name)), action, evidence, str(table.get("key", "")))


def load_policy(preset: str | None, path: str | None = None, text: str | None = None) -> Policy:
    """A preset, or a TOML policy that may `extends = "<preset>"` and add or override codes."""
    if path is None and text is None:
        if preset not in PRESETS:
            raise PolicyError(said(N_("unknown policy preset {value}; use one of {choices}"), value=repr(preset),
                                   choices=", ".join(PRESETS)))
        return Policy(preset, {c.code: c for c in PRESETS[preset]}, PRESET_ISOLATION_SPACING[preset])
    source = path or "policy"
    try:
        data = tomllib.loads(text if text is not None else open(path, encoding="utf-8").read())
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(said(N_("{file}: cannot read the policy: {detail}"), file=source,
                               detail=os_reason(exc) if isinstance(exc, OSError) else exc)) from None
    base = data.get("extends", preset)
    codes: dict[str, OutcomeCode] = {}
    spacing = 1
    if base:
        parent = load_policy(base)
        codes.update(parent.codes)
        spacing = parent.isolation_spacing
    spacing = data.get("isolation_spacing", spacing)
    if spacing not in (1, 2):
        raise PolicyError(said(N_("{file}: isolation_spacing must be 1 (every seat) or 2 (every other seat), got {value}"),
                               file=source, value=repr(spacing)))
    for name, table in data.get("codes", {}).items():
        codes[name] = _code_from_toml(name, table, source)
    if not codes:
        raise PolicyError(said(N_("{file}: the policy defines no outcome codes"), file=source))
    return Policy(str(data.get("name", base or source)), codes, spacing)
