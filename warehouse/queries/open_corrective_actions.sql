-- Corrective actions (CAPA) opened on or before $today and not implemented yet: age in days since opened and
-- days past the due date (negative: days left), most overdue first.
SELECT
    id,
    source,
    source_ref,
    description,
    opened_on,
    due_on,
    datediff('day', opened_on, $today::DATE) AS age_days,
    datediff('day', due_on, $today::DATE) AS days_overdue
FROM corrective_action
WHERE implemented_on IS NULL AND opened_on <= $today::DATE
ORDER BY days_overdue DESC NULLS LAST, age_days DESC, id;
