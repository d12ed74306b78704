# The two entry points of the README: `make run` and `make test`. Both start from a clean clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# The browser tests drive the system's Chromium, never a browser that Playwright downloads.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

.PHONY: install chromium run serve test test-postgres test-browser test-corpus migrate demo bench clean

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(INSTALLED)

# The interface translations, compiled whenever their .po changes (polib: no GNU gettext needed).
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))
%.mo: %.po $(INSTALLED)
	$(BIN)/python manage.py compile_translations --verbosity 0

install: $(INSTALLED) $(MO)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Both servers run the background worker (run_worker: the entities and index updates of
# `ingest --background`, and pastes the index was too busy for) beside them: started first,
# stopped when the server stops, however it stops (Ctrl-C, SIGTERM or a crash).
WITH_WORKER = $(BIN)/python manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM;

# The local development server: the one place DEBUG is on.
run: demo
	$(WITH_WORKER) DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

# The production server: gunicorn (archive/gunicorn_conf.py, workers from the core count) with
# DEBUG off over the same data directory; WhiteNoise serves the static files collected into
# DATA_DIR/static. HTTPS and the reverse proxy are set in the environment (README).
serve: export DJANGO_DEBUG := 0
serve: migrate
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(WITH_WORKER) $(BIN)/gunicorn --config archive/gunicorn_conf.py --bind $(HOST)

# Chromium for the browser tests: installed with apt-get when it is missing and we are root,
# else a clear stop (the tests fail, never skip, without it).
chromium:
	@test -x "$(CHROMIUM)" || { test "$$(id -u)" = 0 && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } || true
	@test -x "$(CHROMIUM)" || { echo "The browser tests need Chromium at $(CHROMIUM): run 'apt-get install chromium' as root," \
	  "or set CHROMIUM=/path/to/chromium." >&2; exit 1; }

# Everything that needs no data beyond the checkout, the browser tests included.
test: install chromium
	$(BIN)/python -m pytest -m "not corpus"

# The same suite on PostgreSQL: a throwaway server (Debian's, installed with apt-get when
# missing) in a temporary folder on 127.0.0.1, stopped afterwards (.ci/postgres.sh).
test-postgres: install chromium
	.ci/postgres.sh run $(BIN)/python -m pytest -m "not corpus"

# The browser tests alone (screenshots in $$BROWSER_ARTIFACTS, default var/browser-artifacts/).
test-browser: install chromium
	$(BIN)/python -m pytest -m browser

# The checks on the real corpora in ../shared; they fail, not skip, without it.
test-corpus: install
	@test -f ../shared/README.md || { echo "test-corpus needs ../shared beside the checkout" >&2; exit 1; }
	$(BIN)/python -m pytest -m corpus

bench: install
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_search.py

clean:
	rm -rf $(VENV) var
