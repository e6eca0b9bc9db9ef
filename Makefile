# zhiyuan — the stable entry points (see ../shared/DESIGN.md §5).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run serve test test-fast lint bench e2e messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/zhiyuan migrate --noinput
	$(BIN)/zhiyuan collectstatic --noinput -v 0
	$(BIN)/zhiyuan load_demo
	$(BIN)/zhiyuan ensure_admin
	PORT=$(PORT) bash scripts/serve.sh

# The production profile (docs/deploy.md): gunicorn + task worker + scheduler, no demo data; refuses to
# start without SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS or with any `check --deploy` warning.
serve: install
	PORT=$(PORT) bash scripts/serve-production.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/zhiyuan makemigrations --check --dry-run

# The whole suite: lint, SQLite, PostgreSQL when TEST_DATABASE_URL is set (unreachable is a failure there),
# and the browser tests (skipped locally without Chromium, required when CI is set).
test: lint
	env -u DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$TEST_DATABASE_URL"; \
		DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -q -p no:cacheprovider -m "not e2e"; \
	else echo "== TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

# The fast local loop: no browser.
test-fast: install
	env -u DATABASE_URL $(BIN)/pytest -q -m "not e2e"

e2e: install
	env -u DATABASE_URL $(BIN)/pytest -q -m e2e

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/checkin.py
	$(BIN)/python bench/compliance.py
	$(BIN)/python -m bench.http_bench

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache

# Refresh the English catalogue after adding strings (needs GNU gettext), then translate the new entries.
messages: install
	cd src/zhiyuan && ../../$(BIN)/zhiyuan makemessages -l en --ignore "migrations/*" --no-obsolete
	msgfmt --check -o src/zhiyuan/locale/en/LC_MESSAGES/django.mo src/zhiyuan/locale/en/LC_MESSAGES/django.po
