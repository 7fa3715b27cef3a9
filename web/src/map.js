// The map page: findings from the map data endpoint as clustered markers,
// coloured by accused party and lettered (colour is never the only
// signal), shaped by review status. No tiles are fetched: the basemap is
// Natural Earth's country outlines (world-atlas, bundled) and the admin-1
// outlines the server was given (--boundaries), so it works offline and
// in CI.
import L from "./leaflet-global.js";
import "leaflet.markercluster";
import { feature } from "topojson-client";
import countries from "world-atlas/countries-50m.json";
import "leaflet/dist/leaflet.css";
import "leaflet.markercluster/dist/MarkerCluster.css";
import "./map.css";

const el = document.getElementById("map");
if (el) {
  start(el).catch((err) => fail(el, err));
}

async function start(el) {
  const res = await fetch(el.dataset.src, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    throw new Error(`the map data answered ${res.status}`);
  }
  const data = await res.json();
  // No tile layer sets the zoom range, and the clusters need one.
  const map = L.map(el, { minZoom: 3, maxZoom: 12, zoomSnap: 0.25, attributionControl: false, renderer: L.svg() });
  await basemap(map, el.dataset.boundaries);
  const bounds = [];
  const clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    iconCreateFunction: (cluster) => clusterIcon(cluster, data.parties),
  });
  const markers = [];
  for (const p of data.points) {
    const party = data.parties[p.party];
    const icon = L.divIcon({
      className: "",
      html: `<span class="pin party-${party.colour} status-${p.status}" aria-hidden="true">${esc(party.label)}</span>`,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
    });
    const m = L.marker([p.lat, p.lon], { icon, title: p.summary, alt: p.summary, keyboard: true, party: p.party });
    m.bindPopup(popup(p, party));
    markers.push(m);
    bounds.push([p.lat, p.lon]);
  }
  clusters.addLayers(markers);
  map.addLayer(clusters);
  if (bounds.length > 0) {
    map.fitBounds(bounds, { padding: [40, 40], maxZoom: 9 });
  } else {
    map.setView([48.5, 31.2], 5);
  }
  el.dataset.points = String(markers.length);
  el.dataset.state = "ready";
}

// basemap draws the country outlines and, if the page names them, the
// admin-1 outlines; it returns once both are on the map.
async function basemap(map, boundaries) {
  map.createPane("outlines").style.zIndex = "250";
  const land = feature(countries, countries.objects.countries);
  L.geoJSON(land, { pane: "outlines", interactive: false, className: "country", style: { weight: 1 } }).addTo(map);
  if (!boundaries) {
    return;
  }
  const res = await fetch(boundaries, { headers: { Accept: "application/geo+json" } });
  if (!res.ok) {
    throw new Error(`the boundaries answered ${res.status}`);
  }
  const regions = await res.json();
  L.geoJSON(regions, { pane: "outlines", interactive: false, className: "admin1", style: { weight: 0.8 } }).addTo(map);
  map.getContainer().dataset.admin1 = String(regions.features.length);
}

// clusterIcon shows a group's findings per party: a segment each, in the
// party's colour and with its letter and count. Built as elements, not
// HTML text, so no inline style attribute is needed.
function clusterIcon(cluster, parties) {
  const counts = new Map();
  for (const m of cluster.getAllChildMarkers()) {
    counts.set(m.options.party, (counts.get(m.options.party) || 0) + 1);
  }
  const n = cluster.getChildCount();
  const box = document.createElement("span");
  box.className = "cluster";
  box.dataset.count = String(n);
  const said = [];
  for (const [i, c] of [...counts].sort((a, b) => a[0] - b[0])) {
    const party = parties[i];
    const seg = document.createElement("span");
    seg.className = `seg party-${party.colour}`;
    seg.textContent = `${party.label} ${c}`;
    box.append(seg);
    said.push(`${c} against ${party.name}`);
  }
  box.setAttribute("aria-label", `${n} findings: ${said.join(", ")}`);
  box.title = box.getAttribute("aria-label");
  return L.divIcon({ className: "", html: box, iconSize: null });
}

function popup(p, party) {
  const div = document.createElement("div");
  const head = document.createElement("strong");
  head.textContent = `${party.name} (${party.label}): ${p.verdict.replace("_", " ")}, ${p.status.replace("_", " ")}`;
  const body = document.createElement("p");
  body.textContent = p.summary;
  const link = document.createElement("a");
  link.href = `/findings/${p.finding}`;
  link.textContent = `Finding ${p.finding}`;
  div.append(head, body, link);
  return div;
}

function fail(el, err) {
  console.error("map:", err);
  el.dataset.state = "failed";
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = `The map could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
  el.replaceChildren(p);
}

function esc(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
