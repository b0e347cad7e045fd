"""用户 Users (admin): the accounts, and adding, removing, resetting a password, changing a role."""
from __future__ import annotations

import streamlit as st

from app import auth
from app.data import account_frame, app_settings
from app.i18n import enum_label, t
from app.ui import lang, notice, plain, table, write_guard
from warehouse.users import ROLES, UserError, add_user, remove_user, set_password, set_role

language = lang()
settings = app_settings()
user = auth.current_user()
st.title(t("page.users", language))
if done := st.session_state.pop("users_done", None):
    notice("success", done)

accounts = account_frame(settings)
table(accounts, "users", enums={"role": "role"})


def role_name(role: str) -> str:
    """A role in words."""
    return enum_label("role", role, language)


st.subheader(t("user_add", language))
with st.form("user_add", clear_on_submit=True, width=480):
    name = st.text_input(t("user_name", language), key="new_user_name")
    role = st.selectbox(t("role", language), ROLES, format_func=role_name, key="new_user_role")
    password = st.text_input(t("password", language), type="password", key="new_user_password",
                             autocomplete="new-password")
    again = st.text_input(t("password_again", language), type="password", key="new_user_password_again",
                          autocomplete="new-password")
    if st.form_submit_button(t("user_add", language), type="primary", key="user_add_submit"):
        if password != again:
            st.error(t("passwords_differ", language))
        else:
            with write_guard(UserError):
                added = add_user(settings, name, role, password, user.name)
                st.session_state["users_done"] = t("user_added", language).format(name=added.name)
                st.rerun()

st.subheader(t("user_change", language))
others = [n for n in accounts["name"] if n != user.name]
if not others:
    st.info(t("no_other_users", language))
else:
    chosen = st.selectbox(t("user_pick", language), others, key="user_pick")
    current = accounts.set_index("name").loc[chosen, "role"]
    with st.container(horizontal=True, vertical_alignment="bottom"):
        new_role = st.selectbox(t("role", language), ROLES, index=ROLES.index(current), format_func=role_name,
                                key=f"user_role_{chosen}", width=220)
        if st.button(t("set_role_button", language), key="user_role_submit"):
            with write_guard(UserError):
                set_role(settings, chosen, new_role, user.name)
                st.session_state["users_done"] = t("role_set", language).format(name=chosen, role=role_name(new_role))
                st.rerun()
    with st.form("user_password", clear_on_submit=True, width=480):
        new_password = st.text_input(t("new_password", language), type="password", key="reset_password",
                                     autocomplete="new-password")
        new_again = st.text_input(t("password_again", language), type="password", key="reset_password_again",
                                  autocomplete="new-password")
        if st.form_submit_button(t("reset_password_button", language), key="reset_password_submit"):
            if new_password != new_again:
                st.error(t("passwords_differ", language))
            else:
                with write_guard(UserError):
                    set_password(settings, chosen, new_password, user.name)
                    st.session_state["users_done"] = t("password_reset", language).format(name=chosen)
                    st.rerun()
    if st.session_state.get("remove_pending") != chosen:
        if st.button(t("remove_user_button", language), key="user_remove", icon=":material/person_remove:"):
            st.session_state["remove_pending"] = chosen
            st.rerun()
    else:
        st.warning(plain(t("remove_confirm", language).format(name=chosen)), icon=":material/warning:")
        with st.container(horizontal=True):
            if st.button(t("confirm", language), key="user_remove_confirm", type="primary"):
                st.session_state.pop("remove_pending", None)
                with write_guard(UserError):
                    remove_user(settings, chosen, user.name)
                    st.session_state["users_done"] = t("user_removed", language).format(name=chosen)
                    st.rerun()
            if st.button(t("cancel", language), key="user_remove_cancel"):
                st.session_state.pop("remove_pending", None)
                st.rerun()
