"""The column mapper of the 刷新 refresh and 上传 upload pages: for a file refused because its kind is unknown or it
lacks required columns, an analyst says what kind it is, which field each header holds and a fixed value for each
required field it lacks, and saves that as a [[file]] entry of the site mapping file (etl.mapping_file; the write
and its audit entry in app.actions). The next load of a file whose name fits the entry's pattern reads it so.

Only users allowed to load (analysts, admins) see it. Widget keys: mapper_kind, mapper_col_<kind>_<n> (the n-th
header of the file), mapper_const_<kind>_<column>, mapper_pattern, mapper_save, mapper_close; per file in the list
of refused files mapper_open_<slug> and mapper_load_<slug> (slug = file_slug(name)).
"""
from __future__ import annotations

import contextlib
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app.actions import save_file_mapping
from app.data import mapping_stamp
from app.i18n import TEXTS, enum_label, t
from app.ui import notice, plain, without_paths
from etl import (MAPPER_PREVIEW_ROWS, MappingError, Problem, SiteMapping, UnknownFile, broad_pattern, entry_parts,
                 entry_problems, file_rule, preset_columns, read_site_mapping, trial_load, unknown_file, wildcard_pattern)
from warehouse.sources import KINDS
from warehouse.settings import Settings
from warehouse.users import User, can

NOT_LOADED = ""                 # the select's choice for a header that is not loaded
PAGE_ACTION = {"refresh": "refresh", "upload": "upload"}


@dataclass
class MapperFile:
    """A refused file the mapper can work on: what it holds, and its bytes (an upload) or its path (a folder's)."""

    unknown: UnknownFile
    data: bytes | None = None
    path: Path | None = None

    @property
    def name(self) -> str:
        """The file's name as its user knows it."""
        return self.unknown.name

    @contextlib.contextmanager
    def local_path(self):
        """A path to read the file from (a private temporary copy of an upload's bytes)."""
        if self.data is None:
            yield self.path
            return
        with tempfile.TemporaryDirectory(prefix="quality-mapper-") as folder:
            path = Path(folder) / "file"
            path.write_bytes(self.data)
            yield path


def file_slug(name: str) -> str:
    """A short key part for a file's name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def _site_mapping(settings: Settings) -> SiteMapping | None:
    """The site mapping the loads use now (an empty one when a configured file does not exist yet); None when it
    cannot be read."""
    path = settings.mapping_file
    try:
        return read_site_mapping(path if path is not None and path.exists() else None)
    except Exception:  # MappingError, or a TOML of an unexpected shape
        return None


def refused_files(outcomes, settings: Settings, keep_bytes: bool) -> dict[str, MapperFile]:
    """Of a load's file outcomes, the refused files that a mapping could make load (their kind is unknown or they
    lack required columns), by name. keep_bytes: keep the bytes (the file is a temporary copy of an upload)."""
    mapping = _site_mapping(settings)
    found: dict[str, MapperFile] = {}
    if mapping is None:
        return found
    for outcome in outcomes:
        if outcome.status != "refused":
            continue
        try:
            unknown = unknown_file(outcome.path, mapping, outcome.name)
            if unknown is not None:
                found[outcome.name] = MapperFile(unknown, outcome.path.read_bytes() if keep_bytes else None,
                                                 None if keep_bytes else outcome.path)
        except Exception:  # a file that cannot be read again is simply not offered
            continue
    return found


def upload_file(name: str, data: bytes, settings: Settings) -> MapperFile | None:
    """An uploaded file the mapper can work on (None when a mapping cannot help it), once per content, name and
    site mapping in this session."""
    key = (hashlib.sha256(data).hexdigest(), name, mapping_stamp(settings))
    held = st.session_state.get("_mapper_upload")
    if held is None or held[0] != key:
        mapping = _site_mapping(settings)
        found = None
        if mapping is not None:
            with tempfile.TemporaryDirectory(prefix="quality-mapper-") as folder:
                path = Path(folder) / "file"
                path.write_bytes(data)
                with contextlib.suppress(Exception):
                    unknown = unknown_file(path, mapping, name)
                    found = MapperFile(unknown, data) if unknown is not None else None
        held = (key, found)
        st.session_state["_mapper_upload"] = held
    return held[1]


# Words --------------------------------------------------------------------------------------------------


def field_label(kind: str, column: str, language: str) -> str:
    """A canonical column in the user's language with its name, * for a required one: 送检数量（lot_qty）*."""
    col = KINDS[kind].column(column)
    mark = " *" if col.required else ""
    if language == "zh":
        return f"{col.label_zh or column}（{column}）{mark}"
    words = (t(f"col.{column}", "en") if f"col.{column}" in TEXTS
             else next((h for h in col.headers if h.isascii() and h != column), column.replace("_", " ")).capitalize())
    return f"{words} ({column}){mark}"


def problem_text(problem: Problem, kind: str, language: str) -> str:
    """A check's finding in the user's language."""
    values = dict(problem.values)
    if values.get("column"):
        values["column"] = field_label(kind, values["column"], language).removesuffix(" *")
    if "others" in values:
        values["others"] = ("、" if language == "zh" else ", ").join(values["others"])
    return t(problem.code, language).format(**values)


# The mapper ---------------------------------------------------------------------------------------------


def _open(page: str, name: str) -> None:
    """Open the mapper for a file, its widgets fresh."""
    for key in [k for k in st.session_state if str(k).startswith("mapper_")]:
        del st.session_state[key]
    st.session_state[f"_mapper_open_{page}"] = name
    st.session_state.pop(f"_mapper_saved_{page}", None)


def _close(page: str) -> None:
    st.session_state.pop(f"_mapper_open_{page}", None)


def _tried() -> None:
    st.session_state["mapper_tried"] = True


def mapper_section(files: dict[str, MapperFile], settings: Settings, user: User | None, language: str, page: str,
                   kinds: list[str] | None = None) -> MapperFile | None:
    """The refused files a mapping could make load, each with a button that opens its mapper (one at a time), and
    after a save a button that loads it. Returns the file whose load button was pressed in this run."""
    if not files or not can(user, PAGE_ACTION[page]):
        return None
    st.subheader(t("mapper_refused_files", language))
    st.caption(t("mapper_intro", language))
    open_name = st.session_state.get(f"_mapper_open_{page}")
    saved = st.session_state.get(f"_mapper_saved_{page}")
    load = None
    for name, file in files.items():
        slug = file_slug(name)
        with st.container(border=True):
            with st.container(horizontal=True, vertical_alignment="center"):
                st.markdown(f"**{plain(name)}**", width="content")
                if saved and saved["name"] == name:
                    if st.button(t("mapper_load_now", language), key=f"mapper_load_{slug}", type="primary",
                                 icon=":material/sync:"):
                        load = file
                elif open_name != name:
                    st.button(t("mapper_open", language), key=f"mapper_open_{slug}", icon=":material/edit:",
                              on_click=_open, args=(page, name))
            st.caption(plain(file.unknown.reason_zh if language == "zh" else file.unknown.reason_en))
            if saved and saved["name"] == name:
                notice("success", t("mapper_saved", language).format(
                    pattern=saved["pattern"], kind=enum_label("source_kind", saved["kind"], language), file=saved["file"]))
            if open_name == name:
                column_mapper(file, settings, user, language, page, kinds)
    return load


def saved_notice(page: str, language: str, then: str) -> None:
    """Once after a save: which entry went into which file, and what happens next (the key of a sentence)."""
    saved = st.session_state.pop(f"_mapper_saved_{page}", None)
    if saved:
        notice("success", t("mapper_saved", language).format(
            pattern=saved["pattern"], kind=enum_label("source_kind", saved["kind"], language), file=saved["file"])
            + " " + t(then, language))


def _error(problems: dict[str, Problem], field: str, kind: str, language: str, shown: bool) -> None:
    """The finding about one field, right below it (after the first attempt to save)."""
    if shown and field in problems:
        st.error(plain(problem_text(problems[field], kind, language)), icon=":material/error:")


def _header_fields(unknown, kind: str, presets: dict, header_keys: dict, problems: dict, language: str,
                   tried: bool) -> None:
    """A field box per header of the file (three columns), with its first values and its finding."""
    st.markdown(f"**{t('mapper_columns', language)}**")
    st.caption(t("mapper_columns_help", language))
    fields = [NOT_LOADED, *(c.name for c in KINDS[kind].columns)]
    label = (lambda c: t("mapper_not_loaded", language) if c == NOT_LOADED else field_label(kind, c, language))
    columns = st.columns(3)
    for n, header in enumerate(unknown.headers):
        with columns[n % 3]:
            preset = presets.get(header, NOT_LOADED)
            st.selectbox(plain(header), fields, index=fields.index(preset), key=header_keys[header], format_func=label)
            if unknown.samples.get(header):
                st.caption(plain(t("mapper_examples", language).format(
                    values=("、" if language == "zh" else ", ").join(unknown.samples[header]))))
            _error(problems, f"header:{header}", kind, language, tried)


def _constant_fields(kind: str, constant_keys: dict, problems: dict, language: str, tried: bool) -> None:
    """A text box for the fixed value of each required field that no header maps to."""
    if not constant_keys:
        return
    st.markdown(f"**{t('mapper_constants', language)}**")
    st.caption(t("mapper_constants_help", language))
    for column, key in constant_keys.items():
        st.text_input(t("mapper_constant", language).format(field=field_label(kind, column, language)), key=key,
                      max_chars=200)
        _error(problems, f"constant:{column}", kind, language, tried)


def column_mapper(file: MapperFile, settings: Settings, user: User | None, language: str, page: str,
                  kinds: list[str] | None = None) -> None:
    """The mapper of one file: kind, a field per header, fixed values for the required fields it lacks, its
    first rows and the file-name pattern; checked, then saved to the site mapping file."""
    if not can(user, PAGE_ACTION[page]):
        return
    unknown = file.unknown
    mapping = _site_mapping(settings)
    if mapping is None:
        notice("error", t("mapper_save_failed", language).format(error=t("write_failed", language)))
        return
    st.markdown(f"#### {t('mapper_title', language).format(name=plain(unknown.name))}")
    if settings.mapping_file is None:
        st.info(t("mapper_no_file", language), icon=":material/info:")
    options = kinds or list(KINDS)
    preset_kind = unknown.closest if unknown.closest in options else options[0]
    if st.session_state.get("mapper_kind") not in options:
        st.session_state.pop("mapper_kind", None)
    kind = st.selectbox(t("mapper_kind", language), options, index=options.index(preset_kind), key="mapper_kind",
                        format_func=lambda k: enum_label("source_kind", k, language))
    presets = preset_columns(kind, unknown.headers, mapping, unknown.name)
    header_keys = {h: f"mapper_col_{kind}_{n}" for n, h in enumerate(unknown.headers)}
    choices = {h: st.session_state.get(header_keys[h], presets.get(h, NOT_LOADED)) or None for h in unknown.headers}
    chosen = {c for c in choices.values() if c}
    lacking = [c for c in KINDS[kind].required if c not in chosen]
    constant_keys = {c: f"mapper_const_{kind}_{c}" for c in lacking}
    constants = {c: st.session_state.get(key, "") for c, key in constant_keys.items()}
    pattern_preset = wildcard_pattern(unknown.name)
    pattern = st.session_state.get("mapper_pattern", pattern_preset)
    problems = entry_problems(kind, choices, constants, pattern, unknown.name, mapping)
    tried = bool(st.session_state.get("mapper_tried"))

    _header_fields(unknown, kind, presets, header_keys, problems, language, tried)
    _constant_fields(kind, constant_keys, problems, language, tried)

    st.markdown(f"**{t('mapper_preview', language).format(n=min(MAPPER_PREVIEW_ROWS, unknown.first_rows.height))}**")
    first = unknown.first_rows.to_pandas().rename(columns={"__row": t("col.source_row", language)})
    st.dataframe(first, hide_index=True, width="stretch")

    st.text_input(t("mapper_pattern", language), value=pattern_preset, key="mapper_pattern", max_chars=300,
                  help=t("mapper_pattern_help", language))
    _error(problems, "pattern", kind, language, tried)
    if "pattern" not in problems and broad_pattern(pattern):
        st.warning(t("mapper_pattern_broad", language), icon=":material/warning:")

    with st.container(horizontal=True):
        save = st.button(t("mapper_save", language), key="mapper_save", type="primary", icon=":material/save:",
                         disabled=settings.mapping_file is None, on_click=_tried)
        st.button(t("mapper_close", language), key="mapper_close", on_click=_close, args=(page,))
    if not save:
        return
    if problems:
        notice("error", t("mapper_fix", language))
        return
    _save(file, settings, user, language, page, mapping, kind, choices, constants, pattern.strip())


def _save(file: MapperFile, settings: Settings, user: User, language: str, page: str, mapping: SiteMapping,
          kind: str, choices: dict, constants: dict, pattern: str) -> None:
    """Try the mapping on the file, then write it; the outcome shown, the page run again after a save."""
    headers, fixed = entry_parts(kind, choices, constants)
    with file.local_path() as path:
        trial = trial_load(path, file.name, mapping, file_rule(pattern, kind, headers, fixed))
    if trial.refusal_zh:
        notice("error", t("mapper_trial_refused", language).format(
            reason=without_paths(trial.refusal_zh if language == "zh" else trial.refusal_en)))
        return
    if trial.rows and trial.bad_rows > settings.bad_row_share * trial.rows:
        notice("error", t("mapper_trial_bad", language).format(
            rows=trial.rows, bad=trial.bad_rows, limit=settings.bad_row_share,
            example=trial.example_zh if language == "zh" else trial.example_en))
        return
    try:
        save_file_mapping(settings, user.name, file.name, pattern, kind, headers, fixed)
    except (MappingError, OSError) as exc:
        notice("error", t("mapper_save_failed", language).format(error=without_paths(str(exc))))
        return
    st.session_state[f"_mapper_saved_{page}"] = {"name": file.name, "pattern": pattern, "kind": kind,
                                                 "file": settings.mapping_file.name}
    _close(page)
    st.rerun()
