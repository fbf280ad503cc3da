"""清单库: the loaded checklists by area (1/3/N) → sections → items, with versions, counts and item details."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidgetItem, QWidget

from selfcheck.checklists.models import AREA_ORDER, Checklist, Item
from selfcheck.gui.catalog import ChecklistCatalog
from selfcheck.gui.forms import load_form
from selfcheck.gui.item_text import area_label, checklist_html, item_html, section_html

_ROLE = Qt.ItemDataRole.UserRole


class LibraryPage(QWidget):
    """Browse every loaded checklist; works without a workbook (it is the app's first window)."""

    def __init__(self, catalog: ChecklistCatalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("library_page.ui", self)
        self._catalog = catalog
        self._init_widgets()
        self._init_signals()
        self._populate()

    def _init_widgets(self) -> None:
        title_font = QFont(self.form.title_label.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.form.title_label.setFont(title_font)
        header = self.form.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.form.splitter.setStretchFactor(0, 3)
        self.form.splitter.setStretchFactor(1, 2)
        self.form.splitter.setSizes([560, 420])
        if self._catalog.problem:
            self.form.problems_label.setText("⚠ " + self._catalog.problem)
            self.form.problems_label.setStyleSheet("color:#b26a00")
            self.form.problems_label.setVisible(True)

    def _init_signals(self) -> None:
        self.form.tree.currentItemChanged.connect(self._show_detail)
        self.form.search_edit.textChanged.connect(self.apply_filter)

    def refresh(self) -> None:
        """The catalog is fixed for the session; keep the user's filter applied."""
        self.apply_filter(self.form.search_edit.text())

    def _populate(self) -> None:
        tree = self.form.tree
        tree.clear()
        checklists = self._catalog.checklists
        pack = self._catalog.pack
        self.form.summary_label.setText(
            (f"共 {len(checklists)} 份检查清单，{self._catalog.item_count} 个检查项" if checklists
             else "没有可用的检查清单")
            + (f"；使用区县清单包“{pack.name}”（版本 {pack.version}）" if pack is not None else "")
        )
        areas: dict[str, QTreeWidgetItem] = {}
        for area in sorted({c.area.value for c in checklists}, key=AREA_ORDER.__getitem__):
            node = QTreeWidgetItem([area_label(area), "", ""])
            bold = QFont(node.font(0))
            bold.setBold(True)
            node.setFont(0, bold)
            node.setData(0, _ROLE, ("area", area))
            count = sum(len(c.all_items()) for c in checklists if c.area.value == area)
            node.setText(2, str(count))
            node.setFlags(node.flags() & ~Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
            tree.addTopLevelItem(node)
            areas[area] = node
        for checklist in checklists:
            self._add_checklist(areas[checklist.area.value], checklist)
        tree.expandToDepth(0)
        if tree.topLevelItemCount() and tree.topLevelItem(0).childCount():
            tree.setCurrentItem(tree.topLevelItem(0).child(0))

    def _add_checklist(self, parent: QTreeWidgetItem, checklist: Checklist) -> None:
        node = QTreeWidgetItem(parent, [checklist.title, checklist.version, str(len(checklist.all_items()))])
        node.setData(0, _ROLE, ("checklist", checklist))
        node.setToolTip(0, f"{checklist.title}（{checklist.id}）")
        for section in checklist.sections:
            sec = QTreeWidgetItem(node, [section.title, "", str(len(section.items))])
            sec.setData(0, _ROLE, ("section", (checklist, section)))
            for item in section.items:
                leaf = QTreeWidgetItem(sec, [f"{item.id}　{item.question}", "", ""])
                leaf.setData(0, _ROLE, ("item", (checklist, item)))
                leaf.setToolTip(0, item.question)

    def _show_detail(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        view = self.form.detail_view
        if current is None:
            view.clear()
            return
        kind, payload = current.data(0, _ROLE)
        if kind == "checklist":
            view.setHtml(checklist_html(payload))
        elif kind == "section":
            checklist, section = payload
            view.setHtml(section_html(checklist, section))
        elif kind == "item":
            checklist, item = payload
            view.setHtml(f"<p style='color:#5f6b7a'>{checklist.title}</p>" + item_html(checklist, item))
        else:
            view.setHtml(f"<h3>{area_label(payload)}</h3>")

    def apply_filter(self, text: str) -> None:
        """Show only items whose id or text contains `text` (and their sections and checklists)."""
        needle = text.strip().lower()
        tree = self.form.tree
        for a in range(tree.topLevelItemCount()):
            area = tree.topLevelItem(a)
            area_hit = False
            for c in range(area.childCount()):
                cl_node = area.child(c)
                cl_hit = False
                for s in range(cl_node.childCount()):
                    sec = cl_node.child(s)
                    sec_hit = False
                    for i in range(sec.childCount()):
                        leaf = sec.child(i)
                        _, (_checklist, item) = leaf.data(0, _ROLE)
                        hit = not needle or _matches(item, needle)
                        leaf.setHidden(not hit)
                        sec_hit |= hit
                    sec.setHidden(not sec_hit)
                    sec.setExpanded(bool(needle) and sec_hit)
                    cl_hit |= sec_hit
                cl_node.setHidden(not cl_hit)
                cl_node.setExpanded(bool(needle) and cl_hit)
                area_hit |= cl_hit
            area.setHidden(not area_hit)


def _matches(item: Item, needle: str) -> bool:
    return needle in item.id.lower() or needle in item.question.lower() or needle in item.guidance.lower()

