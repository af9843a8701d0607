"""The bureau's side: verify every site report, then add them up per site and in total.

Nothing is written unless every report verifies (and, with a trust list,
is signed by a known key). Counts add up session sittings: a candidate
expected in two sessions counts twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from examops.domain.report_verification import Verification
from examops.domain.said import N_, joined, said
from examops.services.report import ReportNotVerified, ReportRefused, verify_report


def _nest(row: dict) -> dict:
    nested: dict = {}
    for key, value in row.items():
        group, _, sub = key.partition(".")
        if sub:
            nested.setdefault(group, {})[sub] = value
        else:
            nested[key] = value
    return nested


def merge_reports(paths: Sequence[str | Path], out: str | Path, *, trusted: set[str] | None = None, any_key: bool = False,
                  lang: str = "zh") -> dict:
    """Verify every site report (all or nothing), check they can be added up, add them up, write the roll-up workbook.

    Refused: a key that signed reports of two sites (one site's laptop posing as another), and a session whose
    present and absent exceed the expected (figures that cannot be true, however they were signed).
    """
    from examops.adapters.excel_out.report_rollup import write_rollup
    from examops.adapters.rollup_frames import add_up

    if not paths:
        raise ReportRefused(said(N_("name the site reports to merge")))
    reports = [verify_report(path, trusted, any_key=any_key) for path in paths]
    refused = [r for r in reports if not r.ok]
    if refused:
        lines = [said(N_("{path}: refused: {problems}"), path=r.path, problems=joined(r.problems)) for r in refused]
        raise ReportNotVerified(joined([*lines, said(N_("nothing was written"))], separator="\n"))
    exams = sorted({r.exam for r in reports})
    if len(exams) > 1:
        raise ReportRefused(said(N_("the reports are of different exams ({exams}): merge one exam at a time"),
                                 exams=" / ".join(exams)))
    seen: dict[tuple[str, str], str] = {}
    for report in reports:
        for session in report.sessions:
            if (report.site, session) in seen:
                raise ReportRefused(said(N_("{site} {session} is in both {first} and {second}: it would be counted twice"),
                                         site=report.site, session=session, first=seen[(report.site, session)],
                                         second=report.path))
            seen[(report.site, session)] = report.path
    _refuse_shared_keys(reports)
    _refuse_figures_that_do_not_add_up(reports)
    rollup = add_up(reports)
    path = write_rollup(out, rollup, lang=lang)
    return {"out": str(path), "exam": rollup.exam, "sites": [_nest(s) for s in rollup.sites],
            "sessions": [_nest(s) for s in rollup.session_totals], "totals": _nest(rollup.total), "sources": rollup.sources}


def _refuse_shared_keys(reports: Sequence[Verification]) -> None:
    sites_of: dict[str, dict[str, str]] = {}
    for report in reports:
        sites_of.setdefault(report.fingerprint, {}).setdefault(report.site, report.path)
    for fingerprint, sites in sites_of.items():
        if len(sites) > 1:
            named = "; ".join(f"{site} ({path})" for site, path in sites.items())
            raise ReportRefused(said(N_("one key {fingerprint} signed the reports of {count} sites: {named}. Each site signs "
                                        "with its own key: nothing was written"), fingerprint=fingerprint, count=len(sites),
                                     named=named))


def _refuse_figures_that_do_not_add_up(reports: Sequence[Verification]) -> None:
    for report in reports:
        for figures in report.figures:
            expected, present, absent = (figures.get(k) for k in ("expected", "present", "absent"))
            if isinstance(absent, int) and isinstance(figures.get("not_arrived"), int):
                absent += figures["not_arrived"]  # before the entry cutoff the missing are 未到, not yet 缺考
            if all(isinstance(v, int) for v in (expected, present, absent)) and present + absent > expected:
                raise ReportRefused(said(N_("{path}: {site} {session}: present {present} + absent {absent} is more than the "
                                            "{expected} expected: the figures cannot be true; nothing was written"),
                                         path=report.path, site=report.site, session=figures["session"], present=present,
                                         absent=absent, expected=expected))
