# Everyday commands. `make run` serves the product with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lims
TEST_BROKER_URL ?= redis://127.0.0.1:6379/14
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test compose-test venv assets system-deps migrate demo services bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# JavaScript from npm (pinned in package-lock.json), served with the static files, never from a CDN.
VENDOR := lims/static/vendor
VENDOR_FILES := node_modules/uplot/dist/uPlot.iife.min.js node_modules/uplot/dist/uPlot.min.css

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; } || { echo "Please install npm"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

$(VENDOR)/.copied: node_modules/.installed
	mkdir -p $(VENDOR)
	cp $(VENDOR_FILES) $(VENDOR)/
	touch $@

assets: $(VENDOR)/.copied

# Debian packages the tests need: a browser, a virtual screen, xdotool and ImageMagick for screenshots
# (installed when missing and root).
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v Xvfb >/dev/null || missing="$$missing xvfb"; \
	command -v xdotool >/dev/null || missing="$$missing xdotool"; \
	command -v import >/dev/null || missing="$$missing imagemagick"; \
	command -v curl >/dev/null || missing="$$missing curl"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Please install:$$missing"; exit 1; fi; \
	fi

migrate: venv assets
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo

# Links printed and embedded (demo output, the logger's record link) follow PORT unless SITE_URL is set.
run demo: export SITE_URL ?= http://$(HOST):$(PORT)

run: demo
	@echo "Serving $(SITE_URL)/  (log in as admin / admin)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Starts PostgreSQL and Redis on this machine when they are down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

test: venv system-deps assets
	DATABASE_URL=$(TEST_DATABASE_URL) LIMS_TEST_BROKER_URL=$(TEST_BROKER_URL) $(PY) -m pytest $(PYTEST_ARGS)

# The Docker Compose stack built, booted and fed by a logger on this host (root; tests/test_compose_stack.py).
# docker/ci/ starts a Docker engine and builds stand-ins for the base images when no registry is reachable.
compose-test: venv
	bash docker/ci/engine.sh
	bash docker/ci/stand-ins.sh
	LIMS_TEST_COMPOSE=1 $(PY) -m pytest tests/test_compose_stack.py $(PYTEST_ARGS)

bench: venv
	$(PY) -m benchmarks

clean:
	rm -rf var artifacts $(VENDOR) node_modules
