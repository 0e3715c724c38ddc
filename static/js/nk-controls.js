/* Næringskart map controls: legend, search (Kartverket), measure, locate, fullscreen, and the
   map state (centre, zoom, layers, selected site) in the URL. Text is set with textContent. */
(function () {
  "use strict";

  const NK = window.Naeringskart;

  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Leaflet controls swallow map events but must stay usable by keyboard and screen readers.
  function makeButtonAccessible(anchor, label) {
    if (!anchor) return;
    anchor.setAttribute("role", "button");
    anchor.setAttribute("aria-label", label);
    anchor.setAttribute("title", label);
    if (!anchor.getAttribute("href")) anchor.setAttribute("href", "#");
    anchor.addEventListener("click", (event) => event.preventDefault());
    anchor.addEventListener("keydown", (event) => {
      if (event.key === " ") { event.preventDefault(); anchor.click(); }
    });
  }

  function swatch(entry) {
    const box = el("span", { class: "nk-swatch nk-swatch-" + entry.pattern, "aria-hidden": "true" });
    box.style.backgroundColor = entry.fill === "none" ? "transparent" : entry.fill;
    if (entry.stroke) box.style.borderColor = entry.stroke;
    return box;
  }

  const Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd(map) {
      const root = el("details", { class: "nk-legend leaflet-bar", id: "nk-legend" });
      if (!NK.narrowScreen()) root.open = true;
      root.appendChild(el("summary", {}, this.options.strings.legend));
      const body = el("div", { class: "nk-legend-body" });
      for (const layer of this.options.legend) {
        const section = el("section", { class: "nk-legend-layer", "data-layer": layer.id });
        section.appendChild(el("h2", {}, layer.title));
        const list = el("ul");
        for (const entry of layer.entries) {
          const item = el("li");
          item.append(swatch(entry), el("span", {}, entry.label));
          list.appendChild(item);
        }
        section.appendChild(list);
        if (layer.zoomNote) section.appendChild(el("p", { class: "nk-legend-note" }, layer.zoomNote));
        body.appendChild(section);
      }
      root.appendChild(body);
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      const refresh = () => {
        for (const section of body.querySelectorAll(".nk-legend-layer")) {
          const layer = NK.layers[section.dataset.layer];
          section.hidden = !(layer && map.hasLayer(layer));
        }
      };
      map.on("layeradd layerremove", refresh);
      setTimeout(refresh, 0);
      return root;
    },
  });

  const Search = L.Control.extend({
    options: { position: "topleft" },
    onAdd(map) {
      const s = this.options.strings;
      const root = el("div", { class: "nk-search leaflet-bar" });
      const form = el("form", { role: "search", "aria-label": s.search });
      const label = el("label", { for: "nk-search-input", class: "visually-hidden" }, s.searchLabel);
      const input = el("input", { id: "nk-search-input", type: "search", autocomplete: "off",
        placeholder: s.searchPlaceholder, "aria-describedby": "nk-search-status" });
      const button = el("button", { type: "submit" }, s.search);
      const status = el("p", { id: "nk-search-status", class: "nk-search-status", role: "status" });
      const results = el("ul", { class: "nk-search-results", "aria-label": s.searchResults });
      form.append(label, input, button);
      root.append(form, status, results);
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      let marker = null;
      const show = (hit) => {
        map.setView([hit.lat, hit.lon], hit.zoom);
        if (marker) marker.remove();
        marker = null;
        // A site found opens its own popup instead of a marker.
        if (hit.siteKey) { openSite(map, this.options.siteLayer, this.options.siteKey, hit.siteKey); return; }
        marker = L.circleMarker([hit.lat, hit.lon], { radius: 9, color: "#1a1a1a", weight: 3,
          fillColor: "#ffffff", fillOpacity: 0.9, className: "nk-search-marker" })
          .bindTooltip(() => document.createTextNode(hit.label), { permanent: true, direction: "top" })
          .addTo(map);
      };
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const query = input.value.trim();
        results.replaceChildren();
        if (query.length < 2) { status.textContent = s.searchTooShort; return; }
        status.textContent = s.searching;
        // Our own places answer even when Kartverket's services cannot be reached.
        const [own, national] = await Promise.allSettled([
          searchOwnPlaces(query, this.options.search), searchKartverket(query, this.options.search)]);
        if (own.status === "rejected" && national.status === "rejected") {
          status.textContent = s.searchFailed;
          return;
        }
        const hits = [...(own.status === "fulfilled" ? own.value : []),
          ...(national.status === "fulfilled" ? national.value : [])];
        status.textContent = (hits.length ? s.searchFound.replace("{n}", hits.length) : s.searchNone) +
          (national.status === "rejected" ? " " + s.searchNationalFailed : "");
        for (const hit of hits) {
          const item = el("li");
          const choose = el("button", { type: "button", class: "nk-search-hit" }, hit.label);
          choose.appendChild(el("span", { class: "nk-search-kind" }, " – " + hit.kind(s)));
          choose.addEventListener("click", () => show(hit));
          item.appendChild(choose);
          results.appendChild(item);
        }
      });
      return root;
    },
  });

  const OWN_KINDS = { site: "kindSite", centre: "kindCentre", tettsted: "kindTettsted", stop: "kindStop",
    focus_area: "kindFocusArea" };
  const OWN_ZOOMS = { site: 16, centre: 15, tettsted: 13, stop: 16, focus_area: 13 };

  async function searchOwnPlaces(query, config) {
    const url = new URL(config.ownUrl, window.location.href);
    url.search = new URLSearchParams({ q: query }).toString();
    const response = await fetch(url);
    if (!response.ok) throw new Error("search: HTTP " + response.status);
    const data = await response.json();
    return (data.hits || []).map((h) => ({ label: h.label, lat: h.lat, lon: h.lon,
      zoom: OWN_ZOOMS[h.kind] || 15, siteKey: h.site_key || null,
      kind: (s) => s[OWN_KINDS[h.kind]] || h.kind }));
  }

  // Opens a site's popup once its shape is drawn (now, or after the layer reloads for the view).
  function openSite(map, layerId, keyColumn, key) {
    const sites = NK.layers[layerId];
    if (!sites) return;
    const tryOpen = () => {
      let found = null;
      sites.eachLayer((f) => { if (!found && f.feature.properties[keyColumn] === key) found = f; });
      if (found) { found.openPopup(); sites.off("nk:loaded", tryOpen); }
      return Boolean(found);
    };
    if (map.hasLayer(sites) && tryOpen()) return;
    sites.on("nk:loaded", tryOpen);
    if (!map.hasLayer(sites)) sites.addTo(map);
  }

  async function searchKartverket(query, config) {
    const addressUrl = new URL(config.addressUrl);
    addressUrl.search = new URLSearchParams({ sok: query + "*", treffPerSide: "5", utkoordsys: "4258",
      kommunenummer: config.kommunenummer }).toString();
    const placeUrl = new URL(config.placeUrl);
    placeUrl.search = new URLSearchParams({ sok: query + "*", treffPerSide: "5", utkoordsys: "4258",
      knr: config.kommunenummer }).toString();
    const answer = (r) => { if (!r.ok) throw new Error("Kartverket: HTTP " + r.status); return r.json(); };
    const [addresses, places] = await Promise.all([
      fetch(addressUrl).then(answer), fetch(placeUrl).then(answer)]);
    const hits = [];
    for (const a of addresses.adresser || []) {
      const p = a.representasjonspunkt || {};
      if (typeof p.lat !== "number") continue;
      hits.push({ label: [a.adressetekst, a.poststed].filter(Boolean).join(", "), lat: p.lat, lon: p.lon,
        zoom: 17, kind: (s) => s.kindAddress });
    }
    for (const n of places.navn || []) {
      const p = n.representasjonspunkt || {};
      const lat = p.nord, lon = p["øst"];
      if (typeof lat !== "number") continue;
      hits.push({ label: n.skrivemåte || n.stedsnavn?.[0]?.skrivemåte || "?", lat, lon, zoom: 14,
        kind: (s) => s.kindPlace + (n.navneobjekttype ? " (" + n.navneobjekttype + ")" : "") });
    }
    return hits;
  }

  function addPluginControls(map, s) {
    const fullscreen = new L.Control.FullScreen({ position: "topleft", title: s.fullscreen,
      titleCancel: s.fullscreenExit, forceSeparateButton: true });
    map.addControl(fullscreen);
    const locate = L.control.locate({ position: "topleft", flyTo: false, showPopup: false,
      strings: { title: s.locate, popup: s.locatePopup } }).addTo(map);
    makeButtonAccessible(locate._link, s.locate);
    const measure = L.control.polylineMeasure({ position: "topleft", unit: "kilometres",
      measureControlTitleOn: s.measureOn, measureControlTitleOff: s.measureOff,
      measureControlLabel: "&#8614;", showBearings: false, clearMeasurementsOnStop: false,
      showClearControl: true, clearControlTitle: s.measureClear, tooltipTextFinish: "",
      tooltipTextDelete: "", tooltipTextMove: "", tooltipTextResume: "", tooltipTextAdd: "" })
      .addTo(map);
    makeButtonAccessible(measure._measureControl, s.measureOn);
    measure._measureControl.setAttribute("aria-pressed", "false");
    makeButtonAccessible(measure._clearMeasureControl, s.measureClear);
    // "sttus" is the plugin's own spelling of the event field (Leaflet.PolylineMeasure 3.x).
    map.on("polylinemeasure:toggle", (e) => {
      measure._measureControl.setAttribute("aria-pressed", String(Boolean(e.sttus)));
      measure._measureControl.setAttribute("aria-label", e.sttus ? s.measureOff : s.measureOn);
    });
  }

  // The URL holds the view: ?lat=&lon=&z=&layers=a,b&site=KEY (the language is the /en/ path).
  function mapState(map, config) {
    const params = new URLSearchParams(window.location.search);
    const lat = parseFloat(params.get("lat")), lon = parseFloat(params.get("lon"));
    const zoom = parseInt(params.get("z"), 10);
    if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      map.setView([lat, lon], Number.isFinite(zoom) ? Math.min(Math.max(zoom, 3), 20) : map.getZoom(),
        { animate: false });
    }
    if (params.has("layers")) {
      const wanted = new Set(params.get("layers").split(",").filter(Boolean));
      for (const [id, layer] of Object.entries(NK.layers)) {
        if (wanted.has(id) && !map.hasLayer(layer)) layer.addTo(map);
        if (!wanted.has(id) && map.hasLayer(layer)) map.removeLayer(layer);
      }
    }
    let selectedSite = params.get("site") || "";
    const sites = NK.layers[config.siteLayer];
    if (selectedSite && sites) {
      const openSelected = () => {
        let found = null;
        sites.eachLayer((f) => { if (!found && f.feature.properties[config.siteKey] === selectedSite) found = f; });
        if (found) {
          if (!(Number.isFinite(lat) && Number.isFinite(lon))) map.fitBounds(found.getBounds(), { maxZoom: 16 });
          found.openPopup();
          sites.off("nk:loaded", openSelected);
        }
      };
      sites.on("nk:loaded", openSelected);
      if (!map.hasLayer(sites)) sites.addTo(map);
    }
    if (sites) {
      sites.on("popupopen", (e) => { selectedSite = e.layer.feature.properties[config.siteKey]; write(); });
      sites.on("popupclose", () => { selectedSite = ""; write(); });
    }
    function write() {
      const c = map.getCenter();
      const visible = Object.entries(NK.layers).filter(([, l]) => map.hasLayer(l)).map(([id]) => id);
      const next = new URLSearchParams({ lat: c.lat.toFixed(5), lon: c.lng.toFixed(5), z: String(map.getZoom()),
        layers: visible.join(",") });
      if (selectedSite) next.set("site", selectedSite);
      const query = "?" + next.toString();
      window.history.replaceState(null, "", window.location.pathname + query);
      for (const link of document.querySelectorAll("a[data-keep-map-state]")) {
        link.search = query;
      }
      map.getContainer().dataset.state = query;
    }
    map.on("moveend layeradd layerremove", write);
    write();
  }

  function controls(map, config) {
    const s = config.strings;
    // Keyboard users reach the controls before the (many) focusable features; z-index keeps
    // them drawn on top wherever they sit in the DOM.
    const container = map.getContainer();
    container.insertBefore(map._controlContainer, container.firstChild);
    map.addControl(new Search({ strings: s, search: config.search, siteLayer: config.siteLayer,
      siteKey: config.siteKey }));
    addPluginControls(map, s);
    map.addControl(new Legend({ strings: s, legend: config.legend }));
    // On a phone an open popup takes the screen's width: the controls step aside until it closes.
    map.on("popupopen", () => container.classList.add("nk-popup-open"));
    map.on("popupclose", () => container.classList.remove("nk-popup-open"));
    // The collapsed layer list opens from a button that says what it is.
    for (const toggle of container.querySelectorAll(".leaflet-control-layers-toggle")) {
      toggle.setAttribute("title", s.layers);
      toggle.setAttribute("aria-label", s.layers);
    }
    mapState(map, config);
  }

  NK.controls = controls;
})();
