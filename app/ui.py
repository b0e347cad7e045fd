"""Drawing helpers every page shares: the page heading, tables with downloads, KPI cards, status badges."""
from __future__ import annotations

import contextlib
import functools
import json
import logging
import re

import pandas as pd
import streamlit as st

from app.data import kpi_rows_behind, latest_yearly_kpis, period_kpis, today
from app.downloads import csv_bytes, xlsx_bytes
from app.i18n import enum_label, t
from app.state import period_control, year_control
from warehouse import numbers
from warehouse.db import SnapshotId
from warehouse.kpis import REGISTRY, KpiValue, Period, format_delta, format_value
from warehouse.snapshot import WarehouseBusy

_log = logging.getLogger(__name__)
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^\s'\"/\\]+){2,}")
STATUS_BADGE = {"met": ("blue", "✓"), "missed": ("orange", "✗"), "no_target": ("gray", "–"), "no_data": ("gray", "?")}
MISSING = numbers.MISSING  # how a table, a card or a figure shows a value that is missing


def lang() -> str:
    """The language the user chose in the entry file (zh by default)."""
    return st.session_state.get("lang", "zh")


def period() -> Period:
    """The period the user chose in the entry file."""
    return st.session_state["period"]


def page_start(title_key: str, compact: bool = False) -> SnapshotId:
    """Title, demo marker and the empty-warehouse message (which stops the page); returns the snapshot to read.
    Compact (the phone, which shows the demo marker in its own line): the title without the demo sentence."""
    language = lang()
    st.title(t(title_key, language))
    state, demo, error = st.session_state.get("warehouse_state", ("missing", False, None))
    if state == "unreadable":
        st.warning(t("warehouse_unreadable", language).format(error=plain(without_paths(error or ""))))
        st.stop()
    if state != "ready":
        st.info(t("no_warehouse", language))
        st.stop()
    if demo and not compact:
        st.markdown(demo_badge(language) + " " + t("demo_note", language))
    return st.session_state["snapshot"]


def period_bar(years_only: bool = False) -> Period:
    """The chosen period, with its control at the top of the page and the line naming the as-of day, the period
    and what it is compared with (years_only: a page by year gets the year box and the as-of line)."""
    language = lang()
    with st.container(horizontal=True, vertical_alignment="bottom", key="period_bar"):
        if years_only:
            year_control(st.session_state["years"], language)
        else:
            period_control(st.session_state["years"], language)
    chosen = period()
    if years_only:
        as_of_caption()
    else:
        period_caption(chosen)
    return chosen


def period_label(p: Period) -> str:
    """One line for a phone: the period shown (to the as-of day, when still running) and the as-of day."""
    language, day = lang(), today()
    return f"{p.through(day).label(language)} · {t('as_of_caption', language).format(as_of=day_text(day, language))}"


def demo_badge(language: str) -> str:
    """The "演示数据 demo data" marker as a Markdown badge."""
    return f":orange-badge[{t('demo_badge', language)}]"


def as_of_caption() -> None:
    """The line "截至 2026年12月1日" of a page whose figures are by year."""
    language = lang()
    st.caption(t("as_of_caption", language).format(as_of=day_text(today(), language)))


def day_text(day, language: str) -> str:
    """2026年12月1日 or 1 Dec 2026."""
    return f"{day:%-d %b %Y}" if language == "en" else f"{day.year}年{day.month}月{day.day}日"


def period_caption(p: Period) -> None:
    """A line naming the as-of day, the period shown (to that day, when it is still running) and the span it is
    compared with."""
    language, day = lang(), today()
    shown = p.through(day)
    st.caption(t("period_caption", language).format(as_of=day_text(day, language), period=shown.label(language),
                                                    prior=shown.prior().label(language))
               + ("　" + t("partial_note", language) if shown.partial else ""))


def no_rows(key: str = "no_rows") -> None:
    """The message for a section that has nothing to show."""
    st.info(t(key, lang()))


def status_badge(status: str, language: str) -> str:
    """A KPI status as a coloured Markdown badge with a symbol (✓ met, ✗ missed, – no target, ? no data)."""
    colour, symbol = STATUS_BADGE[status]
    return f":{colour}-badge[{symbol} {t(f'status_{status}', language)}]"


def target_text(v: KpiValue, language: str) -> str:
    """'≥ 98.0%' or '—' (the registry's wording)."""
    return REGISTRY[v.kpi].target_text(v.comparator, v.target, language) or MISSING


def delta_look(v: KpiValue) -> tuple[str, str]:
    """(delta colour, arrow) of a YoY change: blue when better, orange when worse, grey and no arrow when flat."""
    trend = REGISTRY[v.kpi].trend(v.delta) if v.kpi in REGISTRY else ""
    if trend in ("", "same"):
        return "gray", "off"
    return {"better": "blue", "worse": "orange"}.get(trend, "gray"), "auto"


def kpi_card(v: KpiValue, sparkline: list[float] | None, language: str, note: str = "") -> None:
    """One KPI as a bordered card: value, YoY change, 12-month sparkline, status badge, target and denominator, and
    a note (which year a yearly KPI's figures are from, when not the chosen one)."""
    colour, arrow = delta_look(v)
    counts = ""
    if v.denominator is not None:
        counts = (f" · n = {numbers.number_text(v.denominator)}" if v.numerator is None
                  else f" · {numbers.number_text(v.numerator)}/{numbers.number_text(v.denominator)}")
    if v.in_progress is not None and v.denominator is not None and v.numerator is not None:
        counts = " · " + t("due_so_far", language).format(k=numbers.number_text(v.numerator),
                                                          n=numbers.number_text(v.denominator),
                                                          noun=REGISTRY[v.kpi].noun_text(language))
    if v.in_progress:
        counts += " · " + t("in_progress", language).format(n=numbers.number_text(v.in_progress))
    if v.partial:
        counts += f" · :gray-badge[{t('partial_badge', language)}]"
    with st.container(border=True, width=300):
        st.metric(
            v.label, format_value(v.value, v.unit, language),
            delta=None if v.delta is None else format_delta(v.delta, v.unit, language),
            delta_color=colour, delta_arrow=arrow, delta_description=t("vs_prior_year", language),
            chart_data=sparkline or None, chart_type="line",
            help=t("card_help", language).format(prior=format_value(v.prior_value, v.unit, language)),
        )
        target = f" {t('target', language)} {target_text(v, language)}" if v.target is not None else ""
        st.markdown(f"{status_badge(v.status, language)}{target}{counts}" + (f" · {plain(note)}" if note else ""))


def kpis_shown(snapshot: SnapshotId, p: Period, codes: tuple[str, ...] | None = None
               ) -> tuple[dict[str, KpiValue], dict[str, KpiValue], dict[str, str]]:
    """The period's values by code; the values its cards show (a yearly KPI — survey, grades, market — whose year is
    not in yet shows the latest year that is); and the note that says so, by code."""
    language, day = lang(), today()
    values = {v.kpi: v for v in period_kpis(snapshot, p, language, day, codes)}
    earlier = latest_yearly_kpis(snapshot, p, language, day, tuple(c for c, v in values.items() if v.value is None))
    notes = {code: t("latest_year_note", language).format(year=year, chosen=p.year) for code, (year, _) in earlier.items()}
    return values, values | {code: v for code, (_, v) in earlier.items()}, notes


def spark_points(series: pd.DataFrame) -> dict[str, list[float | None]]:
    """Each KPI's monthly values for its sparkline by code, oldest first (None: no data that month); a month still
    running is left out (its few days would read as a rise or a fall)."""
    if series.empty:
        return {}
    full = series[~series["partial"]]
    return {code: [None if x is None or x != x else float(x) for x in frame["value"]]
            for code, frame in full.groupby("kpi", sort=False)}


def status_counts(values) -> dict[str, int]:
    """How many of the values missed, met, have no target and have no data (in that order)."""
    counts = dict.fromkeys(STATUS_BADGE, 0)
    for v in values:
        counts[v.status] += 1
    return {status: counts[status] for status in ("missed", "met", "no_target", "no_data")}


def kpi_frame(values: list[KpiValue], language: str) -> tuple[pd.DataFrame, dict]:
    """KPI values as a table (label, value, its unit, target, status, numerator, denominator, in progress, prior year,
    change) and its units for table(): each row's value, prior year and change in that KPI's unit, the counts as
    counts; the unit column names it (a count: what it counts), so a download says it too."""
    frame = pd.DataFrame([{
        "kpi": v.label, "value": v.value,
        "unit": numbers.unit_name(v.unit, language) or REGISTRY[v.kpi].noun_text(language),
        "target": target_text(v, language),
        "status": f"{STATUS_BADGE[v.status][1]} {t(f'status_{v.status}', language)}", "numerator": v.numerator,
        "denominator": v.denominator, "in_progress": v.in_progress, "prior": v.prior_value, "delta": v.delta}
        for v in values], columns=["kpi", "value", "unit", "target", "status", "numerator", "denominator", "in_progress",
                                   "prior", "delta"])
    rows = [v.unit for v in values]
    return frame, {"value": rows, "prior": rows, "delta": ["+" + u for u in rows], "numerator": "count",
                   "denominator": "count", "in_progress": "count"}


def kpi_row(values: list[KpiValue], language: str, period: Period | None = None) -> None:
    """A wrapping row of KPI cards without sparklines, and the rows behind their figures (of the period: the
    chosen one unless given)."""
    with st.container(horizontal=True, wrap=True):
        for v in values:
            kpi_card(v, None, language)
    rows_behind([v.kpi for v in values], language, period)


def rows_behind(codes: list[str], language: str, period: Period | None = None, popover: bool = False) -> None:
    """An expander (or a popover button) with the records behind one of these KPIs' figures (the analyst chooses
    which), with downloads; a viewer sees the records but not the files they came from. Nothing is read until a
    KPI is chosen: a collapsed expander still runs, and a year's lots are many."""
    codes = [c for c in dict.fromkeys(codes) if c in REGISTRY]
    if not codes:
        return
    holder = st.popover if popover else st.expander
    with holder(t("rows_behind", language), icon=":material/table_rows:"):
        st.caption(t("rows_behind_note", language))
        key = "rows_behind_" + "_".join(codes)
        code = st.selectbox(t("rows_behind_kpi", language), codes, key=key, index=None,
                            placeholder=t("rows_behind_choose", language),
                            format_func=lambda c: REGISTRY[c].label(language))
        if code is None:
            return
        period = period or st.session_state["period"]
        frame = kpi_rows_behind(st.session_state["snapshot"], code, period, today())
        user = st.session_state.get("user")
        if user is None or user.role == "viewer":
            frame = frame.drop(columns=["file_name"])
        if frame.empty:
            st.info(t("rows_behind_none", language))
            return
        table(frame, f"rows-behind-{code}-{period.year}-{period.month or 'year'}{'-ytd' if period.ytd else ''}")


def localised(frame: pd.DataFrame, language: str, enums: dict[str, str] | None = None) -> pd.DataFrame:
    """The frame with coded values in words (enums: column -> catalogue kind) and headers from the catalogue."""
    out = frame.copy()
    for column, kind in (enums or {}).items():
        if column in out:
            out[column] = out[column].map(lambda v, k=kind: enum_label(k, v, language))
    return out.rename(columns={c: t(f"col.{c}", language) for c in out.columns})


def with_days(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with timestamp columns that hold whole days (every time 00:00, as DuckDB dates arrive) as dates,
    so that a table and its downloads read 2026-09-01, not 2026-09-01 00:00:00."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_datetime64_any_dtype(values) and (values.dropna() == values.dropna().dt.normalize()).all():
            out[column] = [None if pd.isna(v) else v.date() for v in values]
    return out


def table(frame: pd.DataFrame, name: str, enums: dict[str, str] | None = None, units: dict | None = None,
          height: int | str = "auto") -> None:
    """A table with its headers in the user's language and CSV / XLSX download buttons; a missing value shows "—",
    a day without a time, a time to the minute. units: column -> unit spec (warehouse.numbers: "%", "ppm", "+%" for a
    change of a %, ...) or a list of them, one per row: those cells are written by the one formatter (1,548 ppm,
    +1.2 个百分点) and stay numbers, so a column still sorts by value and downloads hold numbers."""
    language = lang()
    shown = localised(with_days(frame), language, enums).reset_index(drop=True)
    unknown = set(units or {}) - set(frame.columns)
    if unknown:
        raise KeyError(f"units given for columns the table lacks: {', '.join(sorted(unknown))}")
    units = {t(f"col.{c}", language): spec for c, spec in (units or {}).items()}
    config = {c: st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm") for c in shown.columns
              if pd.api.types.is_datetime64_any_dtype(shown[c])}
    if all(isinstance(s, str) and not s.startswith("+") for s in units.values()):
        # figures only, a unit per column: Streamlit writes them from the same unit table, fast on long lists
        config |= {c: st.column_config.NumberColumn(format=numbers.printf_format(s, language))
                   for c, s in units.items()}
        drawn = shown.assign(**{c: shown[c].map(lambda x, s=s: numbers.rounded(x, s)).astype("Float64")
                                for c, s in units.items()})
    else:
        drawn = figures_styled(shown, units, language)    # changes (signed, 0.0 unsigned) or a unit per row
    st.dataframe(drawn, hide_index=True, width="stretch", column_config=config, height=height, placeholder=MISSING)
    downloads(shown, name, units)


def _plain_cell(x) -> str:
    if numbers.missing(x) and not isinstance(x, str):
        return MISSING
    return x.isoformat() if hasattr(x, "isoformat") and not hasattr(x, "hour") else str(x)


def figures_styled(frame: pd.DataFrame, units: dict, language: str):
    """The frame as a Styler whose cells with a unit read as the one formatter writes them (numbers.cell_text), the
    others as they are ("—" when missing); the values stay numbers."""
    styled = frame.style.format(_plain_cell)
    for column, spec in units.items():
        specs = pd.Series([spec] * len(frame) if isinstance(spec, str) else list(spec), index=frame.index)
        for one in specs.unique():
            styled = styled.format(lambda x, s=one: numbers.cell_text(x, s, language),
                                   subset=pd.IndexSlice[specs.index[specs == one], [column]])
    return styled


def downloads(frame: pd.DataFrame, name: str, units: dict | None = None) -> None:
    """CSV and XLSX download buttons for a table (files built only when clicked; figures as numbers, see
    app.downloads)."""
    language = lang()
    with st.container(horizontal=True):
        st.download_button(t("download_csv", language), functools.partial(csv_bytes, frame, units, language),
                           file_name=f"{name}.csv", mime="text/csv", key=f"csv-{name}", icon=":material/download:",
                           on_click="ignore")
        st.download_button(t("download_xlsx", language),
                           functools.partial(xlsx_bytes, frame, units=units, lang=language),
                           file_name=f"{name}.xlsx", key=f"xlsx-{name}", icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click="ignore")


def choice(label: str, options: list, key: str, format_func=str):
    """A select box whose remembered choice is dropped when it is no longer among the options."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]
    return st.selectbox(label, options, key=key, format_func=format_func)


def latest_year(years: tuple[int, ...], what: str) -> int | None:
    """The chosen period's year, or the latest of years (oldest first, yearly data) before it, said in a caption;
    None when there is none (the caption says so)."""
    language, chosen = lang(), period().year
    shown = max((y for y in years if y <= chosen), default=None)
    st.caption(t("year_caption", language).format(year=shown or chosen))
    if shown is None:
        no_rows()
    elif shown < chosen:
        st.info(t("latest_year_shown", language).format(chosen=chosen, year=shown, what=t(f"what.{what}", language)))
    return shown


def chart(figure) -> None:
    """An Altair chart across the page's width, in the Streamlit theme (light or dark)."""
    st.altair_chart(figure, width="stretch")


# Plain text, messages and writes --------------------------------------------------------------------------


def plain(text: str) -> str:
    """Text (a file name, a user name, a message quoting one) escaped so that Markdown shows it as written."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text)).replace("\n", "  \n")


def without_paths(text: str) -> str:
    """An error message with file-system paths replaced by …, so no server path reaches the browser."""
    return _PATH.sub("…", text)


def notice(kind: str, text: str) -> None:
    """A message box (success, info, warning, error) whose text is shown as written, never as Markdown."""
    icons = {"success": ":material/check_circle:", "info": ":material/info:", "warning": ":material/warning:",
             "error": ":material/error:"}
    getattr(st, kind)(plain(text), icon=icons[kind])


def localised_reason(exc: Exception, language: str) -> str:
    """An error's reason in the user's language (errors with .reason_zh carry both)."""
    return getattr(exc, "reason_zh", str(exc)) if language == "zh" else str(exc)


@contextlib.contextmanager
def write_guard(*expected: type[Exception]):
    """Run a write: an expected refusal shows its reason, anything else a plain message (details to the server log)."""
    language = lang()
    try:
        yield
    except WarehouseBusy:
        st.error(t("warehouse_busy", language), icon=":material/hourglass:")
    except expected as exc:
        notice("error", without_paths(localised_reason(exc, language)))
    except Exception:
        _log.exception("a write from the app failed")
        st.error(t("write_failed", language), icon=":material/error:")


# Streamlit's own texts in file uploaders ----------------------------------------------------------------------

UPLOADER_TEXTS_KEY = "uploader_texts"
# Streamlit 1.67 writes these texts in English in its frontend bundle (FileUploader, the file chips): the button,
# the size limit line, the hint while a file is dragged over, and the errors of a refused file. Each is a whole
# text node (or an aria-label / title), so a pattern per text finds it; {size}, {type} and {name} are the parts
# Streamlit fills in.
_UPLOADER_TEXT_NODES = [("^Upload$", "uploader.button", ()), ("^Drag and drop files here$", "uploader.drop_files", ()),
                        ("^Drag and drop a file here$", "uploader.drop_file", ()),
                        ("^(.+) per file$", "uploader.per_file", ("size",)), ("^Error:\\s*$", "uploader.error", ()),
                        ("^Upload failed$", "uploader.failed", ()), ("^add icon$", "uploader.add", ())]
_UPLOADER_ERRORS = [("File must be (\\S+) or smaller\\.", "uploader.too_large", ("size",)),
                    ("(\\S+) files are not allowed\\.", "uploader.wrong_type", ("type",)),
                    ("File size is too small\\.", "uploader.too_small", ()),
                    ("Only one file is allowed\\.", "uploader.one_file", ()),
                    ("Unexpected error\\. Please try again\\.", "uploader.unexpected", ())]
_UPLOADER_ATTRIBUTES = [("^Add files$", "uploader.add", ()), ("^Remove (.+)$", "uploader.remove", ("name",)),
                        ("^Cancel upload of (.+)$", "uploader.cancel", ("name",)),
                        ("^Click to retry upload$", "uploader.retry", ()), ("^file upload$", "uploader.input", ())]

# Rewrites those text nodes and attributes inside every file uploader (and the error tooltips), in place, whenever
# React draws them: a MutationObserver runs before the browser paints, so the English never shows. Each node
# remembers the English it replaced, so switching back to English puts Streamlit's text back; a node that React
# gives new text is read afresh. File names (the chips' names) and the widget's own label are never touched.
_UPLOADER_JS = """
(function () {
  const w = window;
  w.__qualityUploaderTexts = __TEXTS__;
  const rewrite = (english, rules, whole) => {
    let out = english;
    for (const [pattern, replacement] of rules) {
      const re = new RegExp(pattern, whole ? "" : "g");
      if (whole) { if (re.test(out)) return out.replace(re, replacement); } else out = out.replace(re, replacement);
    }
    return out;
  };
  if (!w.__qualityUploaderScan) {
    const kept = new WeakMap();   // node -> {english, shown}; attributes: element -> {name: {english, shown}}
    const change = (english, rules, whole) => w.__qualityUploaderTexts.lang === "en" ? english : rewrite(english, rules, whole);
    const textNode = (node, errorsOnly) => {
      const t = w.__qualityUploaderTexts;
      const was = kept.get(node);
      const english = was && node.data === was.shown ? was.english : node.data;
      let shown = errorsOnly ? english : change(english, t.text, true);
      if (shown === english) shown = change(english, t.errors, false);
      if (shown !== node.data) node.data = shown;
      if (shown !== english || was) kept.set(node, {english: english, shown: shown});
    };
    const attributes = (el) => {
      const t = w.__qualityUploaderTexts;
      const all = kept.get(el) || {};
      for (const name of ["aria-label", "title"]) {
        const value = el.getAttribute(name);
        if (value === null) continue;
        const was = all[name];
        const english = was && value === was.shown ? was.english : value;
        const shown = change(english, t.attributes, true);
        if (shown !== value) el.setAttribute(name, shown);
        all[name] = {english: english, shown: shown};
      }
      kept.set(el, all);
    };
    const skip = '[data-testid="stFileChipName"], [data-testid="stWidgetLabel"], [data-testid="stTooltipIcon"]';
    const walk = (root, errorsOnly) => {
      const nodes = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = nodes.nextNode(); n; n = nodes.nextNode()) {
        if (n.parentElement && !n.parentElement.closest(skip)) textNode(n, errorsOnly);
      }
      root.querySelectorAll("[aria-label], [title]").forEach((el) => { if (!el.closest(skip)) attributes(el); });
    };
    let busy = false;
    w.__qualityUploaderScan = () => {
      if (busy) return;
      busy = true;
      try {
        document.querySelectorAll('[data-testid="stFileUploader"]').forEach((u) => walk(u, false));
        document.querySelectorAll('[role="tooltip"], [data-baseweb="tooltip"]').forEach((tip) => walk(tip, true));
      } finally { busy = false; }
    };
    new MutationObserver(() => w.__qualityUploaderScan()).observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-label", "title"]});
  }
  w.__qualityUploaderScan();
})();
"""


def _js_rules(rules, language: str) -> list[list[str]]:
    """(pattern, replacement) pairs for the script: the catalogue's text with {part} as the pattern's group."""
    out = []
    for pattern, key, parts in rules:
        replacement = t(key, language).replace("$", "$$")
        for n, part in enumerate(parts, start=1):
            replacement = replacement.replace("{" + part + "}", f"${n}")
        out.append([pattern, replacement])
    return out


def uploader_texts(language: str) -> None:
    """Show Streamlit's own file-uploader texts (button, size limit, drop hint, errors of a refused file) in the
    page's language: a small script of ours, run in the page, takes no room. Call before the page's uploaders."""
    texts = {"lang": language, "text": _js_rules(_UPLOADER_TEXT_NODES, language),
             "errors": _js_rules(_UPLOADER_ERRORS, language), "attributes": _js_rules(_UPLOADER_ATTRIBUTES, language)}
    script = _UPLOADER_JS.replace("__TEXTS__", json.dumps(texts, ensure_ascii=False).replace("</", "<\\/"))
    with st.container(key=UPLOADER_TEXTS_KEY):
        st.html(f"<style>.st-key-{UPLOADER_TEXTS_KEY} {{ display: none; }}</style><script>{script}</script>",
                unsafe_allow_javascript=True)


# What a load did, per file --------------------------------------------------------------------------------------


def one_line(text: str | None) -> str:
    """A message on one line."""
    return " ".join(str(text or "").split())


def file_outcome_frame(outcomes, language: str, skipped=(), folder=None) -> pd.DataFrame:
    """A load's files as a table: status, kind, rows, inserted, updated, unchanged, deleted, quarantined and the
    reason in the user's language; then the files of a folder that were not loaded (etl.load.SkippedFile), named
    within the folder."""
    rows = [{"file_name": f.name, "status": f.status, "kind": f.kind, "rows": f.rows, "inserted": f.inserted,
             "updated": f.updated, "unchanged": f.same, "deleted": f.deleted, "rows_quarantined": f.quarantined,
             "reason": one_line(f.reason_zh if language == "zh" else f.reason_en)} for f in outcomes]
    for s in skipped:
        name = s.path.name
        if folder is not None:
            with contextlib.suppress(ValueError):
                name = s.path.relative_to(folder).as_posix()
        rows.append({"file_name": name, "status": "skipped", "kind": None, "rows": None, "inserted": None,
                     "updated": None, "unchanged": None, "deleted": None, "rows_quarantined": None,
                     "reason": one_line(s.reason_zh if language == "zh" else s.reason_en)})
    frame = pd.DataFrame(rows, columns=["file_name", "status", "kind", "rows", "inserted", "updated", "unchanged",
                                        "deleted", "rows_quarantined", "reason"])
    for column in ("rows", "inserted", "updated", "unchanged", "deleted", "rows_quarantined"):
        frame[column] = frame[column].astype("Int64")
    return localised(frame, language, {"status": "file_status", "kind": "source_kind"})


def file_outcomes(outcomes, language: str, skipped=(), folder=None) -> None:
    """The table of what a load did per file, and the footer lines each file had skipped."""
    st.dataframe(file_outcome_frame(outcomes, language, skipped, folder), hide_index=True, width="stretch",
                 placeholder=MISSING)
    for f in outcomes:
        lines = list(getattr(f, "skipped_lines", None) or [])
        if lines:
            shown = ("；" if language == "zh" else "; ").join(
                t("refresh_skipped_line", language).format(row=x.row, text=one_line(x.text)) for x in lines[:5])
            more = f" …（+{len(lines) - 5}）" if len(lines) > 5 else ""
            st.caption(plain(t("refresh_skipped_lines", language).format(name=f.name, lines=shown + more)))


# Control charts ---------------------------------------------------------------------------------------------------


def spc_baseline(year: int, key: str, language: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The months a control chart's limits are drawn from, chosen on a slider over the three years up to the chosen
    one (by default the chosen year's months up to now); None when there is no month yet."""
    from warehouse import spc

    day = today()
    months = [f"{y}-{m:02d}" for y in range(year - 2, year + 1) for m in range(1, 13) if (y, m) <= (day.year, day.month)]
    if not months:
        return None
    first = f"{year}-01" if f"{year}-01" in months else months[0]
    chosen = st.select_slider(t("spc_baseline", language), options=months, key=key, value=(first, months[-1]))
    return tuple(spc.parse_month(m) for m in chosen)


def control_chart(found: tuple, language: str) -> None:
    """A control chart (data.control_chart: the chart, or None and why) with the months that break a run rule listed
    beside it and the baseline it is drawn from under them."""
    from app import charts
    from app.derive import control_chart_points
    from app.i18n import spc_signal_text

    drawn, reason = found
    if drawn is None:
        st.info(t("spc_no_chart", language).format(reason=reason[0] if language == "en" else reason[1]))
        return
    points = control_chart_points(drawn)
    if points.empty:
        no_rows()
        return
    left, right = st.columns([3, 1])
    with left:
        chart(charts.p_chart(points, language) if drawn.kind == "p" else charts.u_chart(points, language))
    with right:
        st.markdown(f"###### {t('spc_signals', language)}")
        flagged = [p for p in drawn.points if p.rules]
        if flagged:
            st.markdown("\n".join(f"- {plain(spc_signal_text(p.label, p.rules, language))}" for p in flagged))
        else:
            st.caption(t("spc_no_signals", language))
        (f_year, f_month), (l_year, l_month) = drawn.baseline
        scale, digits = (100, ".2f") if drawn.kind == "p" else (1, ".4f")
        st.caption(t("spc_baseline_caption", language).format(
            first=f"{f_year}-{f_month:02d}", last=f"{l_year}-{l_month:02d}",
            centre=f"{scale * drawn.centre:{digits}}" + ("%" if drawn.kind == "p" else "")))
