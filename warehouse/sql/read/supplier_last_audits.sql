-- Per supplier: its risk class and the date and result of its latest on-site and latest document audit on or
-- before $today.
SELECT
    s.code AS supplier,
    s.name,
    s.risk_class,
    max(a.audited_on) FILTER (WHERE a.kind = 'on_site') AS last_on_site,
    arg_max(a.result, a.audited_on) FILTER (WHERE a.kind = 'on_site') AS last_on_site_result,
    max(a.audited_on) FILTER (WHERE a.kind = 'document') AS last_document,
    arg_max(a.result, a.audited_on) FILTER (WHERE a.kind = 'document') AS last_document_result
FROM supplier AS s
LEFT JOIN supplier_audit AS a ON a.supplier = s.code AND a.audited_on <= $today::DATE
GROUP BY s.code, s.name, s.risk_class
ORDER BY s.code;
