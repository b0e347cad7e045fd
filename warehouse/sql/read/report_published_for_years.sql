-- Figures printed by the editions up to $edition for the years $first_year..$edition: edition, year, kpi, printed, source.
SELECT edition, year, kpi, printed, source
FROM report_published
WHERE edition <= $edition AND year BETWEEN $first_year AND $edition
ORDER BY edition, kpi, year;
