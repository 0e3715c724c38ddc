-- Extra rows for the investor tests, placed around the demo sites (all fictional).
-- Two rail stations and a bus stop (the bus stop never counts as a rail station).
INSERT INTO transit_stop (stop_id, name, mode, geom) VALUES
  ('T:1', 'Asker stasjon', 'rail', ST_Transform(ST_SetSRID(ST_MakePoint(10.4347, 59.8336), 4326), 25832)),
  ('T:2', 'Heggedal stasjon', 'rail', ST_Transform(ST_SetSRID(ST_MakePoint(10.4420, 59.7870), 4326), 25832)),
  ('T:3', 'Bussholdeplass ved Tofte', 'bus', ST_Transform(ST_SetSRID(ST_MakePoint(10.5547, 59.5464), 4326), 25832));

-- A current detail plan covering ASK-001, a proposal and a replaced version that must not show.
INSERT INTO plan (id, nasjonal_arealplan_id, kommunenummer, planidentifikasjon, plannavn, plantype,
                  planstatus, ikrafttredelsesdato, version, is_current, geom)
SELECT v.id, v.nid, '3203', v.planid, v.navn, v.plantype, v.planstatus, DATE '2023-04-12', v.version,
       v.is_current, ST_Multi(ST_Buffer(s.geom, 20))
FROM site s, (VALUES
  (901, '3203-T1', 'T1', 'Detaljreguleringsplan for Asker nord næringsområde', 35, 3, 2, true),
  (902, '3203-T2', 'T2', 'Planforslag Asker nord', 35, 2, 1, true),
  (903, '3203-T1', 'T1', 'Gammel testplan Asker nord', 35, 3, 1, false)
) AS v(id, nid, planid, navn, plantype, planstatus, version, is_current)
WHERE s.site_key = 'ASK-001';
INSERT INTO plan_area (plan_id, code, code_list, code_name, utnytting_type, utnytting_tall, geom)
SELECT v.plan_id, v.code, 'rp_pbl2008', v.code_name, v.utyp, v.utall, ST_Multi(ST_Buffer(s.geom, 20))
FROM site s, (VALUES
  (901, '1310', 'Kontor', 18, 250),
  (902, '1150', 'Forretninger (FORSLAG)', NULL, NULL),
  (903, '1340', 'Industri (ERSTATTET)', NULL, NULL)
) AS v(plan_id, code, code_name, utyp, utall)
WHERE s.site_key = 'ASK-001';

-- The tettsted around ASK-001 with its workplaces, two buildings on the site, a centre nearby.
INSERT INTO tettsted (tettstednummer, name, population, geom)
SELECT '0201', 'Asker', 28410, ST_Multi(ST_Buffer(ST_PointOnSurface(geom), 3000))
FROM site WHERE site_key = 'ASK-001';
INSERT INTO statistic (source, table_id, indicator, region, region_type, year, value, unit, fictional)
VALUES ('test', 'tettsted', 'arbeidsplasser', '0201', 'tettsted', 2023, 11111, 'antall', true),
       ('test', 'tettsted', 'arbeidsplasser', 'Asker', 'tettsted', 2024, 12345, 'antall', true);
INSERT INTO building (bygningsnummer, bygningstype, bygningsstatus, geom)
SELECT v.nr, v.type, 'TB', ST_PointOnSurface(s.geom)
FROM site s, (VALUES ('B1', '311'), ('B2', '311'), ('B3', '231')) AS v(nr, type)
WHERE s.site_key = 'ASK-001';
INSERT INTO centre (name, level, geom)
VALUES ('Asker sentrum', 'regionsenter', ST_Transform(ST_SetSRID(ST_MakePoint(10.437, 59.834), 4326), 25832));

-- A published site whose name and text a planner typed with markup, plus internal fields.
INSERT INTO site (site_key, name, area_m2, status, readiness, zoning_code, ownership, tettsted,
                  description_nb, description_en, planner_note, contact_name, contact_email,
                  published, fictional, geom)
SELECT 'XSS-1', '<script>window.nkXss=1</script><b>Fet</b> tomt', 1234, 'ledig', 'regulert',
       '1340', 'privat', 'Asker', '<img src=x onerror="window.nkXss=2">', '<i>en</i>',
       'HEMMELIG-PLANLEGGERNOTAT', 'Skjult Person', 'skjult.person@example.no', true, true,
       ST_Multi(ST_Translate(geom, 400, 0))
FROM site WHERE site_key = 'ASK-001';

-- A main-road junction 1 km east of ASK-001 and a ferry quay by Slemmestad (road access facts).
INSERT INTO road_junction (name, vegnummer, geom)
SELECT 'Testkryss Drengsrud', 'E18', ST_Translate(ST_PointOnSurface(geom), 1000, 0)
FROM site WHERE site_key = 'ASK-001';
INSERT INTO transit_stop (stop_id, name, mode, geom) VALUES
  ('T:4', 'Slemmestad brygge', 'ferry', ST_Transform(ST_SetSRID(ST_MakePoint(10.4936, 59.7812), 4326), 25832));
-- A main road (E18) passing 150 m south of ASK-001, for the fact-sheet map.
INSERT INTO main_road (vegnummer, vegkategori, geom)
SELECT 'E18', 'E', ST_Multi(ST_MakeLine(ST_Translate(ST_PointOnSurface(geom), -800, -150),
                                ST_Translate(ST_PointOnSurface(geom), 800, -150)))
FROM site WHERE site_key = 'ASK-001';
