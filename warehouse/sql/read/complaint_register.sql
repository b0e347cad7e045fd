-- Complaints received in [$start, $end) and every complaint still open (closed_at NULL), with the customer's
-- name, the region whose clock rule applies (the complaint's own, else its customer's) and whether it was
-- received in the span (in_period).
SELECT
    c.id,
    c.received_at >= $start::DATE AND c.received_at < $end::DATE AS in_period,
    c.customer,
    cu.name AS customer_name,
    coalesce(c.region, cu.region) AS region,
    c.product,
    c.description,
    c.received_at,
    c.closed_at,
    c.resolution,
    c.resolution_done_at
FROM complaint AS c
LEFT JOIN customer AS cu ON cu.code = c.customer
WHERE (c.received_at >= $start::DATE AND c.received_at < $end::DATE) OR c.closed_at IS NULL
ORDER BY c.received_at DESC, c.id;
