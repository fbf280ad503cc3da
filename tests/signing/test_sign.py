"""Signing in place: the hook run right before the signature value is computed can stop the signing."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest

from selfcheck.report.fonts import report_fonts, stamp_font_file
from selfcheck.report.pdf import BuiltPdf, build_pdf
from selfcheck.signing.appearance import AppearanceText, make_stamp_style
from selfcheck.signing.keys import load_key, read_certificates
from selfcheck.signing.sign import sign_pdf_in_place
from selfcheck.verification.identity import pins_from_certificates
from selfcheck.verification.report import verify_bytes
from tests.report.factory import make_sample
from tests.report.fixtures import SchoolKey


class Refused(Exception):
    pass


def _unsigned() -> BuiltPdf:
    small = make_sample(photos=0)
    return build_pdf(small.data, small.photo_loader)


def _sign(stream: io.BytesIO, built: BuiltPdf, school_key: SchoolKey, hook: Callable[[], None]) -> None:
    text = AppearanceText(school="某某市第一中学", principal="王建国", date_text="2026年10月20日", time_text="10:00:00")
    style = make_stamp_style(text, stamp_font_file(report_fonts().stamp_face(), "某某市第一中学王建国"))
    stream.write(built.pdf)
    sign_pdf_in_place(stream, load_key(school_key.p12, school_key.password), page=built.signature.page,
                      box=built.signature.box, stamp_style=style, before_signing=hook)


def test_the_hook_runs_once_after_the_file_is_written_and_the_report_verifies(school_key: SchoolKey) -> None:
    built = _unsigned()
    stream = io.BytesIO()
    sizes: list[int] = []
    _sign(stream, built, school_key, lambda: sizes.append(len(stream.getvalue())))
    assert len(sizes) == 1  # not for pyHanko's estimate of the signature's size
    assert sizes[0] > len(built.pdf)  # the increment with the placeholder was already appended
    result = verify_bytes(stream.getvalue(), pins_from_certificates(read_certificates(school_key.cer)))
    (check,) = result.signatures  # no report data attached here: only the signature itself is judged
    assert check.intact and check.valid and check.covers_whole_file and check.modification == "none"


def test_a_hook_that_raises_stops_the_signing_before_any_signature_exists(school_key: SchoolKey) -> None:
    built = _unsigned()
    stream = io.BytesIO()

    def refuse() -> None:
        raise Refused("照片校验未通过")

    with pytest.raises(Refused):
        _sign(stream, built, school_key, refuse)
    placeholder = re.search(rb"/Contents <([0-9a-fA-F]+)>", stream.getvalue())
    assert placeholder is not None
    assert set(placeholder.group(1)) == {ord("0")}  # the placeholder was never filled
