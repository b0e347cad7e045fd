-- A file the ETL has seen: what it was, what happened to it, and in which run.
INSERT OR REPLACE INTO source_file (hash, name, kind, format, encoding, bytes, rows, rows_loaded, rows_quarantined,
                                    status, message, message_zh, run_id, loaded_at)
VALUES ($hash, $name, $kind, $format, $encoding, $bytes, $rows, $loaded, $quarantined,
        $status, $message, $message_zh, $run, current_localtimestamp());
