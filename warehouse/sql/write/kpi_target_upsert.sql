-- Set a KPI's target from $from_year on (until a later from_year supersedes it).
INSERT OR REPLACE INTO kpi_target (kpi, from_year, comparator, value, note)
VALUES ($kpi, $from_year, $comparator, $value, $note)
