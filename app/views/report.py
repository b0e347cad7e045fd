"""报告 Report (analyst): the year's narrative chapters (edited here, or imported from an earlier report's DOCX or
Markdown), sign-off, findings, checklist and the DOCX / PDF / Markdown files."""
from __future__ import annotations

import dataclasses
import functools

import pandas as pd
import streamlit as st

from app import auth
from app.actions import acknowledge, import_report, save_chapter, save_signoff
from app.data import (app_settings, report_chapters, report_file, report_import_preview, report_of, report_signoff_of,
                      today, years_with_data)
from app.i18n import enum_label, t
from app.ui import (choice, lang, localised_reason, notice, page_start, plain, uploader_texts, without_paths,
                    write_guard)
from presentation import (CHAPTERS, FORMATS, PLACEHOLDER_HELP, ReportImportError, SavedTextsExist, SignOff,
                          report_file_name)

language = lang()
settings = app_settings()
user = auth.current_user()
snapshot = page_start("page.report")
day = today()
if done := st.session_state.pop("report_done", None):
    notice("success", done)

years = years_with_data(snapshot) or [day.year]
default = day.year - 1 if day.year - 1 in years else years[0]
st.session_state.setdefault("report_year", default)
year = choice(t("report_year", language), years, key="report_year")
report = report_of(snapshot, year, day, settings)
open_flags = [f for f in report.flags if f.open]

# Downloads --------------------------------------------------------------------------------------------------
st.subheader(t("report_downloads", language))
for final in (False, True):
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{t('final' if final else 'draft', language)}**", width=220)
        for fmt in FORMATS:
            st.download_button(t(f"download_fmt.{fmt}", language),
                               functools.partial(report_file, snapshot, year, fmt, final, day),
                               file_name=report_file_name(year, fmt, final), mime=FORMATS[fmt],
                               key=f"report-{'final' if final else 'draft'}-{fmt}", icon=":material/download:",
                               on_click="ignore", disabled=final and bool(open_flags))
if open_flags:
    st.info(t("final_blocked", language).format(n=len(open_flags)), icon=":material/lock:")

# Checklist --------------------------------------------------------------------------------------------------
st.subheader(t("flags", language))
if not open_flags:
    st.success(t("no_flags", language))
for flag in report.flags:
    with st.container(border=True):
        kind = enum_label("flag_kind", flag.kind, language)
        state = t("flag_open", language) if flag.open else t("flag_acknowledged", language).format(
            note=flag.acknowledged, by=flag.acknowledged_by or "—")
        st.markdown(f"**{kind}** · {plain(state)}")
        st.markdown(plain(flag.message if language == "zh" else flag.message_en))
        if flag.excerpt:
            st.caption(plain(flag.excerpt))
        if flag.open and flag.acknowledgeable:
            with st.form(f"ack-{flag.id}", border=False):
                note = st.text_input(t("ack_note", language), key=f"ack-note-{flag.id}")
                if st.form_submit_button(t("acknowledge", language), key=f"ack-{flag.id}"):
                    if not note.strip():
                        st.warning(t("ack_note_needed", language))
                    else:
                        with write_guard(ValueError):
                            acknowledge(settings, year, flag.id, note, user.name)
                            st.session_state["report_done"] = t("ack_saved", language)
                            st.rerun()
        elif flag.open:
            st.caption(t("flag_fix_text", language))

# Findings ---------------------------------------------------------------------------------------------------
with st.expander(t("findings", language)):
    for finding in report.findings:
        st.markdown("- " + plain(finding.sentence))

# Chapters ---------------------------------------------------------------------------------------------------
st.subheader(t("report_texts", language))
texts = {c.chapter: c for c in report_chapters(snapshot, year)}
chapter = st.selectbox(t("chapter", language), [key for key, _ in CHAPTERS], key="report_chapter",
                       format_func=lambda key: texts[key].title)
text = texts[chapter]
source = {"saved": dict(by=text.updated_by or "—", at=text.updated_at), "previous": dict(year=text.source_year),
          "seed": {}}[text.source]
st.caption(plain(t(f"chapter_source.{text.source}", language).format(**source)))
with st.form(f"chapter-{year}-{chapter}", border=False):
    body = st.text_area(t("chapter_body", language), text.body_md, height=360, key=f"chapter-body-{year}-{chapter}")
    if st.form_submit_button(t("save_chapter", language), type="primary", key="save_chapter"):
        with write_guard(KeyError, ValueError):
            save_chapter(settings, year, chapter, body, user.name)
            st.session_state["report_done"] = t("chapter_saved", language).format(title=text.title)
            st.rerun()
with st.expander(t("placeholders", language)):
    st.markdown("\n".join(f"- `{name}` {plain(meaning)}" for name, meaning in PLACEHOLDER_HELP.items()))

# Import an earlier report -----------------------------------------------------------------------------------
st.subheader(t("report_import", language))
st.caption(t("report_import_intro", language))
uploader_texts(language)
st.session_state.setdefault("report_import_round", 0)
upload = st.file_uploader(t("report_import_file", language), type=["docx", "doc", "md", "markdown", "txt"],
                          key=f"report_import_file_{st.session_state['report_import_round']}")
split = None
if upload is not None:
    try:
        split = report_import_preview(upload.name, upload.getvalue())
    except ReportImportError as exc:
        notice("error", without_paths(localised_reason(exc, language)))
if split is not None:
    titles = dict(CHAPTERS)
    target = int(st.number_input(t("report_import_year", language), min_value=2000, max_value=2100, value=year,
                                 step=1, key="report_import_year"))
    st.markdown(plain(t("report_import_found", language).format(n=len(split.chapters))))
    st.table(pd.DataFrame({t("chapter", language): [titles[c.chapter] for c in split.chapters],
                           t("report_import_heading", language): [c.heading for c in split.chapters],
                           t("report_import_blocks", language): [c.blocks for c in split.chapters]}), hide_index=True)
    if split.not_imported:
        parts = ("；" if language == "zh" else "; ").join(
            t("report_import_part", language).format(heading=p.heading if p.heading is not None
                                                     else t("report_import_before_first", language), n=p.blocks)
            for p in split.not_imported)
        notice("warning", t("report_import_not_imported", language).format(parts=parts))
    if split.images:
        st.caption(t("report_import_images", language).format(n=split.images))
    if split.missing:
        st.caption(plain(t("report_import_missing", language).format(chapters="、".join(titles[c] for c in split.missing))))
    saved = {c.chapter for c in report_chapters(snapshot, target) if c.source == "saved"}
    clash = [titles[c.chapter] for c in split.chapters if c.chapter in saved]

    def imported(overwrite: bool) -> None:
        """Store the chapters and start the page again with the uploader emptied."""
        st.session_state.pop("report_import_pending", None)
        with write_guard(SavedTextsExist):
            written = import_report(settings, target, split, user.name, overwrite=overwrite)
            st.session_state["report_done"] = t("report_import_done", language).format(n=len(written), year=target)
            st.session_state["report_import_round"] += 1
            st.rerun()

    if clash and st.session_state.get("report_import_pending") == target:
        st.warning(plain(t("report_import_overwrite", language).format(year=target, chapters="、".join(clash))),
                   icon=":material/warning:")
        with st.container(horizontal=True):
            if st.button(t("confirm", language), key="report_import_confirm", type="primary"):
                imported(overwrite=True)
            if st.button(t("cancel", language), key="report_import_cancel"):
                st.session_state.pop("report_import_pending", None)
                st.session_state["report_done"] = t("report_import_cancelled", language)
                st.rerun()
    elif st.button(t("report_import_button", language), key="report_import", type="primary",
                   icon=":material/upload_file:", disabled=not split.chapters):
        if clash:
            st.session_state["report_import_pending"] = target
            st.rerun()
        imported(overwrite=False)

# Sign-off ---------------------------------------------------------------------------------------------------
st.subheader(t("signoff", language))
signoff = report_signoff_of(snapshot, year)
if signoff.source == "previous":
    st.caption(t("signoff_source.previous", language))
with st.form(f"signoff-{year}"):
    company = st.text_input(t("company", language), signoff.company or "", key=f"signoff-company-{year}")
    values = {"company": company}
    columns = st.columns(3)
    for column, (who, when) in zip(columns, [("compiled_by", "compiled_on"), ("reviewed_by", "reviewed_on"),
                                             ("approved_by", "approved_on")]):
        values[who] = column.text_input(t(who, language), getattr(signoff, who) or "", key=f"signoff-{who}-{year}")
        values[when] = column.date_input(t(when, language), getattr(signoff, when), key=f"signoff-{when}-{year}")
    columns = st.columns(3)
    values["report_date"] = columns[0].date_input(t("report_date", language), signoff.report_date,
                                                  key=f"signoff-report_date-{year}")
    values["holder"] = columns[1].text_input(t("holder", language), signoff.holder or "", key=f"signoff-holder-{year}")
    values["copy_no"] = columns[2].text_input(t("copy_no", language), signoff.copy_no or "", key=f"signoff-copy_no-{year}")
    if st.form_submit_button(t("save_signoff", language), type="primary", key="save_signoff"):
        cleaned = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}
        with write_guard(ValueError):
            save_signoff(settings, dataclasses.replace(SignOff(year), **cleaned), user.name)
            st.session_state["report_done"] = t("signoff_saved", language)
            st.rerun()
