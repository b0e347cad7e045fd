-- The annual quality integrity report (质量诚信报告): its editable texts, its sign-off, the figures an edition
-- printed (to compare with what the data says) and the checklist items someone acknowledged.

-- One Markdown text per chapter and report year (chapter: a key of presentation.report.texts.CHAPTERS).
CREATE TABLE report_text (
    year       INTEGER NOT NULL,
    chapter    VARCHAR NOT NULL,
    body_md    VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR,
    PRIMARY KEY (year, chapter)
);

-- The cover's sign-off block (编制 / 审核 / 批准) of each year's edition.
CREATE TABLE report_signoff (
    year        INTEGER PRIMARY KEY,
    company     VARCHAR NOT NULL,
    report_date DATE,
    compiled_by VARCHAR,
    compiled_on DATE,
    reviewed_by VARCHAR,
    reviewed_on DATE,
    approved_by VARCHAR,
    approved_on DATE,
    holder      VARCHAR,
    copy_no     VARCHAR,
    updated_at  TIMESTAMP NOT NULL,
    updated_by  VARCHAR
);

-- A figure as an edition printed it (text, so its precision is known): edition = the report's year,
-- year = the year the figure is for, kpi = a registry code.
CREATE TABLE report_published (
    edition     INTEGER NOT NULL,
    year        INTEGER NOT NULL,
    kpi         VARCHAR NOT NULL,
    printed     VARCHAR NOT NULL,
    source      VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    recorded_by VARCHAR,
    PRIMARY KEY (edition, year, kpi)
);

-- A checklist item someone acknowledged for a year's report (flag = presentation.report Flag.id), and why.
CREATE TABLE report_flag_ack (
    year     INTEGER NOT NULL,
    flag     VARCHAR NOT NULL,
    note     VARCHAR NOT NULL,
    acked_at TIMESTAMP NOT NULL,
    acked_by VARCHAR,
    PRIMARY KEY (year, flag)
);

-- The 2021 edition as published (tests/reference/report-2021-figures.csv): tables 7, 8 and 12.
INSERT INTO report_published (edition, year, kpi, printed, source, recorded_at, recorded_by)
SELECT 2021, year, kpi, printed, source, TIMESTAMP '2022-01-08 00:00:00', '2021 年版报告'
FROM (VALUES
    (2019, 'suppliers_grade_a', '5', '表 7'), (2020, 'suppliers_grade_a', '5', '表 7'), (2021, 'suppliers_grade_a', '5', '表 7'),
    (2019, 'suppliers_grade_b', '3', '表 7'), (2020, 'suppliers_grade_b', '3', '表 7'), (2021, 'suppliers_grade_b', '3', '表 7'),
    (2019, 'suppliers_grade_c', '1', '表 7'), (2020, 'suppliers_grade_c', '1', '表 7'), (2021, 'suppliers_grade_c', '1', '表 7'),
    (2019, 'suppliers_total', '9', '表 7'), (2020, 'suppliers_total', '9', '表 7'), (2021, 'suppliers_total', '9', '表 7'),
    (2019, 'suppliers_grade_a_share', '55', '表 7'), (2020, 'suppliers_grade_a_share', '60', '表 7'),
    (2021, 'suppliers_grade_a_share', '65', '表 7'),
    (2019, 'supplier_satisfaction', '96', '表 7'), (2020, 'supplier_satisfaction', '97', '表 7'),
    (2021, 'supplier_satisfaction', '98', '表 7'),
    (2019, 'incoming_inspection_pass_rate', '95', '表 8'), (2020, 'incoming_inspection_pass_rate', '96', '表 8'),
    (2021, 'incoming_inspection_pass_rate', '96', '表 8'),
    (2019, 'process_inspection_pass_rate', '90', '表 8'), (2020, 'process_inspection_pass_rate', '91.5', '表 8'),
    (2021, 'process_inspection_pass_rate', '94.5', '表 8'),
    (2019, 'final_inspection_pass_rate', '96', '表 8'), (2020, 'final_inspection_pass_rate', '97', '表 8'),
    (2021, 'final_inspection_pass_rate', '98', '表 8'),
    (2019, 'complaints_received', '2', '表 8'), (2020, 'complaints_received', '1', '表 8'),
    (2021, 'complaints_received', '3', '表 8'),
    (2019, 'complaints_handled_on_time_rate', '100', '表 8'), (2020, 'complaints_handled_on_time_rate', '100', '表 8'),
    (2021, 'complaints_handled_on_time_rate', '100', '表 8'),
    (2019, 'customer_satisfaction', '92.0', '表 8'), (2020, 'customer_satisfaction', '93.0', '表 8'),
    (2021, 'customer_satisfaction', '95.0', '表 8'),
    (2019, 'market_share_national', '2', '表 12'), (2020, 'market_share_national', '3', '表 12'),
    (2021, 'market_share_national', '4', '表 12'),
    (2019, 'market_share_provincial', '4.0', '表 12'), (2020, 'market_share_provincial', '4.5', '表 12'),
    (2021, 'market_share_provincial', '5', '表 12')
) AS t(year, kpi, printed, source);

-- The 2021 edition's sign-off, the starting point of the next year's.
INSERT INTO report_signoff (year, company, report_date, compiled_by, compiled_on, reviewed_by, reviewed_on,
                            approved_by, approved_on, holder, copy_no, updated_at, updated_by)
VALUES (2021, '金华市托普光学仪器有限公司', DATE '2022-01-08', '殷的海', DATE '2022-01-08', '李 波', DATE '2022-01-08',
        '陈小龙', DATE '2022-01-08', NULL, NULL, TIMESTAMP '2022-01-08 00:00:00', '2021 年版报告');
