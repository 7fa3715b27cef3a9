// The timeline page: findings per day and accused party under one reading
// (uPlot), each reading's window drawn as a band, each standing release as
// a marked moment. Days are the agreement's, in its zone by name; the
// page's text and table have the same counts without this script.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./timeline.css";

// The map's party colours (map.css party-0 to party-7: Okabe-Ito).
const palette = ["#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#555555"];
// The bands: colours no party has, one per reading, light enough to read the lines over.
const bandFills = ["rgba(106,61,154,0.10)", "rgba(91,103,112,0.14)", "rgba(106,61,154,0.18)", "rgba(91,103,112,0.22)"];
const bandLines = ["#6a3d9a", "#3d4a52", "#6a3d9a", "#3d4a52"];

// Choosing another agreement asks for its default reading: the reading
// chosen may not be one of the new agreement's.
const form = document.getElementById("timeline-form");
if (form) {
  form.elements.agreement.addEventListener("change", () => {
    form.elements.reading.value = "";
    form.requestSubmit();
  });
}

const el = document.getElementById("timeline");
if (el && el.dataset.src) {
  start(el).catch((err) => fail(el, err));
}

async function start(el) {
  const res = await fetch(el.dataset.src, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    throw new Error(`the timeline data answered ${res.status}`);
  }
  const data = await res.json();
  const tz = data.time_zone;
  const xs = data.days;
  const series = [{ label: `Day (${tz})`, value: (u, v) => (v == null ? "-" : dateIn(v, tz)) }];
  const ys = [];
  for (const s of data.series) {
    const colour = palette[s.colour];
    series.push({
      label: s.name,
      stroke: colour,
      width: 2,
      fill: null,
      points: { show: true, size: 6, fill: colour },
    });
    ys.push(s.counts);
  }
  const width = () => Math.max(320, el.clientWidth);
  const opts = {
    width: width(),
    height: 360,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), tz),
    scales: {
      x: { time: true, range: (u, min, max) => xRange(data, min, max) },
      y: { range: (u, min, max) => [0, Math.max(1, max) * 1.15] },
    },
    axes: [{}, { label: "findings", values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? v : "")) }],
    series,
    hooks: { drawClear: [(u) => drawBands(u, data)], draw: [(u) => drawReleases(u, data)] },
  };
  const chart = new uPlot(opts, [xs, ...ys], el);
  window.addEventListener("resize", () => chart.setSize({ width: width(), height: 360 }));
  el.dataset.series = String(chart.series.length - 1);
  el.dataset.bands = String(data.bands.filter((b) => b.from).length);
  el.dataset.releases = String(data.releases.length);
  el.dataset.state = "ready";
}

// xRange covers the days, the windows and the releases, with half a day
// either side.
function xRange(data, min, max) {
  let lo = min;
  let hi = max;
  for (const b of data.bands) {
    if (b.from) {
      lo = lo == null ? b.from : Math.min(lo, b.from);
      hi = hi == null ? b.to || b.from : Math.max(hi, b.to || b.from);
    }
  }
  for (const r of data.releases) {
    lo = lo == null ? r.at : Math.min(lo, r.at);
    hi = hi == null ? r.at : Math.max(hi, r.at);
  }
  if (lo == null) {
    const now = Date.now() / 1e3;
    return [now - 86400, now];
  }
  return [lo - 43200, hi + 43200];
}

// drawBands shades each reading's window under the lines, labelled with
// the reading's name.
function drawBands(u, data) {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
  ctx.textBaseline = "top";
  data.bands.forEach((b, i) => {
    if (!b.from) {
      return;
    }
    const x0 = Math.max(left, u.valToPos(b.from, "x", true));
    const x1 = Math.min(left + width, b.to ? u.valToPos(b.to, "x", true) : left + width);
    if (x1 <= x0) {
      return;
    }
    // Bands overlap: each takes a horizontal strip of its own too.
    ctx.fillStyle = bandFills[i % bandFills.length];
    ctx.fillRect(x0, top, x1 - x0, height);
    ctx.strokeStyle = bandLines[i % bandLines.length];
    ctx.lineWidth = 2 * devicePixelRatio;
    const y = top + (i + 1) * 4 * devicePixelRatio;
    ctx.beginPath();
    ctx.moveTo(x0, y);
    ctx.lineTo(x1, y);
    ctx.stroke();
    ctx.fillStyle = bandLines[i % bandLines.length];
    ctx.fillText(`${b.name}: window`, x0 + 4 * devicePixelRatio, y + 4 * devicePixelRatio + i * 14 * devicePixelRatio);
  });
  ctx.restore();
}

// drawReleases marks each standing release with a dashed line, labelled.
function drawReleases(u, data) {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.strokeStyle = "#a00";
  ctx.fillStyle = "#a00";
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.font = `bold ${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
  ctx.textBaseline = "bottom";
  for (const r of data.releases) {
    const x = u.valToPos(r.at, "x", true);
    if (x < left || x > left + width) {
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.fillText(`release: ${r.party}`, x + 4 * devicePixelRatio, top + height - 4 * devicePixelRatio);
  }
  ctx.restore();
}

function dateIn(ts, tz) {
  return new Date(ts * 1e3).toLocaleDateString("en-GB", { timeZone: tz, day: "numeric", month: "short", year: "numeric" });
}

function fail(el, err) {
  console.error("timeline:", err);
  el.dataset.state = "failed";
  const p = document.createElement("p");
  p.className = "error";
  p.textContent = `The chart could not be drawn: ${err instanceof Error ? err.message : String(err)}`;
  el.replaceChildren(p);
}
