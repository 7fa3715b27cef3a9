// The map page: findings from the map data endpoint as clustered markers,
// coloured by accused party and lettered (colour is never the only
// signal), shaped by review status. No tiles are fetched: the map has a
// plain background, so it works offline and in CI.
import L from "./leaflet-global.js";
import "leaflet.markercluster";
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
  const map = L.map(el, { preferCanvas: false, worldCopyJump: false, attributionControl: false });
  const bounds = [];
  const clusters = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    iconCreateFunction: clusterIcon,
  });
  const markers = [];
  for (const p of data.points) {
    const party = data.parties[p.party];
    const icon = L.divIcon({
      className: "",
      html: `<span class="pin party-${p.party % 8} status-${p.status}" aria-hidden="true">${esc(party.label)}</span>`,
      iconSize: [22, 22],
      iconAnchor: [11, 11],
    });
    const m = L.marker([p.lat, p.lon], { icon, title: p.summary, alt: p.summary, keyboard: true });
    m.bindPopup(popup(p, party));
    markers.push(m);
    bounds.push([p.lat, p.lon]);
  }
  clusters.addLayers(markers);
  map.addLayer(clusters);
  if (bounds.length > 0) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 9 });
  } else {
    map.setView([48.5, 31.2], 5);
  }
  el.dataset.points = String(markers.length);
  el.dataset.state = "ready";
}

function clusterIcon(cluster) {
  const n = cluster.getChildCount();
  return L.divIcon({
    className: "",
    html: `<span class="cluster" aria-label="${n} findings" data-count="${n}">${n}</span>`,
    iconSize: [34, 34],
  });
}

function popup(p, party) {
  const div = document.createElement("div");
  const head = document.createElement("strong");
  head.textContent = `${party.name} (${party.label}): ${p.verdict.replace("_", " ")}, ${p.status.replace("_", " ")}`;
  const body = document.createElement("p");
  body.textContent = p.summary;
  div.append(head, body);
  return div;
}

function fail(el, err) {
  el.dataset.state = "failed";
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = `The map could not be drawn: ${err.message}`;
  el.replaceChildren(p);
}

function esc(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
