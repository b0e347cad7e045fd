"""市场 Market share: national and provincial share per year with the change against the year before; before the
chosen year's figures exist, the latest year's are shown, and said so."""
import streamlit as st

from app import charts, ui
from app.data import market_years, period_kpis, today, yearly_kpis
from app.derive import kpi_table
from app.i18n import t
from warehouse.kpis import Period
from warehouse.numbers import MARKET_UNIT

CODES = ("market_share_national", "market_share_provincial")

lang = ui.lang()
snapshot = ui.page_start("page.market")
ui.period_bar(years_only=True)
year = ui.latest_year(tuple(market_years(snapshot)), "market")   # market figures are yearly: the latest so far
if year is None:
    st.stop()
years = tuple(y for y in market_years(snapshot) if y <= year)
yearly = yearly_kpis(snapshot, CODES, years, lang, today())
ui.kpi_row(period_kpis(snapshot, Period(year), lang, today(), CODES), lang, Period(year))
st.subheader(t("market_share_by_year", lang))
ui.chart(charts.yearly_lines_chart(yearly, lang, t("axis_share", lang)))
shares = kpi_table(yearly, {"market_share_national": "national", "market_share_provincial": "provincial"})
deltas = kpi_table(yearly, {"market_share_national": "national_delta", "market_share_provincial": "provincial_delta"},
                   "delta")
sales = kpi_table(yearly, {"market_share_national": "national_sales", "market_share_provincial": "provincial_sales"},
                  "numerator")
sizes = kpi_table(yearly, {"market_share_national": "national_market", "market_share_provincial": "provincial_market"},
                  "denominator")
table = shares.merge(deltas, on="year").merge(sales, on="year").merge(sizes, on="year")
ui.table(table[["year", "national", "national_delta", "national_sales", "national_market", "provincial",
                "provincial_delta", "provincial_sales", "provincial_market"]], "market-share",
         units={"national": "%", "provincial": "%", "national_delta": "+%", "provincial_delta": "+%",
                "national_sales": MARKET_UNIT, "national_market": MARKET_UNIT, "provincial_sales": MARKET_UNIT,
                "provincial_market": MARKET_UNIT})
st.caption(t("market_note", lang))
