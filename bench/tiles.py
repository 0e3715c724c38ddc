"""Tile benchmark: our /tiles endpoint against tipg and the floor (the endpoint's own SQL).

On 1,000,000 synthetic building footprints and a zoning layer (40,000 plan areas) in a database
of its own, requests a fixed set of tiles at z12, z14 and z16 one at a time, accepting gzip,
from our endpoint (gunicorn, 2 threaded workers, as `naeringskart serve` runs it) and from tipg
(uvicorn, 2 workers) on the same database in the same run, each over one kept-alive connection
(as a browser) and with a new connection per tile. The floor is the very statement the endpoint
sends (gis.tiles.answer_tile) run through psycopg; the ST_AsMVT query alone, a no-op app
under the same gunicorn (what HTTP costs by itself) and a bare app that only runs that statement
under the same gunicorn (the least any such endpoint costs) are printed beside it. Then each server gets
`wrk` runs at z16 (loopback, 2 threads, 4 connections; kept-alive and `Connection: close`).
Prints p50/p95 per zoom, tiles/s, tile sizes and our ratios to tipg and to the floor, and
checks the targets:

- z16 throughput >= 2 x tipg's (both wrk runs);  - p95 <= 1.5 x the floor's at every zoom;
- no tile over 500 KB (uncompressed);            - z12 p95 under 50 ms.

Our server keeps finished tiles in memory (NAERINGSKART_TILE_CACHE_MB). The targets are checked
on cold tiles: the "ours" rows are each tile's first request to a server with the cache on, as
in production (warmed up on other tiles than the measured ones), and the "ours-nc" rows and the
wrk runs the targets use come from a second server with the cache off, so that they cut every
tile too. The "ours-warm" rows ask the same tiles again (cache hits, still checked against the
data version in one round trip) and a wrk run on the cache-on server is printed, both for
information.
Run with `make bench` (installs the `bench` extra: tipg, uvicorn; Debian's wrk). Exit status 1
when a target is missed. `--keep` reuses the generated database of an earlier run;
`--buildings` and `--wrk-seconds` make a smaller run while developing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gis import db as gisdb  # noqa: E402
from gis import migrate  # noqa: E402
from gis import tiles as gistiles  # noqa: E402
from gis.cluster import LocalCluster, free_port  # noqa: E402
from layers import Layer, get_layer  # noqa: E402
from webmap.cli.serve import GUNICORN_THREADS  # noqa: E402

DB_NAME = "nk_bench_tiles"
SRID = 25832
BUILDINGS = 1_000_000
ZOOMS = (12, 14, 16)
TILES_PER_ZOOM = 200
WARMUP_TILES = 20
WRK_SECONDS = 15
MAX_TILE_BYTES = 500 * 1024
# The synthetic area: 60 x 60 km of EPSG:25832 around Asker, buildings clustered in towns.
X0, Y0, SIZE = 560_000.0, 6_600_000.0, 60_000.0
TOWNS = 12

BUILDINGS_SQL = """
INSERT INTO building_footprint (id, bygningsnummer, bygningstype, bygningsgruppe, geom)
SELECT i, 'B' || i, g.type, g.grp,
       ST_Multi(ST_Rotate(ST_MakeEnvelope(x - w, y - h, x + w, y + h, %(srid)s), a,
                          ST_SetSRID(ST_Point(x, y), %(srid)s)))
FROM (
    SELECT i, t.cx + t.sigma * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS x,
              t.cy + t.sigma * sqrt(-2 * ln(1 - random())) * sin(2 * pi() * random()) AS y,
              4 + random() * 10 AS w, 4 + random() * 8 AS h, random() * pi() AS a,
              (i %% 8) AS kind
    FROM generate_series(1, %(n)s) AS i
    JOIN towns t ON t.id = i %% %(towns)s
) b
JOIN (VALUES (0, '111', 'bolig'), (1, '111', 'bolig'), (2, '121', 'bolig'),
             (3, '211', 'industri/lager'), (4, '311', 'kontor/forretning'),
             (5, '181', 'bolig'), (6, '411', 'samferdsel/kommunikasjon'),
             (7, '621', 'kultur/forskning')) AS g(kind, type, grp) ON g.kind = b.kind
ORDER BY floor(x / 2000), floor(y / 2000)
"""
ZONING_SQL = """
INSERT INTO plan_area (plan_id, code, code_list, code_name, category, arealbruksstatus,
                       feltnavn, geom)
SELECT 1, c.code, 'kpa2008', c.name, c.category, 1 + (i %% 5 = 0)::int, 'F' || i,
       ST_Multi(ST_MakeEnvelope(x, y, x + 290 + random() * 9, y + 290 + random() * 9, %(srid)s))
FROM (SELECT i, %(x0)s + (i %% 200) * 300.0 AS x, %(y0)s + (i / 200) * 300.0 AS y,
             i %% 6 AS kind
      FROM generate_series(0, 39999) AS i) a
JOIN (VALUES (0, '1110', 'Boligbebyggelse', 'bolig'), (1, '1300', 'Næringsbebyggelse', 'naering'),
             (2, '5100', 'LNFR', 'lnfr'), (3, '3001', 'Grønnstruktur', 'gronn'),
             (4, '1130', 'Sentrumsformål', 'sentrum'), (5, '2001', 'Samferdsel', 'samferdsel'))
     AS c(kind, code, name, category) ON c.kind = a.kind
"""


def log(message: str) -> None:
    print(message, flush=True)


def prepare_database(url: str, keep: bool, buildings: int = BUILDINGS) -> None:
    """Create, migrate and fill the bench database (reused with --keep when complete)."""
    dsn = gisdb.libpq_dsn(url)
    if keep:
        try:
            with psycopg.connect(dsn) as conn:
                row = conn.execute("SELECT count(*) FROM building_footprint").fetchone()
                if row and row[0] == buildings:
                    log(f"reusing {DB_NAME} ({buildings:,} buildings)")
                    return
        except psycopg.OperationalError:
            pass
    gisdb.drop_database(url)
    gisdb.ensure_database(url)
    from sqlalchemy import create_engine

    engine = create_engine(url)
    migrate.upgrade(engine, SRID)
    engine.dispose()
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT setseed(0.42)")
        conn.execute("CREATE TEMP TABLE towns AS SELECT i AS id, "
                     "%s + 5000 + random() * %s AS cx, %s + 5000 + random() * %s AS cy, "
                     "800 + random() * 3000 AS sigma FROM generate_series(0, %s) AS i",
                     (X0, SIZE - 10_000, Y0, SIZE - 10_000, TOWNS - 1))
        # Indexes are built once after the load, as the loaders do.
        conn.execute("DROP INDEX building_footprint_geom_gist")
        conn.execute("DROP INDEX building_footprint_geom3857_gist")
        conn.execute("ALTER TABLE building_footprint DROP CONSTRAINT building_footprint_geom_valid")
        conn.execute(BUILDINGS_SQL, {"srid": SRID, "n": buildings, "towns": TOWNS})
        conn.execute("CREATE INDEX building_footprint_geom_gist ON building_footprint "
                     "USING gist (geom)")
        conn.execute("CREATE INDEX building_footprint_geom3857_gist ON building_footprint "
                     "USING gist (geom3857)")
        conn.execute("INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, "
                     "planidentifikasjon, plannavn, plantype, planstatus) "
                     "VALUES (1, '3203_BENCH', '3203', 'BENCH', 'Syntetisk KPA', 20, 3)")
        conn.execute(ZONING_SQL, {"srid": SRID, "x0": X0, "y0": Y0})
        conn.execute("ANALYZE")
        log(f"generated {buildings:,} buildings and 40,000 plan areas "
            f"in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        gistiles.refresh_overviews(conn)
        log(f"overviews rebuilt in {time.perf_counter() - started:.1f} s")
        conn.execute("VACUUM ANALYZE")


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    import math

    n = 1 << z
    return (z, int((lon + 180.0) / 360.0 * n),
            int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n))


Tiles = dict[int, list[tuple[int, int, int]]]


def pick_tiles(url: str) -> tuple[Tiles, Tiles]:
    """A fixed set of tiles per zoom, where buildings are (seeded sample of building centres),
    and 20 other tiles per zoom to warm servers up with (never cache hits for the measured ones).
    """
    with psycopg.connect(gisdb.libpq_dsn(url)) as conn:
        rows = conn.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_Centroid(geom), 4326) AS p "
            "FROM building_footprint WHERE id % 997 = 0) s").fetchall()
    rng = random.Random(42)
    chosen: Tiles = {}
    warmup: Tiles = {}
    for z in ZOOMS:
        candidates = sorted({tile_of(lon, lat, z) for lon, lat in rows})
        rng.shuffle(candidates)
        chosen[z] = sorted(candidates[:TILES_PER_ZOOM])
        # Small runs have few tiles with buildings: then neighbours of the measured ones.
        measured = set(chosen[z])
        spare = candidates[TILES_PER_ZOOM:] + [(z, x + dx, y) for dx in (1, 2, 3)
                                               for _z, x, y in chosen[z]]
        warmup[z] = list(dict.fromkeys(t for t in spare if t not in measured))[:WARMUP_TILES]
    return chosen, warmup


@dataclass
class Server:
    name: str
    port: int
    path: str  # with {layer} {z} {x} {y}
    process: subprocess.Popen[bytes]


@contextmanager
def serve(name: str, command: Sequence[str], env: dict[str, str], port: int,
          path: str, probe: str) -> Iterator[Server]:
    """Start a server, wait until `probe` answers, stop it afterwards."""
    logfile = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed in finally, kept for reading)
        prefix=f"bench-{name}-", suffix=".log", delete=False)
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT,
                               stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _ = fetch(port, probe)
                if status < 500:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start; see {logfile.name}")
            time.sleep(0.3)
        yield Server(name, port, path, process)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        logfile.close()


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class Sample:
    ms: list[float]
    sizes: list[int]
    hits: int = 0  # answers that said X-Tile-Cache: hit

    def add(self, ms: float, body: bytes, hit: bool = False) -> None:
        """One tile's time, size and whether it came from the tile cache."""
        self.ms.append(ms)
        self.sizes.append(len(body))
        self.hits += hit

    def p(self, q: float) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def get_tile(connection: http.client.HTTPConnection, server: Server,
             path: str) -> tuple[float, bytes, bool]:
    """One tile over `connection`, accepting gzip: milliseconds, the bytes on the wire and
    whether it came from our tile cache."""
    started = time.perf_counter()
    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status not in (200, 204):
        raise RuntimeError(f"{server.name} {path}: HTTP {response.status} {body[:200]!r}")
    return elapsed, body, response.getheader("X-Tile-Cache") == "hit"


def floor_tile(conn: psycopg.Connection[tuple[object, ...]], layer: Layer, z: int, x: int, y: int, *,
               tile_only: bool = False) -> tuple[float, bytes]:
    """The endpoint's own statement for one tile (or the ST_AsMVT query alone): ms and MVT."""
    source = layer.tile_source(z)
    assert source is not None
    started = time.perf_counter()
    if tile_only:
        data = gistiles.render_tile(conn, source, layer.id, z, x, y)
    else:
        data = gistiles.answer_tile(conn, source, layer.id, z, x, y, layer.version_tables).data
    return (time.perf_counter() - started) * 1000, data


def measure_http(server: Server, layer: str, tiles: list[tuple[int, int, int]], *,
                 keep_alive: bool = True,
                 client: http.client.HTTPConnection | None = None) -> Sample:
    """One tile at a time accepting gzip, over one kept-alive connection as a browser asks
    (or a new connection per tile: uvicorn stalls ~40 ms per response on a kept-alive
    connection here, a Nagle/delayed-ACK interplay, so tipg is measured both ways).

    Sizes are the bytes on the wire (gzipped where the server compresses). With `client`,
    over that kept-alive connection (left open).
    """
    sample = Sample([], [])
    connection = client or http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        for z, x, y in tiles:
            path = server.path.format(layer=layer, z=z, x=x, y=y)
            if not keep_alive:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
            sample.add(*get_tile(connection, server, path))
    finally:
        if connection is not client:
            connection.close()
    return sample


def measure_floor(url: str, layer_id: str, tiles: list[tuple[int, int, int]], *,
                  tile_only: bool = False) -> Sample:
    """The endpoint's own statement through one psycopg connection: what no server can beat.

    It is the very call the endpoint makes (gis.tiles.answer_tile: the data version, the
    overview state and the ST_AsMVT tile in one statement). `tile_only` runs the ST_AsMVT
    query alone, to show what the version lookup adds. Sizes are uncompressed MVT bytes.
    """
    layer = get_layer(layer_id)
    sample = Sample([], [])
    with psycopg.connect(gisdb.libpq_dsn(url), autocommit=True) as conn:
        for z, x, y in tiles:
            sample.add(*floor_tile(conn, layer, z, x, y, tile_only=tile_only))
    return sample


def measure_interleaved(server: Server, url: str, layer_id: str,
                        tiles: list[tuple[int, int, int]],
                        client: http.client.HTTPConnection | None = None) -> tuple[Sample, Sample]:
    """The floor and our endpoint tile by tile in turn, so that both meet the same load.

    On a shared machine the load changes from minute to minute; measuring the floor in one
    block and the server in another compares two different machines. Both keep their
    connection (psycopg, HTTP keep-alive) across tiles; the HTTP request accepts gzip. With
    `client`, over that kept-alive connection (left open).
    """
    layer = get_layer(layer_id)
    floor, ours = Sample([], []), Sample([], [])
    connection = client or http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        with psycopg.connect(gisdb.libpq_dsn(url), autocommit=True) as conn:
            for z, x, y in tiles:
                floor.add(*floor_tile(conn, layer, z, x, y))
                ours.add(*get_tile(connection, server,
                                   server.path.format(layer=layer_id, z=z, x=x, y=y)))
    finally:
        if connection is not client:
            connection.close()
    return floor, ours


def run_wrk(server: Server, layer: str, tiles: list[tuple[int, int, int]],
            seconds: int = WRK_SECONDS, *, keep_alive: bool = True) -> float:
    """Tiles per second under `wrk -t2 -c4` accepting gzip, cycling through the z16 tiles
    (with `Connection: close` on every request unless `keep_alive`)."""
    paths = [server.path.format(layer=layer, z=z, x=x, y=y) for z, x, y in tiles]
    quoted = ",".join('"' + p.replace('"', "") + '"' for p in paths)
    headers = "['Accept-Encoding'] = 'gzip'" + ("" if keep_alive else ", ['Connection'] = 'close'")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("local paths = {" + quoted + "}\nlocal i = 0\n"
                     "request = function()\n  i = i % #paths + 1\n"
                     "  return wrk.format('GET', paths[i], {" + headers + "})\nend\n")
    try:
        result = subprocess.run(
            ["wrk", "-t2", "-c4", f"-d{seconds}s", "--timeout", "10s", "-s", script.name,
             f"http://127.0.0.1:{server.port}"],
            capture_output=True, text=True, timeout=seconds + 30, check=True)
    finally:
        os.unlink(script.name)
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if not match:
        raise RuntimeError(f"wrk printed no rate:\n{result.stdout}\n{result.stderr}")
    if errors:
        raise RuntimeError(f"{server.name}: {errors.group(1)} failed responses under wrk")
    return float(match.group(1))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="reuse the bench database")
    parser.add_argument("--buildings", type=int, default=BUILDINGS,
                        help="building footprints to generate (fewer while developing; the "
                             "targets are for the default)")
    parser.add_argument("--wrk-seconds", type=int, default=WRK_SECONDS)
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    cluster = LocalCluster(ROOT / "var" / "pg")
    cluster.up()
    url = cluster.url(DB_NAME)
    prepare_database(url, args.keep, args.buildings)
    tiles, warmup = pick_tiles(url)
    dsn = gisdb.libpq_dsn(url)
    python_bin = str(Path(sys.executable).parent)

    ours_port, tipg_port, noop_port, nocache_port, bare_port = (free_port() for _ in range(5))
    # As `naeringskart serve` runs it: 2 threaded workers (keep-alive, like uvicorn's).
    ours_cmd = [f"{python_bin}/gunicorn", "-w", "2", *GUNICORN_THREADS, "-b",
                f"127.0.0.1:{ours_port}", "--access-logfile", "/dev/null", "webmap.wsgi:app"]
    ours_env = {"NAERINGSKART_DATABASE_URL": url, "NAERINGSKART_ENV": "production",
                "NAERINGSKART_SECRET_KEY": "bench-only"}
    nocache_cmd = [*ours_cmd]
    nocache_cmd[nocache_cmd.index(f"127.0.0.1:{ours_port}")] = f"127.0.0.1:{nocache_port}"
    nocache_env = {**ours_env, "NAERINGSKART_TILE_CACHE_MB": "0"}
    tipg_cmd = [f"{python_bin}/uvicorn", "tipg.main:app", "--workers", "2", "--host",
                "127.0.0.1", "--port", str(tipg_port), "--no-access-log", "--log-level", "warning"]
    tipg_env = {"DATABASE_URL": dsn, "TIPG_DB_SCHEMAS": '["public"]',
                "TIPG_DB_TABLES": '["public.building_footprint","public.plan_area"]'}
    # tipg: the same properties as ours, from the layer's stored geometry (reprojected per request).
    tipg_paths = {
        "buildings": "/collections/public.building_footprint/tiles/WebMercatorQuad/{z}/{x}/{y}"
                     "?geom-column=geom&properties=bygningsnummer,bygningstype,bygningsgruppe",
        "zoning": "/collections/public.plan_area/tiles/WebMercatorQuad/{z}/{x}/{y}"
                  "?properties=code,code_name,category,arealbruksstatus,feltnavn",
    }
    results: dict[tuple[str, str, int], Sample] = {}
    rates: dict[str, float] = {}
    layers = ("buildings", "zoning")

    for layer in layers:
        for z in ZOOMS:
            measure_floor(url, layer, tiles[z][:20])  # warm the cache and the statements
            results[("sql", layer, z)] = measure_floor(url, layer, tiles[z], tile_only=True)

    noop_cmd = [f"{python_bin}/gunicorn", "-w", "2", *GUNICORN_THREADS, "-b",
                f"127.0.0.1:{noop_port}", "--access-logfile", "/dev/null",
                "--pythonpath", str(ROOT / "bench" / "support"), "noop_wsgi:app"]
    with serve("noop", noop_cmd, {}, noop_port, "/{layer}/{z}/{x}/{y}", "/") as noop:
        measure_http(noop, "noop", tiles[16][:20])
        results[("http0", "noop", 16)] = measure_http(noop, "noop", tiles[16])

    bare_cmd = [*noop_cmd[:-1], "floor_wsgi:app"]
    bare_cmd[bare_cmd.index(f"127.0.0.1:{noop_port}")] = f"127.0.0.1:{bare_port}"
    with serve("bare", bare_cmd, {"NAERINGSKART_DATABASE_URL": url}, bare_port,
               "/{layer}/{z}/{x}/{y}", "/") as bare:
        for layer in layers:
            for z in ZOOMS:
                measure_http(bare, layer, warmup[z])
                results[("floor-bare", layer, z)], results[("bare", layer, z)] = \
                    measure_interleaved(bare, url, layer, tiles[z])

    with serve("ours", ours_cmd, ours_env, ours_port, "/tiles/{layer}/{z}/{x}/{y}.mvt",
               "/api/layers") as ours:
        for layer in layers:
            for z in ZOOMS:
                # One kept-alive connection stays with one gunicorn worker, whose cache is
                # its own: warm-up, cold and warm pass all go to the same one.
                client = http.client.HTTPConnection("127.0.0.1", ours.port, timeout=60)
                measure_http(ours, layer, warmup[z], client=client)  # the measured stay cold
                results[("floor", layer, z)], results[("ours", layer, z)] = \
                    measure_interleaved(ours, url, layer, tiles[z], client)
                # The same tiles again: from the tile cache (its floor measured alongside).
                results[("floor-warm", layer, z)], results[("ours-warm", layer, z)] = \
                    measure_interleaved(ours, url, layer, tiles[z], client)
                client.close()
        rates["ours-cached"] = run_wrk(ours, "buildings", tiles[16], args.wrk_seconds)

    # The cache off: every request below cuts its tile, as the cold rows above.
    with serve("ours-nocache", nocache_cmd, nocache_env, nocache_port,
               "/tiles/{layer}/{z}/{x}/{y}.mvt", "/api/layers") as ours:
        for layer in layers:
            for z in ZOOMS:
                measure_http(ours, layer, warmup[z])
                results[("ours-nc", layer, z)] = measure_http(ours, layer, tiles[z],
                                                              keep_alive=False)
        rates["ours"] = run_wrk(ours, "buildings", tiles[16], args.wrk_seconds)
        rates["ours-nc"] = run_wrk(ours, "buildings", tiles[16], args.wrk_seconds,
                                   keep_alive=False)

    with serve("tipg", tipg_cmd, tipg_env, tipg_port, "", "/collections") as tipg:
        for layer in layers:
            tipg.path = tipg_paths[layer]
            for z in ZOOMS:
                measure_http(tipg, layer, tiles[z][:20])
                results[("tipg", layer, z)] = measure_http(tipg, layer, tiles[z])
                results[("tipg-nc", layer, z)] = measure_http(tipg, layer, tiles[z],
                                                              keep_alive=False)
        tipg.path = tipg_paths["buildings"]
        rates["tipg"] = run_wrk(tipg, "buildings", tiles[16], args.wrk_seconds)
        rates["tipg-nc"] = run_wrk(tipg, "buildings", tiles[16], args.wrk_seconds,
                                   keep_alive=False)

    return report(results, rates, args.wrk_seconds)


ROWS = (
    ("sql", "the ST_AsMVT query alone, through psycopg (no version lookup)"),
    ("floor", "the endpoint's whole statement (gis.tiles.answer_tile), through psycopg"),
    ("bare", "a bare WSGI app running the floor's statement under the same gunicorn, no gzip "
             "(p95/floor: the floor measured alongside)"),
    ("ours", "our endpoint, one kept-alive connection (tile by tile in turn with floor), "
             "each tile's first request (cold)"),
    ("ours-warm", "the same again: from our tile cache (p95/floor: the floor measured alongside)"),
    ("ours-nc", "our endpoint with the tile cache off, a new connection per tile"),
    ("tipg", "tipg, one kept-alive connection"),
    ("tipg-nc", "tipg, a new connection per tile"),
)


# Rows measured in their own pass, each against the floor measured alongside it.
FLOOR_OF = {"ours-warm": "floor-warm", "bare": "floor-bare"}


def report(results: dict[tuple[str, str, int], Sample], rates: dict[str, float],
           wrk_seconds: int = WRK_SECONDS) -> int:
    failures = []
    for row, meaning in ROWS:
        log(f"{row:<8} {meaning}")
    http0 = results[("http0", "noop", 16)]
    log(f"HTTP alone (a no-op WSGI app under the same gunicorn, kept-alive): "
        f"p50 {http0.p(0.5):.2f} ms, p95 {http0.p(0.95):.2f} ms")
    log("cache hits (X-Tile-Cache) of the cold / warm passes: " + ", ".join(
        f"{layer} z{z} {results[('ours', layer, z)].hits}/{results[('ours-warm', layer, z)].hits}"
        f" of {len(results[('ours', layer, z)].ms)}"
        for layer in ("buildings", "zoning") for z in ZOOMS))
    log(f"\n{'layer':<10}{'z':>3} {'server':<8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
        f"{'mean KB':>9}{'max KB':>9}{'p95/floor':>11}{'p95/tipg':>10}")
    for layer in ("buildings", "zoning"):
        for z in ZOOMS:
            floor = results[("floor", layer, z)]
            for server, _meaning in ROWS:
                s = results[(server, layer, z)]
                # Like with like: a new connection per tile is compared with tipg's the same.
                tipg = results[("tipg-nc" if server.endswith("-nc") else "tipg", layer, z)]
                base = results[(FLOOR_OF.get(server, "floor"), layer, z)]
                log(f"{layer:<10}{z:>3} {server:<9}{s.p(0.5):>8.2f}{s.p(0.95):>9.2f}"
                    f"{max(s.ms):>9.1f}{statistics.mean(s.sizes) / 1024:>9.1f}"
                    f"{max(s.sizes) / 1024:>9.1f}{s.p(0.95) / base.p(0.95):>11.2f}"
                    f"{s.p(0.95) / tipg.p(0.95):>10.2f}")
            ours = results[("ours", layer, z)]
            if ours.p(0.95) > 1.5 * floor.p(0.95):
                failures.append(f"{layer} z{z}: p95 {ours.p(0.95):.2f} ms > 1.5 x floor "
                                f"{floor.p(0.95):.2f} ms")
            # Uncompressed MVT (the floor's bytes are the endpoint's before gzip).
            if max(floor.sizes) > MAX_TILE_BYTES:
                failures.append(f"{layer} z{z}: a tile of {max(floor.sizes) / 1024:.0f} KB")
            if z == 12 and ours.p(0.95) >= 50:
                failures.append(f"{layer} z12: p95 {ours.p(0.95):.1f} ms >= 50 ms")
    ratios = []
    for suffix, how in (("", "kept-alive connections"), ("-nc", "Connection: close")):
        ratio = rates["ours" + suffix] / rates["tipg" + suffix]
        ratios.append(ratio)
        log(f"\nwrk z16 buildings, {wrk_seconds} s, -t2 -c4, {how}: ours "
            f"{rates['ours' + suffix]:.0f} tiles/s, tipg {rates['tipg' + suffix]:.0f} tiles/s, "
            f"ratio {ratio:.2f} (target >= 2)")
    log(f"  (tile cache off for these; with the cache on, kept-alive, every tile a hit: "
        f"{rates['ours-cached']:.0f} tiles/s, {rates['ours-cached'] / rates['tipg']:.2f} x tipg)")
    if min(ratios) < 2:
        failures.append(f"z16 throughput only {min(ratios):.2f} x tipg's")
    log("\n" + ("all targets met" if not failures else "MISSED:\n  " + "\n  ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
