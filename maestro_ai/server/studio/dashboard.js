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
  $("status").textContent = `The dashboard of ${artist}.`;
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  $("api-key").value = localStorage.getItem("maestro-key") || "";
  $("dash-form").addEventListener("submit", show);
});
