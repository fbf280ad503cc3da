# Windows installer targets, included by the top-level Makefile.
#   make installer        build dist/SelfCheck-<version>-setup.exe (Wine, PyInstaller, makensis)
#   make installer-smoke  build it, then install/run/uninstall it under Wine
# Downloads and the Wine prefix are cached in .cache/windows-build (override: SELFCHECK_BUILD_CACHE).
# INSTALLER_ARGS is passed to the build script (e.g. INSTALLER_ARGS=--force).

.PHONY: installer installer-smoke installer-test

installer:
	bash packaging/build_windows.sh $(INSTALLER_ARGS)

installer-smoke: installer
	bash packaging/smoke_windows.sh

# The fast checks of the packaging files (no Wine needed); part of `make test` as well.
installer-test: system-deps $(STAMP)
	$(PY) -m pytest tests/packaging -q
