-- Survey years that hold customer satisfaction responses, oldest first.
SELECT DISTINCT survey_year AS year FROM survey_response ORDER BY year;
