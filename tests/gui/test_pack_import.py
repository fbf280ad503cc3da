"""File → 导入区县清单包…: the pack is validated and installed, and new inspections offer its checklists and values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from selfcheck.checklists.packs import default_installed_root, installed_pack, write_pack, zip_pack
from tests.checklists.test_packs import LOCAL
from tests.gui.helpers import record_user_errors


def _pack_zip(tmp_path: Path, values: dict[str, float]) -> Path:
    source = tmp_path / "district-extra.yaml"
    source.write_text(LOCAL, encoding="utf-8")
    folder = write_pack(tmp_path / "pack", name="某区清单包", version="2026.2", values=values,
                        checklist_files=[source])
    return zip_pack(folder, tmp_path / "某区清单包.zip")


def test_import_pack_from_the_file_menu(make_window: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    window = make_window()
    archive = _pack_zip(tmp_path, {"一教一辅上限": 2, "补充课时": 3})
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *a: shown.append(text))
    window.form.action_import_pack.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "某区清单包" in shown[0] and "一教一辅上限 = 2" in shown[0]
    assert installed_pack(default_installed_root()).version == "2026.2"
    catalog = window.test_context.checklists()
    assert catalog.pack is not None and catalog.pack.name == "某区清单包"
    extra = catalog.get("district-extra")
    assert extra is not None and "不少于 3 课时" in extra.item("DXT-01").question
    assert "不超过 2 套" in catalog.get("books").item("BOOK-02").guidance
    library = window.show_page("library")
    assert "使用区县清单包“某区清单包”（版本 2026.2）" in library.form.summary_label.text()


def test_a_broken_pack_is_refused_with_a_chinese_message(make_window: Any, qtbot: Any, tmp_path: Path,
                                                         monkeypatch: Any) -> None:
    window = make_window()
    archive = _pack_zip(tmp_path, {"一教一辅上限": 1.5})
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    errors = record_user_errors(monkeypatch, [])  # the real message box, only its modal exec stubbed
    window.form.action_import_pack.trigger()
    qtbot.waitUntil(lambda: bool(errors), timeout=30_000)
    assert any("应为整数" in e for e in errors)
    assert window.test_context.checklists().pack is None
