-- Failed lots for the stages in $stages over [$start, $end), newest first (at most $limit), with item,
-- family, supplier and what was done with the lot (disposition). Optional filters (NULL: all): $family,
-- $item, $supplier (the macro inspected_lots).
SELECT
    i.inspected_on,
    i.stage,
    i.id,
    i.lot,
    i.item,
    i.item_name,
    i.family,
    i.supplier,
    s.name AS supplier_name,
    i.lot_qty,
    i.sample_qty,
    i.defects,
    i.defect_code,
    i.disposition,
    i.inspector
FROM inspected_lots($stages, $start, $end, $family, $item, $supplier) AS i
LEFT JOIN supplier AS s ON s.code = i.supplier
WHERE i.result = 'fail'
ORDER BY i.inspected_on DESC, i.id DESC
LIMIT $limit;
