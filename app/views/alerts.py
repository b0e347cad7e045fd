"""预警 Alerts: the active alerts, their history, and (admins) the rules of the alerts file in words, its targets
with secrets masked and where to change it. The alerts are read from the accounts file, not the warehouse."""
from __future__ import annotations

import streamlit as st

from app import auth
from app.data import alert_frames, app_settings
from app.i18n import t
from app.ui import lang, localised_reason, no_rows, notice, plain, table, without_paths
from etl import target_shown
from presentation import alert_rules_in_words
from warehouse.alerts import AlertConfig, AlertConfigError, read_alert_config
from warehouse.users import can

language = lang()
settings = app_settings()
user = auth.current_user()
st.title(t("page.alerts", language))
try:
    config = read_alert_config(settings.alerts_file)
except AlertConfigError as exc:
    config = None
    notice("warning", t("alerts_unreadable", language).format(error=without_paths(localised_reason(exc, language))))
if settings.alerts_file is None:
    st.info(t("alerts_no_file", language))
st.caption(t("alerts_intro", language).format(hours=f"{(config or AlertConfig(None)).repeat_hours:g}"))

frames = alert_frames(settings, language)
st.subheader(t("alerts_active", language))
if frames["active"].empty:
    no_rows("alerts_none_active")
else:
    table(frames["active"], "alerts-active")

st.subheader(t("alerts_history", language))
if frames["history"].empty:
    no_rows("alerts_no_history")
else:
    table(frames["history"], "alerts-history", enums={"state": "alert_state"})

if can(user, auth.ALERT_RULES_ACTION) and config is not None and config.path is not None:
    st.subheader(t("alerts_rules", language))
    st.caption(plain(t("alerts_rules_where", language).format(file=config.path.name)))
    st.markdown("\n".join(f"- {plain(line)}" for line in alert_rules_in_words(config, language)))
    st.markdown(f"**{t('alerts_rules_targets', language)}**")
    if config.targets:
        st.markdown("\n".join(f"- `{target_shown(target)}` ({target.where})" for target in config.targets))
    else:
        st.info(t("alerts_rules_no_targets", language))
    with st.expander(t("alerts_rules_file", language)):
        text = config.text
        for target in config.targets:
            text = text.replace(target.url, target_shown(target))
        st.code(text, language="toml")
