"""The registry of school certificates: a school's pinned SHA-256 fingerprint, registered, revoked, never deleted."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from selfcheck.district.db import now_iso
from selfcheck.district.errors import DistrictError, NeedsConfirmation, NotFoundError
from selfcheck.district.models import RegisteredCertificate
from selfcheck.district.roster import Roster
from selfcheck.district.store import Store
from selfcheck.oserrors import os_reason

if TYPE_CHECKING:
    from cryptography import x509

    from selfcheck.district.verifying import Pin

_COLUMNS = ("id, school_code, school_name, fingerprint, subject, registered_at, valid_from, valid_until, revoked_at, "
            "revoke_reason")
MAX_CERT_BYTES = 64 * 1024


def normalise_fingerprint(text: str) -> str:
    """"ab cd:ef…" or "ABCDEF…" → "AB:CD:EF:…"; raises DistrictError for anything but 64 hex digits."""
    digits = re.sub(r"[\s:：-]", "", text or "").upper()
    if not re.fullmatch(r"[0-9A-F]{64}", digits):
        raise DistrictError(f"“{text}”不是 SHA-256 证书指纹（应为 64 位十六进制数字，可用冒号分隔）。")
    return ":".join(digits[i:i + 2] for i in range(0, 64, 2))


def load_certificate(source: Path | str | bytes) -> x509.Certificate:
    """A certificate from a .cer/.crt/.pem file or its bytes (DER or PEM)."""
    from cryptography import x509

    if isinstance(source, bytes):
        data, label = source, "证书数据"
    else:
        path = Path(source)
        if not path.is_file():
            raise DistrictError(f"找不到证书文件：{path}")
        try:
            if path.stat().st_size > MAX_CERT_BYTES:
                raise DistrictError(f"“{path.name}”过大，不是证书文件。", hint="请选择学校导出的证书文件（.cer）。")
            data, label = path.read_bytes(), f"“{path.name}”"
        except OSError as err:
            raise DistrictError(f"无法读取证书文件“{path}”（{os_reason(err)}）。") from None
        if path.suffix.lower() in (".p12", ".pfx"):
            raise DistrictError(f"“{path.name}”是学校的密钥文件，不是证书。密钥文件含有学校的私钥，不应交给他人。",
                                hint="请让学校在 SelfCheck 的“学校密钥”中导出证书（.cer）后报送，并提醒学校妥善保管密钥文件。")
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise DistrictError(f"{label}不是有效的证书（.cer/.crt/.pem）。",
                            hint="请让学校在 SelfCheck 的“学校密钥”中导出证书（.cer）后再登记。") from None


def _model(row: dict) -> RegisteredCertificate:
    return RegisteredCertificate(**row)


class Registry:
    def __init__(self, store: Store, roster: Roster) -> None:
        self._store = store
        self._roster = roster

    def list(self, school_code: str | None = None) -> list[RegisteredCertificate]:
        if school_code is None:
            rows = self._store.rows(f"SELECT {_COLUMNS} FROM certificates ORDER BY registered_at, id")
        else:
            rows = self._store.rows(f"SELECT {_COLUMNS} FROM certificates WHERE school_code = ? "
                                    "ORDER BY registered_at, id", (school_code,))
        return [_model(r) for r in rows]

    def get(self, fingerprint: str) -> RegisteredCertificate:
        row = self._store.row(f"SELECT {_COLUMNS} FROM certificates WHERE fingerprint = ?",
                              (normalise_fingerprint(fingerprint),))
        if row is None:
            raise NotFoundError(f"没有登记指纹为 {fingerprint} 的证书。")
        return _model(row)

    def by_fingerprint(self, fingerprint: str) -> RegisteredCertificate | None:
        """The registered certificate with this fingerprint (any spelling), or None."""
        try:
            fingerprint = normalise_fingerprint(fingerprint)
        except DistrictError:
            return None
        row = self._store.row(f"SELECT {_COLUMNS} FROM certificates WHERE fingerprint = ?", (fingerprint,))
        return _model(row) if row else None

    def register(self, cert_path_or_bytes: Path | str | bytes, *, school_code: str | None = None,
                 school_name: str | None = None, allow_not_on_roster: bool = False,
                 allow_second_active: bool = False, allow_name_mismatch: bool = False) -> RegisteredCertificate:
        """Pin a school's certificate. The school is the roster entry with `school_code`, else with `school_name`,
        else the one the certificate names. Raises NeedsConfirmation for a school not on the roster, a second
        active certificate or a roster name that differs from the certificate's; call again with the flag."""
        from selfcheck.signing.keys import describe_name, fingerprint, school_of

        cert = load_certificate(cert_path_or_bytes)
        print_ = fingerprint(cert)
        cert_school = school_of(cert)
        existing = self.by_fingerprint(print_)
        school = self._roster.find(code=school_code) if school_code else self._roster.find(
            name=school_name or cert_school)
        if existing is not None:
            if school is not None and existing.school_code not in (None, school.code):
                raise DistrictError(f"此证书已登记给学校代码 {existing.school_code}，不能再登记给“{school.name}”。")
            return existing
        if school is None:
            asked = school_code or school_name or cert_school
            if not allow_not_on_roster:
                as_asked = f"（登记为“{asked}”）" if asked != cert_school else ""
                raise NeedsConfirmation(f"证书上的学校“{cert_school}”{as_asked}不在名册中。仍要登记吗？登记后，该证书签署的报告"
                                        "会因学校不在名册中而被拒收，直到把学校加入名册。", kind="not_on_roster")
        elif school.name != cert_school and not allow_name_mismatch:
            raise NeedsConfirmation(f"证书上的学校名称是“{cert_school}”，名册中代码 {school.code} 的学校是“{school.name}”。"
                                    "确认这是同一所学校的证书吗？", kind="name_mismatch")
        if school is not None and not allow_second_active:
            active = [c for c in self.list(school.code) if c.active]
            if active:
                raise NeedsConfirmation(f"“{school.name}”已有一张有效的登记证书（指纹 {active[0].fingerprint}，登记于 "
                                        f"{active[0].registered_at:%Y-%m-%d}）。再登记一张后两张都可签署报告；"
                                        "如学校换了密钥，请先吊销旧证书。仍要登记吗？", kind="second_active")
        from cryptography.hazmat.primitives import serialization

        with self._store.write() as db:
            cursor = db.execute(
                "INSERT INTO certificates (school_code, school_name, fingerprint, subject, der, registered_at, "
                "valid_from, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (school.code if school else None, cert_school, print_, describe_name(cert.subject),
                 cert.public_bytes(serialization.Encoding.DER), now_iso(),
                 cert.not_valid_before_utc.isoformat(), cert.not_valid_after_utc.isoformat()))
            new_id = cursor.lastrowid
        return _model(self._store.row(f"SELECT {_COLUMNS} FROM certificates WHERE id = ?", (new_id,)))  # type: ignore[arg-type]

    def revoke(self, fingerprint: str, reason: str = "", at: datetime | None = None) -> RegisteredCertificate:
        """Revoke from `at` (now by default): reports signed before stay valid, later ones are rejected."""
        cert = self.get(fingerprint)
        if cert.revoked_at is not None:
            raise DistrictError(f"此证书已于 {cert.revoked_at:%Y-%m-%d %H:%M} 吊销。")
        when = (at or datetime.now()).astimezone().isoformat(timespec="milliseconds")
        with self._store.write() as db:
            db.execute("UPDATE certificates SET revoked_at = ?, revoke_reason = ? WHERE id = ?",
                       (when, reason.strip(), cert.id))
        return self.get(cert.fingerprint)

    def pins(self) -> list[Pin]:
        """Every registered certificate (revoked ones included, so a late report is told it is revoked)."""
        from selfcheck.district.verifying import Pin

        return [Pin(c.fingerprint, c.school_name, revoked_at=c.revoked_at, valid_from=c.valid_from,
                    valid_until=c.valid_until) for c in self.list()]
