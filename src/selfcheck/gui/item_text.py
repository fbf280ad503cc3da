"""Rich-text descriptions of checklists and items shared by the checklist library and the fill-in view."""

from __future__ import annotations

from html import escape

from selfcheck.checklists.answers import compliant_range_text
from selfcheck.checklists.models import (
    AREA_TITLES,
    PHOTO_REQUIREMENT_LABELS,
    Basis,
    Checklist,
    ChoiceAnswer,
    DateAnswer,
    Item,
    NumberAnswer,
    PhotoRequirement,
    Section,
    TextAnswer,
)

SEVERITY_COLORS = {"一般": "#5f6b7a", "较重": "#b26a00", "严重": "#c62828"}


_TITLE_SUFFIXES = ("专项自查表", "专项检查表", "自查表", "检查表", "专项自查", "自查清单")


def short_title(title: str) -> str:
    """A checklist's title without the “专项自查表” every title ends with, for narrow places (the navigator, the
    breadcrumb); the full title goes in the tooltip."""
    for suffix in _TITLE_SUFFIXES:
        if title.endswith(suffix) and len(title) > len(suffix) + 1:
            return title[: -len(suffix)]
    return title


def area_label(area: str) -> str:
    return AREA_TITLES.get(area, area)


def answer_type_text(item: Item) -> str:
    """How the item is answered, e.g. “是 / 否 / 不适用” or “数字（课时，合规范围 ≥ 4 课时）”."""
    spec = item.answer
    if isinstance(spec, ChoiceAnswer):
        return "单选：" + " / ".join(o.label for o in spec.options) + " / 不适用"
    if isinstance(spec, NumberAnswer):
        parts = []
        if spec.unit:
            parts.append(f"单位：{spec.unit}")
        hint = compliant_range_text(spec)
        if hint:
            parts.append(f"合规范围 {hint}")
        if spec.integer:
            parts.append("整数")
        return "数字" + (f"（{'，'.join(parts)}）" if parts else "")
    if isinstance(spec, DateAnswer):
        return "日期"
    if isinstance(spec, TextAnswer):
        return "文字说明"
    return "是 / 否 / 不适用"


def basis_text(checklist: Checklist, basis: Basis) -> str:
    try:
        doc = checklist.document(basis.doc)
    except KeyError:
        return basis.doc
    text = f"《{doc.title}》"
    if doc.number:
        text += f"（{doc.number}）"
    if basis.article:
        text += basis.article
    kind = basis.kind or doc.kind
    if kind is not None:
        text += f"〔{kind.value}〕"
    return text


def parameters_html(checklist: Checklist) -> str:
    """The parameter values in force (and where each comes from) and the score tiers; "" when there are none."""
    from selfcheck.checklists.parameters import format_value
    from selfcheck.checklists.tiers import thresholds

    parts = []
    if checklist.applied is not None and checklist.applied.parameters:
        rows = "".join(
            f"<li>{escape(p.name)}：{format_value(p.value)}{escape(p.unit or '')}"
            f"<span style='color:#5f6b7a'>（{escape(p.source)}）</span></li>"
            for p in checklist.applied.parameters
        )
        parts.append(f"<p><b>参数取值</b></p><ul>{rows}</ul>")
    levels = thresholds(checklist)
    if levels:
        text = "；".join(f"{escape(name)}：得分率 ≥ {format_value(low)}%" for name, low in levels)
        parts.append(f"<p><b>得分档次</b>　{text}；低于最低一档为未达标</p>")
    return "".join(parts)


def photo_requirement_text(item: Item) -> str:
    return PHOTO_REQUIREMENT_LABELS[item.evidence.photo]


def _p(label: str, body: str) -> str:
    return f"<p style='margin:6px 0 0 0'><b>{escape(label)}</b>　{body}</p>"


def item_html(checklist: Checklist, item: Item, *, with_question: bool = True) -> str:
    """The full description of an item: question, guidance, evidence, basis, severity and score."""
    color = SEVERITY_COLORS.get(item.severity.value, "#333")
    head = (
        f"<p style='color:#5f6b7a;margin:0'>{escape(item.id)}　·　"
        f"<span style='color:{color}'>{escape(item.severity.value)}</span>　·　不合规扣 {item.score} 分</p>"
    )
    question = f"<p style='font-size:large;margin:4px 0 8px 0'><b>{escape(item.question)}</b></p>" if with_question else ""
    evidence = escape(item.evidence.description)
    if item.evidence.photo is not PhotoRequirement.NONE:
        evidence += f"（{escape(photo_requirement_text(item))}）"
    bases = "；".join(escape(basis_text(checklist, b)) for b in item.basis)
    body = [
        _p("检查指引", escape(item.guidance)),
        _p("佐证材料", evidence),
        _p("政策依据", bases),
        _p("作答方式", escape(answer_type_text(item))),
    ]
    if item.show_if is not None:
        values = "、".join(item.show_if.values)
        body.append(_p("显示条件", escape(f"当 {item.show_if.item} 的回答为 {values} 时检查此项")))
    return head + question + "".join(body)


def checklist_html(checklist: Checklist) -> str:
    """A checklist's header: title, version, area, description and the documents it rests on."""
    items = len(checklist.all_items())
    docs = "".join(
        f"<li>《{escape(d.title)}》" + (f"（{escape(d.number)}）" if d.number else "")
        + (f"　{escape(d.issuer)}" if d.issuer else "") + (f"　{d.year}年" if d.year else "")
        + (f"　〔{d.kind.value}〕" if d.kind else "") + "</li>"
        for d in checklist.documents
    )
    desc = f"<p>{escape(checklist.description)}</p>" if checklist.description else ""
    sections = "".join(f"<li>{escape(s.title)}（{len(s.items)} 项）</li>" for s in checklist.sections)
    return (
        f"<h3 style='margin:0'>{escape(checklist.title)}</h3>"
        f"<p style='color:#5f6b7a'>{escape(area_label(checklist.area.value))}　·　编号 {escape(checklist.id)}"
        f"　·　版本 {escape(checklist.version)}　·　{len(checklist.sections)} 个部分，{items} 个检查项</p>"
        f"{desc}<p><b>部分</b></p><ul>{sections}</ul><p><b>依据文件</b></p><ul>{docs}</ul>"
        f"{parameters_html(checklist)}"
    )


def section_html(checklist: Checklist, section: Section) -> str:
    rows = "".join(
        f"<li><span style='color:#5f6b7a'>{escape(i.id)}</span>　{escape(i.question)}</li>" for i in section.items
    )
    return (
        f"<h3 style='margin:0'>{escape(section.title)}</h3>"
        f"<p style='color:#5f6b7a'>{escape(checklist.title)}　·　{len(section.items)} 个检查项</p><ol>{rows}</ol>"
    )
