"""刷新 Refresh: load uploaded ERP exports or what is new in the import folder, with progress and a summary per file;
complete exports (a dry run first, deletions confirmed); map the columns of files that are not recognised; roll
back."""
from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import streamlit as st

from app import auth
from app.actions import KeptFile, load_alerts, rolled_back, uploaded_copies
from app.data import app_settings, import_folder_files, snapshot_times
from app.i18n import enum_label, t
from app.mapper import mapper_section, refused_files
from app.ui import (file_outcomes, lang, localised_reason, notice, plain, uploader_texts, without_paths,
                    write_guard)
from etl import MappingError, UsageError, load_paths
from warehouse.snapshot import NoSnapshot
from warehouse.users import can

UPLOAD_TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "htm", "html"]

language = lang()
settings = app_settings()
user = auth.current_user()
st.title(t("page.refresh", language))
st.caption(t("refresh_intro", language))
uploader_texts(language)


def progress_text(step: str) -> str:
    """A load step (etl.load's progress callback) in the user's language."""
    if step.startswith("read "):
        return plain(t("progress_read", language).format(name=step[5:]))
    return t({"merge": "progress_merge", "done": "progress_done"}.get(step, "progress_check"), language)


def loaded(request: tuple[str, list], replace: bool, dry_run: bool = False):
    """Run a load of the request (("upload", [KeptFile, …]) or ("paths", [Path, …])) with a progress bar: the
    summary, and (after a real load) the refused files a mapping could make load."""
    bar = st.progress(0.0, text=t("progress_check", language))

    def tick(step: str, done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=progress_text(step))

    source, items = request
    with contextlib.ExitStack() as stack:
        if source == "upload":
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="quality-refresh-"))
            paths = uploaded_copies(items, Path(folder))
        else:
            paths = list(items)
        summary = load_paths(paths, settings, progress=tick, actor=user.name, command="refresh", replace=replace,
                             dry_run=dry_run)
        mappable = {} if dry_run else refused_files(summary.files, settings, keep_bytes=source == "upload")
    return summary, mappable


def finish(request: tuple[str, list], replace: bool) -> None:
    """Load for real and keep the summary for the page to show."""
    with write_guard(UsageError, MappingError):
        summary, mappable = loaded(request, replace)
        st.session_state["refresh_summary"] = summary
        st.session_state["refresh_folder_shown"] = settings.import_dir if request[0] == "paths" else None
        st.session_state["refresh_mappable"] = mappable
        st.session_state["refresh_alerts"] = load_alerts(settings, summary)
        st.session_state.pop("_mapper_saved_refresh", None)
        st.session_state.pop("_mapper_open_refresh", None)
        st.session_state["refresh_round"] = st.session_state.get("refresh_round", 0) + 1
        st.rerun()


def refreshed(request: tuple[str, list]) -> None:
    """Load the request; complete exports first in a dry run, and when that would delete rows, ask first."""
    replace = bool(st.session_state.get("refresh_replace"))
    if replace:
        dry = None
        with write_guard(UsageError, MappingError):
            dry, _ = loaded(request, replace=True, dry_run=True)
        if dry is None:
            return                    # the dry run failed: its message is shown, nothing is loaded
        if deleted := dry.deleted_by_kind():
            st.session_state["refresh_pending"] = (request, deleted)
            st.rerun()
    finish(request, replace)


summary = st.session_state.get("refresh_summary")
if summary is not None:
    rows = sum(f.loaded for f in summary.files)
    quarantined = sum(f.quarantined for f in summary.files)
    line = t("refresh_summary", language).format(loaded=summary.count("loaded"), unchanged=summary.count("unchanged"),
                                                 refused=summary.count("refused"), rows=rows, quarantined=quarantined)
    if summary.run_id is None:
        line += " " + t("refresh_unchanged", language)
    else:
        line += " " + t("refresh_counts", language).format(
            **{n: sum(getattr(f, n) for f in summary.files) for n in ("inserted", "updated", "same", "deleted")})
    notice("warning" if summary.count("refused") else "success", line)
    file_outcomes(summary.files, language, summary.skipped, st.session_state.get("refresh_folder_shown"))
    if isinstance(alerted := st.session_state.get("refresh_alerts"), Exception):
        notice("warning", t("alerts_unreadable", language).format(
            error=without_paths(localised_reason(alerted, language))))
    elif alerted is not None:
        st.caption(t("refresh_alerts", language).format(opened=alerted.opened, cleared=alerted.cleared,
                                                        sent=len(alerted.sent), failed=len(alerted.failed)))
    again = mapper_section(st.session_state.get("refresh_mappable", {}), settings, user, language, "refresh")
    if again is not None:
        refreshed(("upload", [KeptFile(again.name, again.data)]) if again.data is not None else ("paths", [again.path]))

if done := st.session_state.pop("refresh_notice", None):
    notice("info", done)
st.checkbox(t("refresh_replace", language), key="refresh_replace", help=t("refresh_replace_help", language))
if pending := st.session_state.get("refresh_pending"):
    request, deleted = pending
    what = ("、" if language == "zh" else ", ").join(
        t("refresh_deleted_item", language).format(kind=enum_label("source_kind", kind, language), n=n)
        for kind, n in deleted.items())
    st.warning(plain(t("refresh_replace_confirm", language).format(what=what)), icon=":material/warning:")
    with st.container(horizontal=True):
        if st.button(t("confirm", language), key="refresh_replace_confirm", type="primary"):
            st.session_state.pop("refresh_pending", None)
            finish(request, replace=True)
        if st.button(t("cancel", language), key="refresh_replace_cancel"):
            st.session_state.pop("refresh_pending", None)
            st.session_state["refresh_notice"] = t("refresh_replace_cancelled", language)
            st.rerun()

uploads = st.file_uploader(t("refresh_upload", language), type=UPLOAD_TYPES, accept_multiple_files=True,
                           key=f"refresh_files_{st.session_state.get('refresh_round', 0)}",
                           max_upload_size=max(1, int(settings.upload_max_mb + 0.999)))
if uploads and st.button(t("refresh_upload_button", language), type="primary", key="refresh_uploaded",
                         icon=":material/sync:"):
    too_big = [f for f in uploads if f.size > settings.upload_max_mb * 1024 * 1024]
    if too_big:
        st.error(t("upload_too_large", language).format(size=too_big[0].size / 1024 / 1024, mb=settings.upload_max_mb))
    else:
        refreshed(("upload", [KeptFile(f.name, f.getvalue()) for f in uploads]))

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
            refreshed(("paths", [settings.import_dir]))

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
                    st.session_state.pop("refresh_mappable", None)
                    st.rerun()
            if st.button(t("cancel", language), key="rollback_cancel"):
                st.session_state.pop("rollback_pending", None)
                st.rerun()
