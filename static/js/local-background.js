/* Næringskart: a simple background drawn from our own data (kommune, land cover and water,
   paths, main roads, buildings) once the online basemap's tiles fail, so that no map is blank.
   Needs naeringskart.js (style rules). */
(function () {
  "use strict";

  const PANE = "nkLocalBackground";
  // Tiles that fail before the background is drawn: one failure can be a glitch.
  const FAILURES_BEFORE_FALLBACK = 2;

  function bbox(map) {
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(6)).join(",");
  }

  function backgroundLayer(map, options, counts) {
    const layer = L.geoJSON(null, {
      pane: PANE, interactive: false,
      style: (feature) => Naeringskart.styleFor(options, feature.properties),
    }).addTo(map);
    let controller = null;
    async function refresh() {
      if (controller) controller.abort();
      if (map.getZoom() < (options.minZoom || 0)) { layer.clearLayers(); return; }
      controller = new AbortController();
      try {
        const response = await fetch(options.url + "?bbox=" + bbox(map), { signal: controller.signal });
        if (!response.ok) return;
        const data = await response.json();
        layer.clearLayers();
        layer.addData(data);
        counts[options.id] = data.features.length;
        map.getContainer().dataset.localBackground = JSON.stringify(counts);
      } catch (error) {
        if (error.name !== "AbortError") console.warn("Næringskart:", error.message);
      }
    }
    map.on("moveend", refresh);
    refresh();
    return layer;
  }

  function show(map, layers) {
    if (map.nkLocalBackground) return;
    map.nkLocalBackground = true;
    // Above where basemap tiles would be, beneath every overlay and marker.
    const pane = map.createPane(PANE);
    pane.style.zIndex = "250";
    pane.style.pointerEvents = "none";
    map.getContainer().classList.add("nk-local-background");
    const counts = {};
    for (const options of layers) backgroundLayer(map, options, counts);
  }

  // Draws the background once the basemap's tiles fail; `onFallback` runs once then.
  function watch(map, tileLayer, layers, onFallback) {
    let failures = 0;
    tileLayer.on("tileerror", () => {
      failures += 1;
      if (failures < FAILURES_BEFORE_FALLBACK || map.nkLocalBackground) return;
      show(map, layers || []);
      if (onFallback) onFallback();
    });
  }

  window.NaeringskartBackground = { watch, show };
})();
