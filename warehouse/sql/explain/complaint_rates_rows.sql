-- The complaints behind a complaint KPI ($kpi) received in [$start, $end), as of $today, one row each, as
-- kpi/complaint_rates counts them (judged_complaints): complaints_received every complaint; the handling and the
-- warranty rate their handled or fulfilled (numerator), judged (denominator) and open (in progress) ones.
-- Output: item, day, numerator, denominator, in_progress, source_file, source_row.
-- Parameters: $kpi, $start, $end (exclusive), $today, $handling_days, $warranty_days.
SELECT id AS item, received_at AS day,
       CASE $kpi::VARCHAR WHEN 'complaint_handling_rate' THEN handled::INTEGER
                          WHEN 'warranty_fulfilment_rate' THEN fulfilled::INTEGER ELSE 1 END AS numerator,
       CASE $kpi::VARCHAR WHEN 'complaint_handling_rate' THEN handling_judged::INTEGER
                          WHEN 'warranty_fulfilment_rate' THEN warranty_judged::INTEGER END AS denominator,
       CASE $kpi::VARCHAR WHEN 'complaint_handling_rate' THEN handling_open::INTEGER
                          WHEN 'warranty_fulfilment_rate' THEN warranty_open::INTEGER END AS in_progress,
       source_file, source_row
FROM judged_complaints($start, $end, $today, $handling_days, $warranty_days)
WHERE $kpi::VARCHAR <> 'warranty_fulfilment_rate' OR promised
ORDER BY day, item
