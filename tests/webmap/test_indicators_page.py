"""The indicator dashboard, its CSV, the jordvern and indicator commands, and the map layers,
on a database filled with constructed plans, AR5 and statistics."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import psycopg
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, expect

from gis.cluster import LocalCluster
from gis.db import drop_database, ensure_database, libpq_dsn
from tests.conftest import RUN_TAG, make_settings
from tests.jordvern_fixtures import add_area, add_cover, add_plan, add_statistic, rect
from webmap.cli import main


def fill(conn: psycopg.Connection) -> None:
    """Two adopted plans (2022: 10.0 daa, 2023: 4.0 daa), a proposal (+6.0), statistics."""
    add_cover(conn, 21, rect(0, 0, 300, 100))
    a = add_plan(conn, "a", vedtatt=dt.date(2022, 5, 1), name="Kjekstad næringspark")
    add_area(conn, a, rect(0, 0, 100, 100))
    b = add_plan(conn, "b", vedtatt=dt.date(2023, 9, 1), name="Holmen vest")
    add_area(conn, b, rect(100, 0, 140, 100), code="1110", category="bolig")
    c = add_plan(conn, "c", planstatus=2, vedtatt=None, name="Tofte forslag")
    add_area(conn, c, rect(140, 0, 200, 100))
    add_statistic(conn, "rezoned_cultivated_daa", "3203", 2022, 11.0, source="KOSTRA (SSB)",
                  unit="dekar")
    for year, (resident, work, both, people) in {
            2022: (51361, 37404, 21234, 97090), 2023: (51906, 37532, 21476, 97362)}.items():
        add_statistic(conn, "sysselsatte_bosted", "3203", year, resident)
        add_statistic(conn, "sysselsatte_arbeidssted", "3203", year, work)
        add_statistic(conn, "bor_og_arbeider", "3203", year, both)
        add_statistic(conn, "befolkning", "3203", year, people)
    for year, value in ((2017, 12), (2018, 12), (2019, 13)):
        add_statistic(conn, "nho_rank", "3203", year, value, source="Temaplan for næring 2020–2032",
                      fictional=False, unit="plass")
    add_statistic(conn, "nho_rank", "3203", 2024, 10, source="Temaplan for næring 2020–2032",
                  fictional=False, kind="ambition", unit="plass")
    conn.execute("INSERT INTO tettsted (tettstednummer, name, geom) VALUES ('0201', 'Asker', "
                 "ST_Multi(ST_Buffer(ST_SetSRID(ST_Point(591000, 6633000), 25832), 800)))")
    add_statistic(conn, "arbeidsplasser", "0201", 2024, 14535, region_type="tettsted")
    add_statistic(conn, "sysselsatte_bosted", "0201", 2024, 16000, region_type="tettsted")


@pytest.fixture(scope="module")
def indicator_db(cluster: LocalCluster, migrated_template: str) -> Iterator[str]:
    url = cluster.url(f"nk_indicators_{RUN_TAG}")
    drop_database(url)
    ensure_database(url, template=migrated_template)
    with psycopg.connect(libpq_dsn(url), autocommit=True) as conn:
        fill(conn)
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def app(indicator_db: str) -> Iterator[Flask]:
    from webmap import create_app

    application = create_app(make_settings(indicator_db))
    application.config["TESTING"] = True
    yield application
    engine = application.extensions.get("naeringskart.engine")
    if engine is not None:
        engine.dispose()


@pytest.fixture
def web(app: Flask) -> FlaskClient:
    return app.test_client()


def test_dashboard_shows_every_indicator_with_chart_and_table(web: FlaskClient) -> None:
    response = web.get("/indikatorer")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for title in ("Plassering i NHOs Kommune-NM", "Arbeidsplassvekst som andel av befolkningsveksten",
                  "Andel som bor og arbeider i kommunen", "Omdisponert dyrka jord (dekar)"):
        assert title in html
    assert html.count('<svg class="nk-chart"') == 6  # five indicators and the projection
    assert html.count("<table>") >= 9
    # The growth share is computed from the loaded SSB rows, with the calculation shown.
    assert "(37\u202f532 − 37\u202f404) ÷ (97\u202f362 − 97\u202f090) = 128 ÷ 272 = 47 %" in html
    # Share living and working 2023: 21 476 / 51 906.
    assert "21\u202f476 ÷ 51\u202f906 = 41.4 %" in html
    # The jordvern ledger beside KOSTRA, and the pipeline sentence.
    assert "Hvis planforslagene vedtas i" in html and "blir summen" in html
    assert "KOSTRA (SSB)" in html
    assert 'href="/en/indicators"' in html
    assert 'href="/indikatorer"' in html  # the nav item


def test_dashboard_in_english(web: FlaskClient) -> None:
    html = web.get("/en/indicators").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Rank in NHO&#39;s Kommune-NM" in html or "Rank in NHO's Kommune-NM" in html
    assert "If the proposals are adopted in" in html
    assert "Farmland protection ledger" in html
    assert 'href="/indikatorer"' in html  # the language switch back


def test_dashboard_csv_lists_results_ambitions_and_calculations(web: FlaskClient) -> None:
    response = web.get("/indikatorer.csv")
    assert response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "indicator,year,kind,value,unit,source,calculation,fictional,updated"
    assert any(line.startswith("nho_rank,2019,result,13,plass,Temaplan") for line in lines)
    assert any(line.startswith("nho_rank,2024,ambition,10,") for line in lines)
    assert any(line.startswith("rezoned_cultivated_daa,2023,result,4,daa,Beregnet")
               for line in lines)
    ledger = web.get("/en/indicators/jordvern.csv").get_data(as_text=True)
    assert "2022,10.0,10.0,0.0,0.0,1,15.0,no,11,KOSTRA (SSB),yes" in ledger


def test_layers_serve_rezoned_land_plans_and_tettsted_classes(web: FlaskClient) -> None:
    bbox = "10.0,59.0,11.5,60.5"
    rezoned = web.get(f"/api/layers/jordvern_rezoned/features?bbox={bbox}").get_json()
    years = sorted((f["properties"]["year"], f["properties"]["year_class"])
                   for f in rezoned["features"] if f["properties"]["status"] == "vedtatt")
    assert years == [(2022, "2020-2022"), (2023, "2023-")]
    assert all(f["properties"]["fill"].startswith("#") for f in rezoned["features"])
    plans = web.get(f"/api/layers/jordvern_plans/features?bbox={bbox}").get_json()
    by_name = {f["properties"]["plannavn"]: f["properties"] for f in plans["features"]}
    assert by_name["Kjekstad næringspark"]["rezoned_daa"] == 10.0
    assert by_name["Tofte forslag"]["status_label"].startswith("Planforslag")
    tettsted = web.get(f"/api/layers/tettsted_workplaces/features?bbox={bbox}").get_json()
    [asker] = tettsted["features"]
    assert asker["properties"]["klasse"] == "10 000 og flere"
    assert asker["properties"]["egendekning_pct"] == 91


def test_demo_dashboard_shows_the_plans_figures_beside_fictional_ones(client: FlaskClient) -> None:
    html = client.get("/indikatorer").get_data(as_text=True)
    assert "Temaplan for næring 2020–2032" in html
    # The plan's real 2019 growth share (9 %) and the demo's fictional computed value.
    assert re.search(r"<th scope=\"row\">2019</th>\s*<td>9 %</td>", html)
    assert "(36\u202f573 − 36\u202f143) ÷ (95\u202f622 − 95\u202f297)" in html
    assert "fiktivt" in html and "fictional-notice" in html
    # Workplaces per tettsted and year from the demo statistics (keyed by name); the demo has
    # no employed residents per tettsted, so egendekning is left out and the page says why.
    assert re.search(r"<th scope=\"row\">Asker</th>(<td>[^<]*</td>){4}<td>14\u202f535\*</td>",
                     html)
    assert "Egendekning vises ikke for Asker, Heggedal," in html
    # Former kommuner and centres without figures are named in a sentence, not empty rows.
    assert "<th scope=\"row\">Asker (før 2020)</th>" not in html
    assert "Egendekning beregnes ikke for Asker (før 2020), Røyken (før 2020), Hurum (før " \
        "2020): arbeidsplasser og sysselsatte bosatte under de tidligere kommunenumrene er " \
        "ikke lastet." in html
    assert "Ingen arbeidsplasstall er lastet for sentrene Asker sentrum, Billingstad," in html


@pytest.fixture
def cli_db(indicator_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NAERINGSKART_DATABASE_URL", indicator_db)
    return indicator_db


def test_jordvern_command_prints_the_ledger_and_pipeline(cli_db: str) -> None:
    result = CliRunner().invoke(main, ["jordvern", "--year", "2024"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    row_2022 = next(line for line in lines if line.startswith("2022"))
    assert re.search(r"2022\s+10\.0\s+10\.0\s+0\.0\s+0\.0\s+1\s+15\.0\s+within\s+11 \(KOSTRA",
                     row_2022)
    assert any(line.startswith("2023") and " 4.0 " in line for line in lines)
    assert "If adopted in 2024, the total would be 6.0 daa of 15.0." in result.output
    csv_result = CliRunner().invoke(main, ["jordvern", "--year", "2023", "--csv"])
    assert csv_result.output.splitlines()[0].startswith("year,rezoned_daa")
    assert [line.split(",")[0] for line in csv_result.output.splitlines()[1:]] == ["2022", "2023"]


def test_indicator_set_command_stores_a_rank_and_refuses_bad_input(cli_db: str) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["indicator", "set", "nho_county_rank", "2024", "3",
                                  "--source", "NHO Kommune-NM 2024", "--date", "2024-06-12",
                                  "--by", "test"])
    assert result.exit_code == 0, result.output
    with psycopg.connect(libpq_dsn(cli_db)) as conn:
        row = conn.execute("SELECT value, source, source_date, entered_by FROM statistic "
                           "WHERE indicator = 'nho_county_rank' AND year = 2024").fetchone()
        conn.execute("DELETE FROM statistic WHERE indicator = 'nho_county_rank'")
    assert row == (3, "NHO Kommune-NM 2024", dt.date(2024, 6, 12), "test")
    bad = runner.invoke(main, ["indicator", "set", "befolkning", "2024", "3", "--source", "x",
                               "--date", "2024-06-12"])
    assert bad.exit_code == 1 and "computed from loaded files" in bad.output
    assert runner.invoke(main, ["jordvern", "--help"]).exit_code == 0


@pytest.fixture(scope="module")
def server(app: Flask) -> Iterator[str]:
    from tests.browser import served

    with served(app) as base_url:
        yield base_url


@pytest.mark.browser
def test_dashboard_meets_wcag_aa_in_both_languages(browser: Browser, server: str) -> None:
    from tests.axe import axe_violations, describe

    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        for path in ("/indikatorer", "/en/indicators"):
            page.goto(server + path)
            expect(page.locator("svg.nk-chart").first).to_be_visible()
            violations = axe_violations(page)
            assert violations == [], f"{path} at {width}px:\n{describe(violations)}"
        context.close()


@pytest.mark.browser
def test_dashboard_keyboard_and_print_layout(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "/indikatorer")
    # The charts name themselves for screen readers.
    chart = page.locator("#rezoned_cultivated_daa svg.nk-chart")
    assert chart.get_attribute("role") == "img"
    expect(chart.locator("title")).to_have_text("Omdisponert dyrka jord (dekar)")
    # Keyboard: the skip link, then the table of contents reaches the jordvern section.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.locator(".report-toc a[href='#jordvern']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#jordvern"
    # Print: the navigation and buttons disappear, the tables stay.
    page.emulate_media(media="print")
    expect(page.locator(".report-actions")).to_be_hidden()
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(page.locator("#jordvern table").first).to_be_visible()
    assert errors == []
    context.close()


def test_demo_jordvern_finds_kjekstad_and_the_tofte_proposal(client: FlaskClient) -> None:
    ledger = client.get("/indikatorer/jordvern.csv").get_data(as_text=True).splitlines()
    row_2023 = next(line.split(",") for line in ledger if line.startswith("2023,"))
    assert float(row_2023[1]) > 0  # Kjekstad næringspark, adopted 2023, lies on farmland
    bbox = "10.0,59.4,10.9,60.0"
    plans = client.get(f"/api/layers/jordvern_plans/features?bbox={bbox}").get_json()
    by_name = {f["properties"]["plannavn"]: f["properties"] for f in plans["features"]}
    tofte = next(p for name, p in by_name.items() if name.startswith("Detaljregulering for Tofte"))
    assert tofte["status_label"].startswith("Planforslag") and tofte["rezoned_daa"] > 0
    kjekstad = next(p for name, p in by_name.items() if "Kjekstad" in name)
    assert kjekstad["year"] == 2023 and 0 < kjekstad["rezoned_daa"] <= float(row_2023[1]) + 0.05
    html = client.get("/indikatorer").get_data(as_text=True)
    assert "Hvis planforslagene vedtas i" in html


def test_a_summary_at_the_top_says_each_goal_its_value_and_whether_it_is_met(
        web: FlaskClient) -> None:
    html = web.get("/indikatorer").get_data(as_text=True)
    summary = html[html.index('id="summary-heading"'):html.index('class="report-toc"')]
    rows = {re.sub(r"<[^>]+>", "", m.group(1)).strip(): re.sub(r"\s+", " ", re.sub(
        r"<[^>]+>", "", m.group(2))).strip()
        for m in re.finditer(r'<th scope="row">(.*?)</th>(.*?)</tr>', summary, re.S)}
    assert len(rows) == 5
    # NHO 2019: 13th against the goal top 10; growth 2023: 128 ÷ 272 = 47 % against 50 %.
    assert rows["Plassering i NHOs Kommune-NM"] == \
        "Mål: blant de 10 beste 13 (2019) ✗ nei (ambisjon 10)"
    assert rows["Arbeidsplassvekst som andel av befolkningsveksten"].startswith(
        "Mål: minst 50 % 47 % (2023)")
    assert "✗ nei" in rows["Arbeidsplassvekst som andel av befolkningsveksten"]
    # 21 476 ÷ 51 906 = 41.4 % in 2023, up from 41.3 % in 2022.
    assert rows["Andel som bor og arbeider i kommunen"].startswith(
        "Mål: økning hvert år 41,4 % (2023)")
    assert "✓ ja (2022: 41,3 %)" in rows["Andel som bor og arbeider i kommunen"]
    en = web.get("/en/indicators").get_data(as_text=True)
    assert "Summary: the goals and the latest result" in en


def test_the_ledger_reconciles_official_and_computed_figures(
        web: FlaskClient, indicator_db: str) -> None:
    # KOSTRA reports 18 daa for 2023, over the 15 daa target; our count finds 4.0 daa.
    with psycopg.connect(libpq_dsn(indicator_db), autocommit=True) as conn:
        add_statistic(conn, "rezoned_cultivated_daa", "3203", 2023, 18.0,
                      source="KOSTRA (SSB)", unit="dekar", table_id="overrun")
    try:
        html = web.get("/indikatorer").get_data(as_text=True)
        ledger = html[html.index('id="caption-2"'):html.index('id="caption-3"')]
        row_2023 = re.search(r'<th scope="row">2023</th>(.*?)</tr>', ledger, re.S)
        assert row_2023 is not None
        cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td[^>]*>(.*?)</td>", row_2023.group(1), re.S)]
        assert cells[:4] == ["4,0", "18,0 (KOSTRA (SSB)) (fiktivt)", "+14,0", "15,0"]
        assert cells[4] == "✗ nei, det offisielle tallet er over målet"
        assert cells[-1] == "Offisielt høyere"
        assert '<dt id="difference-higher">Offisielt høyere</dt>' in html
        assert "<dd>Det offisielle tallet er høyere. Det er kommunens egen rapportering" in html
        # The indicator table shows no ✓ for 2023: not for the official row, nor for ours.
        section = html[html.index('id="rezoned_cultivated_daa-caption"'):html.index(
            'id="jordvern-heading"')]
        rows_2023 = re.findall(r'<th scope="row">2023</th>(.*?)</tr>', section, re.S)
        assert len(rows_2023) == 2 and not any("✓" in row for row in rows_2023)
        csv = web.get("/indikatorer/jordvern.csv").get_data(as_text=True)
        assert any(line.startswith("2023,4.0,") and line.endswith(",14.0,no,yes")
                   for line in csv.splitlines())
    finally:
        with psycopg.connect(libpq_dsn(indicator_db), autocommit=True) as conn:
            conn.execute("DELETE FROM statistic WHERE table_id = 'overrun'")


def test_egendekning_per_tettsted_and_year_or_the_reason_it_is_missing(
        web: FlaskClient, indicator_db: str) -> None:
    with psycopg.connect(libpq_dsn(indicator_db), autocommit=True) as conn:
        conn.execute("INSERT INTO tettsted (tettstednummer, name, geom) VALUES ('0202', "
                     "'Heggedal', ST_Multi(ST_Buffer(ST_SetSRID(ST_Point(585000, 6627000), "
                     "25832), 500)))")
        add_statistic(conn, "arbeidsplasser", "0202", 2023, 1200, region_type="tettsted",
                      table_id="heggedal")
        add_statistic(conn, "arbeidsplasser", "0202", 2024, 1250, region_type="tettsted",
                      table_id="heggedal")
    try:
        html = web.get("/indikatorer").get_data(as_text=True)
        workplaces = html[html.index('id="caption-4"'):html.index('id="caption-4b"')]
        assert re.search(r'<th scope="row">Heggedal</th><td>1\u202f200\*</td>'
                         r'<td>1\u202f250\*</td>', workplaces)
        start = html.index('id="caption-4b"')
        egendekning = html[start:html.index("<h3>", start)]
        # Asker 2024: 14 535 ÷ 16 000 = 90.8 %; Heggedal has no employed residents.
        assert re.search(r'<th scope="row">Asker</th>.*<td>90,8 %</td>', egendekning)
        assert "Heggedal</th>" not in egendekning
        assert ("Egendekning vises ikke for Heggedal: tall for sysselsatte som bor i "
                "tettstedet") in egendekning
    finally:
        with psycopg.connect(libpq_dsn(indicator_db), autocommit=True) as conn:
            conn.execute("DELETE FROM statistic WHERE table_id = 'heggedal'")
            conn.execute("DELETE FROM tettsted WHERE tettstednummer = '0202'")


def test_public_page_shows_no_commands_and_dates_are_the_datas_own(web: FlaskClient) -> None:
    today = dt.date.today().isoformat()
    for path in ("/indikatorer", "/en/indicators"):
        html = web.get(path).get_data(as_text=True)
        # The report's own date ("prepared") is today by definition; the data's dates are not.
        html = re.sub(r'<p class="report-date">.*?</p>', "", html, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", html)
        assert "naeringskart " not in text and "--source" not in text, path
        # The rows were stored today without a source date: today is the load date, not the
        # data's, so it is never shown as "last updated".
        assert today not in text, path
    nb = web.get("/indikatorer").get_data(as_text=True)
    nho = nb[nb.index('id="nho_rank-heading"'):nb.index('id="nho_county_rank-heading"')]
    assert "Tallene går til og med 2019; kilden oppgir ingen dato." in nho


def test_a_rank_chart_puts_rank_1_at_the_top() -> None:
    from webmap.indicators.charts import ChartLabels, Point, bar_line_chart

    labels = ChartLabels("NHO", "d", "Resultat", "Ambisjon", "Fiktivt", "plass")
    svg = str(bar_line_chart([Point(2017, 12, None), Point(2018, 3, None)], labels,
                             chart_id="c", lower_is_better=True))
    ticks = {t: float(y) for y, t in re.findall(
        r'<text x="50" y="([\d.]+)" text-anchor="end" class="nk-chart-tick">(\d+)</text>', svg)}
    assert ticks["1"] < ticks["5"] < ticks["10"]
    bars = [float(h) for h in re.findall(r'class="nk-chart-bar"[^>]*height="([\d.]+)"', svg)]
    assert bars[1] > bars[0]  # 3rd place draws a taller bar than 12th


@pytest.mark.browser
def test_chart_labels_do_not_overlap(browser: Browser, live_server: str) -> None:
    for width in (390, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(live_server + "/indikatorer")
        expect(page.locator("#chart-projection-title")).to_have_count(1)
        assert page.locator("svg.nk-chart").count() == 6
        overlaps = page.evaluate("""() => {
            const hits = [];
            for (const svg of document.querySelectorAll('svg.nk-chart')) {
                const boxes = [...svg.querySelectorAll('text, path.nk-chart-ambition')]
                    .map(el => [el, el.getBoundingClientRect()]);
                for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                    const [a, ra] = boxes[i], [b, rb] = boxes[j];
                    if (a.tagName !== 'text' && b.tagName !== 'text') continue;
                    const gap = 0.5;
                    if (ra.left < rb.right - gap && rb.left < ra.right - gap &&
                        ra.top < rb.bottom - gap && rb.top < ra.bottom - gap)
                        hits.push(svg.getAttribute('aria-labelledby') + ': ' +
                                  (a.textContent || 'marker') + ' / ' +
                                  (b.textContent || 'marker'));
                }
            }
            return hits;
        }""")
        assert overlaps == [], f"{width}px: {overlaps}"
        page.close()
