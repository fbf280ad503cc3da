#!/usr/bin/env bash
# Smoke test of the Windows installer under Wine: silent install, upgrade in place, run the installed
# app, silent uninstall, and check that the program files are gone while the user's workbooks stay.
#
# Usage: packaging/smoke_windows.sh [path/to/SelfCheck-<version>-setup.exe]
#        (default: dist/SelfCheck-<version>-setup.exe built by packaging/build_windows.sh)
# Uses the Wine prefix in the build cache (SELFCHECK_BUILD_CACHE, default .cache/windows-build).
# SELFCHECK_SMOKE_QT_ARGS: Qt arguments for the --smoke-test runs (default "-platform offscreen"; the prefix
# also sets QT_QPA_PLATFORM=offscreen, so an empty value tests the run without them).
set -euo pipefail
SMOKE_QT_ARGS="${SELFCHECK_SMOKE_QT_ARGS--platform offscreen}"

source "$(dirname "${BASH_SOURCE[0]}")/wine_env.sh"

SETUP_EXE="${1:-$(setup_exe_path)}"
[ -f "$SETUP_EXE" ] || die "installer not found: $SETUP_EXE (run packaging/build_windows.sh first)"
SETUP_EXE="$(cd "$(dirname "$SETUP_EXE")" && pwd)/$(basename "$SETUP_EXE")"
VERSION="$(project_version)"
APP_NAME="学校专项自查"
UNINST_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\SelfCheck'
LOG_DIR="$REPO_ROOT/build/windows/smoke"
rm -rf "$LOG_DIR"
mkdir -p "$LOG_DIR"

START=$(date +%s)
FAILURES=0
PASSES=0
pass() { log "PASS: $*"; PASSES=$((PASSES + 1)); }
fail() { printf '\033[1;31mFAIL: %s\033[0m\n' "$*" >&2; FAILURES=$((FAILURES + 1)); }
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

ensure_deb_packages
ensure_wine_prefix

win_env() { wine_run 60 cmd /c echo "%$1%" | tr -d '\r' | tail -1; }
LOCALAPPDATA_WIN="$(win_env LOCALAPPDATA)"
APPDATA_WIN="$(win_env APPDATA)"
USERPROFILE_WIN="$(win_env USERPROFILE)"
LOCALAPPDATA_UNIX="$(winepath -u "$LOCALAPPDATA_WIN" | tr -d '\r')"
APPDATA_UNIX="$(winepath -u "$APPDATA_WIN" | tr -d '\r')"
USERPROFILE_UNIX="$(winepath -u "$USERPROFILE_WIN" | tr -d '\r')"
[ -d "$LOCALAPPDATA_UNIX" ] || die "cannot find %LOCALAPPDATA% of the Wine prefix ($LOCALAPPDATA_WIN)"

SMOKE_ROOT="$(mktemp -d "$WINEPREFIX/drive_c/selfcheck-smoke.XXXXXX")"
SMOKE_ROOT_WIN="$(wine_path "$SMOKE_ROOT")"
INSTALL_UNIX="$SMOKE_ROOT/Programs/SelfCheck"
INSTALL_WIN="$SMOKE_ROOT_WIN\\Programs\\SelfCheck"
START_MENU_LNK="$APPDATA_UNIX/Microsoft/Windows/Start Menu/Programs/$APP_NAME.lnk"
DESKTOP_LNK="$USERPROFILE_UNIX/Desktop/$APP_NAME.lnk"
# Workbooks the user keeps: one in the app's data folder, one in a folder of their own.
DATA_DIR_UNIX="$LOCALAPPDATA_UNIX/SelfCheck"
KEPT_WORKBOOK="$DATA_DIR_UNIX/冒烟测试-用户工作簿-$$.selfcheck"
KEPT_ELSEWHERE="$USERPROFILE_UNIX/Documents/冒烟测试-$$/我的工作簿.selfcheck"

cleanup() {
    # A failed run may leave an install behind; remove it so the next run starts clean.
    if [ -f "$INSTALL_UNIX/uninstall.exe" ]; then
        wine_run 120 "$INSTALL_WIN\\uninstall.exe" /S >/dev/null || true
        timeout 120 wineserver -w || true
    fi
    rm -rf "$SMOKE_ROOT" "$(dirname "$KEPT_ELSEWHERE")"
    rm -f "$KEPT_WORKBOOK"
}
trap cleanup EXIT

registry_value() {  # registry_value NAME -> value of NAME under the uninstall key (empty if missing)
    local export_unix="$SMOKE_ROOT/uninstall-key.reg"
    rm -f "$export_unix"
    wine_run 60 reg export "$UNINST_KEY" "$(wine_path "$export_unix")" /y >/dev/null || return 0
    python3 - "$export_unix" "$1" <<'EOF'
import sys
raw = open(sys.argv[1], "rb").read()
text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8", "replace")
for line in text.splitlines():
    if line.startswith(f'"{sys.argv[2]}"='):
        value = line.split("=", 1)[1]
        print(value[1:-1].replace("\\\\", "\\") if value.startswith('"') else value)
EOF
}

run_install() {  # run_install LABEL
    local out rc=0 t0
    t0=$(date +%s)
    out="$(wine_run 600 "$(wine_path "$SETUP_EXE")" /S "/D=$INSTALL_WIN")" || rc=$?
    timeout 120 wineserver -w || true
    echo "$out" > "$LOG_DIR/install-$1.log"
    log "$1: setup.exe /S took $(( $(date +%s) - t0 )) s (exit $rc)"
    return $rc
}

app() {  # app EXE ARGS... -> prints the combined output, returns the exit code
    wine_run 600 "$INSTALL_WIN\\$1" "${@:2}"
}

# --- install -----------------------------------------------------------------------------------
log "Installing $(basename "$SETUP_EXE") into $INSTALL_WIN"
check "silent install exits 0" run_install first
check "SelfCheck.exe installed" test -f "$INSTALL_UNIX/SelfCheck.exe"
check "SelfCheck-app.exe (the window program SelfCheck.exe starts) installed" test -f "$INSTALL_UNIX/SelfCheck-app.exe"
check "installed program holds everything on the allow-list and nothing on the deny-list (packaging/bundle_contents.py)" \
    python3 "$PACKAGING_DIR/bundle_config.py" check "$INSTALL_UNIX"
check "selfcheck-cli.exe installed" test -f "$INSTALL_UNIX/selfcheck-cli.exe"
check "uninstaller installed" test -f "$INSTALL_UNIX/uninstall.exe"
check "Qt platform plugin installed" test -f "$INSTALL_UNIX/_internal/PySide6/plugins/platforms/qwindows.dll"
NOTICES="$INSTALL_UNIX/THIRD-PARTY-NOTICES.txt"
check "THIRD-PARTY-NOTICES.txt installed" test -s "$NOTICES"
check "THIRD-PARTY-NOTICES.txt has a PySide6 section" grep -q '^PySide6[_A-Za-z]* 6\.' "$NOTICES"
check "THIRD-PARTY-NOTICES.txt names libheif as a dynamically linked LGPL library" grep -q 'LGPL 组件】libheif ' "$NOTICES"
check "THIRD-PARTY-NOTICES.txt has the Python runtime licence" grep -q 'PYTHON SOFTWARE FOUNDATION LICENSE' "$NOTICES"
check "THIRD-PARTY-NOTICES.txt carries the LGPL text" grep -q 'GNU LESSER GENERAL PUBLIC LICENSE' "$NOTICES"
check "Start-menu shortcut created" test -f "$START_MENU_LNK"
check "desktop shortcut created" test -f "$DESKTOP_LNK"
check "uninstall entry DisplayName is $APP_NAME" test "$(registry_value DisplayName)" = "$APP_NAME"
check "uninstall entry DisplayVersion is $VERSION" test "$(registry_value DisplayVersion)" = "$VERSION"
check "uninstall entry has a Publisher" test -n "$(registry_value Publisher)"
check "uninstall entry InstallLocation is the install folder" test "$(registry_value InstallLocation)" = "$INSTALL_WIN"

# --- upgrade in place: a file only the "old version" had must disappear --------------------------
echo "left by an older version" > "$INSTALL_UNIX/_internal/stale-file-from-old-version.txt"
check "upgrade install over the existing one exits 0" run_install upgrade
check "upgrade removed the old version's program files" test ! -e "$INSTALL_UNIX/_internal/stale-file-from-old-version.txt"
check "upgrade kept the program in place" test -f "$INSTALL_UNIX/SelfCheck.exe"
check "upgrade re-registered the uninstaller" test "$(registry_value DisplayVersion)" = "$VERSION"

# --- the installed app runs --------------------------------------------------------------------
ensure_wine_standins "$INSTALL_UNIX/_internal"  # Windows 10 DLLs Wine lacks (never part of the bundle)

t0=$(date +%s)
out="$(app selfcheck-cli.exe --version)" && rc=0 || rc=$?
echo "$out" > "$LOG_DIR/cli-version.log"
check "selfcheck-cli.exe --version prints 'selfcheck $VERSION' (got: $(echo "$out" | tail -1))" \
    grep -qx "selfcheck $VERSION" <<<"$(tr -d '\r' <<<"$out")"
check "selfcheck-cli.exe --version exits 0" test "$rc" = 0
log "selfcheck-cli.exe --version took $(( $(date +%s) - t0 )) s"

out="$(app SelfCheck.exe --version)" && rc=0 || rc=$?
check "SelfCheck.exe (windowed) --version exits 0" test "$rc" = 0
if [ "$rc" != 0 ]; then  # seen once under Wine and not again: keep what it said for the next time
    log "SelfCheck.exe --version exit code $rc; its output:"
    printf '%s\n' "$out" | tail -20 >&2
fi

help="$(app selfcheck-cli.exe --help | tr -d '\r')" || true
echo "$help" > "$LOG_DIR/cli-help.log"
check "selfcheck-cli.exe --help shows Chinese usage" grep -q '桌面程序' <<<"$help"

if grep -qE '^\s+checklists\b|\{.*checklists.*\}' <<<"$help"; then
    out="$(app selfcheck-cli.exe checklists list --json | tr -d '\r')" && rc=0 || rc=$?
    echo "$out" > "$LOG_DIR/checklists-list.json"
    check "checklists list --json exits 0" test "$rc" = 0
    check "checklists list --json prints JSON listing the bundled checklists" python3 -c '
import json, sys
data = json.loads(sys.stdin.read())
items = data if isinstance(data, list) else next(v for v in data.values() if isinstance(v, list))
assert len(items) >= 1, "no checklist listed"
' <<<"$out"
else
    fail "the app has no 'checklists' command"
fi

smoke_run() {  # smoke_run EXE -> runs --smoke-test offscreen and checks DIR/smoke-result.json
    local exe="$1" dir_unix="$SMOKE_ROOT/smoke-${1%.exe}" out rc=0 t0
    mkdir -p "$dir_unix"
    t0=$(date +%s)
    # shellcheck disable=SC2086 # word splitting of the Qt arguments is intended
    out="$(app "$exe" --smoke-test "$(wine_path "$dir_unix")" $SMOKE_QT_ARGS)" || rc=$?
    echo "$out" > "$LOG_DIR/smoke-test-${exe%.exe}.log"
    log "$exe --smoke-test took $(( $(date +%s) - t0 )) s (exit $rc)"
    check "$exe --smoke-test exits 0" test "$rc" = 0
    if [ "$rc" != 0 ]; then  # the windowed exe has no console: its own log file tells more
        { echo "$out"; cat "$dir_unix/smoke.log" 2>/dev/null || true; } | tail -20 >&2
    fi
    check "$exe --smoke-test wrote smoke-result.json with ok=true" python3 -c '
import json, sys
result = json.load(open(sys.argv[1], encoding="utf-8"))
assert result.get("ok") is True, result
' "$dir_unix/smoke-result.json"
    check "$exe --smoke-test drew a chart (QtCharts is in the bundle)" grep -q '图表组件可用' "$dir_unix/smoke.log"
    [ -f "$dir_unix/smoke-result.json" ] && cp "$dir_unix/smoke-result.json" "$LOG_DIR/smoke-result-${exe%.exe}.json"
    [ -f "$dir_unix/smoke.log" ] && cp "$dir_unix/smoke.log" "$LOG_DIR/smoke-log-${exe%.exe}.txt"
    return 0
}

verify_run() {  # verify_run DIR -> `selfcheck-cli.exe verify` on the smoke test's signed report, as a district would
    local dir_unix="$1" out rc=0 first
    local report cer
    report="$(wine_path "$dir_unix/report.pdf")"
    cer="$(wine_path "$dir_unix/school.cer")"
    out="$(app selfcheck-cli.exe verify "$report" --trust "$cer" | tr -d '\r')" || rc=$?
    echo "$out" > "$LOG_DIR/verify-trusted.log"
    first="$(head -1 <<<"$out")"
    check "verify --trust with the school's certificate exits 0 (got $rc)" test "$rc" = 0
    check "verify --trust prints 通过 first (got: $first)" test "$first" = "通过"
    rc=0
    out="$(app selfcheck-cli.exe verify "$report" | tr -d '\r')" || rc=$?
    echo "$out" > "$LOG_DIR/verify-untrusted.log"
    first="$(head -1 <<<"$out")"
    check "verify without --trust exits 3, identity unchecked (got $rc)" test "$rc" = 3
    check "verify without --trust never says 通过 (got: $first)" test "$first" = "签名完好，但未核对签名者身份"
}

if grep -q -- '--smoke-test' <<<"$help"; then
    smoke_run SelfCheck.exe
    smoke_run selfcheck-cli.exe
    verify_run "$SMOKE_ROOT/smoke-selfcheck-cli"
else
    fail "the app has no --smoke-test option (workbook/photo/key/signed-report round trip)"
fi

# --- one real window (Qt's windows platform on Xvfb), with a screenshot --------------------------------
SCREENSHOT="$LOG_DIR/window.png"
real_window_start() {
    local display xvfb_pid workbook_unix="$SMOKE_ROOT/window/smoke-window.selfcheck" waited=0 found=""
    mkdir -p "$(dirname "$workbook_unix")"
    out="$(app selfcheck-cli.exe demo "$(wine_path "$workbook_unix")" --photos 2)" ||
        { echo "$out" | tail -5 >&2; fail "selfcheck-cli.exe demo builds a workbook for the window"; return 0; }
    display=":$((70 + $$ % 200))"
    Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.2; done
    # Output through a pipe (see wine_run); "-platform windows" overrides the prefix's QT_QPA_PLATFORM=offscreen.
    (DISPLAY="$display" timeout 300 wine "$INSTALL_WIN\\SelfCheck.exe" --workbook "$(wine_path "$workbook_unix")" \
        -platform windows </dev/null 2>&1 | cat > "$LOG_DIR/window-start.log") &
    while [ $waited -lt 120 ]; do
        found="$(DISPLAY="$display" xwininfo -root -tree 2>/dev/null | grep -a 'smoke-window' | head -1)" || true
        [ -n "$found" ] && break
        sleep 2; waited=$((waited + 2))
    done
    [ -n "$found" ] && sleep 8  # let it paint the inspection list and the status bar
    DISPLAY="$display" import -window root "$SCREENSHOT" 2>/dev/null || true
    log "real window: ${found:-none} after ${waited} s; screenshot ${SCREENSHOT#"$REPO_ROOT"/}"
    check "SelfCheck.exe -platform windows shows its main window on a real X display" test -n "$found"
    check "the screenshot shows a painted window, not an empty screen" \
        test "$(identify -format '%k' "$SCREENSHOT" 2>/dev/null || echo 0)" -gt 50
    wineserver -k 2>/dev/null || true
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
}
real_window_start

# The windowed program must not depend on a usable standard output: started with stdout redirected to a file it
# must neither fail nor stop at an error box.
stdout_file="$SMOKE_ROOT/stdout-redirect.txt"
rc=0
timeout --kill-after=10 120 wine "$INSTALL_WIN\\SelfCheck.exe" --version </dev/null >"$stdout_file" 2>&1 || rc=$?
timeout 60 wineserver -w || true
cp "$stdout_file" "$LOG_DIR/stdout-redirect.txt" 2>/dev/null || true
check "SelfCheck.exe --version with stdout redirected to a file exits 0 (got $rc)" test "$rc" = 0
check "... and never reports 'Failed to start embedded python interpreter'" \
    bash -c "! grep -q 'Failed to start embedded python' '$stdout_file'"

# --- uninstall keeps the user's data -------------------------------------------------------------
mkdir -p "$DATA_DIR_UNIX" "$(dirname "$KEPT_ELSEWHERE")"
head -c 4096 /dev/urandom > "$KEPT_WORKBOOK"
head -c 4096 /dev/urandom > "$KEPT_ELSEWHERE"
kept_sums="$(sha256sum "$KEPT_WORKBOOK" "$KEPT_ELSEWHERE")"

t0=$(date +%s)
out="$(wine_run 300 "$INSTALL_WIN\\uninstall.exe" /S)" && rc=0 || rc=$?
# The uninstaller copies itself to %TEMP% and returns at once; wait for every Wine process to end.
timeout 180 wineserver -w || true
echo "$out" > "$LOG_DIR/uninstall.log"
log "silent uninstall took $(( $(date +%s) - t0 )) s (exit $rc)"
check "silent uninstall exits 0" test "$rc" = 0
check "THIRD-PARTY-NOTICES.txt removed" test ! -e "$NOTICES"
check "program folder removed" test ! -e "$INSTALL_UNIX"
check "Start-menu shortcut removed" test ! -e "$START_MENU_LNK"
check "desktop shortcut removed" test ! -e "$DESKTOP_LNK"
check "uninstall entry removed" test -z "$(registry_value DisplayName)"
check "workbooks the user kept (in %LOCALAPPDATA%\\SelfCheck and in Documents) unchanged" sha256sum --check --quiet <<<"$kept_sums"

log "Smoke test finished in $(( $(date +%s) - START )) s; logs in build/windows/smoke/"
# Plain summary line, the form CI reads as a test runner's result. Nothing is skipped: a missing feature fails.
echo "smoke: $PASSES passed, $FAILURES failed, 0 skipped"
[ "$FAILURES" = 0 ] || exit 1
