"""Times in the reader's zone with the offset; no date a file can carry crashes `verify`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from selfcheck.verification.times import local_time_text
from tests.report.fixtures import SchoolKey
from tests.verification import forgery
from tests.verification.conftest import Genuine

EAST = timezone(timedelta(hours=8))
WEST = timezone(timedelta(hours=-8))


def test_times_are_shown_in_the_given_zone_with_the_offset() -> None:
    moment = datetime(2026, 10, 20, 1, 17, tzinfo=UTC)
    assert local_time_text(moment, EAST) == "2026-10-20 09:17:00 +08:00"
    assert local_time_text(moment, WEST) == "2026-10-19 17:17:00 -08:00"
    assert local_time_text(datetime(2026, 10, 20, 1, 17), EAST) == "2026-10-20 09:17:00 +08:00"  # naive = UTC


LAST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
FIRST = datetime(1, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(("moment", "zone", "shown"), [
    (LAST, EAST, "9999-12-31 23:59:59 +00:00"),  # past the calendar in the zone: shown in UTC
    (LAST, WEST, "9999-12-31 15:59:59 -08:00"),
    (FIRST, EAST, "0001-01-01 08:00:00 +08:00"),
    (FIRST, WEST, "0001-01-01 00:00:00 +00:00"),
])
def test_the_edges_of_the_calendar_are_shown_not_crashed_on(moment: datetime, zone: timezone, shown: str) -> None:
    assert local_time_text(moment, zone) == shown


@pytest.mark.parametrize(("moment", "tz"), [
    (LAST, "Asia/Shanghai"), (LAST, "America/Los_Angeles"), (FIRST, "Asia/Shanghai"), (FIRST, "America/Los_Angeles"),
])
@pytest.mark.slow
def test_verify_shows_or_refuses_any_signing_date_in_a_real_process(
        moment: datetime, tz: str, genuine: Genuine, school_key: SchoolKey, tmp_path: Path) -> None:
    own = forgery.open_p12(school_key.p12, school_key.password)
    declared = genuine.small.data.model_copy(update={"signer": own.signer_info()})
    path = tmp_path / "report.pdf"
    path.write_bytes(forgery.sign(genuine.unsigned, own, certify=True, signing_time=moment,
                                  attachments=(declared.to_json().encode(),)))
    env = {**os.environ, "TZ": tz}
    for args in ([], ["--trust", str(school_key.cer)]):
        done = subprocess.run([sys.executable, "-m", "selfcheck", "verify", str(path), *args], env=env,
                              capture_output=True, text=True, timeout=120)
        assert "Traceback" not in done.stderr and "程序内部错误" not in done.stderr
        # shown (in UTC where the zone cannot hold it) and judged: the certificate was not valid then
        assert done.returncode == (1 if args else 3), done.stdout + done.stderr
        assert f"签名时间：{moment.year:04d}-{moment.month:02d}-{moment.day:02d} " in done.stdout
        if args:
            assert "不在签名证书的有效期" in done.stdout


def test_a_signing_date_no_reader_can_parse_is_refused_with_its_reason(genuine: Genuine, school_key: SchoolKey,
                                                                      tmp_path: Path) -> None:
    """pyHanko itself writes year 1 as "D:10101000000Z", which is not a PDF date."""
    own = forgery.open_p12(school_key.p12, school_key.password)
    declared = genuine.small.data.model_copy(update={"signer": own.signer_info()})
    raw = forgery.sign(genuine.unsigned, own, certify=True, attachments=(declared.to_json().encode(),))
    import re

    date = re.search(rb"/M \(([^)]*)\)", raw)
    assert date is not None
    start, end = date.span(1)
    broken = raw[:start] + b"D:1".ljust(end - start, b" ") + raw[end:]  # same length: offsets stay valid
    path = tmp_path / "report.pdf"
    path.write_bytes(broken)
    done = subprocess.run([sys.executable, "-m", "selfcheck", "verify", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stdout + done.stderr
    assert done.stdout.startswith("未通过\n原因：\n  - 签名的数据已损坏，无法核验（签名时间无法识别）"), done.stdout
