"""The planner's NHO Kommune-NM rank form: validation, storage, and the dashboard at once."""

from __future__ import annotations

import datetime as dt

import psycopg
from flask import Flask
from flask.testing import FlaskClient

from gis.db import libpq_dsn
from tests.planner.conftest import page_csrf

FORM = "/planner/indikatorer/nho"


def _entry(token: str, **changes: str) -> dict[str, str]:
    return {"csrf_token": token, "year": "2024", "rank": "9", "county_rank": "2",
            "source": "NHO Kommune-NM 2024", "source_date": "2024-06-12", **changes}


def test_a_rank_entered_in_the_form_is_on_the_dashboard_with_source_and_date(
        planner_client: FlaskClient, planner_db: str) -> None:
    token = page_csrf(planner_client, FORM)
    saved = planner_client.post(FORM, data=_entry(token))
    assert saved.status_code == 302 and saved.headers["Location"] == "/indikatorer#nho_rank"
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        rows = conn.execute(
            "SELECT indicator, value, source, source_date, entered_by FROM statistic "
            "WHERE indicator LIKE 'nho%%' AND region = '3203' AND year = 2024 "
            "ORDER BY indicator").fetchall()
    assert rows == [("nho_county_rank", 2, "NHO Kommune-NM 2024", dt.date(2024, 6, 12), "kari"),
                    ("nho_rank", 9, "NHO Kommune-NM 2024", dt.date(2024, 6, 12), "kari")]
    page = planner_client.get("/indikatorer").get_data(as_text=True)
    section = page[page.index('id="nho_rank"'):page.index('id="nho_county_rank"')]
    row = section[section.index('<th scope="row">2024</th>'):]
    row = row[:row.index("</tr>")]
    assert "<td>9</td>" in row and "NHO Kommune-NM 2024" in row and "2024-06-12" in row
    assert "NHO-plasseringen for 2024 er lagret." in page
    # A correction replaces the year's value instead of adding a second one.
    assert planner_client.post(FORM, data=_entry(token, rank="8", county_rank="")).status_code == 302
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        ranks = conn.execute("SELECT value FROM statistic WHERE indicator = 'nho_rank' "
                             "AND year = 2024").fetchall()
    assert ranks == [(8,)]


def test_bad_input_is_refused_with_a_message_per_field_in_both_languages(
        planner_client: FlaskClient, planner_db: str) -> None:
    token = page_csrf(planner_client, FORM)
    next_year = str(dt.date.today().year + 1)
    bad = planner_client.post(FORM, data=_entry(token, year=next_year, rank="0,5",
                                                 county_rank="12", source=" ",
                                                 source_date="12.06.2024"))
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    for message in (f"Året må være et helt tall fra 2000 til {int(next_year) - 1}.",
                    "Plasseringen må være et helt tall fra 1 til 357.",
                    "Oppgi kilden, for eksempel «NHO Kommune-NM 2024».",
                    "Datoen må skrives ÅÅÅÅ-MM-DD."):
        assert message in html
    assert 'aria-invalid="true"' in html and 'value="0,5"' in html  # the input is kept
    county = planner_client.post(FORM, data=_entry(token, rank="5", county_rank="7"))
    assert county.status_code == 422
    assert ("Plasseringen i fylket kan ikke være et høyere tall enn plasseringen i landet (5)."
            in county.get_data(as_text=True))
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    english = planner_client.post("/en/planner/indicators/nho", data=_entry(token, source_date=future))
    assert english.status_code == 422
    assert "The date cannot be in the future." in english.get_data(as_text=True)
    with psycopg.connect(libpq_dsn(planner_db)) as conn:
        stored = conn.execute("SELECT count(*) FROM statistic WHERE indicator LIKE 'nho%%'"
                              ).fetchone()
    assert stored == (0,)


def test_anonymous_users_are_sent_to_sign_in_and_cannot_post(app: Flask) -> None:
    anonymous = app.test_client()
    page = anonymous.get(FORM)
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/planner/logg-inn?next=/planner/indikatorer/nho")
    english = anonymous.get("/en/planner/indicators/nho")
    assert english.headers["Location"].startswith("/en/planner/sign-in")
    app.config["WTF_CSRF_ENABLED"] = False
    posted = anonymous.post(FORM, data={"year": "2024", "rank": "1", "source": "x",
                                        "source_date": "2024-01-01"})
    assert posted.status_code == 302 and "/logg-inn" in posted.headers["Location"]


def test_the_form_refuses_a_post_without_the_csrf_token(planner_client: FlaskClient) -> None:
    response = planner_client.post(FORM, data={"year": "2024", "rank": "1", "source": "x",
                                               "source_date": "2024-01-01"})
    assert response.status_code == 400
