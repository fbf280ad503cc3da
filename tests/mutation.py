"""Seeded mutation of genuine inputs, the way the fuzzer found the crashes: deterministic, so a failure replays.

Strategies: flip bytes anywhere, flip bytes near a structural token (where parsers branch), insert a token,
delete or duplicate a span, truncate, append. `SELFCHECK_FUZZ_SCALE` multiplies the number of inputs (e.g. 50 for
a long local run); CI runs the default few hundred.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator, Sequence


def scaled(count: int) -> int:
    return count * max(1, int(os.environ.get("SELFCHECK_FUZZ_SCALE", "1")))


def _near_token(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> int:
    for _ in range(8):
        token = rng.choice(tokens)
        starts = [i for i in range(len(data)) if data.startswith(token, i)] if len(data) < 200_000 else []
        if not starts:
            at = data.find(token, rng.randrange(len(data)))
            starts = [at] if at >= 0 else []
        if starts:
            return min(len(data) - 1, rng.choice(starts) + rng.randrange(len(token) + 16))
    return rng.randrange(len(data))


def mutate(data: bytes, rng: random.Random, tokens: Sequence[bytes] = (), inserts: Sequence[bytes] = ()) -> bytes:
    """One mutant of `data` (never identical to it)."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        strategy = rng.randrange(7)
        if not out:
            out += rng.randbytes(4)
            continue
        if strategy == 0:
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif strategy == 1 and tokens:
            for _ in range(rng.randint(1, 4)):
                out[_near_token(rng, bytes(out), tokens)] = rng.randrange(256)
        elif strategy == 2 and inserts:
            at = _near_token(rng, bytes(out), tokens) if tokens and rng.random() < 0.5 else rng.randrange(len(out))
            out[at:at] = rng.choice(inserts)
        elif strategy == 3:
            start = rng.randrange(len(out))
            del out[start:start + rng.randint(1, 64)]
        elif strategy == 4:
            start = rng.randrange(len(out))
            out[start:start] = out[start:start + rng.randint(1, 256)]
        elif strategy == 5:
            del out[rng.randrange(1, max(2, len(out))):]
        else:
            out += rng.choice(inserts) if inserts and rng.random() < 0.5 else rng.randbytes(rng.randint(1, 64))
    if bytes(out) == data:
        out.append(0)
    return bytes(out)


def mutants(data: bytes, count: int, seed: int, tokens: Sequence[bytes] = (),
            inserts: Sequence[bytes] = ()) -> Iterator[bytes]:
    rng = random.Random(seed)
    for _ in range(count):
        yield mutate(data, rng, tokens, inserts)
