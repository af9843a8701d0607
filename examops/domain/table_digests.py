"""What the log says the plan, PIN and roster tables hold, against what they hold now."""

from __future__ import annotations

from typing import Mapping

PART_NAMES = {
    "plan": "the stored exam plan",
    "policy": "the stored screening policy",
    "chief_pin": "the chief's PIN hash",
    "site_key": "the site's report key",
    "candidates.tickets": "the set of candidates (a ticket added or removed)",
    "candidates.names": "a candidate's name",
    "candidates.id_numbers": "a candidate's ID number",
    "candidates.other": "a candidate's sex or site",
    "seats": "a candidate's room or seat",
    "rooms": "the rooms",
    "sessions": "the sessions",
}


def table_differences(recorded: Mapping[str, str], live: Mapping[str, str]) -> list[str]:
    """The parts whose live content differs from the last digest the log recorded, in people's words.

    A part missing from `live` could not be read by this login (the PIN hash, for a lane on PostgreSQL).
    """
    return [PART_NAMES.get(part, part) for part in sorted(set(recorded) | set(live))
            if part in recorded and part in live and recorded[part] != live[part]]
