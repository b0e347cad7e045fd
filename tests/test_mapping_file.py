"""The site mapping writer (etl/mapping_file.py): TOML escaping, entries appended atomically and read back, the
checks the column mapper runs before saving, the file-name pattern it proposes."""
from __future__ import annotations

import os
import tomllib

import pytest

from etl.mapping import MappingError, SiteMapping, normalize_header, read_site_mapping, recognise_kind
from etl.mapping_file import (append_file_entry, broad_pattern, entry_problems, file_rule, mapping_entry_toml,
                              toml_key, toml_string, trial_load, unknown_file, wildcard_pattern)
from tests.conftest import write_csv

TRICKY = ['批量 "A"', "日期：检验", "备注: 第1批", 'C:\\exports\\单号', "结果（判定）", "名称\t别名", "「客户」",
          "单价¥/件", "#编号", "key = value", "[批次]", "'单引号'"]
EXISTING = """# 本厂的站点映射
[inspection.headers]
"质检单号" = "id"   # 单据号

[[file]]
pattern = "*到货单*"
kind = "inspection"

[file.constants]
stage = "IQC"
"""


@pytest.mark.parametrize("text", TRICKY + ["", "line\nbreak", "\x00\x1f\x7f", "反斜杠\\结尾\\"])
def test_toml_strings_and_keys_read_back_as_written(text):
    assert tomllib.loads(f"v = {toml_string(text)}")["v"] == text
    assert list(tomllib.loads(f"{toml_key(text or 'x')} = 1")) == [text or "x"]


def test_bare_keys_only_for_plain_names():
    assert toml_key("stage") == "stage" and toml_key("lot_qty") == "lot_qty"
    assert toml_key("检验类型") == '"检验类型"' and toml_key("a.b") == '"a.b"'


def test_an_entry_with_quotes_colons_and_chinese_punctuation_reads_back_as_meant(tmp_path):
    columns = ["id", "inspected_on", "lot", "item", "item_name", "supplier", "lot_qty", "sample_qty", "defects",
               "result", "defect_code", "inspector"]
    headers = dict(zip(TRICKY, columns))
    text = mapping_entry_toml("到货单[[]*].csv", "inspection", headers, {"stage": 'I"QC'}, note="备注\n第二行")
    assert text.startswith("# 备注 第二行\n[[file]]\n")              # a comment stays one line
    [entry] = tomllib.loads(text)["file"]
    assert entry == {"pattern": "到货单[[]*].csv", "kind": "inspection", "headers": headers,
                     "constants": {"stage": 'I"QC'}}
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    [rule] = read_site_mapping(path).files
    assert rule == file_rule("到货单[[]*].csv", "inspection", headers, {"stage": 'I"QC'})
    assert rule.headers[normalize_header('批量 "A"')] == "id" and rule.matches("到货单[3].csv")


def test_append_keeps_the_existing_text_and_replaces_the_file_atomically(tmp_path, monkeypatch):
    path = tmp_path / "mapping.toml"
    path.write_text(EXISTING, encoding="utf-8")
    os.chmod(path, 0o640)
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((a, b)), real_replace(a, b))[1])
    mapping = append_file_entry(path, "检验台账*.csv", "inspection", {"单据号": "id", "日期：检验": "inspected_on"},
                                {"stage": "IPQC"}, file_name="检验台账2021.csv", note="2026-12-01 sales.wu")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(EXISTING) and "# 2026-12-01 sales.wu\n[[file]]\npattern = \"检验台账*.csv\"" in text
    [(temp, target)] = replaced
    assert os.path.dirname(temp) == str(tmp_path) and target == path and not os.path.exists(temp)
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mapping.toml", "mapping.toml.lock"]   # no temporary left
    again = read_site_mapping(path)
    assert again == mapping and [f.pattern for f in again.files] == ["*到货单*", "检验台账*.csv"]
    assert again.kinds["inspection"].headers == {"质检单号": "id"}
    kind, hmap = recognise_kind(["单据号", "日期：检验", "物料编码", "检验结果"], again, "检验台账2021.csv")
    assert kind.name == "inspection" and hmap["单据号"] == "id" and again.rules(kind, "检验台账2021.csv").constants == {"stage": "IPQC"}


def test_an_entry_for_a_file_an_earlier_pattern_takes_goes_first(tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_text(EXISTING, encoding="utf-8")
    mapping = append_file_entry(path, "供应商到货单*.csv", "inspection", {"单号": "id"}, {"stage": "IQC"},
                                file_name="供应商到货单3.csv")
    assert [f.pattern for f in mapping.files] == ["供应商到货单*.csv", "*到货单*"]
    assert mapping.file_rule("供应商到货单3.csv").pattern == "供应商到货单*.csv"
    assert mapping.file_rule("仓库到货单.csv").pattern == "*到货单*"
    text = path.read_text(encoding="utf-8")
    assert text.index('"质检单号" = "id"') < text.index("供应商到货单*.csv") < text.index('pattern = "*到货单*"')


def test_a_missing_mapping_file_is_created_and_a_missing_folder_refused(tmp_path):
    path = tmp_path / "new.toml"
    mapping = append_file_entry(path, "a*.csv", "survey_response", {"编号": "response_id"}, {"survey_year": "2021"})
    assert read_site_mapping(path) == mapping and len(mapping.files) == 1
    with pytest.raises(MappingError):
        append_file_entry(tmp_path / "nowhere" / "m.toml", "a*.csv", "survey_response", {"编号": "response_id"})
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("existing", [
    'file = ["not", "tables"]\n',             # [[file]] cannot be added to an inline array
    '[inspection]\nreplace = "period"\n"x" = """\n',   # an unterminated multi-line string swallows the entry
])
def test_an_entry_that_would_not_read_back_writes_nothing(tmp_path, existing):
    path = tmp_path / "mapping.toml"
    path.write_bytes(existing.encode("utf-8"))
    with pytest.raises(MappingError):
        append_file_entry(path, "a*.csv", "inspection", {"单号": "id"})
    assert path.read_bytes() == existing.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mapping.toml", "mapping.toml.lock"]


def test_an_unknown_kind_or_column_writes_nothing(tmp_path):
    path = tmp_path / "mapping.toml"
    path.write_text(EXISTING, encoding="utf-8")
    for kind, headers in [("widgets", {"a": "id"}), ("inspection", {"a": "no_such_column"})]:
        with pytest.raises(MappingError):
            append_file_entry(path, "a*.csv", kind, headers)
    assert path.read_text(encoding="utf-8") == EXISTING


def test_the_proposed_pattern_replaces_digits_and_takes_wildcards_literally():
    assert wildcard_pattern("到货单2021-03.csv") == "到货单*-*.csv"
    assert wildcard_pattern("来料检验_２０２１年3月.xlsx") == "来料检验_*年*月.xlsx"     # full-width digits too
    assert wildcard_pattern("报表[1]?.csv") == "报表[[]*][?].csv"
    rule = file_rule(wildcard_pattern("报表[1]?.csv"), "inspection", {})
    assert rule.matches("报表[7]?.csv") and not rule.matches("报表77.csv")
    assert broad_pattern("*.csv") and broad_pattern("*-*.xlsx") and not broad_pattern("到货单*.csv")


ARRIVAL = ["单据号", "单据日期", "存货编码", "存货名称", "供应商编码", "到货数量", "判定"]


def arrival_rows(n: int = 4) -> list[list]:
    return [[f"DH-{i:03d}", f"2021-03-{i + 1:02d}", f"M-{i % 2}", "镜片", "S-01", "100", "合格" if i % 3 else "不合格"]
            for i in range(1, n + 1)]


def test_a_refused_file_is_described_for_the_mapper(tmp_path):
    path = write_csv(tmp_path / "到货单2021.csv", ARRIVAL, arrival_rows())
    found = unknown_file(path, SiteMapping())
    assert found.headers == ARRIVAL and found.first_rows.height == 4 and found.first_rows["__row"].to_list() == [2, 3, 4, 5]
    assert found.closest == "inspection" and found.candidates == ["inspection"] and "缺少" in found.reason_zh
    assert found.samples["判定"] == ["合格", "不合格"] and found.samples["单据号"] == ["DH-001", "DH-002", "DH-003"]
    iqc = write_csv(tmp_path / "iqc.csv", ["检验单号", "检验类型", "检验日期", "物料编码", "检验结果"],
                    [["A", "IQC", "2021-03-01", "M-1", "合格"]])
    assert unknown_file(iqc, SiteMapping()) is None                       # recognised: nothing to map
    (tmp_path / "junk.csv").write_bytes(bytes(range(256)))
    assert unknown_file(tmp_path / "junk.csv", SiteMapping()) is None     # not a table: a mapping cannot help


def good_choices() -> dict:
    return {"单据号": "id", "单据日期": "inspected_on", "存货编码": "item", "存货名称": "item_name",
            "供应商编码": "supplier", "到货数量": "lot_qty", "判定": "result"}


def test_the_checks_before_saving(tmp_path):
    name, empty = "到货单2021.csv", SiteMapping()
    assert entry_problems("inspection", good_choices(), {"stage": "IQC"}, "到货单*.csv", name, empty) == {}
    twice = {**good_choices(), "到货数量": "item"}
    problems = entry_problems("inspection", twice, {"stage": "IQC"}, "到货单*.csv", name, empty)
    assert {k: p.code for k, p in problems.items()} == {"header:存货编码": "mapper_err_twice",
                                                        "header:到货数量": "mapper_err_twice"}
    assert problems["header:到货数量"].values == {"column": "item", "others": ["存货编码"]}
    problems = entry_problems("inspection", good_choices(), {"stage": " "}, "", name, empty)
    assert {k: p.code for k, p in problems.items()} == {"constant:stage": "mapper_err_required",
                                                        "pattern": "mapper_err_pattern_empty"}
    problems = entry_problems("inspection", {**good_choices(), "单据日期": None}, {"stage": "过程", "inspected_on": "昨天"},
                              "其他*.csv", name, empty)
    assert {k: p.code for k, p in problems.items()} == {"constant:stage": "mapper_err_constant",
                                                        "constant:inspected_on": "mapper_err_constant",
                                                        "pattern": "mapper_err_pattern_other"}
    assert entry_problems("inspection", {**good_choices(), "单据日期": None}, {"stage": "来料检验",
                          "inspected_on": "2021年3月5日"}, "到货单*.csv", name, empty) == {}
    # 存货名称 is a built-in name of item_name: "not loaded" would still load it
    problems = entry_problems("inspection", {**good_choices(), "存货名称": None}, {"stage": "IQC"}, "到货单*", name, empty)
    assert {k: (p.code, p.values) for k, p in problems.items()} == {
        "header:存货名称": ("mapper_err_builtin", {"column": "item_name"})}


def test_a_trial_stages_the_file_as_the_saved_entry_will(tmp_path):
    path = write_csv(tmp_path / "到货单2021.csv", ARRIVAL, [*arrival_rows(3), ["DH-9", "明天", "M-1", "镜片", "S-01", "1", "合格"]])
    rule = file_rule("到货单*.csv", "inspection", good_choices(), {"stage": "IQC"})
    trial = trial_load(path, path.name, SiteMapping(), rule)
    assert (trial.rows, trial.bad_rows, trial.refusal_zh) == (4, 1, None) and "第 5 行" in trial.example_zh
    lacking = file_rule("到货单*.csv", "inspection", {"单据号": "id"})
    assert "缺少必需列" in trial_load(path, path.name, SiteMapping(), lacking).refusal_zh


def test_every_finding_has_words_in_both_languages():
    import re
    from pathlib import Path

    from app import i18n

    source = (Path(__file__).resolve().parents[1] / "etl" / "mapping_file.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'"(mapper_err_\w+)"', source))
    assert len(codes) == 7 and codes <= set(i18n.TEXTS)
