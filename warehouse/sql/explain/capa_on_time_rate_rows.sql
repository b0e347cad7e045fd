-- The corrective actions behind capa_on_time_rate or capa_ineffective ($kpi) due in [$start, $end), as of $today,
-- one row each, as kpi/capa_on_time_rate counts them (met: implemented on time and verified effective; judged:
-- due or verified, except on time and awaiting verification; in progress: those and the ones not yet due).
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row.
-- Parameters: $kpi, $start, $end (exclusive), $today.
WITH judged AS (
    SELECT id, due_on, source_file, source_row,
           due_on <= $today::DATE AS due,
           coalesce(implemented_on <= due_on AND implemented_on <= $today::DATE, false) AS on_time,
           CASE WHEN verified_on <= $today::DATE THEN effective END AS effective
    FROM corrective_action
    WHERE due_on >= $start::DATE AND due_on < $end::DATE
),
behind AS (
    SELECT 'capa_on_time_rate' AS kpi, id, due_on, coalesce(on_time AND effective, false)::INTEGER AS numerator,
           ((due OR effective IS NOT NULL) AND NOT (on_time AND effective IS NULL))::INTEGER AS denominator,
           ((on_time AND effective IS NULL) OR (NOT due AND effective IS NULL))::INTEGER AS in_progress,
           source_file, source_row
    FROM judged
    UNION ALL
    SELECT 'capa_ineffective', id, due_on, 1, NULL, NULL, source_file, source_row
    FROM judged WHERE effective = false
)
SELECT id AS item, due_on AS day, numerator, denominator, in_progress, source_file, source_row
FROM behind
WHERE kpi = $kpi
ORDER BY day, item
