#!/usr/bin/env bash
# Refreshes the browser libraries in static/vendor/ from the npm registry.
# The copies are committed so that the map runs with no network; run this
# only to upgrade, then commit the result. Versions are pinned here.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(
  "leaflet@1.9.4:dist:leaflet"
  "leaflet.vectorgrid@1.3.0:dist/Leaflet.VectorGrid.bundled.min.js:leaflet.vectorgrid"
  "leaflet.fullscreen@5.3.3:dist/Control.FullScreen.umd.js,dist/Control.FullScreen.css:leaflet.fullscreen"
  "leaflet.locatecontrol@0.90.1:dist/L.Control.Locate.min.js,dist/L.Control.Locate.min.css:leaflet.locatecontrol"
  "leaflet.polylinemeasure@3.0.0:Leaflet.PolylineMeasure.js,Leaflet.PolylineMeasure.css:leaflet.polylinemeasure"
)
# Several paths of one package are separated by commas.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${packages[@]}"; do
  IFS=: read -r spec path target <<<"$entry"
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  mkdir -p "$work/unpacked"
  tar -xzf "$tarball" -C "$work/unpacked"
  rm -rf "static/vendor/$target"
  mkdir -p "static/vendor/$target"
  IFS=, read -r -a paths <<<"$path"
  for one in "${paths[@]}"; do
    cp -r "$work/unpacked/package/$one" "static/vendor/$target/"
  done
  cp "$work/unpacked/package/LICENSE"* "static/vendor/$target/" 2>/dev/null || true
  echo "$spec" > "static/vendor/$target/VERSION"
  rm -rf "$work/unpacked" "$tarball"
done
find static/vendor -name '*.map' -delete
find static/vendor -name 'leaflet-src*' -delete
