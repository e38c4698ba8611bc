# Caisse — `make run` starts the demo on SQLite; `make test` runs every suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export FLASK_APP := server

.PHONY: run test install pwa db lint test-python test-postgres test-js test-e2e bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund --loglevel=error
	touch $@

pwa: pwa/node_modules/.installed
	cd pwa && npm run build

db: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo

run: install pwa db
	@echo ""
	@echo "  Caisse est prêt : http://127.0.0.1:$(PORT)"
	@echo "  Connexions de démonstration (mot de passe demo1234) :"
	@echo "    cabinet@demo.test  administrateur du cabinet (toutes les sociétés)"
	@echo "    gerant@demo.test   administrateur de la Boulangerie du Marché"
	@echo "    caisse@demo.test   caissière de la Boulangerie du Marché"
	@echo "    cafe@demo.test     administrateur du Café des Arts"
	@echo ""
	$(BIN)/gunicorn --workers 2 --bind 127.0.0.1:$(PORT) --access-logfile - server.wsgi:app

lint: install
	$(BIN)/ruff check server sync domain tests bench
	$(BIN)/mypy --strict sync domain
	$(BIN)/mypy server

test-js: pwa
	cd pwa && npm test

test-python: install pwa
	bash scripts/ensure-chromium.sh
	$(BIN)/pytest --db=sqlite

test-postgres: install
	$(BIN)/pytest --db=postgres -m "not e2e"

test: lint test-js test-python test-postgres

bench: install
	$(BIN)/python bench/sync_push.py

clean:
	rm -rf $(VENV) pwa/node_modules pwa/dist .pytest_cache .hypothesis
