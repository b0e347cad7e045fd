"""刷新 Refresh: load uploaded ERP exports or what is new in the import folder, with progress and a summary; roll back."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app import auth
from app.actions import rolled_back, uploaded_copies
from app.data import app_settings, import_folder_files, snapshot_times
from app.i18n import t
from app.ui import lang, localised, notice, plain, write_guard
from etl import MappingError, UsageError, load_paths
from warehouse.snapshot import NoSnapshot
from warehouse.users import can

language = lang()
settings = app_settings()
user = auth.current_user()
st.title(t("page.refresh", language))
st.caption(t("refresh_intro", language))


def progress_text(step: str) -> str:
    """A load step (etl.load's progress callback) in the user's language."""
    if step.startswith("read "):
        return plain(t("progress_read", language).format(name=step[5:]))
    return t({"merge": "progress_merge", "done": "progress_done"}.get(step, "progress_check"), language)


def refreshed(paths: list[Path]) -> None:
    """Load the files with a progress bar and keep the summary for the page to show."""
    bar = st.progress(0.0, text=t("progress_check", language))

    def tick(step: str, done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=progress_text(step))

    with write_guard(UsageError, MappingError):
        summary = load_paths(paths, settings, progress=tick, actor=user.name, command="refresh")
        st.session_state["refresh_summary"] = summary
        st.session_state["refresh_round"] = st.session_state.get("refresh_round", 0) + 1
        st.rerun()


summary = st.session_state.get("refresh_summary")
if summary is not None:
    rows = sum(f.loaded for f in summary.files)
    quarantined = sum(f.quarantined for f in summary.files)
    line = t("refresh_summary", language).format(loaded=summary.count("loaded"), unchanged=summary.count("unchanged"),
                                                 refused=summary.count("refused"), rows=rows, quarantined=quarantined)
    if summary.run_id is None:
        line += " " + t("refresh_unchanged", language)
    notice("warning" if summary.count("refused") else "success", line)
    files = pd.DataFrame([{"file_name": f.name, "status": f.status, "kind": f.kind, "rows": f.rows,
                           "rows_loaded": f.loaded, "rows_quarantined": f.quarantined,
                           "reason": f.reason_zh if language == "zh" else f.reason_en} for f in summary.files])
    st.dataframe(localised(files, language, {"status": "file_status", "kind": "source_kind"}), hide_index=True,
                 width="stretch")

uploads = st.file_uploader(t("refresh_upload", language),
                           type=["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "htm", "html"], accept_multiple_files=True,
                           key=f"refresh_files_{st.session_state.get('refresh_round', 0)}",
                           max_upload_size=max(1, int(settings.upload_max_mb + 0.999)))
if uploads and st.button(t("refresh_upload_button", language), type="primary", key="refresh_uploaded",
                         icon=":material/sync:"):
    too_big = [f for f in uploads if f.size > settings.upload_max_mb * 1024 * 1024]
    if too_big:
        st.error(t("upload_too_large", language).format(size=too_big[0].size / 1024 / 1024, mb=settings.upload_max_mb))
    else:
        with tempfile.TemporaryDirectory(prefix="quality-refresh-") as folder:
            refreshed(uploaded_copies(uploads, Path(folder)))

st.subheader(t("import_dir", language))
if settings.import_dir is None:
    st.info(t("import_dir_missing", language))
else:
    found = import_folder_files(settings)
    if found is None:
        st.warning(t("import_dir_unreadable", language))
    else:
        st.caption(plain(t("import_dir_info", language).format(folder=settings.import_dir, n=len(found))))
        if st.button(t("refresh_folder_button", language), key="refresh_folder", icon=":material/folder_open:",
                     disabled=not found):
            refreshed([settings.import_dir])

if can(user, "rollback"):
    st.subheader(t("rollback", language))
    st.caption(t("rollback_intro", language).format(kept=settings.snapshots_kept))
    if done := st.session_state.pop("rollback_done", None):
        notice("success", done)
    kept = snapshot_times(settings)
    if not kept:
        st.info(t("no_snapshot", language))
    elif not st.session_state.get("rollback_pending"):
        if st.button(t("rollback_button", language), key="rollback", icon=":material/history:"):
            st.session_state["rollback_pending"] = True
            st.rerun()
    else:
        when = f"{kept[0]:%Y-%m-%d %H:%M:%S}"
        st.warning(t("rollback_confirm", language).format(time=when), icon=":material/warning:")
        with st.container(horizontal=True):
            if st.button(t("confirm", language), key="rollback_confirm", type="primary"):
                st.session_state.pop("rollback_pending", None)
                with write_guard(NoSnapshot):
                    rolled_back(settings, user.name)
                    st.session_state["rollback_done"] = t("rollback_done", language).format(time=when)
                    st.session_state.pop("refresh_summary", None)
                    st.rerun()
            if st.button(t("cancel", language), key="rollback_cancel"):
                st.session_state.pop("rollback_pending", None)
                st.rerun()
