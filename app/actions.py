"""What the pages' buttons change beyond one ETL call: uploaded exports staged for a load, an audited rollback, a
site mapping entry saved."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from etl import uploaded_name
from warehouse.settings import Settings
from warehouse.snapshot import rollback
from warehouse.users import audit

NAME_BYTES = 180  # a stored name stays well inside the 255-byte limit of a file name


def stored_name(file_name: str) -> str:
    """An uploaded file's name, safe to store in a folder of its own: no path, no leading dot, at most NAME_BYTES."""
    name = uploaded_name(file_name).lstrip(".") or "upload"
    suffix = str(file_name).rpartition(".")[2] if "." in str(file_name) else ""
    suffix = suffix if 0 < len(suffix) <= 5 and suffix.isalnum() else ""
    stem = name[: -len(suffix) - 1] if suffix and name.endswith("." + suffix) else name
    stem = stem.encode("utf-8")[:NAME_BYTES].decode("utf-8", "ignore") or "upload"
    return f"{stem}.{suffix}" if suffix else stem


def uploaded_copies(files, folder: Path) -> list[Path]:
    """The uploaded files (name, getvalue()) written under their own names, each in a numbered folder under folder."""
    paths = []
    for n, file in enumerate(files):
        path = Path(folder) / f"{n:03d}" / stored_name(file.name)
        path.parent.mkdir(parents=True)
        path.write_bytes(file.getvalue())
        paths.append(path)
    return paths


@dataclass(frozen=True)
class KeptFile:
    """An uploaded file's name and bytes, kept in the session between the button that asks and the one that
    confirms (the same shape as Streamlit's UploadedFile for uploaded_copies)."""

    name: str
    data: bytes

    @property
    def size(self) -> int:
        """Its size in bytes."""
        return len(self.data)

    def getvalue(self) -> bytes:
        """Its bytes."""
        return self.data


def rolled_back(settings: Settings, actor: str) -> Path:
    """Put the previous snapshot of the warehouse back (audited); the snapshot file restored."""
    restored = rollback(settings.warehouse, keep=settings.snapshots_kept)
    audit(settings, actor, "rollback", {"restored": restored.name})
    return restored


def save_chapter(settings: Settings, year: int, chapter: str, body_md: str, actor: str) -> None:
    """Save one chapter of the year's report (a warehouse write) and log it."""
    from presentation import save_chapter_text

    save_chapter_text(settings.warehouse, year, chapter, body_md, actor)
    audit(settings, actor, "report_text", {"year": year, "chapter": chapter})


def import_report(settings: Settings, year: int, split, actor: str, overwrite: bool = False) -> list[str]:
    """Store an uploaded report's chapters as the year's texts (a warehouse write) and log it; the chapters written
    (SavedTextsExist, nothing written, when the year has saved texts for any of them and overwrite is False)."""
    from presentation import import_report_text

    written = import_report_text(settings.warehouse, year, split, actor, overwrite=overwrite)
    audit(settings, actor, "report_import", {"year": year, "file": split.file_name, "chapters": written})
    return written


def save_signoff(settings: Settings, signoff, actor: str) -> None:
    """Save the sign-off block of a year's report (a warehouse write) and log it."""
    from presentation import save_report_signoff

    save_report_signoff(settings.warehouse, signoff, actor)
    audit(settings, actor, "report_signoff", {"year": signoff.year})


def acknowledge(settings: Settings, year: int, flag_id: str, note: str, actor: str) -> None:
    """Acknowledge a checklist item of a year's report with a note (a warehouse write) and log it."""
    from presentation import acknowledge_flag

    acknowledge_flag(settings.warehouse, year, flag_id, note, actor)
    audit(settings, actor, "report_ack", {"year": year, "flag": flag_id, "note": note})


def save_file_mapping(settings: Settings, actor: str, file_name: str, pattern: str, kind: str,
                      headers: dict[str, str], constants: dict[str, str]):
    """Add a [[file]] entry to the site mapping file the settings name (etl.mapping_file.append_file_entry: atomic,
    checked by reading it back) and log it; the mapping the file now holds. MappingError when none is configured
    or the entry cannot be written."""
    from etl import MappingError, append_file_entry, saved_note

    if settings.mapping_file is None:
        raise MappingError("no site mapping file is configured (QUALITY_MAPPING)")
    mapping = append_file_entry(settings.mapping_file, pattern, kind, headers, constants, file_name=file_name,
                                note=saved_note(actor, file_name))
    audit(settings, actor, "mapping_saved", {"file": file_name, "pattern": pattern, "kind": kind, "headers": headers,
                                             "constants": constants, "mapping_file": settings.mapping_file.name})
    return mapping


def load_alerts(settings: Settings, summary):
    """The data-quality alerts of a load from the Refresh page (etl.alerts_after_load, worded by presentation's
    alert_message): the run (None without an alerts file), or the error of a bad alerts file."""
    from etl import alerts_after_load
    from presentation import alert_message
    from warehouse.alerts import AlertConfigError

    try:
        return alerts_after_load(summary, settings, alert_message)
    except AlertConfigError as exc:
        return exc
