"""What the bureau report shows, gathered by the report service and laid out by the workbook writer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Sequence
from zoneinfo import ZoneInfo

from examops.domain.figures import SessionFigures
from examops.domain.papers import room_kind_rank
from examops.domain.plan import Session
from examops.domain.state import Case
from examops.domain.verdict import CandidateCard


@dataclass(frozen=True, slots=True)
class ReportCase:
    """One exception case as the report lists it: the case, the candidate and the status it stands at."""

    case: Case
    card: CandidateCard
    status: str


@dataclass
class SessionContent:
    """One session of the report: its plan entry, its figures folded from the log, its exception cases."""

    session: Session
    figures: SessionFigures
    cases: list[ReportCase]


@dataclass(frozen=True, slots=True)
class ChiefRecordEntry:
    """One use of the chief's PIN the report must show: a plan change, a PIN change, an override and its reason."""

    at: str
    kind: str
    by: str
    detail: str


@dataclass
class ChiefRecord:
    """What was done with the chief's PIN and how often a wrong one was tried."""

    entries: list[ChiefRecordEntry] = field(default_factory=list)
    refused_pins: int = 0


@dataclass
class ReportContent:
    """Everything the workbook shows, gathered from the store; the adapter only lays it out."""

    exam: str
    site: str
    lang: str
    generated_at: str
    tz: ZoneInfo
    sessions: list[SessionContent]
    rooms: dict[str, tuple[str, str]]  # id -> (name, kind)
    code_labels: dict[str, tuple[str, str]]
    names: dict[str, str]  # ticket -> name, for incidents and room exceptions
    chain_heads: list[tuple[str, int, str]]
    figure_keys: list[str] = field(default_factory=list)
    figure_columns: list[dict[str, int | str]] = field(default_factory=list)
    figure_totals: dict[str, int | str] = field(default_factory=dict)
    chief_record: ChiefRecord = field(default_factory=ChiefRecord)

    def local_time(self, at: str) -> str:
        moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(self.tz)
        return moment.strftime("%Y-%m-%d %H:%M:%S")

    def ordered_rooms(self, sc: SessionContent) -> list[str]:
        """Regular rooms first, then backup and isolation rooms that were used."""
        return sorted(sc.figures.rooms, key=lambda r: (room_kind_rank(self.rooms.get(r, ("", "regular"))[1]), r))


def totals_json(summaries: Sequence[dict]) -> dict:
    """Sums over sessions for `--all` (sittings, not people); zero_incident only if every session is."""
    totals: dict = {}
    for summary in summaries:
        for key, value in summary.items():
            if isinstance(value, bool):
                totals[key] = totals.get(key, True) and value
            elif isinstance(value, int):
                totals[key] = totals.get(key, 0) + value
            elif isinstance(value, dict):
                group = totals.setdefault(key, {})
                for sub, n in value.items():
                    group[sub] = group.get(sub, 0) + n
    totals["reasons"] = [f"{s['session']}: {r}" for s in summaries for r in s.get("reasons", [])]
    return totals
