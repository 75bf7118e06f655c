# Projectize: `make run` serves the embedded system, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000

.PHONY: run test setup lint check system-deps clean production smoke bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Front-end packages come from npm and are served from our own static files: no CDN.
setup: $(VENV)/.installed node_modules/.installed
	$(BIN)/python scripts/vendor_static.py
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# Development turns debug mode on explicitly: it is off unless turned on (tests: tests/settings.py).
run lint: export DEBUG ?= true

# The background worker (documents, large exports, e-mail) runs beside the web server and stops with it.
run: setup
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_demo --if-empty
	$(MANAGE) run_jobs & worker=$$!; trap 'kill $$worker' EXIT INT TERM; $(MANAGE) runserver $(HOST)

# The production path end to end on loopback (PostgreSQL and Redis must be running): see the script.
smoke: $(VENV)/.installed node_modules/.installed system-deps
	$(BIN)/python scripts/vendor_static.py
	$(BIN)/python scripts/smoke_production.py

# A production install: only the packages the system runs on (no test or lint tools, no npm devDependencies).
production:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	npm ci --omit=dev --no-audit --no-fund --silent
	$(BIN)/python scripts/vendor_static.py
	$(MANAGE) collectstatic --no-input -v 0
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0

# System packages for browser and PDF tests (installed when run as root on Debian/Ubuntu).
system-deps:
	@$(BIN)/python scripts/system_deps.py

# The key pages under load beside a trivial view (bench/run.py): SCALE=town (10,000 projects), district or
# city, in BENCH_ROUNDS rounds over the pages, each between two loads of /healthz (a page's median round is
# reported); the data set is generated once into its own database (FRESH=1 generates it again) and migrated on
# each run, its dashboard figures counted again (NO_RECOUNT=1 keeps them as last counted). The worker
# builds each large export for at most EXPORT_SECONDS (0: time the requests only).
# LABEL names the result file apart (bench/results/<scale>-<date>-<label>.md); PAGE_CACHE_SECONDS=0 in the
# environment measures every page rendered at each request. The server uses Redis as a city's does: the
# database BENCH_REDIS, emptied first (BENCH_REDIS= measures the embedded default without Redis).
SCALE ?= town
BENCH_SECONDS ?= 10
BENCH_ROUNDS ?= 3
EXPORT_SECONDS ?= 120
BENCH_REDIS ?= redis://127.0.0.1:6379/13
bench: setup system-deps
	$(BIN)/python bench/run.py --scale $(SCALE) --duration $(BENCH_SECONDS) --rounds $(BENCH_ROUNDS) --export-seconds $(EXPORT_SECONDS) \
		--redis "$(BENCH_REDIS)" \
		$(if $(FRESH),--fresh) $(if $(NO_RECOUNT),--no-recount) $(if $(NOTE),--note "$(NOTE)") $(if $(LABEL),--label "$(LABEL)")

test: setup system-deps
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run -v 1

clean:
	rm -rf $(VENV) node_modules projectize/static/vendor staticfiles
