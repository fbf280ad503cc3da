"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it acknowledged, and the file stays
sound (integrity check, audit chain and replay all pass)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from selfcheck.checklists.models import Checklist
from selfcheck.workbook.models import NewInspection
from selfcheck.workbook.service import Workbook

TRIALS = 50
WRITER = Path(__file__).with_name("crash_writer.py")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only"),
]


def number_checklist(count: int = 400) -> Checklist:
    items = [{
        "id": f"NUM-{n:03d}", "question": f"第{n}项数量？", "guidance": "清点。",
        "evidence": {"description": "照片", "photo": "optional"}, "severity": "一般", "score": 1,
        "basis": [{"doc": "d"}], "answer": {"type": "number", "integer": True},
    } for n in range(1, count + 1)]
    return Checklist.model_validate({
        "id": "crash", "version": "1", "title": "崩溃测试", "area": "N", "order": 1,
        "documents": [{"key": "d", "title": "文件"}], "sections": [{"id": "s", "title": "全部", "items": items}],
    })


def _run_trial(path: Path, trial: int, rng: random.Random) -> tuple[list[tuple[str, str]], list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, str(WRITER), str(path), str(trial)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if first.strip() != "READY":
        proc.kill()
        raise AssertionError(f"writer did not start: {first!r} {proc.communicate()[1]}")
    time.sleep(rng.uniform(0.0, 0.4))
    proc.send_signal(signal.SIGKILL)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    answers, photos = [], []
    for line in rest.splitlines():
        kind, *fields = line.split()
        if kind == "A" and len(fields) == 2:
            answers.append((fields[0], fields[1]))
        elif kind == "P" and len(fields) == 1:
            photos.append(fields[0])
    return answers, photos


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "crash.selfcheck"
    checklist = number_checklist()
    items = [item.id for item in checklist.all_items()]
    with Workbook.create(path, actor="准备") as wb:
        wb.inspections.create(NewInspection(title="崩溃测试", period_start=date(2026, 9, 1),
                                           period_end=date(2026, 12, 31), checklist_ids=["crash"]),
                             available=[checklist])
    rng = random.Random(20260901)
    acknowledged_answers = acknowledged_photos = 0
    for trial in range(1, TRIALS + 1):
        answers, photos = _run_trial(path, trial, rng)
        acknowledged_answers += len(answers)
        acknowledged_photos += len(photos)
        with Workbook.open(path, actor="检查") as wb:
            report = wb.audit.verify()  # full integrity check, chain and replay
            assert report.ok, f"trial {trial}: {report.message}"
            stored = {k: a.value for k, a in wb.answers.all(1).items()}
            expected = dict(answers)  # the last acknowledged value of each item
            in_flight = None
            if answers:
                last_item, last_value = answers[-1]
                n = int(last_value) - trial * 100000 + 1
                in_flight = (items[n % len(items)], str(trial * 100000 + n))
            for item, value in expected.items():
                allowed = {value} | ({in_flight[1]} if in_flight and in_flight[0] == item else set())
                assert stored.get(item) in allowed, f"trial {trial}: {item} lost {value}, found {stored.get(item)}"
            shas = {p.original_sha256 for p in wb.photos.all(1, include_removed=True)}
            missing = [sha for sha in photos if sha not in shas]
            assert not missing, f"trial {trial}: acknowledged photos missing: {missing}"
    assert acknowledged_answers > TRIALS and acknowledged_photos > 0
