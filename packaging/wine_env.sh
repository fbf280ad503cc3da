# Shared settings and helpers for build_windows.sh and smoke_windows.sh (sourced, not run).
# shellcheck shell=bash

PACKAGING_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$PACKAGING_DIR/.." && pwd)"
CACHE_DIR="${SELFCHECK_BUILD_CACHE:-$REPO_ROOT/.cache/windows-build}"
mkdir -p "$CACHE_DIR"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd)"

# Debian packages the Windows build and smoke test need (Wine 8, NSIS, signature checks, mingw for the
# ICU stand-in DLL). wine32 is not needed: the installer stub is built for amd64.
WINDOWS_BUILD_DEB_PACKAGES=(wine wine64 nsis osslsigncode gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64
    unzip python3-venv ca-certificates fonts-wqy-zenhei xvfb x11-utils imagemagick)
# A Chinese Windows has CJK TrueType fonts (SimSun, SimHei, ...) in C:\Windows\Fonts; Wine has none. This free
# font stands in for them inside the prefix only, so the smoke test can render Chinese reports and windows.
WINE_CJK_FONT=/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

export WINEPREFIX="$CACHE_DIR/wineprefix"
export WINEARCH=win64
export WINEDEBUG=-all
# No Mono/Gecko install prompts, and no Linux menu entries for the shortcuts the installer creates.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
# Wine has no display here; Qt gets "-platform offscreen" on the command line because Wine does not
# pass QT_* variables through to Windows processes. The smoke test's one real-window start sets DISPLAY to its
# own Xvfb for that command only (with "-platform windows", which works under Wine 8).
unset DISPLAY WAYLAND_DISPLAY

log() { printf '\033[1m[%s] %s\033[0m\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '\033[1;31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

ensure_deb_packages() {
    local missing=() p
    for p in "${WINDOWS_BUILD_DEB_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        log "Installing Debian packages: ${missing[*]}"
        bash "$PACKAGING_DIR/apt_install.sh" "${missing[@]}" >/dev/null
    else
        die "missing Debian packages (install them as root): ${missing[*]}"
    fi
}

# Runs a Windows program under Wine with a time limit. Output goes through a pipe because python.exe
# under Wine fails with "init_sys_streams: Invalid handle" when stdout is a file.
wine_run() {
    local limit="$1"; shift
    set +e
    timeout --kill-after=10 "$limit" wine "$@" </dev/null 2>&1 | cat
    local rc="${PIPESTATUS[0]}"
    set -e
    return "$rc"
}

wine_path() { winepath -w "$1" 2>/dev/null | tr -d '\r'; }

# Creates the 64-bit Wine prefix once. Its profile folders (Desktop, Documents, ...) are turned from
# links to $HOME into plain folders so installs and tests stay inside the prefix, and it reports
# Windows 10 (Debian's Wine 8 defaults to Windows 7), the oldest system the app and installer accept,
# has a CJK font standing in for SimSun & co. like a Chinese Windows, registered under the Fonts key as an
# installed font (Qt's windows plugin enumerates only registered fonts through DirectWrite; an unregistered file in
# C:\windows\Fonts leaves every Chinese character blank in a real window), and sets QT_QPA_PLATFORM=offscreen in
# its own environment (Wine drops QT_* variables coming from Linux) so runs without a display stay headless.
PREFIX_LAYOUT=6
ensure_wine_prefix() {
    local stamp="$WINEPREFIX/.selfcheck-prefix-ready"
    [ "$(cat "$stamp" 2>/dev/null)" = "$PREFIX_LAYOUT" ] && return 0
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        log "Creating Wine prefix $WINEPREFIX"
        rm -rf "$WINEPREFIX"
        wineboot -i </dev/null >/dev/null 2>&1 || true
        wineserver -w
        [ -f "$WINEPREFIX/system.reg" ] || die "wineboot did not create a prefix in $WINEPREFIX"
    fi
    local link
    for link in "$WINEPREFIX"/drive_c/users/*/*; do
        if [ -L "$link" ]; then
            rm "$link"
            mkdir -p "$link"
        fi
    done
    wine winecfg -v win10 </dev/null >/dev/null 2>&1 || die "could not set the Wine prefix to Windows 10"
    [ -f "$WINE_CJK_FONT" ] || die "missing $WINE_CJK_FONT (Debian package fonts-wqy-zenhei)"
    cp "$WINE_CJK_FONT" "$WINEPREFIX/drive_c/windows/Fonts/"
    # A UTF-16 .reg file carries the Chinese font names intact (command-line arguments would not).
    python3 - "$WINEPREFIX/drive_c/selfcheck-fonts.reg" <<'PYEOF'
import sys
lines = ["Windows Registry Editor Version 5.00", "",
         r"[HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Fonts]",
         '"WenQuanYi Zen Hei & WenQuanYi Zen Hei Mono & WenQuanYi Zen Hei Sharp (TrueType)"="wqy-zenhei.ttc"', "",
         r"[HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\FontSubstitutes]"]
for name in ("宋体", "SimSun", "新宋体", "NSimSun", "微软雅黑", "Microsoft YaHei", "MS Shell Dlg", "MS Shell Dlg 2"):
    lines.append(f'"{name}"="WenQuanYi Zen Hei"')
open(sys.argv[1], "wb").write(b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
PYEOF
    wine regedit /S 'C:\selfcheck-fonts.reg' </dev/null >/dev/null 2>&1 || die "could not register the CJK font"
    rm -f "$WINEPREFIX/drive_c/selfcheck-fonts.reg"
    wine reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /d offscreen /f </dev/null >/dev/null 2>&1 ||
        die "could not set QT_QPA_PLATFORM in the Wine prefix"
    wineserver -w
    echo "$PREFIX_LAYOUT" > "$stamp"
}

# Installs stand-ins for the Windows 10 DLLs Wine 8 lacks (see wine_standins.py) into the prefix's
# system32, built for the binaries found under the given folder (site-packages or an installed bundle).
ensure_wine_standins() {
    local package_dir="$1" out dll key
    [ -d "$package_dir" ] || die "no Windows binaries at $package_dir"
    # Keyed by the binaries' names and sizes, so site-packages and an installed bundle each build once.
    key="$( (find "$package_dir" -type f \( -iname '*.dll' -o -iname '*.pyd' \) -printf '%P %s\n' | sort;
             cat "$PACKAGING_DIR/wine_standins.py") | sha256sum | cut -c1-16)"
    out="$CACHE_DIR/wine-standins/$key"
    if [ ! -f "$out/.done" ]; then
        rm -rf "$out"
        python3 "$PACKAGING_DIR/wine_standins.py" "$package_dir" "$out" >&2
        touch "$out/.done"
    fi
    for dll in "$out"/*.dll; do
        [ -e "$dll" ] || continue
        cmp -s "$dll" "$WINEPREFIX/drive_c/windows/system32/$(basename "$dll")" ||
            cp "$dll" "$WINEPREFIX/drive_c/windows/system32/"
    done
}

project_version() { python3 "$PACKAGING_DIR/bundle_config.py" version; }
setup_exe_path() { echo "$REPO_ROOT/dist/SelfCheck-$(project_version)-setup.exe"; }
