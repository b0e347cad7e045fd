"""上传 Survey upload: template, file, checked preview, confirm (with what it inserted, updated and left unchanged),
the column mapper for a survey whose headers are not known, and the list of batches with undo."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app import auth
from app.data import app_settings, current_snapshot, upload_batch_frame, upload_preview
from app.i18n import TEXTS, enum_label, t
from app.mapper import mapper_section, saved_notice, upload_file
from app.ui import file_outcomes, lang, localised, notice, plain, uploader_texts, write_guard
from etl import (PREVIEW_ROWS, UploadError, commit_upload, survey_template_csv, survey_template_xlsx,
                        undo_upload)

BATCHES_SHOWN = 20
UPLOAD_TYPES = ["csv", "txt", "xlsx", "xls", "htm", "html"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

language = lang()
settings = app_settings()
user = auth.current_user()
st.title(t("page.upload", language))
st.caption(t("upload_intro", language))

with st.container(horizontal=True, vertical_alignment="center"):
    st.markdown(f"**{t('template', language)}**", width="content")
    st.download_button(t("template_csv", language), survey_template_csv(), file_name="顾客满意度调查_模板.csv",
                       mime="text/csv", key="template-csv", icon=":material/download:", on_click="ignore")
    st.download_button(t("template_xlsx", language), survey_template_xlsx(), file_name="顾客满意度调查_模板.xlsx",
                       mime=XLSX, key="template-xlsx", icon=":material/download:", on_click="ignore")

if done := st.session_state.pop("upload_done", None):
    notice(*done)
    if outcome := st.session_state.pop("upload_done_outcome", None):
        st.markdown(f"**{t('upload_counts', language)}**")
        file_outcomes([outcome], language)
saved_notice("upload", language, "mapper_upload_again")

st.session_state.setdefault("upload_round", 0)
uploader_texts(language)
uploaded = st.file_uploader(t("upload_file", language), type=UPLOAD_TYPES,
                            key=f"survey_file_{st.session_state['upload_round']}",
                            help=t("upload_limit", language).format(mb=settings.upload_max_mb),
                            max_upload_size=max(1, math.ceil(settings.upload_max_mb)))


def field_label(column: str) -> str:
    """A canonical column in words (question columns by their header)."""
    if column.startswith("q:"):
        return t("question_field", language).format(question=column[2:])
    return t(f"col.{column}", language) if f"col.{column}" in TEXTS else column


if uploaded is not None:
    data = uploaded.getvalue()
    limit = settings.upload_max_mb * 1024 * 1024
    st.subheader(t("preview", language))
    st.markdown(f"{t('upload_file_name', language)} {plain(uploaded.name)}")
    if len(data) > limit:
        st.error(t("upload_too_large", language).format(size=len(data) / 1024 / 1024, mb=settings.upload_max_mb))
    else:
        with st.spinner(t("progress_check", language)):
            preview = upload_preview(uploaded.name, data, current_snapshot())
        if preview.format:
            encoding = enum_label("encoding", preview.encoding, language) if preview.encoding else "—"
            st.caption(plain(t("upload_detected", language).format(
                format=enum_label("format", preview.format, language), encoding=encoding, rows=preview.rows,
                kind=enum_label("source_kind", preview.kind, language))))
        message = preview.message_zh if language == "zh" else preview.message_en
        notice({"ok": "success", "duplicate": "warning", "refused": "error"}[preview.status], message)
        if preview.columns:
            st.markdown(f"**{t('mapped_columns', language)}**")
            mapped = pd.DataFrame([{"header": h, "field": c, "field_label": field_label(c)}
                                   for h, c in preview.columns.items()])
            st.table(localised(mapped, language), hide_index=True)
            if preview.ignored_headers:
                st.caption(f"{t('ignored_headers', language)}: " + plain("、".join(preview.ignored_headers)))
        cells = [p for p in preview.problems if p.row is not None]
        if cells:
            st.markdown(f"**{t('upload_problems', language)}**")
            problems = pd.DataFrame([{"row": p.row, "column": p.column, "value": p.value,
                                      "reason": p.reason_zh if language == "zh" else p.reason_en} for p in cells])
            st.dataframe(localised(problems, language), hide_index=True, width="stretch")
        if preview.first_rows is not None and preview.first_rows.height:
            st.markdown(f"**{t('first_rows', language).format(n=min(PREVIEW_ROWS, preview.first_rows.height))}**")
            first = preview.first_rows.to_pandas().rename(columns={"__row": t("col.source_row", language)})
            st.dataframe(first, hide_index=True, width="stretch")
        if preview.status == "refused" and (mappable := upload_file(uploaded.name, data, settings)) is not None:
            mapper_section({mappable.name: mappable}, settings, user, language, "upload", kinds=["survey_response"])
        if preview.status == "ok" and st.button(t("upload_commit", language), type="primary", key="upload_commit",
                                                icon=":material/cloud_upload:"):
            with write_guard(UploadError):
                result = commit_upload(preview, settings, user.name)
                kind = {"loaded": "success", "duplicate": "warning"}.get(result.status, "error")
                st.session_state["upload_done"] = (kind, result.message_zh if language == "zh" else result.message_en)
                if result.status == "loaded":
                    st.session_state["upload_done_outcome"] = preview.prepared.outcome
                st.session_state["upload_round"] += 1
                st.session_state.pop("_upload_preview", None)
                st.rerun()

st.subheader(t("upload_batches", language))
snapshot = current_snapshot()
state = st.session_state.get("warehouse_state", ("missing",))[0]
batches = upload_batch_frame(snapshot) if snapshot is not None and state in ("ready", "empty") else pd.DataFrame()
if batches.empty:
    st.info(t("no_batches", language))
pending = st.session_state.get("undo_pending")
for batch in batches.head(BATCHES_SHOWN).itertuples(index=False):
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        with st.container():
            st.text(batch.file_name)
            line = t("batch_line", language).format(batch=batch.id, at=batch.uploaded_at, by=batch.uploaded_by or "—",
                                                    rows=batch.rows or 0)
            if not pd.isna(batch.undone_at):
                line += " · " + t("batch_undone", language).format(at=batch.undone_at, by=batch.undone_by or "—")
            st.caption(plain(line))
        if pd.isna(batch.undone_at) and pending != batch.id:
            if st.button(t("undo", language), key=f"undo-{batch.id}", icon=":material/undo:", width="content"):
                st.session_state["undo_pending"] = batch.id
                st.rerun()
    if pending == batch.id and pd.isna(batch.undone_at):
        st.warning(plain(t("undo_confirm", language).format(batch=batch.id, rows=batch.rows or 0)),
                   icon=":material/warning:")
        with st.container(horizontal=True):
            if st.button(t("confirm", language), key="undo_confirm", type="primary"):
                st.session_state.pop("undo_pending", None)
                with write_guard(UploadError):
                    removed = undo_upload(batch.id, settings, user.name)
                    st.session_state["upload_done"] = ("success", t("undone", language).format(batch=batch.id, n=removed))
                    st.rerun()
            if st.button(t("cancel", language), key="undo_cancel"):
                st.session_state.pop("undo_pending", None)
                st.rerun()
