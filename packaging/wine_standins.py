"""Builds stand-ins for Windows 10 system DLLs that Wine 8 lacks, for the build machine's Wine prefix only."""

# Two gaps were hit when building and smoke-testing under Debian's Wine 8:
# - icuuc.dll (Windows 10 1903+ ships ICU): Qt6Core.dll from PySide6 6.10+ imports its ucnv_* functions.
#   Without it QtCore fails to import under Wine and PyInstaller's Qt hook silently leaves out every Qt
#   plugin. The stand-in reports "converter not available", so Qt falls back to its built-in codecs.
# - bcryptprimitives.dll (ProcessPrng, Windows 10+): Rust's standard library (pydantic-core,
#   cryptography) imports it. The stand-in forwards to BCryptGenRandom, which Wine implements.
# The script scans the Windows packages' binaries for imports of these DLLs, generates C sources for
# exactly the functions imported and compiles them with mingw-w64. The DLLs go into the Wine prefix's
# system32 and must never ship in the bundle (packaging/bundle_config.py checks that).

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

OBJDUMP = "x86_64-w64-mingw32-objdump"
GCC = "x86_64-w64-mingw32-gcc"

# ICU's U_UNSUPPORTED_ERROR: tells the caller the converter cannot be provided.
_U_UNSUPPORTED_ERROR = 16

_ICU_BODIES = {
    "ucnv_open": (
        "void *{name}(const char *converter_name, int *err)",
        f"(void)converter_name; if (err) *err = {_U_UNSUPPORTED_ERROR}; return 0;",
    ),
    "ucnv_countAvailable": ("int {name}(void)", "return 0;"),
    "ucnv_getAvailableName": ("const char *{name}(int n)", "(void)n; return 0;"),
    "ucnv_getStandardName": (
        "const char *{name}(const char *n, const char *standard, int *err)",
        f"(void)n; (void)standard; if (err) *err = {_U_UNSUPPORTED_ERROR}; return 0;",
    ),
    "ucnv_getName": (
        "const char *{name}(const void *cnv, int *err)",
        f"(void)cnv; if (err) *err = {_U_UNSUPPORTED_ERROR}; return 0;",
    ),
}

_BCRYPTPRIMITIVES_BODIES = {
    # BOOL ProcessPrng(PBYTE pbData, SIZE_T cbData): fills the buffer with cryptographic random bytes.
    "ProcessPrng": (
        "int {name}(unsigned char *data, size_t size)",
        "while (size > 0) { ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size; "
        "if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0) return 0; "
        "data += chunk; size -= chunk; } return 1;",
    ),
}


@dataclass(frozen=True)
class StandIn:
    """How to build one missing DLL."""

    dll: str
    bodies: dict[str, tuple[str, str]]
    # True: functions without a known body become no-ops returning 0 (safe for ICU, which Qt only
    # probes). False: an unknown import is an error, because a silent no-op could weaken security.
    allow_noop: bool
    headers: tuple[str, ...] = ()
    libs: tuple[str, ...] = ()


STAND_INS = {
    s.dll: s
    for s in (
        StandIn("icuuc.dll", _ICU_BODIES, allow_noop=True),
        StandIn("icuin.dll", _ICU_BODIES, allow_noop=True),
        StandIn("icu.dll", _ICU_BODIES, allow_noop=True),
        StandIn(
            "bcryptprimitives.dll",
            _BCRYPTPRIMITIVES_BODIES,
            allow_noop=False,
            headers=("windows.h", "bcrypt.h"),
            libs=("-lbcrypt",),
        ),
    )
}


def imports_of(binary: Path) -> dict[str, list[str]]:
    """Return {lower-case dll name: [imported function names]} from the import table of a PE file."""
    out = subprocess.run([OBJDUMP, "-p", str(binary)], check=True, capture_output=True, text=True).stdout
    return parse_imports(out)


def parse_imports(objdump_output: str) -> dict[str, list[str]]:
    """Parse the import tables in `objdump -p` output into {lower-case dll name: [function names]}."""
    result: dict[str, list[str]] = {}
    current: str | None = None
    for line in objdump_output.splitlines():
        match = re.match(r"\s*DLL Name:\s*(\S+)", line)
        if match:
            current = match.group(1).lower()
            result.setdefault(current, [])
            continue
        if current is None:
            continue
        # Import rows look like "  9b0000    263  ucnv_open"; a blank line ends the DLL's block.
        row = re.match(r"\s*[0-9a-f]+\s+\d+\s+([A-Za-z_][A-Za-z0-9_]*)\s*$", line)
        if row:
            result[current].append(row.group(1))
        elif not line.strip():
            current = None
    return result


def needed_stand_ins(binaries: list[Path]) -> dict[str, set[str]]:
    """Return {dll: functions} for every stand-in DLL that some binary in `binaries` imports."""
    needed: dict[str, set[str]] = {}
    for binary in binaries:
        for dll, functions in imports_of(binary).items():
            if dll in STAND_INS:
                needed.setdefault(dll, set()).update(functions)
    return needed


def c_source(stand_in: StandIn, functions: set[str]) -> str:
    """Return C source exporting every function in `functions`; raises ValueError for an unknown one."""
    lines = [f"/* Generated by packaging/wine_standins.py: {stand_in.dll} stand-in for Wine only. */"]
    lines += [f"#include <{h}>" for h in stand_in.headers]
    lines += ["#include <stddef.h>", "#define EXPORT __declspec(dllexport)", ""]
    for name in sorted(functions):
        if name in stand_in.bodies:
            signature, body = stand_in.bodies[name]
            lines.append(f"EXPORT {signature.format(name=name)} {{ {body} }}")
        elif stand_in.allow_noop:
            # Windows x64 calling convention: the caller cleans up, so an argument-less stub is safe.
            lines.append(f"EXPORT void *{name}(void) {{ return 0; }}")
        else:
            raise ValueError(f"{stand_in.dll}: no stand-in for imported function {name}")
    return "\n".join(lines) + "\n"


def build(package_dir: Path, out_dir: Path) -> list[Path]:
    """Compile the stand-ins needed by the binaries under `package_dir`; returns the DLL paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    binaries = sorted(p for p in package_dir.rglob("*") if p.suffix.lower() in {".dll", ".pyd"} and p.is_file())
    built: list[Path] = []
    for dll, functions in sorted(needed_stand_ins(binaries).items()):
        stand_in = STAND_INS[dll]
        source = out_dir / (Path(dll).stem + ".c")
        source.write_text(c_source(stand_in, functions), encoding="utf-8")
        target = out_dir / dll
        subprocess.run([GCC, "-shared", "-O2", "-s", "-o", str(target), str(source), *stand_in.libs], check=True)
        print(f"wine_standins: {dll} ({', '.join(sorted(functions))[:80]}...) -> {target}")
        built.append(target)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("package_dir", type=Path, help="Windows site-packages (or an installed bundle)")
    parser.add_argument("out_dir", type=Path, help="folder for the generated C files and DLLs")
    args = parser.parse_args(argv)
    build(args.package_dir, args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
