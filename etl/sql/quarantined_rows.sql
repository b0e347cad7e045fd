SELECT file_name, source_row, kind, column_name, value, reason_zh, reason_en, quarantined_at, released_at
FROM quarantine
WHERE $include_released OR released_at IS NULL
ORDER BY quarantined_at DESC, file_name, source_row;
