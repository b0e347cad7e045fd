-- How clean the data arrived in [$start, $end): files read and files refused by loads in the span, and rows
-- quarantined in it (released since or not).
SELECT
    (SELECT count(*) FROM source_file WHERE loaded_at >= $start::DATE AND loaded_at < $end::DATE) AS files,
    (SELECT count(*) FROM source_file
     WHERE status = 'refused' AND loaded_at >= $start::DATE AND loaded_at < $end::DATE) AS files_refused,
    (SELECT count(*) FROM quarantine WHERE quarantined_at >= $start::DATE AND quarantined_at < $end::DATE) AS rows_quarantined;
