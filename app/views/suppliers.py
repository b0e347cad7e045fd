"""供应商 Suppliers: grade mix per year (the report's Table 7), satisfaction, each supplier's incoming quality with
its trend, audits due for its risk class, a suggested grade beside the assigned one, and a chosen supplier's p-chart
with the run rules it breaks."""
import streamlit as st

from app import charts, ui
from warehouse import rules
from app.data import (control_chart, supplier_incoming, supplier_last_audits, supplier_register, supplier_years, today,
                      yearly_kpis)
from app.derive import audit_status, grade_counts, kpi_table, supplier_scorecard
from app.i18n import t

TABLE7 = {"suppliers_grade_a": "A", "suppliers_grade_b": "B", "suppliers_grade_c": "C", "suppliers_total": "total",
          "suppliers_grade_a_share": "a_share", "supplier_satisfaction": "satisfaction"}

lang = ui.lang()
snapshot = ui.page_start("page.suppliers")
year = ui.period_bar(years_only=True).year
st.caption(t("year_caption", lang).format(year=year))

st.subheader(t("grade_mix", lang))
years = tuple(y for y in supplier_years(snapshot) if y <= year)
if not years:
    ui.no_rows()
else:
    yearly = yearly_kpis(snapshot, tuple(TABLE7), years, lang, today())
    table7 = kpi_table(yearly, TABLE7)
    ui.chart(charts.grade_mix_chart(grade_counts(table7), lang))
    ui.table(table7, "supplier-grades", units={"A": "count", "B": "count", "C": "count", "total": "count",
                                               "a_share": "%", "satisfaction": "score"})
    st.caption(t("a_share_note", lang))

st.subheader(t("supplier_scorecard", lang))
register = supplier_register(snapshot, year)
if register.empty:
    ui.no_rows()
else:
    incoming = supplier_incoming(snapshot, year)
    audits = audit_status(supplier_last_audits(snapshot, today()), today())
    card = supplier_scorecard(register, incoming, audits, year)
    ui.table(card, f"suppliers-{year}", enums={"grade_check": "grade_check", "audit_status": "audit_status"},
             units={"lots": "count", "pass_rate": "%", "prior_pass_rate": "%", "delta": "+%", "ppm": "ppm",
                    "prior_ppm": "ppm", "satisfaction": "score"})
    (a_rate, a_ppm), (b_rate, b_ppm) = [(r, p) for _, r, p in rules.GRADE_THRESHOLDS[:2]]
    st.caption(t("suggested_grade_rule", lang).format(a_rate=a_rate, a_ppm=a_ppm, b_rate=b_rate, b_ppm=b_ppm,
                                                      min_lots=rules.GRADE_MIN_LOTS))

    st.subheader(t("supplier_trend", lang))
    trend = incoming.merge(register[["supplier", "name"]], on="supplier", how="left")
    if trend.empty:
        ui.no_rows()
    else:
        names = dict(zip(trend["supplier"], trend["name"].fillna("")))
        options = sorted(names)
        if st.session_state.get("supplier_trend_shown") not in options:
            st.session_state["supplier_trend_shown"] = charts.worst_supplier(trend, "pass_rate") or options[0]
        shown = st.selectbox(t("supplier_shown", lang), options, key="supplier_trend_shown", width=320,
                             format_func=lambda s: f"{s} {names[s]}".strip())
        left, right = st.columns(2)
        with left:
            ui.chart(charts.supplier_trend_chart(trend, lang, "pass_rate", shown))
        with right:
            ui.chart(charts.supplier_trend_chart(trend, lang, "ppm", shown))

    st.subheader(t("spc_supplier_chart", lang))
    names = dict(zip(register["supplier"], register["name"]))
    this_year = incoming[incoming["year"] == year].sort_values(["lots", "supplier"], ascending=[False, True])
    if this_year.empty:
        ui.no_rows()
    else:
        chosen = ui.choice(t("spc_supplier", lang), list(this_year["supplier"]), f"spc_supplier_{year}",
                           lambda code: f"{code} {names.get(code) or ''}".strip())
        baseline = ui.spc_baseline(year, f"spc_supplier_baseline_{year}", lang)
        st.caption(t("spc_note", lang))
        ui.control_chart(control_chart(snapshot, "IQC", "p", chosen, (year, 1), (year, 12), baseline, today()), lang)

    st.subheader(t("supplier_audits", lang))
    ui.table(audits, "supplier-audits", enums={"audit_kind": "audit_kind", "audit_status": "audit_status"})
    st.caption(t("audit_rule", lang).format(a=rules.AUDIT_RULES["A"][1], b=rules.AUDIT_RULES["B"][1],
                                            c=rules.AUDIT_RULES["C"][1], soon=rules.AUDIT_DUE_SOON_DAYS))
