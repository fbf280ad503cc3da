"""Answer values for each answer type: normalising input, compliance, and display labels."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from enum import Enum

from selfcheck.checklists.models import (
    NA,
    ChoiceAnswer,
    DateAnswer,
    Item,
    NumberAnswer,
    TextAnswer,
    YesNoAnswer,
)
from selfcheck.errors import UserError

YES_NO_LABELS = {"yes": "是", "no": "否", NA: "不适用"}
MAX_TEXT_LENGTH = 5000


class Compliance(str, Enum):
    COMPLIANT = "compliant"
    NONCOMPLIANT = "noncompliant"
    NOT_APPLICABLE = "na"
    UNANSWERED = "unanswered"


COMPLIANCE_LABELS = {
    Compliance.COMPLIANT: "合规",
    Compliance.NONCOMPLIANT: "不合规",
    Compliance.NOT_APPLICABLE: "不适用",
    Compliance.UNANSWERED: "未作答",
}


class InvalidAnswerError(UserError):
    """An answer value that does not fit its item's answer type."""


MAX_DIGITS = 15  # significant digits a stored number keeps exactly (a double holds 15 for certain)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
NA_WORDS = (NA, YES_NO_LABELS[NA])  # 不适用 is accepted by its code and by its label for every item


def _format_number(value: float | Decimal) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "+0") else text
    return str(int(value)) if value == int(value) else repr(value)


class NumberProblem(ValueError):
    """Why a typed number cannot be stored; `kind`: empty, not_number, invalid, too_long, integer, below, above."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind


def parse_number(spec: NumberAnswer, text: str) -> Decimal:
    """The number typed for a number item, exactly; raises NumberProblem saying what to fix.

    Accepts half- and full-width digits, a sign, a decimal point and thousands separators (1,200); refuses
    what cannot be stored exactly (more than 15 significant digits), decimals where the checklist asks for a whole
    number, and values outside the item's input bounds (by default never below 0).
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip().replace("，", ",").replace(" ", "")
    if not raw:
        raise NumberProblem("empty", "不能为空。")
    if _GROUPED.match(raw):
        raw = raw.replace(",", "")
    if not _NUMBER.match(raw):
        try:
            float(raw)
        except ValueError:
            raise NumberProblem("not_number", "不是数字。") from None
        raise NumberProblem("invalid", "不是有效的数字。")  # 1e3, inf, nan: a float, not a number one writes
    number = Decimal(raw)
    digits = len(number.normalize().as_tuple().digits) if number else 1
    if digits > MAX_DIGITS:
        raise NumberProblem("too_long", f"位数过多（最多 {MAX_DIGITS} 位有效数字），无法精确保存，请核对后重新填写。")
    if spec.integer and number != number.to_integral_value():
        raise NumberProblem("integer", "只能填写整数。")
    if spec.input_min is not None and number < Decimal(repr(spec.input_min)):
        reason = "（人数、次数、金额等不能为负数）" if spec.input_min == 0 else ""
        raise NumberProblem("below", f"不能小于 {_format_number(spec.input_min)}{reason}。")
    if spec.input_max is not None and number > Decimal(repr(spec.input_max)):
        raise NumberProblem("above", f"不能大于 {_format_number(spec.input_max)}。")
    return number


def number_problem(spec: NumberAnswer, text: str) -> str | None:
    """What is wrong with `text` as this item's number (a hint shown while typing), or None when it will be stored."""
    if text.strip() in NA_WORDS:
        return None
    try:
        parse_number(spec, text)
    except NumberProblem as err:
        if err.kind == "not_number":
            return f"“{text.strip()}”不是数字：请只填写阿拉伯数字，可带小数点。"
        if err.kind == "invalid":
            return "请填写有效的数字（不用科学计数法）。"
        if err.kind == "integer":
            return "此项只能填写整数。"
        return f"数字{err}"
    return None


def normalize_answer(item: Item, value: str) -> str:
    """Return the canonical stored form of `value` for `item`; raises InvalidAnswerError with a Chinese message."""
    raw = value.strip() if isinstance(value, str) else value
    if raw in NA_WORDS:
        return NA
    spec = item.answer
    if isinstance(spec, YesNoAnswer):
        reverse = {label: code for code, label in YES_NO_LABELS.items()}
        raw = reverse.get(raw, raw)
        if raw not in YES_NO_LABELS:
            raise InvalidAnswerError(f"检查项 {item.id} 只能回答 是、否 或 不适用。")
        return raw
    if isinstance(spec, ChoiceAnswer):
        for option in spec.options:
            if raw in (option.value, option.label):
                return option.value
        labels = "、".join(o.label for o in spec.options)
        raise InvalidAnswerError(f"检查项 {item.id} 的答案应为以下选项之一：{labels}、不适用。")
    if isinstance(spec, NumberAnswer):
        try:
            return _format_number(parse_number(spec, str(raw)))
        except NumberProblem as err:
            if err.kind == "not_number":
                raise InvalidAnswerError(f"检查项 {item.id} 需要填写数字，“{raw}”不是数字。") from None
            if err.kind == "invalid":
                raise InvalidAnswerError(f"检查项 {item.id} 需要填写有效的数字。") from None
            if err.kind == "integer":
                raise InvalidAnswerError(f"检查项 {item.id} 需要填写整数。") from None
            raise InvalidAnswerError(f"检查项 {item.id} 的数字{err}") from None
    if isinstance(spec, DateAnswer):
        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise InvalidAnswerError(f"检查项 {item.id} 需要填写日期（如 2026-09-01），“{raw}”无法识别。") from None
    if isinstance(spec, TextAnswer):
        text = str(raw)
        if not text:
            raise InvalidAnswerError(f"检查项 {item.id} 的回答不能为空。")
        if len(text) > MAX_TEXT_LENGTH:
            raise InvalidAnswerError(f"检查项 {item.id} 的回答过长（最多 {MAX_TEXT_LENGTH} 字）。")
        return text
    raise AssertionError(f"unknown answer type {spec!r}")


def compliance_of(item: Item, value: str | None) -> Compliance:
    """Compliance of a stored answer value (None = unanswered). Visibility is handled by the scorer."""
    if value is None or value == "":
        return Compliance.UNANSWERED
    if value == NA:
        return Compliance.NOT_APPLICABLE
    spec = item.answer
    if isinstance(spec, YesNoAnswer):
        return Compliance.COMPLIANT if value == "yes" else Compliance.NONCOMPLIANT
    if isinstance(spec, ChoiceAnswer):
        for option in spec.options:
            if option.value == value:
                if option.compliant is None:
                    return Compliance.NOT_APPLICABLE
                return Compliance.COMPLIANT if option.compliant else Compliance.NONCOMPLIANT
        return Compliance.UNANSWERED  # an option removed in a later version: ask again
    if isinstance(spec, NumberAnswer):
        try:
            number = float(parse_number(spec, value))
        except ValueError:
            return Compliance.UNANSWERED  # stored before the item's bounds were checked: ask again
        low, high = _bound(spec.min), _bound(spec.max)
        if low is not None and number < low:
            return Compliance.NONCOMPLIANT
        if high is not None and number > high:
            return Compliance.NONCOMPLIANT
        return Compliance.COMPLIANT
    return Compliance.COMPLIANT


def answer_label(item: Item, value: str | None) -> str:
    """How an answer reads to a person: 是 / 否 / 不适用, an option's label, a number with its unit, a date, text."""
    if value is None or value == "":
        return "未作答"
    if value == NA:
        return "不适用"
    spec = item.answer
    if isinstance(spec, YesNoAnswer):
        return YES_NO_LABELS.get(value, value)
    if isinstance(spec, ChoiceAnswer):
        return next((o.label for o in spec.options if o.value == value), value)
    if isinstance(spec, NumberAnswer) and spec.unit:
        return f"{value} {spec.unit}"
    return value


def compliant_range_text(spec: NumberAnswer) -> str | None:
    """e.g. “≥ 4 课时”, “1–3 次”; None when any number is compliant."""
    unit = f" {spec.unit}" if spec.unit else ""
    low, high = _bound(spec.min), _bound(spec.max)
    if low is not None and high is not None:
        return f"{_format_number(low)}–{_format_number(high)}{unit}"
    if low is not None:
        return f"≥ {_format_number(low)}{unit}"
    if high is not None:
        return f"≤ {_format_number(high)}{unit}"
    return None


def _bound(value: object) -> float | None:
    """A compliant-range bound; loaded checklists have numbers here (parameters are resolved on loading)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    raise ValueError(f"compliant range bound {value!r} was not resolved; load checklists through the loader")
