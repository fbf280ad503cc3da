"""`selfcheck checklists import-xlsx FILE.xlsx --out DIR`: a filled Excel template becomes a checklist YAML file
that passes `validate`, or every problem is listed by sheet, row and column in plain Chinese and nothing is written."""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from selfcheck.checklists.models import ITEM_ID, NA, PARAM_NAME, SLUG
from selfcheck.checklists.xlsx_layout import (
    ANSWER_TYPES,
    DOC_COLUMNS,
    INFO_FIELDS,
    ITEM_COLUMNS,
    KIND_CHOICES,
    OPTION_COMPLIANCE,
    PARAM_COLUMNS,
    PHOTO_BY_LABEL,
    SEVERITY_CHOICES,
    SHEET_DOCS,
    SHEET_INFO,
    SHEET_ITEMS,
    SHEET_PARAMS,
    SHEET_TIERS,
    TIER_COLUMNS,
    YES_NO,
    Column,
)
from selfcheck.errors import UserError
from selfcheck.oserrors import os_reason

PARAM_REF = re.compile(r"^\{([^{}\s]+)\}$")
MAX_XLSX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class XlsxProblem:
    sheet: str
    row: int | None
    column: str | None  # column letter
    header: str | None
    message: str

    def __str__(self) -> str:
        where = f"“{self.sheet}”表"
        if self.row is not None:
            where += f"第 {self.row} 行"
        if self.column is not None:
            where += f" {self.column} 列"
            if self.header:
                where += f"（{self.header}）"
        return f"{where}：{self.message}"


class XlsxImportError(UserError):
    def __init__(self, problems: Sequence[XlsxProblem]) -> None:
        self.problems = list(problems)
        super().__init__(f"模板中有 {len(self.problems)} 处问题，未写出任何文件：\n" + "\n".join(map(str, self.problems)))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value).strip()


class _Reader:
    """Collects problems while turning sheets into plain data."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.problems: list[XlsxProblem] = []

    def add(self, sheet: str, row: int | None, col: int | None, header: str | None, message: str) -> None:
        self.problems.append(XlsxProblem(sheet, row, _letter(col) if col else None, header, message))

    def table(self, title: str, columns: Sequence[Column]) -> list[tuple[int, dict[str, Any]]]:
        """Rows of a table sheet as {header: value} with their 1-based row numbers; checks the header row."""
        if title not in self.book.sheetnames:
            self.add(title, None, None, None, f"缺少工作表“{title}”，请使用本软件生成的清单模板填写，不要改动工作表的名称。")
            return []
        sheet = self.book[title]
        headers = [_text(c.value) for c in next(sheet.iter_rows(min_row=1, max_row=1), ())]
        positions: dict[str, int] = {}
        for index, column in enumerate(columns, start=1):
            if column.header in headers:
                positions[column.header] = headers.index(column.header) + 1
            else:
                self.add(title, 1, index, column.header, f"缺少表头“{column.header}”（表头不要改名或删除）。")
        rows = []
        for r_index, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            record = {h: (cells[p - 1] if p - 1 < len(cells) else None) for h, p in positions.items()}
            if all(_text(v) == "" for v in record.values()):
                continue
            record["_cols"] = positions
            rows.append((r_index, record))
        return rows

    def required(self, title: str, row: int, record: dict, header: str) -> str:
        value = _text(record.get(header))
        if not value and header in record["_cols"]:
            self.add(title, row, record["_cols"][header], header, "不能为空。")
        return value

    def choice(self, title: str, row: int, record: dict, header: str, choices: Sequence[str]) -> str:
        value = _text(record.get(header))
        if value and value not in choices and header in record["_cols"]:
            self.add(title, row, record["_cols"][header], header,
                     f"“{value}”不是可选的值，请从下拉列表中选择（{'、'.join(choices)}）。")
            return ""
        return value

    def number(self, title: str, row: int, record: dict, header: str, *, integer: bool = False,
               low: float | None = None, high: float | None = None) -> float | None:
        raw = record.get(header)
        if _text(raw) == "":
            return None
        col = record["_cols"].get(header)
        try:
            value = float(str(raw).strip().replace("，", "").replace(",", ""))
        except ValueError:
            value = math.nan
        if not math.isfinite(value):  # also the words float() takes: "nan", "inf", "Infinity"
            self.add(title, row, col, header, f"应为数字，实际是“{_text(raw)}”。")
            return None
        if integer and value != int(value):
            self.add(title, row, col, header, f"应为整数，实际是 {_text(raw)}。")
            return None
        if low is not None and value < low or high is not None and value > high:
            self.add(title, row, col, header, f"应在 {low:g}～{high:g} 之间，实际是 {_text(raw)}。")
            return None
        return value


def _num(value: float) -> int | float:
    return int(value) if value == int(value) else value


def read_template(path: Path) -> dict[str, Any]:
    """The checklist data of a filled template, as a dict ready for YAML; raises XlsxImportError with every problem."""
    from openpyxl import load_workbook

    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到文件：{path}")
    if path.stat().st_size > MAX_XLSX_BYTES:
        raise UserError(f"{path.name} 过大（超过 20 MB），不像是清单模板。")
    try:
        book = load_workbook(path, read_only=False, data_only=True)
    except OSError as err:  # e.g. Windows: the file is open in Excel
        raise UserError(f"无法打开 {path.name}：{os_reason(err)}。") from None
    except Exception:  # openpyxl raises many kinds for files that are not .xlsx  # noqa: BLE001
        raise UserError(f"无法打开 {path.name}：它不是有效的 Excel（.xlsx）文件。请用本软件生成的清单模板填写，"
                        "在 Excel 或 WPS 中保存为 .xlsx 格式后再试。") from None
    reader = _Reader(book)
    data = _read_info(reader)
    documents, doc_kinds = _read_documents(reader)
    parameters = _read_parameters(reader)
    tiers = _read_tiers(reader, parameters)
    sections = _read_items(reader, doc_kinds, parameters)
    if reader.problems:
        raise XlsxImportError(reader.problems)
    data["documents"] = documents
    if parameters:
        data["parameters"] = list(parameters.values())
    if tiers:
        data["tiers"] = tiers
    data["sections"] = sections
    return data


def _read_info(reader: _Reader) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if SHEET_INFO not in reader.book.sheetnames:
        reader.add(SHEET_INFO, None, None, None, f"缺少工作表“{SHEET_INFO}”，请使用本软件生成的清单模板填写，不要改动工作表的名称。")
        return data
    sheet = reader.book[SHEET_INFO]
    by_label = {_text(row[0].value): (row[0].row, row[1].value if len(row) > 1 else None)
                for row in sheet.iter_rows(min_row=2) if row and _text(row[0].value)}
    for key, label, choices in INFO_FIELDS:
        row, value = by_label.get(label, (None, None))
        text = _text(value)
        if row is None:
            if key != "description":
                reader.add(SHEET_INFO, None, 1, "字段", f"缺少“{label}”这一行。")
            continue
        if not text:
            if key != "description":
                reader.add(SHEET_INFO, row, 2, label, "不能为空。")
            continue
        if key == "id" and not re.match(SLUG, text):
            reader.add(SHEET_INFO, row, 2, label, f"“{text}”格式不对：只能用小写英文字母开头，后接小写字母、数字、- 或 _。")
        elif key == "area" and text not in choices:
            reader.add(SHEET_INFO, row, 2, label, f"“{text}”不是可选的值，应为 1、3 或 N。")
        elif key == "order":
            try:
                data[key] = int(float(text))
            except ValueError:
                reader.add(SHEET_INFO, row, 2, label, f"应为整数，实际是“{text}”。")
            continue
        data[key] = text
    return {k: data[k] for k, _, _ in INFO_FIELDS if k in data}


def _read_documents(reader: _Reader) -> tuple[list[dict[str, Any]], dict[str, str]]:
    documents: list[dict[str, Any]] = []
    kinds: dict[str, str] = {}
    rows = reader.table(SHEET_DOCS, DOC_COLUMNS)
    if not rows and SHEET_DOCS in reader.book.sheetnames:
        reader.add(SHEET_DOCS, 2, 1, "文件代号", "至少要列出一份依据文件。")
    for row, record in rows:
        key = reader.required(SHEET_DOCS, row, record, "文件代号")
        title = reader.required(SHEET_DOCS, row, record, "文件名称").strip("《》")
        kind = reader.choice(SHEET_DOCS, row, record, "依据种类", KIND_CHOICES)
        if not _text(record.get("依据种类")):
            reader.required(SHEET_DOCS, row, record, "依据种类")
        if key and not re.match(SLUG, key):
            reader.add(SHEET_DOCS, row, record["_cols"]["文件代号"], "文件代号",
                       f"“{key}”格式不对：只能用小写英文字母开头，后接小写字母、数字、- 或 _。")
        elif key in kinds:
            reader.add(SHEET_DOCS, row, record["_cols"]["文件代号"], "文件代号", f"文件代号“{key}”重复。")
        year = reader.number(SHEET_DOCS, row, record, "年份", integer=True, low=1949, high=2100)
        doc: dict[str, Any] = {"key": key, "title": title, "kind": kind}
        for header, field in (("发文机关", "issuer"), ("文号", "number")):
            if _text(record.get(header)):
                doc[field] = _text(record.get(header))
        if year is not None:
            doc["year"] = int(year)
        if key:
            kinds.setdefault(key, kind)
        documents.append(doc)
    return documents, kinds


def _read_parameters(reader: _Reader) -> dict[str, dict[str, Any]]:
    parameters: dict[str, dict[str, Any]] = {}
    for row, record in reader.table(SHEET_PARAMS, PARAM_COLUMNS):
        name = reader.required(SHEET_PARAMS, row, record, "参数名")
        col = record["_cols"].get("参数名")
        if name and not re.match(PARAM_NAME, name):
            reader.add(SHEET_PARAMS, row, col, "参数名", f"“{name}”不能含空格、花括号、冒号或逗号，最多 30 个字。")
        elif name in parameters:
            reader.add(SHEET_PARAMS, row, col, "参数名", f"参数名“{name}”重复。")
        if _text(record.get("默认值")) == "":
            reader.required(SHEET_PARAMS, row, record, "默认值")
        integer = reader.choice(SHEET_PARAMS, row, record, "只允许整数", YES_NO) == "是"
        default = reader.number(SHEET_PARAMS, row, record, "默认值", integer=integer)
        source = reader.required(SHEET_PARAMS, row, record, "默认值来源")
        low = reader.number(SHEET_PARAMS, row, record, "最小值")
        high = reader.number(SHEET_PARAMS, row, record, "最大值")
        if default is not None and (low is not None and default < low or high is not None and default > high):
            reader.add(SHEET_PARAMS, row, record["_cols"].get("默认值"), "默认值", "默认值超出了最小值～最大值的范围。")
        param: dict[str, Any] = {"name": name, "default": _num(default) if default is not None else 0}
        if _text(record.get("单位")):
            param["unit"] = _text(record.get("单位"))
        param["source"] = source
        if integer:
            param["integer"] = True
        if low is not None:
            param["min"] = _num(low)
        if high is not None:
            param["max"] = _num(high)
        if _text(record.get("说明")):
            param["description"] = _text(record.get("说明"))
        if name and name not in parameters:
            parameters[name] = param
    return parameters


def _bound(reader: _Reader, sheet: str, row: int, record: dict, header: str, parameters: dict) -> Any:
    raw = _text(record.get(header))
    if not raw:
        return None
    match = PARAM_REF.match(raw)
    if match:
        if match.group(1) not in parameters:
            reader.add(sheet, row, record["_cols"].get(header), header,
                       f"引用了参数“{match.group(1)}”，但“参数”表中没有这个参数。")
        return {"param": match.group(1)}
    value = reader.number(sheet, row, record, header)
    return _num(value) if value is not None else None


def _read_tiers(reader: _Reader, parameters: dict) -> list[dict[str, Any]]:
    tiers = []
    header = TIER_COLUMNS[1].header
    seen: set[str] = set()
    for row, record in reader.table(SHEET_TIERS, TIER_COLUMNS):
        name = reader.required(SHEET_TIERS, row, record, "档次名称")
        if name in seen or name == "未达标":
            reader.add(SHEET_TIERS, row, record["_cols"].get("档次名称"), "档次名称",
                       f"档次名称“{name}”重复。" if name in seen else "“未达标”是低于最低一档时的名称，不用填写。")
        seen.add(name)
        if not _text(record.get(header)):
            reader.required(SHEET_TIERS, row, record, header)
        threshold = _bound(reader, SHEET_TIERS, row, record, header, parameters)
        if isinstance(threshold, (int, float)) and not 0 <= threshold <= 100:
            reader.add(SHEET_TIERS, row, record["_cols"].get(header), header, "得分率下限应在 0～100 之间。")
        tiers.append({"name": name, "min_percent": threshold if threshold is not None else 0})
    numbers = [parameters.get(t["min_percent"]["param"], {}).get("default") if isinstance(t["min_percent"], dict)
               else t["min_percent"] for t in tiers]
    if None not in numbers and any(a <= b for a, b in zip(numbers, numbers[1:])):
        reader.add(SHEET_TIERS, 2, 2, header, "档次应从高到低排列，得分率下限逐档降低（按参数默认值计算）。")
    return tiers


def _parse_options(reader: _Reader, row: int, record: dict) -> list[dict[str, Any]]:
    raw = _text(record.get("选项"))
    col = record["_cols"].get("选项")
    options: list[dict[str, Any]] = []
    if not raw:
        reader.add(SHEET_ITEMS, row, col, "选项", "选择题要填写选项，如“自主经营:合规；承包经营:不合规”。")
        return options
    labels: set[str] = set()
    for n, part in enumerate([p.strip() for p in re.split(r"[；;\n]", raw) if p.strip()], start=1):
        label, sep, verdict = part.replace("：", ":").rpartition(":")
        if not sep or verdict.strip() not in OPTION_COMPLIANCE or not label.strip():
            reader.add(SHEET_ITEMS, row, col, "选项",
                       f"第 {n} 个选项“{part}”应写成“选项文字:合规”“选项文字:不合规”或“选项文字:不适用”。")
            continue
        if label.strip() in labels:
            reader.add(SHEET_ITEMS, row, col, "选项", f"选项“{label.strip()}”重复。")
        labels.add(label.strip())
        options.append({"value": f"o{n}", "label": label.strip(), "compliant": OPTION_COMPLIANCE[verdict.strip()]})
    if len(options) < 2 and not any(p.row == row and p.header == "选项" for p in reader.problems):
        reader.add(SHEET_ITEMS, row, col, "选项", "选择题至少要有两个选项。")
    return options


def _answer_values(item: dict[str, Any]) -> dict[str, str] | None:
    """Label → value of an item's answers (是/否/不适用 or option labels); None for free answers."""
    answer = item.get("answer") or {"type": "yes_no"}
    if answer["type"] == "yes_no":
        return {"是": "yes", "否": "no", "不适用": NA}
    if answer["type"] == "choice":
        return {**{o["label"]: o["value"] for o in answer["options"]}, "不适用": NA}
    return None


def _read_items(reader: _Reader, doc_kinds: dict[str, str], parameters: dict) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    items: dict[str, dict[str, Any]] = {}
    rows = reader.table(SHEET_ITEMS, ITEM_COLUMNS)
    if not rows and SHEET_ITEMS in reader.book.sheetnames:
        reader.add(SHEET_ITEMS, 2, 1, "章节", "至少要有一个检查项。")
    placeholder = re.compile(r"\{([^{}]*)\}")
    for row, record in rows:
        cols = record["_cols"]
        section_title = reader.required(SHEET_ITEMS, row, record, "章节")
        item_id = reader.required(SHEET_ITEMS, row, record, "检查项编号")
        if item_id and not re.match(ITEM_ID, item_id):
            reader.add(SHEET_ITEMS, row, cols.get("检查项编号"), "检查项编号",
                       f"“{item_id}”格式不对：应为大写字母、短横线和两到三位数字，如 QX-01。")
        elif item_id in items:
            reader.add(SHEET_ITEMS, row, cols.get("检查项编号"), "检查项编号", f"检查项编号“{item_id}”重复。")
        texts = {h: reader.required(SHEET_ITEMS, row, record, h) for h in ("检查问题", "检查指引", "佐证材料")}
        for header, text in texts.items():
            for name in placeholder.findall(text):
                if name not in parameters:
                    reader.add(SHEET_ITEMS, row, cols.get(header), header,
                               f"文字引用了参数“{{{name}}}”，但“参数”表中没有这个参数。")
        photo = reader.choice(SHEET_ITEMS, row, record, "照片要求", tuple(PHOTO_BY_LABEL)) or "可选拍照"
        if not _text(record.get("严重程度")):
            reader.required(SHEET_ITEMS, row, record, "严重程度")
        severity = reader.choice(SHEET_ITEMS, row, record, "严重程度", SEVERITY_CHOICES)
        if _text(record.get("分值")) == "":
            reader.required(SHEET_ITEMS, row, record, "分值")
        score = reader.number(SHEET_ITEMS, row, record, "分值", integer=True, low=0, high=100)
        basis_kind = reader.choice(SHEET_ITEMS, row, record, "依据种类", KIND_CHOICES)
        bases = []
        basis_text = reader.required(SHEET_ITEMS, row, record, "依据")
        for part in [p.strip() for p in re.split(r"[；;\n]", basis_text) if p.strip()]:
            key, _, article = part.partition(" ")
            if key not in doc_kinds:
                known = "、".join(doc_kinds) or "无"
                reader.add(SHEET_ITEMS, row, cols.get("依据"), "依据",
                           f"“{key}”不是“依据文件”表中的文件代号（已列出：{known}）。")
            basis: dict[str, Any] = {"doc": key}
            if article.strip():
                basis["article"] = article.strip()
            if basis_kind:
                basis["kind"] = basis_kind
            bases.append(basis)
        item: dict[str, Any] = {
            "id": item_id, "question": texts["检查问题"], "guidance": texts["检查指引"],
            "evidence": {"description": texts["佐证材料"], "photo": PHOTO_BY_LABEL[photo].value},
            "severity": severity, "score": int(score) if score is not None else 0, "basis": bases,
        }
        answer_type = ANSWER_TYPES.get(reader.choice(SHEET_ITEMS, row, record, "答案类型", tuple(ANSWER_TYPES))
                                       or "是否题", "yes_no")
        if answer_type == "choice":
            item["answer"] = {"type": "choice", "options": _parse_options(reader, row, record)}
        elif answer_type == "number":
            answer: dict[str, Any] = {"type": "number"}
            if _text(record.get("单位")):
                answer["unit"] = _text(record.get("单位"))
            for header, field in (("下限", "min"), ("上限", "max")):
                bound = _bound(reader, SHEET_ITEMS, row, record, header, parameters)
                if bound is not None:
                    answer[field] = bound
            if "min" not in answer and "max" not in answer:
                reader.add(SHEET_ITEMS, row, cols.get("下限"), "下限", "数字题要填写合规范围：下限、上限至少填一个。")
            low, high = answer.get("min"), answer.get("max")
            if isinstance(low, (int, float)) and isinstance(high, (int, float)) and low > high:
                reader.add(SHEET_ITEMS, row, cols.get("下限"), "下限", f"下限 {low} 大于上限 {high}。")
            if reader.choice(SHEET_ITEMS, row, record, "只允许整数", YES_NO) == "是":
                answer["integer"] = True
            item["answer"] = answer
        elif answer_type in ("date", "text"):
            item["answer"] = {"type": answer_type}
        if answer_type != "choice" and _text(record.get("选项")):
            reader.add(SHEET_ITEMS, row, cols.get("选项"), "选项", "只有选择题才填写选项，请把答案类型改为“选择题”或清空选项。")
        condition = _text(record.get("显示条件"))
        if condition:
            _read_show_if(reader, row, cols.get("显示条件"), condition, item, items)
        if not sections or sections[-1]["title"] != section_title:
            sections.append({"id": f"s{len(sections) + 1}", "title": section_title, "items": []})
        sections[-1]["items"].append(item)
        if item_id and item_id not in items:
            items[item_id] = item
    return sections


def _read_show_if(reader: _Reader, row: int, col: int | None, text: str, item: dict, earlier: dict) -> None:
    target_id, sep, answers = text.replace(":", "：").partition("：")
    target_id = target_id.strip()
    if not sep or not answers.strip():
        reader.add(SHEET_ITEMS, row, col, "显示条件", f"“{text}”应写成“检查项编号：答案”，如“QX-01：承包经营、委托经营”。")
        return
    target = earlier.get(target_id)
    if target is None:
        reader.add(SHEET_ITEMS, row, col, "显示条件", f"“{target_id}”不是排在本项之前的检查项。")
        return
    values = _answer_values(target)
    if values is None:
        reader.add(SHEET_ITEMS, row, col, "显示条件", f"{target_id} 是数字、日期或文字题，不能作为显示条件。")
        return
    chosen = []
    for label in [a.strip() for a in answers.split("、") if a.strip()]:
        if label not in values:
            reader.add(SHEET_ITEMS, row, col, "显示条件",
                       f"“{label}”不是 {target_id} 的答案（可选：{'、'.join(values)}）。")
        else:
            chosen.append(values[label])
    if chosen:
        item["show_if"] = {"item": target_id, "in": chosen} if len(chosen) > 1 else {"item": target_id,
                                                                                   "equals": chosen[0]}


def checklist_yaml(data: dict[str, Any]) -> str:
    head = "# yaml-language-server: $schema=checklist.schema.json\n# 由 Excel 模板导入（selfcheck checklists import-xlsx）\n"
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def import_xlsx(path: Path, out_dir: Path) -> Path:
    """Turn a filled template into `out_dir/<id>.yaml`; raises XlsxImportError (every problem, nothing written)."""
    from selfcheck.checklists.loader import ChecklistLoadError, load_checklist_templates

    out_dir = Path(out_dir)
    data = read_template(path)
    text = checklist_yaml(data)
    with tempfile.TemporaryDirectory(prefix="selfcheck-xlsx-") as tmp:
        trial = Path(tmp) / f"{data['id']}.yaml"
        trial.write_text(text, encoding="utf-8")
        try:  # rules the sheet checks do not cover (e.g. a clash with a built-in id) still stop the import
            load_checklist_templates((), [trial])
        except ChecklistLoadError as err:
            raise XlsxImportError([XlsxProblem(SHEET_INFO if "清单编号" in p.message else SHEET_ITEMS, None, None,
                                               None, p.message) for p in err.problems]) from None
    target = out_dir / f"{data['id']}.yaml"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UserError(f"无法写出 {target}：{os_reason(err)}。") from None
    return target
