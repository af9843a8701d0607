"""Adding up verified site reports with pandas: a DataFrame of sittings, grouped and summed."""

from __future__ import annotations

from typing import Sequence

from examops.domain.report_verification import Verification
from examops.domain.rollup import Rollup

ID_COLUMNS = ("site", "session")


def _sitting_rows(reports: Sequence[Verification]) -> list[dict]:
    """One flat row per (site, session): every whole-number figure, nested groups as `group.key`."""
    rows = []
    for report in reports:
        for figures in report.figures:
            row: dict = {"site": report.site, "session": figures["session"], "zero_incident": figures.get("zero_incident") is True}
            for key, value in figures.items():
                if isinstance(value, dict):
                    row.update({f"{key}.{sub}": n for sub, n in value.items() if isinstance(n, int)})
                elif isinstance(value, int) and not isinstance(value, bool):
                    row[key] = value
            rows.append(row)
    return rows


def add_up(reports: Sequence[Verification]) -> Rollup:
    """Per site, per session and in total, with pandas (a DataFrame of sittings, grouped and summed)."""
    import pandas as pd

    frame = pd.DataFrame.from_records(_sitting_rows(reports))
    keys = [c for c in frame.columns if c not in (*ID_COLUMNS, "zero_incident")]
    keys = [k for k in keys if "." not in k] + sorted(k for k in keys if "." in k)
    frame[keys] = frame[keys].fillna(0).astype("int64")
    per_site = frame.groupby("site", sort=False).agg(
        sessions=("session", "nunique"), zero_incident=("zero_incident", "all"), **{k: (k, "sum") for k in keys})
    per_session = frame.sort_values(["session"], kind="stable")
    session_totals = frame.groupby("session").agg(zero_incident=("zero_incident", "all"), **{k: (k, "sum") for k in keys})
    total = {"sessions": int(frame["session"].nunique()), "sites": int(len(per_site)),
             "zero_incident": bool(frame["zero_incident"].all()),
             "zero_incident_sites": int(per_site["zero_incident"].sum()), **{k: int(frame[k].sum()) for k in keys}}
    as_int = lambda record: {k: (int(v) if k in keys or k == "sessions" else v) for k, v in record.items()}  # noqa: E731
    sources = [{"file": r.path, "site": r.site, "sessions": r.sessions, "fingerprint": r.fingerprint,
                "figures_sha256": r.figures_sha256, "generated_at": r.generated_at, "trusted": bool(r.trusted)} for r in reports]
    return Rollup(
        exam=reports[0].exam, keys=keys,
        sites=[{"site": site, **as_int(record), "zero_incident": bool(record["zero_incident"])}
               for site, record in per_site.to_dict("index").items()],
        sessions=[{**as_int(record), "zero_incident": bool(record["zero_incident"])} for record in per_session.to_dict("records")],
        session_totals=[{"session": session, **as_int(record), "zero_incident": bool(record["zero_incident"])}
                        for session, record in session_totals.to_dict("index").items()],
        total=total, sources=sources)
