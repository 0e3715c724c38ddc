/* "Finn riktig tomt": the ranked sites on a small map; the list beside it works without this. */
(function () {
  "use strict";
  const element = document.getElementById("abc-map");
  const source = document.getElementById("abc-map-data");
  if (!element || !source || !window.L) return;
  const data = JSON.parse(source.textContent);
  const map = L.map(element, { scrollWheelZoom: false });
  const tiles = L.tileLayer(
    "https://cache.kartverket.no/v1/wmts/1.0.0/topograatone/default/webmercator/{z}/{y}/{x}.png",
    { maxZoom: 20, maxNativeZoom: 18, attribution: '&copy; <a href="https://www.kartverket.no/">Kartverket</a>' });
  tiles.addTo(map);
  const layer = L.geoJSON(data, {
    style: () => ({ color: "#1d3f73", weight: 2, fillColor: "#4a7fc1", fillOpacity: 0.45,
                    className: "abc-site" }),
  }).addTo(map);
  // The map needs its view before markers get their elements.
  if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20] });
  layer.eachLayer((feature) => {
    const props = feature.feature.properties;
    const centre = feature.getBounds().getCenter();
    const label = L.marker(centre, {
      icon: L.divIcon({ className: "abc-rank", html: "", iconSize: [28, 28] }),
      keyboard: false,
    }).addTo(map);
    // Text through textContent: site names are never parsed as HTML.
    label.getElement().textContent = String(props.rank);
    label.getElement().setAttribute("aria-hidden", "true");
    const go = () => {
      const item = document.getElementById(props.anchor);
      if (item) { item.focus(); item.scrollIntoView({ block: "nearest" }); }
    };
    label.on("click", go);
    feature.on("click", go);
    // A text node: Leaflet would parse a string as HTML.
    const tooltip = props.rank + ". " + props.name + " (ABC " + props.abc_class + ")";
    feature.bindTooltip(() => document.createTextNode(tooltip));
  });
  element.dataset.loadedResults = String(layer.getLayers().length);
})();
