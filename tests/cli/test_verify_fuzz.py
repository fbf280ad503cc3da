"""Fuzz `selfcheck verify`: mutants of a genuine signed report always get a Chinese verdict, never a crash.

Called through the CLI entry (so it holds whatever module verification lives in): exit 1 未通过, 3 identity not
checked, or 2 the file cannot be read, with the reason in Chinese; never 0, never 70, within time and memory bounds.
"""

from __future__ import annotations

import pytest

from tests.bounded import run_bounded
from tests.mutation import scaled
from tests.report.fixtures import Exported

COUNT = scaled(200)
# Where PDF parsers and signature validators branch.
TOKENS = [b"/ByteRange", b"/Contents", b"/Type /Sig", b"/M (D:", b"/SubFilter", b"xref", b"trailer", b"startxref",
          b"/Root", b"/AcroForm", b"/Fields", b"/EmbeddedFiles", b"/Length", b"/Filter", b" obj", b"endobj",
          b"stream", b"/Perms", b"/DocMDP", b"/Size", b"/Prev"]
INSERTS = [b"%%EOF\n", b"\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n0\n%%EOF\n",
           b"/ByteRange [0 0 0 0]", b"/Length 99999999999", b"<< /Type /Sig >>", b"(D:99991231235959Z)",
           b"999999999999999999999", b"-1", b"[[[[[[[[[[[[[[[[", b"<<<<<<<<<<<<", b"\x00" * 32, b"/Prev 0"]

_VERIFY = """
import contextlib, io, random, tempfile
from pathlib import Path
from selfcheck.cli.main import run
from tests.mutation import mutate

GENUINE = Path({genuine!r}).read_bytes()
TOKENS = {tokens!r}
INSERTS = {inserts!r}
folder = Path(tempfile.mkdtemp())

def work(seed):
    path = folder / "report.pdf"
    path.write_bytes(mutate(GENUINE, random.Random(seed), TOKENS, INSERTS))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(["verify", str(path)])
    return {{"code": code, "out": out.getvalue()[-2000:], "err": err.getvalue()[-2000:]}}
"""


@pytest.fixture(scope="module")
def results(exported: Exported) -> dict[str, dict]:
    prelude = _VERIFY.format(genuine=str(exported.path), tokens=TOKENS, inserts=INSERTS)
    return run_bounded(prelude, {f"seed {n}": n for n in range(COUNT)}, memory_mb=1024, cpu_seconds=60 + 2 * COUNT)


@pytest.mark.slow
def test_every_mutant_gets_a_chinese_verdict(results: dict[str, dict]) -> None:
    codes: dict[int, int] = {}
    for name, result in results.items():
        outcome = result["outcome"]
        assert "code" in outcome, (name, outcome)
        code = outcome["code"]
        codes[code] = codes.get(code, 0) + 1
        assert code in (1, 2, 3), (name, outcome)
        assert "Traceback" not in outcome["err"] and "程序内部错误" not in outcome["err"], (name, outcome)
        if code == 2:
            assert outcome["err"].startswith("错误："), (name, outcome)
        elif code == 1:
            assert "未通过" in outcome["out"], (name, outcome)
        else:
            assert "未核对" in outcome["out"], (name, outcome)
        assert result["peak_growth_mb"] < 200 and result["cpu_seconds"] < 10, (name, result)
    assert codes.get(1, 0) > COUNT // 2, codes  # most mutants are caught as changed, not merely unreadable
