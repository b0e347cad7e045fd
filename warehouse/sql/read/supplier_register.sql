-- Every supplier with its material risk class, the grade assigned for $year and the year before, and its
-- satisfaction score in $year.
SELECT
    s.code AS supplier,
    s.name,
    s.risk_class,
    s.material,
    g.grade,
    pg.grade AS prior_grade,
    g.basis,
    sv.satisfaction
FROM supplier AS s
LEFT JOIN supplier_grade AS g ON g.supplier = s.code AND g.year = $year
LEFT JOIN supplier_grade AS pg ON pg.supplier = s.code AND pg.year = $year - 1
LEFT JOIN supplier_survey AS sv ON sv.supplier = s.code AND sv.year = $year
ORDER BY s.code;
