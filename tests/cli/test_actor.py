"""The CLI records a person, not the computer's login: --actor, SELFCHECK_ACTOR, else the profile's 填报人."""

from __future__ import annotations

import getpass
import io
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from selfcheck.workbook.demo import build_demo
from selfcheck.workbook.service import Workbook


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("actor") / "demo.selfcheck", photos=0)


@pytest.mark.parametrize(("flag", "env", "expected"), [
    (None, None, "profile"), ("王老师", None, "王老师"), (None, "赵敏", "赵敏"), ("王老师", "赵敏", "王老师")])
def test_evidence_add_records_the_person(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         flag: str | None, env: str | None, expected: str) -> None:
    path = tmp_path / "学校.selfcheck"
    path.write_bytes(template.read_bytes())
    monkeypatch.setenv("SELFCHECK_HOME", str(tmp_path / "home"))
    if env is None:
        monkeypatch.delenv("SELFCHECK_ACTOR", raising=False)
    else:
        monkeypatch.setenv("SELFCHECK_ACTOR", env)
    with Workbook.open(path, actor="读取", read_only=True) as wb:
        preparer = wb.get_school().preparer
        inspection = wb.inspections.all()[0].id
        item = next(iter(wb.answers.all(inspection)))
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(_jpeg((10, 120, 200)))
    args = ["evidence", "add", "--workbook", str(path), "--inspection", str(inspection), "--item", item, str(photo)]
    if flag:
        args[2:2] = ["--actor", flag]
    assert run(args) == 0
    with Workbook.open(path, actor="读取", read_only=True) as wb:
        actor = wb.audit.entries(limit=1)[0].actor
    assert preparer and actor == (preparer if expected == "profile" else expected)
    assert actor != getpass.getuser()
