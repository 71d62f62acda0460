// The workbench page: controls -> POST /api/solve -> the answer. Plain script, no libraries,
// nothing fetched from outside. Every name from the data is set with textContent (never HTML).
"use strict";

const params = new URLSearchParams(location.search);
const token = params.get("token");
const RESOURCES = ["budget", "land", "energy"];
let S = null; // /api/state
let W = {}; // words of the current language
let lang = "zh";
let seq = 0; // the latest request: older answers are dropped
let timer = null;
let last = null; // the latest answer
const force = new Map(); // project id -> "in" | "out"

function el(tag, attrs = {}, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function w(key, fields = {}) {
  let s = W[key] || key;
  for (const [k, v] of Object.entries(fields)) s = s.split("{" + k + "}").join(String(v));
  return s;
}
function num(v, digits = 1) {
  return v === null || v === undefined ? "-" : Number(v).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers["Authorization"] = "Bearer " + token;
  return fetch(path, Object.assign({}, options, { headers }));
}
async function postJSON(path, body) {
  return api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

async function loadWords(code) {
  const r = await api("/api/labels?lang=" + encodeURIComponent(code));
  const j = await r.json();
  W = j.words;
  lang = j.lang;
  document.documentElement.lang = lang;
  for (const e of document.querySelectorAll("[data-w]")) e.textContent = w(e.dataset.w);
  document.getElementById("lang").textContent = w("web.lang_switch");
  document.getElementById("search").placeholder = w("web.search");
  document.title = w("web.title");
}

// -- controls ------------------------------------------------------------------------------
function slider(id, value, min, max, step, label) {
  const row = el("label", { class: "row" });
  row.append(el("span", {}, label));
  const input = el("input", { type: "range", id, min, max, step, value });
  const out = el("output", { for: id }, Number(value).toFixed(2));
  input.addEventListener("input", () => { out.textContent = Number(input.value).toFixed(2); schedule(); });
  row.append(input, out);
  return row;
}
function scaleOf(sc, res, scope) {
  const v = (sc.scale || {})[res];
  if (v === undefined) return 1;
  if (typeof v === "number") return scope === "ALL" ? v : 1;
  const all = v.ALL !== undefined ? v.ALL : 1;
  return scope === "ALL" ? all : (v[scope] !== undefined ? v[scope] / (all || 1) : 1);
}
// budget, land and energy, and every payer (funding source) the dataset puts a limit on
function levers() {
  return S.dataset.resources.filter((r) => RESOURCES.includes(r.name) || (r.source && r.limited)).map((r) => r.name);
}
function leverName(r) { return W["web." + r] || W["resource." + r] || r; }
function buildControls() {
  const sc = S.scenario;
  const names = levers();
  const box = document.getElementById("scales");
  box.replaceChildren();
  for (const r of names) box.append(slider(`scale-${r}-ALL`, scaleOf(sc, r, "ALL"), 0.5, 1.5, 0.01, leverName(r) + " · " + w("web.whole_metro")));
  const per = el("details");
  per.append(el("summary", { "data-w": "web.per_city" }, w("web.per_city")));
  S.dataset.cities.forEach((c, i) => {
    for (const r of names) per.append(slider(`scale-${r}-${i}`, scaleOf(sc, r, c), 0.5, 1.5, 0.01, c + " · " + leverName(r)));
  });
  box.append(per);
  const wt = document.getElementById("weights");
  wt.replaceChildren();
  S.dataset.cities.forEach((c, i) => wt.append(slider(`weight-${i}`, (sc.city_weights || {})[c] ?? 1, 0, 3, 0.05, c)));
  const bal = sc.balance || {};
  const shares = Object.values(bal.min_city_share || {});
  setRange("min-share", shares.length ? Math.min(...shares) : 0);
  setRange("min-attainment", typeof bal.min_city_attainment === "number" ? bal.min_city_attainment : 0);
  setRange("partial-credit", sc.partial_credit || 0);
  force.clear();
  for (const id of sc.force_in || []) force.set(id, "in");
  for (const id of sc.force_out || []) force.set(id, "out");
  buildProjects();
}
function setRange(id, v) {
  const input = document.getElementById(id);
  input.value = v;
  input.nextElementSibling.textContent = Number(v).toFixed(2);
  if (!input.dataset.wired) { input.addEventListener("input", () => { input.nextElementSibling.textContent = Number(input.value).toFixed(2); schedule(); }); input.dataset.wired = "1"; }
}
function buildProjects() {
  const body = document.querySelector("#projects tbody");
  body.replaceChildren();
  const chosen = new Set((last || S.baseline).portfolio.filter((p) => p.selected).map((p) => p.id));
  for (const p of S.projects) {
    const tr = el("tr", { "data-id": p.id });
    tr.append(el("td", {}, p.id), el("td", {}, p.name), el("td", {}, p.city), el("td", { class: "num" }, num(p.cost)));
    const sel = el("select", { class: "force", "data-id": p.id });
    for (const [v, key] of [["", "web.auto"], ["in", "web.force_in"], ["out", "web.force_out"]]) sel.append(el("option", { value: v }, w(key)));
    sel.value = force.get(p.id) || "";
    sel.addEventListener("change", () => { if (sel.value) force.set(p.id, sel.value); else force.delete(p.id); schedule(); });
    const td = el("td");
    td.append(sel);
    tr.append(td, el("td", { class: "chosen" }, chosen.has(p.id) ? "✓" : ""));
    tr.dataset.text = (p.id + " " + p.name + " " + p.city).toLowerCase();
    body.append(tr);
  }
  filterProjects();
}
function filterProjects() {
  const q = document.getElementById("search").value.trim().toLowerCase();
  for (const tr of document.querySelectorAll("#projects tbody tr")) tr.hidden = q && !tr.dataset.text.includes(q);
}

function value(id) { return Number(document.getElementById(id).value); }
function settings() {
  const cities = S.dataset.cities;
  const scale = {};
  for (const r of levers()) {
    const m = value(`scale-${r}-ALL`);
    const per = cities.map((c, i) => value(`scale-${r}-${i}`));
    if (per.every((v) => Math.abs(v - 1) < 1e-9)) { if (Math.abs(m - 1) > 1e-9) scale[r] = m; continue; }
    const map = { ALL: m };
    cities.forEach((c, i) => { map[c] = Math.round(m * per[i] * 1e6) / 1e6; });
    scale[r] = map;
  }
  const weights = {};
  cities.forEach((c, i) => { const v = value(`weight-${i}`); if (Math.abs(v - 1) > 1e-9) weights[c] = v; });
  const share = value("min-share"), att = value("min-attainment");
  const minShare = {};
  if (share > 0) for (const c of cities) minShare[c] = share;
  const fin = [], fout = [];
  for (const [id, v] of force) (v === "in" ? fin : fout).push(id);
  return {
    scale, city_weights: weights, partial_credit: value("partial-credit"),
    balance: { min_city_share: minShare, min_city_attainment: att > 0 ? att : null },
    force_in: fin, force_out: fout,
  };
}

// -- solving -------------------------------------------------------------------------------
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(solve, 200);
}
async function solve() {
  const mine = ++seq;
  document.getElementById("busy").textContent = w("web.solving");
  try {
    const r = await postJSON("/api/solve", settings());
    const j = await r.json();
    if (mine !== seq) return;
    if (!r.ok) { showError(j); return; }
    last = j;
    render(j);
  } catch (e) {
    if (mine === seq) document.getElementById("busy").textContent = w("web.error") + e;
  }
}
function showError(j) {
  const lines = (j.detail || []).map((d) => (Array.isArray(d.loc) ? d.loc.join(", ") + ": " : "") + (d.msg || JSON.stringify(d)));
  document.getElementById("busy").textContent = w("web.error") + (lines.join("; ") || JSON.stringify(j));
}

function render(a) {
  document.getElementById("status").textContent = w("status." + a.status);
  document.getElementById("status").dataset.status = a.status;
  document.getElementById("score").textContent = a.objective === null ? "-" : a.objective.toFixed(4);
  document.getElementById("score-base").textContent = a.baseline_objective === null ? "" : w("web.baseline") + " " + a.baseline_objective.toFixed(4);
  document.getElementById("index").textContent = num(a.attainment_index);
  document.getElementById("gap").textContent = a.mip_gap === null ? "-" : (100 * a.mip_gap).toFixed(3) + "%";
  document.getElementById("busy").textContent = w("web.answered", { seconds: a.seconds.toFixed(2) });
  const note = document.getElementById("note");
  note.textContent = a.status === "feasible" ? w("web.time_limit", { seconds: S.time_limit, gap: (100 * a.mip_gap).toFixed(3) + "%" }) : "";
  const inf = document.getElementById("infeasible");
  inf.replaceChildren();
  if (a.status === "infeasible") {
    inf.append(el("p", {}, w("web.infeasible")));
    const ul = el("ul");
    for (const row of a.infeasibility || []) ul.append(el("li", {}, row.message));
    if (!(a.infeasibility || []).length && a.message) ul.append(el("li", {}, a.message));
    inf.append(ul);
  }
  renderCities(a);
  renderChanges(a);
  const b = document.getElementById("binding");
  b.replaceChildren();
  for (const x of a.binding || []) b.append(el("li", {}, `${leverName(x.resource)} ${x.scope} ${x.year ?? ""}: ${num(x.used)} / ${num(x.limit)}`));
  if (!(a.binding || []).length) b.append(el("li", {}, w("web.none")));
  renderGantt(a.schedule || []);
  for (const tr of document.querySelectorAll("#projects tbody tr")) {
    const p = a.portfolio.find((q) => q.id === tr.dataset.id);
    tr.querySelector(".chosen").textContent = p && p.selected ? "✓" : "";
  }
}
function renderCities(a) {
  const t = document.getElementById("cities");
  const head = el("tr");
  for (const [k, cls] of [["web.city", ""], ["web.attainment", "num"], ["web.baseline", "num"], ["web.spend", "num"], ["web.baseline", "num"]]) head.append(el("th", { class: cls }, w(k)));
  t.tHead.replaceChildren(head);
  const body = t.tBodies[0];
  body.replaceChildren();
  for (const c of a.cities || []) {
    const tr = el("tr");
    tr.append(el("td", {}, c.city), el("td", { class: "num" }, num(c.attainment)), el("td", { class: "num" }, num(c.baseline_attainment)),
      el("td", { class: "num" }, num(c.spend)), el("td", { class: "num" }, num(c.baseline_spend)));
    body.append(tr);
  }
}
function renderChanges(a) {
  const ul = document.getElementById("changes");
  ul.replaceChildren();
  for (const c of a.changes || []) {
    const when = c.change === "moved" ? ` ${c.base_start} → ${c.start}` : c.change === "added" ? ` ${c.start}` : "";
    ul.append(el("li", { class: c.change, "data-id": c.id }, `${w("web." + c.change)}: ${c.id} ${c.name} (${c.city})${when}`));
  }
  if (!(a.changes || []).length) ul.append(el("li", {}, w("web.none")));
}
function renderGantt(rows) {
  const box = document.getElementById("gantt");
  box.replaceChildren();
  if (!rows.length) return;
  rows = rows.slice().sort((x, y) => x.start - y.start || String(x.id).localeCompare(String(y.id))).slice(0, 300);
  const y0 = Math.min(...rows.map((r) => r.start)), y1 = Math.max(...rows.map((r) => r.finish)) + 1;
  const left = 220, h = 14, width = 900, top = 18;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${top + rows.length * h + 4}`);
  const x = (y) => left + ((y - y0) / Math.max(1, y1 - y0)) * (width - left - 10);
  const cities = S.dataset.cities;
  const colours = ["#1f5fa8", "#c0504d", "#4e9a06", "#8064a2", "#f79646", "#4bacc6"];
  for (let y = y0; y <= y1; y++) {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", x(y)); t.setAttribute("y", 12); t.textContent = String(y);
    svg.append(t);
  }
  rows.forEach((r, i) => {
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", 2); label.setAttribute("y", top + i * h + 10);
    label.textContent = `${r.id} ${r.name}`.slice(0, 30);
    const bar = document.createElementNS(ns, "rect");
    bar.setAttribute("x", x(r.start)); bar.setAttribute("y", top + i * h + 2);
    bar.setAttribute("width", Math.max(2, x(r.finish + 1) - x(r.start))); bar.setAttribute("height", h - 4);
    bar.setAttribute("fill", colours[Math.max(0, cities.indexOf(r.city)) % colours.length]);
    const tip = document.createElementNS(ns, "title");
    tip.textContent = `${r.id} ${r.name} (${r.city}) ${r.start}-${r.finish}`;
    bar.append(tip);
    svg.append(label, bar);
  });
  box.append(svg);
}

// -- actions -------------------------------------------------------------------------------
async function download(path, name) {
  const r = await postJSON(path, settings());
  if (!r.ok) { showError(await r.json()); return null; }
  const blob = await r.blob();
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  return blob;
}
async function saveScenario() {
  const blob = await download("/api/scenario", "scenario.yaml");
  if (blob) document.getElementById("scenario-yaml").textContent = await blob.text();
}
async function upload() {
  const f = document.getElementById("upload-file").files[0];
  const box = document.getElementById("upload-problems");
  box.replaceChildren();
  if (!f) return;
  const form = new FormData();
  form.append("file", f);
  document.getElementById("busy").textContent = w("web.solving");
  const r = await api("/api/dataset", { method: "POST", body: form });
  const j = await r.json();
  if (!r.ok) {
    box.append(el("p", {}, w("web.problems")));
    const ul = el("ul");
    for (const d of j.detail || []) {
      const where = [d.file, d.row ? "row " + d.row : null, d.column ? "column " + d.column : null].filter(Boolean).join(", ");
      ul.append(el("li", {}, (where ? where + ": " : "") + d.msg));
    }
    box.append(ul);
    document.getElementById("busy").textContent = "";
    return;
  }
  start(j);
}

async function runAlternatives() {
  const busy = document.getElementById("busy");
  busy.textContent = w("web.solving");
  // ?alternatives=K in the address asks for K alternatives after the best (default 3)
  const count = Math.max(0, Math.min(10, parseInt(params.get("alternatives") || "3", 10) || 3));
  const r = await postJSON(`/api/alternatives?within=0.01&count=${count}`, settings());
  const j = await r.json();
  if (!r.ok) { showError(j); return; }
  const t = document.getElementById("alternatives");
  const head = el("tr");
  for (const k of ["web.alternative", "web.score", "web.index", "web.differs"]) head.append(el("th", { class: "num" }, w(k)));
  t.tHead.replaceChildren(head);
  t.tBodies[0].replaceChildren();
  for (const a of j.summary || []) {
    const tr = el("tr");
    tr.append(el("td", { class: "num" }, a.alternative), el("td", { class: "num" }, num(a.objective, 4)),
      el("td", { class: "num" }, num(a.attainment_index)), el("td", { class: "num" }, a.differs_from_best));
    t.tBodies[0].append(tr);
  }
  const box = document.getElementById("settled");
  box.replaceChildren();
  for (const cls of ["open", "always", "never"]) {
    const ids = (j.settled || []).filter((s) => s.class === cls);
    const p = el("p");
    p.append(el("b", {}, w("web.settled_" + cls) + ` (${ids.length}): `));
    p.append(document.createTextNode(ids.map((s) => `${s.id} ${s.name}`).join("、")));
    box.append(p);
  }
  if (j.stopped) box.append(el("p", { class: "note" }, j.stopped));
  busy.textContent = "";
}

function start(state) {
  S = state;
  last = null;
  document.getElementById("dataset-name").textContent = S.dataset.name;
  buildControls();
  render(S.baseline);
}
async function main() {
  const r = await api("/api/state");
  const state = await r.json();
  await loadWords(state.lang);
  start(state);
  document.getElementById("search").addEventListener("input", filterProjects);
  document.getElementById("reset").addEventListener("click", () => { start(S); });
  document.getElementById("save").addEventListener("click", saveScenario);
  document.getElementById("report-html").addEventListener("click", () => download("/api/report?format=html", "report.html"));
  document.getElementById("report-xlsx").addEventListener("click", () => download("/api/report?format=xlsx", "results.xlsx"));
  document.getElementById("upload").addEventListener("click", upload);
  document.getElementById("alternatives-run").addEventListener("click", runAlternatives);
  document.getElementById("lang").addEventListener("click", async () => {
    await loadWords(lang === "zh" ? "en" : "zh");
    // rebuild the controls in the other language, keeping what the planner has set
    const keep = {};
    for (const i of document.querySelectorAll("#controls input[type=range]")) keep[i.id] = i.value;
    const forced = new Map(force);
    buildControls();
    for (const [id, v] of Object.entries(keep)) {
      const i = document.getElementById(id);
      if (i) { i.value = v; i.nextElementSibling.textContent = Number(v).toFixed(2); }
    }
    force.clear();
    for (const [k, v] of forced) force.set(k, v);
    buildProjects();
    render(last || S.baseline);
  });
}
main();
