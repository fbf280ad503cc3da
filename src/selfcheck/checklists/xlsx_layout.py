"""The layout of the Excel checklist template: sheets, Chinese headers and the drop-down values (shared by the
template writer and the importer)."""

from __future__ import annotations

from dataclasses import dataclass

from selfcheck.checklists.models import PHOTO_REQUIREMENT_LABELS, BasisKind, PhotoRequirement, Severity

SHEET_GUIDE = "填写说明"
SHEET_INFO = "清单信息"
SHEET_DOCS = "依据文件"
SHEET_ITEMS = "检查项"
SHEET_PARAMS = "参数"
SHEET_TIERS = "得分档次"
MAX_ROWS = 1000  # rows that carry drop-downs; the importer reads every filled row


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    choices: tuple[str, ...] = ()
    required: bool = False
    note: str = ""


INFO_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("id", "清单编号", ()),
    ("version", "版本号", ()),
    ("title", "清单标题", ()),
    ("area", "所属领域", ("1", "3", "N")),
    ("order", "排序", ()),
    ("description", "适用范围说明", ()),
)

KIND_CHOICES = tuple(k.value for k in BasisKind)
SEVERITY_CHOICES = tuple(s.value for s in Severity)
PHOTO_CHOICES = tuple(PHOTO_REQUIREMENT_LABELS[p] for p in PhotoRequirement)
PHOTO_BY_LABEL = {label: p for p, label in PHOTO_REQUIREMENT_LABELS.items()}
ANSWER_TYPES = {"是否题": "yes_no", "选择题": "choice", "数字题": "number", "日期题": "date", "文字题": "text"}
ANSWER_LABELS = {code: label for label, code in ANSWER_TYPES.items()}
YES_NO = ("是", "否")
OPTION_COMPLIANCE = {"合规": True, "不合规": False, "不适用": None}

DOC_COLUMNS = (
    Column("文件代号", 14, required=True, note="小写英文字母开头，如 rule45；检查项的“依据”列用它引用本文件"),
    Column("文件名称", 40, required=True, note="不加书名号"),
    Column("依据种类", 12, KIND_CHOICES, required=True),
    Column("发文机关", 24),
    Column("文号", 20, note="只填核对过原文的文号"),
    Column("年份", 8),
)

ITEM_COLUMNS = (
    Column("章节", 16, required=True, note="章节标题；相邻的同名章节归为一节"),
    Column("检查项编号", 12, required=True, note="大写字母-两到三位数字，如 QX-01"),
    Column("检查问题", 40, required=True, note="以“？”结尾；是否题答“是”即合规"),
    Column("检查指引", 50, required=True, note="看什么、怎么查、什么情况答“否”"),
    Column("佐证材料", 30, required=True),
    Column("照片要求", 16, PHOTO_CHOICES, note="不填为“可选拍照”"),
    Column("严重程度", 10, SEVERITY_CHOICES, required=True),
    Column("分值", 8, required=True, note="不合规时扣的分：严重 5、较重 3、一般 2，登记项 0"),
    Column("依据", 30, required=True, note="文件代号加条款，如“rule45 第十三条”；多项用“；”分隔；没核对过的条款不写"),
    Column("依据种类", 12, KIND_CHOICES, note="不填时取“依据文件”表中该文件的种类"),
    Column("答案类型", 10, tuple(ANSWER_TYPES), note="不填为是否题"),
    Column("选项", 36, note="选择题填写，如“自主经营:合规；承包经营:不合规；不供餐:不适用”"),
    Column("单位", 8, note="数字题的单位"),
    Column("下限", 10, note="数字题合规范围下限，可写 {参数名}"),
    Column("上限", 10, note="数字题合规范围上限，可写 {参数名}"),
    Column("只允许整数", 10, YES_NO),
    Column("显示条件", 30, note="如“QX-01：承包经营、委托经营”：前面某项取这些答案时才显示"),
)

PARAM_COLUMNS = (
    Column("参数名", 16, required=True, note="在文字中写作 {参数名}，在下限、上限、得分率中写作 {参数名}"),
    Column("默认值", 10, required=True),
    Column("单位", 8),
    Column("默认值来源", 30, required=True, note="默认值出自哪份文件或哪里的做法"),
    Column("只允许整数", 10, YES_NO),
    Column("最小值", 10, note="区县可设定的最小值"),
    Column("最大值", 10, note="区县可设定的最大值"),
    Column("说明", 30),
)

TIER_COLUMNS = (
    Column("档次名称", 12, required=True, note="从高到低，如 示范、规范、达标；低于最低一档为“未达标”"),
    Column("得分率下限（%）", 16, required=True, note="数字，或 {参数名}"),
)

GUIDE_LINES = (
    "区县检查清单模板（SelfCheck 学校专项自查）",
    "",
    "1. 在“清单信息”表 B 列填写清单编号（小写英文字母开头，如 district-meals）、版本号、标题、所属领域（1、3 或 N）和排序。",
    "2. 在“依据文件”表列出本清单依据的文件，每行一份，给每份文件起一个代号，并选择依据种类：",
    "   法律法规、部门文件（部委规章和规范性文件）、地方文件（省、市、区县文件）、参考做法（外地方案、总结、报道等，只能参考，不是依据）。",
    "3. 在“检查项”表每行写一个检查项。带下拉箭头的单元格请从下拉列表中选择。",
    "4. 各地取值不同的规则（如“一教一辅”套数上限、清廉教育课时）写进“参数”表，在检查项文字中写 {参数名}，",
    "   在数字题的下限、上限中也可以写 {参数名}。区县清单包可以改变参数的取值。",
    "5. 需要分档（示范、规范、达标）时填写“得分档次”表，得分率 = 得分 ÷ 适用项满分 × 100。",
    "6. 填好后运行：selfcheck checklists import-xlsx 本文件.xlsx --out 输出文件夹",
    "   有错误时会按“表、行、列”列出全部问题，不会写出任何文件；改正后再运行一次。",
)
