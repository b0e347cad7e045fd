-- Failed lots for the stages in $stages over [$start, $end), newest first (at most $limit), with item,
-- family, supplier and what was done with the lot (disposition). Optional filters (NULL: all): $family,
-- $item, $supplier.
SELECT
    i.inspected_on,
    i.stage,
    i.id,
    i.lot,
    i.item,
    it.name AS item_name,
    it.family,
    i.supplier,
    s.name AS supplier_name,
    i.lot_qty,
    i.sample_qty,
    i.defects,
    i.defect_code,
    i.disposition,
    i.inspector
FROM inspection AS i
LEFT JOIN item AS it ON it.code = i.item
LEFT JOIN supplier AS s ON s.code = i.supplier
WHERE i.result = 'fail'
  AND list_contains($stages::VARCHAR[], i.stage)
  AND i.inspected_on >= $start::DATE AND i.inspected_on < $end::DATE
  AND ($family::VARCHAR IS NULL OR coalesce(it.family, '') = $family::VARCHAR)
  AND ($item::VARCHAR IS NULL OR coalesce(i.item, '') = $item::VARCHAR)
  AND ($supplier::VARCHAR IS NULL OR coalesce(i.supplier, '') = $supplier::VARCHAR)
ORDER BY i.inspected_on DESC, i.id DESC
LIMIT $limit;
