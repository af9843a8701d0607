"""What the log says the plan, PIN and roster tables hold, against what they hold now."""

from __future__ import annotations

from typing import Mapping

from examops.domain.said import N_, Said, said

PART_NAMES = {
    "plan": N_("the stored exam plan"),
    "policy": N_("the stored screening policy"),
    "chief_pin": N_("the chief's PIN hash"),
    "site_key": N_("the site's report key"),
    "candidates.tickets": N_("the set of candidates (a ticket added or removed)"),
    "candidates.names": N_("a candidate's name"),
    "candidates.id_numbers": N_("a candidate's ID number"),
    "candidates.other": N_("a candidate's sex or site"),
    "seats": N_("a candidate's room or seat"),
    "rooms": N_("the rooms"),
    "sessions": N_("the sessions"),
}
ROSTER_PARTS = ("candidates.tickets", "candidates.names", "candidates.id_numbers", "candidates.other", "seats")
"""The parts read from the candidates and seats tables (the rest are small: settings, rooms, sessions)."""


def differing_parts(recorded: Mapping[str, str], live: Mapping[str, str]) -> list[str]:
    """The parts (keys of `PART_NAMES`) whose live content differs from the last digest the log recorded.

    A part missing from `live` could not be read by this login (the PIN hash, for a lane on PostgreSQL).
    """
    return [part for part in sorted(set(recorded) | set(live))
            if part in recorded and part in live and recorded[part] != live[part]]


def table_differences(recorded: Mapping[str, str], live: Mapping[str, str]) -> list[Said]:
    """`differing_parts` in people's words."""
    return [said(PART_NAMES.get(part, part)) for part in differing_parts(recorded, live)]
