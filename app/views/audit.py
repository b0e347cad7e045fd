"""审计 Audit log (admin): who did what and when, newest first, with downloads."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from app.data import app_settings, audit_frame, today
from app.derive import audit_sentence
from app.i18n import t
from app.ui import lang, no_rows, table

LIMITS = [200, 1000, 5000]

language = lang()
st.title(t("page.audit", language))
with st.container(horizontal=True):
    since = st.date_input(t("audit_since", language), value=today() - dt.timedelta(days=30), key="audit_since",
                          width=200)
    limit = st.selectbox(t("audit_limit", language), LIMITS, key="audit_limit", width=160)
entries = audit_frame(app_settings(), dt.datetime.combine(since, dt.time()) if since else None, limit)
if entries.empty:
    no_rows("no_audit")
else:
    details = [audit_sentence(a, d, language) for a, d in zip(entries["action"], entries["detail"])]
    table(entries.assign(detail=details), "audit_log", enums={"action": "action"})     # each entry in words
