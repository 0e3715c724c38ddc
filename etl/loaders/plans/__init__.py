"""Plans (kommuneplanens arealdel, reguleringsplaner of PBL 2008 and 1985) from SOSI, national
plan GML, GeoJSON, GeoPackage or Shapefile into `plan` and `plan_area`.

Every file is normalised to plan records (NasjonalArealplanId = kommunenummer +
planidentifikasjon) and plan areas whose codes are resolved against their code list. A plan
already loaded gets a new version: the old rows stay with is_current = false.
"""

from __future__ import annotations

from etl.errors import LoadError
from etl.job import LoadJob, Staged
from etl.loaders.plans.reading import open_features
from etl.loaders.plans.staging import stage_and_publish
from etl.readers import gml
from etl.runs import Counts


def load_plans(job: LoadJob) -> Staged:
    """Load every plan in the file; each replaces the current version of the same plan."""
    path = job.path
    if path.stat().st_size == 0:
        raise LoadError(f"{path.name}: the file is empty")
    counts = Counts()
    # First, so a broken tag is reported with its line rather than as GDAL's parse failure.
    links = gml.scan(path).links if gml.is_gml(path) else {}
    epsg, features = open_features(path, job, counts.warnings)
    stage_and_publish(job.conn, path, epsg, features, job.run_id, job.storage_srid, counts,
                      job.progress, links)
    return Staged(counts.read, counts.written, counts.repaired, tuple(counts.warnings))
