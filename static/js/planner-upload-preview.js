/* The bulk upload preview map: every row with an outline, coloured by what the upload does to it
   (new, changed, unchanged, rejected); an approximate square from a point is dashed. */
(function () {
  "use strict";

  const container = document.getElementById("preview-map");
  if (!container || !window.L) return;
  const colours = { new: "#1a7f37", changed: "#1f4e79", unchanged: "#555555", rejected: "#b00020" };
  const data = JSON.parse(container.dataset.features);
  const map = L.map(container, { zoomControl: true });
  L.tileLayer("https://cache.kartverket.no/v1/wmts/1.0.0/topograatone/default/webmercator/{z}/{y}/{x}.png", {
    maxZoom: 19, attribution: "&copy; Kartverket",
  }).addTo(map);
  const rows = L.geoJSON(data, {
    style: (f) => ({ color: colours[f.properties.kind] || "#000", weight: 2, fillOpacity: 0.3,
                     dashArray: f.properties.approximate ? "6 4" : null,
                     className: "nk-preview-row nk-preview-" + f.properties.kind }),
    onEachFeature: (feature, layer) => {
      // Names go in as text: Leaflet would parse a string as HTML.
      const label = document.createTextNode(feature.properties.row + ": " + feature.properties.name);
      layer.bindTooltip(() => label.cloneNode());
    },
  }).addTo(map);
  const bounds = rows.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 17 });
  container.dataset.loaded = String(data.features.length);
})();
