/* Næringskart planner editor: Leaflet + Leaflet-Geoman. Draw, reshape, split and merge sites;
   every save sends the version it started from, so a concurrent save is refused (409). */
(function () {
  "use strict";

  const container = document.getElementById("editor-map");
  if (!container) return;
  const api = container.dataset.api;
  const siteUrl = (id) => container.dataset.siteUrl.replace(/0$/, String(id));
  const messages = document.getElementById("messages").dataset;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const form = document.getElementById("site-form");
  const statusLine = document.getElementById("editor-status");
  const problemsBox = document.getElementById("editor-problems");
  const list = document.getElementById("site-list");
  const mergeButton = document.getElementById("merge-sites");

  const map = L.map(container, { zoomControl: true }).setView(
    [Number(container.dataset.lat), Number(container.dataset.lon)], Number(container.dataset.zoom));
  L.tileLayer("https://cache.kartverket.no/v1/wmts/1.0.0/topograatone/default/webmercator/{z}/{y}/{x}.png", {
    maxZoom: 19, attribution: "&copy; Kartverket",
  }).addTo(map);
  // Reference layers under the sites: zoning, farmland (AR5) and buildings, from our own tiles.
  const overlays = {};
  for (const options of JSON.parse(container.dataset.referenceLayers || "[]")) {
    const layer = window.Naeringskart.tileLayer(map, options);
    layer.addTo(map);
    overlays[options.title] = layer;
  }
  if (Object.keys(overlays).length) {
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 700, position: "topright" }).addTo(map);
  }
  const transitions = JSON.parse(container.dataset.transitions || "{}");
  const statusLabels = JSON.parse(container.dataset.statusLabels || "{}");
  const statusLabel = (status) => statusLabels[status] || status;

  map.pm.addControls({
    position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
    drawRectangle: false, drawCircle: false, drawText: false, editMode: false, dragMode: false,
    cutPolygon: false, removalMode: false, rotateMode: false,
  });
  map.pm.setLang(container.dataset.lang === "en" ? "en" : "no");
  // Geoman's toolbar buttons are links without text: give them a name and a button role.
  for (const button of container.querySelectorAll(".leaflet-buttons-control-button")) {
    const holder = button.closest("[title]");
    button.setAttribute("role", "button");
    button.setAttribute("aria-label", (holder && holder.getAttribute("title")) || messages.drawPolygon);
    button.setAttribute("href", "#");
  }

  // Leaflet parses string content as HTML: site names go in as text nodes.
  const asText = (value) => () => document.createTextNode(String(value ?? ""));
  const layers = new Map();
  const selectedForMerge = new Set();
  let current = null; // {id, version, layer} or {id: null, layer} for a new drawing
  const siteLayer = L.geoJSON(null, {
    style: (f) => ({ color: f.properties.published ? "#7a3d00" : "#1f4e79", weight: 2,
                     dashArray: f.properties.published ? null : "6 4", fillOpacity: 0.25,
                     className: "nk-edit-site nk-edit-site-" + f.properties.id }),
    onEachFeature: (feature, layer) => {
      layers.set(feature.properties.id, layer);
      layer.bindTooltip(asText(feature.properties.name));
      // A click that places a corner of a new drawing is not a choice of the site under it.
      layer.on("click", () => { if (!map.pm.globalDrawModeEnabled()) select(feature.properties.id); });
    },
  }).addTo(map);

  function say(text) { statusLine.textContent = text; }
  function showProblems(problems) {
    problemsBox.replaceChildren();
    if (!problems || !problems.length) return;
    const ul = document.createElement("ul");
    ul.className = "form-error";
    for (const p of problems) {
      const li = document.createElement("li");
      li.textContent = p;
      ul.appendChild(li);
    }
    problemsBox.appendChild(ul);
  }

  async function call(method, url, body) {
    const response = await fetch(url, {
      method, headers: { "Content-Type": "application/json", "X-CSRFToken": csrf,
                         Accept: "application/json" },
      body: body ? JSON.stringify(body) : undefined, credentials: "same-origin",
    });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { ok: response.ok, status: response.status, data };
  }

  function renderList(features) {
    list.replaceChildren();
    for (const f of features) {
      const li = document.createElement("li");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = "merge-" + f.properties.id;
      box.checked = selectedForMerge.has(f.properties.id);
      box.addEventListener("change", () => {
        if (box.checked) selectedForMerge.add(f.properties.id); else selectedForMerge.delete(f.properties.id);
        mergeButton.disabled = selectedForMerge.size < 2;
      });
      const label = document.createElement("label");
      label.htmlFor = box.id;
      label.className = "visually-hidden";
      label.textContent = messages.select + ": " + f.properties.name;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = f.properties.name + " (" + statusLabel(f.properties.status) + ")";
      button.addEventListener("click", () => select(f.properties.id, true));
      li.append(box, label, button);
      list.appendChild(li);
    }
  }

  async function reload() {
    const result = await call("GET", api);
    if (!result.ok) { say(messages.error); return; }
    layers.clear();
    siteLayer.clearLayers();
    siteLayer.addData(result.data);
    renderList(result.data.features);
    container.dataset.loadedSites = String(result.data.features.length);
  }

  // Only the statuses the workflow allows from the site's current one (any for a new site).
  function offerStatuses(current) {
    const select = form.elements.status;
    const allowed = current ? (transitions[current] || [current]) : Object.keys(statusLabels);
    select.replaceChildren(...allowed.map((status) => new Option(statusLabel(status), status)));
  }

  // The area of a lon/lat ring on the sphere (the formula of Leaflet.draw's geodesicArea).
  function ringArea(latlngs) {
    const radius = 6378137;
    const rad = Math.PI / 180;
    let sum = 0;
    for (let i = 0; i < latlngs.length; i += 1) {
      const a = latlngs[i];
      const b = latlngs[(i + 1) % latlngs.length];
      sum += (b.lng - a.lng) * rad * (2 + Math.sin(a.lat * rad) + Math.sin(b.lat * rad));
    }
    return Math.abs(sum * radius * radius / 2);
  }

  function drawnArea(layer) {
    const polygons = L.LineUtil.isFlat(layer.getLatLngs()) ? [[layer.getLatLngs()]]
      : (Array.isArray(layer.getLatLngs()[0][0]) ? layer.getLatLngs() : [layer.getLatLngs()]);
    let total = 0;
    for (const rings of polygons) {
      rings.forEach((ring, index) => { total += (index === 0 ? 1 : -1) * ringArea(ring); });
    }
    return Math.round(total);
  }

  function fillAreaFrom(layer) {
    if (layer && layer.getLatLngs) form.elements.area_m2.value = String(drawnArea(layer));
  }

  function fillForm(site) {
    form.hidden = false;
    offerStatuses(site.id ? site.status : null);
    form.elements.id.value = site.id || "";
    form.elements.version.value = site.version || "";
    form.elements.name.value = site.name || "";
    form.elements.area_m2.value = site.area_m2 || "";
    form.elements.status.value = site.status || "ledig";
    form.elements.planned_use.value = site.planned_use || "";
    form.elements.published.checked = Boolean(site.published);
    const link = document.getElementById("site-link");
    link.hidden = !site.id;
    if (site.id) link.href = siteUrl(site.id);
    for (const id of ["reshape-site", "split-site"]) document.getElementById(id).disabled = !site.id;
  }

  function stopEditing() {
    if (current && current.layer && current.layer.pm) current.layer.pm.disable();
    if (current && !current.id && current.layer) map.removeLayer(current.layer);
    map.pm.disableDraw();
  }

  let choice = 0; // the latest selection or drawing; an older answer arriving late is dropped
  async function select(id, zoom) {
    stopEditing();
    showProblems([]);
    const mine = ++choice;
    const result = await call("GET", api + "/" + id);
    if (mine !== choice) return;
    if (!result.ok) { say(messages.error); return; }
    current = { id, version: result.data.version, layer: layers.get(id) };
    fillForm(result.data);
    if (zoom && current.layer) map.fitBounds(current.layer.getBounds(), { maxZoom: 17 });
    say(result.data.name);
  }

  map.on("pm:create", (event) => {
    if (event.shape === "Line") return; // handled by the split tool
    choice += 1;
    stopEditing();
    current = { id: null, layer: event.layer };
    fillForm({ status: "ledig" });
    fillAreaFrom(event.layer);
    event.layer.on("pm:edit", () => fillAreaFrom(event.layer));
    say(messages.drawn);
    form.elements.name.focus();
  });

  function geometryOf(layer) {
    const geojson = layer.toGeoJSON();
    return geojson.type === "FeatureCollection" ? geojson.features[0].geometry : geojson.geometry;
  }

  function conflictText(data) {
    const changed = (data.labelled_changes || []).map((c) => c.label + ": " + c.before + " → " + c.after);
    return [data.detail].concat(changed);
  }

  async function afterWrite(result, doneText) {
    if (result.status === 409) { showProblems(conflictText(result.data)); say(messages.conflict); return false; }
    if (!result.ok) { showProblems((result.data && result.data.problems) || [messages.error]); return false; }
    showProblems([]);
    if (doneText) say(doneText);
    return true;
  }

  const saveButton = document.getElementById("save-site");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!current || saveButton.disabled) return;
    saveButton.disabled = true;
    try { await save(); } finally { saveButton.disabled = false; }
  });

  async function save() {
    const values = {
      name: form.elements.name.value, area_m2: form.elements.area_m2.value || null,
      status: form.elements.status.value, planned_use: form.elements.planned_use.value,
      published: form.elements.published.checked,
    };
    if (!current.id) {
      const result = await call("POST", api, { values, geometry: geometryOf(current.layer) });
      if (await afterWrite(result, null)) {
        map.removeLayer(current.layer);
        await reload();
        await select(result.data.id);
        say(messages.created + ": " + result.data.name);
      }
      return;
    }
    const body = { version: current.version, values };
    if (current.reshaping) body.geometry = geometryOf(current.layer);
    const result = await call("PATCH", api + "/" + current.id, body);
    if (await afterWrite(result, null)) {
      const id = current.id;
      current.layer.pm.disable();
      await reload();
      await select(id);
      say(messages.saved + " " + result.data.version);
    }
  }

  document.getElementById("reshape-site").addEventListener("click", () => {
    if (!current || !current.layer) return;
    current.reshaping = true;
    const reshaped = current.layer;
    reshaped.on("pm:edit", () => fillAreaFrom(reshaped));
    current.layer.pm.enable({ allowSelfIntersection: true });
    say(messages.reshape);
  });

  document.getElementById("split-site").addEventListener("click", () => {
    if (!current || !current.id) return;
    const target = current;
    say(messages.splitDraw);
    map.pm.enableDraw("Line", { finishOn: null });
    map.once("pm:create", async (event) => {
      map.removeLayer(event.layer);
      const result = await call("POST", api + "/" + target.id + "/split",
                                { version: target.version, line: geometryOf(event.layer) });
      if (await afterWrite(result, messages.splitDone)) { form.hidden = true; current = null; await reload(); }
    });
  });

  document.getElementById("cancel-edit").addEventListener("click", async () => {
    stopEditing();
    current = null;
    form.hidden = true;
    showProblems([]);
    await reload();
  });

  mergeButton.addEventListener("click", async () => {
    const sites = {};
    for (const id of selectedForMerge) {
      const result = await call("GET", api + "/" + id);
      if (result.ok) sites[id] = result.data.version;
    }
    const result = await call("POST", api + "/merge", { sites });
    if (await afterWrite(result, messages.merged)) {
      selectedForMerge.clear();
      mergeButton.disabled = true;
      await reload();
      await select(result.data.id, true);
      say(messages.merged);
    }
  });

  window.NaeringskartEditor = { map, reload, select };
  reload().then(() => {
    const match = window.location.hash.match(/^#site-(\d+)$/);
    if (match) select(Number(match[1]), true);
  });
})();
