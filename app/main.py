"""Entry file: owns logins, navigation (by role), the language switch and the period filter; pages only draw."""
from __future__ import annotations

import os

import streamlit as st

import expectations
from app import auth
from app.data import app_settings, current_snapshot, today, warehouse_state, years_with_data
from app.i18n import enum_label, t
from app.layout import apply_layout_css, land_on_phone, landing_page
from app.state import chosen_period, keep as state_keep, restore as state_restore
from app.ui import demo_badge, plain

# (url path, icon): every role sees the dashboard; the tools need the action auth.PAGE_ACTIONS names.
PAGES = [("overview", ":material/dashboard:"), ("inspections", ":material/fact_check:"),
         ("complaints", ":material/support_agent:"), ("suppliers", ":material/local_shipping:"),
         ("market", ":material/pie_chart:"), ("satisfaction", ":material/sentiment_satisfied:"),
         ("improvement", ":material/build:"), ("quality_cost", ":material/payments:"),
         ("data_quality", ":material/rule:"),
         ("phone", ":material/smartphone:"), ("meeting", ":material/co_present:"),
         ("alerts", ":material/notifications:")]
TOOLS = [("upload", ":material/upload_file:"), ("refresh", ":material/sync:"), ("report", ":material/description:"),
         ("users", ":material/group:"), ("audit", ":material/history:")]


@st.cache_resource(show_spinner=False)
def validation_warm_up():
    """Great Expectations (its import takes about 2 s) imported once per server process, on its own background
    thread, so that no page imports it on a request: a validation (survey preview, refresh) waits for that thread.
    QUALITY_WARM_UP=0 leaves it to the first validation."""
    return expectations.warm_up()


st.set_page_config(page_title=t("app_title", "zh"), page_icon="🔬", layout="wide")
if os.environ.get("QUALITY_WARM_UP", "1") != "0":
    validation_warm_up()
apply_layout_css()
landing = landing_page()      # the phone view on a phone, else the overview: the page / opens
state_restore()               # language and period from the address, once per session

lang = st.sidebar.radio(t("language", "zh"), ["zh", "en"], format_func=lambda x: "中文" if x == "zh" else "English",
                        horizontal=True, key="lang")
settings = app_settings()
st.session_state["first_admin_printed"] = auth.first_admin_printed(str(settings.accounts_path), settings)
user = auth.signed_in_user(settings)
auth.write_cookie()

if user is None:
    # Nobody sees a figure before logging in. Every page's address shows the login form, so a bookmarked page
    # opens after the login; pages the role may not see are then simply not there.
    # The address / is a page of its own (a default page's address is always /), so /overview stays /overview.
    st.session_state.pop("user", None)
    state_keep()
    login = [st.Page("views/login.py", title=t("page.login", lang), icon=":material/login:", url_path=name,
                     default=name == "login") for name, _ in [("login", "")] + PAGES + TOOLS]
    st.navigation(login, position="hidden").run()
    st.stop()

st.session_state["user"] = user
snapshot = current_snapshot()
state = warehouse_state(snapshot)
st.session_state["snapshot"] = snapshot
st.session_state["warehouse_state"] = state

if state[0] == "ready":
    years = years_with_data(snapshot) or [today().year]
    st.session_state["years"] = years
    st.session_state["period"] = chosen_period(years, today(), app_settings().full_month_min_days)
    if state[1]:
        st.sidebar.markdown(demo_badge(lang))
state_keep()

with st.sidebar.container(horizontal=True, vertical_alignment="center"):
    role = enum_label("role", user.role, lang)
    via = f" · {t('signed_in_sso', lang)}" if st.session_state.get("auth_via_sso") else ""
    st.caption(t("signed_in_as", lang).format(name=plain(user.name), role=role) + via, width="content")
    if st.session_state.get("auth_via_sso"):
        if st.button(t("logout", lang), key="logout", icon=":material/logout:", type="tertiary"):
            auth.end_sso()
    else:
        st.button(t("logout", lang), key="logout", icon=":material/logout:", type="tertiary", on_click=auth.sign_out)


def _page(name: str, icon: str) -> st.Page:
    return st.Page(f"views/{name}.py", title=t(f"page.{name}", lang), icon=icon, url_path=name)


# The address / opens the landing page; it is a hidden page of its own, so that every page keeps its address
# (a default page's address is always /, and its own would be "not found").
home = st.Page(f"views/{landing}.py", title=t(f"page.{landing}", lang), url_path="home", default=True,
               visibility="hidden")
sections = {t("nav.dashboard", lang): [_page(n, i) for n, i in PAGES if auth.allowed(user, n)],
            t("nav.tools", lang): [_page(n, i) for n, i in TOOLS if auth.allowed(user, n)]}
page = st.navigation({label: pages for label, pages in sections.items() if pages} | {"": [home]}, expanded=True)
land_on_phone(page)           # a narrow window its user agent did not give away: to the phone view, once
page.run()
