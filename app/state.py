"""What a session remembers and its address keeps: the language and the period.

The chosen values live in plain session keys ("lang", "period_kind", "year", "month"), not in widgets' own state,
so a language switch (which relabels the widgets) and a page without a period control (which drops its widgets'
state) cannot lose them. The address carries them too (?lang=en&period=month&year=2021&month=3), so a reload or a
bookmark opens the same view: restore() reads the address once per session, keep() writes it back on every run
(Streamlit clears the query string when the page changes).

period_control() draws the choice (kind, year, month), which the page places at its top. Each widget writes the plain key in its on_change callback, which runs before the
script, and is given that key's value before it is drawn.
"""
from __future__ import annotations

import streamlit as st

from app.i18n import month_label, t
from warehouse.kpis import Period, opening_period

PERIOD_KINDS = ("year", "month", "ytd")
LANGUAGES = ("zh", "en")
WIDGETS = {"period_kind": "pick_period_kind", "year": "pick_year", "month": "pick_month"}
RESTORED = "_state_restored"


def _number(text) -> int | None:
    try:
        return int(str(text))
    except ValueError:
        return None


def restore() -> None:
    """Once per session: the language and period the address names (an unknown value is ignored)."""
    if st.session_state.get(RESTORED):
        return
    st.session_state[RESTORED] = True
    params = st.query_params
    if params.get("lang") in LANGUAGES:
        st.session_state["lang"] = params["lang"]
    if params.get("period") in PERIOD_KINDS:
        st.session_state["period_kind"] = params["period"]
    year, month = _number(params.get("year", "")), _number(params.get("month", ""))
    if year is not None:
        st.session_state["year"] = year
    if month is not None and 1 <= month <= 12:
        st.session_state["month"] = month


def keep() -> None:
    """Write the language and the period into the address (only what changed, so nothing reruns)."""
    wanted = {"lang": st.session_state.get("lang", "zh")}
    if "period_kind" in st.session_state:
        wanted["period"] = st.session_state["period_kind"]
        wanted["year"] = str(st.session_state["year"])
        if st.session_state["period_kind"] != "year":
            wanted["month"] = str(st.session_state["month"])
    for key in ("period", "year", "month"):
        if key not in wanted and key in st.query_params and "period_kind" in st.session_state:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def chosen_period(years: list[int], today, min_days: int) -> Period:
    """The period the session has chosen, settled against the years with data: a new session opens on the year to
    date of the last full month when the data reach that year, else on the newest year with data."""
    opening = opening_period(today, min_days)
    running = opening.year in years
    if st.session_state.get("year") not in years:
        st.session_state["year"] = opening.year if running else years[0]
    st.session_state.setdefault("period_kind", "ytd" if running else "year")
    st.session_state.setdefault("month", opening.month if running else 12)
    kind, year, month = st.session_state["period_kind"], st.session_state["year"], st.session_state["month"]
    return Period(year, None if kind == "year" else month, ytd=kind == "ytd")


def _copy(name: str) -> None:
    """on_change: the widget's new value into the plain key."""
    value = st.session_state.get(WIDGETS[name])
    if value is not None:
        st.session_state[name] = value


def period_control(years: list[int], lang: str) -> None:
    """The three period widgets (kind, year, month; month only for a month or a year to date)."""
    for name in WIDGETS:
        st.session_state[WIDGETS[name]] = st.session_state[name]
    st.segmented_control(t("period_kind", lang), PERIOD_KINDS, format_func=lambda k: t(f"period.{k}", lang),
                         key=WIDGETS["period_kind"], on_change=_copy, args=("period_kind",), required=True,
                         width="content")
    st.selectbox(t("year", lang), years, key=WIDGETS["year"], on_change=_copy, args=("year",), width=120)
    if st.session_state["period_kind"] != "year":
        label = t("month" if st.session_state["period_kind"] == "month" else "ytd_through", lang)
        st.selectbox(label, list(range(1, 13)), key=WIDGETS["month"], on_change=_copy, args=("month",), width=120,
                     format_func=lambda m: month_label(m, lang))


def year_control(years: list[int], lang: str) -> None:
    """The year box alone, for a page whose figures are by year."""
    st.session_state[WIDGETS["year"]] = st.session_state["year"]
    st.selectbox(t("year", lang), years, key=WIDGETS["year"], on_change=_copy, args=("year",), width=120)
