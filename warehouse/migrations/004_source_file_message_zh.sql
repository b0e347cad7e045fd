-- Why a file was refused, in Chinese beside the English message, for the data-quality page.
ALTER TABLE source_file ADD COLUMN message_zh VARCHAR;
