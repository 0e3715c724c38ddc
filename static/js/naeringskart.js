/* Næringskart: map layers (GeoJSON by bbox, vector tiles), style rules, escaped popups. */
(function () {
  "use strict";

  // Leaflet.VectorGrid 1.3.0 calls L.DomEvent.fakeStop, which Leaflet 1.8 removed
  // (Leaflet/Leaflet.VectorGrid#274); Leaflet 1.9 honours the _stopped flag it used to set.
  if (window.L && L.DomEvent && typeof L.DomEvent.fakeStop !== "function") {
    L.DomEvent.fakeStop = function (e) { e._stopped = true; return this; };
  }

  const layers = {};

  function formatValue(value, lang) {
    if (value === null || value === undefined || value === "") return "–";
    if (typeof value === "number") return value.toLocaleString(lang === "en" ? "en-GB" : "nb-NO");
    if (typeof value === "boolean") return value ? (lang === "en" ? "yes" : "ja") : (lang === "en" ? "no" : "nei");
    return String(value);
  }

  // Leaflet parses string content of tooltips and popups as HTML: planners' and data
  // suppliers' strings go in as text nodes (a fresh one each time the overlay opens).
  function asText(value) {
    return () => document.createTextNode(String(value ?? ""));
  }

  // A coded value's text in the page's language (a site status, a plan's status), else the value.
  function hasText(field, value) {
    // Texts for coded values arrive as a JSON string (the map config camelCases keys).
    if (typeof field.values === "string") field.values = JSON.parse(field.values || "{}");
    // Codes arrive as strings or numbers (vector tiles keep integers): look up either.
    const code = value === null || value === undefined ? null : String(value);
    return Boolean(field.values) && code !== null &&
      Object.prototype.hasOwnProperty.call(field.values, code);
  }

  function shownValue(field, value, lang) {
    return hasText(field, value) ? field.values[String(value)] : formatValue(value, lang);
  }

  // Text only (textContent): planners' and data suppliers' strings are never parsed as HTML.
  function popupContent(properties, options) {
    const root = document.createElement("div");
    root.className = "nk-popup";
    const heading = document.createElement("h2");
    heading.className = "nk-popup-title";
    const labelValue = options.labelColumn ? properties[options.labelColumn] : null;
    const labelField = options.popup.find((f) => f.column === options.labelColumn);
    const named = labelValue !== null && labelValue !== undefined && labelValue !== "";
    heading.textContent = !named
      ? options.title
      : (labelField ? shownValue(labelField, labelValue, options.lang) : formatValue(labelValue, options.lang));
    root.appendChild(heading);
    const layerName = document.createElement("p");
    layerName.className = "nk-popup-layer";
    layerName.textContent = options.title;
    root.appendChild(layerName);
    const list = document.createElement("dl");
    for (const field of options.popup) {
      if (!(field.column in properties)) continue;
      // The heading already names the feature.
      if (named && field.column === options.labelColumn) continue;
      if (field.hideUnknown && !hasText(field, properties[field.column])) continue;
      const term = document.createElement("dt");
      term.textContent = field.label;
      const detail = document.createElement("dd");
      detail.textContent = shownValue(field, properties[field.column], options.lang);
      list.append(term, detail);
    }
    root.appendChild(list);
    // A link to the feature's own page (a site's fact sheet); the key is URL-encoded, the
    // label set as text.
    const link = options.link;
    const key = link ? properties[link.column] : null;
    if (link && key !== null && key !== undefined && key !== "") {
      const anchor = document.createElement("a");
      anchor.className = "nk-popup-link";
      anchor.href = link.url.split(link.placeholder).join(encodeURIComponent(String(key)));
      anchor.textContent = link.label;
      root.appendChild(anchor);
    }
    return root;
  }

  function matches(condition, properties) {
    return Object.entries(condition).every(([key, wanted]) => {
      const value = properties[key];
      if (wanted !== null && typeof wanted === "object") {
        if ("gte" in wanted && !(Number(value) >= wanted.gte)) return false;
        if ("lt" in wanted && !(Number(value) < wanted.lt)) return false;
        return true;
      }
      return value === wanted || String(value) === String(wanted);
    });
  }

  // The rules arrive as a JSON string (the map config would camelCase their property names).
  function rulesOf(options) {
    if (typeof options.styleRules === "string") options.styleRules = JSON.parse(options.styleRules || "{}");
    return (options.styleRules && options.styleRules.rules) || [];
  }

  // Base style, then every matching rule in order (later rules win).
  function styleFor(options, properties) {
    const style = Object.assign({}, options.style);
    for (const rule of rulesOf(options)) {
      if (matches(rule.if, properties || {})) Object.assign(style, rule.style);
    }
    return style;
  }

  function clampedBbox(map) {
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    return [
      clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90),
    ].map((v) => v.toFixed(6)).join(",");
  }

  function datasetKey(id) {
    return "loaded" + id.replace(/(^|_)(\w)/g, (m, s, c) => c.toUpperCase());
  }

  // A feature's identity across reloads: its id from the API (the layer's key column).
  function featureKey(feature) {
    return feature.id !== undefined && feature.id !== null ? String(feature.id) : null;
  }

  // Each pan reloads the layer: features still in view keep their shapes (and an open popup
  // stays open; autopanning to show it is itself a pan), only new ones are added and those
  // gone from view removed. A feature whose popup is open is kept even when out of view.
  function replaceFeatures(layer, data) {
    const wanted = new Map();
    for (const feature of data.features) {
      const key = featureKey(feature);
      if (key !== null) wanted.set(key, feature);
    }
    const kept = new Set();
    for (const featureLayer of layer.getLayers()) {
      const key = featureKey(featureLayer.feature);
      if (key !== null && wanted.has(key)) {
        kept.add(key);
      } else if (!(featureLayer.isPopupOpen && featureLayer.isPopupOpen())) {
        layer.removeLayer(featureLayer);
      }
    }
    const added = data.features.filter((f) => !kept.has(featureKey(f)));
    if (added.length) layer.addData({ type: "FeatureCollection", features: added });
  }

  function bboxLayer(map, options) {
    const className = "nk-feature nk-layer-" + options.id;
    const layer = L.geoJSON(null, {
      style: (feature) => Object.assign(styleFor(options, feature.properties), { className }),
      pointToLayer: (feature, latlng) => L.circleMarker(latlng,
        Object.assign({ radius: 6 }, styleFor(options, feature.properties), { className })),
      onEachFeature: (feature, featureLayer) => {
        if (options.popup.length) featureLayer.bindPopup(() => popupContent(feature.properties, options));
        if (options.labelColumn) {
          featureLayer.bindTooltip(asText(formatValue(feature.properties[options.labelColumn], options.lang)));
        }
      },
    });
    layer.nkOptions = options;
    let controller = null;
    async function refresh() {
      if (!map.hasLayer(layer)) return;
      if (controller) controller.abort();
      if (map.getZoom() < (options.minZoom || 0)) {
        layer.clearLayers();
        return;
      }
      controller = new AbortController();
      try {
        const response = await fetch(options.url + "?bbox=" + clampedBbox(map), { signal: controller.signal });
        if (!response.ok) throw new Error(options.id + ": HTTP " + response.status);
        const data = await response.json();
        replaceFeatures(layer, data);
        map.getContainer().dataset[datasetKey(options.id)] = String(data.features.length);
        layer.fire("nk:loaded", { count: data.features.length });
      } catch (error) {
        if (error.name !== "AbortError") console.warn("Næringskart:", error.message);
      }
    }
    map.on("moveend", refresh);
    layer.on("add", refresh);
    layers[options.id] = layer;
    return layer;
  }

  function tileLayer(map, options) {
    const styles = {};
    styles[options.id] = (properties) => styleFor(options, properties);
    const layer = L.vectorGrid.protobuf(options.url, {
      rendererFactory: L.canvas.tile,
      vectorTileLayerStyles: styles,
      interactive: options.popup.length > 0,
      minZoom: options.minZoom,
      maxNativeZoom: options.maxNativeZoom,
      maxZoom: 22,
      pane: "overlayPane",
      attribution: "",
    });
    layer.nkOptions = options;
    let drawn = 0;
    layer.on("tileload", () => {
      drawn += 1;
      map.getContainer().dataset[datasetKey(options.id) + "Tiles"] = String(drawn);
    });
    layer.on("click", (event) => {
      const properties = (event.layer && event.layer.properties) || {};
      L.popup({ maxWidth: 320 }).setLatLng(event.latlng)
        .setContent(popupContent(properties, options)).openOn(map);
    });
    layers[options.id] = layer;
    return layer;
  }

  // When the basemap's tiles fail: say so, and draw the local background from our own data.
  function watchBasemap(map, tileLayer, noticeId, background) {
    if (!window.NaeringskartBackground) return;
    window.NaeringskartBackground.watch(map, tileLayer, background, () => {
      const notice = document.getElementById(noticeId);
      if (notice) notice.hidden = false;
    });
  }

  // Phones: the layer list and legend start collapsed so that the map is visible.
  function narrowScreen() {
    return window.matchMedia("(max-width: 700px)").matches;
  }

  window.Naeringskart = {
    narrowScreen, bboxLayer, tileLayer, watchBasemap, styleFor, popupContent, formatValue, asText, layers, maps: [],
  };
})();
