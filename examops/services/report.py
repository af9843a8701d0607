"""The report for the regional bureau: what goes in, how it is signed, and how a copy is verified.

Every figure comes from `services.figures` (folded from the event log). The
workbook adapter records each value it writes; the digests here are computed
over those values, so `verify_report` can recompute them from the saved
file's cells alone. The site's Ed25519 key signs the three digests (Summary
figures, event-log chain heads, every cell of every other sheet) with the
exam, site, sessions and time.
"""

from __future__ import annotations

import base64
import binascii
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Callable, Sequence
from zoneinfo import ZoneInfo

from examops.adapters import signing
from examops.adapters.store import events as event_log
from examops.adapters.store import report_queries
from examops.domain.figures import INCIDENT_KINDS
from examops.domain.report_content import ReportCase, ReportContent, SessionContent, totals_json
from examops.domain.report_digest import chains_digest, digest_cells, figures_digest
from examops.domain.report_verification import Verification, figure_changes, sheet_changes
from examops.domain.said import N_, SaidError, joined, os_reason, said
from examops.domain.signed_message import FORMAT, qr_payload, signed_message
from examops.domain.state import CASE_STATUSES
from examops.services.bulk_work import cycle_collection_paused
from examops.services.chief_record import chief_record
from examops.services.figures import LoneDays, lone_days, session_figures
from examops.services.review import list_cases
from examops.services.site import Site
from examops.services.tamper_check import TamperCheck, check_store

FIGURE_META = ("name", "date", "start", "end")
ALWAYS_LISTED = {"incidents_by_kind": tuple(INCIDENT_KINDS), "exceptions_by_status": CASE_STATUSES}
BOOLEAN_KEYS = ("zero_incident",)
BUILD_PHASES = ("gather", "layout", "digest", "save")


class ReportRefused(SaidError):
    """A report that cannot be built, verified or merged, in words."""


class ReportNotVerified(ReportRefused):
    """A site report failed verification (altered, or signed by a key not trusted): the merge writes nothing."""


# -- the figure table (what the Summary sheet states and the signature covers) --------------
def yes_no(value: bool, lang: str) -> str:
    from examops.i18n.report_words import yes_no as worded

    return worded(value, lang)


def _cell(value: object, lang: str) -> int | str | None:
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value) or None
    if value is None or isinstance(value, int):
        return value
    return str(value) or None


def figure_table(sessions: Sequence[SessionContent], lang: str) -> tuple[list[str], list[dict], dict]:
    """The Summary rows: keys in order, one column of cell values per session, and the totals column."""
    summaries = [sc.figures.summary() for sc in sessions]
    keys = list(FIGURE_META)
    for name, value in summaries[0].items():
        if name == "session":
            continue
        if isinstance(value, dict):
            listed = ALWAYS_LISTED.get(name, ())
            others = sorted({sub for s in summaries for sub in s[name]} - set(listed))
            keys += [f"{name}.{sub}" for sub in (*listed, *others)]
        else:
            keys.append(name)
    columns = []
    for sc, summary in zip(sessions, summaries):
        s = sc.session
        column: dict[str, int | str | None] = {"name": s.name, "date": s.date.isoformat(), "start": s.start.strftime("%H:%M"),
                                               "end": s.end.strftime("%H:%M")}
        for key in keys[len(FIGURE_META):]:
            name, _, sub = key.partition(".")
            column[key] = _cell(summary[name].get(sub, 0) if sub else summary[name], lang)
        if "reasons" in column:  # what stands in the way of 三零, in the report's language
            from examops.i18n.report_words import reason_text

            column["reasons"] = "\n".join(reason_text(r, lang) for r in sc.figures.reasons) or None
        columns.append({k: v for k, v in column.items() if v is not None})
    totals: dict[str, int | str] = {}
    for key in keys[len(FIGURE_META):]:
        values = [c.get(key) for c in columns]
        if key in BOOLEAN_KEYS:
            totals[key] = yes_no(all(v == yes_no(True, lang) for v in values), lang)
        elif all(isinstance(v, int) for v in values):
            totals[key] = sum(values)
    return keys, columns, totals


def typed_figures(column: dict) -> dict:
    """A Summary column back as figures: nested groups, booleans, the list of reasons."""
    from examops.i18n.report_words import BOOLEAN_WORDS

    figures: dict = {}
    for key, value in column.items():
        name, _, sub = key.partition(".")
        if sub:
            figures.setdefault(name, {})[sub] = value
        elif name in BOOLEAN_KEYS:
            figures[name] = BOOLEAN_WORDS.get(str(value), value)
        elif name == "reasons":
            figures[name] = str(value).split("\n")
        else:
            figures[name] = value
    figures.setdefault("reasons", [])
    return figures


# -- the event log's chain heads -----------------------------------------------------------
def chain_heads(site: Site) -> list[tuple[str, int, str]]:
    """Each device's last event (sequence number and hash): the log the figures were folded from."""
    with site.store.read() as conn:
        return event_log.chain_heads(conn)


# -- building ------------------------------------------------------------------------------
def _lone_day_of(read: Future, session_id: str) -> LoneDays:
    return read.result().get(session_id) or LoneDays({}, [])


def gather(site: Site, session_ids: Sequence[str] | None, lang: str = "zh") -> ReportContent:
    """Figures, cases, rooms and chain heads for the sessions asked (all of the plan's when None)."""
    known = [s.id for s in site.plan.sessions]
    ids = list(session_ids) if session_ids else known
    unknown = [s for s in ids if s not in known]
    if unknown:
        raise ReportRefused(said(N_("no session {sessions}; this plan has {known}"), sessions=", ".join(unknown),
                                 known=", ".join(known)))
    # One read of every asked session's events about tickets (`lone_days`: for the whole plan, one pass through the
    # table), and each session's figures on a thread of its own: one's SQL read (SQLite and the PostgreSQL driver
    # leave the GIL while they read) goes on while another's rows are folded. Each reads on its own connection.
    with ThreadPoolExecutor(max_workers=len(ids) + 1, thread_name_prefix="figures") as pool:
        lone = pool.submit(lone_days, site, None if set(ids) == set(known) else ids)
        figures = [pool.submit(session_figures, site, sid, partial(_lone_day_of, lone, sid)) for sid in ids]
        cases: dict[str, list[ReportCase]] = {}
        for view in list_cases(site):
            cases.setdefault(view.case.exception.session, []).append(ReportCase(view.case, view.card, view.status))
        sessions = [SessionContent(site.plan.session(sid), found.result(), cases.get(sid, [])) for sid, found in zip(ids, figures)]
    names = {view.card.ticket: view.card.name for sc in sessions for view in sc.cases}
    wanted = {i.get("ticket") for sc in sessions for room in sc.figures.rooms.values() for i in room.incidents} - {None}
    with site.store.read() as conn:
        rooms = {row.id: (row.name, row.kind) for row in report_queries.room_rows(conn).values()}
        if wanted:
            names.update(report_queries.names(conn, wanted))
    tz = ZoneInfo(site.plan.timezone)
    content = ReportContent(
        exam=site.plan.exam_name, site=site.plan.site, lang=lang, generated_at=site.clock.local().strftime("%Y-%m-%d %H:%M:%S"),
        tz=tz, sessions=sessions, rooms=rooms, code_labels={c.code: (c.zh, c.en) for c in site.policy.codes.values()},
        names=names, chain_heads=chain_heads(site), chief_record=chief_record(site))
    content.figure_keys, content.figure_columns, content.figure_totals = figure_table(sessions, lang)
    return content


FORMATS = ("xlsx", "pdf", "both")


def formats_of(choice: str) -> tuple[str, ...]:
    """`xlsx`, `pdf` or `both` as the files to write."""
    if choice not in FORMATS:
        raise ReportRefused(said(N_("no format {choice}; use one of {formats}"), choice=repr(choice), formats=", ".join(FORMATS)))
    return ("xlsx", "pdf") if choice == "both" else (choice,)


def build_report(site: Site, *, session_ids: Sequence[str] | None, out: str | Path, pin: str | None, lang: str = "zh",
                 progress: Callable[[str, int, int], None] | None = None, fmt: str = "xlsx", by: str = "") -> dict:
    """Write the signed workbook; return the summary figures (one session's, or every session's and totals).

    Only the chief signs: `pin` is checked (a wrong one is logged and backs off) and opens the site's
    report key, which is kept on the chief's desk.

    `progress(phase, done, total)` is called as each of `BUILD_PHASES` starts, with the phases done before it;
    it may raise to stop the build (nothing is written before "save").
    """
    with cycle_collection_paused():
        formats = formats_of(fmt)
        # The PIN's and the key's scrypt (OpenSSL's, outside the GIL) while the figures are read: a wrong PIN is
        # still refused (and logged) before anything is laid out or written, and its refusal is the one said.
        # openpyxl is imported meanwhile too: the workbook's code loads while SQLite reads (without the GIL).
        # The tamper check too: a report signed over a store edited behind examops would look clean to the bureau.
        with ThreadPoolExecutor(max_workers=3, thread_name_prefix="report") as pool:
            key = pool.submit(_signing_key, site, pin, by)
            tampered = pool.submit(check_store, site)
            pool.submit(import_module, "examops.adapters.excel_out.report_book")
            try:
                content = _gather_for(site, session_ids, lang, progress)
            except BaseException:
                key.result()
                raise
            private_pem = key.result()
            refuse_if_tampered(tampered.result())
        return _build_report(site, private_pem, content, session_ids=session_ids, out=out, progress=progress,
                             formats=formats)


FINDINGS_SAID = 5
"""How many of the tamper check's findings a refusal repeats (`examops verify` lists them all)."""


def refuse_if_tampered(check: TamperCheck) -> None:
    """No signature over a store edited behind examops: say what was found and what to do."""
    if check.ok:
        return
    shown = check.findings[:FINDINGS_SAID]
    more = len(check.findings) - len(shown)
    findings = joined([*shown, said(N_("and {count} more"), count=more)] if more else shown)
    raise ReportRefused(said(N_("the store was changed behind examops, so no report was signed and nothing was written: "
                                "{findings}. Run `examops verify` and keep what it says for the bureau; an edit of the "
                                "plan or roster tables can be recorded with `examops init --plan PLAN --over-edits` and the "
                                "chief proctor's PIN, an edited or removed event cannot: keep this store as evidence"),
                             findings=findings))


def _signing_key(site: Site, pin: str | None, by: str) -> str:
    from examops.services import site_key

    try:
        site_key.check_here(site.store, site.store_id)  # says what to do before a PIN is spent on it
        if not site.check_pin(pin, who=by, purpose="sign a report"):
            raise ReportRefused(said(N_("wrong PIN: only the chief proctor can sign a report (the attempt is logged)")))
        return site_key.unlock(site.store, site.store_id, pin or "")
    except site_key.SiteKeyRefused as exc:
        raise ReportRefused(exc.said) from None


def _phase(progress: Callable[[str, int, int], None] | None, name: str) -> None:
    if progress is not None:
        progress(name, BUILD_PHASES.index(name), len(BUILD_PHASES))


def _gather_for(site: Site, session_ids: Sequence[str] | None, lang: str,
                progress: Callable[[str, int, int], None] | None) -> ReportContent:
    _phase(progress, "gather")
    return gather(site, session_ids, lang)


def _build_report(site: Site, private_pem: str, content: ReportContent, *, session_ids: Sequence[str] | None, out: str | Path,
                  progress: Callable[[str, int, int], None] | None = None, formats: tuple[str, ...] = ("xlsx",)) -> dict:
    from examops.adapters.excel_out.book import writable
    from examops.adapters.excel_out.report_book import ReportBook

    def phase(name: str) -> None:
        _phase(progress, name)

    phase("layout")
    book = ReportBook(content)
    phase("digest")
    cells = book.digest()  # the sheets' XML made in the same pass (written at save)
    stored_columns = {sc.session.id: {k: writable(v) for k, v in col.items()} for sc, col in zip(content.sessions, content.figure_columns)}
    figures_sha, figures_text = figures_digest(stored_columns)
    public_key = signing.public_key_b64(private_pem)
    fields = {
        "format": FORMAT, "exam": content.exam, "site": content.site,
        "sessions": ",".join(sc.session.id for sc in content.sessions), "summary_sheet": book.summary_title,
        "generated_at": content.generated_at, "figures_sha256": figures_sha,
        "chain_heads_sha256": chains_digest(content.chain_heads), "cells_sha256": cells.digest,
    }
    fields["signature"] = signing.sign(private_pem, signed_message(fields))
    fields["public_key"] = public_key
    fields["fingerprint"] = signing.fingerprint(public_key)
    fields["figures_json"] = figures_text
    sheet_rows = [(title, d.digest, d.cells, d.row_hash_chunks()) for title, d in cells.sheets.items()]
    qr_text = qr_payload(fields["fingerprint"], fields["signature"], figures_sha)
    book.sign(list(fields.items()), content.chain_heads, sheet_rows, qr_text)
    phase("save")
    out = Path(out)
    files = []
    if "pdf" in formats:  # first: saving the workbook closes the images' buffers
        from examops.adapters.pdf.sheet_pdf import write_pdf

        signature = book.workbook.worksheets[-1]
        printed = book.signature_page(list(fields.items()), qr_text)
        book.materialize()  # the PDF reads the openpyxl cells
        sheets = [ws for ws in book.workbook.worksheets if ws not in (signature, printed)] + [printed]
        files.append(str(write_pdf(sheets, out.with_suffix(".pdf"), title=content.site)))
        book.workbook.remove(printed)  # the workbook keeps only what was signed and the signature sheet
    if "xlsx" in formats:
        files.insert(0, str(book.save(out.with_suffix(".xlsx") if out.suffix.lower() == ".pdf" else out)))
    path = files[0]
    summaries = [sc.figures.summary() for sc in content.sessions]
    tail = {"out": str(path), "files": files, "fingerprint": fields["fingerprint"], "figures_sha256": figures_sha, "qr_payload": qr_text}
    if session_ids and len(summaries) == 1:
        return {**summaries[0], **tail}
    return {"sessions": summaries, "totals": totals_json(summaries), **tail}


# -- verifying -----------------------------------------------------------------------------
def read_trust_file(path: str | Path) -> set[str]:
    """Trusted key fingerprints: one fingerprint or base64 public key per line, `#` starts a comment."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise ReportRefused(said(N_("cannot read the trust list {path}: {reason}"), path=path, reason=os_reason(exc))) from None
    trusted = set()
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        if ":" in text:
            trusted.add(text.lower())
            continue
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 32:
            raise ReportRefused(said(N_("{path}, line {line}: not a key fingerprint or a base64 Ed25519 public key"), path=path,
                                     line=number))
        trusted.add(signing.fingerprint(text))
    return trusted


def verify_report(path: str | Path, trusted: set[str] | None = None, *, any_key: bool = False) -> Verification:
    """Recompute every digest from the workbook's cells, check the signature and what a reader sees, say what changed.

    Without a trust list the key is not trusted (a valid signature by anyone's key proves nothing about who)
    unless `any_key` says that is enough.
    """
    with cycle_collection_paused():
        return _verify_report(path, trusted, any_key)


def _verify_report(path: str | Path, trusted: set[str] | None, any_key: bool = False) -> Verification:
    from zipfile import BadZipFile

    from examops.adapters.excel_out.report_reader import cells_of, open_report

    result = Verification(str(path))
    try:
        workbook = open_report(path)  # once: the cells and their look are read from the same parse
    except (OSError, BadZipFile, KeyError, ValueError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)  # openpyxl's own words otherwise
        raise ReportRefused(said(N_("cannot read {path} as a workbook: {reason}"), path=path, reason=reason)) from None
    try:
        return _verify_cells(workbook, cells_of(workbook), result, trusted, any_key)
    finally:
        workbook.close()


def _verify_cells(workbook, sheets: list, result: Verification, trusted: set[str] | None,  # noqa: ANN001
                  any_key: bool) -> Verification:
    from examops.adapters.excel_out.report_reader import figure_table as read_figure_table
    from examops.adapters.excel_out.report_reader import signature_cells

    stated = signature_cells(sheets)
    if stated is None:
        result.problems.append(said(N_("no signature sheet: this is not a signed examops report")))
        return result
    fields = stated.fields
    result.language = stated.language
    result.exam, result.site = str(fields.get("exam", "")), str(fields.get("site", ""))
    result.sessions = [s for s in str(fields.get("sessions", "")).split(",") if s]
    result.generated_at, result.fingerprint = str(fields.get("generated_at", "")), str(fields.get("fingerprint", ""))
    content = [(title, cells) for title, cells in sheets if title != stated.title]
    cells = digest_cells(content)
    summary_cells = dict(content).get(str(fields.get("summary_sheet")))
    table = read_figure_table(summary_cells or [], result.sessions)
    figures_sha, _ = figures_digest(table.columns)
    result.figures_sha256 = figures_sha
    result.figures = [{"session": s, **typed_figures(c)} for s, c in table.columns.items()]
    recomputed = {**fields, "figures_sha256": figures_sha, "chain_heads_sha256": chains_digest(stated.chain_heads),
                  "cells_sha256": cells.digest}
    problems = result.problems
    if summary_cells is None:
        problems.append(said(N_("the summary sheet {sheet} is missing"), sheet=repr(fields.get("summary_sheet"))))
    for session in table.missing_sessions:
        problems.append(said(N_("the summary has no column for session {session}"), session=session))
    public_key = str(fields.get("public_key", ""))
    try:
        key_fingerprint = signing.fingerprint(public_key)
    except (binascii.Error, ValueError):
        key_fingerprint = ""
    result.signature_valid = bool(key_fingerprint) and signing.verify(public_key, signed_message(recomputed),
                                                                      str(fields.get("signature", "")))
    digests = ("figures_sha256", "cells_sha256", "chain_heads_sha256")
    if result.signature_valid:
        # The contents are exactly what was signed: a differing digest means its cell in the signature sheet was edited.
        for key in digests:
            if fields.get(key) != recomputed[key]:
                problems.append(said(N_("{sheet}!{cell}: the {field} written there is not the signed one ({signed}): the cell "
                                        "was edited"), sheet=stated.title, cell=stated.where.get(key, "?"), field=key,
                                     signed=recomputed[key]))
    else:
        if not key_fingerprint:
            problems.append(said(N_("{sheet}: the public key is not a valid Ed25519 key"), sheet=stated.title))
        if figures_sha != fields.get("figures_sha256"):
            changes = figure_changes(fields, table)
            problems.append(said(N_("the Summary figures differ from the signed figures: {changes}"), changes=joined(changes))
                            if changes else said(N_("the Summary figures differ from the signed figures")))
        if cells.digest != fields.get("cells_sha256"):
            problems.append(said(N_("the workbook's cells differ from the signed ones: {changes}"),
                                 changes=sheet_changes(cells, stated.sheets, content)))
        if recomputed["chain_heads_sha256"] != fields.get("chain_heads_sha256"):
            problems.append(said(N_("the event-log chain heads in {sheet} were changed"), sheet=stated.title))
        problems.append(said(N_("the signature does not match the report's contents: it was changed after signing"))
                        if any(fields.get(k) != recomputed[k] for k in digests)
                        else said(N_("the signature does not match: the signature, the public key or a signed field "
                                     "(exam, site, sessions, generated_at) was changed")))
    if key_fingerprint and key_fingerprint != result.fingerprint:
        problems.append(said(N_("{sheet}!{cell}: the fingerprint does not belong to the public key"), sheet=stated.title,
                             cell=stated.where.get("fingerprint", "?")))
    from examops.adapters.excel_out.report_presentation import presentation_problems

    problems.extend(presentation_problems(workbook, stated.title))
    if trusted is not None:
        result.trusted = key_fingerprint.lower() in trusted
        if not result.trusted:
            problems.append(said(N_("the signing key {fingerprint} ({site}) is not on the trust list"),
                                 fingerprint=key_fingerprint or "?", site=result.site))
    elif not any_key:
        result.trusted = False
        untrusted = (N_("the signature is valid but the key {fingerprint} is not trusted: no trust list was given (--trust FILE "
                        "with the bureau's list of site keys, or --any-key to accept any key)") if result.signature_valid
                     else N_("the signature is not valid but the key {fingerprint} is not trusted: no trust list was given "
                             "(--trust FILE with the bureau's list of site keys, or --any-key to accept any key)"))
        problems.append(said(untrusted, fingerprint=key_fingerprint or "?"))
    return result
