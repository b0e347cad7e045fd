-- Years that hold supplier grades or a supplier satisfaction survey, oldest first.
SELECT DISTINCT year FROM (
    SELECT year FROM supplier_grade
    UNION SELECT year FROM supplier_survey
)
ORDER BY year;
