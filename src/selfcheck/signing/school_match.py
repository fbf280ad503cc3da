"""Does the signing certificate name the same school as the workbook or report? Pure text checks, no Qt."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509


def normalize_school_name(name: str) -> str:
    """The form two school names are compared in: NFKC (full-width letters, digits, brackets and spaces become
    their ordinary forms), every whitespace and invisible format character removed, Latin letters case-folded.

    "城关 第一小学（东校区）" and "城关第一小学(东校区)" compare equal; different characters never do.
    """
    text = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf").casefold()


def certificate_schools(certificate: x509.Certificate) -> tuple[str, ...]:
    """Every organisation name in the certificate subject: the one `keys.school_of` shows first, then any other
    O, OU and CN values (a district-issued certificate may put the district in O and the school in OU or CN).

    A CN that is only the beginning of an O is left out: that is how a long school name fits the CN (the whole
    name is in O), and the shortened name must not match a different school whose name is just that beginning."""
    from cryptography.x509.oid import NameOID

    from selfcheck.signing.keys import school_of

    subject = certificate.subject
    organisations = [str(a.value) for a in subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    names = [school_of(certificate)]
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.ORGANIZATIONAL_UNIT_NAME, NameOID.COMMON_NAME):
        for attribute in subject.get_attributes_for_oid(oid):
            value = str(attribute.value)
            if oid == NameOID.COMMON_NAME and any(_cut_from(value, o) for o in organisations):
                continue  # a long O cut to fit the CN (keys.common_name_for) names no school of its own
            if value.strip() and value not in names:
                names.append(value)
    return tuple(names)


def _cut_from(value: str, whole: str) -> bool:
    """Whether `value` is the start of `whole` and shorter: a CN holding the O cut to fit 64 bytes. It must not
    count as a name, or a school whose whole name is that start (the first 21 of 22 or more Chinese characters)
    would match another school's certificate."""
    if len(value) < len(whole) and whole.startswith(value):
        return True
    short, long = normalize_school_name(value), normalize_school_name(whole)
    return len(short) < len(long) and long.startswith(short)


def same_school(certificate_names: str | Sequence[str], school: str) -> bool:
    """True when `school` equals (after normalize_school_name) any of the certificate's names; False for a blank
    school, which cannot be matched against anything."""
    wanted = normalize_school_name(school)
    if not wanted:
        return False
    return any(normalize_school_name(name) == wanted for name in _names(certificate_names))


def key_school_warning(certificate_names: str | Sequence[str], workbook_school: str | None) -> str | None:
    """The warning to show before signing a workbook's report with a key, or None when the key is the school's.

    `certificate_names` is the certificate's school (or certificate_schools(...), the first shown);
    `workbook_school` is workbook.get_school().name. A blank or missing workbook school gets a warning too: the
    key cannot be confirmed as the school's, and the signed report would name nobody.
    """
    names = _names(certificate_names)
    shown = names[0] if names else "（无）"
    if workbook_school is None or not normalize_school_name(workbook_school):
        return (f"工作簿的“学校信息”中还没有填写学校名称，无法核对密钥证书上的学校“{shown}”是否就是本校。"
                "请先在“学校信息”中填写学校名称。")
    if same_school(names, workbook_school):
        return None
    return (f"密钥证书上的学校是“{shown}”，与本工作簿的学校“{workbook_school.strip()}”不一致。"
            f"用这个密钥签名的报告，核验时签名者会显示为“{shown}”。"
            "请确认没有选错密钥（例如从其他学校拷来的密钥，或原单位的密钥）。")


def signing_school_warning(certificate: x509.Certificate, workbook_school: str | None) -> str | None:
    """key_school_warning for an opened certificate (its O, OU and CN all count as the school's name)."""
    return key_school_warning(certificate_schools(certificate), workbook_school)


def report_school_warning(certificate_names: str | Sequence[str], report_school: str) -> str | None:
    """For `selfcheck verify`: a warning when the school in the report's embedded data is not the school the signer
    certificate names, else None. Only a warning: the signature itself may still be perfectly valid."""
    names = _names(certificate_names)
    shown = names[0] if names else "（无）"
    if not normalize_school_name(report_school):
        return f"报告内嵌数据中没有学校名称，无法与签名证书上的单位“{shown}”核对。"
    if same_school(names, report_school):
        return None
    return (f"报告中的学校“{report_school.strip()}”与签名证书上的单位“{shown}”不一致："
            "报告可能是用其他学校的密钥签名的，请与报送学校核实。")


def _names(certificate_names: str | Sequence[str]) -> list[str]:
    names = [certificate_names] if isinstance(certificate_names, str) else list(certificate_names)
    return [name for name in names if name.strip()]
