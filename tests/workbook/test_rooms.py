"""The Workbook facade hands out one room per concern; the rooms never import the facade, and no module grows large."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import selfcheck.workbook
from selfcheck.workbook.answers import Answers
from selfcheck.workbook.audit_log import AuditLog
from selfcheck.workbook.inspections import Inspections
from selfcheck.workbook.photos import Photos
from selfcheck.workbook.problems import Ledger
from selfcheck.workbook.service import Workbook

PACKAGE = Path(selfcheck.workbook.__file__).parent
ROOMS = ("inspections.py", "answers.py", "photos.py", "problems.py", "audit_log.py", "core.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_workbook_hands_out_one_room_per_concern(wb: Workbook) -> None:
    assert isinstance(wb.inspections, Inspections)
    assert isinstance(wb.answers, Answers)
    assert isinstance(wb.photos, Photos)
    assert isinstance(wb.ledger, Ledger)
    assert isinstance(wb.audit, AuditLog)


def test_rooms_work_together_through_the_facade(wb: Workbook, inspection_id: int) -> None:
    change = wb.answers.set(inspection_id, "TST-01", "否", note="制度未建立")
    assert change.problem is not None
    assert [p.id for p in wb.ledger.all(inspection_id)] == [change.problem.id]
    assert wb.inspections.progress(inspection_id).checklists[0].done == 1
    head, entries = wb.audit.head()
    assert entries >= 3 and len(head) == 64
    assert wb.audit.verify().ok


@pytest.mark.parametrize("module", ROOMS)
def test_no_room_imports_the_facade(module: str) -> None:
    imports = _imports(PACKAGE / module)
    assert "selfcheck.workbook.service" not in imports
    assert "selfcheck.workbook.service.Workbook" not in imports


def test_no_workbook_module_is_large() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 420} == {}


def test_the_facade_keeps_only_opening_school_info_and_backup() -> None:
    public = {name for name in vars(Workbook) if not name.startswith("_")}
    assert public == {"create", "open", "restore", "info", "get_school", "save_school", "backup"}
