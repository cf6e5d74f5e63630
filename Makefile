# The two commands that matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The developer's local settings file that kbapp/settings.py reads (the environment wins).
ENV_FILE ?= .env

.PHONY: install run serve test lint format migrations-check demo bench-search bench-browse bench-write bench-load clean

install: $(VENV)/.installed node_modules/.installed

# Re-installs only when a requirements file changed since the last install.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core for the accessibility test; re-installs only when the npm lock file changed.
# Without npm the test skips (and fails under CI=true), so this step never blocks a build.
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility test will skip"; fi

# Written once, never overwritten: after it, every manage.py command works without prefixes.
$(ENV_FILE):
	printf '%s\n' '# Local development settings, read by kbapp/settings.py; set variables win.' \
		'# Written by make run; never copy it to a server.' 'DEBUG=true' > $@

# The task worker (background imports from the admin) runs beside the web server and stops
# with it.
WITH_WORKER = $(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM;

run: install $(ENV_FILE)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(WITH_WORKER) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-like: gunicorn, DEBUG off, hashed and compressed static files. On a loopback
# HOST (a laptop) it needs no setup: local host names, plain http (no HTTPS redirect, HSTS
# or HTTPS-only cookies), and a secret kept in var/serve-secret-key. Anywhere else the environment must provide them
# (docs/deploy.md); set variables always win.
LOOPBACK := $(filter 127.0.0.1 localhost ::1,$(HOST))
ifneq ($(LOOPBACK),)
SERVE_ENV = ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_COOKIES="$${SECURE_COOKIES:-false}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-false}" \
	SECURE_HSTS_SECONDS="$${SECURE_HSTS_SECONDS:-0}" \
	SECRET_KEY="$${SECRET_KEY:-$$(cat var/serve-secret-key)}"
endif
SERVE := $(SERVE_ENV) DEBUG=false

var/serve-secret-key:
	mkdir -p var
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: install $(if $(LOOPBACK),var/serve-secret-key)
	$(SERVE) $(BIN)/python manage.py collectstatic --noinput
	$(SERVE) $(BIN)/python manage.py migrate --noinput
	export $(SERVE); $(WITH_WORKER) $(BIN)/gunicorn kbapp.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3}

# One worker per core (PYTEST_WORKERS=0 runs in this process); the slowest tests are listed.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	KB_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run

demo: install $(ENV_FILE)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

# The search benchmark (docs/performance.md) in a database of its own, never the demo one:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/kb_bench make bench-search
BENCH_THREADS ?= 100000
BENCH_SEED ?= 1
bench-search: install $(ENV_FILE)
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to a database for the benchmark (it adds $(BENCH_THREADS) threads), e.g. postgres://postgres@127.0.0.1:5432/kb_bench or sqlite:///var/bench.sqlite3"; exit 1; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py generate_corpus --threads $(BENCH_THREADS) --seed $(BENCH_SEED)
	$(BIN)/python manage.py rebuild_search_index
	$(BIN)/python manage.py bench_search

# Cold pages per page type (docs/performance.md): p50/p95 of each public page rendered with the
# page and search caches off, on the corpus bench-search generated:
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/kb_bench make bench-browse
bench-browse: install $(ENV_FILE)
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to the benchmark database that make bench-search filled"; exit 1; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bench_browse

# What writing costs with the index kept (docs/performance.md): an import of 1,000 generated
# JSON Lines threads and a reply edited through the admin, in a database of its own:
#   createdb -h 127.0.0.1 -U postgres kb_write
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/kb_write make bench-write
bench-write: install $(ENV_FILE)
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL to a database for the benchmark (it imports 1,000 threads), e.g. postgres://postgres@127.0.0.1:5432/kb_write or sqlite:///var/write.sqlite3"; exit 1; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py bench_write

# Pages under load (docs/performance.md): gunicorn, DEBUG off, driven by wrk (apt-get install
# wrk), cold and with the page cache warm; first on the demo data, then on the corpus that
# bench-search generated, if it is there; then the mix of public URLs, quiet and while an editor
# edits a reply each second. About 3 minutes for the demo, 5 for the corpus.
# Create the demo database first:
#   createdb -h 127.0.0.1 -U postgres kb_bench_demo
BENCH_DEMO_URL ?= postgres://postgres@127.0.0.1:5432/kb_bench_demo
BENCH_CORPUS_URL ?= postgres://postgres@127.0.0.1:5432/kb_bench
BENCH_LOAD_SECONDS ?= 5
BENCH_LOAD_PORT ?= 8100
# The mix of about 60 public URLs, quiet and while one reply is edited a second in the admin.
BENCH_MIX_SECONDS ?= 20
BENCH_LOAD = $(BIN)/python manage.py bench_load --port $(BENCH_LOAD_PORT) --seconds $(BENCH_LOAD_SECONDS) \
	--mix-seconds $(BENCH_MIX_SECONDS) --write docs/performance.md
bench-load: install
	@command -v wrk >/dev/null || { echo "make bench-load needs wrk: apt-get install wrk"; exit 1; }
	DATABASE_URL=$(BENCH_DEMO_URL) DEBUG=true $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DEMO_URL) DEBUG=true $(BIN)/python manage.py load_demo
	DATABASE_URL=$(BENCH_DEMO_URL) DEBUG=true $(BENCH_LOAD) --label demo
	DATABASE_URL=$(BENCH_CORPUS_URL) DEBUG=true $(BENCH_LOAD) --label corpus --min-threads 10000 --cold-seconds 15 \
		|| echo "corpus table skipped: run make bench-search with DATABASE_URL=$(BENCH_CORPUS_URL) first"

clean:
	rm -rf $(VENV) staticfiles staticfiles-manifest .pytest_cache .ruff_cache
