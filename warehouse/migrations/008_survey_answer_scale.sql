-- The scale a response's answers (survey_answer.score) lie on, e.g. 1 and 5, 0 and 100; answers given in words
-- (非常满意 … 非常不满意) are 5 … 1 on a 1–5 scale. NULL for responses loaded before the scale was kept.
ALTER TABLE survey_response ADD COLUMN scale_low DOUBLE;
ALTER TABLE survey_response ADD COLUMN scale_high DOUBLE;
