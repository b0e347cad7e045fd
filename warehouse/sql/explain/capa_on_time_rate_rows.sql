-- The corrective actions behind capa_on_time_rate or capa_ineffective ($kpi) due in [$start, $end), as of $today,
-- one row each, as kpi/capa_on_time_rate counts them (judged_actions).
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row.
-- Parameters: $kpi, $start, $end (exclusive), $today.
SELECT id AS item, due_on AS day, met::INTEGER AS numerator, judged::INTEGER AS denominator,
       in_progress::INTEGER AS in_progress, source_file, source_row
FROM judged_actions($start, $end, $today)
WHERE $kpi::VARCHAR = 'capa_on_time_rate'
UNION ALL
SELECT id, due_on, 1, NULL, NULL, source_file, source_row
FROM judged_actions($start, $end, $today)
WHERE $kpi::VARCHAR = 'capa_ineffective' AND ineffective
ORDER BY day, item
