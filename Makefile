# rayscore: `make demo` and `make test` are the two quickstart commands.
# Each installs what it needs into .venv first (idempotent: a stamp file skips reinstalls).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= runs/demo
# apt-get needs root; use sudo when it is there and we are not root.
SUDO   := $(shell [ "$$(id -u)" != 0 ] && command -v sudo)
DRUMKITS := /usr/share/hydrogen/data/drumkits

.PHONY: setup demo test bench drumkits clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Real labelled drum one-shots (Debian's Hydrogen kits). Best effort: the demo falls
# back to generated drums, and says so, when the packages cannot be installed.
drumkits:
	@if [ -d "$(DRUMKITS)" ]; then echo "Hydrogen drumkits present in $(DRUMKITS)"; \
	else echo "Installing hydrogen-data hydrogen-drumkits (Debian) ..."; \
	  ( $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	      --no-install-recommends hydrogen-data hydrogen-drumkits >/dev/null ) \
	  || echo "WARNING: could not install the Hydrogen drumkits; the demo will use generated drums."; fi

demo: setup drumkits
	$(VENV)/bin/rayscore demo drum_roles --output $(OUT)

test: setup
	$(PY) -m pytest tests

bench: setup
	$(PY) benchmarks/bench_scoring.py
	$(PY) benchmarks/bench_tune.py
	$(PY) benchmarks/bench_serve.py
	$(PY) benchmarks/bench_anomaly_engines.py

clean:
	rm -rf runs .pytest_cache
