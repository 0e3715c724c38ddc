"""Generated requests against every operation of /api/openapi.json, signed in as a planner:
whatever schemathesis sends (wrong types, huge numbers, odd strings), no answer is a 5xx."""

from __future__ import annotations

import schemathesis
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings

from tests.planner.conftest import page_csrf

EXAMPLES_PER_OPERATION = 25


def test_no_operation_answers_a_server_error(planner_client: FlaskClient) -> None:
    cookie = planner_client.get_cookie("naeringskart_session")
    assert cookie is not None
    headers = {"Cookie": f"naeringskart_session={cookie.value}",
               "X-CSRFToken": page_csrf(planner_client, "/planner/kart")}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", planner_client.application)
    server_errors: list[str] = []
    statuses: list[int] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  derandomize=True,  # the same examples every run: a failure is reproducible
                  suppress_health_check=list(HealthCheck))
        def call(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                server_errors.append(f"{case.method} {case.formatted_path} "
                                     f"{case.query} -> {response.status_code}")

        call()
    assert server_errors == []
    # The run reached the views: some requests were accepted, some refused as invalid.
    assert len(statuses) >= 2 * len(operations)
    assert any(s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
