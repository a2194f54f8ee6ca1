# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint system bench evaluate

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first, pinned: sentence-transformers would otherwise pull a multi-GB CUDA build
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)  ## start the chat app (ingests samples/ on first start)
	$(PY) -m ui.serve --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

system:  ## Debian's headless Chromium, its driver and a CJK font (end-to-end test); PostgreSQL (DATABASE_URL test)
	command -v chromium >/dev/null && command -v chromedriver >/dev/null && ls /usr/lib/postgresql/*/bin/initdb \
		/usr/share/fonts/truetype/wqy/wqy-microhei.ttc >/dev/null 2>&1 || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		chromium chromium-driver fonts-wqy-microhei postgresql >/dev/null)

lint: $(STAMP)
	$(PY) -m ruff check .

test: $(STAMP) system lint  ## lint and the whole test suite
	$(PY) -m pytest

evaluate: $(STAMP)  ## accuracy per question kind on tests/questions.jsonl
	$(PY) -m qa.evaluate

bench: $(STAMP)  ## latency at 1, 100 and 1,000 reports (slow)
	$(PY) bench/latency.py
