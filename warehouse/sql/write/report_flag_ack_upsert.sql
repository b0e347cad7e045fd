-- Acknowledge a checklist item of a year's report, with the reason.
INSERT OR REPLACE INTO report_flag_ack (year, flag, note, acked_at, acked_by)
VALUES ($year, $flag, $note, current_localtimestamp(), $acked_by);
