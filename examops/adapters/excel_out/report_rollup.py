"""The regional roll-up as an A4 workbook: per site and total, by session, the sources, a chart."""

from __future__ import annotations

from pathlib import Path

from openpyxl.chart import BarChart, Reference

from examops.adapters.excel_out.book import Book, Sheet, a4_page
from examops.domain.policy import PRESETS
from examops.domain.rollup import Rollup
from examops.i18n.report_words import FIGURE_LABELS, STATUS_LABELS, incident_label, pick

CODE_LABELS = {code.code: (code.zh, code.en) for codes in PRESETS.values() for code in codes}


def _label(key: str, lang: str) -> str:
    group, _, sub = key.partition(".")
    if not sub:
        return pick(FIGURE_LABELS, key, lang)
    if group == "exceptions_by_code":
        sub_label = pick(CODE_LABELS, sub, lang)
    elif group == "exceptions_by_status":
        sub_label = pick(STATUS_LABELS, sub, lang)
    elif group == "incidents_by_kind":
        sub_label = incident_label(sub, lang)
    else:
        sub_label = sub
    return f"{pick(FIGURE_LABELS, group, lang)}·{sub_label}"


def write_rollup(path: str | Path, rollup: Rollup, *, lang: str = "zh") -> Path:
    book = Book(lang)
    w, lang = book.words, book.lang
    yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
    headers = [w["site"], w["sessions"]] + [_label(k, lang) for k in rollup.keys] + [pick(FIGURE_LABELS, "zero_incident", lang)]
    widths = [28, 8] + [10] * len(rollup.keys) + [12]

    sites = Sheet(book, w["rollup_sites"], widths)
    sites.banner(w["rollup_title"], "eo_title", height=28)
    sites.banner(rollup.exam)
    sites.banner(w["rollup_note"])
    header = sites.row
    rows = [[s["site"], s["sessions"]] + [s[k] for k in rollup.keys] + [yes if s["zero_incident"] else no] for s in rollup.sites]
    total = rollup.total
    rows.append([w["total"], total["sessions"]] + [total[k] for k in rollup.keys]
                + [f"{total['zero_incident_sites']}/{total['sites']}"])
    sites.table(headers, rows)
    present, absent = 2 + rollup.keys.index("present") + 1, 2 + rollup.keys.index("absent") + 1
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
    chart.title = w["rollup_chart"]
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.width, chart.height = 24, max(8, 1.2 * len(rollup.sites))
    for column in (present, absent):
        chart.add_data(Reference(sites.ws, min_col=column, min_row=header, max_row=header + len(rollup.sites)), titles_from_data=True)
    chart.set_categories(Reference(sites.ws, min_col=1, min_row=header + 1, max_row=header + len(rollup.sites)))
    sites.ws.add_chart(chart, f"A{sites.row + 2}")
    a4_page(sites.ws, title_rows=f"{header}:{header}", header=f"{rollup.exam} · {sites.title}", landscape=True, page=w["page"])

    by_session = Sheet(book, w["rollup_sessions"], [10] + widths)
    by_session.banner(w["rollup_title"], "eo_title", height=28)
    by_session.banner(rollup.exam)
    header = by_session.row
    rows = []
    for subtotal in rollup.session_totals:
        session = subtotal["session"]
        rows += [[session, s["site"], 1] + [s[k] for k in rollup.keys] + [yes if s["zero_incident"] else no]
                 for s in rollup.sessions if s["session"] == session]
        rows.append([session, w["total"], ""] + [subtotal[k] for k in rollup.keys] + [yes if subtotal["zero_incident"] else no])
    by_session.table([w["session"]] + headers, rows)
    a4_page(by_session.ws, title_rows=f"{header}:{header}", header=f"{rollup.exam} · {by_session.title}", landscape=True,
        page=w["page"])

    sources = Sheet(book, w["rollup_sources"], [40, 24, 10, 44, 66, 20, 8])
    sources.banner(w["rollup_sources"], "eo_title", height=28)
    header = sources.row
    sources.table([w["file"], w["site"], w["session"], w["fingerprint"], w["figures_sha256"], w["at"], w["verified"]],
                  [[Path(s["file"]).name, s["site"], ",".join(s["sessions"]), s["fingerprint"], s["figures_sha256"],
                    s["generated_at"], w["ok"] if s.get("trusted") else w["any_key"]] for s in rollup.sources])
    a4_page(sources.ws, title_rows=f"{header}:{header}", header=f"{rollup.exam} · {sources.title}", landscape=True, page=w["page"])
    return book.save(path)
