"""登录 Login: the password form, and the company login when single sign-on is configured."""
from __future__ import annotations

import streamlit as st

from app import auth
from app.i18n import t
from app.ui import lang, notice

language = lang()
st.title(t("login_title", language))
shown = auth.login_notice(language)
if shown:
    notice(*shown)
if auth.sso_configured():
    if st.button(t("login_sso", language), key="login_sso", icon=":material/badge:", type="primary"):
        if not auth.start_sso():
            st.warning(t("sso_unavailable", language))
    st.caption(t("login_or", language))
with st.form("login", width=420):
    st.text_input(t("user_name", language), key="login_name", autocomplete="username")
    st.text_input(t("password", language), key="login_password", type="password", autocomplete="current-password")
    st.form_submit_button(t("login_button", language), type="primary", on_click=auth.sign_in, key="login_submit")
if st.session_state.get("first_admin_printed"):
    st.caption(t("first_admin_hint", language))
