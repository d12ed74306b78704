# The two entry points of the README: `make run` and `make test`. Both start from a clean clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run test migrate demo bench clean

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_search.py

clean:
	rm -rf $(VENV) var
