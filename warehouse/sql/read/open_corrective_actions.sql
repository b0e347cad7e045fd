-- Corrective actions (CAPA) open at $as_of: opened on or before that day and not implemented by then. Age in
-- days since opened and days past the due date at $as_of (negative: days left); most overdue first.
SELECT
    id,
    source,
    source_ref,
    description,
    opened_on,
    due_on,
    datediff('day', opened_on, $as_of::DATE) AS age_days,
    datediff('day', due_on, $as_of::DATE) AS days_overdue
FROM corrective_action
WHERE opened_on <= $as_of::DATE AND (implemented_on IS NULL OR implemented_on > $as_of::DATE)
ORDER BY days_overdue DESC NULLS LAST, age_days DESC, id;
