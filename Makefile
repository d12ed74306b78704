# The two entry points of the README: `make run` and `make test`. Both start from a clean clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run test test-corpus migrate demo bench clean

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

# The local development server: the one place DEBUG is on.
run: demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

# Everything that needs no data beyond the checkout.
test: install
	$(BIN)/python -m pytest -m "not corpus"

# The checks on the real corpora in ../shared; they fail, not skip, without it.
test-corpus: install
	@test -f ../shared/README.md || { echo "test-corpus needs ../shared beside the checkout" >&2; exit 1; }
	$(BIN)/python -m pytest -m corpus

bench: install
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_search.py

clean:
	rm -rf $(VENV) var
