"""Answer values for each answer type: normalising input, compliance, and display labels."""

from __future__ import annotations

import math
from datetime import date
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


def _format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def normalize_answer(item: Item, value: str) -> str:
    """Return the canonical stored form of `value` for `item`; raises InvalidAnswerError with a Chinese message."""
    raw = value.strip() if isinstance(value, str) else value
    if raw == NA:
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
            number = float(str(raw).replace("，", "").replace(",", ""))
        except ValueError:
            raise InvalidAnswerError(f"检查项 {item.id} 需要填写数字，“{raw}”不是数字。") from None
        if not math.isfinite(number):
            raise InvalidAnswerError(f"检查项 {item.id} 需要填写有效的数字。")
        if spec.integer and number != int(number):
            raise InvalidAnswerError(f"检查项 {item.id} 需要填写整数。")
        return _format_number(number)
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
            number = float(value)
        except ValueError:
            return Compliance.UNANSWERED
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
