"""The report's `selfcheck-report.json` attachments as one revision of the PDF holds them: every copy is found."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from selfcheck.report.data import ATTACHMENT_NAME, ReportData

log = logging.getLogger(__name__)

MAX_TREE_DEPTH = 32
MAX_NAME_NODES = 10_000


@dataclass(frozen=True)
class EmbeddedReport:
    """The outcome of reading the report attachment: `data` when exactly one valid copy exists, else a problem."""

    copies: int
    data: ReportData | None
    problem: str | None
    kind: str | None  # "not_selfcheck" or "tampered" when `problem` is set


def read_report_attachment(root: Any) -> EmbeddedReport:
    """Find every file named selfcheck-report.json in a document catalog (the EmbeddedFiles name tree, including
    /Kids, and FileAttachment annotations on pages) and parse it when there is exactly one."""
    try:
        specs = _named_specs(root)
    except Exception as err:  # a damaged tree in an altered file
        log.info("attachment tree unreadable: %r", err)
        return EmbeddedReport(0, None, f"附件结构已损坏，无法读取内嵌数据（{type(err).__name__}）。", "tampered")
    if not specs:
        return EmbeddedReport(0, None, f"签名的内容中没有内嵌数据 {ATTACHMENT_NAME}，不是 SelfCheck 导出的报告。",
                              "not_selfcheck")
    if len(specs) > 1:
        return EmbeddedReport(len(specs), None,
                              f"文件中有 {len(specs)} 个名为 {ATTACHMENT_NAME} 的附件，正常的报告只有一个：无法确定哪一份是学校签署的数据。",
                              "tampered")
    try:
        raw = specs[0]["/EF"]["/F"].get_object().data
    except Exception as err:
        log.info("attachment stream unreadable: %r", err)
        return EmbeddedReport(1, None, f"内嵌数据 {ATTACHMENT_NAME} 已损坏，无法读取（{type(err).__name__}）。",
                              "not_selfcheck")
    from pydantic import ValidationError

    try:
        data = ReportData.from_json(raw)
    except ValidationError as err:
        return EmbeddedReport(1, None, f"内嵌数据不符合 selfcheck-report/1 格式（{err.error_count()} 处错误）。",
                              "not_selfcheck")
    return EmbeddedReport(1, data, None, None)


def _named_specs(root: Any) -> list[Any]:
    found: list[Any] = []
    seen: set[Any] = set()

    def add(spec: Any) -> None:
        key = _identity(spec)
        if key not in seen:
            seen.add(key)
            found.append(spec.get_object() if hasattr(spec, "get_object") else spec)

    names = root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    if tree is not None:
        budget = [MAX_NAME_NODES]
        for name, spec in _walk_name_tree(tree.get_object(), 0, budget):
            if name == ATTACHMENT_NAME:
                add(spec)
    pages = root.get("/Pages")
    if pages is not None:
        for page in _pages(pages.get_object(), 0, [MAX_NAME_NODES]):
            for annot in page.get("/Annots") or []:
                annot_obj = annot.get_object()
                if str(annot_obj.get("/Subtype")) != "/FileAttachment" or "/FS" not in annot_obj:
                    continue
                spec = annot_obj.raw_get("/FS")
                if _spec_name(spec.get_object()) == ATTACHMENT_NAME:
                    add(spec)
    return found


def _walk_name_tree(node: Any, depth: int, budget: list[int]) -> Any:
    if depth > MAX_TREE_DEPTH:
        raise ValueError("name tree too deep")
    entries = node.get("/Names")
    if entries is not None:
        entries = entries.get_object()
        for i in range(0, len(entries) - 1, 2):
            budget[0] -= 1
            if budget[0] < 0:
                raise ValueError("name tree too large")
            yield str(entries[i]), entries.raw_get(i + 1)
    for kid in (node.get("/Kids") or []):
        yield from _walk_name_tree(kid.get_object(), depth + 1, budget)


def _pages(node: Any, depth: int, budget: list[int]) -> Any:
    if depth > MAX_TREE_DEPTH:
        raise ValueError("page tree too deep")
    budget[0] -= 1
    if budget[0] < 0:
        raise ValueError("page tree too large")
    if str(node.get("/Type")) == "/Page" or "/Kids" not in node:
        yield node
        return
    for kid in node["/Kids"]:
        yield from _pages(kid.get_object(), depth + 1, budget)


def _spec_name(spec: Any) -> str:
    for key in ("/UF", "/F"):
        if key in spec:
            return str(spec[key])
    return ""


def _identity(spec: Any) -> Any:
    """Indirect file specifications are the same attachment when they are the same object."""
    if hasattr(spec, "idnum"):
        return ("ref", spec.idnum, spec.generation)
    return ("obj", id(spec))
