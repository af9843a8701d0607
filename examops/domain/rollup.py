"""The regional roll-up of verified site reports, ready to lay out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Rollup:
    """The arithmetic done, ready to lay out: one row per site, per (session, site), and the totals."""

    exam: str
    keys: list[str]
    sites: list[dict]
    sessions: list[dict]
    session_totals: list[dict]
    total: dict
    sources: list[dict]
