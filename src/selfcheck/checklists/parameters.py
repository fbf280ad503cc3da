"""Named parameters: rules a province or district sets. Resolution puts their values into a checklist's text
({名称}), compliant ranges and tier thresholds ({param: 名称}), and records the values and where they came from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from selfcheck.checklists.models import Applied, AppliedParameter, Checklist, PackRef

PLACEHOLDER = re.compile(r"\{([^{}\s]*)\}")
DEFAULT_SOURCE = "默认值"


def format_value(value: float) -> str:
    """1.0 → "1", 0.5 → "0.5"."""
    return str(int(value)) if value == int(value) else f"{value:g}"


def pack_source(pack: PackRef) -> str:
    return f"区县清单包：{pack.name}（版本 {pack.version}）"


def default_source(source: str) -> str:
    return f"{DEFAULT_SOURCE}（{source}）"


def _substitute(node: Any, values: Mapping[str, float]) -> Any:
    if isinstance(node, str):
        return PLACEHOLDER.sub(lambda m: format_value(values[m.group(1)]) if m.group(1) in values else m.group(0),
                               node)
    if isinstance(node, list):
        return [_substitute(v, values) for v in node]
    if isinstance(node, dict):
        if set(node) == {"param"} and node["param"] in values:
            return values[node["param"]]
        return {k: v if k == "parameters" else _substitute(v, values) for k, v in node.items()}
    return node


def resolve_checklist(checklist: Checklist, values: Mapping[str, float] | None = None,
                      pack: PackRef | None = None) -> Checklist:
    """The checklist with its parameters' values in place: `values` (a district pack's) override the defaults.

    Values for parameters the checklist does not declare are ignored (a pack sets values for all its checklists).
    A checklist that was already resolved (a snapshot) is returned unchanged: an old inspection keeps its values.
    """
    if checklist.applied is not None:
        return checklist
    values = values or {}
    in_force: dict[str, float] = {}
    applied: list[AppliedParameter] = []
    for parameter in checklist.parameters:
        if parameter.name in values and pack is not None:
            value, source = float(values[parameter.name]), pack_source(pack)
        elif parameter.name in values:
            value, source = float(values[parameter.name]), "设定值"
        else:
            value, source = parameter.default, default_source(parameter.source)
        in_force[parameter.name] = value
        applied.append(AppliedParameter(name=parameter.name, value=value, unit=parameter.unit, source=source))
    data = _substitute(checklist.model_dump(mode="json", by_alias=True), in_force)
    data["applied"] = Applied(pack=pack, parameters=applied).model_dump(mode="json", exclude_none=True)
    return Checklist.model_validate(data)


def value_problems(parameter_defs: Mapping[str, Any], values: Mapping[str, object]) -> list[tuple[str, str]]:
    """(name, Chinese message) for every value that does not fit its declared parameter.

    `parameter_defs` maps names to Parameter models (from any checklist that declares them)."""
    problems: list[tuple[str, str]] = []
    for name, raw in values.items():
        parameter = parameter_defs.get(name)
        if parameter is None:
            known = "、".join(sorted(parameter_defs)) or "无"
            problems.append((name, f"参数“{name}”没有哪份清单使用（可设定的参数：{known}）。"))
            continue
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            problems.append((name, f"参数“{name}”的取值应为数字，实际是“{raw}”。"))
            continue
        value = float(raw)
        unit = parameter.unit or ""
        if parameter.integer and value != int(value):
            problems.append((name, f"参数“{name}”的取值应为整数，实际是 {format_value(value)}。"))
        if parameter.min is not None and value < parameter.min:
            problems.append((name, f"参数“{name}”的取值 {format_value(value)}{unit} 小于允许的最小值 "
                                   f"{format_value(parameter.min)}{unit}。"))
        if parameter.max is not None and value > parameter.max:
            problems.append((name, f"参数“{name}”的取值 {format_value(value)}{unit} 大于允许的最大值 "
                                   f"{format_value(parameter.max)}{unit}。"))
    return problems


def text_placeholders(text: str) -> list[str]:
    """The parameter names a text refers to as {名称} (an empty or malformed brace pair yields "")."""
    return PLACEHOLDER.findall(text)


def has_stray_brace(text: str) -> bool:
    return "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text)
