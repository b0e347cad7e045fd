"""The source kinds the ETL understands: canonical columns, Chinese and English header names, value spellings.

Each kind's canonical column names are the warehouse column names of its table. A site mapping file
(see etl/mapping.py) adds header names and value spellings without code changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PASS_FAIL = {
    "pass": ["合格", "pass", "ok", "passed", "允收", "接收", "判定合格", "ac", "y", "√"],
    "fail": ["不合格", "fail", "ng", "failed", "拒收", "判退", "判定不合格", "re", "n", "×", "退货",
             "特采", "让步接收", "特采接收", "挑选使用", "拣用"],  # a lot used by concession or after sorting failed
}
YES_NO = {
    True: ["是", "y", "yes", "true", "1", "有", "需要", "√", "要求"],
    False: ["否", "n", "no", "false", "0", "无", "不需要", "×", "不要求"],
}
STAGES = {
    "IQC": ["iqc", "来料检验", "进料检验", "进货检验", "原料检验", "原材料检验", "来料", "iqc来料检验"],
    "IPQC": ["ipqc", "过程检验", "制程检验", "工序检验", "巡检", "pqc", "ipqc过程检验"],
    "FQC": ["fqc", "成品检验", "最终检验", "完工检验", "入库检验", "fqc成品检验"],
    "OQC": ["oqc", "出货检验", "出厂检验", "出库检验", "oqc出货检验"],
}
DISPOSITIONS = {
    "accept": ["接收", "允收", "入库", "accept", "放行", "合格接收", "合格入库"],
    "rework": ["返工", "返修", "挑选", "rework", "选别", "挑选使用", "拣用", "挑选后使用", "全检", "sorting"],
    "return": ["退货", "退回", "退供应商", "return", "拒收退货", "判退", "拒收", "退换"],
    "concession": ["让步接收", "特采", "让步", "concession", "特采接收", "让步使用", "特采使用"],
    "scrap": ["报废", "scrap"],
}
REGIONS = {
    "in_province": ["省内", "in_province", "浙江", "本省", "in-province"],
    "out_of_province": ["省外", "out_of_province", "国内省外", "外省", "out-of-province", "国内"],
    "abroad": ["国外", "境外", "海外", "abroad", "foreign", "出口"],
}
SEGMENTS = {
    "strategic": ["战略客户", "战略", "strategic"],
    "important": ["重要客户", "重要", "important", "重点客户"],
    "general": ["一般客户", "一般", "general", "普通客户"],
    "potential": ["潜在客户", "潜在", "potential"],
}
GRADES = {g: [g.lower(), f"{g}级", f"{g}类", f"{g}级供应商", f"{g}类供应商"] for g in "ABC"}
FAMILIES = {
    "microscope": ["显微镜", "microscope"],
    "magnifier": ["放大镜", "magnifier"],
    "telescope": ["望远镜", "telescope"],
    "compass": ["指南针", "compass"],
    "plastic_part": ["塑料制品", "塑料件", "塑料", "plastic part", "plastic_part"],
    "material": ["原材料", "物料", "material", "零部件", "辅料", "包材"],
}


@dataclass(frozen=True)
class Column:
    """One canonical column: its warehouse name, type, header spellings and value spellings."""

    name: str
    dtype: str  # str, int, float, date, datetime, bool, enum
    headers: tuple[str, ...] = ()
    required: bool = False
    values: dict = field(default_factory=dict)  # canonical value -> spellings (enum, bool)
    label_zh: str = ""


@dataclass(frozen=True)
class SourceKind:
    """A kind of export file and the warehouse table it feeds."""

    name: str
    table: str
    label_zh: str
    label_en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    period: str | None = None          # date column: a corrected export replaces the rows of its period
    period_group: str | None = None    # ... within the same value of this column (inspection stage)
    dynamic_numeric: bool = False      # unmatched numeric columns are kept (survey questions)

    def column(self, name: str) -> Column:
        """The canonical column called name."""
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> list[str]:
        """Names of the columns a file of this kind must have."""
        return [c.name for c in self.columns if c.required]


def C(name, dtype, zh, *headers, required=False, values=None):
    """Shorthand for a Column whose first header is its Chinese label."""
    return Column(name, dtype, (zh, name, *headers), required, values or {}, zh)


INSPECTION = SourceKind(
    "inspection", "inspection", "检验记录", "Inspection log",
    (
        C("id", "str", "检验单号", "单据编号", "检验单编号", "单号", "报告编号", "inspection no", "inspection id", required=True),
        C("stage", "enum", "检验类型", "检验类别", "检验阶段", "stage", "type", required=True, values=STAGES),
        C("inspected_on", "date", "检验日期", "日期", "送检日期", "inspection date", "date", required=True),
        C("lot", "str", "批号", "批次号", "生产批号", "lot", "lot no"),
        C("item", "str", "物料编码", "料号", "物料代码", "产品编码", "存货编码", "品号", "item", "item code", "part no",
          required=True),
        C("item_name", "str", "物料名称", "产品名称", "品名", "存货名称", "item name", "part name"),
        C("supplier", "str", "供应商", "供应商名称", "供应商编码", "供方", "supplier", "vendor"),
        C("lot_qty", "int", "送检数量", "批量", "来料数量", "报检数量", "批数量", "lot qty", "lot size"),
        C("sample_qty", "int", "抽样数", "抽检数量", "抽样数量", "样本量", "检验数量", "sample qty", "sample size"),
        C("defects", "int", "不良数", "不合格数", "不良数量", "不合格数量", "缺陷数", "defects", "defect qty"),
        C("result", "enum", "检验结果", "判定结果", "判定", "结果", "result", required=True, values=PASS_FAIL),
        C("disposition", "enum", "处理方式", "处置方式", "处理结果", "处置", "disposition", values=DISPOSITIONS),
        C("defect_code", "str", "不良代码", "缺陷代码", "不良类型", "缺陷类型", "不良现象", "defect code"),
        C("test_kind", "enum", "试验项目", "检验项目", "试验类型", "test kind", "test",
          values={"airtightness": ["气密性", "气密性试验", "气密", "airtightness", "air tightness"],
                  "general": ["常规", "常规检验", "外观", "general"]}),
        C("first_pass", "bool", "一次通过", "是否一次通过", "一次合格", "first pass", values=YES_NO),
        C("inspector", "str", "检验员", "质检员", "检验人", "inspector"),
    ),
    key=("id",), period="inspected_on", period_group="stage",
)

SUPPLIER = SourceKind(
    "supplier", "supplier", "供应商名录", "Supplier list",
    (
        C("code", "str", "供应商编码", "供应商代码", "供应商编号", "supplier code", required=True),
        C("name", "str", "供应商名称", "供应商", "supplier name", "name", required=True),
        C("risk_class", "enum", "物料风险等级", "风险等级", "物料类别", "物料分类", "risk class", values=GRADES),
        C("material", "str", "供应物料", "主要物料", "供货范围", "material"),
    ),
    key=("code",),
)

SUPPLIER_GRADE = SourceKind(
    "supplier_grade", "supplier_grade", "供应商评级", "Supplier grades",
    (
        C("supplier", "str", "供应商编码", "供应商", "供应商名称", "supplier", required=True),
        C("year", "int", "评定年度", "年度", "年份", "year", required=True),
        C("grade", "enum", "评定等级", "等级", "供应商等级", "评级", "grade", required=True, values=GRADES),
        C("basis", "str", "评定依据", "依据", "备注", "basis"),
    ),
    key=("supplier", "year"),
)

SUPPLIER_AUDIT = SourceKind(
    "supplier_audit", "supplier_audit", "供应商审核", "Supplier audits",
    (
        C("supplier", "str", "供应商编码", "供应商", "供应商名称", "supplier", required=True),
        C("audited_on", "date", "审核日期", "评审日期", "audit date", required=True),
        C("kind", "enum", "审核方式", "审核类型", "评审方式", "audit kind", required=True,
          values={"on_site": ["现场审核", "现场评审", "现场", "on-site", "on_site"],
                  "document": ["资料审核", "文件审核", "资质审核", "书面审核", "document", "paperwork"]}),
        C("result", "enum", "审核结果", "评审结果", "结论", "result",
          values={"pass": ["通过", "合格", "pass"], "conditional": ["有条件通过", "限期整改", "conditional"],
                  "fail": ["不通过", "不合格", "fail"]}),
        C("auditor", "str", "审核员", "审核人", "auditor"),
    ),
    key=("supplier", "audited_on", "kind"),
)

SUPPLIER_SURVEY = SourceKind(
    "supplier_survey", "supplier_survey", "供应商满意度", "Supplier satisfaction",
    (
        C("year", "int", "调查年度", "年度", "year", required=True),
        C("supplier", "str", "供应商编码", "供应商", "供应商名称", "supplier", required=True),
        C("satisfaction", "float", "供应商满意度", "满意度", "满意度得分", "satisfaction", required=True),
    ),
    key=("year", "supplier"),
)

ITEM = SourceKind(
    "item", "item", "物料与产品", "Items and products",
    (
        C("code", "str", "物料编码", "产品编码", "料号", "存货编码", "item code", required=True),
        C("name", "str", "物料名称", "产品名称", "品名", "存货名称", "item name", required=True),
        C("family", "enum", "产品类别", "产品系列", "物料类别", "family", required=True, values=FAMILIES),
    ),
    key=("code",),
)

CUSTOMER = SourceKind(
    "customer", "customer", "客户名录", "Customer list",
    (
        C("code", "str", "客户编码", "客户代码", "客户编号", "customer code", required=True),
        C("name", "str", "客户名称", "客户", "customer name", required=True),
        C("region", "enum", "客户区域", "区域", "地区", "region", values=REGIONS),
        C("segment", "enum", "客户类别", "客户类型", "客户分类", "segment", values=SEGMENTS),
    ),
    key=("code",),
)

COMPLAINT = SourceKind(
    "complaint", "complaint", "客诉登记", "Complaint register",
    (
        C("id", "str", "客诉编号", "投诉单号", "投诉编号", "客诉单号", "complaint no", "complaint id", required=True),
        C("customer", "str", "客户", "客户编码", "客户代码", "客户名称", "customer", required=True),
        C("region", "enum", "客户区域", "区域", "国内/国外", "region", values=REGIONS),
        C("product", "str", "产品型号", "产品编码", "产品名称", "产品", "product"),
        C("description", "str", "投诉内容", "问题描述", "客诉内容", "description"),
        C("received_at", "datetime", "受理时间", "投诉时间", "接收时间", "客诉日期", "received at", required=True),
        C("first_response_at", "datetime", "首次回应时间", "回应时间", "first response at"),
        C("reply_at", "datetime", "明确答复时间", "答复时间", "回复时间", "reply at"),
        C("onsite_required", "bool", "需现场确认", "是否需要现场", "需要到现场", "onsite required", values=YES_NO),
        C("onsite_at", "datetime", "到达现场时间", "现场确认时间", "onsite at"),
        C("cause_confirmed_at", "datetime", "原因确认时间", "确认原因时间", "cause confirmed at"),
        C("our_fault", "bool", "是否我司责任", "我司责任", "责任归属我司", "our fault", values=YES_NO),
        C("plan_sent_at", "datetime", "改善方案回复时间", "改善方案时间", "plan sent at"),
        C("report_requested", "bool", "客户要求书面报告", "要求书面报告", "report requested", values=YES_NO),
        C("report_sent_at", "datetime", "书面报告提交时间", "书面报告时间", "report sent at"),
        C("plan_accepted_at", "datetime", "客户确认方案时间", "方案确认时间", "plan accepted at"),
        C("resample_at", "datetime", "重新送样时间", "送样时间", "resample at"),
        C("capa_started_at", "datetime", "纠正预防措施启动时间", "纠正措施启动时间", "capa started at"),
        C("closed_at", "datetime", "结案时间", "关闭时间", "closed at"),
        C("resolution", "enum", "三包处理方式", "处理方式", "三包方式", "resolution",
          values={"repair": ["维修", "修理", "repair"], "replace": ["更换", "换货", "replace"],
                  "refund": ["退款", "退货", "refund"], "none": ["无", "不适用", "none", "-"]}),
        C("resolution_done_at", "datetime", "三包完成时间", "处理完成时间", "resolution done at"),
    ),
    key=("id",), period="received_at",
)

SURVEY = SourceKind(
    "survey_response", "survey_response", "顾客满意度调查", "Customer satisfaction survey",
    (
        C("survey_year", "int", "调查年度", "年度", "survey year", "year", required=True),
        C("response_id", "str", "问卷编号", "答卷编号", "序号", "response id", required=True),
        C("customer", "str", "客户", "客户编码", "客户名称", "customer"),
        C("segment", "enum", "客户类别", "客户类型", "segment", values=SEGMENTS),
        # never 总分: 问卷星 writes the sum of the answers under it (etl/survey.py checks it and keeps it out)
        C("overall_score", "float", "总体满意度", "综合满意度", "综合得分", "overall score", required=True),
        # the answers' scale, declared in the site mapping or inferred from the answers (etl/survey.py); no headers
        Column("scale_low", "float", (), label_zh="评分量表最低分"),
        Column("scale_high", "float", (), label_zh="评分量表最高分"),
    ),
    key=("survey_year", "response_id"), dynamic_numeric=True,
)

MARKET = SourceKind(
    "market_share", "market_share", "市场占有率", "Market figures",
    (
        C("year", "int", "年度", "年份", "year", required=True),
        C("scope", "enum", "市场范围", "范围", "统计口径", "scope", required=True,
          values={"national": ["国内", "全国", "国内市场", "national"], "provincial": ["省内", "全省", "省内市场", "provincial"]}),
        C("company_sales", "float", "本公司销售额", "公司销售额", "我司销售额", "company sales", required=True),
        C("market_size", "float", "市场总额", "市场规模", "行业销售总额", "market size", required=True),
        C("source", "str", "数据来源", "来源", "source"),
    ),
    key=("year", "scope"),
)

CAPA = SourceKind(
    "corrective_action", "corrective_action", "纠正预防措施", "Corrective actions",
    (
        C("id", "str", "措施编号", "CAPA编号", "纠正措施编号", "capa no", "id", required=True),
        C("source", "enum", "问题来源", "来源", "source",
          values={"inspection": ["检验", "检验不合格", "inspection"], "complaint": ["客诉", "顾客投诉", "投诉", "complaint"],
                  "audit": ["审核", "内审", "外审", "audit"], "other": ["其他", "other"]}),
        C("source_ref", "str", "来源单号", "关联单号", "source ref"),
        C("description", "str", "问题描述", "措施内容", "description"),
        C("opened_on", "date", "发起日期", "开立日期", "提出日期", "opened on", required=True),
        C("due_on", "date", "要求完成日期", "计划完成日期", "due on"),
        C("implemented_on", "date", "实施完成日期", "实施日期", "完成日期", "implemented on"),
        C("verified_on", "date", "验证日期", "效果验证日期", "verified on"),
        C("effective", "bool", "是否有效", "验证结果", "effective", values=YES_NO | {True: YES_NO[True] + ["有效"], False: YES_NO[False] + ["无效"]}),
    ),
    key=("id",),
)

CALIBRATION = SourceKind(
    "instrument_calibration", "instrument_calibration", "计量器具校准", "Instrument calibration",
    (
        C("instrument", "str", "器具编号", "设备编号", "计量器具编号", "instrument", required=True),
        C("instrument_name", "str", "器具名称", "设备名称", "计量器具名称", "instrument name"),
        C("measures", "str", "检测项目", "测量项目", "measures"),
        C("origin", "str", "产地", "origin"),
        C("level", "str", "先进水平", "水平", "level"),
        C("calibrated_on", "date", "校准日期", "检定日期", "校验日期", "calibrated on", required=True),
        C("interval_months", "int", "校准周期", "检定周期", "周期", "interval months"),
        C("next_due_on", "date", "下次校准日期", "有效期至", "下次检定日期", "next due on"),
        C("result", "enum", "校准结果", "检定结果", "结论", "result",
          values={"pass": ["合格", "pass"], "fail": ["不合格", "停用", "fail"], "limited": ["限用", "降级使用", "limited"]}),
    ),
    key=("instrument", "calibrated_on"),
)

INCIDENT = SourceKind(
    "incident", "incident", "事故记录", "Incidents",
    (
        C("id", "str", "事故编号", "事件编号", "incident no", "id", required=True),
        C("occurred_on", "date", "发生日期", "事故日期", "occurred on", required=True),
        C("kind", "enum", "事故类型", "类型", "kind", required=True,
          values={"environment": ["环境", "环境事故", "environment"], "safety": ["安全", "安全事故", "职业健康安全", "safety"]}),
        C("severity", "enum", "严重程度", "事故等级", "severity", required=True,
          values={"major_environmental": ["重大环境事故", "重大环境安全事故", "重大", "major environmental"],
                  "environmental": ["一般环境事故", "环境事件", "environmental"],
                  "fatal": ["死亡", "死亡事故", "fatal"], "serious": ["重伤", "重伤事故", "serious"],
                  "minor": ["轻伤", "轻伤事故", "minor"]}),
        C("description", "str", "事故描述", "描述", "description"),
    ),
    key=("id",),
)

# Cost of quality (质量成本) after GB/T 13339: the four categories of a quality-cost ledger entry.
COST_CATEGORIES = {
    "prevention": ["预防成本", "预防", "prevention", "prevention cost", "prevention costs"],
    "appraisal": ["鉴定成本", "鉴定", "检验鉴定成本", "appraisal", "appraisal cost", "appraisal costs"],
    "internal_failure": ["内部损失成本", "内部损失", "内部故障成本", "内部失败成本", "internal failure",
                         "internal failure cost", "internal failure costs"],
    "external_failure": ["外部损失成本", "外部损失", "外部故障成本", "外部失败成本", "external failure",
                         "external failure cost", "external failure costs"],
}
# An entry's type where the ledger writes one (凭证类型, 红字标志): a correction (红字, 冲销, 更正) may be negative.
CORRECTION = {
    True: ["红字", "冲销", "更正", "冲红", "红冲", "调整", "correction", "reversal", "是", "y", "yes", "1"],
    False: ["蓝字", "正常", "普通", "normal", "否", "n", "no", "0"],
}

QUALITY_COST = SourceKind(
    "quality_cost", "quality_cost", "质量成本台账", "Quality-cost ledger",
    (
        C("booked_on", "date", "日期", "记账日期", "凭证日期", "制单日期", "发生日期", "业务日期", "date", "posting date",
          required=True),
        C("account", "str", "成本科目", "质量成本科目", "成本项目", "费用项目", "科目名称", "科目", "cost item",
          "cost account", "account", required=True),
        C("category", "enum", "类别", "质量成本类别", "成本类别", "成本分类", "category", "cost category", required=True,
          values=COST_CATEGORIES),
        C("amount", "float", "金额", "发生额", "借方金额", "金额借方", "借方", "金额（元）", "amount", "amount (cny)",
          "amount (yuan)", required=True),
        C("department", "str", "部门", "责任部门", "部门名称", "发生部门", "department", "dept"),
        C("product", "str", "产品", "产品名称", "产品型号", "product"),
        C("description", "str", "说明", "摘要", "备注", "description", "memo", "remark"),
        C("voucher", "str", "凭证号", "凭证字号", "凭证编号", "voucher", "voucher no"),
        C("voucher_line", "str", "分录号", "分录行号", "行号", "line", "voucher line"),
        C("correction", "bool", "凭证类型", "红字标志", "红蓝字", "类型", "entry type", values=CORRECTION),
        # what identifies the entry (etl/ledger.py): voucher and line, else a hash of the row's content; no headers
        Column("entry_id", "str", (), label_zh="分录标识"),
    ),
    key=("entry_id",), period="booked_on",
)

SALES = SourceKind(
    "sales", "sales", "月度销售额", "Monthly sales",
    (
        # a month as 2021-03, 2021/3, 2021年3月 or any day of it (etl/ledger.py makes it the month's first day)
        C("month", "date", "月份", "年月", "期间", "会计期间", "销售月份", "month", "period", required=True),
        C("amount", "float", "销售额", "销售收入", "营业收入", "主营业务收入", "销售金额", "sales", "sales amount",
          "revenue", required=True),
    ),
    key=("month",), period="month",
)

MASTER_KINDS = ("supplier", "item", "customer")  # lists of codes and names, not of events

KINDS: dict[str, SourceKind] = {
    k.name: k
    for k in (INSPECTION, SUPPLIER, SUPPLIER_GRADE, SUPPLIER_AUDIT, SUPPLIER_SURVEY, ITEM, CUSTOMER,
              COMPLAINT, SURVEY, MARKET, CAPA, CALIBRATION, INCIDENT, QUALITY_COST, SALES)
}
