"""Who signed: pinned certificate fingerprints and the school each is registered for. Never a certificate chain."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from selfcheck.signing.school_match import same_school
from selfcheck.verification.times import local_time_text

if TYPE_CHECKING:
    from cryptography import x509

_HEX = re.compile(r"[0-9a-f]{64}")


def normalize_fingerprint(value: str) -> str:
    """A SHA-256 fingerprint as 64 lower-case hex digits, whatever the spelling ("AB:CD:…", "ab cd …", "abcd…")."""
    return re.sub(r"[^0-9a-fA-F]", "", value).lower()


@dataclass(frozen=True)
class Pin:
    """A registered school certificate: its SHA-256 fingerprint and the school it belongs to.

    `fingerprint` is stored as 64 lower-case hex digits (colons and case are normalised on construction).
    `revoked_at`: reports signed at or after this moment fail; earlier ones stay valid.
    `valid_from`/`valid_until`: the certificate's validity, checked against the report's signing time.
    All datetimes are aware (naive ones are taken as UTC).
    """

    fingerprint: str
    school: str
    revoked_at: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fingerprint", normalize_fingerprint(self.fingerprint))
        for name in ("revoked_at", "valid_from", "valid_until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                object.__setattr__(self, name, value.replace(tzinfo=UTC))
        if not _HEX.fullmatch(self.fingerprint):
            raise ValueError(f"not a SHA-256 fingerprint: {self.fingerprint!r}")


def certificate_fingerprint(certificate: x509.Certificate) -> str:
    """The certificate's SHA-256 fingerprint in Pin form (64 lower-case hex digits)."""
    from cryptography.hazmat.primitives import hashes

    return certificate.fingerprint(hashes.SHA256()).hex()


def pins_from_certificates(certs: Iterable[x509.Certificate]) -> list[Pin]:
    """Pins for trusted certificate files (`selfcheck verify --trust`): one per certificate, for the school its
    subject names first (O, else CN: signing.keys.school_of), valid over the certificate's own validity period.

    Only that one name counts: a certificate whose CN or OU names a second school does not vouch for it (the
    district's registry, which records the school explicitly, is the way to register anything else)."""
    from selfcheck.signing.keys import school_of

    return [Pin(fingerprint=certificate_fingerprint(cert), school=school_of(cert), valid_from=cert.not_valid_before_utc,
                valid_until=cert.not_valid_after_utc) for cert in certs]


@dataclass
class IdentityVerdict:
    """The outcome of matching a signer against the pins: no findings means the identity is confirmed."""

    findings: list[tuple[str, str]] = field(default_factory=list)  # (failure kind, Chinese reason)

    @property
    def kinds(self) -> set[str]:
        return {kind for kind, _ in self.findings}

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, kind: str, problem: str) -> None:
        self.findings.append((kind, problem))


def check_identity(fingerprint: str, report_school: str, signing_time: datetime | None,
                   pins: Sequence[Pin]) -> IdentityVerdict:
    """Match a signing certificate (by fingerprint) and the report's school against the pins.

    - no pin has this fingerprint → "unregistered";
    - pins have it, but none for the report's school (signing.school_match.same_school) → "other_school";
    - the matching pin was revoked at or before the signing time (or the time is unknown) → "revoked";
    - the signing time is outside the pin's validity (or unknown while a validity is set) → "cert_not_valid_at_signing".
    """
    verdict = IdentityVerdict()
    wanted = normalize_fingerprint(fingerprint)
    candidates = [pin for pin in pins if pin.fingerprint == wanted]
    if not candidates:
        verdict.add("unregistered", "签名证书不在已登记（受信任）的证书中：无法确认签名者是报送学校。")
        return verdict
    matching = [pin for pin in candidates if same_school(pin.school, report_school)]
    if not matching:
        registered = "、".join(dict.fromkeys(pin.school for pin in candidates))
        verdict.add("other_school", f"签名证书登记的学校是“{registered}”，不是报告中的学校“{report_school.strip()}”。")
        return verdict
    per_pin = [_time_problems(pin, signing_time) for pin in matching]
    best = min(per_pin, key=len)  # one registration that accepts the report is enough
    verdict.findings.extend(best)
    return verdict


def _time_problems(pin: Pin, signing_time: datetime | None) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if pin.revoked_at is not None:
        if signing_time is None:
            found.append(("revoked", f"签名证书已于 {local_time_text(pin.revoked_at)} 作废，"
                                     "而报告没有签名时间，无法确认是在作废之前签署的。"))
        elif signing_time >= pin.revoked_at:
            found.append(("revoked", f"签名证书已于 {local_time_text(pin.revoked_at)} 作废，"
                                     f"报告签署于 {local_time_text(signing_time)}，在作废之后。"))
    if pin.valid_from is not None or pin.valid_until is not None:
        start = local_time_text(pin.valid_from) if pin.valid_from else "（不限）"
        end = local_time_text(pin.valid_until) if pin.valid_until else "（不限）"
        if signing_time is None:
            found.append(("cert_not_valid_at_signing",
                          f"报告没有签名时间，无法确认签署时证书在有效期（{start} 至 {end}）内。"))
        elif ((pin.valid_from is not None and signing_time < pin.valid_from)
              or (pin.valid_until is not None and signing_time > pin.valid_until)):
            found.append(("cert_not_valid_at_signing",
                          f"报告签署于 {local_time_text(signing_time)}，不在签名证书的有效期（{start} 至 {end}）内。"))
    return found
