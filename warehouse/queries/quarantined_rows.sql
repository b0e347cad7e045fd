-- Rows held back by validation, still quarantined ones first, newest first (at most $limit), with the reason in
-- $lang ('zh' or 'en').
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
ORDER BY released_at IS NOT NULL, quarantined_at DESC, file_name, source_row
LIMIT $limit;
