"""问题最多的检查项: for every checklist item, in how many schools it was non-compliant."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from selfcheck.gui.district.common import set_up_table
from selfcheck.gui.district.context import DistrictContext
from selfcheck.gui.district.table_model import Column, percent
from selfcheck.gui.forms import load_form
from selfcheck.gui.widgets import ProgressDelegate

NONCOMPLIANT_COLUMN = 3

QUESTION_COLUMN = 2  # takes the spare width: the question is what the officer reads
ITEM_COLUMNS = [
    Column("检查项", lambda i: i.item_id, width=7),
    Column("清单", lambda i: i.checklist_title, width=10),
    Column("题目", lambda i: i.question, width=40),
    Column("不合规学校", lambda i: i.schools_noncompliant, numeric=True, width=6,
           progress=lambda i: (i.schools_noncompliant, i.schools_reporting),
           tooltip="答为不合规的学校数 / 对该项作出合规或不合规回答的学校数"),
    Column("作答学校", lambda i: i.schools_reporting, numeric=True, width=5),
    Column("不合规比例", lambda i: i.rate, percent, numeric=True),
]


class ItemsPage(QWidget):
    message = Signal(str)

    def __init__(self, context: DistrictContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("district_items_page.ui", self)
        self._ctx = context
        self._desk = context.desk
        f = self.form
        self.model, self.proxy = set_up_table(f.items_table, ITEM_COLUMNS, sort_column=NONCOMPLIANT_COLUMN,
                                              descending=True, stretch_column=QUESTION_COLUMN)
        f.items_table.setItemDelegateForColumn(NONCOMPLIANT_COLUMN, ProgressDelegate(f.items_table))
        f.search_edit.textChanged.connect(self._filter)
        f.failing_only_check.toggled.connect(self._filter)
        self.proxy.set_row_filter(lambda i: i.schools_noncompliant > 0)

    def refresh(self) -> None:
        workspace = self._desk.require()
        campaign = workspace.campaigns.current()
        self.model.set_rows(workspace.summary.failing_items(campaign.id if campaign is not None else None))
        self._update_count()

    def _filter(self) -> None:
        f = self.form
        self.proxy.set_row_filter((lambda i: i.schools_noncompliant > 0) if f.failing_only_check.isChecked() else None)
        self.proxy.setFilterFixedString(f.search_edit.text())
        self._update_count()

    def _update_count(self) -> None:
        failing = sum(1 for i in self.model.rows if i.schools_noncompliant)
        self.form.count_label.setText(f"{failing} 个检查项在至少一所学校不合规（共 {self.model.rowCount()} 项）")
