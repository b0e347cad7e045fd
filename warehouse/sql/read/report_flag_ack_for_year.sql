-- Checklist items acknowledged for $year's report: flag, note, acked_at, acked_by.
SELECT flag, note, acked_at, acked_by
FROM report_flag_ack
WHERE year = $year;
