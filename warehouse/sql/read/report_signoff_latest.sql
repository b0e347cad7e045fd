-- The sign-off saved for $year, else the newest one of an earlier year (the column year says which).
SELECT year, company, report_date, compiled_by, compiled_on, reviewed_by, reviewed_on,
       approved_by, approved_on, holder, copy_no
FROM report_signoff
WHERE year <= $year
ORDER BY year DESC
LIMIT 1;
