/* Premises: pick the site and the building on a map or by search. A click on a site selects it in
   the list; a click on a building point fills in its bygningsnummer; typing a number suggests
   buildings. The form itself works without this script (list and typed number). */
(function () {
  "use strict";

  const container = document.getElementById("premises-map");
  const suggestions = document.getElementById("building-suggestions");
  const status = document.getElementById("picker-status");

  // Suggestions for every bygningsnummer field (premises and planned use).
  let pending = null;
  for (const input of document.querySelectorAll('input[name="building_number"]')) {
    input.addEventListener("input", () => {
      const query = input.value.replace(/\D/g, "");
      if (query.length < 2 || !container) return;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(container.dataset.search + "?q=" + encodeURIComponent(query), { signal: pending.signal })
        .then((r) => (r.ok ? r.json() : []))
        .then((found) => {
          suggestions.replaceChildren(...found.map((b) => {
            const option = document.createElement("option");
            option.value = b.number;
            option.label = b.label;
            return option;
          }));
        })
        .catch(() => {});
    });
  }

  if (!container || !window.L) return;
  const siteSelect = document.getElementById("p-site_id");
  const buildingInput = document.getElementById("p-building_number");
  const map = L.map(container).setView(
    [Number(container.dataset.lat), Number(container.dataset.lon)], Number(container.dataset.zoom));
  L.tileLayer("https://cache.kartverket.no/v1/wmts/1.0.0/topograatone/default/webmercator/{z}/{y}/{x}.png", {
    maxZoom: 19, attribution: "&copy; Kartverket",
  }).addTo(map);
  const say = (text) => { status.textContent = text; };
  const textNode = (value) => () => document.createTextNode(String(value ?? ""));

  const sites = L.geoJSON(null, {
    style: () => ({ color: "#1f4e79", weight: 2, fillOpacity: 0.2, className: "nk-pick-site" }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(textNode(feature.properties.name));
      layer.on("click", () => {
        siteSelect.value = String(feature.properties.id);
        say(status.dataset.pickedSite + ": " + feature.properties.name);
      });
    },
  }).addTo(map);
  fetch(container.dataset.sites, { credentials: "same-origin" })
    .then((r) => r.json())
    .then((data) => {
      sites.addData(data);
      container.dataset.loadedSites = String(data.features.length);
      const chosen = Number(siteSelect.value);
      sites.eachLayer((layer) => {
        if (chosen && layer.feature.properties.id === chosen) map.fitBounds(layer.getBounds(), { maxZoom: 17 });
      });
    });

  const buildings = L.geoJSON(null, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      radius: 6, color: "#7a3d00", weight: 2, fillOpacity: 0.6, className: "nk-pick-building",
    }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(textNode(feature.properties.label));
      layer.on("click", () => {
        buildingInput.value = feature.properties.number;
        say(status.dataset.pickedBuilding + ": " + feature.properties.label);
      });
    },
  }).addTo(map);
  let controller = null;
  function loadBuildings() {
    if (controller) controller.abort();
    buildings.clearLayers();
    if (map.getZoom() < 15) return;
    controller = new AbortController();
    const b = map.getBounds();
    const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(",");
    fetch(container.dataset.buildings + "?bbox=" + bbox, { signal: controller.signal, credentials: "same-origin" })
      .then((r) => r.json())
      .then((data) => {
        buildings.addData(data);
        container.dataset.loadedBuildings = String(data.features.length);
      })
      .catch(() => {});
  }
  map.on("moveend", loadBuildings);
  loadBuildings();
  window.NaeringskartPremisesMap = map;
})();
