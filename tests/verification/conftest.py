"""Verification fixtures: one genuine small report, the district's registered certificates, outsiders' keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.report.factory import Sample, make_sample
from tests.report.fixtures import SchoolKey
from tests.verification import forgery


@dataclass(frozen=True)
class Genuine:
    """A small report of 某某市第一中学 signed by SelfCheck with the school's key, and its unsigned pages."""

    signed: bytes
    unsigned: bytes
    small: Sample


@pytest.fixture(scope="session")
def genuine(school_key: SchoolKey, tmp_path_factory: pytest.TempPathFactory) -> Genuine:
    from selfcheck.report.export import export_report
    from selfcheck.report.pdf import build_pdf

    small = make_sample(photos=2, photo_size=(400, 300))
    out = tmp_path_factory.mktemp("genuine") / "report.pdf"
    export_report(small.data, small.photo_loader, out, key_path=school_key.p12, password=school_key.password)
    return Genuine(signed=out.read_bytes(), unsigned=build_pdf(small.data, small.photo_loader).pdf, small=small)


@pytest.fixture(scope="session")
def legacy_other_school(tmp_path_factory: pytest.TempPathFactory) -> forgery.Identity:
    """School B's key as older SelfCheck versions made it: self-signed with CA:TRUE and keyCertSign."""
    return forgery.make_certificate("另一所中学", ca=True)


@pytest.fixture(scope="session")
def registered(school_key: SchoolKey, other_key: SchoolKey, legacy_other_school: forgery.Identity,
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The district's folder of registered certificates: this school's, and two other schools' (one legacy)."""
    from cryptography.hazmat.primitives import serialization

    folder = tmp_path_factory.mktemp("registered")
    (folder / "某某市第一中学.cer").write_bytes(school_key.cer.read_bytes())
    (folder / "另一所中学.cer").write_bytes(other_key.cer.read_bytes())
    (folder / "旧版学校.cer").write_bytes(legacy_other_school.cert.public_bytes(serialization.Encoding.DER))
    return folder
