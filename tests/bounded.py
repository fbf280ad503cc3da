"""Run untrusted-input work in a child process whose memory and CPU time are capped, and measure what it used.

The parent never runs a possibly-runaway input itself: a regression then fails one test instead of exhausting the
machine. The child imports what the work needs first, then caps its address space (RLIMIT_AS) at what it uses plus
`memory_mb`, caps CPU time, runs each case and reports, per case, the growth of its peak resident memory over the
resident size before it (the peak is reset between cases) and the CPU seconds taken.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import selfcheck

resource = pytest.importorskip("resource", reason="memory limits need a POSIX system")

_CHILD = textwrap.dedent(
    """\
    import json, resource, sys, time
    {prelude}

    def _status(field):
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    cases = json.loads(sys.stdin.read())
    base_rss = _status("VmRSS")
    cap = _status("VmSize") + {memory_bytes}
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CPU, ({cpu_seconds}, {cpu_seconds}))
    results = {{}}
    for key, case in cases.items():
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM (peak RSS) to the current RSS, so each case's peak is its own
        base_rss = _status("VmRSS")
        start = time.process_time()
        try:
            outcome = work(case)
        except MemoryError:
            outcome = {{"error": "MemoryError"}}
        except BaseException as exc:  # reported, not hidden: the test shows the exception
            outcome = {{"error": type(exc).__name__ + ": " + str(exc)[:500]}}
        results[key] = {{
            "outcome": outcome,
            "cpu_seconds": time.process_time() - start,
            "peak_growth_mb": (_status("VmHWM") - base_rss) / 2**20,
        }}
    print(json.dumps(results, ensure_ascii=False))
    """
)


def run_bounded(prelude: str, cases: dict[str, object], *, memory_mb: int = 512, cpu_seconds: int = 120,
                timeout: float = 300) -> dict[str, dict]:
    """Run `work(case)` (defined by `prelude`, returning JSON-able data) for every case in one capped child.

    The address-space cap (`memory_mb` above the post-import size) stops a runaway long before it hurts the
    machine; the tests then bound the measured peak growth much lower.
    """
    code = _CHILD.format(prelude=textwrap.dedent(prelude), memory_bytes=memory_mb * 2**20, cpu_seconds=cpu_seconds)
    src = str(Path(selfcheck.__file__).resolve().parents[1])
    root = str(Path(__file__).resolve().parents[1])  # for `tests.*` helpers
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, root, os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-c", code], input=json.dumps(cases), capture_output=True, text=True,
                            timeout=timeout, env=env)
    assert result.returncode == 0, f"bounded child failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return json.loads(result.stdout)
