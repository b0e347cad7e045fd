-- Record a figure as an edition printed it (replaces the earlier record of the same edition, year and KPI).
INSERT OR REPLACE INTO report_published (edition, year, kpi, printed, source, recorded_at, recorded_by)
VALUES ($edition, $year, $kpi, $printed, $source, current_localtimestamp(), $recorded_by);
