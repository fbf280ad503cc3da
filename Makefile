# SelfCheck developer commands. `make run` and `make test` set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.selfcheck-installed

# Debian packages: CJK fonts (window and PDF), poppler (PDF checks in tests), NSS tools (pdfsig trust),
# and the X libraries Qt's xcb plugin needs on a real screen.
DEB_PACKAGES := fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai poppler-utils libnss3-tools imagemagick libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 \
	libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3

.PHONY: run test test-fast system-deps venv bench screenshots screenshots-district clean

run: system-deps $(STAMP)
	$(VENV)/bin/selfcheck $(ARGS)

# In CI (CI=true) the Windows installer is also built and smoke-tested under Wine (see README, "CI").
test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)
	@if [ "$${CI:-}" = true ]; then $(MAKE) --no-print-directory installer-smoke; fi

# The local loop: everything except tests marked `slow` (real subprocesses, signed exports, large images, fuzzing,
# memory-bound children). CI runs `make test`, which keeps them.
test-fast: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages: $$missing"; \
		bash packaging/apt_install.sh $$missing; \
	else \
		echo "Note: missing Debian packages (run as root or install them): $$missing"; \
	fi

bench: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py

screenshots: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m selfcheck.gui.screenshots build/screenshots

screenshots-district: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m selfcheck.gui.district.screenshots build/screenshots

clean:
	rm -rf build dist .pytest_cache
-include packaging/installer.mk
