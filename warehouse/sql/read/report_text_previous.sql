-- For each chapter, the newest text saved for a year before $year: chapter, year, body_md, updated_at, updated_by.
SELECT chapter, arg_max(year, year) AS year, arg_max(body_md, year) AS body_md,
       arg_max(updated_at, year) AS updated_at, arg_max(updated_by, year) AS updated_by
FROM report_text
WHERE year < $year
GROUP BY chapter;
