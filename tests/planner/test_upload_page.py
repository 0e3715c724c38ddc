"""The bulk upload page offers the template; the preview lists every row's errors in the page's
language (not only the first bad cell), warns about outlines made from a point, and maps the rows."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient

from tests.planner.conftest import page_csrf

# Row 2 is fine (a point with its area), row 3 has a word for a number, row 4 an unknown status,
# row 5 a position in the Atlantic (lat and lon swapped).
SHEET = (
    "site_id;name;area_m2;status;lat;lon\n"
    "UP-1;Punkttomt;4000;ledig;59.8335;10.4309\n"
    "UP-2;Feil areal;mye;ledig;59.8340;10.4320\n"
    "UP-3;Feil status;3000;solgt;59.8345;10.4330\n"
    "UP-4;Byttet om;3000;ledig;10.4309;59.8335\n"
)


def _preview_url(client: FlaskClient, content: str, name: str = "tomter.csv") -> str:
    token = page_csrf(client, "/planner/opplasting")
    response = client.post(
        "/planner/opplasting",
        data={"csrf_token": token, "file": (io.BytesIO(content.encode()), name)},
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return str(response.get_json()["preview_url"])


def _english(preview: str) -> str:
    return preview.replace("/planner/opplasting/", "/en/planner/upload/")


def _reasons_by_row(html: str) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for row in re.findall(r'<tr class="kind-[a-z]+">(.*?)</tr>', html, re.S):
        number = re.search(r"<td>(\d+)</td>", row)
        assert number
        rows[number.group(1)] = [
            re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", row, re.S)
        ]
    return rows


def test_the_page_links_the_template(planner_client: FlaskClient) -> None:
    html = planner_client.get("/planner/opplasting").get_data(as_text=True)
    links = re.findall(r'href="([^"]+)" download>', html)
    assert "/planner/opplasting/mal.xlsx" in links and "/planner/opplasting/mal.csv" in links
    template = planner_client.get("/planner/opplasting/mal.csv")
    assert template.status_code == 200 and template.data.decode("utf-8-sig").startswith(
        "site_id;name;area_m2"
    )
    assert "attachment" in template.headers["Content-Disposition"]
    workbook = planner_client.get("/planner/opplasting/mal.xlsx")
    assert workbook.status_code == 200 and workbook.data[:2] == b"PK"


def test_every_bad_row_is_listed_in_the_page_language(planner_client: FlaskClient) -> None:
    preview = _preview_url(planner_client, SHEET)
    nb = _reasons_by_row(planner_client.get(preview).get_data(as_text=True))
    assert nb["2"] == []
    # The bad area also leaves the point without the area its square needs: both are listed.
    assert nb["3"][0] == "kolonne area_m2 (C): «mye» er ikke et tall"
    assert "bare et punkt trenger arealet" in nb["3"][1]
    assert nb["4"] and "«solgt» er ikke en av" in nb["4"][0]
    assert nb["5"] and "ligger ikke i Norge; er lat og lon byttet om?" in nb["5"][0]
    en = _reasons_by_row(planner_client.get(_english(preview)).get_data(as_text=True))
    assert en["3"][0] == "column area_m2 (C): “mye” is not a number"
    assert "is not one of" in en["4"][0] and "are lat and lon swapped?" in en["5"][0]


def test_a_point_only_outline_is_flagged(planner_client: FlaskClient) -> None:
    preview = _preview_url(planner_client, SHEET.split("UP-2")[0].rsplit("\n", 1)[0] + "\n")
    html = planner_client.get(preview).get_data(as_text=True)
    warning = re.search(r'id="approximate-warning">([^<]+)<', html)
    assert warning and "Bare et punkt, ikke et omriss, i rad 2" in warning.group(1)
    assert "Omtrentlig omriss" in html
    english = planner_client.get(_english(preview)).get_data(as_text=True)
    assert "Only a point, not an outline, in row 2" in english


def test_preview_carries_the_rows_for_its_map(planner_client: FlaskClient) -> None:
    preview = _preview_url(planner_client, SHEET)
    html = planner_client.get(preview).get_data(as_text=True)
    assert 'id="preview-map"' in html and "planner-upload-preview.js" in html


def test_an_upload_can_set_every_column_the_editor_writes_under_the_loaders_names() -> None:
    """The upload finds its columns by the loader's names for the `sites` source: a column the
    editor writes but the loader does not know would be silently left out of every upload."""
    from etl.sources import get_source
    from gis.sites import UPLOADABLE

    assert set(UPLOADABLE) <= set(get_source("sites").columns)
