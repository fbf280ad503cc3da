"""District GUI fixtures: signed reports of three schools (built once per session), a roster file, the window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from selfcheck.gui.settings import AppSettings
from tests.gui.helpers import activate

# (code, name, 学段, 片区, sample seed): the schools of the test district.
SCHOOLS = [
    ("S001", "城关第一小学", "小学", "城关片区", 3),
    ("S002", "城关第二中学", "初中", "城关片区", 11),
    ("S003", "东乡中心小学", "小学", "东乡片区", 23),
]
PASSWORD = "校园-Secret-2026"


@dataclass(frozen=True)
class SchoolFiles:
    code: str
    name: str
    cer: Path
    report: Path


@dataclass(frozen=True)
class DistrictFiles:
    schools: list[SchoolFiles]
    tampered: Path  # S001's report with a byte of its signed content changed
    roster_csv: Path
    broken_roster_csv: Path




def _build(folder: Path) -> DistrictFiles:
    from selfcheck.report.export import export_report
    from selfcheck.signing.keys import create_school_key
    from tests.report.factory import make_sample

    schools = []
    for code, name, _stage, _zone, seed in SCHOOLS:
        keys = folder / code
        keys.mkdir()
        info = create_school_key(keys / "school.p12", name, PASSWORD)
        assert info.certificate_path is not None
        sample = make_sample(photos=0, seed=seed, school_name=name)
        out = folder / f"{name}-自查报告.pdf"
        export_report(sample.data, sample.photo_loader, out, key_path=info.path, password=PASSWORD)
        schools.append(SchoolFiles(code=code, name=name, cer=info.certificate_path, report=out))
    data = bytearray(schools[0].report.read_bytes())
    at = data.index(b"/Contents", len(data) // 3)  # inside the signed page content, far from the signature
    data[at + 1:at + 2] = b"K"
    tampered = folder / "城关第一小学-被改动.pdf"
    tampered.write_bytes(bytes(data))
    roster = folder / "名册.csv"
    roster.write_text("学校代码,学校名称,学段,学区/片区,联系人,联系电话\n"
                      + "".join(f"{c},{n},{s},{z},张老师,1380000000{i}\n"
                                for i, (c, n, s, z, _seed) in enumerate(SCHOOLS)), encoding="utf-8-sig")
    broken = folder / "有错的名册.csv"
    broken.write_text("学校代码,学校名称,学段\nS009,西关小学,小学\n,没有代码的学校,小学\nS010,,初中\n", encoding="utf-8-sig")
    return DistrictFiles(schools=schools, tampered=tampered, roster_csv=roster, broken_roster_csv=broken)


@pytest.fixture(scope="session")
def district_files(tmp_path_factory: pytest.TempPathFactory) -> DistrictFiles:
    """Built once per session: a conftest's session fixture needs no memo (only one imported into modules would)."""
    home = tmp_path_factory.mktemp("district-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SELFCHECK_HOME", str(home))
        return _build(tmp_path_factory.mktemp("district-files"))


@pytest.fixture
def make_district_window(qtbot: Any, settings: AppSettings) -> Iterator[Callable[..., Any]]:
    """Build a DistrictWindow through the composition root's district context, show it, close it after the test."""
    from selfcheck.gui.app import build_district_context
    from selfcheck.gui.district.window import DistrictWindow

    windows: list[Any] = []

    def make(path: Path | None = None) -> Any:
        context = build_district_context(settings=settings, actor="测试员")
        window = DistrictWindow(context)
        window.test_context = context  # type: ignore[attr-defined]
        qtbot.addWidget(window)
        window.show()
        activate(qtbot, window)
        window.start(path)
        qtbot.waitUntil(lambda: not context.tasks.busy, timeout=30_000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        window.test_context.tasks.wait_idle()
