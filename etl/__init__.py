"""ETL: read ERP exports, map their headers, stage and validate them, merge them into the warehouse.

The names below are the package's API for the app and scripts (`from etl import load_paths`); each is imported
from its module on first use, so `import etl` stays cheap.
"""
from __future__ import annotations

import importlib

API = {
    "load_paths": "etl.load", "export_files": "etl.load", "LoadSummary": "etl.load", "FileOutcome": "etl.load",
    "UsageError": "etl.load",
    "MappingError": "etl.mapping", "read_site_mapping": "etl.mapping", "SiteMapping": "etl.mapping",
    "preview_upload": "etl.upload", "commit_upload": "etl.upload", "undo_upload": "etl.upload",
    "upload_batches": "etl.upload", "uploaded_name": "etl.upload", "UploadBatch": "etl.upload",
    "UploadError": "etl.upload", "PREVIEW_ROWS": "etl.upload", "survey_template_csv": "etl.upload",
    "survey_template_xlsx": "etl.upload",
    "run_alerts": "etl.alerts", "alerts_after_load": "etl.alerts", "AlertRun": "etl.alerts", "target_shown": "etl.alerts",
    **dict.fromkeys(["MAPPER_PREVIEW_ROWS", "Problem", "UnknownFile", "append_file_entry", "broad_pattern", "entry_parts",
                     "entry_problems", "file_rule", "preset_columns", "saved_note", "trial_load", "unknown_file",
                     "wildcard_pattern"], "etl.mapping_file"),
}
__all__ = sorted(API)


def __getattr__(name: str):
    if name in API:
        return getattr(importlib.import_module(API[name]), name)
    raise AttributeError(f"module 'etl' has no attribute {name!r}")
