-- Sites that pass every hard filter but the area: the closest in size first, so a business
-- sees what it would get by asking for a little less.
SELECT s.site_key, s.name, s.area_m2, %(min_area_m2)s::float8 - s.area_m2 AS short_by_m2,
       s.fictional
FROM site s
WHERE s.published AND s.status = 'ledig'
  AND s.zoning_code = ANY(%(codes)s::text[])
  AND s.area_m2 < %(min_area_m2)s::float8
ORDER BY short_by_m2, s.site_key
LIMIT %(near_miss_limit)s::int
