/* Invester i …: the catalogue map linked with the list, the fact-sheet map, the shortlist.
   Every text from the data is set with textContent, never innerHTML. The pages work without
   this script; it only adds the maps, in-page filtering and a remembered shortlist. */
(function () {
  "use strict";

  const SHORTLIST_KEY = "naeringskart.shortlist";
  const MAX_SHORTLIST = 4;
  const TILES = "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png";
  const ATTRIBUTION = '&copy; <a href="https://www.kartverket.no/">Kartverket</a>';
  const SITE_STYLE = { color: "#b35900", weight: 2, fillColor: "#ff9933", fillOpacity: 0.45 };
  const SELECTED_STYLE = { color: "#1a1a1a", weight: 5, fillColor: "#ffcc80", fillOpacity: 0.7 };

  // -- shortlist (kept in the browser only) -----------------------------------------------
  function readShortlist() {
    try {
      const keys = JSON.parse(window.localStorage.getItem(SHORTLIST_KEY) || "[]");
      return Array.isArray(keys) ? keys.filter((k) => typeof k === "string").slice(0, MAX_SHORTLIST) : [];
    } catch (error) {
      return [];
    }
  }

  function writeShortlist(keys) {
    try {
      window.localStorage.setItem(SHORTLIST_KEY, JSON.stringify(keys.slice(0, MAX_SHORTLIST)));
    } catch (error) {
      /* Private mode: the checkboxes still work for this page. */
    }
  }

  function compareUrl(base, keys) {
    return base + (keys.length ? "?sites=" + keys.map(encodeURIComponent).join(",") : "");
  }

  function bindShortlist(root, mapElement) {
    const form = root.querySelector("#compare-form");
    if (!form) return;
    const status = root.querySelector("#compare-status");
    const boxes = Array.from(form.querySelectorAll("input.nk-shortlist"));
    const selection = root.querySelector("#compare-selection");
    const keys = readShortlist();
    boxes.forEach((box) => { box.checked = keys.includes(box.value); });

    // The sticky bar names what is chosen ("Valgt for sammenligning (2 av 4): A, B").
    function showSelection() {
      if (!selection) return;
      const chosen = readShortlist();
      selection.hidden = false;
      if (!chosen.length) { selection.textContent = selection.dataset.labelNone; return; }
      const names = chosen.map((key) => {
        const link = root.querySelector("#site-" + CSS.escape(key) + " .nk-site-name a");
        return link ? link.textContent.trim() : key;
      });
      selection.textContent = selection.dataset.labelChosen + " (" + chosen.length + "/" +
        selection.dataset.max + "): " + names.join(", ");
    }
    showSelection();
    boxes.forEach((box) => box.addEventListener("change", () => {
      let current = readShortlist();
      if (box.checked) {
        if (!current.includes(box.value) && current.length >= MAX_SHORTLIST) {
          box.checked = false;
          if (status) status.textContent = mapElement.dataset.labelCompareFull;
          showSelection();
          return;
        }
        if (!current.includes(box.value)) current.push(box.value);
      } else {
        current = current.filter((k) => k !== box.value);
      }
      if (status) status.textContent = "";
      writeShortlist(current);
      showSelection();
    }));
    form.addEventListener("submit", (event) => {
      const chosen = readShortlist();
      if (!chosen.length) return;
      event.preventDefault();
      window.location.assign(compareUrl(form.getAttribute("action"), chosen));
    });
  }

  // -- maps ------------------------------------------------------------------------------
  function baseMap(element, options) {
    const map = L.map(element, Object.assign({ zoomControl: true }, options || {}));
    const tiles = L.tileLayer(TILES, { attribution: ATTRIBUTION, maxZoom: 20, maxNativeZoom: 18 }).addTo(map);
    // Offline basemap: a simple background from our own data, so the map is never blank.
    if (window.NaeringskartBackground && element.dataset.background) {
      window.NaeringskartBackground.watch(map, tiles, JSON.parse(element.dataset.background));
    }
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  // Leaflet parses string content as HTML: site names go in as text nodes.
  function asText(value) {
    return () => document.createTextNode(String(value ?? ""));
  }

  function popupContent(feature, labels) {
    const p = feature.properties;
    const root = document.createElement("div");
    root.className = "nk-popup";
    const heading = document.createElement("h2");
    heading.className = "nk-popup-title";
    heading.textContent = p.name;
    const facts = document.createElement("p");
    facts.textContent = labels.area + ": " + p.area_label + " · " + labels.readiness + ": " + p.readiness_label;
    const link = document.createElement("a");
    link.href = p.url;
    link.className = "nk-popup-link";
    link.textContent = labels.show;
    root.append(heading, facts, link);
    return root;
  }

  function initCatalogue(mapElement) {
    const labels = {
      area: mapElement.dataset.labelArea, readiness: mapElement.dataset.labelReadiness,
      show: mapElement.dataset.labelShow,
    };
    const map = baseMap(mapElement);
    map.setView([Number(mapElement.dataset.lat), Number(mapElement.dataset.lon)], Number(mapElement.dataset.zoom));
    mapElement.setAttribute("aria-label", mapElement.dataset.labelMap);
    const shapes = new Map();
    let selectedKey = null;
    const layer = L.geoJSON(null, {
      style: () => Object.assign({ className: "nk-site-shape" }, SITE_STYLE),
      onEachFeature: (feature, shape) => {
        shapes.set(feature.properties.site_key, shape);
        shape.bindPopup(() => popupContent(feature, labels));
        shape.bindTooltip(asText(feature.properties.name));
        shape.on("click", () => select(feature.properties.site_key, { fromMap: true }));
      },
    }).addTo(map);

    function select(key, how) {
      if (selectedKey && shapes.has(selectedKey)) shapes.get(selectedKey).setStyle(SITE_STYLE);
      document.querySelectorAll(".nk-site.is-selected").forEach((item) => {
        item.classList.remove("is-selected");
        item.removeAttribute("aria-current");
      });
      selectedKey = key;
      const shape = shapes.get(key);
      if (shape) {
        shape.setStyle(SELECTED_STYLE);
        shape.bringToFront();
        mapElement.dataset.selected = key;
        if (!how.fromMap) {
          map.fitBounds(shape.getBounds(), { maxZoom: 16, animate: false });
          shape.openPopup();
        }
      }
      const item = document.getElementById("site-" + key);
      if (item) {
        item.classList.add("is-selected");
        item.setAttribute("aria-current", "true");
        if (how.fromMap) {
          item.scrollIntoView({ block: "nearest" });
          const link = item.querySelector(".nk-site-name a");
          if (link) link.focus({ preventScroll: true });
        }
      }
    }

    function bindList(root) {
      root.querySelectorAll(".nk-show-on-map").forEach((button) => {
        button.hidden = false;
        button.addEventListener("click", () => select(button.dataset.siteKey, { fromMap: false }));
      });
      bindShortlist(root, mapElement);
    }

    let controller = null;
    async function load(url) {
      if (controller) controller.abort();
      controller = new AbortController();
      delete mapElement.dataset.loadedCount;
      try {
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/geo+json" } });
        if (!response.ok) throw new Error("HTTP " + response.status);
        const data = await response.json();
        layer.clearLayers();
        shapes.clear();
        selectedKey = null;
        layer.addData(data);
        layer.eachLayer((shape) => {
          const element = shape.getElement && shape.getElement();
          if (element) element.setAttribute("data-site-key", shape.feature.properties.site_key);
        });
        if (data.features.length) map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20], animate: false });
        mapElement.dataset.loadedCount = String(data.features.length);
      } catch (error) {
        if (error.name !== "AbortError") console.warn("Næringskart:", error.message);
      }
    }

    const results = document.getElementById("results");
    bindList(results);
    load(results.dataset.geojsonUrl);

    // Filtering in place: the same GET the form makes, with the list swapped and the map reloaded.
    const form = document.getElementById("filter-form");
    const announcer = document.getElementById("results-announcer");
    async function applyFilters(url, push) {
      const response = await fetch(url, { headers: { Accept: "text/html" } });
      if (!response.ok) { window.location.assign(url); return; }
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = doc.getElementById("results");
      if (!fresh) { window.location.assign(url); return; }
      results.replaceChildren(...Array.from(fresh.childNodes).map((node) => document.importNode(node, true)));
      results.dataset.geojsonUrl = fresh.dataset.geojsonUrl;
      const other = doc.querySelector(".language-nav a");
      const mine = document.querySelector(".language-nav a");
      if (other && mine) mine.setAttribute("href", other.getAttribute("href"));
      if (push) window.history.pushState({ nkFilters: true }, "", url);
      const count = results.querySelector("#result-count");
      if (announcer && count) announcer.textContent = count.textContent.trim();
      bindList(results);
      await load(results.dataset.geojsonUrl);
    }
    if (form) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const params = new URLSearchParams();
        new FormData(form).forEach((value, key) => { if (String(value).trim() !== "") params.append(key, value); });
        const query = params.toString();
        applyFilters(form.getAttribute("action") + (query ? "?" + query : ""), true);
      });
      window.addEventListener("popstate", () => window.location.reload());
    }
    window.NaeringskartInvestor = { map, select };
  }

  // A north arrow: the map is always north up, and a printed sheet should say so.
  function northArrow(label) {
    const control = L.control({ position: "topright" });
    control.onAdd = () => {
      const box = L.DomUtil.create("div", "nk-north-arrow leaflet-control");
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", label);
      box.textContent = "▲\nN";
      return box;
    };
    return control;
  }

  const CONTEXT_POINTS = {
    building: { radius: 3, color: "#333333", fillColor: "#666666", fillOpacity: 0.9, weight: 1 },
    station: { radius: 7, color: "#ffffff", fillColor: "#c8102e", fillOpacity: 1, weight: 2 },
    stop: { radius: 5, color: "#ffffff", fillColor: "#0b5cad", fillOpacity: 1, weight: 2 },
    junction: { radius: 7, color: "#1a1a1a", fillColor: "#ffd400", fillOpacity: 1, weight: 2 },
  };

  function contextLayer(collection) {
    return L.geoJSON(collection, {
      style: (feature) => (feature.properties.kind === "road"
        ? { className: "nk-context-road", color: "#c83c1e", weight: 4, opacity: 0.8 }
        : feature.properties.kind === "zoning"
        ? { className: "nk-context-zoning", color: "#555555", weight: 1,
          fillColor: feature.properties.fill || "#cccccc", fillOpacity: 0.45 }
        : Object.assign({ className: "nk-context-" + feature.properties.kind },
          CONTEXT_POINTS[feature.properties.kind] || CONTEXT_POINTS.stop)),
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, Object.assign(
        { className: "nk-context-" + feature.properties.kind }, CONTEXT_POINTS[feature.properties.kind] || CONTEXT_POINTS.stop)),
      onEachFeature: (feature, shape) => {
        const p = feature.properties;
        const text = p.kind === "zoning" ? (p.code || "") + (p.name ? " – " + p.name : "") : p.name;
        if (text) shape.bindTooltip(asText(text));
      },
    });
  }

  function initSiteMap(element) {
    const geometry = JSON.parse(element.dataset.geometry);
    const map = baseMap(element, { scrollWheelZoom: false });
    if (element.dataset.context) contextLayer(JSON.parse(element.dataset.context)).addTo(map);
    northArrow(element.dataset.labelNorth).addTo(map);
    const shape = L.geoJSON(geometry, { style: () => Object.assign({ className: "nk-site-shape" }, SELECTED_STYLE) }).addTo(map);
    // Room around the site for its surroundings: roads, stations and neighbouring zoning.
    map.fitBounds(shape.getBounds().pad(1.5), { maxZoom: 17, animate: false });
    element.dataset.loaded = "1";
  }

  function initSheetButtons() {
    const print = document.querySelector(".nk-print");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", () => window.print());
    }
    const toggle = document.querySelector(".nk-shortlist-toggle");
    const compareLink = document.querySelector(".nk-compare-link");
    if (toggle) {
      const key = toggle.dataset.siteKey;
      const render = () => {
        const keys = readShortlist();
        const on = keys.includes(key);
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
        if (compareLink) {
          compareLink.hidden = keys.length === 0;
          compareLink.href = compareUrl(compareLink.getAttribute("href").split("?")[0], keys);
        }
      };
      toggle.hidden = false;
      toggle.addEventListener("click", () => {
        let keys = readShortlist();
        const status = document.getElementById("sheet-compare-status");
        if (status) status.textContent = "";
        if (keys.includes(key)) keys = keys.filter((k) => k !== key);
        else if (keys.length < MAX_SHORTLIST) keys.push(key);
        else if (status) status.textContent = status.dataset.labelCompareFull;
        writeShortlist(keys);
        render();
      });
      render();
    }
    const clear = document.querySelector(".nk-clear-shortlist");
    if (clear) {
      clear.hidden = false;
      clear.addEventListener("click", () => { writeShortlist([]); clear.disabled = true; });
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const catalogueMap = document.getElementById("investor-map");
    if (catalogueMap && window.L) initCatalogue(catalogueMap);
    const siteMap = document.getElementById("site-map");
    if (siteMap && window.L) initSiteMap(siteMap);
    initSheetButtons();
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
