-- The answers of the survey responses being loaded (the registered table staged), which the file's answers replace.
DELETE FROM survey_answer a
USING staged s
WHERE a.survey_year = s.survey_year AND a.response_id = s.response_id;
