"""Request bodies over their route's limit are refused with 413, declared or chunked, before
the app reads them: the anonymous interest form is small, the bulk upload big, the rest 1 MB."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

from flask.testing import FlaskClient

from webmap.limits import DEFAULT_BODY_LIMIT, INTEREST_BODY_LIMIT, UPLOAD_BODY_LIMIT, body_limit


def test_each_route_has_its_own_limit() -> None:
    assert body_limit("investor.interest") == INTEREST_BODY_LIMIT < DEFAULT_BODY_LIMIT
    assert body_limit("planner.upload") == UPLOAD_BODY_LIMIT > DEFAULT_BODY_LIMIT
    assert body_limit("api.layer_features") == DEFAULT_BODY_LIMIT


def test_a_big_interest_form_is_refused(client: FlaskClient) -> None:
    response = client.post("/investor/meld-interesse",
                           data={"name": "x", "message": "x" * (INTEREST_BODY_LIMIT + 1)})
    assert response.status_code == 413


def test_a_big_json_body_gets_a_json_413(client: FlaskClient) -> None:
    response = client.post("/api/planner/sites", data=b"[" + b"1," * DEFAULT_BODY_LIMIT + b"1]",
                           content_type="application/json")
    assert response.status_code in (401, 413)  # anonymous writes are refused first
    response = client.post("/api/layers", data=b"x" * (DEFAULT_BODY_LIMIT + 1),
                           content_type="application/json")
    assert response.status_code in (405, 413)


def _chunked_post(base_url: str, path: str, size: int) -> tuple[int, bytes]:
    """POST `size` bytes with Transfer-Encoding: chunked (no Content-Length) and read the answer."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    chunk = b"message=" + b"x" * 8192
    sent = 0
    try:
        connection.putrequest("POST", path)
        connection.putheader("Transfer-Encoding", "chunked")
        connection.putheader("Content-Type", "application/x-www-form-urlencoded")
        connection.endheaders()
        while sent < size:
            connection.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            sent += len(chunk)
        connection.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may stop reading once the limit is passed
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_a_chunked_body_without_length_is_refused_too(live_server: str) -> None:
    for path in ("/investor/meld-interesse", "/api/planner/sites", "/planner/opplasting"):
        status, body = _chunked_post(live_server, path, 4 * INTEREST_BODY_LIMIT)
        assert status == 411, body[:500]
        # The interest form is a Norwegian page; the API answers in English.
        expected = "chunked bodies are not accepted" if path.startswith("/api/") else "godtas ikke"
        assert "Content-Length" in body.decode() and expected in body.decode(), path
