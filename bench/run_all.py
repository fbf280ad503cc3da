"""Runs every benchmark in bench/ and prints each project figure beside its same-run baseline."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    results: dict[str, object] = {}
    failed = []
    for path in sorted(HERE.glob("bench_*.py")):
        print(f"== {path.stem} ==", flush=True)
        try:
            results[path.stem] = _load(path).main()
        except Exception as err:  # keep going: one broken benchmark must not hide the others
            failed.append(path.stem)
            print(f"{path.stem} failed: {err!r}", flush=True)
    print(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
