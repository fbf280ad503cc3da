"""添加学校 / 修改学校信息: no field takes more than the roster keeps, so the longest name ever typed is saved whole."""

from __future__ import annotations

from typing import Any

from selfcheck.district.models import School
from selfcheck.gui.district.roster_page import SchoolDialog
from tests.gui.helpers import type_text


def test_each_field_takes_at_most_what_the_roster_keeps(qtbot: Any) -> None:
    dialog = SchoolDialog(None)
    qtbot.addWidget(dialog)
    f = dialog.form
    type_text(f.code_edit, "3309" * 20)
    type_text(f.name_edit, "示例区实验学校" * 30)
    type_text(f.zone_edit, "城东" * 40)
    type_text(f.contact_edit, "李老师" * 30)
    type_text(f.phone_edit, "0580-1234567" * 5)
    f.button_box.button(f.button_box.StandardButton.Ok).click()
    school = dialog.school()
    assert school is not None, "the dialog refused what it let the user type"
    limits = {name: next(m.max_length for m in info.metadata if hasattr(m, "max_length"))
              for name, info in School.model_fields.items()}
    assert len(school.code) == limits["code"] and len(school.name) == limits["name"]
    assert len(school.zone) == limits["zone"] and len(school.contact) == limits["contact"]
    assert len(school.phone) == limits["phone"]
