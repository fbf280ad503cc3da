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
    """Find every file named selfcheck-report.json in a document catalog's EmbeddedFiles name tree (including
    /Kids) and parse it when there is exactly one.

    FileAttachment annotations on pages are not searched: walking every page costs about half of pyHanko's own
    validation on a 200-photo report, and nothing can be placed in the school's signed revision without its key.
    """
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
    """Every name-tree entry called selfcheck-report.json (two entries are two attachments, even if they point at
    the same file specification: a reader could pick either)."""
    names = root.get("/Names")
    tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
    if tree is None:
        return []
    return [spec.get_object() for name, spec in _walk_name_tree(tree.get_object(), 0, [MAX_NAME_NODES])
            if name == ATTACHMENT_NAME]


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
