"""File → 导入区县清单包…: choose a pack (.zip, or the pack.yaml of a folder), validate and install it off the GUI
thread, then have the window reload its checklist catalog."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from selfcheck.gui.catalog import load_catalog
from selfcheck.gui.context import AppContext

PACK_FILTER = "区县清单包 (*.zip pack.yaml);;所有文件 (*)"


def pack_summary(pack: object) -> str:
    from selfcheck.checklists.parameters import format_value

    values = "、".join(f"{name} = {format_value(value)}" for name, value in pack.values.items())  # type: ignore[attr-defined]
    ids = "、".join(pack.checklist_ids) or "无（只设定参数取值）"  # type: ignore[attr-defined]
    return (f"已导入区县清单包“{pack.name}”（版本 {pack.version}）。\n\n"  # type: ignore[attr-defined]
            f"清单：{ids}\n参数取值：{values or '无'}\n\n"
            "之后新建的自查将使用这些清单和参数取值；已开始的自查保持原来的清单和取值不变。")


def import_district_pack(window: QWidget, ctx: AppContext, on_imported: Callable[[], None]) -> None:
    """Ask for a pack and import it; `on_imported` runs on the GUI thread after the catalog was replaced."""
    from selfcheck.checklists.packs import MANIFEST, default_installed_root, import_pack

    folder = ctx.settings.last_folder("pack") or str(Path.home())
    name, _ = QFileDialog.getOpenFileName(window, "导入区县清单包", folder, PACK_FILTER)
    if not name:
        return
    source = Path(name)
    ctx.settings.set_last_folder("pack", str(source.parent))
    if source.name == MANIFEST:
        source = source.parent
    root = default_installed_root()

    def work(_progress: object) -> tuple[object, object]:
        pack = import_pack(source, root)
        return pack, load_catalog()  # loaded here, off the GUI thread

    def done(result: tuple[object, object]) -> None:
        pack, catalog = result
        ctx.checklists = functools.cache(lambda: catalog)
        on_imported()
        QMessageBox.information(window, "导入区县清单包", pack_summary(pack))

    ctx.tasks.run(work, title="导入区县清单包", label=f"正在校验并导入“{source.name}”……", parent=window,
                  on_success=done, cancellable=False)
