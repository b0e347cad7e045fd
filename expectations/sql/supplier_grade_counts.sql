-- Per year: graded suppliers by grade and in all (the KPI's A share divides A by this total).
SELECT year,
       count(*) FILTER (WHERE grade = 'A') AS grade_a,
       count(*) FILTER (WHERE grade = 'B') AS grade_b,
       count(*) FILTER (WHERE grade = 'C') AS grade_c,
       count(*) AS total
FROM supplier_grade
GROUP BY year
ORDER BY year
