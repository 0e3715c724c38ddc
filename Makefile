# The two commands: `make demo` serves the map with demo data, `make test` runs every test.
.PHONY: demo test lint bench clean-db

VENV := .venv/bin

demo:
	./scripts/bootstrap.sh demo
	$(VENV)/naeringskart demo

test:
	./scripts/bootstrap.sh test
	$(VENV)/python -m pytest

lint:
	$(VENV)/ruff check .
	$(VENV)/mypy

bench:
	./scripts/bootstrap.sh test
	$(VENV)/pip install -q -e '.[dev,bench]'
	@for script in bench/*.py; do echo "== $$script"; $(VENV)/python $$script || exit 1; done

# Stops the local cluster and deletes its data (var/pg).
clean-db:
	-$(VENV)/naeringskart db down
	rm -rf var/pg
