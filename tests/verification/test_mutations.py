"""Seeded mutations of a genuine report: whatever the bytes, verify answers with a verdict and reasons, never an
exception, and never 通过 for a changed file."""

from __future__ import annotations

import random

from selfcheck.signing.keys import read_certificates
from selfcheck.verification.identity import pins_from_certificates
from selfcheck.verification.report import verify_bytes
from tests.report.fixtures import SchoolKey
from tests.verification.conftest import Genuine

MUTATIONS = 100


def _mutate(raw: bytes, rng: random.Random) -> bytes:
    kind = rng.randrange(5)
    at = rng.randrange(len(raw))
    if kind == 0:  # flip one byte
        return raw[:at] + bytes([raw[at] ^ (1 << rng.randrange(8))]) + raw[at + 1:]
    if kind == 1:  # overwrite a run with random bytes
        run = rng.randrange(1, 64)
        return raw[:at] + rng.randbytes(run) + raw[at + run:]
    if kind == 2:  # delete a run
        return raw[:at] + raw[at + rng.randrange(1, 256):]
    if kind == 3:  # duplicate a run elsewhere
        run = raw[at:at + rng.randrange(1, 512)]
        to = rng.randrange(len(raw))
        return raw[:to] + run + raw[to:]
    # change a digit (offsets, lengths, object numbers, dates)
    digits = [i for i in range(max(0, at - 2000), min(len(raw), at + 2000)) if 48 <= raw[i] <= 57]
    if not digits:
        return raw
    i = rng.choice(digits)
    return raw[:i] + str(rng.randrange(10)).encode() + raw[i + 1:]


def test_mutated_reports_get_a_verdict_never_an_exception(genuine: Genuine, school_key: SchoolKey) -> None:
    pins = pins_from_certificates(read_certificates(school_key.cer))
    rng = random.Random(20261203)
    passed = []
    for n in range(MUTATIONS):
        mutated = _mutate(genuine.signed, rng)
        result = verify_bytes(mutated, pins)  # an exception here fails the test with its traceback
        assert result.exit_code in (0, 1, 3)
        assert result.exit_code == 1 or not result.problems
        assert result.failure_kinds or result.exit_code != 1
        if result.exit_code != 1 and mutated != genuine.signed:
            passed.append(n)
    # Only a change outside what the signature covers may pass: the unused zero padding of /Contents.
    for n in passed:
        rng_again = random.Random(20261203)
        for _ in range(n + 1):
            mutated = _mutate(genuine.signed, rng_again)
        assert len(mutated) == len(genuine.signed)
        changed = [i for i, (a, b) in enumerate(zip(mutated, genuine.signed, strict=True)) if a != b]
        contents = genuine.signed.index(b"/Contents <")
        assert all(contents < i < genuine.signed.index(b">", contents) for i in changed), n
