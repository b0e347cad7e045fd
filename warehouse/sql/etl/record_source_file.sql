-- A file the ETL has seen: what it was, what happened to it and to the rows of its kind, and in which run.
INSERT OR REPLACE INTO source_file (hash, name, kind, format, encoding, bytes, rows, rows_loaded, rows_quarantined,
                                    rows_inserted, rows_updated, rows_unchanged, rows_deleted, replaced_period,
                                    status, message, message_zh, run_id, loaded_at)
VALUES ($hash, $name, $kind, $format, $encoding, $bytes, $rows, $loaded, $quarantined,
        $inserted, $updated, $unchanged, $deleted, $replace,
        $status, $message, $message_zh, $run, current_localtimestamp());
