"use strict";
// The artist dashboard: GET /v1/artists/{artist}/dashboard, drawn without a framework.
const $ = (id) => document.getElementById(id);

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
  return td;
}

function bar(value, max) {
  const meter = document.createElement("meter");
  meter.min = 0; meter.max = max || 1; meter.value = value;
  return meter;
}

function list(id, items) {
  const ul = $(id);
  ul.replaceChildren(...items.map((text) => { const li = document.createElement("li"); li.textContent = text; return li; }));
}

const SVG = "http://www.w3.org/2000/svg";

function svgNode(name, attributes, tip) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (tip) { const title = document.createElementNS(SVG, "title"); title.textContent = tip; node.appendChild(title); }
  return node;
}

function axes(xLabel, yLabel) {
  return [svgNode("line", { x1: 30, y1: 190, x2: 290, y2: 190, class: "axis" }), svgNode("line", { x1: 30, y1: 10, x2: 30, y2: 190, class: "axis" }),
    Object.assign(svgNode("text", { x: 160, y: 212, "text-anchor": "middle" }), { textContent: xLabel }),
    Object.assign(svgNode("text", { x: 12, y: 100, transform: "rotate(-90 12 100)", "text-anchor": "middle" }), { textContent: yLabel })];
}

function drawMoodMap(sound) {
  const at = (p) => ({ cx: 30 + 260 * p.valence, cy: 190 - 180 * p.energy });
  const peers = sound.genre_points.map((p) => svgNode("circle", { ...at(p), r: 2.5, class: "peer" }, p.title));
  const theirs = sound.points.map((p) => svgNode("circle", { ...at(p), r: 5, class: "theirs" },
    `${p.title}: energy ${p.energy}, valence ${p.valence}, ${p.tempo} BPM`));
  $("mood-map").replaceChildren(...axes("valence (sad to happy)", "energy"), ...peers, ...theirs);
  $("mood-map").dataset.theirs = theirs.length;
}

function drawTempos(sound) {
  const low = 50, width = 10, bins = 17;  // 50-220 BPM
  const count = (points) => { const c = new Array(bins).fill(0); points.forEach((p) => { c[Math.min(bins - 1, Math.max(0, Math.floor((p.tempo - low) / width)))] += 1; }); return c; };
  const mine = count(sound.points), peers = count(sound.genre_points);
  const top = Math.max(1, ...mine), peerTop = Math.max(1, ...peers), step = 260 / bins;
  const bars = [];
  for (let i = 0; i < bins; i++) {
    const range = `${low + i * width}-${low + (i + 1) * width} BPM`;
    const ph = 180 * peers[i] / peerTop, mh = 180 * mine[i] / top;
    if (peers[i]) bars.push(svgNode("rect", { x: 30 + i * step, y: 190 - ph, width: step - 1, height: ph, class: "peer" }, `${range}: ${peers[i]} of your genres' tracks`));
    if (mine[i]) bars.push(svgNode("rect", { x: 30 + i * step + step / 4, y: 190 - mh, width: step / 2, height: mh, class: "theirs" }, `${range}: ${mine[i]} of yours`));
  }
  const ticks = [60, 100, 140, 180].map((b) => Object.assign(svgNode("text", { x: 30 + (b - low) / width * step, y: 202, "text-anchor": "middle" }), { textContent: b }));
  $("tempos").replaceChildren(...axes("tempo (BPM)", "tracks"), ...bars, ...ticks);
}

function drawRoyalties(statements) {
  const digits = (currency) => { try { return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits; } catch { return 2; } };
  const money = (s, amount) => `${(amount / 10 ** digits(s.currency)).toFixed(digits(s.currency))} ${s.currency}`;  // amounts are in minor units
  $("statements").tBodies[0].replaceChildren(...statements.map((s) => {
    const tr = document.createElement("tr");
    tr.dataset.period = s.period;
    const best = Object.entries(s.tracks).sort((a, b) => b[1] - a[1])[0];
    cell(tr, s.period); cell(tr, s.model); cell(tr, money(s, s.total));
    cell(tr, best ? `${(s.titles || {})[best[0]] || best[0]}: ${money(s, best[1])}` : "");
    return tr;
  }));
  if (!statements.length) {
    const tr = document.createElement("tr");
    cell(tr, "No statements yet (maestro royalties run).").colSpan = 4;
    $("statements").tBodies[0].replaceChildren(tr);
  }
  $("royalties").hidden = false;
}

function drawSound(sound) {
  $("genres").textContent = `Your genres: ${sound.genres.join(", ") || "none named"} (${sound.theirs.tracks} tracks).`;
  const rows = [["tempo (BPM)", "tempo", 200], ["energy", "energy", 1], ["valence", "valence", 1], ["minor keys", "minor_share", 1]];
  $("compare").tBodies[0].replaceChildren(...rows.map(([label, field, max]) => {
    const tr = document.createElement("tr");
    tr.dataset.measure = field;
    cell(tr, label); cell(tr, sound.theirs[field]); cell(tr, sound.genre_average[field]);
    cell(tr, "").appendChild(bar(sound.theirs[field], max));
    return tr;
  }));
  drawMoodMap(sound);
  drawTempos(sound);
  list("nearest", sound.nearest_genres.map((g) => `${g.genre}: ${g.likeness}`));
  list("instruments", sound.instruments.map((i) => `${i.name} (${i.tracks} tracks)`));
  $("sound").hidden = false;
}

function drawDays(days) {
  const svg = $("days");
  const max = Math.max(1, ...days.map((d) => d.listeners));
  const step = 600 / Math.max(1, days.length);
  svg.replaceChildren(...days.map((d, i) => {
    const rect = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    const h = 150 * d.listeners / max;
    rect.setAttribute("x", i * step); rect.setAttribute("y", 155 - h);
    rect.setAttribute("width", Math.max(1, step - 2)); rect.setAttribute("height", h);
    rect.setAttribute("class", "day");
    const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = `${d.day}: ${d.listeners} listeners`;
    rect.appendChild(title);
    return rect;
  }));
  svg.dataset.days = days.length;
}

function drawAudience(audience) {
  if (!audience) {
    $("summary").textContent = "No plays imported yet (maestro plays import FILE).";
    $("audience").hidden = false;
    return;
  }
  $("summary").textContent = `${audience.listeners} listeners; ` +
    `${(100 * audience.ai_share_of_their_listeners_plays).toFixed(1)} % of their listening goes to other artists' AI-generated tracks.`;
  drawDays(audience.listeners_by_day);
  $("per-track").tBodies[0].replaceChildren(...audience.tracks.map((t) => {
    const tr = document.createElement("tr");
    tr.dataset.track = t.id;
    cell(tr, t.title); cell(tr, t.plays);
    cell(tr, `${(100 * t.completion).toFixed(0)} %`); cell(tr, `${(100 * t.skip_rate).toFixed(0)} %`);
    return tr;
  }));
  list("sources", audience.sources.map((s) => `${s.source}: ${s.plays} plays`));
  list("tiers", Object.entries(audience.tiers).map(([name, t]) => `${name}: ${t.listeners} listeners`));
  $("audience").hidden = false;
}

async function show(event) {
  event.preventDefault();
  const key = $("api-key").value.trim();
  const artist = $("artist").value.trim();
  localStorage.setItem("maestro-key", key);
  $("status").textContent = "Loading...";
  const answer = await fetch(`/v1/artists/${encodeURIComponent(artist)}/dashboard`, { headers: { Authorization: `Bearer ${key}` } });
  const body = await answer.json();
  if (!answer.ok) {
    $("status").textContent = body.error || `error ${answer.status}`;
    return;
  }
  drawSound(body.sound);
  drawAudience(body.audience);
  drawRoyalties(body.royalties || []);
  $("status").textContent = `The dashboard of ${artist}.`;
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  $("api-key").value = localStorage.getItem("maestro-key") || "";
  $("dash-form").addEventListener("submit", show);
});
