/* Næringskart: small layers fetched by bbox, popups built with textContent (never innerHTML). */
(function () {
  "use strict";

  function formatValue(value, lang) {
    if (value === null || value === undefined || value === "") return "–";
    if (typeof value === "number") return value.toLocaleString(lang === "en" ? "en-GB" : "nb-NO");
    if (typeof value === "boolean") return value ? (lang === "en" ? "yes" : "ja") : (lang === "en" ? "no" : "nei");
    return String(value);
  }

  function popupContent(feature, options) {
    const root = document.createElement("div");
    root.className = "nk-popup";
    const heading = document.createElement("h2");
    heading.className = "nk-popup-title";
    const labelValue = options.labelColumn ? feature.properties[options.labelColumn] : null;
    heading.textContent = formatValue(labelValue ?? options.title, options.lang);
    root.appendChild(heading);
    const list = document.createElement("dl");
    for (const field of options.popup) {
      const term = document.createElement("dt");
      term.textContent = field.label;
      const detail = document.createElement("dd");
      detail.textContent = formatValue(feature.properties[field.column], options.lang);
      list.append(term, detail);
    }
    root.appendChild(list);
    return root;
  }

  function clampedBbox(map) {
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    return [
      clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90),
    ].map((v) => v.toFixed(6)).join(",");
  }

  function bboxLayer(map, options) {
    const style = Object.assign({}, options.style, { className: "nk-feature nk-layer-" + options.id });
    const layer = L.geoJSON(null, {
      style: () => style,
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, Object.assign({ radius: 6 }, style)),
      onEachFeature: (feature, featureLayer) => {
        if (options.popup.length) featureLayer.bindPopup(() => popupContent(feature, options));
        if (options.labelColumn) {
          featureLayer.bindTooltip(formatValue(feature.properties[options.labelColumn], options.lang));
        }
      },
    });
    let controller = null;
    async function refresh() {
      if (!map.hasLayer(layer)) return;
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch(options.url + "?bbox=" + clampedBbox(map), { signal: controller.signal });
        if (!response.ok) throw new Error(options.id + ": HTTP " + response.status);
        const data = await response.json();
        layer.clearLayers();
        layer.addData(data);
        map.getContainer().dataset["loaded" + options.id.replace(/(^|_)(\w)/g, (m, s, c) => c.toUpperCase())] =
          String(data.features.length);
        layer.fire("nk:loaded", { count: data.features.length });
      } catch (error) {
        if (error.name !== "AbortError") console.warn("Næringskart:", error.message);
      }
    }
    map.on("moveend", refresh);
    layer.on("add", refresh);
    return layer;
  }

  function watchBasemap(map, tileLayer, noticeId) {
    let failures = 0;
    tileLayer.on("tileerror", () => {
      failures += 1;
      const notice = document.getElementById(noticeId);
      if (notice && failures >= 2) notice.hidden = false;
    });
  }

  window.Naeringskart = { bboxLayer, watchBasemap, maps: [] };
})();
