-- Save the sign-off block of a year's report (replaces the earlier version).
INSERT OR REPLACE INTO report_signoff (year, company, report_date, compiled_by, compiled_on, reviewed_by, reviewed_on,
                                       approved_by, approved_on, holder, copy_no, updated_at, updated_by)
VALUES ($year, $company, $report_date, $compiled_by, $compiled_on, $reviewed_by, $reviewed_on,
        $approved_by, $approved_on, $holder, $copy_no, current_localtimestamp(), $updated_by);
