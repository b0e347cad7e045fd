-- Default targets: the 2021 report's Table 3 (质量、环境和职业健康安全及质量诚信目标).
INSERT INTO kpi_target (kpi, from_year, comparator, value, note) VALUES
    ('final_inspection_pass_rate',    2000, '>=', 100, '产品出厂合格率 100%'),
    ('airtightness_first_pass_rate',  2000, '>=', 98,  '气密性试验一次通过率 ≥98%'),
    ('customer_satisfaction',         2000, '>=', 85,  '顾客满意度 ≥85%'),
    ('major_environmental_incidents', 2000, '<=', 0,   '重大环境安全事故为 0'),
    ('fatal_injuries',                2000, '<=', 0,   '死亡事故为 0'),
    ('serious_injuries',              2000, '<=', 0,   '重伤事故为 0'),
    ('minor_injuries',                2000, '<=', 0,   '轻伤事故为 0'),
    ('warranty_fulfilment_rate',      2000, '>=', 100, '产品质量三包实施率 100%'),
    ('complaint_handling_rate',       2000, '>=', 100, '产品投诉处理率 100%');
