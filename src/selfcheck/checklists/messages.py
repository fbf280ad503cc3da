"""Plain-Chinese wording for pydantic validation errors in checklist files (YAML syntax: see yaml_messages)."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

FIELD_NAMES: dict[str, str] = {
    "id": "编号 id",
    "version": "版本 version",
    "title": "标题 title",
    "area": "领域 area",
    "order": "排序 order",
    "description": "说明 description",
    "documents": "依据文件列表 documents",
    "key": "文件代号 key",
    "issuer": "发文机关 issuer",
    "number": "文号 number",
    "year": "年份 year",
    "sections": "章节列表 sections",
    "items": "检查项列表 items",
    "question": "检查问题 question",
    "guidance": "检查指引 guidance",
    "evidence": "佐证要求 evidence",
    "photo": "照片要求 photo",
    "severity": "严重程度 severity",
    "score": "分值 score",
    "basis": "政策依据 basis",
    "doc": "依据文件 doc",
    "article": "条款 article",
    "answer": "答案类型 answer",
    "type": "类型 type",
    "options": "选项 options",
    "value": "选项值 value",
    "label": "选项名称 label",
    "compliant": "是否合规 compliant",
    "unit": "单位 unit",
    "min": "下限 min",
    "max": "上限 max",
    "integer": "是否整数 integer",
    "show_if": "显示条件 show_if",
    "item": "条件检查项 item",
    "equals": "条件值 equals",
    "in": "条件值列表 in",
    "kind": "依据种类 kind",
    "parameters": "参数列表 parameters",
    "name": "名称 name",
    "default": "默认值 default",
    "source": "默认值来源 source",
    "tiers": "得分档次 tiers",
    "min_percent": "得分率下限 min_percent",
    "param": "参数名 param",
}

_PATTERN_HINTS = {
    r"^[a-z][a-z0-9_-]*$": "只能用小写英文字母开头，后接小写字母、数字、- 或 _",
    r"^[A-Z]+-[0-9]{2,3}$": "应为大写字母、短横线和两到三位数字，如 MEAL-01",
    r"^[a-z0-9_]+$": "只能用小写字母、数字和 _",
}

_ENUM_HINTS = {
    "area": "“1”“3”或“N”（注意加引号）",
    "severity": "一般、较重、严重",
    "photo": "required、optional、required_if_noncompliant、none",
    "kind": "法律法规、部门文件、地方文件、参考做法",
}


def _where(loc: tuple[Any, ...], data: Any) -> str:
    """Name the checklist part a location points into, by item id or section id where possible."""
    node = data
    label = ""
    for index, part in enumerate(loc):
        if isinstance(node, dict):
            node = node.get(part) if isinstance(part, str) else None
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            parent = loc[index - 1] if index else None
            ident = node.get("id") if isinstance(node, dict) else None
            if parent == "items":
                label = f"检查项 {ident}" if ident else f"第 {part + 1} 个检查项"
            elif parent == "sections":
                label = f"章节 {ident}" if ident else f"第 {part + 1} 个章节"
            elif parent == "documents":
                key = node.get("key") if isinstance(node, dict) else None
                label = f"依据文件 {key}" if key else f"第 {part + 1} 个依据文件"
            elif parent == "options":
                label = (label + " 的" if label else "") + f"第 {part + 1} 个选项"
        else:
            node = None
    return f"{label}：" if label else ""


_UNION_MEMBERS = {"float", "int", "str", "bool"}  # pydantic names the member of a union (`min: float | ParamRef`)


def _field(loc: tuple[Any, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str) and part not in _UNION_MEMBERS and "[" not in part:
            return FIELD_NAMES.get(part, part)
    return "该项"


def _shown(value: Any) -> str:
    """A value as the user wrote it in YAML, not as Python prints it."""
    if isinstance(value, str):
        return f"“{value}”"
    if value is None:
        return "空值（null）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, dict):
        return "一个映射"
    return str(value) if isinstance(value, (int, float)) else f"“{value}”"


def relevant_errors(errors: list[Any]) -> list[Any]:
    """pydantic reports a value that fits no member of `float | ParamRef` once per member; keep only the one for
    the member the user meant: the parameter reference's for a mapping, the number's for anything else."""
    kept = []
    for error in errors:
        loc = tuple(error["loc"])
        if loc and loc[-1] in ("float", "ParamRef"):
            meant_ref = isinstance(error.get("input"), dict)
            if (loc[-1] == "ParamRef") != meant_ref:
                continue
        kept.append(error)
    return kept


def describe_validation_error(error: Any, data: Any) -> tuple[str, bool]:
    """A Chinese message for one pydantic error, and whether it points at a key rather than a value."""
    kind = error["type"]
    loc = tuple(error["loc"])
    where = _where(loc, data)
    field = _field(loc)
    value = error.get("input")
    ctx = error.get("ctx") or {}
    shown = _shown(value)
    if kind == "missing":
        return f"{where}缺少必填字段 {field}。", False
    if kind == "invalid_key":
        key = "null（空）" if value is None else shown
        return (f"{where}字段名 {key} 不是文本。字段名应是 id、title 这样的英文单词；"
                "如果确实要用 null、true、数字或日期作字段名，请给它加引号。"), True
    if kind == "extra_forbidden":
        return f"{where}有未知字段“{loc[-1]}”（可能是拼写错误；可用字段见 docs/checklist-format.md）。", True
    if kind in {"string_type"}:
        return f"{where}{field} 应为文本，实际是 {shown}（数字或 yes/no 之类的值请加引号）。", False
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"{where}{field} 应为整数，实际是 {shown}。", False
    if kind in {"float_type", "float_parsing"}:
        return f"{where}{field} 应为数字，实际是 {shown}。", False
    if kind == "finite_number":
        return f"{where}{field} 应为普通的数字，实际是 {shown}（不能写 .inf 或 .nan）。", False
    if kind in {"bool_type", "bool_parsing"}:
        return f"{where}{field} 应为 true 或 false，实际是 {shown}。", False
    if kind == "list_type":
        return f"{where}{field} 应为列表（每项以“- ”开头）。", False
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"{where}{field} 应为“字段: 值”的映射。", False
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(ctx.get("pattern", ""), f"应符合格式 {ctx.get('pattern')}")
        return f"{where}{field} {shown} 格式不对：{hint}。", False
    if kind == "string_too_short":
        return f"{where}{field} 不能为空。", False
    if kind == "too_short":
        return f"{where}{field} 至少需要 {ctx.get('min_length', 1)} 项。", False
    if kind == "enum" or kind == "literal_error":
        last = next((p for p in reversed(loc) if isinstance(p, str)), "")
        options = _ENUM_HINTS.get(last, ctx.get("expected", ""))
        return f"{where}{field} 的值 {shown} 无效，应为 {options}。", False
    if kind == "union_tag_invalid":
        return f"{where}答案类型 “{ctx.get('tag', '')}” 无效，应为 yes_no、choice、number、date 或 text。", False
    if kind == "union_tag_not_found":
        return f"{where}答案 answer 缺少 type（yes_no、choice、number、date 或 text）。", False
    if kind in {"greater_than_equal", "greater_than"}:
        return f"{where}{field} 不能小于 {ctx.get('ge', ctx.get('gt'))}，实际是 {shown}。", False
    if kind in {"less_than_equal", "less_than"}:
        return f"{where}{field} 不能大于 {ctx.get('le', ctx.get('lt'))}，实际是 {shown}。", False
    if kind == "value_error":
        reason = str(ctx.get("error", error.get("msg", ""))).rstrip("。") + "。"
        return f"{where}{reason}", False
    log.info("untranslated checklist validation error %s: %s", kind, error.get("msg"))  # the English, for support
    return f"{where}{field} 的值 {shown} 不符合要求，请对照 docs/checklist-format.md 修改。", False
