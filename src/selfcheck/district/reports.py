"""Receiving reports: gather files, verify them in parallel processes against the registry, record every verdict,
keep the district's own copy of each accepted file, and index the report data for the summaries."""

from __future__ import annotations

import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from selfcheck.district import indexing
from selfcheck.district.campaigns import Campaigns
from selfcheck.district.db import now_iso
from selfcheck.district.errors import DistrictError, NotFoundError, ReadOnlyError
from selfcheck.district.intake import ChangedFileError, Incoming, collect, copy_atomic, materialise
from selfcheck.district.models import Campaign, ReceivedReport, ReceiveOutcome
from selfcheck.district.registry import Registry
from selfcheck.district.roster import Roster
from selfcheck.district.store import Store, dumps
from selfcheck.district.verifying import MAX_REPORT_BYTES, Classified, classify_file, file_sha256, preload
from selfcheck.verification.times import local_time_text

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

_COLUMNS = ("id, file_sha256, source_name, received_at, verdict, reasons, failure_kinds, school_code, school_name, "
            "campaign_id, report_id, signed_at, generated_at, signer_fingerprint, superseded_by, stored_file")
KIND_LABELS = {
    "unreadable": "文件无法读取", "not_selfcheck": "不是 SelfCheck 报告", "tampered": "报告被改动过",
    "unregistered": "证书未登记", "other_school": "其他学校的证书", "revoked": "证书已吊销",
    "cert_not_valid_at_signing": "签名时证书不在有效期内", "not_on_roster": "学校不在名册中",
    "campaign_mismatch": "不是本次专项的报告", "report_id_conflict": "报告编号与其他学校的报告重复",
    "future_time": "签名或生成时间在未来",
}
FUTURE_TOLERANCE = timedelta(days=1)  # computers' clocks drift; a report from beyond tomorrow was not made yet


def _model(row: dict[str, Any]) -> ReceivedReport:
    return ReceivedReport(**{**row, "reasons": json.loads(row["reasons"]),
                             "failure_kinds": json.loads(row["failure_kinds"])})


class Reports:
    def __init__(self, store: Store, roster: Roster, registry: Registry, campaigns: Campaigns) -> None:
        self._store = store
        self._roster = roster
        self._registry = registry
        self._campaigns = campaigns

    # --- reading -------------------------------------------------------------------------------------------------

    def list(self, *, campaign_id: int | None = None, verdict: str | None = None,
             school_code: str | None = None) -> list[ReceivedReport]:
        where, params = [], []
        for column, value in (("campaign_id", campaign_id), ("verdict", verdict), ("school_code", school_code)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return [_model(r) for r in self._store.rows(f"SELECT {_COLUMNS} FROM received{clause} ORDER BY id", params)]

    def get(self, received_id: int) -> ReceivedReport:
        row = self._store.row(f"SELECT {_COLUMNS} FROM received WHERE id = ?", (received_id,))
        if row is None:
            raise NotFoundError(f"没有编号为 {received_id} 的接收记录。")
        return _model(row)

    def school_history(self, code: str) -> list[ReceivedReport]:
        """Every file received for a school, newest first (accepted, superseded, rejected, duplicates)."""
        return [_model(r) for r in self._store.rows(
            f"SELECT {_COLUMNS} FROM received WHERE school_code = ? ORDER BY received_at DESC, id DESC", (code,))]

    def report_data(self, report_id: str) -> Any:
        """The full ReportData of an accepted (or superseded) report."""
        from selfcheck.report.data import ReportData

        row = self._store.row("SELECT data FROM received WHERE report_id = ? AND data IS NOT NULL "
                              "ORDER BY verdict = 'accepted' DESC, id DESC LIMIT 1", (report_id,))
        if row is None:
            raise NotFoundError(f"没有编号为 {report_id} 的已接收报告。")
        return ReportData.from_json(row["data"])

    def counting_data(self, campaign_id: int | None) -> Iterator[tuple[ReceivedReport, str]]:
        """(received report, report JSON) of every counting (accepted) report of a campaign, one at a time."""
        cursor = self._store.db.execute(
            f"SELECT {_COLUMNS}, data FROM received WHERE verdict = 'accepted' AND campaign_id IS ? "
            "ORDER BY school_code", (campaign_id,))
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            data = row.pop("data")
            yield _model(row), data

    def stored_pdf(self, report_id: str) -> Path:
        """The district's copy of an accepted report (the file exactly as the school sent it)."""
        row = self._store.row("SELECT stored_file, file_sha256 FROM received WHERE report_id = ? AND stored_file IS NOT NULL "
                              "ORDER BY verdict = 'accepted' DESC, id DESC LIMIT 1", (report_id,))
        if row is None:
            raise NotFoundError(f"没有编号为 {report_id} 的已接收报告。")
        path = self._store.reports_dir / row["stored_file"]
        if not path.is_file():
            raise DistrictError(f"报告副本不见了：{path}", hint="请重新接收学校报送的文件。")
        if file_sha256(path) != row["file_sha256"]:
            raise DistrictError(f"报告副本“{path.name}”与接收时的文件不一致：接收之后它被替换或改动过，不能作为学校报送的原件。",
                                hint="请让学校重新报送，或从备份中恢复区县工作区的报告文件夹。")
        return path

    # --- receiving -----------------------------------------------------------------------------------------------

    def receive(self, paths: Iterable[Path | str], *, campaign_id: int | None = None, progress: Progress | None = None,
                cancel: Cancel | None = None, workers: int | None = None) -> list[ReceiveOutcome]:
        """Receive files, folders and .zip archives; one outcome per file, in the order they finished.

        Files are verified in `workers` processes (default: the CPU count; 1 verifies in this process), at most
        a few in flight, each recorded as it comes back. `progress(done, total, name)` after each file;
        `cancel()` returning True stops before the next file (files already recorded stay). Meant to run off the
        GUI thread; touches no GUI object."""
        if self._store.read_only:
            raise ReadOnlyError(f"区县工作区“{self._store.path.name}”是以只读方式打开的，不能接收报告。")
        campaign = self._campaigns.get(campaign_id) if campaign_id is not None else self._campaigns.current()
        entries = collect(paths)
        outcomes: list[ReceiveOutcome] = []
        total = len(entries)

        def finished(outcome: ReceiveOutcome) -> None:
            outcomes.append(outcome)
            if progress is not None:
                progress(len(outcomes), total, outcome.source_name)

        with tempfile.TemporaryDirectory(prefix="selfcheck-receive-") as scratch:
            jobs = self._jobs(entries, Path(scratch), campaign, finished, cancel)
            count = max(1, min(workers or os.cpu_count() or 1, total))
            if count == 1:
                for source, entry, pins in jobs:
                    try:
                        finished(self._record(classify_file(str(source), entry.name, pins), source, campaign))
                    finally:
                        if entry.extracted:
                            source.unlink(missing_ok=True)
            else:
                self._parallel(jobs, count, campaign, finished, cancel)
        # A report received early in the batch may have been superseded by a newer one received later.
        return self._outcomes([o.report.id for o in outcomes if o.report is not None])

    def _jobs(self, entries: list[Incoming], scratch: Path, campaign: Campaign | None,
              finished: Callable[[ReceiveOutcome], None], cancel: Cancel | None
              ) -> Iterator[tuple[Path, Incoming, list[Any]]]:
        """Yield (file, entry, pins) to verify, one at a time; records unreadable entries and duplicates itself."""
        pins = self._registry.pins()
        seen: dict[str, str] = {}
        for number, entry in enumerate(entries):
            if cancel is not None and cancel():
                return
            if entry.problem is not None:
                finished(self._reject_unreadable(entry.name, entry.problem, campaign))
                continue
            try:
                if entry.path is not None and entry.path.stat().st_size > MAX_REPORT_BYTES:
                    # before hashing: a huge (or sparse) file would keep the receive busy for minutes
                    finished(self._reject_unreadable(entry.name, "文件过大，不是自查报告。", campaign))
                    continue
                source = materialise(entry, scratch, number)
                sha = file_sha256(source)
            except (OSError, ValueError, zipfile.BadZipFile, EOFError) as err:
                finished(self._reject_unreadable(entry.name, f"无法读取文件（{_reason(err)}）。", campaign))
                continue
            earlier = seen.get(sha) or self._earlier_copy(sha)
            if earlier is not None:
                if entry.extracted:
                    source.unlink(missing_ok=True)
                finished(self._duplicate(entry.name, sha, earlier, campaign))
                continue
            seen[sha] = f"本次接收的“{entry.name}”"
            yield source, entry, pins

    def _parallel(self, jobs: Iterator[tuple[Path, Incoming, list[Any]]], count: int, campaign: Campaign | None,
                  finished: Callable[[ReceiveOutcome], None], cancel: Cancel | None) -> None:
        """At most 4 × count files in flight; the results that come back together are recorded in one
        transaction, so memory does not grow with the number of files."""
        with ProcessPoolExecutor(max_workers=count, mp_context=_pool_context()) as pool:
            pending: dict[Future[Classified], tuple[Path, Incoming]] = {}
            exhausted = False
            while True:
                while not exhausted and len(pending) < 4 * count:
                    job = next(jobs, None)
                    if job is None:
                        exhausted = True
                        break
                    source, entry, pins = job
                    pending[pool.submit(classify_file, str(source), entry.name, pins)] = (source, entry)
                if not pending:
                    break
                if cancel is not None and cancel():
                    exhausted = True
                    for future in list(pending):
                        if future.cancel():
                            source, entry = pending.pop(future)
                            if entry.extracted:
                                source.unlink(missing_ok=True)
                    if not pending:
                        break
                ready, _ = wait(pending, return_when=FIRST_COMPLETED)
                done = [(future, *pending.pop(future)) for future in ready]
                try:
                    try:
                        results = [(future.result(), source) for future, source, _ in done]
                    except BrokenProcessPool:
                        raise DistrictError("核验进程意外退出（可能是内存不足），接收已中止。已接收的文件都已保存。",
                                            hint="请重新接收同一批文件（已接收的会显示为“重复”）。") from None
                    for outcome in self._record_batch(results, campaign):
                        finished(outcome)
                finally:
                    for _, source, entry in done:
                        if entry.extracted:
                            source.unlink(missing_ok=True)

    def audit(self) -> list[str]:
        """Counting records that no longer match what was received (edited rows, swapped copies), in Chinese."""
        from selfcheck.district.audit import audit

        return audit(self._store, self._registry)

    def _report_owner(self, report_id: str) -> str | None:
        """The school code an earlier received report with this id was counted for (accepted or superseded)."""
        row = self._store.row("SELECT school_code FROM received WHERE report_id = ? AND verdict IN ('accepted', "
                              "'superseded') ORDER BY id LIMIT 1", (report_id,))
        return row["school_code"] if row else None

    def _earlier_copy(self, sha: str) -> str | None:
        row = self._store.row("SELECT source_name, received_at FROM received WHERE file_sha256 = ? "
                              "AND verdict IN ('accepted', 'superseded') ORDER BY id LIMIT 1", (sha,))
        return f"“{row['source_name']}”（{row['received_at'][:16].replace('T', ' ')} 收到）" if row else None

    # --- recording -----------------------------------------------------------------------------------------------

    def _insert(self, db: Any, values: dict[str, Any]) -> int:
        columns = ", ".join(values)
        marks = ", ".join("?" * len(values))
        cursor = db.execute(f"INSERT INTO received ({columns}) VALUES ({marks})", list(values.values()))
        return int(cursor.lastrowid)

    def _outcome(self, received_id: int) -> ReceiveOutcome:
        report = self.get(received_id)
        return ReceiveOutcome(source_name=report.source_name, verdict=report.verdict, reasons=report.reasons,
                              report=report)

    def _reject_unreadable(self, name: str, problem: str, campaign: Campaign | None) -> ReceiveOutcome:
        with self._store.write() as db:
            new_id = self._insert(db, dict(file_sha256="", source_name=name, received_at=now_iso(), verdict="rejected",
                                           reasons=dumps([problem]), failure_kinds=dumps(["unreadable"]),
                                           campaign_id=campaign.id if campaign else None))
        return self._outcome(new_id)

    def _duplicate(self, name: str, sha: str, earlier: str, campaign: Campaign | None) -> ReceiveOutcome:
        first = self._store.row("SELECT school_code, school_name, report_id, campaign_id FROM received "
                                "WHERE file_sha256 = ? AND verdict IN ('accepted', 'superseded') ORDER BY id LIMIT 1",
                                (sha,)) or {}
        with self._store.write() as db:
            new_id = self._insert(db, dict(
                file_sha256=sha, source_name=name, received_at=now_iso(), verdict="duplicate",
                reasons=dumps([f"与{earlier}是同一个文件，未重复计入。"]),
                school_code=first.get("school_code"), school_name=first.get("school_name") or "",
                report_id=first.get("report_id"),
                campaign_id=first.get("campaign_id", campaign.id if campaign else None)))
        return self._outcome(new_id)

    def _record(self, result: Classified, source: Path, campaign: Campaign | None) -> ReceiveOutcome:
        return self._record_batch([(result, source)], campaign)[0]

    def _record_batch(self, items: list[tuple[Classified, Path]], campaign: Campaign | None) -> list[ReceiveOutcome]:
        """Record verified files in one transaction (one commit for all the results that came back together):
        each accepted file is first copied into the district's folder, then every row is written."""
        claimed: dict[str, str] = {}  # report id → school code, of the reports accepted in this batch
        plans = [self._plan(result, campaign, claimed) for result, _ in items]
        copies: list[Path] = []
        try:
            for number, (plan, (_, source)) in enumerate(zip(plans, items, strict=True)):
                if plan["verdict"] == "accepted":
                    target = self._store.reports_dir / plan["stored_file"]
                    try:
                        copy_atomic(source, target, sha256=plan["file_sha256"])
                    except ChangedFileError:
                        plans[number] = _changed(plan)
                        continue
                    os.chmod(target, stat.S_IREAD | stat.S_IRGRP | stat.S_IROTH)
                    copies.append(target)
            with self._store.write() as db:
                ids = [self._write(db, plan) for plan in plans]
        except BaseException:
            for target in copies:
                os.chmod(target, stat.S_IWRITE | stat.S_IREAD)
                target.unlink(missing_ok=True)
            raise
        return self._outcomes(ids)

    def _plan(self, result: Classified, campaign: Campaign | None, claimed: dict[str, str]) -> dict[str, Any]:
        """The row to write for a verified file: rejected with reasons, or accepted (then `index` holds its summary
        rows and `stored_file` where its copy goes)."""
        cert = self._registry.by_fingerprint(result.fingerprint) if result.fingerprint else None
        school_code = cert.school_code if cert else None
        row: dict[str, Any] = dict(
            file_sha256=result.sha256, source_name=result.name, received_at=now_iso(),
            campaign_id=campaign.id if campaign else None, report_id=result.report_id,
            signed_at=result.signing_time.isoformat() if result.signing_time else None,
            generated_at=result.generated_at.isoformat() if result.generated_at else None,
            signer_fingerprint=result.fingerprint, school_code=school_code,
            school_name=result.claimed_school or (cert.school_name if cert else ""))
        if not result.ok:
            if school_code is None and result.claimed_school:
                found = self._roster.find(name=result.claimed_school)
                row["school_code"] = found.code if found else None
            return dict(row, verdict="rejected", reasons=dumps(result.problems or ["未通过核验。"]),
                        failure_kinds=dumps(result.failure_kinds))
        problem, kind = self._district_problem(cert, result, campaign, claimed)
        if problem:
            return dict(row, verdict="rejected", reasons=dumps([problem]), failure_kinds=dumps([kind]))
        assert result.report_json is not None and result.index is not None and school_code is not None
        if result.report_id:
            claimed[result.report_id] = school_code
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        stored = (Path(_safe(school_code)) / f"{stamp}-{result.report_id}.pdf").as_posix()
        return dict(row, verdict="accepted", stored_file=stored, data=result.report_json, index=result.index)

    def _write(self, db: Any, plan: dict[str, Any]) -> int:
        """Insert one planned row inside the caller's transaction; an accepted report supersedes the school's
        older counting report of the campaign, or is itself superseded when that one is newer."""
        index = plan.pop("index", None)
        if plan["verdict"] != "accepted":
            return self._insert(db, plan)
        current = db.execute(
            "SELECT id, generated_at, signed_at FROM received WHERE verdict = 'accepted' AND school_code = ? "
            "AND campaign_id IS ?", (plan["school_code"], plan["campaign_id"])).fetchone()
        newer = current is None or _age(plan["generated_at"], plan["signed_at"]) >= _age(current[1], current[2])
        new_id = self._insert(db, dict(plan, verdict="accepted" if newer else "superseded"))
        if current is not None and newer:
            db.execute("UPDATE received SET verdict = 'superseded', superseded_by = ?, reasons = ? WHERE id = ?",
                       (new_id, dumps([f"已被 {plan['source_name']} 中更新的报告取代。"]), current[0]))
        elif current is not None:
            db.execute("UPDATE received SET superseded_by = ?, reasons = ? WHERE id = ?",
                       (current[0], dumps(["本校已有更新的报告，此报告保留但不计入汇总。"]), new_id))
        indexing.insert_rows(db, new_id, index)
        return new_id

    def _outcomes(self, ids: list[int]) -> list[ReceiveOutcome]:
        """Outcomes of these received rows, as they stand now, in the order given."""
        found: dict[int, ReceivedReport] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for row in self._store.rows(f"SELECT {_COLUMNS} FROM received WHERE id IN ({marks})", chunk):
                found[row["id"]] = _model(row)
        return [ReceiveOutcome(source_name=found[i].source_name, verdict=found[i].verdict, reasons=found[i].reasons,
                               report=found[i]) for i in ids]

    def judge(self, result: Classified, *, campaign_id: int | None = None) -> tuple[str, str]:
        """The district's own verdict on a report that passed verification, as receiving gives it (roster,
        future time, another school's report id, the campaign — the current one by default), without receiving
        it: (problem, failure kind), or ("", "") when it would be accepted."""
        campaign = self._campaigns.get(campaign_id) if campaign_id is not None else self._campaigns.current()
        cert = self._registry.by_fingerprint(result.fingerprint) if result.fingerprint else None
        return self._district_problem(cert, result, campaign, {})

    def _district_problem(self, cert: Any, result: Classified, campaign: Campaign | None,
                          claimed: dict[str, str]) -> tuple[str, str]:
        """Checks that are the district's own business: the school is on the roster, the report is not from the
        future, its id is not another school's, and it fits the campaign. (Revocation is the pins' business: a
        report signed before the revocation stays valid, a later one fails.)"""
        if cert is None or cert.school_code is None:
            return (f"“{result.claimed_school}”不在本区县的学校名册中。请先把学校加入名册，并把证书登记到该校。",
                    "not_on_roster")
        latest = datetime.now().astimezone() + FUTURE_TOLERANCE
        for label, moment in (("签名时间", result.signing_time), ("生成时间", result.generated_at)):
            if moment is not None and _aware(moment) > latest:
                return (f"报告的{label}是 {local_time_text(moment)}，在未来：签名的电脑时钟有误，或时间被改写过。"
                        + "请学校校正电脑时间后重新导出报告。", "future_time")
        if result.report_id:
            other = claimed.get(result.report_id) or self._report_owner(result.report_id)
            if other is not None and other != cert.school_code:
                return (f"报告编号 {result.report_id} 与已收到的学校代码 {other} 的报告相同：同一份报告不能属于两所学校。"
                        + "请学校重新导出报告（会得到新的编号）后报送，并核实为何编号重复。", "report_id_conflict")
        if campaign is not None and result.period is not None:
            start, end = result.period
            if end < campaign.period_start or start > campaign.period_end:
                return (f"报告的自查时段是 {start:%Y-%m-%d} 至 {end:%Y-%m-%d}，与本次专项“{campaign.title}”的时段"
                        + f"（{campaign.period_start:%Y-%m-%d} 至 {campaign.period_end:%Y-%m-%d}）不重叠：不是本次专项的报告。",
                        "campaign_mismatch")
        if campaign is not None and campaign.checklists:
            have = result.checklists
            missing = [f"{e.id}" + (f"（{e.version}）" if e.version else "") for e in campaign.checklists
                       if e.id not in have or (e.version and have[e.id] != e.version)]
            if missing:
                return (f"报告缺少本次专项“{campaign.title}”要求的清单或版本不符：{'、'.join(missing)}。",
                        "campaign_mismatch")
        return "", ""


def _changed(plan: dict[str, Any]) -> dict[str, Any]:
    """The row for a file that changed between its verification and the district's copy."""
    plan = {k: v for k, v in plan.items() if k not in ("data", "index", "stored_file")}
    return dict(plan, verdict="rejected", failure_kinds=dumps(["unreadable"]),
                reasons=dumps(["文件在核验期间被改动（可能有其他程序正在改写它），未接收。请确认文件后重新接收。"]))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def _pool_context() -> Any:
    """How worker processes start. On Linux, when this process runs no other thread (the command line), they are
    forked ready to verify (no second import of pyHanko); beside other threads (the window) a fork server,
    preloaded once, does that safely. Elsewhere (Windows) they are spawned."""
    import multiprocessing
    import sys
    import threading

    if not sys.platform.startswith("linux"):
        return multiprocessing.get_context("spawn")
    preload()
    if threading.active_count() == 1 and "PySide6" not in sys.modules:  # Qt runs threads Python does not count
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["selfcheck.district.verifying"])
    return context


def _age(generated_at: str | None, signed_at: str | None) -> tuple[datetime, datetime]:
    """Which of two reports is newer: by when its data was collected, then by when it was signed."""
    oldest = datetime.min.replace(tzinfo=UTC)
    return (datetime.fromisoformat(generated_at) if generated_at else oldest,
            datetime.fromisoformat(signed_at) if signed_at else oldest)


def _reason(err: BaseException) -> str:
    from selfcheck.oserrors import os_reason

    return os_reason(err) if isinstance(err, OSError) else str(err or type(err).__name__)


def _safe(code: str) -> str:
    """A school code as a folder name (codes come from the bureau's roster, but a file system is stricter)."""
    cleaned = "".join(c if c.isalnum() or c in "-_" else "_" for c in code)
    return cleaned or "_"
