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

.PHONY: setup demo test bench drumkits debs-demo debs-test debs-bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

# Debian packages, installed best effort (apt-get needs root or sudo and a reachable mirror):
# the Hydrogen kits are real labelled drum one-shots (W2 demo), espeak-ng speaks the Korean of
# generated emergency calls (W1) and fonts-nanum draws Hangul in report plots. Without them
# the demo falls back to generated drums, calls get a plain harmonic voice, and says so.
# tesseract-ocr + tesseract-ocr-kor read document images (W3's offline model); without them
# doc_type says so and runs on image descriptors only (ocr.enabled=false).
OCR_DEBS := tesseract-ocr tesseract-ocr-kor tesseract-ocr-osd
DEMO_DEBS := hydrogen-data hydrogen-drumkits espeak-ng fonts-nanum lmms-common $(OCR_DEBS)
TEST_DEBS := espeak-ng fonts-nanum $(OCR_DEBS)
# Benchmarks judge on data the workloads never train on: other drum libraries (LMMS, Sonic Pi,
# STK) for W2, real machine recordings (OpenTTD's OpenSFX) for W4's generated packages; the W3
# independent generator draws with Noto CJK as well as Nanum (fonts-noto-cjk).
BENCH_DEBS := $(DEMO_DEBS) fonts-noto-cjk sonic-pi-samples stk openttd-opensfx

define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "Debian packages present: $(1)"; \
	else echo "Installing$$missing (Debian) ..."; \
	  ( $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	      --no-install-recommends $$missing >/dev/null ) \
	  || echo "WARNING: could not install$$missing; continuing without them."; fi
endef

debs-demo:
	$(call apt_install,$(DEMO_DEBS))

debs-test:
	$(call apt_install,$(TEST_DEBS))

debs-bench:
	$(call apt_install,$(BENCH_DEBS))

drumkits: debs-demo

demo: setup debs-demo
	$(VENV)/bin/rayscore demo drum_roles --output $(OUT)

test: setup debs-test
	$(PY) -m pytest tests

bench: setup debs-bench
	$(PY) benchmarks/bench_scoring.py
	$(PY) benchmarks/bench_tune.py
	$(PY) benchmarks/bench_serve.py
	$(PY) benchmarks/bench_drum_roles.py
	$(PY) benchmarks/bench_urgency.py
	$(PY) benchmarks/bench_anomaly_engines.py
	$(PY) benchmarks/bench_doc_type.py --per-class 20 --seeds 1 2
	$(PY) benchmarks/bench_doc_type.py --corpus independent --per-class 40
	$(PY) benchmarks/bench_doc_type_throughput.py --kind offline --n 40 --repeats 1 --no-serve
	$(PY) benchmarks/bench_doc_type_throughput.py --kind neural
	$(PY) benchmarks/bench_relation.py --corpus ours --seeds 1 2
	$(PY) benchmarks/bench_relation.py --corpus independent --seeds 12 13
	$(PY) benchmarks/bench_relation_serve.py

clean:
	rm -rf runs .pytest_cache
