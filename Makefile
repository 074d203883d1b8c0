# netsteward: `make demo` and `make test` work on a fresh clone with only Python 3.11+ and git.
# Both create (or reuse) .venv and install what they need first.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# the lab's documented credentials (DESIGN.md); real devices take theirs from the environment
export NETSTEWARD_USERNAME ?= netsteward
export NETSTEWARD_PASSWORD ?= Lab-Only-Pa55
LAB_DIR ?= .lab
PYTEST_ARGS ?=
# language of every report and message: `make demo LANG_UI=zh` (or NETSTEWARD_LANG=zh make demo)
LANG_UI ?=
ifneq ($(LANG_UI),)
export NETSTEWARD_LANG := $(LANG_UI)
endif
DEMO_LEDGER_LANG = $(if $(filter zh%,$(NETSTEWARD_LANG)),zh,en)
# parallel test workers (pytest-xdist), each with its own lab; the tests mostly wait on
# SSH and netmiko's timing, so more workers than the 2 cores pay off (README, "make test")
PYTEST_WORKERS ?= 4

.DEFAULT_GOAL := help
PEERS  := .venv-peers
# root runs apt-get itself; anyone else needs password-less sudo for the one install
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo "sudo -n")

.PHONY: help venv install peers test lint bench demo demo-celery lab-start lab-stop catalogs fonts wheel redis

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "netsteward needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(PY) ## create .venv (Python 3.11+)

$(STAMP): $(PY) pyproject.toml setup.py
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) fonts ## install netsteward and the test tools into .venv (and the CJK font)

peers: ## the backup tools the lab is tested with: RANCID (Debian package) and Ansible 11 (PyPI, in .venv-peers)
	@[ -x /usr/lib/rancid/bin/rancid-run ] || { \
	  echo "installing rancid (apt-get)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq rancid >/dev/null; }
	@[ -x $(PEERS)/bin/ansible-playbook ] || { \
	  echo "installing ansible into $(PEERS) (pip)"; \
	  $(PYTHON) -m venv $(PEERS) && \
	  $(PEERS)/bin/pip install --quiet 'ansible>=11,<12' 'paramiko>=3.4'; }

# The topology report's PNG pages draw Chinese labels with a font that has CJK glyphs:
# Debian's fonts-wqy-microhei (WenQuanYi Micro Hei, 1.6 MB), the first family the SVGs
# name when a page has Chinese text (tasks/topology/export/svg.py). Installed with apt-get
# when fontconfig does not know it (as root, or through sudo); the PNG glyph test fails without it.
CJK_FONT_FAMILY := WenQuanYi Micro Hei
CJK_FONT_PACKAGE := fonts-wqy-microhei
fonts: ## install the CJK font of the PNG diagrams (Debian fonts-wqy-microhei) when it is missing
	@if fc-list "$(CJK_FONT_FAMILY)" family 2>/dev/null | grep -q .; then :; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "netsteward: no apt-get: install a package with the font '$(CJK_FONT_FAMILY)' for Chinese PNG diagrams" >&2; \
	else \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "installing $(CJK_FONT_PACKAGE) (CJK glyphs for the PNG diagrams)"; \
	  $$SUDO apt-get update -qq >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(CJK_FONT_PACKAGE) fontconfig >/dev/null && \
	  fc-list "$(CJK_FONT_FAMILY)" family | grep -q . ; \
	fi

# `--engine celery` and `netsteward worker` use Redis as broker and result backend; the tests
# start their own redis-server on a free loopback port (tests/e2e/celery_parts.py), never a
# system service. Debian's redis-server package, installed with apt-get when it is missing.
redis: ## install redis-server (Debian package) for the Celery engine's tests and demo when missing
	@command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || { \
	  echo "installing redis-server (apt-get)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends redis-server >/dev/null; }

test: $(STAMP) fonts peers redis ## run the whole test suite on PYTEST_WORKERS workers (each starts and stops its own lab on free ports)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint: $(STAMP) ## ruff (lint + format check) and mypy
	$(VENV)/bin/ruff check tasks playbooks lab tests bench
	$(VENV)/bin/ruff format --check tasks playbooks lab tests bench
	@# mypy sees the three folders under their installed name (netsteward.tasks, ...)
	@rm -rf build/typecheck && mkdir -p build/typecheck/netsteward && \
	  for d in tasks playbooks lab; do ln -s ../../../$$d build/typecheck/netsteward/$$d; done
	MYPYPATH=build/typecheck $(VENV)/bin/mypy -p netsteward

catalogs: $(STAMP) ## re-extract the messages (tasks/locale/netsteward.pot) and merge them into each .po
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k pgettext:1c,2 --no-location --sort-output \
	  --project netsteward --copyright-holder netsteward -o tasks/locale/netsteward.pot tasks playbooks
	$(VENV)/bin/pybabel update -i tasks/locale/netsteward.pot -d tasks/locale -D netsteward \
	  --no-wrap --ignore-obsolete --no-fuzzy-matching --update-header-comment
	@echo "translate the new entries (msgstr \"\") in tasks/locale/*/LC_MESSAGES/netsteward.po; .venv/bin/pytest tests/unit/core/test_i18n_catalog.py checks"

wheel: $(PY) ## build dist/netsteward-VERSION-py3-none-any.whl (what pipelines/ install)
	$(PY) -m pip wheel --quiet --no-deps -w dist .

bench: $(STAMP) ## backup benchmark: 739 devices against a lab it starts itself (others: bench/*.py)
	$(PY) bench/backup_bench.py

DEMO_REDIS_PORT ?= 16379
CELERY_QUEUES := base egov_intranet egov_extranet device_net san
demo-celery: $(STAMP) redis ## the monthly backup on Celery workers: the lab, a redis-server on loopback, one `netsteward worker` per network, `backup --engine celery` into configs/, all stopped after
	@set -e; mkdir -p $(LAB_DIR)/redis; \
	export NETSTEWARD_BROKER_URL=redis://127.0.0.1:$(DEMO_REDIS_PORT)/0; pids=; \
	trap 'kill $$pids 2>/dev/null || true; wait $$pids 2>/dev/null || true; $(PY) -m netsteward.lab stop --state-dir $(LAB_DIR) >/dev/null 2>&1 || true' EXIT; \
	redis-server --port $(DEMO_REDIS_PORT) --bind 127.0.0.1 --dir $(LAB_DIR)/redis --save '' --appendonly no >$(LAB_DIR)/redis/redis.log 2>&1 & pids="$$pids $$!"; \
	$(PY) -m netsteward.lab start --state-dir $(LAB_DIR); \
	for q in $(CELERY_QUEUES); do \
	  echo "== netsteward worker --queue $$q (log: $(LAB_DIR)/worker-$$q.log)"; \
	  $(PY) -m netsteward.playbooks.cli worker --queue $$q --loglevel WARNING >$(LAB_DIR)/worker-$$q.log 2>&1 & pids="$$pids $$!"; \
	done; \
	echo "== netsteward backup --engine celery (waits for the workers to come up)"; \
	rc=0; $(PY) -m netsteward.playbooks.cli backup --engine celery || rc=$$?; \
	git -C configs log -1 --format='%h %ad %s' --date=short; \
	exit $$rc

lab-start: $(STAMP) ## start the lab (739 devices on 127.0.0.1:10001-10739)
	$(PY) -m netsteward.lab start --state-dir $(LAB_DIR)

lab-stop: ## stop the lab
	@[ -x $(PY) ] && $(PY) -m netsteward.lab stop --state-dir $(LAB_DIR) || true

demo: $(STAMP) fonts ## start the lab, back up all 739 devices into configs/, show the commit, snapshot the topology, plan ports, audit firewalls and the hardening baseline, inspect every device, stop the lab (LANG_UI=zh: in Chinese)
	@set -e; mkdir -p out; \
	trap '$(PY) -m netsteward.lab stop --state-dir $(LAB_DIR) >/dev/null 2>&1 || true' EXIT; \
	echo "== netsteward inventory import: the fleet's asset ledger ($(DEMO_LEDGER_LANG)) into out/hosts-from-ledger.yaml"; \
	$(PY) -m netsteward.lab ledger --lang $(DEMO_LEDGER_LANG) --encoding $(if $(filter zh,$(DEMO_LEDGER_LANG)),gbk,utf-8-sig) --out out/ledger-$(DEMO_LEDGER_LANG).csv >/dev/null; \
	$(PY) -m netsteward.playbooks.cli inventory import out/ledger-$(DEMO_LEDGER_LANG).csv --out out/hosts-from-ledger.yaml; \
	$(PY) -m netsteward.lab start --state-dir $(LAB_DIR); \
	echo "== netsteward backup --tag-month"; \
	rc=0; $(PY) -m netsteward.playbooks.cli backup --tag-month || rc=$$?; \
	echo "== the commit in configs/"; \
	git -C configs log -1 --format='%h %ad %s' --date=short --shortstat; \
	git -C configs tag --points-at HEAD; \
	echo "== netsteward topology snapshot"; \
	$(PY) -m netsteward.playbooks.cli topology snapshot || true; \
	echo "== netsteward normalize plan --offline (exit 1: changes planned)"; \
	$(PY) -m netsteward.playbooks.cli normalize plan --offline --markdown out/normalize-plan.md || true; \
	echo "== netsteward audit firewall (exit 1: high findings)"; \
	$(PY) -m netsteward.playbooks.cli audit firewall --markdown out/audit.md --html out/audit.html | tail -n 1 || true; \
	echo "== netsteward audit baseline (exit 1: high findings)"; \
	$(PY) -m netsteward.playbooks.cli audit baseline --group-by control --markdown out/baseline.md --html out/baseline.html --plan out/baseline-plan.json | grep -E '^(baseline|plan written)' || true; \
	echo "== netsteward inspect (exit 1: the lab's planted anomalies)"; \
	$(PY) -m netsteward.playbooks.cli inspect --out out | sed -n '1p;$$p' || true; \
	echo "reports for review: out/normalize-plan.md, out/audit.md, out/audit.html, out/baseline.md, out/baseline.html, out/inspection-*.xlsx"; \
	exit $$rc
