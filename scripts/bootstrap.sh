#!/usr/bin/env bash
# Installs what `make demo` / `make test` need and is missing: Debian packages (as root or
# through sudo), then .venv with the project. Safe to run again: it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-demo}

# pgrouting: walking distances along the path network (ABC analysis).
packages=(postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting)
if [ "$purpose" = test ]; then
  # chromium: browser tests; gdal-bin: ogr2ogr cross-checks; docker-compose: validates the
  # compose file without an engine; wrk: the tile benchmark's load generator.
  packages+=(chromium gdal-bin docker-compose wrk)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt_get=(apt-get)
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    apt_get=(sudo apt-get)
  else
    echo "Næringskart needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    echo "Or run PostGIS with 'docker compose up db' and set NAERINGSKART_DATABASE_URL." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} ..."
  export DEBIAN_FRONTEND=noninteractive
  "${apt_get[@]}" update -qq
  "${apt_get[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Næringskart needs Python 3.11 or newer ($python is $("$python" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  touch "$stamp"
fi
