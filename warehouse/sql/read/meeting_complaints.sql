-- Complaints received in [$start, $end) and those received by $as_of that were still open then (not closed by
-- $as_of), with the customer's and product's names and the region whose clock rule applies (the complaint's
-- own, else its customer's). in_period: received in the span; still_open: open at $as_of. Oldest first.
SELECT
    c.id,
    c.received_at >= $start::DATE AND c.received_at < $end::DATE AS in_period,
    c.received_at <= $as_of::TIMESTAMP AND (c.closed_at IS NULL OR c.closed_at > $as_of::TIMESTAMP) AS still_open,
    c.customer,
    cu.name AS customer_name,
    coalesce(c.region, cu.region) AS region,
    c.product,
    it.name AS product_name,
    c.received_at,
    c.closed_at
FROM complaint AS c
LEFT JOIN customer AS cu ON cu.code = c.customer
LEFT JOIN item AS it ON it.code = c.product
WHERE (c.received_at >= $start::DATE AND c.received_at < $end::DATE)
   OR (c.received_at <= $as_of::TIMESTAMP AND (c.closed_at IS NULL OR c.closed_at > $as_of::TIMESTAMP))
ORDER BY c.received_at, c.id;
