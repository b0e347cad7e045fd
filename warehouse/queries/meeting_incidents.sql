-- Environment and safety incidents that occurred in [$start, $end), oldest first.
SELECT occurred_on, id, kind, severity, description
FROM incident
WHERE occurred_on >= $start::DATE AND occurred_on < $end::DATE
ORDER BY occurred_on, id;
