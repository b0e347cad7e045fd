-- Environment and safety incidents that occurred in [$start, $end): newest first when $newest_first, else oldest first.
SELECT occurred_on, id, kind, severity, description
FROM incident
WHERE occurred_on >= $start::DATE AND occurred_on < $end::DATE
ORDER BY CASE WHEN $newest_first::BOOLEAN THEN occurred_on END DESC, occurred_on, id;
