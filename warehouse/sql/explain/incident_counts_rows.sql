-- The incidents behind an incident count ($kpi) that occurred in [$start, $end), one row each.
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row. Parameters: $kpi, $start, $end.
SELECT id AS item, occurred_on AS day, 1 AS numerator, NULL::INTEGER AS denominator, NULL::INTEGER AS in_progress,
       source_file, source_row
FROM incident
WHERE occurred_on >= $start::DATE AND occurred_on < $end::DATE
  AND severity = CASE $kpi::VARCHAR WHEN 'major_environmental_incidents' THEN 'major_environmental'
                                   WHEN 'fatal_injuries' THEN 'fatal' WHEN 'serious_injuries' THEN 'serious'
                                   WHEN 'minor_injuries' THEN 'minor' END
ORDER BY day, item
