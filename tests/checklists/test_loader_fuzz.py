"""Fuzz the checklist loader: mutants of a valid checklist are loaded or refused with a located Chinese message,
through `selfcheck checklists validate` (exit 0 or 1, never 70), within time and memory bounds."""

from __future__ import annotations

import pytest

from tests.bounded import run_bounded
from tests.checklists.test_loader import VALID
from tests.checklists.test_safe_yaml import english_words
from tests.mutation import mutants, scaled

COUNT = scaled(300)
# YAML's structural characters and the constructs the fuzzer found dangerous.
TOKENS = [b": ", b"- ", b"\n  ", b"{", b"[", b'"', b"'", b"#", b"id:", b"answer", b"show_if"]
INSERTS = [b"&a ", b"*a", b"!!int ", b"!!timestamp ", b"!!float ", b"!!binary ", b"!!set ", b"? ", b"<<: ", b"\t",
           b"\x07", b"\x00", b"\xff", b"[[[[[[[[", b"{a: {a: ", b"2024-02-30", b"1e999", b"null: ", b"---\n",
           b"...\n", b"%YAML 1.1\n", b'"\\q', b"|0", b">-9", b"!x!y ", b"\xe4\xb8"]

_VALIDATE = """
import contextlib, io, tempfile
from pathlib import Path
from selfcheck.cli.main import run

folder = Path(tempfile.mkdtemp())

def work(case):
    path = folder / "fuzz.yaml"
    path.write_bytes(bytes.fromhex(case))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["checklists", "validate", str(path)])
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}
"""


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    cases = {f"mutant {n}": data.hex() for n, data in
             enumerate(mutants(VALID.encode("utf-8"), COUNT, seed=16, tokens=TOKENS, inserts=INSERTS))}
    return run_bounded(_VALIDATE, cases, memory_mb=512, cpu_seconds=60 + COUNT)


@pytest.mark.slow
def test_every_mutant_is_loaded_or_refused_with_a_located_chinese_message(results: dict[str, dict]) -> None:
    refused = 0
    english = [(name, line) for name, result in results.items() for line in result["outcome"].get("err", "").splitlines()
               if english_words(line.partition(": ")[2])]
    assert not english, (sorted({w for _, line in english for w in english_words(line.partition(": ")[2])}), english)
    for name, result in results.items():
        outcome = result["outcome"]
        assert "code" in outcome, (name, outcome)
        assert outcome["code"] in (0, 1), (name, outcome)
        assert result["peak_growth_mb"] < 48 and result["cpu_seconds"] < 5, (name, result)
        if outcome["code"] == 0:
            assert "校验通过" in outcome["out"], (name, outcome)
            continue
        refused += 1
        lines = outcome["err"].splitlines()
        assert lines[-1].startswith("校验未通过："), (name, outcome)
        for line in lines[:-1]:
            where, _, message = line.partition(": ")
            assert where.startswith("fuzz.yaml:") and message, (name, line)
            assert not english_words(message), (name, line)
        assert any(line.startswith("fuzz.yaml:") and line.split(":")[1].isdigit() for line in lines), (name, lines)
    assert refused > COUNT // 2  # the mutations do break files: the contract was exercised
