"""Project-wide promises: lint and types clean, imports one way, no web framework in the core,
no SQL in the web app, small modules that import, compose file valid."""

from __future__ import annotations

import ast
import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gis.config import PROJECT_ROOT

# Which of our packages each package may import: gis <- layers <- etl, webmap.
ALLOWED_IMPORTS = {
    "gis": {"gis"},
    "layers": {"gis", "layers"},
    "etl": {"gis", "layers", "etl"},
    "webmap": {"gis", "layers", "etl", "webmap"},
}


def _our_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & set(ALLOWED_IMPORTS)


@pytest.mark.parametrize("package", sorted(ALLOWED_IMPORTS))
def test_imports_run_one_way(package: str) -> None:
    offenders = {}
    for path in (PROJECT_ROOT / package).rglob("*.py"):
        wrong = _our_imports(path) - ALLOWED_IMPORTS[package]
        if wrong:
            offenders[str(path.relative_to(PROJECT_ROOT))] = sorted(wrong)
    assert offenders == {}


@pytest.mark.parametrize("package", ["etl", "gis", "layers"])
def test_only_the_web_app_imports_flask(package: str) -> None:
    """The spatial core, the layer registry and the loaders run without a web framework."""
    for path in (PROJECT_ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("flask", "flask_babel", "flask_login", "werkzeug")
                           for n in names), path


def test_ruff_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


COMPOSE_DB_PASSWORDS = {"NAERINGSKART_DB_SUPERUSER_PASSWORD": "su-pw-123",
                        "NAERINGSKART_DB_OWNER_PASSWORD": "owner-pw-456",
                        "NAERINGSKART_DB_APP_PASSWORD": "app-pw-789"}


def _compose_config(secret_key: str | None,
                    db_passwords: dict[str, str] = COMPOSE_DB_PASSWORDS,
                    ) -> subprocess.CompletedProcess[str]:
    compose = shutil.which("docker-compose")
    assert compose, "Debian's docker-compose is not installed (make test installs it)"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("NAERINGSKART_")}
    if secret_key is not None:
        env["NAERINGSKART_SECRET_KEY"] = secret_key
    env.update(db_passwords)
    return subprocess.run([compose, "-f", "docker-compose.yml", "config"], cwd=PROJECT_ROOT,
                          env=env, capture_output=True, text=True, check=False)


def test_compose_file_is_valid() -> None:
    result = _compose_config("k" * 48)
    assert result.returncode == 0, result.stderr


def test_compose_runs_the_app_in_production_with_the_secret_from_the_environment() -> None:
    secret = "compose-test-" + "x" * 40
    config = yaml.safe_load(_compose_config(secret).stdout)
    for service in ("web", "load"):
        environment = config["services"][service]["environment"]
        assert environment["NAERINGSKART_ENV"] == "production"
        assert environment["NAERINGSKART_SECRET_KEY"] == secret


def test_compose_serves_the_app_as_a_role_that_cannot_change_the_schema() -> None:
    from sqlalchemy.engine import make_url

    config = yaml.safe_load(_compose_config("k" * 48).stdout)
    web = config["services"]["web"]["environment"]
    app_url = make_url(web["NAERINGSKART_DATABASE_URL"])
    assert (app_url.username, app_url.password) == ("naeringskart_app", "app-pw-789")
    assert not any("SUPERUSER" in key or "OWNER" in key for key in web)
    load = config["services"]["load"]["environment"]
    assert make_url(load["NAERINGSKART_OWNER_DATABASE_URL"]).username == "naeringskart_owner"
    assert make_url(load["NAERINGSKART_SUPERUSER_DATABASE_URL"]).password == "su-pw-123"
    assert config["services"]["db"]["environment"]["POSTGRES_PASSWORD"] == "su-pw-123"


def test_compose_refuses_to_start_without_database_passwords() -> None:
    result = _compose_config("k" * 48, db_passwords={})
    assert result.returncode != 0
    assert "NAERINGSKART_DB_" in result.stderr


def test_compose_refuses_to_start_without_a_secret_key() -> None:
    result = _compose_config(None)
    assert result.returncode != 0
    assert "NAERINGSKART_SECRET_KEY" in result.stderr


def test_readme_shows_the_two_commands() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text()


# An SQL statement, as our queries write them (upper-case keywords; "Select a site" is a label).
SQL_STATEMENT = re.compile(r"\b(SELECT|INSERT INTO|DELETE FROM|UPDATE [a-z_]+ SET|ON CONFLICT)\b")


def _sql_strings(path: Path, root: Path = PROJECT_ROOT) -> list[str]:
    """Every string in the module that holds an SQL statement (docstrings may name one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [f"{path.relative_to(root).as_posix()}:{node.lineno}: {node.value.strip()[:60]}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and SQL_STATEMENT.search(node.value)]


def test_the_web_app_holds_no_sql() -> None:
    """webmap speaks HTTP and gis speaks SQL: views, the API, auth and the CLI call the core,
    where every query is tested without a web app."""
    assert [hit for path in sorted((PROJECT_ROOT / "webmap").rglob("*.py"))
            for hit in _sql_strings(path)] == []


def test_the_sql_rule_finds_a_query_but_not_a_label(tmp_path: Path) -> None:
    module = tmp_path / "views.py"
    module.write_text('"""SELECT in a docstring is prose."""\n'
                      'LABEL = "Select a site"\n'
                      'QUERY = """\n    SELECT id FROM site WHERE id = %s"""\n', encoding="utf-8")
    assert _sql_strings(module, tmp_path) == ["views.py:3: SELECT id FROM site WHERE id = %s"]


MODULE_LINE_LIMIT = 400
# Long by nature: the demo data generator's driver and themes, and migrations (each one script).
LONG_BY_NATURE = ("etl/demo/", "gis/migrations/versions/")


def _our_modules() -> list[Path]:
    return sorted(path for package in ALLOWED_IMPORTS for path in (PROJECT_ROOT / package).rglob("*.py"))


def test_every_module_does_one_job_in_at_most_400_lines() -> None:
    too_long = {}
    for path in _our_modules():
        name = path.relative_to(PROJECT_ROOT).as_posix()
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MODULE_LINE_LIMIT and not name.startswith(LONG_BY_NATURE):
            too_long[name] = lines
    assert too_long == {}


# Run as scripts, by Alembic or by gunicorn (wsgi builds an app from the environment on import).
NOT_IMPORTED = ("gis/migrations/", "etl/demo/generate.py", "__main__.py", "webmap/wsgi.py")


def test_every_module_imports() -> None:
    """A module left importing a moved one fails here (mypy skips imports it cannot find)."""
    failed = {}
    for path in _our_modules():
        name = path.relative_to(PROJECT_ROOT).as_posix()
        if name.startswith(NOT_IMPORTED) or name.endswith(NOT_IMPORTED):
            continue
        module = name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        try:
            importlib.import_module(module)
        except Exception as exc:
            failed[module] = repr(exc)
    assert failed == {}
