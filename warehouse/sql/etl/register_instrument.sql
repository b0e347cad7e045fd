-- Instruments named in a calibration register are registered or their description refreshed.
INSERT OR REPLACE INTO instrument (code, name, measures, origin, level, registered_by_etl, source_file, source_row)
SELECT s.instrument,
       coalesce(any_value(s.instrument_name), any_value(i.name)),
       coalesce(any_value(s.measures), any_value(i.measures)),
       coalesce(any_value(s.origin), any_value(i.origin)),
       coalesce(any_value(s.level), any_value(i.level)),
       false, $file, min(s.source_row)
FROM staged s LEFT JOIN instrument i ON i.code = s.instrument
GROUP BY s.instrument;
