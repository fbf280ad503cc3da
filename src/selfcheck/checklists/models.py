"""Pydantic models of a checklist file; validation rules live here and produce the JSON Schema."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

SLUG = r"^[a-z][a-z0-9_-]*$"
ITEM_ID = r"^[A-Z]+-[0-9]{2,3}$"
OPTION_VALUE = r"^[a-z0-9_]+$"
PARAM_NAME = r"^[^\s{}\[\]:：,，]{1,30}$"


def _no_bool(kind: str, expected: str) -> BeforeValidator:
    """YAML reads `true`/`false` as booleans and pydantic would take them as 1/0: a number field refuses them."""

    def check(value: object) -> object:
        if isinstance(value, bool):
            raise PydanticCustomError(kind, "Input should be a valid {expected}", {"expected": expected})
        return value

    return BeforeValidator(check)


Int = Annotated[int, _no_bool("int_type", "integer")]
Number = Annotated[float, _no_bool("float_type", "number")]


NA = "na"  # every item may be answered 不适用
BELOW_LOWEST_TIER = "未达标"


class Area(str, Enum):
    MEALS = "1"
    THREE = "3"
    N = "N"


AREA_TITLES: dict[str, str] = {
    "1": "“1”：校园餐突出问题",
    "3": "“3”：教辅、校服、工程与设备采购",
    "N": "“N”：其他突出问题",
}


class Severity(str, Enum):
    GENERAL = "一般"
    SERIOUS = "较重"
    GRAVE = "严重"


class BasisKind(str, Enum):
    """What kind of text a basis is: only the first three oblige a school; 参考做法 shows what some place does."""

    LAW = "法律法规"
    MINISTRY = "部门文件"
    LOCAL = "地方文件"
    PRACTICE = "参考做法"


BINDING_KINDS = frozenset({BasisKind.LAW, BasisKind.MINISTRY, BasisKind.LOCAL})


class PhotoRequirement(str, Enum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    REQUIRED_IF_NONCOMPLIANT = "required_if_noncompliant"
    NONE = "none"


PHOTO_REQUIREMENT_LABELS = {
    PhotoRequirement.REQUIRED: "必须拍照",
    PhotoRequirement.OPTIONAL: "可选拍照",
    PhotoRequirement.REQUIRED_IF_NONCOMPLIANT: "不合规时必须拍照",
    PhotoRequirement.NONE: "无需照片",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


NonEmpty = Annotated[str, Field(min_length=1)]


class Document(_Strict):
    """A policy document a checklist rests on."""

    key: Annotated[str, Field(pattern=SLUG, description="在本文件内唯一的文件代号，供 basis.doc 引用")]
    title: Annotated[NonEmpty, Field(description="文件名称（不含书名号）")]
    issuer: str | None = Field(default=None, description="发文机关")
    number: str | None = Field(default=None, description="文号（仅在已核实时填写）")
    year: Annotated[int, Field(ge=1949, le=2100), _no_bool("int_type", "integer")] | None = None
    kind: BasisKind | None = Field(
        default=None, description="依据种类：法律法规、部门文件、地方文件、参考做法（清单文件中必填）")


class Basis(_Strict):
    """One policy citation: a document and, where verified, its article."""

    doc: Annotated[str, Field(pattern=SLUG, description="documents 中的 key")]
    article: str | None = Field(default=None, description="条款（仅在已核实时填写）")
    kind: BasisKind | None = Field(default=None, description="依据种类；不写时取所引文件的 kind")


class ParamRef(_Strict):
    """A number taken from a named parameter of the checklist, e.g. `max: {param: 一教一辅上限}`."""

    param: Annotated[str, Field(pattern=PARAM_NAME, description="parameters 中的参数名")]


class Parameter(_Strict):
    """A rule value that a province or district sets; items use it as {名称} in text and {param: 名称} in ranges."""

    name: Annotated[str, Field(pattern=PARAM_NAME, description="参数名，在文字中写作 {参数名}")]
    default: Number = Field(description="默认值")
    unit: str | None = Field(default=None, description="单位")
    source: Annotated[NonEmpty, Field(description="默认值的来源（哪份文件或哪里的做法）")]
    integer: bool = Field(default=False, description="是否只允许整数")
    min: Number | None = Field(default=None, description="区县可设定的最小值（含）")
    max: Number | None = Field(default=None, description="区县可设定的最大值（含）")
    description: str | None = Field(default=None, description="说明：这个参数管什么")

    @model_validator(mode="after")
    def _default_fits(self) -> Parameter:
        if self.integer and self.default != int(self.default):
            raise ValueError(f"参数 {self.name} 的默认值应为整数")
        if self.min is not None and self.default < self.min or self.max is not None and self.default > self.max:
            raise ValueError(f"参数 {self.name} 的默认值超出了它允许的范围")
        return self


class Tier(_Strict):
    """A score tier: reached when the score rate (得分率, % of the applicable points) is at least `min_percent`."""

    name: Annotated[NonEmpty, Field(description="档次名称，如 示范、规范、达标")]
    min_percent: Number | ParamRef = Field(description="得分率下限（%，含），可写 {param: 参数名}")


class PackRef(_Strict):
    """The district pack (区县清单包) whose values an inspection used."""

    name: NonEmpty
    version: NonEmpty
    district: str | None = None


class AppliedParameter(_Strict):
    name: NonEmpty
    value: Number
    unit: str | None = None
    source: NonEmpty = Field(description="取值来源：默认值（及其出处）或区县清单包")


class Applied(_Strict):
    """Filled in by the software when a checklist is loaded: the pack and the parameter values in force."""

    pack: PackRef | None = None
    parameters: list[AppliedParameter] = Field(default_factory=list)


class Evidence(_Strict):
    description: Annotated[NonEmpty, Field(description="应提供的佐证材料或应拍摄的内容")]
    photo: PhotoRequirement = Field(default=PhotoRequirement.OPTIONAL, description="照片要求")


class YesNoAnswer(_Strict):
    type: Literal["yes_no"] = "yes_no"


class ChoiceOption(_Strict):
    value: Annotated[str, Field(pattern=OPTION_VALUE)]
    label: NonEmpty
    compliant: bool | None = Field(description="true=合规，false=不合规，null=按不适用计")


class ChoiceAnswer(_Strict):
    type: Literal["choice"]
    options: Annotated[list[ChoiceOption], Field(min_length=2)]

    @model_validator(mode="after")
    def _unique_values(self) -> ChoiceAnswer:
        values = [o.value for o in self.options]
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            raise ValueError(f"选项值重复：{'、'.join(dupes)}")
        if NA in values:
            raise ValueError("选项值不能用 na（na 保留给“不适用”）")
        return self


class NumberAnswer(_Strict):
    type: Literal["number"]
    unit: str | None = None
    min: Number | ParamRef | None = Field(default=None, description="合规范围下限（含），可写 {param: 参数名}")
    max: Number | ParamRef | None = Field(default=None, description="合规范围上限（含），可写 {param: 参数名}")
    integer: bool = Field(default=False, description="是否只允许填写整数（人数、次数、套数等）")
    input_min: Number | None = Field(
        default=0, description="允许填写的最小值（含），默认 0：人数、次数、金额等不能为负数；确需负数时写明，如 -50；"
                               "null 表示不限")
    input_max: Number | None = Field(default=None, description="允许填写的最大值（含）；不写表示不限")

    @model_validator(mode="after")
    def _range(self) -> NumberAnswer:
        if isinstance(self.min, float) and isinstance(self.max, float) and self.min > self.max:
            raise ValueError(f"min（{self.min:g}）不能大于 max（{self.max:g}）")
        if self.input_min is not None and self.input_max is not None and self.input_min > self.input_max:
            raise ValueError(f"input_min（{self.input_min:g}）不能大于 input_max（{self.input_max:g}）")
        return self


class DateAnswer(_Strict):
    type: Literal["date"]


class TextAnswer(_Strict):
    type: Literal["text"]


AnswerSpec = Annotated[
    YesNoAnswer | ChoiceAnswer | NumberAnswer | DateAnswer | TextAnswer,
    Field(discriminator="type"),
]


def normalize_condition_value(value: object) -> object:
    """YAML 1.1 reads bare yes/no as booleans; in a show_if they mean the answers yes/no."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value


class ShowIf(_Strict):
    """Show an item only when an earlier item of the same checklist has one of the given answers."""

    item: Annotated[str, Field(pattern=ITEM_ID)]
    equals: str | None = None
    in_: list[str] | None = Field(default=None, alias="in")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _yaml_booleans(cls, data: object) -> object:
        if isinstance(data, dict):
            data = dict(data)
            if "equals" in data:
                data["equals"] = normalize_condition_value(data["equals"])
            if isinstance(data.get("in"), list):
                data["in"] = [normalize_condition_value(v) for v in data["in"]]
        return data

    @model_validator(mode="after")
    def _one_condition(self) -> ShowIf:
        if (self.equals is None) == (self.in_ is None):
            raise ValueError("show_if 需要且只能有 equals 或 in 其中之一")
        if self.in_ is not None and not self.in_:
            raise ValueError("show_if.in 不能为空列表")
        return self

    @property
    def values(self) -> tuple[str, ...]:
        return (self.equals,) if self.equals is not None else tuple(self.in_ or ())


class Item(_Strict):
    id: Annotated[str, Field(pattern=ITEM_ID, description="全局唯一的检查项编号，如 MEAL-11")]
    question: Annotated[NonEmpty, Field(description="检查问题；是/否题应使“是”表示合规")]
    guidance: Annotated[NonEmpty, Field(description="检查指引：看什么、怎么查")]
    evidence: Evidence
    severity: Severity
    score: Annotated[int, Field(ge=0, le=100, description="不合规时扣除的分值"), _no_bool("int_type", "integer")]
    basis: Annotated[list[Basis], Field(min_length=1)]
    answer: AnswerSpec = Field(default_factory=YesNoAnswer)
    show_if: ShowIf | None = None

    def allowed_values(self) -> tuple[str, ...] | None:
        """Values accepted for this item, or None where the value is free (number, date, text)."""
        if isinstance(self.answer, YesNoAnswer):
            return ("yes", "no", NA)
        if isinstance(self.answer, ChoiceAnswer):
            return (*(o.value for o in self.answer.options), NA)
        return None


class Section(_Strict):
    id: Annotated[str, Field(pattern=SLUG)]
    title: NonEmpty
    items: Annotated[list[Item], Field(min_length=1)]


class Checklist(_Strict):
    """One checklist file: a place in 1+3+N, the documents it rests on, and sections of items."""

    id: Annotated[str, Field(pattern=SLUG, description="清单编号（全局唯一，发布后不再改变）")]
    version: Annotated[NonEmpty, Field(description="版本号，内容有任何改动都要更新")]
    title: NonEmpty
    area: Area
    order: Int = Field(description="在所属领域内的排序")
    description: str | None = None
    documents: Annotated[list[Document], Field(min_length=1)]
    parameters: list[Parameter] = Field(default_factory=list, description="本清单使用的参数（各地取值不同的规则）")
    tiers: list[Tier] = Field(default_factory=list, description="得分档次，从高到低；低于最低一档为“未达标”")
    sections: Annotated[list[Section], Field(min_length=1)]
    applied: Applied | None = Field(default=None, description="由软件填写（所用清单包和参数取值），编写清单时不要填写")

    @model_validator(mode="before")
    @classmethod
    def _basis_kinds(cls, data: object) -> object:
        """A basis without its own kind takes the kind of the document it cites."""
        if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
            return data
        valid = {k.value for k in BasisKind}
        kinds = {d.get("key"): d.get("kind") for d in data["documents"]
                 if isinstance(d, dict) and isinstance(d.get("kind"), str) and d["kind"] in valid}
        if not kinds or not isinstance(data.get("sections"), list):
            return data
        sections = []
        for section in data["sections"]:
            if isinstance(section, dict) and isinstance(section.get("items"), list):
                items = []
                for item in section["items"]:
                    if isinstance(item, dict) and isinstance(item.get("basis"), list):
                        bases = [
                            {**b, "kind": kinds[b.get("doc")]}
                            if isinstance(b, dict) and b.get("kind") is None and b.get("doc") in kinds else b
                            for b in item["basis"]
                        ]
                        item = {**item, "basis": bases}
                    items.append(item)
                section = {**section, "items": items}
            sections.append(section)
        return {**data, "sections": sections}

    @model_validator(mode="after")
    def _tiers_descend(self) -> Checklist:
        names = [t.name for t in self.tiers]
        if len(set(names)) != len(names):
            raise ValueError("得分档次名称重复")
        if BELOW_LOWEST_TIER in names:
            raise ValueError(f"“{BELOW_LOWEST_TIER}”是低于最低一档时的名称，不能作为档次")
        thresholds = [t.min_percent for t in self.tiers]
        if all(isinstance(v, float) for v in thresholds):
            if any(not 0 <= v <= 100 for v in thresholds):  # type: ignore[operator]
                raise ValueError("得分档次的得分率下限应在 0～100 之间")
            if any(a <= b for a, b in zip(thresholds, thresholds[1:])):  # type: ignore[operator]
                raise ValueError("得分档次应从高到低排列，得分率下限逐档降低")
        return self

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)

    def all_items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def iter_items(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for item in section.items:
                yield section, item

    def item(self, item_id: str) -> Item:
        for item in self.all_items():
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def document(self, key: str) -> Document:
        for doc in self.documents:
            if doc.key == key:
                return doc
        raise KeyError(key)


def checklist_json_schema() -> dict:
    """The JSON Schema of a checklist file, for editor completion."""
    schema = Checklist.model_json_schema(by_alias=True)
    schema["title"] = "SelfCheck 检查清单"
    return schema


AREA_ORDER: dict[str, int] = {"1": 0, "3": 1, "N": 2}
