"""The review overview shows the tier a checklist with tiers has reached (示范 / 规范 / 达标 / 未达标)."""

from __future__ import annotations

from typing import Any

import pytest

from selfcheck.checklists.parameters import resolve_checklist
from selfcheck.gui.catalog import ChecklistCatalog
from tests.checklists.test_tiers import _checklist


@pytest.fixture
def catalog() -> ChecklistCatalog:
    return ChecklistCatalog([resolve_checklist(_checklist())])


@pytest.mark.parametrize(("failed", "shown"), [(0, "100/100（已完成 10/10）（示范）"), (2, "80/100（已完成 10/10）（规范）"),
                                             (5, "50/100（已完成 10/10）（未达标）")])
def test_review_shows_the_tier(opened: Any, failed: int, shown: str) -> None:
    wb = opened.test_context.session.require()
    iid = opened.inspection_id
    for n in range(1, 11):
        wb.answers.set(iid, f"TD-{n:02d}", "否" if n <= failed else "是")
    opened.form.action_page_review.trigger()
    overview = opened.page("review").form.overview_table
    assert overview.item(0, 4).text() == shown


def test_no_tier_while_items_are_unanswered(opened: Any) -> None:
    wb = opened.test_context.session.require()
    wb.answers.set(opened.inspection_id, "TD-01", "是")
    opened.form.action_page_review.trigger()
    assert opened.page("review").form.overview_table.item(0, 4).text() == "10/10（已完成 1/10）"  # no tier yet
