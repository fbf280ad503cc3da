"""What the bureau sees: roster status, schools × areas comparison, the items that fail most, rectification
progress and an overview — each one indexed query over the counting (accepted) reports of a campaign.

`campaign_id=None` means the reports received while no campaign existed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from selfcheck.district.campaigns import Campaigns
from selfcheck.district.models import (
    AreaRow,
    ItemFailure,
    Overview,
    ProblemRow,
    SchoolStatus,
)
from selfcheck.district.roster import Roster
from selfcheck.district.store import Store
from selfcheck.district.tiers import META_KEY as TIERS_KEY
from selfcheck.district.tiers import TierThresholds

AREA_SORT = {"1": 0, "3": 1, "N": 2, "total": 3}
STATUS_SORT = {"待整改": 0, "整改中": 1, "已整改": 2, "已销号": 3}
URGE_STATES = ("missing", "rejected", "late")


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Summary:
    def __init__(self, store: Store, roster: Roster, campaigns: Campaigns) -> None:
        self._store = store
        self._roster = roster
        self._campaigns = campaigns

    # --- 梯队 --------------------------------------------------------------------------------------------------------

    def tier_thresholds(self) -> TierThresholds:
        """The 梯队 thresholds the district set (95/85/70 % until it sets its own)."""
        return TierThresholds.loads(self._store.meta(TIERS_KEY))

    def set_tier_thresholds(self, thresholds: TierThresholds) -> None:
        """Rank schools at these thresholds from now on (every summary is computed afresh, so all campaigns)."""
        checked = TierThresholds.checked(thresholds.demo, thresholds.standard, thresholds.passing)
        self._store.set_meta(TIERS_KEY, checked.dumps())

    # --- roster status -------------------------------------------------------------------------------------------

    def roster_status(self, campaign_id: int | None) -> list[SchoolStatus]:
        """Every school on the roster: received, late (signed after the deadline), rejected (only rejected files)
        or missing, with the time its last file arrived."""
        deadline = self._campaigns.get(campaign_id).deadline if campaign_id is not None else None
        counting = {r["school_code"]: r for r in self._store.rows(
            "SELECT id, school_code, report_id, signed_at FROM received WHERE verdict = 'accepted' "
            "AND campaign_id IS ?", (campaign_id,))}
        last = {r["school_code"]: r for r in self._store.rows(
            "SELECT school_code, max(received_at) AS last_at, sum(verdict = 'rejected') AS rejected "
            "FROM received WHERE campaign_id IS ? AND school_code IS NOT NULL GROUP BY school_code", (campaign_id,))}
        statuses = []
        for school in self._roster.list():
            report = counting.get(school.code)
            seen = last.get(school.code)
            signed = _dt(report["signed_at"]) if report else None
            if report is not None:
                state = "late" if deadline is not None and signed is not None and signed > deadline else "received"
            elif seen is not None and seen["rejected"]:
                state = "rejected"
            else:
                state = "missing"
            statuses.append(SchoolStatus(
                school=school, state=state, last_report_at=_dt(seen["last_at"]) if seen else None,
                report_id=report["report_id"] if report else None, received_id=report["id"] if report else None,
                signed_at=signed))
        return statuses

    def to_urge(self, campaign_id: int | None) -> list[SchoolStatus]:
        """Schools to urge (督促): missing, rejected (nothing valid received) or late; missing first."""
        order = {state: n for n, state in enumerate(URGE_STATES)}
        found = [s for s in self.roster_status(campaign_id) if s.state in order]
        return sorted(found, key=lambda s: (order[s.state], s.school.code))

    # --- comparison ----------------------------------------------------------------------------------------------

    def comparison(self, campaign_id: int | None, stage: str | None = None, zone: str | None = None,
                   area: str | None = None) -> list[AreaRow]:
        """Schools × 1+3+N areas (plus "total") of the counting reports, filterable by 学段, 片区 and area."""
        where = ["r.verdict = 'accepted'", "r.campaign_id IS ?"]
        params: list[Any] = [campaign_id]
        for column, value in (("s.stage", stage), ("s.zone", zone), ("a.area", area)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        rows = self._store.rows(
            "SELECT s.code AS school_code, s.name AS school_name, s.stage, s.zone, a.area, a.items, a.answered, "
            "a.noncompliant, a.score, a.max_score, "
            "(SELECT count(*) FROM report_problems p WHERE p.received_id = r.id AND p.status != '已销号') "
            "AS open_problems, "
            "(SELECT count(*) FROM report_problems p WHERE p.received_id = r.id AND p.overdue) AS overdue_problems "
            "FROM received r JOIN schools s ON s.code = r.school_code JOIN report_areas a ON a.received_id = r.id "
            f"WHERE {' AND '.join(where)} ORDER BY s.code", params)
        result = []
        thresholds = self.tier_thresholds()
        for row in rows:  # the database's own rows: built without re-validation (500 schools × 4 areas)
            rate = row["score"] / row["max_score"] if row["max_score"] else None
            result.append(AreaRow.model_construct(**row, score_rate=rate, tier=thresholds.tier_of(rate)))
        result.sort(key=lambda r: (r.school_code, AREA_SORT[r.area]))
        return result

    def stages(self) -> list[str]:
        return [r[0] for r in self._store.db.execute(
            "SELECT DISTINCT stage FROM schools WHERE stage != '' ORDER BY stage").fetchall()]

    def zones(self) -> list[str]:
        return [r[0] for r in self._store.db.execute(
            "SELECT DISTINCT zone FROM schools WHERE zone != '' ORDER BY zone").fetchall()]

    # --- items ---------------------------------------------------------------------------------------------------

    def failing_items(self, campaign_id: int | None) -> list[ItemFailure]:
        """For every checklist item: in how many schools it was non-compliant, of those that answered it
        (compliant or not); most non-compliant first."""
        rows = self._store.rows(
            "SELECT i.checklist_id, max(i.checklist_title) AS checklist_title, i.item_id, min(i.question) AS question, "
            "sum(i.status = 'noncompliant') AS schools_noncompliant, "
            "sum(i.status IN ('compliant', 'noncompliant')) AS schools_reporting "
            "FROM received r JOIN report_items i ON i.received_id = r.id "
            "WHERE r.verdict = 'accepted' AND r.campaign_id IS ? GROUP BY i.checklist_id, i.item_id",
            (campaign_id,))
        items = [ItemFailure(**r) for r in rows]
        items.sort(key=lambda i: (-i.schools_noncompliant, -i.rate, i.checklist_id, i.item_id))
        return items

    # --- rectification -------------------------------------------------------------------------------------------

    def rectification(self, campaign_id: int | None, school_code: str | None = None) -> list[ProblemRow]:
        """Every problem of every counting report with its ledger status and deadline; overdue first (longest
        overdue first), then by status (待整改 → 已销号) and deadline."""
        where = ["r.verdict = 'accepted'", "r.campaign_id IS ?"]
        params: list[Any] = [campaign_id]
        if school_code is not None:
            where.append("r.school_code = ?")
            params.append(school_code)
        rows = self._store.rows(
            "SELECT r.school_code, s.name AS school_name, r.report_id, p.problem_id, p.item_id, p.checklist_id, "
            "p.severity, p.source, p.description, p.measures, p.rect_type, p.person, p.department, p.completed_on, "
            "p.status, p.deadline, p.overdue, p.overdue_days "
            "FROM received r JOIN schools s ON s.code = r.school_code JOIN report_problems p ON p.received_id = r.id "
            f"WHERE {' AND '.join(where)}", params)
        problems = [ProblemRow(**{**r, "overdue": bool(r["overdue"])}) for r in rows]
        problems.sort(key=lambda p: (not p.overdue, -p.overdue_days, STATUS_SORT.get(p.status, 9),
                                     p.deadline.isoformat() if p.deadline else "9999", p.school_code, p.problem_id))
        return problems

    def answer_rows(self, campaign_id: int | None) -> Iterator[tuple[Any, ...]]:
        """Every answer of every counting report, one tuple per school × item in report order: (code, name, stage,
        zone, report_id, signed_at, checklist_id, checklist_title, checklist_version, area, item_id, question, status,
        answer_label, answer_value, note, severity, score). A cursor: rows are read as they are consumed."""
        yield from self._store.db.execute(
            "SELECT s.code, s.name, s.stage, s.zone, r.report_id, r.signed_at, i.checklist_id, i.checklist_title, "
            "i.checklist_version, i.area, i.item_id, i.question, i.status, i.answer_label, i.answer_value, i.note, i.severity, i.score "
            "FROM received r JOIN schools s ON s.code = r.school_code JOIN report_items i ON i.received_id = r.id "
            "WHERE r.verdict = 'accepted' AND r.campaign_id IS ? ORDER BY s.code, i.rowid", (campaign_id,))

    # --- overview ------------------------------------------------------------------------------------------------

    def overview(self, campaign_id: int | None) -> Overview:
        statuses = self.roster_status(campaign_id)
        counts = {state: sum(1 for s in statuses if s.state == state) for state in ("received", "late", "missing",
                                                                                    "rejected")}
        files = dict(self._store.db.execute(
            "SELECT verdict, count(*) FROM received WHERE campaign_id IS ? GROUP BY verdict", (campaign_id,)).fetchall())
        totals = self.comparison(campaign_id, area="total")
        rates = [r.score_rate for r in totals if r.score_rate is not None]
        tiers: dict[str, int] = {}
        for row in totals:
            if row.tier:
                tiers[row.tier] = tiers.get(row.tier, 0) + 1
        problem = self._store.row(
            "SELECT count(*) AS n, sum(p.status != '已销号') AS open, sum(p.overdue) AS overdue, "
            "sum(p.status = '已销号') AS closed FROM received r JOIN report_problems p ON p.received_id = r.id "
            "WHERE r.verdict = 'accepted' AND r.campaign_id IS ?", (campaign_id,)) or {}
        return Overview(
            campaign=self._campaigns.get(campaign_id) if campaign_id is not None else None,
            schools=len(statuses), received=counts["received"], late=counts["late"], missing=counts["missing"],
            rejected=counts["rejected"], accepted_reports=int(files.get("accepted", 0)),
            rejected_files=int(files.get("rejected", 0)),
            average_score_rate=sum(rates) / len(rates) if rates else None,
            problems=int(problem.get("n") or 0), open_problems=int(problem.get("open") or 0),
            overdue_problems=int(problem.get("overdue") or 0), closed_problems=int(problem.get("closed") or 0),
            tiers=tiers)



