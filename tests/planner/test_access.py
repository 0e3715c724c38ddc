"""The whole URL map, walked as anonymous, planner and admin: no unexpected access."""

from __future__ import annotations

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.planner.conftest import ADMIN_PASSWORD, PLANNER_PASSWORD, Accounts, sign_in

PUBLIC_PLANNER_ENDPOINTS = {"planner_auth.login", "planner_auth.login_en", "planner_auth.logout",
                            "planner_auth.logout_en"}


def _url(rule: Rule) -> str:
    values = {arg: 1 if "int" in str(rule._converters.get(arg, "")).lower() else "x"
              for arg in rule.arguments}
    path = rule.rule
    for arg, value in values.items():
        path = path.replace(f"<int:{arg}>", str(value)).replace(f"<{arg}>", str(value))
        path = path.replace(f"<path:{arg}>", str(value))
    return path


def _protected_rules(app: Flask) -> list[tuple[Rule, str]]:
    """Every rule under the planner prefixes, with the role it needs."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_PLANNER_ENDPOINTS:
            continue
        path = rule.rule.removeprefix("/en")
        if path.startswith("/planner/admin"):
            found.append((rule, "admin"))
        elif path.startswith(("/planner", "/api/planner")):
            found.append((rule, "planner"))
    return found


def _call(client: FlaskClient, method: str, path: str) -> int:
    return client.open(path, method=method, json={} if path.startswith("/api/") else None,
                       data=None if path.startswith("/api/") else {}).status_code


@pytest.fixture
def no_csrf_app(app: Flask) -> Flask:
    # The access layer is what is tested here; CSRF has its own tests.
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def test_every_planner_and_admin_route_is_guarded(no_csrf_app: Flask, accounts: Accounts) -> None:
    rules = _protected_rules(no_csrf_app)
    assert len(rules) > 30  # the walk sees the whole workspace, both languages
    walked = {(_url(rule), method) for rule, _role in rules for method in rule.methods or ()}
    for path in ("/planner/indikatorer/nho", "/en/planner/indicators/nho"):
        assert {(path, "GET"), (path, "POST")} <= walked  # the NHO rank form is guarded too
    anonymous = no_csrf_app.test_client()
    planner = no_csrf_app.test_client()
    sign_in(planner, accounts.planner, PLANNER_PASSWORD)
    admin = no_csrf_app.test_client()
    sign_in(admin, accounts.admin, ADMIN_PASSWORD, pyotp.TOTP(accounts.admin_totp).now())
    unexpected = []
    for rule, role in rules:
        path = _url(rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            status = _call(anonymous, method, path)
            expected = 401 if path.startswith("/api/") else 302
            if status != expected:
                unexpected.append(f"anonymous {method} {path}: {status}, expected {expected}")
            status = _call(planner, method, path)
            if role == "admin" and status != 403:
                unexpected.append(f"planner {method} {path}: {status}, expected 403")
            if role == "planner" and status in (401, 403):
                unexpected.append(f"planner {method} {path}: refused ({status})")
            status = _call(admin, method, path)
            if status in (401, 403):
                unexpected.append(f"admin {method} {path}: refused ({status})")
    assert unexpected == []


def test_anonymous_page_request_redirects_to_sign_in(app: Flask) -> None:
    response = app.test_client().get("/en/planner/map")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/planner/sign-in?next=/en/planner/map")


def test_planner_pages_are_not_cached_and_carry_security_headers(planner_client: FlaskClient) -> None:
    response = planner_client.get("/planner/henvendelser")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_production_cookies_are_secure_and_hsts_is_sent(planner_db: str, accounts: Accounts) -> None:
    from gis.config import load_settings
    from webmap import create_app

    app = create_app(load_settings(database_url=planner_db, env="production", secret_key="x" * 40))
    client = app.test_client()
    response = client.get("/planner/logg-inn", base_url="https://localhost")
    assert "Strict-Transport-Security" in response.headers
    assert "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    engine = app.extensions.get("naeringskart.engine")
    if engine is not None:
        engine.dispose()


@pytest.mark.parametrize(("method", "path"), [
    ("post", "/api/planner/sites"), ("patch", "/api/planner/sites/1"),
    ("post", "/api/planner/sites/1/archive"), ("post", "/api/planner/sites/merge")])
def test_anonymous_api_writes_get_401_not_a_csrf_400(app: Flask, method: str, path: str) -> None:
    response = getattr(app.test_client(), method)(path, json={"name": "x"})
    assert response.status_code == 401
    assert response.is_json and response.get_json()["status"] == 401
