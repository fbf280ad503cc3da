"""`selfcheck checklists template FILE.xlsx`: the Excel template a district fills in instead of writing YAML,
optionally pre-filled with an existing checklist."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from selfcheck.checklists.models import (
    PHOTO_REQUIREMENT_LABELS,
    Checklist,
    ChoiceAnswer,
    NumberAnswer,
    ParamRef,
    YesNoAnswer,
)
from selfcheck.checklists.parameters import format_value
from selfcheck.checklists.xlsx_layout import (
    ANSWER_LABELS,
    DOC_COLUMNS,
    GUIDE_LINES,
    INFO_FIELDS,
    ITEM_COLUMNS,
    MAX_ROWS,
    OPTION_COMPLIANCE,
    PARAM_COLUMNS,
    SHEET_DOCS,
    SHEET_GUIDE,
    SHEET_INFO,
    SHEET_ITEMS,
    SHEET_PARAMS,
    SHEET_TIERS,
    TIER_COLUMNS,
    Column,
)
from selfcheck.errors import UserError
from selfcheck.oserrors import os_reason

HEADER_FILL = "DDE6F0"
REQUIRED_FILL = "FCE8CF"


def _bound_text(value: float | ParamRef | None) -> Any:
    if value is None:
        return None
    if isinstance(value, ParamRef):
        return f"{{{value.param}}}"
    return int(value) if value == int(value) else value


def _option_text(answer: ChoiceAnswer) -> str:
    words = {v: k for k, v in OPTION_COMPLIANCE.items()}
    return "；".join(f"{o.label}:{words[o.compliant]}" for o in answer.options)


def _show_if_text(checklist: Checklist, item_id: str, values: Sequence[str]) -> str:
    target = checklist.item(item_id)
    labels = []
    for value in values:
        if isinstance(target.answer, ChoiceAnswer):
            labels.append(next((o.label for o in target.answer.options if o.value == value), value))
        else:
            labels.append({"yes": "是", "no": "否", "na": "不适用"}.get(value, value))
    return f"{item_id}：{'、'.join(labels)}"


def item_rows(checklist: Checklist) -> list[list[Any]]:
    rows = []
    for section, item in checklist.iter_items():
        answer = item.answer
        number = answer if isinstance(answer, NumberAnswer) else None
        kinds = {b.kind for b in item.basis if b.kind is not None}
        doc_kinds = {checklist.document(b.doc).kind for b in item.basis}
        rows.append([
            section.title, item.id, item.question, item.guidance, item.evidence.description,
            PHOTO_REQUIREMENT_LABELS[item.evidence.photo], item.severity.value, item.score,
            "；".join(f"{b.doc} {b.article}" if b.article else b.doc for b in item.basis),
            next(iter(kinds)).value if len(kinds) == 1 and kinds != doc_kinds else None,
            None if isinstance(answer, YesNoAnswer) else ANSWER_LABELS[answer.type],
            _option_text(answer) if isinstance(answer, ChoiceAnswer) else None,
            number.unit if number else None, _bound_text(number.min) if number else None,
            _bound_text(number.max) if number else None, ("是" if number.integer else "否") if number else None,
            _show_if_text(checklist, item.show_if.item, item.show_if.values) if item.show_if else None,
        ])
    return rows


def _table(book: Any, title: str, columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> Any:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if column.required else HEADER_FILL)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        if column.note:
            cell.comment = Comment(column.note + ("（必填）" if column.required else ""), "SelfCheck")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        if column.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle="请从列表中选择",
                                        error=f"{column.header}只能是：{'、'.join(column.choices)}")
            validation.add(f"{letter}2:{letter}{MAX_ROWS}")
            sheet.add_data_validation(validation)
    for header in ("分值",):
        if header in [c.header for c in columns]:
            letter = get_column_letter([c.header for c in columns].index(header) + 1)
            validation = DataValidation(type="whole", operator="between", formula1="0", formula2="100",
                                        allow_blank=True, showErrorMessage=True, error="分值应为 0～100 的整数")
            validation.add(f"{letter}2:{letter}{MAX_ROWS}")
            sheet.add_data_validation(validation)
    for r_index, row in enumerate(rows, start=2):
        for c_index, value in enumerate(row, start=1):
            cell = sheet.cell(row=r_index, column=c_index, value=value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    return sheet


def build_template(checklist: Checklist | None = None) -> Any:
    """An openpyxl Workbook: the template, empty or filled with `checklist` (as written, parameters unresolved)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    guide = book.active
    guide.title = SHEET_GUIDE
    for row, line in enumerate(GUIDE_LINES, start=1):
        guide.cell(row=row, column=1, value=line)
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 120

    info = book.create_sheet(SHEET_INFO)
    info.column_dimensions["A"].width = 16
    info.column_dimensions["B"].width = 60
    info["A1"], info["B1"] = "字段", "内容"
    info["A1"].font = info["B1"].font = Font(bold=True)
    for row, (key, label, choices) in enumerate(INFO_FIELDS, start=2):
        info.cell(row=row, column=1, value=label).font = Font(bold=True)
        value = getattr(checklist, key) if checklist else None
        if key == "area" and checklist is not None:
            value = checklist.area.value
        info.cell(row=row, column=2, value=value)
        if choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=False,
                                        showErrorMessage=True, error=f"只能是：{'、'.join(choices)}")
            validation.add(f"B{row}")
            info.add_data_validation(validation)

    docs = [[d.key, d.title, d.kind.value if d.kind else None, d.issuer, d.number, d.year]
            for d in (checklist.documents if checklist else [])]
    _table(book, SHEET_DOCS, DOC_COLUMNS, docs)
    _table(book, SHEET_ITEMS, ITEM_COLUMNS, item_rows(checklist) if checklist else [])
    params = [[p.name, int(p.default) if p.default == int(p.default) else p.default, p.unit, p.source,
               "是" if p.integer else "否", p.min, p.max, p.description]
              for p in (checklist.parameters if checklist else [])]
    _table(book, SHEET_PARAMS, PARAM_COLUMNS, params)
    tiers = [[t.name, _bound_text(t.min_percent)] for t in (checklist.tiers if checklist else [])]
    _table(book, SHEET_TIERS, TIER_COLUMNS, tiers)
    return book


def write_template(out: Path, checklist: Checklist | None = None) -> Path:
    """Write the template to `out` atomically; raises UserError with a Chinese message when it cannot."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UserError(f"模板文件名应以 .xlsx 结尾：{out.name}")
    if not out.parent.is_dir():
        raise UserError(f"保存模板的文件夹不存在：{out.parent}")
    book = build_template(checklist)
    try:
        fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=out.parent)
    except OSError as err:  # a read-only folder or stick
        raise UserError(f"无法在 {out.parent} 中保存模板：{os_reason(err)}。") from None
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, out)
    except PermissionError:  # Windows: the folder was writable (mkstemp), so it is the file that is held open
        raise UserError(f"无法写入 {out.name}：文件可能正在 Excel 或 WPS 中打开，请关闭后再试。") from None
    except OSError as err:
        raise UserError(f"无法写入 {out.name}：{os_reason(err)}。") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


__all__ = ["build_template", "format_value", "write_template"]
