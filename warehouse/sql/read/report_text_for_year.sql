-- The report texts saved for $year: chapter, body_md, updated_at, updated_by.
SELECT chapter, body_md, updated_at, updated_by
FROM report_text
WHERE year = $year;
