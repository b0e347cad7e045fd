-- The ETL run $id is over: its status (ok, partial) and the summary of its counts (JSON).
UPDATE etl_run
SET finished_at = current_localtimestamp(), status = $status, summary = $summary
WHERE id = $id;
