-- Rows held back by validation, with the reason in $lang ('zh' or 'en'): still quarantined ones, and those
-- released since when $include_released; still quarantined first, newest first, at most $limit (NULL: all).
SELECT
    quarantined_at,
    file_name,
    kind,
    source_row,
    row_key,
    column_name,
    value,
    CASE WHEN $lang = 'en' THEN reason_en ELSE reason_zh END AS reason,
    released_at,
    released_by_file
FROM quarantine
WHERE $include_released::BOOLEAN OR released_at IS NULL
ORDER BY released_at IS NOT NULL, quarantined_at DESC, file_name, source_row
LIMIT $limit;
