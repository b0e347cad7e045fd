"""满意度 Satisfaction: the customer survey per year, per question and per customer segment, the score distribution
and the number of responses, each against the year before. Before the chosen year's survey exists, the latest
survey year is shown, and said so."""
import streamlit as st

from app import charts, ui
from app.data import period_kpis, survey_breakdowns, survey_years, today, yearly_kpis
from app.derive import year_against_prior
from app.i18n import enum_label, t
from warehouse.kpis import Period

CODE = "customer_satisfaction"
BAND = 5

lang = ui.lang()
snapshot = ui.page_start("page.satisfaction")
ui.period_bar(years_only=True)
year = ui.latest_year(tuple(survey_years(snapshot)), "survey")   # a survey is yearly: the latest one so far
if year is None:
    st.stop()
years = tuple(y for y in survey_years(snapshot) if y <= year)
current = period_kpis(snapshot, Period(year), lang, today(), (CODE,))
ui.kpi_row(current, lang, Period(year))

st.subheader(t("satisfaction_by_year", lang))
yearly = yearly_kpis(snapshot, (CODE,), years, lang, today())
yearly = yearly[yearly["denominator"].fillna(0) > 0]
ui.chart(charts.yearly_value_chart(yearly, lang, t("axis_score", lang), t("col.responses", lang), current[0].target))
ui.table(yearly[["year", "value", "denominator", "prior_value", "delta"]].rename(
    columns={"value": "score", "denominator": "responses", "prior_value": "prior_score"}),
    "satisfaction-by-year", units={"score": "score", "responses": "count", "prior_score": "score", "delta": "+score"})

parts = survey_breakdowns(snapshot, year, BAND)
st.subheader(t("satisfaction_by_question", lang))
if parts["question"].empty:
    ui.no_rows()
else:
    ui.chart(charts.grouped_score_chart(parts["question"], lang, "question", t("col.question", lang),
                                        t("axis_question_score", lang), "answers", unit="answer"))
    ui.table(year_against_prior(parts["question"], "question", year, "answers"), "satisfaction-by-question",
             units={"score": "answer", "answers": "count", "prior_score": "answer", "delta": "+answer"})

st.subheader(t("satisfaction_by_segment", lang))
if parts["segment"].empty:
    ui.no_rows()
else:
    segments = parts["segment"].assign(segment_label=lambda f: f["segment"].map(
        lambda s: enum_label("segment", s, lang)))
    ui.chart(charts.grouped_score_chart(segments, lang, "segment", t("col.segment", lang), t("axis_score", lang),
                                        "responses"))
    ui.table(year_against_prior(parts["segment"], "segment", year, "responses"), "satisfaction-by-segment",
             enums={"segment": "segment"},
             units={"score": "score", "responses": "count", "prior_score": "score", "delta": "+score"})

st.subheader(t("score_distribution", lang))
if parts["distribution"].empty:
    ui.no_rows()
else:
    ui.chart(charts.distribution_chart(parts["distribution"], lang, BAND))
