"""The certificate registry: pinned fingerprints, unusual registrations asked about, revocation keeps history."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from selfcheck.district.errors import DistrictError, NeedsConfirmation
from selfcheck.district.workspace import DistrictWorkspace
from tests.district.fixtures import DistrictFiles, make_workspace, now


@pytest.fixture
def ws(tmp_path: Path, district_files: DistrictFiles):  # type: ignore[no-untyped-def]
    with DistrictWorkspace.open(make_workspace(tmp_path, district_files, register=False)) as workspace:
        yield workspace


def test_a_certificate_is_registered_to_the_school_it_names(ws: DistrictWorkspace,
                                                            district_files: DistrictFiles) -> None:
    cert = ws.registry.register(district_files.key_a.cer)
    assert cert.school_code == "001" and cert.school_name == "某某市第一中学"
    assert cert.fingerprint == district_files.key_a.fingerprint
    assert cert.active and cert.valid_until > now()
    assert ws.registry.list() == [cert]
    pins = ws.registry.pins()
    assert len(pins) == 1 and pins[0].school == "某某市第一中学"
    assert pins[0].fingerprint == district_files.key_a.fingerprint.replace(":", "").lower()


def test_registering_from_bytes_and_again_is_idempotent(ws: DistrictWorkspace, district_files: DistrictFiles) -> None:
    first = ws.registry.register(district_files.key_b.cer.read_bytes())
    assert ws.registry.register(district_files.key_b.cer) == first
    assert len(ws.registry.list()) == 1


def test_a_school_not_on_the_roster_is_asked_about(ws: DistrictWorkspace, district_files: DistrictFiles) -> None:
    ws.roster.remove("001")
    with pytest.raises(NeedsConfirmation) as asked:
        ws.registry.register(district_files.key_a.cer)
    assert asked.value.kind == "not_on_roster" and "不在名册中" in asked.value.message
    assert ws.registry.list() == []
    cert = ws.registry.register(district_files.key_a.cer, allow_not_on_roster=True)
    assert cert.school_code is None


def test_a_second_active_certificate_is_asked_about(ws: DistrictWorkspace, district_files: DistrictFiles) -> None:
    ws.registry.register(district_files.key_a.cer)
    with pytest.raises(NeedsConfirmation) as asked:
        ws.registry.register(district_files.key_stranger.cer)
    assert asked.value.kind == "second_active" and "已有一张有效" in asked.value.message
    ws.registry.register(district_files.key_stranger.cer, allow_second_active=True)
    assert len(ws.registry.list("001")) == 2


def test_after_revoking_the_old_one_a_new_certificate_needs_no_question(ws: DistrictWorkspace,
                                                                        district_files: DistrictFiles) -> None:
    old = ws.registry.register(district_files.key_a.cer)
    revoked = ws.registry.revoke(old.fingerprint.replace(":", "").lower(), "密钥丢失")
    assert revoked.revoked_at is not None and revoked.revoke_reason == "密钥丢失"
    ws.registry.register(district_files.key_stranger.cer)
    assert [c.active for c in ws.registry.list("001")] == [False, True]
    with pytest.raises(DistrictError, match="已于"):
        ws.registry.revoke(old.fingerprint, "again")


def test_registering_to_a_roster_entry_with_another_name_is_asked_about(ws: DistrictWorkspace,
                                                                       district_files: DistrictFiles) -> None:
    with pytest.raises(NeedsConfirmation) as asked:
        ws.registry.register(district_files.key_a.cer, school_code="003")
    assert asked.value.kind == "name_mismatch"
    assert ws.registry.register(district_files.key_a.cer, school_code="003",
                                allow_name_mismatch=True).school_code == "003"


def test_bad_input_gets_a_chinese_message(ws: DistrictWorkspace, tmp_path: Path) -> None:
    junk = tmp_path / "x.cer"
    junk.write_bytes(b"nothing")
    with pytest.raises(DistrictError, match="不是有效的证书"):
        ws.registry.register(junk)
    with pytest.raises(DistrictError, match="不是 SHA-256 证书指纹"):
        ws.registry.revoke("12:34", "x")


def test_revocation_time_is_kept(ws: DistrictWorkspace, district_files: DistrictFiles) -> None:
    cert = ws.registry.register(district_files.key_a.cer)
    at = now() - timedelta(days=3)
    ws.registry.revoke(cert.fingerprint, "经办人调离", at=at)
    assert ws.registry.get(cert.fingerprint).revoked_at == at.replace(microsecond=at.microsecond // 1000 * 1000)


@pytest.mark.slow
def test_a_100_character_school_registers_and_its_reports_are_accepted(tmp_path: Path,
                                                                       district_files: DistrictFiles) -> None:
    """A certificate for a school name as long as a workbook allows (CN holds only its first 21 characters) goes
    to the roster school with the whole name, not to a neighbour whose name starts the same; that school's reports
    are accepted, and a report naming the neighbour signed with it is not."""
    from selfcheck.district.models import School
    from tests.district.fixtures import _sign
    from tests.report.fixtures import LONG_NEIGHBOUR, LONG_SCHOOL, create_key

    (tmp_path / "key").mkdir()
    key = create_key(tmp_path / "key", school=LONG_SCHOOL)
    with DistrictWorkspace.open(make_workspace(tmp_path, district_files, register=False)) as ws:
        ws.roster.add(School(code="101", name=LONG_SCHOOL))
        ws.roster.add(School(code="102", name=LONG_NEIGHBOUR))
        with pytest.raises(NeedsConfirmation) as asked:
            ws.registry.register(key.cer, school_code="102")
        assert asked.value.kind == "name_mismatch" and f"“{LONG_SCHOOL}”" in asked.value.message
        cert = ws.registry.register(key.cer)
        assert cert.school_code == "101" and cert.school_name == LONG_SCHOOL
        assert cert.subject == f"C=CN, O={LONG_SCHOOL}, CN={LONG_SCHOOL[:21]}"
        assert [pin.school for pin in ws.registry.pins()] == [LONG_SCHOOL]

        own = _sign(tmp_path, "长校名.pdf", LONG_SCHOOL, 21, key)
        neighbour = _sign(tmp_path, "邻校.pdf", LONG_NEIGHBOUR, 22, key)
        (accepted,) = ws.reports.receive([own.path], workers=1)
        (refused,) = ws.reports.receive([neighbour.path], workers=1)
    assert accepted.verdict == "accepted" and accepted.reasons == [], accepted.reasons
    assert accepted.report is not None and accepted.report.school_code == "101"
    assert refused.verdict == "rejected" and any(LONG_SCHOOL in reason for reason in refused.reasons)
