-- Complaints as the complaint clock reads them: every milestone column, and the region whose rule
-- applies (the complaint's own, else its customer's). Optional filters: received in [$start, $end), ids.
SELECT
    c.* EXCLUDE (region, source_file, source_row),
    coalesce(c.region, cu.region) AS region
FROM complaint AS c
LEFT JOIN customer AS cu ON cu.code = c.customer
WHERE ($start::DATE IS NULL OR c.received_at >= $start::DATE)
  AND ($end::DATE IS NULL OR c.received_at < $end::DATE)
  AND ($ids::VARCHAR[] IS NULL OR list_contains($ids::VARCHAR[], c.id))
ORDER BY c.received_at, c.id
