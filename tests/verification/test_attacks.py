"""Every forgery from the audit, built as an outsider would: none may pass, and none may be called 通过."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from selfcheck.cli.main import run
from selfcheck.report.data import ReportData
from selfcheck.signing.keys import read_certificates
from selfcheck.verification.identity import pins_from_certificates
from selfcheck.verification.report import VerifyResult, verify_bytes
from tests.report.fixtures import SchoolKey
from tests.verification import forgery
from tests.verification.conftest import Genuine


def pinned(raw: bytes, folder: Path) -> VerifyResult:
    return verify_bytes(raw, pins_from_certificates(read_certificates(folder)))


def cli_verdict(raw: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    path = tmp_path / "报告.pdf"
    path.write_bytes(raw)
    code = run(["verify", str(path), *args])
    return code, capsys.readouterr().out


def doctored(data: ReportData) -> ReportData:
    """The same report with a rosier story (any change at all must be caught)."""
    return data.model_copy(update={"inspection": data.inspection.model_copy(update={"title": "全部合格的自查"})})


def test_the_genuine_report_passes_only_with_its_registered_certificate(
        genuine: Genuine, registered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli_verdict(genuine.signed, tmp_path, capsys, "--trust", str(registered))
    assert code == 0 and out.splitlines()[0] == "通过", out
    code, out = cli_verdict(genuine.signed, tmp_path, capsys)
    assert code == 3 and out.splitlines()[0] == "签名完好，但未核对签名者身份", out
    assert "通过" not in out


def test_a_certificate_issued_by_another_schools_ca_key_is_refused(
        genuine: Genuine, legacy_other_school: forgery.Identity, registered: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """School B (registered, CA:TRUE certificate from an old version) issues itself a certificate naming school A
    and signs made-up data in A's name."""
    as_a = forgery.make_certificate("某某市第一中学", issuer=legacy_other_school)
    forged = forgery.forged_report(genuine.unsigned, doctored(genuine.small.data), as_a)
    result = pinned(forged, registered)
    assert result.exit_code == 1 and not result.ok and result.intact
    assert result.failure_kinds == {"unregistered"}
    code, out = cli_verdict(forged, tmp_path, capsys, "--trust", str(registered))
    assert code == 1 and out.splitlines()[0] == "未通过"
    assert "签名证书不在已登记（受信任）的证书中" in out


def test_a_certificate_issued_by_a_new_schools_key_is_refused(genuine: Genuine, other_key: SchoolKey,
                                                               registered: Path) -> None:
    issuer = forgery.open_p12(other_key.p12, other_key.password)
    as_a = forgery.make_certificate("某某市第一中学", issuer=issuer)
    result = pinned(forgery.forged_report(genuine.unsigned, genuine.small.data, as_a), registered)
    assert result.exit_code == 1 and result.failure_kinds == {"unregistered"}


def test_a_self_made_certificate_with_the_schools_name_is_never_a_pass(
        genuine: Genuine, registered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    self_made = forgery.make_certificate("某某市第一中学")
    forged = forgery.forged_report(genuine.unsigned, doctored(genuine.small.data), self_made)
    result = pinned(forged, registered)
    assert result.exit_code == 1 and result.failure_kinds == {"unregistered"}
    code, out = cli_verdict(forged, tmp_path, capsys)  # without --trust: intact, identity unknown
    assert code == 3 and out.splitlines()[0] == "签名完好，但未核对签名者身份"
    code, out = cli_verdict(forged, tmp_path, capsys, "--json")
    assert code == 3
    import json

    payload = json.loads(out)
    assert payload["ok"] is False and payload["identity_checked"] is False and payload["exit_code"] == 3


def test_another_schools_registered_key_cannot_sign_for_this_school(genuine: Genuine, other_key: SchoolKey,
                                                                    registered: Path) -> None:
    b = forgery.open_p12(other_key.p12, other_key.password)
    result = pinned(forgery.forged_report(genuine.unsigned, genuine.small.data, b), registered)
    assert result.exit_code == 1
    assert result.failure_kinds == {"other_school"}
    assert any("另一所中学" in p and "某某市第一中学" in p for p in result.problems)


EDITS: dict[str, Callable[[bytes, ReportData], bytes]] = {
    "replace_json": lambda raw, data: forgery.replace_json(raw, doctored(data)),
    "add_page": lambda raw, data: forgery.add_page(raw),
    "add_annotation": lambda raw, data: forgery.add_annotation(raw),
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("countersigner", ["nobody", "other_school", "self_made", "school_itself"])
def test_a_later_update_fails_whoever_signs_after_it(edit: str, countersigner: str, genuine: Genuine,
                                                      school_key: SchoolKey, other_key: SchoolKey,
                                                      registered: Path) -> None:
    changed = EDITS[edit](genuine.signed, genuine.small.data)
    signer = {
        "nobody": None,
        "other_school": lambda: forgery.open_p12(other_key.p12, other_key.password),
        "self_made": lambda: forgery.make_certificate("某某市第一中学"),
        "school_itself": lambda: forgery.open_p12(school_key.p12, school_key.password),
    }[countersigner]
    if signer is not None:
        changed = forgery.sign(changed, signer(), field="Countersignature")
    for result in (pinned(changed, registered), verify_bytes(changed)):
        assert result.exit_code == 1 and not result.intact, result.problems
        assert "tampered" in result.failure_kinds
    result = pinned(changed, registered)
    if signer is not None:
        assert any("2 个签名" in p for p in result.problems)
        assert any(p.startswith("差异分析：") for p in result.problems), result.problems
    else:
        assert any("没有覆盖整个文件" in p for p in result.problems)
    if edit == "replace_json":  # what is shown is what the school signed, not the replacement
        assert result.report_data is not None
        assert result.report_data.inspection == genuine.small.data.inspection


def test_pyhankos_own_difference_analysis_sees_the_countersigned_edit(genuine: Genuine,
                                                                       school_key: SchoolKey) -> None:
    """The defence rests on pyHanko's analysis: it must itself report the edit as a modification."""
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    changed = forgery.sign(forgery.add_page(genuine.signed), forgery.open_p12(school_key.p12, school_key.password),
                           field="Countersignature")
    school_sig = PdfFileReader(io.BytesIO(changed), strict=False).embedded_signatures[0]
    status = validate_pdf_signature(school_sig, ValidationContext(trust_roots=[], allow_fetching=False))
    assert status.modification_level == ModificationLevel.OTHER and status.docmdp_ok is False


def test_a_second_attachment_with_the_same_name_is_refused(genuine: Genuine, school_key: SchoolKey,
                                                           registered: Path) -> None:
    appended = forgery.add_second_attachment(genuine.signed, doctored(genuine.small.data))
    assert pinned(appended, registered).exit_code == 1
    # even inside the signed revision (signed with the school's own key), two copies are ambiguous
    own = forgery.open_p12(school_key.p12, school_key.password)
    declared = genuine.small.data.model_copy(update={"signer": own.signer_info()})
    both = forgery.sign(genuine.unsigned, own, certify=True,
                        attachments=(declared.to_json().encode(), doctored(declared).to_json().encode()))
    result = pinned(both, registered)
    assert result.exit_code == 1 and "tampered" in result.failure_kinds
    assert any("2 个名为 selfcheck-report.json 的附件" in p for p in result.problems)
    assert result.report_data is None


@pytest.mark.parametrize("how", ["field_emptied", "cut_to_unsigned_revision"])
def test_a_removed_signature_fails(how: str, genuine: Genuine, registered: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    raw = forgery.remove_signature(genuine.signed) if how == "field_emptied" else forgery.first_revision(
        genuine.signed)
    result = pinned(raw, registered)
    assert result.exit_code == 1 and "tampered" in result.failure_kinds
    assert any("没有数字签名" in p for p in result.problems)
    code, out = cli_verdict(raw, tmp_path, capsys)
    assert code == 1 and out.splitlines()[0] == "未通过"


def test_a_signed_pdf_without_the_json_fails(genuine: Genuine, school_key: SchoolKey, registered: Path) -> None:
    own = forgery.open_p12(school_key.p12, school_key.password)
    no_data = forgery.sign(genuine.unsigned, own, certify=True)
    result = pinned(no_data, registered)
    assert result.exit_code == 1 and result.failure_kinds == {"not_selfcheck"}
    assert any("没有内嵌数据 selfcheck-report.json" in p for p in result.problems)
    assert verify_bytes(no_data).exit_code == 1  # not "intact but unchecked": it is no SelfCheck report


def test_json_naming_another_certificate_fails(genuine: Genuine, school_key: SchoolKey, registered: Path) -> None:
    own = forgery.open_p12(school_key.p12, school_key.password)
    stranger = forgery.make_certificate("某某市第一中学")
    declared = genuine.small.data.model_copy(update={"signer": stranger.signer_info()})
    raw = forgery.sign(genuine.unsigned, own, certify=True, attachments=(declared.to_json().encode(),))
    result = pinned(raw, registered)
    assert result.exit_code == 1 and result.failure_kinds == {"tampered"}
    assert "报告中声明的证书指纹与实际签名证书不一致。" in result.problems
