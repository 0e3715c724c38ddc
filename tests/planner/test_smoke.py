from flask.testing import FlaskClient


def test_pages_render(planner_client: FlaskClient) -> None:
    for path in ("/planner/", "/planner/kart", "/planner/arealer/1", "/planner/henvendelser",
                 "/planner/opplasting", "/planner/lokaler", "/en/planner/", "/planner/arealregnskap.csv",
                 "/api/planner/sites", "/api/planner/sites/1/history", "/api/premises"):
        r = planner_client.get(path)
        assert r.status_code == 200, (path, r.get_data(as_text=True)[:3000])
