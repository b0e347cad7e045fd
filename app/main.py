"""Entry file: owns navigation, the language switch and the period filter; pages only draw."""
from __future__ import annotations

import streamlit as st

from app.data import current_snapshot, today, warehouse_state, years_with_data
from app.i18n import month_label, t
from app.ui import demo_badge
from warehouse.kpis import Period

PAGES = [("overview", ":material/dashboard:"), ("inspections", ":material/fact_check:"),
         ("complaints", ":material/support_agent:"), ("suppliers", ":material/local_shipping:"),
         ("market", ":material/pie_chart:"), ("satisfaction", ":material/sentiment_satisfied:"),
         ("improvement", ":material/build:"), ("data_quality", ":material/rule:")]
PERIOD_KINDS = ["year", "month", "ytd"]

st.set_page_config(page_title=t("app_title", "zh"), page_icon="🔬", layout="wide")

lang = st.sidebar.radio(t("language", "zh"), ["zh", "en"], format_func=lambda x: "中文" if x == "zh" else "English",
                        horizontal=True, key="lang")
snapshot = current_snapshot()
state = warehouse_state(snapshot)
st.session_state["snapshot"] = snapshot
st.session_state["warehouse_state"] = state

if state[0] == "ready":
    years = years_with_data(snapshot) or [today().year]
    newest_is_current = years[0] == today().year
    if st.session_state.get("year") not in years:
        st.session_state["year"] = years[0]
    st.session_state.setdefault("period_kind", "ytd" if newest_is_current else "year")
    st.session_state.setdefault("month", today().month if newest_is_current else 12)
    kind = st.sidebar.radio(t("period_kind", lang), PERIOD_KINDS, format_func=lambda k: t(f"period.{k}", lang),
                            horizontal=True, key="period_kind")
    year = st.sidebar.selectbox(t("year", lang), years, key="year")
    month = None
    if kind != "year":
        label = t("month" if kind == "month" else "ytd_through", lang)
        month = st.sidebar.selectbox(label, list(range(1, 13)), key="month", format_func=lambda m: month_label(m, lang))
    st.session_state["period"] = Period(year, month, ytd=kind == "ytd")
    if state[1]:
        st.sidebar.markdown(demo_badge(lang))

page = st.navigation([st.Page(f"views/{name}.py", title=t(f"page.{name}", lang), icon=icon, url_path=name,
                              default=name == "overview") for name, icon in PAGES])
page.run()
