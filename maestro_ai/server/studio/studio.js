// Maestro Studio: the page over Maestro's HTTP API (/v1). No framework and no build step: every
// action is one or two API calls, made with the key the user gives (kept in this browser only).
"use strict";

const $ = (id) => document.getElementById(id);
const state = { key: localStorage.getItem("maestro-key") || "", options: null, track: null, recording: null,
                audio: null, stems: [], playing: [], urls: [] };

function say(text, error = false) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

async function api(path, options = {}) {
  const headers = { Authorization: `Bearer ${state.key}`, ...(options.headers || {}) };
  let body = options.body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const answer = await fetch(`/v1${path}`, { method: options.method || (body ? "POST" : "GET"), headers, body });
  if (!answer.ok) {
    let message = `${answer.status} ${answer.statusText}`;
    try { message = (await answer.json()).error || message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return options.raw ? answer : answer.json();
}

async function upload(file, name) {
  return api(`/uploads?name=${encodeURIComponent(name || file.name || "upload")}`,
             { method: "POST", body: file, headers: { "Content-Type": "application/octet-stream" } });
}

function blobUrl(blob) {
  const url = URL.createObjectURL(blob);
  state.urls.push(url);
  return url;
}

function fill(select, names, labels = {}) {
  select.replaceChildren(...names.map((name) => new Option(labels[name] ? `${name}: ${labels[name]}` : name, name)));
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "onclick") node.addEventListener("click", value);
    else if (name === "style") {  // through the CSSOM: the page's Content-Security-Policy refuses style attributes
      for (const rule of value.split(";").filter(Boolean)) node.style.setProperty(...rule.split(":").map((x) => x.trim()));
    } else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

// ---- the key, the options and the list of tracks
async function start() {
  try {
    state.options = await api("/options");
  } catch (error) {
    say(`That key does not work here: ${error.message}`, true);
    return;
  }
  const o = state.options;
  fill($("genre"), Object.keys(o.genres));
  fill($("mood"), Object.keys(o.moods));
  $("genre").value = "lofi-chill" in o.genres ? "lofi-chill" : $("genre").value;
  $("mood").value = "ambient-focus" in o.moods ? "ambient-focus" : $("mood").value;
  $("key").append(...o.keys.map((k) => new Option(k, k)));
  fill($("quality"), o.qualities);
  fill($("vary-kind"), o.variations);
  fill($("master-target"), Object.keys(o.master.targets));
  varyKindChanged();
  say("Ready.");
  await listTracks();
}

async function listTracks() {
  const tracks = await api("/tracks");
  $("tracks").replaceChildren(...tracks.slice().reverse().map((t) => element("li", {},
    element("button", { type: "button", "data-track": t.id, onclick: () => openTrack(t.id) }, `${t.title}`),
    element("small", {}, new Date(t.created).toLocaleString()))));
  if (!tracks.length) $("tracks").append(element("li", {}, "No tracks yet: make one above."));
}

// ---- a new song
function songRequest() {
  const input = {};
  const phrases = $("phrases").value.split(",").map((p) => p.trim()).filter(Boolean);
  if (phrases.length) input.key_phrases = phrases;
  if ($("tempo").value) input.tempo_bpm = Number($("tempo").value);
  if ($("melody-text").value.trim()) input.melody_midi = $("melody-text").value.trim();
  const request = { genre: $("genre").value, mood: $("mood").value, duration_seconds: Number($("duration").value),
                    quality: $("quality").value, input };
  if ($("key").value) request.key = $("key").value;
  if ($("seed").value) request.seed = Number($("seed").value);
  return request;
}

async function generate(event) {
  event.preventDefault();
  const request = songRequest();
  $("generate").disabled = true;
  try {
    const file = $("melody-file").files[0];
    const melody = file || state.recording;
    if (melody) {
      say("Sending the melody...");
      request.input.melody_upload = (await upload(melody, file ? file.name : "recorded-melody.wav")).id;
    }
    const job = await api("/tracks", { json: request });
    say(`Making the song (job ${job.id})...`);
    const done = await follow(job.id);
    if (done.status === "done") {
      say(`Done: track ${done.track_id}.`);
      await listTracks();
      await openTrack(done.track_id);
    } else {
      say(`The song could not be made: ${done.error}`, true);
    }
  } catch (error) {
    say(error.message, true);
  } finally {
    $("generate").disabled = false;
  }
}

async function follow(jobId) {
  $("job").hidden = false;
  for (;;) {
    const job = await api(`/jobs/${jobId}`);
    $("progress").value = job.progress;
    $("stage").textContent = job.status === "running" ? `${job.stage || "starting"} (${Math.round(job.progress * 100)} %)`
      : job.status;
    if (job.status === "done" || job.status === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
}

// ---- recording a melody from the microphone, kept as a WAV file
async function toggleRecording() {
  const button = $("record");
  if (state.recorder) {
    state.recorder.stop();
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const chunks = [];
    const recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onstop = async () => {
      stream.getTracks().forEach((t) => t.stop());
      state.recorder = null;
      button.setAttribute("aria-pressed", "false");
      button.textContent = "Record a melody";
      const context = new AudioContext();
      const decoded = await context.decodeAudioData(await new Blob(chunks).arrayBuffer());
      state.recording = wav(decoded);
      $("recorded").textContent = `Recorded ${decoded.duration.toFixed(1)} s: it starts the next song.`;
    };
    recorder.start();
    state.recorder = recorder;
    button.setAttribute("aria-pressed", "true");
    button.textContent = "Stop recording";
  } catch (error) {
    say(`No microphone: ${error.message}`, true);
  }
}

function wav(buffer) {
  // 16-bit mono PCM WAV of the first channel
  const samples = buffer.getChannelData(0);
  const data = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (offset, s) => [...s].forEach((c, i) => data.setUint8(offset + i, c.charCodeAt(0)));
  text(0, "RIFF"); data.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE"); text(12, "fmt ");
  data.setUint32(16, 16, true); data.setUint16(20, 1, true); data.setUint16(22, 1, true);
  data.setUint32(24, buffer.sampleRate, true); data.setUint32(28, buffer.sampleRate * 2, true);
  data.setUint16(32, 2, true); data.setUint16(34, 16, true); text(36, "data"); data.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => data.setInt16(44 + i * 2, Math.max(-32768, Math.min(32767, Math.round(s * 32767))), true));
  return new Blob([data], { type: "audio/wav" });
}

// ---- one track: player, stems, score, variations, files
async function fileBlob(trackId, name) {
  return (await api(`/tracks/${trackId}/files/${name}`, { raw: true })).blob();
}

async function openTrack(id) {
  stopStems();
  state.urls.forEach((u) => URL.revokeObjectURL(u));
  state.urls = [];
  const track = await api(`/tracks/${id}`);
  state.track = track;
  $("track").hidden = false;
  $("track-title").textContent = track.title;
  $("track-meta").textContent = `${track.genre}, ${track.mood}; ${track.key}, ${track.tempo} BPM, ` +
    `${track.duration_seconds.toFixed(1)} s` + (track.variation ? `; a variation (${track.variation.kind})` : "");
  const mix = track.files.includes("mix.mp3") ? "mix.mp3" : "mix.wav";
  $("player").src = blobUrl(await fileBlob(id, mix));
  $("player").dataset.file = mix;
  $("stems").replaceChildren();
  $("play-stems").disabled = true;
  state.stems = [];
  $("files").replaceChildren(...track.files.map((name) => element("li", {},
    element("span", {}, name),
    element("button", { type: "button", "data-download": name, onclick: () => download(id, name) }, "Download"),
    ...(/\.(wav|mp3|flac)$/.test(name)
      ? [element("button", { type: "button", "data-proof": name, onclick: () => trackProof(id, name) }, "Check provenance")] : []))));
  $("track-proof").replaceChildren();
  drawTimeline(track);
  drawRoll(await api(`/tracks/${id}/piano-roll`), track.duration_seconds);
  $("track").scrollIntoView({ block: "start" });
}

function save(blob, name) {
  const link = element("a", { href: blobUrl(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

async function downloadAll() {
  const answer = await api(`/tracks/${state.track.id}/archive`, { raw: true });
  const name = /filename="?([^";]+)"?/.exec(answer.headers.get("Content-Disposition") || "")?.[1] || "track.zip";
  save(await answer.blob(), decodeURIComponent(name));
}

async function download(id, name) {
  save(await fileBlob(id, name), name.replace("/", "-"));
}

async function trackProof(id, name) {
  $("track-proof").replaceChildren(element("p", {}, `Checking ${name}...`));
  showProof($("track-proof"), name, await api(`/tracks/${id}/provenance/${name}`));
}

function showProof(target, name, proof) {
  const c = proof.credentials, mark = proof.watermark;
  const lines = [];
  if (!c.signed) {
    lines.push(element("p", { class: "bad" }, `${name}: no Content Credentials`));
  } else {
    lines.push(element("p", { class: c.trusted ? "ok" : "bad" },
      `${name}: signed by ${c.signer} (${c.issuer}), ${c.trusted ? "trusted" : "NOT trusted"}`));
    lines.push(element("p", {}, c.ai ? `${c.ai} (${c.source_type})` : "how its audio was made is not stated"));
    lines.push(element("p", { class: c.tampered ? "bad" : "ok" },
      c.tampered ? `ALTERED since it was signed: ${c.problems.join(", ")}` : "unaltered since it was signed"));
    for (const i of c.ingredients) lines.push(element("p", {}, `ingredient: ${i.title} (${i.relationship})`));
  }
  lines.push(element("p", { class: mark.found ? "ok" : "" }, mark.found ? `watermark ${mark.payload}` : "no watermark found"));
  if (proof.work) lines.push(element("p", {}, `registered work ${proof.work.work_id}: ${proof.work.title} (owner ${proof.work.owner})`));
  target.replaceChildren(...lines);
  target.dataset.signed = String(Boolean(c.signed));
  target.dataset.trusted = String(Boolean(c.trusted));
}

// stems, played together through Web Audio so each can be muted or soloed
async function loadStems() {
  const track = state.track;
  $("load-stems").disabled = true;
  say("Loading the stems...");
  state.audio = state.audio || new AudioContext();
  state.stems = await Promise.all(Object.entries(track.stems).map(async ([name, file]) => {
    const buffer = await state.audio.decodeAudioData(await (await fileBlob(track.id, file)).arrayBuffer());
    const gain = state.audio.createGain();
    gain.connect(state.audio.destination);
    return { name, buffer, gain, muted: false, solo: false };
  }));
  $("stems").replaceChildren(...state.stems.map((stem) => element("li", { "data-stem": stem.name },
    element("span", { class: "stem-name" }, stem.name),
    element("button", { type: "button", "aria-pressed": "false", "data-action": "mute", onclick: (e) => toggle(stem, "muted", e) }, "Mute"),
    element("button", { type: "button", "aria-pressed": "false", "data-action": "solo", onclick: (e) => toggle(stem, "solo", e) }, "Solo"))));
  applyGains();
  $("play-stems").disabled = false;
  $("load-stems").disabled = false;
  say(`${state.stems.length} stems loaded.`);
}

function toggle(stem, what, event) {
  stem[what] = !stem[what];
  event.currentTarget.setAttribute("aria-pressed", String(stem[what]));
  applyGains();
}

function applyGains() {
  const soloing = state.stems.some((s) => s.solo);
  for (const stem of state.stems) {
    const audible = !stem.muted && (!soloing || stem.solo);
    stem.gain.gain.value = audible ? 1 : 0;
    document.querySelector(`[data-stem="${CSS.escape(stem.name)}"]`)?.setAttribute("data-audible", String(audible));
  }
}

function stopStems() {
  state.playing.forEach((source) => source.stop());
  state.playing = [];
  $("play-stems").textContent = "Play stems";
}

async function playStems() {
  if (state.playing.length) { stopStems(); return; }
  $("player").pause();
  await state.audio.resume();
  const when = state.audio.currentTime + 0.1;
  state.playing = state.stems.map((stem) => {
    const source = state.audio.createBufferSource();
    source.buffer = stem.buffer;
    source.connect(stem.gain);
    source.start(when);
    return source;
  });
  state.playing[0].onended = stopStems;
  $("play-stems").textContent = "Stop stems";
}

// the piano roll, and the sections and chords under it
const COLOURS = ["#0b6e69", "#b5562b", "#5a4fa3", "#8a7a12", "#2b6cb5", "#a3307a", "#4c7a2a", "#6b6b6b"];

function drawRoll(roll, duration) {
  // pitched parts on the pitch axis; drums (MIDI channel 10) in a lane of their own at the bottom
  const canvas = $("roll"), g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const pitched = roll.parts.filter((p) => p.channel !== 9), drums = roll.parts.filter((p) => p.channel === 9);
  const lane = drums.length ? canvas.height * 0.15 : 0;
  const pitches = pitched.flatMap((p) => p.notes.map((n) => n[2]));
  const low = Math.min(...pitches, 127) - 1, high = Math.max(...pitches, 0) + 1;
  const x = (s) => (s / Math.max(duration, roll.duration)) * canvas.width;
  const row = (canvas.height - lane) / Math.max(1, high - low + 1);
  const legend = [];
  roll.parts.forEach((part, i) => {
    const colour = COLOURS[i % COLOURS.length];
    g.fillStyle = colour;
    for (const [start, seconds, pitch] of part.notes) {
      if (part.channel === 9) g.fillRect(x(start), canvas.height - lane + ((pitch % 8) * lane) / 8, 2, lane / 8);
      else g.fillRect(x(start), canvas.height - lane - (pitch - low + 1) * row, Math.max(1, x(seconds)), Math.max(1, row - 1));
    }
    const swatch = element("span", { class: "swatch" });
    swatch.style.background = colour;
    legend.push(element("span", {}, swatch, ` ${part.name}`));
  });
  $("legend").replaceChildren(...legend);
  canvas.setAttribute("aria-label", `Piano roll: ${roll.parts.map((p) => `${p.name} (${p.notes.length} notes)`).join(", ")}`);
  canvas.dataset.notes = String(roll.parts.reduce((n, p) => n + p.notes.length, 0));
}

function drawTimeline(track) {
  const total = track.duration_seconds;
  const block = (text, start, end) => element("span", { style: `left:${(100 * start) / total}%;width:${(100 * (end - start)) / total}%`,
                                                        title: text }, text);
  $("sections").replaceChildren(...track.sections.map((s) => block(s.name, s.start_seconds, Math.min(s.end_seconds, total))));
  const chords = track.chords.flatMap((section) => section.chords.map((c) => block(c.symbol, c.start_bar * track.bar_seconds,
    Math.min((c.start_bar + c.bars) * track.bar_seconds, total))));
  $("chords").replaceChildren(...chords.filter((c) => parseFloat(c.style.left) < 100));
}

// variations
const VARY_OPTION = { tempo: ["tempo_bpm", "Tempo (BPM)", "number"], key: ["key", "Key", "text"],
                      extend: ["duration_seconds", "Duration (s)", "number"] };

function varyKindChanged() {
  const option = VARY_OPTION[$("vary-kind").value];
  $("vary-value-label").hidden = !option;
  if (option) {
    $("vary-value-label").firstChild.textContent = `${option[1]} `;
    $("vary-value").type = option[2];
  }
}

async function vary(event) {
  event.preventDefault();
  const kind = $("vary-kind").value, option = VARY_OPTION[kind], options = {};
  if (option && $("vary-value").value) options[option[0]] = option[2] === "number" ? Number($("vary-value").value) : $("vary-value").value;
  try {
    const job = await api(`/tracks/${state.track.id}/variations`, { json: { kind, options } });
    say(`Making a ${kind} variation (job ${job.id})...`);
    const done = await follow(job.id);
    if (done.status !== "done") throw new Error(done.error);
    await listTracks();
    await openTrack(done.track_id);
    say(`Variation done: track ${done.track_id}.`);
  } catch (error) {
    say(error.message, true);
  }
}

// mastering an upload, shown before and after
async function master(event) {
  event.preventDefault();
  const file = $("master-file").files[0];
  $("master-result").replaceChildren(element("p", {}, "Mastering..."));
  try {
    const sent = await upload(file);
    const report = await api(`/uploads/${sent.id}/master`, { json: { target: $("master-target").value, format: $("master-format").value } });
    const rows = [["Loudness (LUFS)", "integrated_lufs", -40, 0], ["True peak (dBTP)", "true_peak_dbtp", -30, 3],
                  ["Loudness range (LU)", "loudness_range_lu", 0, 25]];
    const meter = element("div", { class: "meter", id: "master-meter" });
    for (const [label, field, low, high] of rows) {
      for (const [when, data] of [["before", report.input], ["after", report.output]]) {
        const value = data[field], width = Math.max(0, Math.min(100, (100 * (value - low)) / (high - low)));
        meter.append(element("span", {}, `${label}, ${when}`),
                     element("div", { class: `bar ${when}`, style: `width:${width}%` }),
                     element("span", { "data-field": `${when}-${field}` }, value.toFixed(1)));
      }
    }
    const chart = element("img", { alt: `The master's report: loudness and spectrum before and after` });
    chart.src = blobUrl(await (await api(`/uploads/${sent.id}/files/${report.chart}`, { raw: true })).blob());
    const get = element("button", { type: "button", onclick: async () =>
      save(await (await api(`/uploads/${sent.id}/files/${report.file}`, { raw: true })).blob(), report.file) },
      `Download ${report.file}`);
    $("master-result").replaceChildren(element("p", {}, `Target ${report.target.name}: ${report.target.lufs} LUFS, ` +
      `ceiling ${report.target.true_peak_dbtp} dBTP.`), meter, get, chart);
  } catch (error) {
    $("master-result").replaceChildren(element("p", { class: "error" }, error.message));
  }
}

// provenance of any file
async function verify(event) {
  event.preventDefault();
  const file = $("verify-file").files[0];
  $("verify-result").replaceChildren(element("p", {}, "Checking..."));
  try {
    const sent = await upload(file);
    showProof($("verify-result"), file.name, await api(`/uploads/${sent.id}/provenance`));
  } catch (error) {
    $("verify-result").replaceChildren(element("p", { class: "error" }, error.message));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("api-key").value = state.key;
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.key = $("api-key").value.trim();
    localStorage.setItem("maestro-key", state.key);
    start();
  });
  $("song-form").addEventListener("submit", generate);
  $("record").addEventListener("click", toggleRecording);
  $("load-stems").addEventListener("click", loadStems);
  $("download-all").addEventListener("click", downloadAll);
  $("play-stems").addEventListener("click", playStems);
  $("vary-kind").addEventListener("change", varyKindChanged);
  $("vary-form").addEventListener("submit", vary);
  $("master-form").addEventListener("submit", master);
  $("verify-form").addEventListener("submit", verify);
  if (state.key) start(); else say("Give an API key to start (maestro keys create --name me --scope read --scope create).");
});
