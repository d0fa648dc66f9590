// Sakuga studio: plain JS over the /api endpoints. All user text goes in via textContent.
"use strict";

const STYLES = ["", "cute", "cinematic", "webtoon", "fantasy", "cyberpunk"];
const USES = ["", "avatar", "poster", "cover", "thumbnail", "social", "wallpaper", "sticker"];
const EXPORT_USES = ["poster", "cover", "thumbnail", "social", "avatar", "wallpaper", "sticker"];
const PARTS = {
  character: "anime girl", hair: "short silver hair", outfit: "black hoodie and headphones",
  expression: "calm", pose: "standing", background: "neon street at night",
  lighting: "soft cinematic lighting", mood: "modern urban", style: "cinematic", use: "avatar",
};
const $ = (id) => document.getElementById(id);
let token = sessionStorage.getItem("sakuga-token") || "";
let uploaded = null;
let editing = null;
let exporting = null;

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (token) headers["Authorization"] = "Bearer " + token;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(options.json);
  }
  const response = await fetch(path, Object.assign({}, options, { headers }));
  if (response.status === 401) {
    token = window.prompt("This studio needs its token:") || "";
    sessionStorage.setItem("sakuga-token", token);
    return api(path, options);
  }
  const data = await response.json().catch(() => ({}));
  if (response.ok && options.raw) return { data, response };
  if (!response.ok) {
    const error = new Error(explain(data) || response.statusText);
    error.status = response.status;
    throw error;
  }
  return data;
}

// An error body in words: a message, or each field's complaint ("n: less than or
// equal to 10"), never "[object Object]".
function explain(data) {
  if (typeof data.detail === "string") return data.detail;
  if (Array.isArray(data.detail)) {
    return data.detail.map((d) => {
      const where = (d.loc || []).filter((p) => p !== "body").join(".");
      return (where ? where + ": " : "") + (d.msg || "invalid");
    }).join("; ");
  }
  return data.error && data.error.message;
}

// How many versions, as typed: a whole number from 1 to 10, or an error in words
// (0, -3 and 2.5 are refused, not turned into 1). The server checks again.
function versions(id) {
  const text = $(id).value.trim();
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n < 1 || n > 10) {
    throw new Error("versions: a whole number from 1 to 10, not " + JSON.stringify(text));
  }
  return n;
}

// One job at a time from the page: the Make buttons are off while a job is sent and
// followed (a double click used to start two).
let busy = false;
const GO_BUTTONS = ["photo-go", "prompt-go", "photo-try", "prompt-try"];
function setBusy(value) {
  busy = value;
  for (const id of GO_BUTTONS) {
    if ((id === "photo-go" || id === "photo-try") && !uploaded) continue;
    $(id).disabled = value;
  }
}

function status(text) { $("status").textContent = text; }

function fillSelect(select, values) {
  for (const value of values) {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value || "—";
    select.appendChild(option);
  }
}

function showTab(name) {
  for (const button of document.querySelectorAll("nav button")) {
    const selected = button.dataset.tab === name;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;  // one tab stop; arrow keys move between tabs
  }
  for (const panel of document.querySelectorAll(".panel")) {
    // The engine and advanced settings belong to the two tabs that make images.
    panel.hidden = panel.id === "advanced" ? !["photo", "prompt"].includes(name) : panel.id !== name;
  }
  fillEngines(name === "photo" ? "photo-to-anime" : "text-to-image");
  $("lib-more").hidden = true;
  currentTab = name;
  $("results").classList.toggle("dense", name === "library");
  $("lib-count").textContent = "";
  saveDraft();
  if (name === "library") loadLibrary();
  else showWork(name).catch((error) => status("error: " + error.message));
}

async function upload(file) {
  const form = new FormData();
  form.append("file", file);
  status("uploading…");
  const data = await api("/api/uploads", { method: "POST", body: form });
  status("");
  return data;
}

function progress(fraction, text) {
  $("progress").hidden = fraction === null;
  if (fraction === null) $("preview-box").hidden = true;
  $("progress-bar").style.width = Math.round((fraction || 0) * 100) + "%";
  $("progress-text").textContent = text || "";
}

// The time left, from how long recent jobs like this one took (the server's estimate)
// and how long this one has run; without an estimate, nothing is guessed.
function timeLeft(current, since) {
  if (current.estimate_s === null || current.estimate_s === undefined || since === null) return "";
  const left = current.estimate_s - (Date.now() - since) / 1000;
  if (left < 1.5) return " · almost done";
  return " · about " + (left < 90 ? Math.round(left) + " s" : Math.round(left / 60) + " min") + " left";
}

function follow(job) {
  return new Promise((resolve, reject) => {
    const source = new EventSource("/api/jobs/" + job.id + "/events");
    let latest = null;
    let since = null;
    const show = () => {
      if (latest) progress(latest.progress, (latest.message || latest.status) + timeLeft(latest, since));
    };
    const ticker = setInterval(show, 1000);  // the time left counts down between events
    const end = () => { clearInterval(ticker); source.close(); progress(null); };
    source.onmessage = (event) => {
      const current = JSON.parse(event.data);
      if (current.status === "running" && since === null) since = Date.now();
      latest = current;
      show();
      if (current.previews > 0 && current.status === "running") {
        // The engine's latest step preview (a cheap latent projection or a partial
        // image), labelled with the step it shows.
        $("preview").src = "/api/jobs/" + job.id + "/preview?n=" + current.previews;
        $("preview-step").textContent = current.preview_steps
          ? "preview at step " + current.preview_step + " of " + current.preview_steps
          : "preview " + current.previews;
        $("preview-box").hidden = false;
      }
      if (["done", "failed", "cancelled"].includes(current.status)) {
        end();
        if (current.status === "done") resolve(current); else reject(new Error(current.error || current.status));
      }
    };
    // A lost connection (the server restarting, a network hiccup) is not the job's end:
    // the server finishes it, so the page asks again until it answers.
    source.onerror = () => { end(); reconnect(job).then(resolve, reject); };
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");
// Gone from the network, not refused: fetch's TypeError, or a gateway's 502–504.
const unreachable = (error) => error instanceof TypeError || [502, 503, 504].includes(error.status);

async function reconnect(job) {
  for (let attempt = 0; attempt < 600; attempt++) {
    let current;
    try {
      current = await api("/api/jobs/" + encodeURIComponent(job.id));
    } catch (error) {
      if (!unreachable(error)) throw error;
      status("the server is not answering: reconnecting…");
      await sleep(2000);
      continue;
    }
    if (current.status === "done") return current;
    if (["failed", "cancelled"].includes(current.status)) throw new Error(current.error || current.status);
    status("working… (reconnected)");
    return follow(current);
  }
  throw new Error("the server did not come back: reload the page to see the job again");
}

async function run(makeBody) {
  if (busy) return;
  try {
    const body = typeof makeBody === "function" ? makeBody() : makeBody;
    setBusy(true);
    status("working…");
    const job = await api("/api/jobs", { method: "POST", json: body });
    await watch({ id: job.id, tab: currentTab, label: jobLabel(body) }, job);
  } catch (error) { status("error: " + error.message); } finally { setBusy(false); }
}

function jobLabel(body) {
  const what = { anime: "Photo → anime", create: "Create", edit: "Edit", vary: "Vary", rerun: "Rerun" }[body.kind] || body.kind;
  const words = body.prompt ? ": " + (body.prompt.length > 60 ? body.prompt.slice(0, 57) + "…" : body.prompt) : "";
  return what + words + " · " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

// A job followed to its end, with Cancel on screen. It is kept in this browser until it
// ends, so a reload — or a server restart — shows it again (see resume); its versions
// join its tab's work, as one group.
async function watch(meta, job) {
  localStorage.setItem(JOB_KEY, JSON.stringify(meta));
  $("cancel").hidden = false;
  $("cancel").onclick = () => {
    api("/api/jobs/" + meta.id + "/cancel", { method: "POST" }).catch((e) => status("error: " + e.message));
  };
  try {
    const done = await follow(job);
    const grid = gridOf(done);
    const made = grid ? "a grid of " + plural(grid.cells.length, "cell") : plural(done.result.length, "new version");
    status(made);
    if (meta.tab === "library") {
      // The library shows everything already: the new versions join it at the top.
      if (currentTab === "library") await loadLibrary();
    } else {
      addWork(meta.tab, meta.label, done.result, grid);
      if (currentTab === meta.tab) await showWork(meta.tab);
      else status(made + " in the " + meta.tab + " tab");
    }
  } catch (error) {
    status(error.message === "cancelled" ? "cancelled" : "error: " + error.message);
  } finally {
    $("cancel").hidden = true;
    localStorage.removeItem(JOB_KEY);
  }
}

// After a reload: the job this browser started, followed again (or its result shown,
// when it ended meanwhile).
async function resume() {
  const meta = stored(JOB_KEY);
  if (!meta || typeof meta.id !== "string") { localStorage.removeItem(JOB_KEY); return; }
  try {
    setBusy(true);
    status("working… (still running from before the reload)");
    await watch(meta, { id: meta.id });
  } finally { setBusy(false); }
}

// Each tab's work — the versions its jobs made, grouped by job, newest first — kept in
// this browser (ids only: the images are the library's), so a reload loses nothing and
// the Photo and Prompt tabs never mix their results.
const JOB_KEY = "sakuga-job";
const WORK_KEY = "sakuga-work";
const DRAFT_KEY = "sakuga-draft";
const MAX_GROUPS = 12;
let currentTab = "photo";

// What this browser kept under ``key``, or null when nothing (or nothing readable) is.
function stored(key) {
  try { return JSON.parse(localStorage.getItem(key)); } catch (error) { return null; }
}

function loadWork() {
  return stored(WORK_KEY) || {};
}

function addWork(tab, label, ids, grid) {
  if (!ids.length) return;
  const work = loadWork();
  const group = grid ? { label, ids, grid } : { label, ids };
  work[tab] = [group].concat(work[tab] || []).slice(0, MAX_GROUPS);
  localStorage.setItem(WORK_KEY, JSON.stringify(work));
}

let shownWork = 0;
async function showWork(tab) {
  const ticket = ++shownWork;
  const groups = loadWork()[tab] || [];
  const wanted = groups.flatMap((group) => group.ids);
  // One request for the whole tab (deleted images are simply not in the answer).
  const known = new Map();
  if (wanted.length) {
    const query = new URLSearchParams({ ids: wanted.join(","), limit: "500" });
    for (const gen of await api("/api/generations?" + query)) known.set(gen.id, gen);
  }
  if (ticket !== shownWork) return; // another tab was chosen meanwhile
  const grid = $("results");
  grid.replaceChildren();
  for (const group of groups) {
    const found = group.ids.map((id) => known.get(id)).filter(Boolean);
    if (!found.length) continue; // deleted from the library since
    const section = document.createElement("section");
    section.className = "job-group";
    const head = document.createElement("h2");
    if (group.grid) {
      head.textContent = group.label + " — a grid of " + plural(group.grid.cells.length, "cell");
      section.append(head, ...gridTables(group, known));
      grid.appendChild(section);
      continue;
    }
    head.textContent = group.label + " — " + plural(found.length, "version");
    const cards = document.createElement("div");
    cards.className = "grid";
    for (const gen of found) cards.appendChild(card(gen));
    section.append(head, cards);
    grid.appendChild(section);
  }
}

// ---- Try across… (#38): one idea across one or two axes, as a labelled table ----

// The axes the page offers; an engine option of the engine chosen in the advanced
// panel joins them. A prompt's words and a saved character are the Prompt tab's.
const NAMED_AXES = ["style", "use", "engine", "model", "seed", "character", "prompt"];
const AXIS_TITLES = { style: "style", use: "use", engine: "engine", seed: "seed",
                      prompt: "words of the prompt", character: "saved character" };
let tryTab = null;

function axisChoices(tab) {
  const names = ["style", "seed", "use", "engine"];
  if (tab === "prompt") names.push("prompt", "character");
  const engine = (engineList || []).find((e) => e.name === $("adv-engine").value);
  for (const field of (engine && engine.option_fields) || []) {
    if (["int", "float", "choice"].includes(field.kind)) names.push(field.name);
  }
  return names;
}

// The values an axis starts with: every style, a few seeds, the engines for the task…
function axisValues(name) {
  if (name === "style") return STYLES.filter(Boolean).join(",");
  if (name === "seed") return "1,2,3,4";
  if (name === "use") return "avatar,poster,thumbnail";
  if (name === "engine") {
    return Array.from($("adv-engine").options).filter((o) => o.value && !o.disabled).map((o) => o.value).join(",");
  }
  if (name === "character") {
    return Array.from($("prompt-character").options).map((o) => o.value).filter(Boolean).slice(0, 4).join(",");
  }
  if (name === "prompt") return "";
  const engine = (engineList || []).find((e) => e.name === $("adv-engine").value);
  const field = ((engine && engine.option_fields) || []).find((f) => f.name === name);
  return field && field.choices.length ? field.choices.join("|") : "";
}

function splitValues(text) {
  const parts = text.split(text.includes("|") ? "|" : ",").map((v) => v.trim());
  return parts.filter(Boolean);
}

function axisCount(text) {
  // A seed range "1-4" is four seeds.
  return splitValues(text).reduce((sum, value) => {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(value);
    return sum + (range ? Math.max(1, Number(range[2]) - Number(range[1]) + 1) : 1);
  }, 0);
}

function openTry(tab) {
  tryTab = tab;
  const names = axisChoices(tab);
  const label = (name) => AXIS_TITLES[name] || name + " (engine option)";
  replaceAxisOptions($("try-x"), names, label, false);
  replaceAxisOptions($("try-y"), names, label, true);
  $("try-x").value = "style";
  $("try-x-values").value = axisValues("style");
  $("try-y").value = "";
  $("try-y-values").value = "";
  $("try-y-values").disabled = true;
  $("try-error").textContent = "";
  showTryCount();
  $("try-dialog").showModal();
}

function replaceAxisOptions(select, names, label, optional) {
  select.replaceChildren();
  if (optional) {
    const none = document.createElement("option");
    none.value = "";
    none.textContent = "nothing (one row)";
    select.appendChild(none);
  }
  for (const name of names) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = label(name);
    select.appendChild(option);
  }
}

function showTryCount() {
  const across = axisCount($("try-x-values").value);
  const down = $("try-y").value ? axisCount($("try-y-values").value) : 1;
  $("try-count").textContent = plural(across * down, "image") + ", each made alone, then the grid";
}

function tryAxes() {
  const axes = [];
  for (const which of ["x", "y"]) {
    const name = $("try-" + which).value;
    if (!name) continue;
    const values = $("try-" + which + "-values").value.trim();
    if (!splitValues(values).length) throw new Error((AXIS_TITLES[name] || name) + ": give the values to try");
    axes.push(name + "=" + values);
  }
  if (axes.length === 2 && $("try-x").value === $("try-y").value) throw new Error("choose two different axes");
  return axes;
}

function submitTry(event) {
  event.preventDefault();
  let body;
  try {
    const grid = tryAxes();
    body = Object.assign(tryTab === "photo" ? photoBody() : promptBody(), { n: 1, grid });
  } catch (error) { $("try-error").textContent = error.message; return; }
  $("try-dialog").close();
  run(body);
}

// A finished job's grid, as the work of its tab keeps it: the axes and each cell's place.
function gridOf(job) {
  const grid = job.payload && job.payload.grid;
  if (!grid) return null;
  return { axes: grid.axes, cells: grid.cells.map((cell) => cell.at) };
}

// A value as the grid's header says it, as the grid's image does: "seed 3", "cfg 7".
function axisLabel(axis, index) {
  const value = String(axis.values[index]);
  return axis.name === "seed" || !NAMED_AXES.includes(axis.name) ? axis.name + " " + value : value;
}

// A grid's cells as tables (one per value of a third axis): the first axis across, the
// second down, each cell's image opening the viewer; then the whole grid as one image.
function gridTables(group, known) {
  const { axes, cells } = group.grid;
  const at = new Map(cells.map((place, i) => [place.join(","), group.ids[i]]));
  const blocks = axes[2] ? axes[2].values.length : 1;
  const rows = axes[1] ? axes[1].values.length : 1;
  const out = [];
  for (let b = 0; b < blocks; b++) {
    const table = document.createElement("table");
    table.className = "try-grid";
    const caption = document.createElement("caption");
    caption.textContent = axes.map((a) => a.name).join(" × ") + (axes[2] ? ": " + axisLabel(axes[2], b) : "");
    const head = document.createElement("tr");
    if (axes[1]) {
      const corner = document.createElement("td");
      corner.textContent = axes[1].name + " ↓ · " + axes[0].name + " →";
      head.appendChild(corner);
    }
    axes[0].values.forEach((_, x) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = axisLabel(axes[0], x);
      head.appendChild(th);
    });
    const thead = document.createElement("thead");
    thead.appendChild(head);
    const tbody = document.createElement("tbody");
    for (let y = 0; y < rows; y++) {
      const tr = document.createElement("tr");
      if (axes[1]) {
        const th = document.createElement("th");
        th.scope = "row";
        th.textContent = axisLabel(axes[1], y);
        tr.appendChild(th);
      }
      axes[0].values.forEach((_, x) => {
        const td = document.createElement("td");
        const place = axes[2] ? [x, y, b] : axes[1] ? [x, y] : [x];
        const gen = known.get(at.get(place.join(",")));
        if (gen) {
          const open = document.createElement("button");
          open.type = "button";
          open.className = "try-cell";
          open.dataset.id = gen.id;
          const img = document.createElement("img");
          img.src = "/api/images/" + encodeURIComponent(gen.id) + "?size=384";
          img.alt = axes.map((axis, i) => axisLabel(axis, place[i])).join(", ");
          open.appendChild(img);
          open.addEventListener("click", () => openViewer(gen.id).catch((error) => status("error: " + error.message)));
          td.appendChild(open);
        } else td.textContent = "deleted";
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    }
    table.append(caption, thead, tbody);
    out.push(table);
  }
  const layout = group.ids[group.ids.length - 1];
  if (known.get(layout)) {
    const link = document.createElement("a");
    link.href = "/api/images/" + encodeURIComponent(layout);
    link.target = "_blank";
    link.rel = "noopener";
    link.className = "try-layout";
    link.textContent = "The grid as one image";
    out.push(link);
  }
  return out;
}

// What is being written, kept as it is typed: a reload brings back the tab, the prompt,
// and each tab's menus.
const DRAFT_FIELDS = ["prompt-text", "prompt-style", "prompt-use", "prompt-character", "prompt-with", "prompt-n",
                      "photo-style", "photo-use", "photo-n"];
function saveDraft() {
  const draft = { tab: currentTab };
  for (const id of DRAFT_FIELDS) draft[id] = $(id).value;
  localStorage.setItem(DRAFT_KEY, JSON.stringify(draft));
}

function restoreDraft() {
  const draft = stored(DRAFT_KEY);
  if (!draft) return null;
  for (const id of DRAFT_FIELDS) {
    if (typeof draft[id] !== "string") continue;
    const field = $(id);
    if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === draft[id])) {
      field.dataset.pending = draft[id]; // a character menu filled later
      continue;
    }
    field.value = draft[id];
  }
  return typeof draft.tab === "string" ? draft.tab : null;
}

// A button in ``parent`` with its visible label and the name a screen reader says.
function addButton(parent, label, name, handler) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-label", name);
  button.addEventListener("click", handler);
  parent.appendChild(button);
  return button;
}

function card(gen) {
  const item = document.createElement("article");
  item.className = "card" + (gen.kept === true ? " kept" : gen.kept === false ? " rejected" : "");
  item.dataset.id = gen.id;
  // A thumbnail (a few tens of KB, aspect kept), linked to the original full size.
  const full = document.createElement("a");
  full.href = "/api/images/" + encodeURIComponent(gen.id);
  full.target = "_blank";
  full.rel = "noopener";
  const img = document.createElement("img");
  img.src = full.href + "?size=384";
  img.alt = gen.prompt;
  img.loading = "lazy";
  full.appendChild(img);
  // A click opens the viewer (full size, recipe, arrows between versions); a middle
  // click or "open in new tab" still gets the original.
  full.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    openViewer(gen.id).catch((error) => status("error: " + error.message));
  });
  const meta = document.createElement("div");
  meta.className = "meta";
  meta.textContent = gen.engine + " · " + (gen.style || "default") + (gen.seed === null ? "" : " · seed " + gen.seed)
    + (gen.rating ? " · " + "★".repeat(gen.rating) : "");
  const pick = document.createElement("label");
  pick.className = "inline pick";
  const box = document.createElement("input");
  box.type = "checkbox";
  box.checked = comparing.includes(gen.id);
  box.setAttribute("aria-label", "Choose image " + gen.id);
  box.addEventListener("change", () => choose(gen.id, box.checked));
  pick.append(box, " choose");
  meta.appendChild(pick);
  const actions = document.createElement("div");
  actions.className = "actions";
  // Named with its image, for a screen reader going button to button.
  const add = (label, handler) => addButton(actions, label, label + " image " + gen.id, handler);
  add("Keep", () => verdict(gen.id, "keep", item));
  add("Reject", () => verdict(gen.id, "reject", item));
  // An export or a sheet is laid out, not drawn: it is not edited or varied (its
  // source is), so those are not offered.
  if (gen.engine !== "compose") {
    add("Edit", () => openEdit(gen));
    add("Vary", () => run({ kind: "vary", generation: gen.id, n: 4 }));
  }
  add("Export", () => openExport(gen));
  add("Delete", () => deleteOne(gen, item));
  item.append(full, meta, actions);
  return item;
}

// The viewer: one image at full size beside its recipe; ← and → go through the cards
// in the order they are shown.
let viewing = null;
async function openViewer(id) {
  const gen = await api("/api/generations/" + encodeURIComponent(id));
  viewing = id;
  const original = "/api/images/" + encodeURIComponent(id);
  $("viewer-image").src = original;
  $("viewer-image").alt = gen.prompt;
  $("viewer-original").href = original;
  const rows = [
    ["prompt", gen.prompt],
    ["engine", gen.engine + (gen.model ? " (" + gen.model + ")" : "")],
    ["size", gen.width + "×" + gen.height],
    ["seed", gen.seed === null ? "—" : String(gen.seed)],
    ["style", gen.style || "default"],
    ["use", gen.use || "—"],
    ["state", gen.kept === true ? "kept" : gen.kept === false ? "rejected" : "undecided"],
  ];
  const shown = new Set(rows.map(([key]) => key.toLowerCase()));
  const params = Object.entries(gen.params || {}).filter(([key]) => !shown.has(key.toLowerCase()));
  fillTerms($("viewer-recipe"), rows);
  fillTerms($("viewer-params"), params.map(([key, value]) => [key, String(value)]));
  showRating(gen);
  showTags(gen);
  if (!$("viewer").open) $("viewer").showModal();
  showLineage(gen).catch((error) => status("error: " + error.message));
}

function fillTerms(list, rows) {
  list.replaceChildren();
  for (const [key, value] of rows) {
    const term = document.createElement("dt");
    term.textContent = key;
    const detail = document.createElement("dd");
    detail.textContent = value;
    list.append(term, detail);
  }
}

function showRating(gen) {
  const box = $("viewer-rating");
  box.querySelectorAll("button").forEach((b) => b.remove());
  for (let stars = 1; stars <= 5; stars++) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = stars <= (gen.rating || 0) ? "★" : "☆";
    button.setAttribute("aria-label", "Rate " + stars + (stars === 1 ? " star" : " stars"));
    button.setAttribute("aria-pressed", String(stars === gen.rating));
    button.addEventListener("click", async () => {
      try {
        showRating(await api("/api/generations/" + encodeURIComponent(gen.id) + "/rating/" + stars, { method: "POST" }));
      } catch (error) { status("error: " + error.message); }
    });
    box.appendChild(button);
  }
}

function showTags(gen) {
  const list = $("viewer-tags");
  list.replaceChildren();
  for (const tag of gen.tags || []) {
    const item = document.createElement("li");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "×";
    remove.setAttribute("aria-label", "Remove the tag " + tag);
    remove.addEventListener("click", () => retag(gen.id, { remove: [tag] }));
    item.append(tag + " ", remove);
    list.appendChild(item);
  }
}

async function retag(id, change) {
  try {
    const gen = await api("/api/generations/" + encodeURIComponent(id) + "/tags", { method: "POST", json: change });
    showTags(gen);
    loadFilterChoices().catch(() => {});
  } catch (error) { status("error: " + error.message); }
}

// The image's family, from its oldest ancestor down: versions, edits, variations,
// re-runs and exports. Each node opens in the viewer, and a drawn one can be re-run or
// varied from here.
const TASK_NAMES = { "text-to-image": "made", "photo-to-anime": "from a photo", "masked-edit": "edit", "variation": "variation" };
async function showLineage(gen) {
  const tree = await api("/api/generations/" + encodeURIComponent(gen.id) + "/lineage");
  if (viewing !== gen.id) return;  // the viewer moved on meanwhile
  const node = (n, parent) => {
    const item = document.createElement("li");
    const open = document.createElement("button");
    open.type = "button";
    open.className = "node";
    const thumb = document.createElement("img");
    thumb.src = "/api/images/" + encodeURIComponent(n.id) + "?size=192";
    thumb.alt = "";
    // A drawn child of a drawn image is its re-run (same seed) or a variation.
    const again = parent && parent.engine !== "compose" && n.task === parent.task
      ? (n.seed === parent.seed ? "rerun" : "variation") : null;
    const what = n.engine === "compose" ? (n.use === "sheet" ? "sheet" : "export for " + n.use)
      : (again || TASK_NAMES[n.task] || n.task) + " · " + n.engine;
    open.append(thumb, what + (n.seed === null ? "" : " · seed " + n.seed));
    open.setAttribute("aria-label", "View " + what + " (image " + n.id + ")");
    if (n.id === gen.id) open.setAttribute("aria-current", "true");
    open.addEventListener("click", () => openViewer(n.id).catch((error) => status("error: " + error.message)));
    item.appendChild(open);
    if (n.engine !== "compose") {
      const offer = (label, body) => addButton(item, label, label + " image " + n.id, () => {
        $("viewer").close();
        run(body);
      });
      offer("Rerun", { kind: "rerun", generation: n.id });
      offer("Vary", { kind: "vary", generation: n.id, n: 4 });
    }
    if (n.children.length) {
      const children = document.createElement("ul");
      for (const child of n.children) children.appendChild(node(child, n));
      item.appendChild(children);
    }
    return item;
  };
  $("viewer-lineage").replaceChildren(node(tree, null));
}

function stepViewer(step) {
  const ids = Array.from(document.querySelectorAll("#results .card")).map((c) => c.dataset.id);
  const at = ids.indexOf(viewing);
  if (at < 0 || !ids.length) return;
  const next = ids[(at + step + ids.length) % ids.length];
  openViewer(next).catch((error) => status("error: " + error.message));
}

// Compare: tick two or more cards, then see them side by side at full size, or two of
// them under a slider that reveals one over the other.
let comparing = [];

function choose(id, chosen) {
  comparing = comparing.filter((other) => other !== id);
  if (chosen) comparing.push(id);
  $("compare-bar").hidden = comparing.length < 1;
  $("chosen-count").textContent = comparing.length + " chosen";
  $("compare-go").textContent = "Compare " + comparing.length;
  $("compare-go").disabled = comparing.length < 2;
}

function clearChoice() {
  comparing = [];
  for (const box of document.querySelectorAll(".card .pick input")) box.checked = false;
  $("compare-bar").hidden = true;
}

// One action on every chosen image; a delete is asked first.
async function bulk(action) {
  const ids = comparing.slice();
  if (!ids.length) return;
  const body = { ids, action };
  if (action === "tag") {
    body.tag = $("bulk-tag").value.trim();
    if (!body.tag) { status("say which tag to add"); $("bulk-tag").focus(); return; }
  }
  if (action === "delete" && !window.confirm("Delete " + plural(ids.length, "image") + "? This cannot be undone.")) return;
  try {
    await api("/api/generations/bulk", { method: "POST", json: body });
    status({ keep: "kept", reject: "rejected", tag: "tagged", delete: "deleted" }[action] + ": " + ids.length);
    clearChoice();
    if (currentTab === "library") await loadLibrary();
    else await showWork(currentTab);
    if (action === "tag") loadFilterChoices().catch(() => {});
  } catch (error) { status("error: " + error.message); }
}

async function deleteOne(gen, item) {
  if (!window.confirm("Delete this image? This cannot be undone.")) return;
  try {
    await api("/api/generations/" + encodeURIComponent(gen.id), { method: "DELETE" });
    item.remove();
    choose(gen.id, false);
    status("deleted");
    if (currentTab === "library") {
      libraryTotal = Math.max(0, libraryTotal - 1);
      libraryShown = Math.max(0, libraryShown - 1);
      showCount();
    }
  } catch (error) { status("error: " + error.message); }
}

async function openCompare() {
  const gens = await Promise.all(comparing.map((id) => api("/api/generations/" + encodeURIComponent(id))));
  const side = $("compare-side");
  side.replaceChildren(...gens.map((gen, at) => {
    const figure = document.createElement("figure");
    const img = document.createElement("img");
    img.src = "/api/images/" + encodeURIComponent(gen.id);
    img.alt = "Version " + (at + 1) + ": " + gen.prompt;
    const caption = document.createElement("figcaption");
    caption.textContent = (at + 1) + " · " + gen.engine + (gen.seed === null ? "" : " · seed " + gen.seed);
    const keep = document.createElement("button");
    keep.type = "button";
    keep.textContent = gen.kept === true ? "Kept" : "Keep";
    keep.setAttribute("aria-label", "Keep version " + (at + 1) + " (image " + gen.id + ")");
    keep.addEventListener("click", async () => {
      const item = document.querySelector(".card[data-id='" + CSS.escape(gen.id) + "']");
      await verdict(gen.id, "keep", item || document.createElement("div"));
      keep.textContent = "Kept";
    });
    caption.append(" ", keep);
    figure.append(img, caption);
    return figure;
  }));
  side.style.setProperty("--count", String(Math.min(gens.length, 4)));
  const [under, over] = gens;
  $("slider-under").src = "/api/images/" + encodeURIComponent(under.id);
  $("slider-under").alt = "Version 1, under the slider";
  $("slider-over").src = "/api/images/" + encodeURIComponent(over.id);
  $("slider-over").alt = "Version 2, revealed left of the slider";
  reveal();
  const slider = document.querySelector("input[name=compare-mode][value=slider]");
  slider.disabled = gens.length !== 2;
  if (slider.disabled) document.querySelector("input[name=compare-mode][value=side]").checked = true;
  compareMode();
  if (!$("compare").open) $("compare").showModal();
}

function compareMode() {
  const mode = document.querySelector("input[name=compare-mode]:checked").value;
  $("compare-side").hidden = mode !== "side";
  $("compare-slider").hidden = mode !== "slider";
}

function reveal() {
  const at = Number($("slider-at").value);
  $("slider-over").style.clipPath = "inset(0 " + (100 - at) + "% 0 0)";
  $("slider-line").style.left = at + "%";
}

function showResults(gens, prepend) {
  const grid = $("results");
  if (!prepend) grid.replaceChildren();
  for (const gen of gens.slice().reverse()) grid.prepend(card(gen));
}

async function verdict(id, kind, item) {
  try {
    const gen = await api("/api/generations/" + id + "/" + kind, { method: "POST" });
    item.classList.toggle("kept", gen.kept === true);
    item.classList.toggle("rejected", gen.kept === false);
    status(kind === "keep" ? "kept" : "rejected");
  } catch (error) { status("error: " + error.message); }
}

// The library a page at a time, newest first, filtered as the CLI's `library list` is;
// "More" brings the next page.
const LIBRARY_PAGE = 24;
let libraryShown = 0;

function libraryQuery(offset) {
  const query = new URLSearchParams({ limit: String(LIBRARY_PAGE), offset: String(offset) });
  const pick = { kept: "lib-verdict", style: "lib-style", use: "lib-use", engine: "lib-engine",
                 character: "lib-character", tag: "lib-tag" };
  for (const [key, id] of Object.entries(pick)) if ($(id).value) query.set(key, $(id).value);
  const words = $("lib-search").value.trim();
  if (words) query.set("search", words);
  if ($("lib-rating").value) query.set("min_rating", $("lib-rating").value);
  if ($("lib-sort").value !== "newest") query.set("sort", $("lib-sort").value);
  // Dates as the creator's own days: from the start of "From" to the end of "Until".
  if ($("lib-since").value) query.set("since", String(new Date($("lib-since").value + "T00:00").getTime() / 1000));
  if ($("lib-until").value) {
    const end = new Date($("lib-until").value + "T00:00");
    end.setDate(end.getDate() + 1);
    query.set("until", String(end.getTime() / 1000));
  }
  return query;
}

let libraryTotal = 0;
let libraryLoading = false;
// Each fresh load (a filter or the sort changed) supersedes the ones before it: a
// response that arrives after a newer request was made is dropped, never shown over it
// (two quick changes could otherwise end with the older list on screen).
let libraryRequest = 0;
async function loadLibrary(more = false) {
  if (more && libraryLoading) return;
  const mine = more ? libraryRequest : ++libraryRequest;
  libraryLoading = true;
  try {
    const { data: page, response } = await api("/api/generations?" + libraryQuery(more ? libraryShown : 0), { raw: true });
    if (mine !== libraryRequest) return;
    libraryTotal = Number(response.headers.get("X-Total-Count") || page.length);
    if (more) {
      for (const gen of page) $("results").appendChild(card(gen));
      libraryShown += page.length;
    } else {
      showResults(page, false);
      libraryShown = page.length;
      status(page.length ? "" : "nothing in the library matches these filters");
    }
    showCount();
    $("lib-more").hidden = libraryShown >= libraryTotal || page.length < LIBRARY_PAGE;
  } catch (error) {
    if (mine === libraryRequest) status("error: " + error.message);
  } finally { if (mine === libraryRequest) libraryLoading = false; }
}

function showCount() {
  $("lib-count").textContent = libraryTotal
    ? "showing " + Math.min(libraryShown, libraryTotal) + " of " + plural(libraryTotal, "image")
    : "";
}

// The filter menus that depend on the library: its engines and its tags.
async function loadFilterChoices() {
  const engines = await api("/api/engines");
  replaceOptions($("lib-engine"), engines.map((e) => e.name).filter((n) => n !== "fake").concat(["compose"]));
  replaceOptions($("lib-tag"), await api("/api/tags"));
}

function replaceOptions(select, values) {
  const chosen = select.value;
  select.replaceChildren();
  fillSelect(select, [""].concat(values));
  if (values.includes(chosen)) select.value = chosen;
}

// The prompt and the part fields are one model. The text is the source: the fields show
// how the parser read it (filled from each critique), and editing a field changes that
// part's phrases in place (applyPart). Style and use have their own menus beside the
// prompt, so they are not fields here.
const FIELD_PARTS = Object.keys(PARTS).filter((part) => part !== "style" && part !== "use");

function showReading(result) {
  // The fields show the prompt's own parts: a chosen character's hair is not typed in.
  const parts = result.said || result.parts || {};
  for (const part of FIELD_PARTS) {
    const field = $("part-" + part);
    if (document.activeElement !== field) field.value = parts[part] || "";
  }
  showCast(result.characters || []);
}

// Several characters (#34): a column of each one's own parts, edited in place in the
// prompt (only their phrases change), with what each still lacks.
const MEMBER_PARTS = ["character", "hair", "outfit", "expression", "pose"];
let lastMemberEdit = null;

function showCast(characters) {
  const box = $("cast-columns");
  if (characters.length < 2) { box.replaceChildren(); return; }
  const same = box.dataset.who === characters.map((c) => c.who).join("|");
  if (!same) {
    box.replaceChildren();
    box.dataset.who = characters.map((c) => c.who).join("|");
    for (const character of characters) {
      const column = document.createElement("fieldset");
      column.className = "cast-column";
      const legend = document.createElement("legend");
      legend.textContent = character.who;
      column.appendChild(legend);
      for (const part of MEMBER_PARTS) {
        const label = document.createElement("label");
        label.textContent = part;
        const input = document.createElement("input");
        input.maxLength = 300;
        input.dataset.who = character.who;
        input.dataset.part = part;
        input.setAttribute("aria-label", character.who + " " + part);
        input.addEventListener("input", (event) => {
          if (event.inputType === "historyUndo" || event.inputType === "historyRedo") return;
          partQueue = partQueue.then(() => applyMemberPart(character.who, part, input.value))
            .catch((error) => status("error: " + error.message));
        });
        label.appendChild(input);
        column.appendChild(label);
      }
      const missing = document.createElement("p");
      missing.className = "missing";
      column.appendChild(missing);
      box.appendChild(column);
    }
  }
  box.querySelectorAll(".cast-column").forEach((column, i) => {
    const character = characters[i];
    for (const input of column.querySelectorAll("input")) {
      if (document.activeElement !== input) input.value = (character.parts || {})[input.dataset.part] || "";
    }
    const lacking = character.missing || [];
    column.querySelector(".missing").textContent = lacking.length ? "missing: " + lacking.join(", ") : "";
  });
}

async function applyMemberPart(who, part, value) {
  const area = $("prompt-text");
  const text = area.value;
  const last = lastMemberEdit;
  const at = last && last.who === who && last.part === part && last.text === text && last.spans.length
    ? last.spans : null;
  const next = await api("/api/prompt/part", { method: "POST", json: { text, part, value: value.trim(), at, who } });
  if (area.value !== text) return;
  replaceUndoably(area, next.text);
  lastMemberEdit = { who, part, text: next.text, spans: next.spans };
  critiqueSoon();
}

function addCharacter() {
  const name = $("cast-name").value.trim();
  if (!name) { $("cast-name").focus(); return; }
  const area = $("prompt-text");
  const text = area.value.trim();
  replaceUndoably(area, (text ? text + "; " : "") + name + " is a " + $("cast-kind").value);
  $("cast-name").value = "";
  critiqueSoon();
}

// Where the last part edit put the part's phrases: while the prompt is as that edit
// left it, the next keystroke in the same field changes just those characters (a
// half-typed value is not looked for again). Otherwise the server finds the part's
// phrases in the prompt. Either way it changes them in place (/api/prompt/part): every
// other character stays, weights and quality tags included.
let lastPartEdit = null;
let partQueue = Promise.resolve();

function editPart(part) {
  partQueue = partQueue.then(() => applyPart(part)).catch((error) => status("error: " + error.message));
  return partQueue;
}

async function applyPart(part) {
  const area = $("prompt-text");
  const text = area.value;
  const value = $("part-" + part).value.trim();
  const last = lastPartEdit;
  const at = last && last.part === part && last.text === text && last.spans.length ? last.spans : null;
  const next = await api("/api/prompt/part", { method: "POST", json: { text, part, value, at } });
  if (area.value !== text) return; // typed into meanwhile: what was typed wins
  replaceUndoably(area, next.text);
  lastPartEdit = { part, text: next.text, spans: next.spans };
  critiqueSoon();
}

// The prompt's text replaced through the browser's own editing, so Ctrl+Z in the prompt
// brings the text before the change back.
function replaceUndoably(area, text) {
  if (area.value === text) return;
  const focused = document.activeElement;
  const old = area.value;
  // Only the characters that differ are replaced, as typing would replace them, so each
  // step undoes cleanly.
  let head = 0;
  while (head < old.length && head < text.length && old[head] === text[head]) head++;
  let tail = 0;
  while (tail < old.length - head && tail < text.length - head
         && old[old.length - 1 - tail] === text[text.length - 1 - tail]) tail++;
  area.focus();
  area.setSelectionRange(head, old.length - tail);
  const middle = text.slice(head, text.length - tail);
  const done = typeof document.execCommand === "function"
    && document.execCommand(middle ? "insertText" : "delete", false, middle);
  if (!done || area.value !== text) area.value = text;
  if (focused && focused !== area && typeof focused.focus === "function") focused.focus();
  saveDraft();
}

function critiqueBody(text) {
  return { text, character: $("prompt-character").value || null,
           style: $("prompt-style").value || null, use: $("prompt-use").value || null };
}

// A suggestion chosen: style and use in their menus, any other part in the prompt.
function suggestPart(part, value) {
  if (part === "style" || part === "use") {
    const select = $("prompt-" + part);
    select.value = value;
    saveDraft();
    critiqueSoon();
    return;
  }
  $("parts").open = true;
  $("part-" + part).value = value;
  editPart(part);
}

let critiqueTimer = null;
function critiqueSoon() {
  clearTimeout(critiqueTimer);
  critiqueTimer = setTimeout(async () => {
    const text = $("prompt-text").value;
    const box = $("critique");
    if (!text.trim()) { box.replaceChildren(); return; }
    try {
      const result = await api("/api/critique", { method: "POST", json: critiqueBody(text) });
      if ($("prompt-text").value === text) showReading(result);
      const lines = [];
      const score = document.createElement("div");
      const strong = document.createElement("span");
      strong.className = "score";
      strong.textContent = result.score + "/100";
      score.append("Specificity ", strong);
      lines.push(score);
      const given = Object.entries(result.from_character || {});
      if (given.length) {
        const line = document.createElement("div");
        line.className = "given";
        line.textContent = "from " + $("prompt-character").value + ": "
          + given.map(([part, value]) => part + " " + value).join(" · ");
        lines.push(line);
      }
      for (const part of result.missing) {
        // Each suggestion is a button: it says the part, in its field or its menu.
        const line = document.createElement("div");
        line.className = "missing";
        line.append(part + " missing — try: ");
        for (const pick of (result.suggestions[part] || []).slice(0, 3)) {
          if (!pick) continue;
          addButton(line, pick, "Use " + pick + " for " + part, () => suggestPart(part, pick)).className = "chip";
        }
        lines.push(line);
      }
      if (result.details && result.details.length) {
        // Phrases the parser kept but could not place: they still reach AI engines.
        const line = document.createElement("div");
        line.className = "details";
        line.textContent = "kept, not placed: " + result.details.join(" · ");
        lines.push(line);
      }
      for (const character of result.characters || []) {
        // Several characters: each with what they have and what they lack.
        const line = document.createElement("div");
        line.className = "cast";
        const has = Object.values(character.parts).join(" · ");
        line.textContent = character.who + ": " + (has || "nothing said yet")
          + (character.missing.length ? " — " + character.missing.join(", ") + " missing" : "");
        lines.push(line);
      }
      for (const conflict of result.conflicts) {
        const line = document.createElement("div");
        line.className = "conflict";
        line.textContent = "conflict: " + conflict;
        lines.push(line);
      }
      box.replaceChildren(...lines);
    } catch (error) { box.textContent = error.message; }
  }, 250);
}

// The engine panel: which engine and model, the seed, the negative prompt, and the
// chosen engine's own options, built from what the engine declares (/api/engines).
let engineTask = null;
async function fillEngines(task) {
  if (!engineList) engineList = await api("/api/engines");
  if (task === engineTask) return;
  engineTask = task;
  const select = $("adv-engine");
  const chosen = select.value;
  select.replaceChildren();
  const auto = document.createElement("option");
  auto.value = "";
  auto.textContent = "automatic";
  select.appendChild(auto);
  for (const engine of engineList) {
    if (engine.name === "fake" || !engine.tasks.includes(task)) continue;
    const option = document.createElement("option");
    option.value = engine.name;
    // An engine that only waits for a model is ready once one of its models is chosen.
    const usable = engine.available || (engine.needs_model && engine.models.length > 0);
    option.textContent = engine.name + (engine.available ? "" : usable ? " (choose a model)" : " (not set up here)");
    option.disabled = !usable;
    select.appendChild(option);
  }
  select.value = Array.from(select.options).some((o) => o.value === chosen && !o.disabled) ? chosen : "";
  showEngineFields();
}

function showEngineFields() {
  const engine = (engineList || []).find((e) => e.name === $("adv-engine").value);
  const models = $("adv-models");
  models.replaceChildren();
  for (const name of (engine && engine.models) || []) {
    const option = document.createElement("option");
    option.value = name;
    models.appendChild(option);
  }
  $("adv-model").disabled = !engine || !engine.models.length && engine.name !== "diffusers";
  $("adv-note").textContent = !engine
    ? "The best engine set up here is chosen for each job; choose one to see its options."
    : engine.title + (engine.seeded ? "" : " — it takes no seed, so a seed here is not used.")
      + (engine.available ? "" : engine.needs_model && engine.models.length ? ". Choose its model above." : ". " + engine.reason);
  if (engine && !engine.available && engine.needs_model && engine.models.length && !$("adv-model").value) {
    $("adv-model").value = engine.models[0];
  }
  // ControlNet: offered by engines that list ControlNet models (diffusers).
  $("adv-control").hidden = !(engine && engine.controlnets);
  replaceOptionsOf($("ctl-models"), (engine && engine.controlnets) || []);
  if (engine && engine.controlnets && engine.controlnets.length && !$("ctl-model").value) {
    $("ctl-model").value = engine.controlnets[0];
  }
  const box = $("adv-options");
  box.replaceChildren();
  for (const field of (engine && engine.option_fields) || []) {
    const label = document.createElement("label");
    label.textContent = field.label;
    label.title = field.help;
    let input;
    if (field.kind === "choice") {
      input = document.createElement("select");
      fillSelect(input, [""].concat(field.choices));
      input.options[0].textContent = "default" + (field.default === null ? "" : " (" + field.default + ")");
    } else if (field.kind === "bool") {
      input = document.createElement("input");
      input.type = "checkbox";
    } else {
      input = document.createElement("input");
      if (field.kind === "int" || field.kind === "float") {
        input.type = "number";
        if (field.minimum !== null) input.min = field.minimum;
        if (field.maximum !== null) input.max = field.maximum;
        input.step = field.step === null ? "any" : field.step;
      }
      input.placeholder = field.default === null ? "default" : String(field.default);
    }
    input.dataset.option = field.name;
    input.dataset.kind = field.kind;
    const help = document.createElement("small");
    help.textContent = field.help;
    label.append(input, help);
    box.appendChild(label);
  }
}

// What the panel adds to a job: only what the creator set (the engine decides the rest).
function advanced() {
  const body = {};
  const engine = $("adv-engine").value;
  if (engine) body.engine = engine;
  const model = $("adv-model").disabled ? "" : $("adv-model").value.trim();
  if (model) body.model = model;
  const seed = $("adv-seed").value.trim();
  if (seed) {
    if (!/^[0-9]+$/.test(seed)) throw new Error("seed: a whole number, or empty for a random one, not " + JSON.stringify(seed));
    body.seed = Number(seed);
  }
  const negative = $("adv-negative").value.trim();
  if (negative) body.negative = negative;
  const options = {};
  for (const input of $("adv-options").querySelectorAll("[data-option]")) {
    const name = input.dataset.option;
    if (input.dataset.kind === "bool") { if (input.checked) options[name] = true; continue; }
    const text = input.value.trim();
    if (!text) continue;
    if (input.dataset.kind === "int" || input.dataset.kind === "float") {
      const number = Number(text);
      if (!Number.isFinite(number) || (input.dataset.kind === "int" && !Number.isInteger(number))) {
        throw new Error(name + ": " + (input.dataset.kind === "int" ? "a whole number" : "a number") + ", not " + JSON.stringify(text));
      }
      options[name] = number;
    } else if (input.dataset.kind === "list") {
      options[name] = text.split(",").map((item) => item.trim()).filter(Boolean);
    } else {
      options[name] = text;
    }
  }
  if (Object.keys(options).length) body.options = options;
  const kind = $("adv-control").hidden ? "" : $("ctl-kind").value;
  if (kind) {
    const model = $("ctl-model").value.trim();
    if (!model) throw new Error("ControlNet: choose its model, or set the map to none");
    const weight = Number($("ctl-weight").value);
    if (!Number.isFinite(weight) || weight < 0 || weight > 2) throw new Error("ControlNet weight: a number from 0 to 2");
    const control = { kind, model, weight };
    if (controlMap) control.image = controlMap;
    body.controls = [control];
  }
  return body;
}

// The map a control follows: one the creator uploaded, or one made from the photo and
// shown before the job (null: the server makes it from the photo).
let controlMap = null;

function showControlMap(id, what) {
  controlMap = id;
  const preview = $("ctl-preview");
  preview.hidden = !id;
  if (id) preview.src = "/api/uploads/" + id;
  $("ctl-note").textContent = id ? what : "Without a map of your own, the map is made from the photo.";
}

async function makeControlMap() {
  const kind = $("ctl-kind").value;
  if (!kind) { status("choose a map kind first"); return; }
  if (!uploaded) { status("drop a photo first: the map is made from it"); return; }
  try {
    status("making the " + kind + " map…");
    const made = await api("/api/control-maps", { method: "POST", json: { upload: uploaded.id, kind } });
    showControlMap(made.id, "The " + kind + " map of your photo: the job follows it.");
    status("");
  } catch (error) { status("error: " + error.message); }
}

function replaceOptionsOf(list, values) {
  list.replaceChildren(...values.map((value) => {
    const option = document.createElement("option");
    option.value = value;
    return option;
  }));
}

// Which engine edits, and whether it follows the prompt: toon repaints the painted area
// in its own style and does not read the prompt, so the page says so and offers those
// that do (draw offline; openai or diffusers when configured).
let engineList = null;
async function editEngines(gen) {
  if (!engineList) engineList = await api("/api/engines");
  // draw redraws only pictures it drew (from their recipe): never offered for a photo.
  const editors = engineList.filter((e) => e.available && e.tasks.includes("masked-edit") && e.name !== "fake"
    && (e.name !== "draw" || gen.engine === "draw"));
  const select = $("edit-engine");
  select.replaceChildren();
  for (const engine of editors) {
    const option = document.createElement("option");
    option.value = engine.name;
    option.textContent = engine.name + (engine.edit_follows_prompt ? " (follows the prompt)" : " (its own style)");
    select.appendChild(option);
  }
  const own = editors.find((e) => e.name === gen.engine);
  select.value = own ? own.name : (editors.find((e) => e.edit_follows_prompt) || editors[0] || {}).name || "";
  explainEngine();
}

function explainEngine() {
  const chosen = (engineList || []).find((e) => e.name === $("edit-engine").value);
  const note = $("edit-engine-note");
  if (!chosen) { note.textContent = ""; return; }
  if (chosen.edit_follows_prompt) {
    note.textContent = chosen.name + " draws what the prompt says in the painted area.";
    return;
  }
  const followers = engineList.filter((e) => e.available && e.edit_follows_prompt && e.tasks.includes("masked-edit")
    && (e.name !== "draw" || (editing && editing.engine === "draw")));
  note.textContent = chosen.name + " repaints the painted area in its own style and does not read the prompt"
    + (followers.length ? "; for the prompt, choose " + followers.map((e) => e.name).join(" or ") + "."
      : "; diffusers or openai, once configured, draw what it says (draw redraws only its own pictures).");
}

function openEdit(gen) {
  editing = gen;
  editEngines(gen).catch((error) => status("error: " + error.message));
  const image = new Image();
  image.onload = () => {
    for (const canvas of [$("edit-image"), $("edit-mask")]) {
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
    }
    $("edit-image").getContext("2d").drawImage(image, 0, 0);
    maskHistory.length = 0;
    clearMask(false);
    $("edit-dialog").showModal();
    zoomTo(null); // fit the image to the screen
  };
  image.src = "/api/images/" + encodeURIComponent(gen.id);
}

// Zoom: the image fitted to the room the dialog has on this screen (null), or a scale.
let zoom = 1;
function zoomTo(scale) {
  const canvas = $("edit-image");
  if (!canvas.width) return;
  if (scale === null) {
    const room = $("edit-scroll");
    const width = Math.min(window.innerWidth * 0.92 - 48, 1600);
    // The controls below take about 340 px on a wide screen, more where they wrap.
    const below = window.innerWidth < 700 ? 420 : 340;
    const height = Math.max(180, window.innerHeight * 0.96 - below);
    room.style.maxWidth = width + "px";
    scale = Math.min(width / canvas.width, height / canvas.height, 1);
  }
  zoom = Math.max(0.1, Math.min(scale, 4));
  for (const layer of [$("edit-image"), $("edit-mask")]) {
    layer.style.width = Math.round(canvas.width * zoom) + "px";
    layer.style.height = Math.round(canvas.height * zoom) + "px";
  }
  $("zoom-level").textContent = Math.round(zoom * 100) + "%";
}

// The brush's size, drawn where it would paint.
function showBrush(event) {
  const cursor = $("brush-cursor");
  const wrap = $("edit-wrap").getBoundingClientRect();
  const size = Number($("brush").value);
  cursor.style.width = cursor.style.height = size + "px";
  cursor.style.left = (event.clientX - wrap.left) + "px";
  cursor.style.top = (event.clientY - wrap.top) + "px";
  cursor.hidden = false;
}

// The mask: white = change. Strokes are drawn as lines from the last point, so a fast
// drag paints a continuous band (single dots left gaps); each stroke can be undone.
const maskHistory = [];
let lastPoint = null;

function clearMask(remember = true) {
  const canvas = $("edit-mask");
  const ctx = canvas.getContext("2d");
  if (remember && canvas.width) maskHistory.push(ctx.getImageData(0, 0, canvas.width, canvas.height));
  ctx.fillStyle = "#000";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  $("edit-error").textContent = "";
}

function maskPoint(event) {
  const canvas = $("edit-mask");
  const rect = canvas.getBoundingClientRect();
  return {
    x: (event.clientX - rect.left) * canvas.width / rect.width,
    y: (event.clientY - rect.top) * canvas.height / rect.height,
    scale: canvas.width / rect.width,
  };
}

function startStroke(event) {
  const canvas = $("edit-mask");
  maskHistory.push(canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height));
  if (maskHistory.length > 30) maskHistory.shift();
  lastPoint = null;
  paintAt(event);
}

function paintAt(event) {
  const canvas = $("edit-mask");
  const point = maskPoint(event);
  const ctx = canvas.getContext("2d");
  const colour = $("mask-erase").checked ? "#000" : "#fff";
  const width = Number($("brush").value) * point.scale;
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = width;
  ctx.lineCap = "round";
  ctx.beginPath();
  if (lastPoint) {
    ctx.moveTo(lastPoint.x, lastPoint.y);
    ctx.lineTo(point.x, point.y);
    ctx.stroke();
  } else {
    ctx.arc(point.x, point.y, width / 2, 0, Math.PI * 2);
    ctx.fill();
  }
  lastPoint = point;
  $("edit-error").textContent = "";
}

function undoMask() {
  const previous = maskHistory.pop();
  if (previous) $("edit-mask").getContext("2d").putImageData(previous, 0, 0);
}

function invertMask() {
  const canvas = $("edit-mask");
  const ctx = canvas.getContext("2d");
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  maskHistory.push(ctx.getImageData(0, 0, canvas.width, canvas.height));
  for (let i = 0; i < data.data.length; i += 4) {
    const v = 255 - data.data[i];
    data.data[i] = data.data[i + 1] = data.data[i + 2] = v;
  }
  ctx.putImageData(data, 0, 0);
}

function maskIsEmpty() {
  const canvas = $("edit-mask");
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 0; i < data.length; i += 4) if (data[i] > 127) return false;
  return true;
}

// The dialog stays open, with what was typed, until the edit is sent; an empty mask is
// explained there instead of sent (the server would refuse it).
async function submitEdit(event) {
  event.preventDefault();
  if (maskIsEmpty()) {
    $("edit-error").textContent = "Paint the part to change first: the mask is empty.";
    return;
  }
  const prompt = $("edit-prompt").value || null;
  $("edit-dialog").close();
  const blob = await new Promise((resolve) => $("edit-mask").toBlob(resolve, "image/png"));
  const mask = await upload(new File([blob], "mask.png", { type: "image/png" }));
  await run({ kind: "edit", generation: editing.id, mask: mask.id, prompt,
              engine: $("edit-engine").value || null });
}

function openExport(gen) {
  exporting = gen;
  $("export-result").replaceChildren();
  $("export-dialog").showModal();
}

async function submitExport(event) {
  event.preventDefault();
  try {
    const body = { use: $("export-use").value, title: $("export-title").value || null,
                   subtitle: $("export-subtitle").value || null,
                   credits: $("export-credits").value || null,
                   font: $("export-font").value || null };
    $("export-warnings").replaceChildren();
    const gen = await api("/api/generations/" + exporting.id + "/export", { method: "POST", json: body });
    const link = document.createElement("a");
    link.href = "/api/images/" + encodeURIComponent(gen.id);
    link.download = "sakuga-" + body.use + ".png";
    link.id = "export-download";
    link.textContent = "Download the " + body.use;
    const preview = document.createElement("img");
    preview.src = link.href;
    preview.alt = "The " + body.use + " as laid out";
    preview.className = "export-preview";
    $("export-result").replaceChildren(link, preview);
    // What the layout had to say (a title too small to read on a thumbnail, a cut-out
    // that fell back to a frame), in the server's words.
    for (const warning of gen.warnings || []) {
      const item = document.createElement("li");
      item.textContent = warning;
      $("export-warnings").appendChild(item);
    }
    if (currentTab === "library") await loadLibrary(); // the total counts it too
    else {
      addWork(currentTab, "Export for " + body.use + (body.title ? ": " + body.title : ""), [gen.id]);
      showWork(currentTab).catch((error) => status("error: " + error.message));
    }
  } catch (error) { $("export-result").textContent = "error: " + error.message; }
}

// The job the Photo tab's button asks for (and each cell of its grid).
function photoBody() {
  return Object.assign({
    kind: "anime", upload: uploaded.id, style: $("photo-style").value || null,
    use: $("photo-use").value || null, n: versions("photo-n"),
  }, advanced());
}

// The job the Prompt tab's button asks for (and each cell of its grid).
function promptBody() {
  const prompt = $("prompt-text").value;
  const character = $("prompt-character").value || null;
  // A second saved character: both in one scene, each drawn as themselves.
  const other = $("prompt-with").value;
  const characters = other && other !== character ? [other] : [];
  if (!prompt.trim() && !character && !characters.length) {
    throw new Error("describe what to make: the prompt is empty");
  }
  return Object.assign({
    kind: "create", prompt, style: $("prompt-style").value || null,
    use: $("prompt-use").value || null, n: versions("prompt-n"), character, characters,
  }, advanced());
}

function setup() {
  for (const select of document.querySelectorAll(".style-select")) fillSelect(select, STYLES);
  for (const select of document.querySelectorAll(".use-select")) {
    fillSelect(select, select.id === "export-use" ? EXPORT_USES : USES);
  }
  const tabs = Array.from(document.querySelectorAll("nav button"));
  for (const button of tabs) {
    button.addEventListener("click", () => showTab(button.dataset.tab));
    button.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      const next = tabs[(tabs.indexOf(button) + step + tabs.length) % tabs.length];
      showTab(next.dataset.tab);
      next.focus();
    });
  }
  const drop = $("drop");
  // The drop zone is one tab stop; Enter or Space opens the file picker.
  drop.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      $("photo-file").click();
    }
  });
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (event.dataTransfer.files.length) choosePhoto(event.dataTransfer.files[0]);
  });
  $("photo-file").addEventListener("change", (event) => {
    if (event.target.files.length) choosePhoto(event.target.files[0]);
  });
  $("photo-go").addEventListener("click", () => run(photoBody));
  $("photo-try").addEventListener("click", () => openTry("photo"));
  $("prompt-try").addEventListener("click", () => openTry("prompt"));
  $("try-form").addEventListener("submit", submitTry);
  $("try-cancel").addEventListener("click", () => $("try-dialog").close());
  for (const which of ["x", "y"]) {
    $("try-" + which).addEventListener("change", () => {
      const name = $("try-" + which).value;
      $("try-" + which + "-values").value = name ? axisValues(name) : "";
      $("try-" + which + "-values").disabled = !name;
      showTryCount();
    });
    $("try-" + which + "-values").addEventListener("input", showTryCount);
  }
  $("adv-engine").addEventListener("change", () => { $("adv-model").value = ""; showEngineFields(); });
  $("ctl-show").addEventListener("click", makeControlMap);
  $("ctl-kind").addEventListener("change", () => showControlMap(null));
  $("ctl-file").addEventListener("change", async (event) => {
    if (!event.target.files.length) return;
    try {
      const own = await upload(event.target.files[0]);
      showControlMap(own.id, "Your map: the job follows it.");
    } catch (error) { status("error: " + error.message); }
  });
  fillEngines("photo-to-anime").catch((error) => status("error: " + error.message));
  $("prompt-text").addEventListener("input", critiqueSoon);
  for (const part of FIELD_PARTS) {
    const label = document.createElement("label");
    label.textContent = part;
    const input = document.createElement("input");
    input.id = "part-" + part;
    input.maxLength = 300;
    input.placeholder = PARTS[part];
    input.addEventListener("input", (event) => {
      // Ctrl+Z steps back through the page's one undo history, the prompt's changes
      // included: an undone keystroke here is not a new edit of the prompt.
      if (event.inputType === "historyUndo" || event.inputType === "historyRedo") return;
      editPart(part);
    });
    label.appendChild(input);
    $("parts-grid").appendChild(label);
  }
  $("prompt-go").addEventListener("click", () => run(promptBody));
  $("cast-add").addEventListener("click", addCharacter);
  loadCharacters();
  $("char-form").addEventListener("submit", saveCharacter);
  $("prompt-character").addEventListener("change", critiqueSoon);
  $("prompt-style").addEventListener("change", critiqueSoon);
  $("prompt-use").addEventListener("change", critiqueSoon);
  for (const id of DRAFT_FIELDS) {
    $(id).addEventListener("input", saveDraft);
    $(id).addEventListener("change", saveDraft);
  }
  const tab = restoreDraft();
  restorePhoto();
  showTab(["photo", "prompt", "characters", "library"].includes(tab) ? tab : "photo");
  if ($("prompt-text").value.trim()) critiqueSoon();
  resume();
  $("lib-filters").addEventListener("submit", (event) => { event.preventDefault(); loadLibrary(); });
  for (const select of $("lib-filters").querySelectorAll("select, input[type=date]")) {
    select.addEventListener("change", () => loadLibrary());
  }
  loadFilterChoices().catch((error) => status("error: " + error.message));
  // On a phone the filters fold away under their summary, so the pictures come first.
  if (window.matchMedia("(max-width: 560px)").matches) $("lib-filter-box").open = false;
  $("viewer-tag").addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const tag = $("viewer-tag").value.trim();
    if (tag) retag(viewing, { add: [tag] }).then(() => { $("viewer-tag").value = ""; });
  });
  $("lib-more").addEventListener("click", () => loadLibrary(true));
  // Endless scrolling: the next page comes as the end of this one comes into view.
  if ("IntersectionObserver" in window) {
    new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && currentTab === "library" && !$("lib-more").hidden) loadLibrary(true);
    }, { rootMargin: "400px" }).observe($("lib-more"));
  }
  $("bulk-keep").addEventListener("click", () => bulk("keep"));
  $("bulk-reject").addEventListener("click", () => bulk("reject"));
  $("bulk-tag-go").addEventListener("click", () => bulk("tag"));
  $("bulk-tag").addEventListener("keydown", (event) => { if (event.key === "Enter") { event.preventDefault(); bulk("tag"); } });
  $("bulk-delete").addEventListener("click", () => bulk("delete"));
  let painting = false;
  const mask = $("edit-mask");
  mask.addEventListener("pointerdown", (event) => { painting = true; startStroke(event); });
  mask.addEventListener("pointermove", (event) => { showBrush(event); if (painting) paintAt(event); });
  mask.addEventListener("pointerleave", () => { $("brush-cursor").hidden = true; });
  $("zoom-fit").addEventListener("click", () => zoomTo(null));
  $("zoom-in").addEventListener("click", () => zoomTo(zoom * 1.25));
  $("zoom-out").addEventListener("click", () => zoomTo(zoom / 1.25));
  window.addEventListener("pointerup", () => { painting = false; lastPoint = null; });
  $("mask-clear").addEventListener("click", () => clearMask());
  $("mask-undo").addEventListener("click", undoMask);
  $("mask-invert").addEventListener("click", invertMask);
  $("edit-engine").addEventListener("change", explainEngine);
  $("compare-go").addEventListener("click", () => openCompare().catch((error) => status("error: " + error.message)));
  $("compare-clear").addEventListener("click", clearChoice);
  for (const radio of document.querySelectorAll("input[name=compare-mode]")) radio.addEventListener("change", compareMode);
  $("slider-at").addEventListener("input", reveal);
  $("viewer-prev").addEventListener("click", () => stepViewer(-1));
  $("viewer-next").addEventListener("click", () => stepViewer(1));
  $("viewer").addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step) { event.preventDefault(); stepViewer(step); }
  });
  $("edit-go").addEventListener("click", (event) => { submitEdit(event); });
  $("export-go").addEventListener("click", submitExport);
  $("set-go").addEventListener("click", submitSet);
  $("set-cancel").addEventListener("click", () => $("set-dialog").close());
  $("brand-go").addEventListener("click", submitBrand);
  $("story-go").addEventListener("click", submitStory);
  $("story-cancel").addEventListener("click", () => $("story-dialog").close());
  $("brand-cancel").addEventListener("click", () => $("brand-dialog").close());
  // Enter runs a dialog's main action (its only submit button); Cancel and Escape close
  // it, and Escape asks first when a mask has been painted.
  $("edit-cancel").addEventListener("click", () => $("edit-dialog").close());
  $("export-cancel").addEventListener("click", () => $("export-dialog").close());
  // Escape is caught as a key first: a browser lets a page refuse only one "cancel"
  // in a row, so a second Escape would drop the mask without asking.
  const keepsMask = () => !maskIsEmpty() && !window.confirm("Discard the painted mask?");
  $("edit-dialog").addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    if (!keepsMask()) $("edit-dialog").close();
  });
  $("edit-dialog").addEventListener("cancel", (event) => { if (keepsMask()) event.preventDefault(); });
}

async function loadCharacters() {
  try {
    const saved = await api("/api/characters");
    const names = saved.map((c) => c.name);
    for (const select of [$("prompt-character"), $("prompt-with"), $("lib-character")]) {
      replaceOptions(select, names);
    }
    const pending = $("prompt-character").dataset.pending;
    if (pending && names.includes(pending)) $("prompt-character").value = pending;
    delete $("prompt-character").dataset.pending;
    showCharacters(saved);
  } catch (error) { status("error: " + error.message); }
}

// The Characters tab: each saved character with its look, its latest sheet, and the
// way into a scene (the Prompt tab with the character chosen).
function showCharacters(saved) {
  const list = $("char-list");
  if (!saved.length) {
    const none = document.createElement("p");
    none.textContent = "None yet: describe one above, or read one from a photo.";
    list.replaceChildren(none);
    return;
  }
  list.replaceChildren(...saved.map(characterCard));
}

function characterCard(character) {
  const item = document.createElement("article");
  item.className = "character";
  item.dataset.name = character.name;
  const name = document.createElement("h3");
  name.textContent = character.name;
  const look = document.createElement("dl");
  fillTerms(look, Object.entries(character.traits).concat(character.style ? [["style", character.style]] : []));
  const sheet = document.createElement("div");
  sheet.className = "sheet";
  showSheet(character.name, sheet).catch(() => {});
  const actions = document.createElement("div");
  actions.className = "actions";
  const add = (label, handler) => addButton(actions, label, label + ": " + character.name, handler);
  add("Use in a scene", () => {
    showTab("prompt");
    $("prompt-character").value = character.name;
    $("prompt-text").placeholder = "what " + character.name + " does, where: laughing on a beach at sunset";
    $("prompt-text").focus();
    critiqueSoon();
  });
  add("Make a sheet", async (event) => {
    const button = event.target;
    button.disabled = true;
    status("drawing " + character.name + "'s sheet…");
    try {
      const gen = await api("/api/characters/" + encodeURIComponent(character.name) + "/sheet", { method: "POST" });
      await showSheet(character.name, sheet, gen);
      status(character.name + "'s sheet is in the library");
    } catch (error) { status("error: " + error.message); } finally { button.disabled = false; }
  });
  const stickers = document.createElement("div");
  stickers.className = "stickers";
  add("Make stickers", () => openSet(character.name, stickers).catch((error) => status("error: " + error.message)));
  const kit = document.createElement("div");
  kit.className = "kit";
  add("Make a brand kit", () => openBrand(character.name, kit));
  const story = document.createElement("div");
  story.className = "story";
  add("Make a story", () => openStory(character.name, story));
  add("Edit", () => editCharacter(character, item));
  if (character.refs.length) {
    add("Re-read from the photo", async (event) => {
      event.target.disabled = true;
      status("reading " + character.name + "'s photo again…");
      try {
        await changeCharacter(character.name, { reread: true });
        status(character.name + ": read again from the photo");
      } catch (error) { status("error: " + error.message); event.target.disabled = false; }
    });
  }
  add("Delete", async () => {
    if (!window.confirm("Delete " + character.name + "? Their images stay in the library.")) return;
    try {
      await api("/api/characters/" + encodeURIComponent(character.name), { method: "DELETE" });
      status(character.name + " deleted; their images stay in the library");
      await loadCharacters();
    } catch (error) { status("error: " + error.message); }
  });
  item.append(name, sheet, look, actions, stickers, kit, story);
  return item;
}

// ---- Sets (#37): a character's sticker set, and its packs for the messengers ----

let setChoices = null;  // GET /api/sets: the reactions and the platforms, read once
let setFor = null;  // the character the dialog makes stickers of, and where they show

async function openSet(name, box) {
  setChoices = setChoices || await api("/api/sets");
  setFor = { name, box };
  $("set-title").textContent = "Make a sticker set of " + name;
  const fields = $("set-reactions");
  fields.querySelectorAll("label").forEach((label) => label.remove());
  for (const reaction of setChoices.reactions) {
    const label = document.createElement("label");
    label.className = "reaction";
    const tick = document.createElement("input");
    tick.type = "checkbox";
    tick.value = reaction.name;
    tick.checked = reaction.default;
    tick.addEventListener("change", showSetCount);
    label.append(tick, " " + reaction.emoji + " " + reaction.name + " — " + reaction.en + " / " + reaction.ja);
    fields.appendChild(label);
  }
  $("set-error").textContent = "";
  showSetCount();
  $("set-dialog").showModal();
}

function chosenReactions() {
  return Array.from(document.querySelectorAll("#set-reactions input:checked"), (box) => box.value);
}

function showSetCount() {
  const count = chosenReactions().length;
  const fits = setChoices.platforms.filter((p) => p.counts.includes(count)).map((p) => p.title);
  $("set-count").textContent = plural(count, "sticker") + (fits.length ? " — a pack for " + fits.join(", ") : " — no messenger takes a pack of " + count);
}

async function submitSet(event) {
  event.preventDefault();
  const reactions = chosenReactions();
  if (!reactions.length || reactions.length > setChoices.most) {
    $("set-error").textContent = "Choose 1 to " + setChoices.most + " reactions.";
    return;
  }
  const { name, box } = setFor;
  const body = { character: name, reactions, caption: $("set-caption").value || null };
  $("set-dialog").close();
  if (busy) return;
  setBusy(true);
  status("drawing " + name + "'s stickers…");
  try {
    const job = await api("/api/sets", { method: "POST", json: body });
    const done = await follow(job);
    showSet(name, box, done.result[done.result.length - 1], reactions.length);
    status(name + "'s " + plural(reactions.length, "sticker") + " are in the library");
  } catch (error) { status("error: " + error.message); } finally { setBusy(false); }
}

// The set's sheet (opening the viewer) and a download for every messenger that takes
// a pack of its size; the others say what they take.
function showSet(name, box, setId, count) {
  const link = viewerLink(setId, name + "'s sticker set");
  link.className = "set-sheet";
  const list = document.createElement("ul");
  list.className = "packs";
  for (const platform of setChoices.platforms) {
    const item = document.createElement("li");
    if (platform.counts.includes(count)) {
      const pack = document.createElement("a");
      pack.href = "/api/sets/" + encodeURIComponent(setId) + "/pack/" + platform.name;
      pack.download = name + "-" + platform.name + ".zip";
      pack.textContent = platform.title + " pack (.zip)";
      item.appendChild(pack);
    } else {
      const counts = platform.counts;
      item.textContent = platform.title + ": a pack has " + (counts.length > 8 ? counts[0] + "–" + counts[counts.length - 1] : counts.join(", ")) + " stickers";
    }
    list.appendChild(item);
  }
  box.replaceChildren(link, list);
}

// ---- A brand kit (#37): the character once per use, laid out with a title ----

let brandFor = null;  // the character the dialog makes a kit of, and where it shows

function openBrand(name, box) {
  brandFor = { name, box };
  $("brand-title").textContent = "Make a brand kit of " + name;
  $("brand-error").textContent = "";
  $("brand-dialog").showModal();
}

async function submitBrand(event) {
  event.preventDefault();
  const { name, box } = brandFor;
  const title = $("brand-name").value.trim();
  const subtitle = $("brand-subtitle").value.trim();
  $("brand-dialog").close();
  if (busy) return;
  setBusy(true);
  status("drawing " + name + "'s brand kit…");
  try {
    const job = await api("/api/sets", { method: "POST", json: { kind: "brand", character: name } });
    const done = await follow(job);
    const setId = done.result[done.result.length - 1];
    const link = viewerLink(setId, name + "'s brand kit");
    link.className = "set-sheet";
    const zip = document.createElement("a");
    const query = new URLSearchParams();
    if (title) query.set("title", title);
    if (subtitle) query.set("subtitle", subtitle);
    zip.href = "/api/sets/" + encodeURIComponent(setId) + "/kit" + (query.size ? "?" + query : "");
    zip.download = name + "-brand-kit.zip";
    zip.textContent = "Brand kit (.zip): avatar, banner, thumbnail, cover, post";
    box.replaceChildren(link, zip);
    status(name + "'s brand kit is in the library");
  } catch (error) { status("error: " + error.message); } finally { setBusy(false); }
}

// ---- A story (#37): a script's panels drawn, lettered and laid out ----

let storyFor = null;  // the character the dialog starts a story of, and where it shows

function openStory(name, box) {
  storyFor = { name, box };
  $("story-title").textContent = "Make a story with " + name;
  $("story-error").textContent = "";
  const script = $("story-script");
  if (!script.value.trim() || script.dataset.for !== name) {
    script.value = "1. at school, sunny morning\n" + name + ": Good morning!\n\n" +
      "2. close up, " + name + " surprised\n" + name + ": Wait, today is a holiday?\n\n" +
      "3. " + name + " laughing\n" + name + ": Then let's go to the beach!\n\n" +
      "4. at the beach, sunset\nSFX: splash";
    script.dataset.for = name;
  }
  $("story-dialog").showModal();
}

async function submitStory(event) {
  event.preventDefault();
  const { name, box } = storyFor;
  const script = $("story-script").value;
  const layout = $("story-layout").value;
  const title = $("story-name").value.trim();
  if (!script.trim()) { $("story-error").textContent = "write a panel: a scene line, then who says what"; return; }
  $("story-dialog").close();
  if (busy) return;
  setBusy(true);
  status("drawing the story's panels…");
  try {
    const body = { kind: "story", script };
    if (layout) body.layout = layout;
    if (title) body.title = title;
    const job = await api("/api/sets", { method: "POST", json: body });
    const done = await follow(job);
    const setId = done.result[done.result.length - 1];
    const page = "/api/sets/" + encodeURIComponent(setId) + "/page";
    const img = document.createElement("img");
    img.className = "story-page";
    img.alt = (title || name + "'s story") + ": the lettered page";
    img.src = page;
    const zip = document.createElement("a");
    zip.href = page + "?zip=true";
    zip.download = name + "-story.zip";
    zip.textContent = "Story page (.zip)";
    const link = viewerLink(setId, name + "'s story panels");
    link.className = "set-sheet";
    box.replaceChildren(img, zip, link);
    status(name + "'s story is in the library");
  } catch (error) {
    status("error: " + error.message);
    $("story-error").textContent = error.message;
  } finally { setBusy(false); }
}

async function changeCharacter(name, change) {
  const saved = await api("/api/characters/" + encodeURIComponent(name), { method: "PATCH", json: change });
  await loadCharacters();
  return saved;
}

// A character corrected in place: its name and each trait (empty removes it), saved
// together; Escape or Cancel leaves it as it was.
const CHARACTER_TRAITS = ["character", "hair", "outfit", "expression"];
function editCharacter(character, item) {
  if (item.querySelector("form")) return;
  const form = document.createElement("form");
  form.className = "char-edit";
  form.setAttribute("aria-label", "Edit " + character.name);
  const field = (label, key, value) => {
    const wrap = document.createElement("label");
    wrap.textContent = label;
    const input = document.createElement("input");
    input.name = key;
    input.value = value || "";
    input.maxLength = key === "name" ? 100 : 1000;
    wrap.appendChild(input);
    form.appendChild(wrap);
    return input;
  };
  const first = field("Name", "name", character.name);
  for (const part of CHARACTER_TRAITS) field(part, part, character.traits[part]);
  const row = document.createElement("div");
  row.className = "row";
  const save = document.createElement("button");
  save.type = "submit";
  save.className = "primary";
  save.textContent = "Save";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.textContent = "Cancel";
  cancel.addEventListener("click", () => form.remove());
  row.append(cancel, save);
  form.appendChild(row);
  form.addEventListener("keydown", (event) => { if (event.key === "Escape") form.remove(); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const change = { traits: {} };
    const newName = form.elements.name.value.trim();
    if (newName && newName !== character.name) change.name = newName;
    for (const part of CHARACTER_TRAITS) {
      const value = form.elements[part].value.trim();
      if (value !== (character.traits[part] || "")) change.traits[part] = value;
    }
    try {
      await changeCharacter(character.name, change);
      status((change.name || character.name) + " saved");
    } catch (error) { status("error: " + error.message); }
  });
  item.appendChild(form);
  first.focus();
}

async function showSheet(name, box, gen) {
  if (!gen) {
    const query = new URLSearchParams({ character: name, use: "sheet", limit: "1" });
    [gen] = await api("/api/generations?" + query);
  }
  if (!gen) { box.replaceChildren(); return; }
  box.replaceChildren(viewerLink(gen.id, name + "'s character sheet"));
}

// A laid-out generation (a sheet, a set) as a 384 px image linking to its full size,
// opening the viewer when clicked.
function viewerLink(id, alt) {
  const link = document.createElement("a");
  link.href = "/api/images/" + encodeURIComponent(id);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    openViewer(id).catch((error) => status("error: " + error.message));
  });
  const img = document.createElement("img");
  img.src = link.href + "?size=384";
  img.alt = alt;
  link.appendChild(img);
  return link;
}

async function saveCharacter(event) {
  event.preventDefault();
  const error = $("char-error");
  error.textContent = "";
  const file = $("char-photo").files[0];
  const description = $("char-description").value;
  if (!description.trim() && !file) {
    error.textContent = "Describe the character, or choose a photo to read their look from.";
    return;
  }
  $("char-go").disabled = true;
  try {
    const photo = file ? (await upload(file)).id : null;
    status(photo ? "reading the look from the photo…" : "");
    // In a photo of several people, which one (from the left): the server asks.
    const person = $("char-person").value ? Number($("char-person").value) : null;
    const saved = await api("/api/characters", { method: "POST", json: {
      name: $("char-name").value.trim(), description, photo, style: $("char-style").value || null,
      person: photo ? person : null,
    } });
    $("char-form").reset();
    status(saved.name + " is saved");
    await loadCharacters();
  } catch (e) { error.textContent = e.message; status(""); } finally { $("char-go").disabled = false; }
}

async function choosePhoto(file) {
  try {
    uploaded = await upload(file);
    const preview = $("photo-preview");
    // A browser shows PNG, JPEG and WEBP itself; a HEIC is shown as the server reads it.
    preview.src = /^image\/(png|jpeg|webp)$/.test(file.type)
      ? URL.createObjectURL(file) : "/api/uploads/" + uploaded.id + "?size=384";
    preview.hidden = false;
    $("drop-text").textContent = file.name + " · " + uploaded.width + "×" + uploaded.height;
    $("photo-go").disabled = $("photo-try").disabled = false;
    localStorage.setItem(PHOTO_KEY, JSON.stringify({ id: uploaded.id, width: uploaded.width,
                                                      height: uploaded.height, name: file.name }));
  } catch (error) {
    forgetPhoto(); // a refused photo is not the chosen one: nothing is made by mistake
    status("error: " + file.name + ": " + error.message);
  }
}

function forgetPhoto() {
  uploaded = null;
  localStorage.removeItem(PHOTO_KEY);
  $("photo-preview").hidden = true;
  $("drop-text").textContent = "Drop a photo here, or choose one";
  $("photo-go").disabled = $("photo-try").disabled = true;
}

// The chosen photo survives a reload: it is stored on the server already.
const PHOTO_KEY = "sakuga-photo";
function restorePhoto() {
  const photo = stored(PHOTO_KEY);
  if (!photo || !/^[0-9a-f]{64}$/.test(photo.id || "")) return;
  uploaded = photo;
  const preview = $("photo-preview");
  preview.onerror = forgetPhoto; // gone from the server: choose again
  preview.src = "/api/uploads/" + photo.id + "?size=384";
  preview.hidden = false;
  $("drop-text").textContent = String(photo.name || "photo") + " · " + photo.width + "×" + photo.height;
  $("photo-go").disabled = $("photo-try").disabled = busy;
}

setup();
