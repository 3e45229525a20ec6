// fjudge review app: plain DOM, no framework. State lives on the server (SQLite).
// Live pages run in the judge's isolated browser; this page only shows their frames and
// relays clicks, wheel scrolls and keys.
"use strict";
const $ = (id) => document.getElementById(id);
let config = null, rater = "", mode = null, current = null, pairNow = null, values = {}, active = 0;
const lives = {};  // container id → {token, width, height, img}

async function api(path, body) {
  const opts = body !== undefined ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {};
  const r = await fetch(path, opts);
  if (!r.ok) throw new Error(await r.text());
  return r.json();
}

function show(section) {
  for (const s of ["login", "rate", "pair", "finished"]) $(s).classList.toggle("hidden", s !== section);
  $("rate-panel").classList.toggle("hidden", section !== "rate");
  $("pair-panel").classList.toggle("hidden", section !== "pair");
}

function shots(el, view) {
  el.dataset.item = view.item;
  el.replaceChildren(...view.images.map((im) => {
    const f = document.createElement("figure");
    f.className = im.name;
    const img = document.createElement("img");
    img.src = im.url; img.alt = view.item + " at " + im.name;
    const c = document.createElement("figcaption"); c.textContent = im.name;
    f.append(img, c); return f;
  }));
}

async function endLive(box) {
  const live = lives[box];
  if (!live) return;
  delete lives[box];
  $(box).classList.add("hidden");
  $(box).replaceChildren();
  try { await api(`/api/live/${live.token}/end`, {}); } catch (e) { /* already closed */ }
}

function refresh(box) {
  const live = lives[box];
  if (live) live.img.src = `/api/live/${live.token}/frame?t=${Date.now()}`;
}

async function act(box, action) {
  const live = lives[box];
  if (!live) return;
  await api(`/api/live/${live.token}/act`, action);
  refresh(box);
}

function liveControls(box, view) {
  // A "Live page" button per item; the frame appears under the screenshots.
  const el = $(box);
  el.classList.remove("hidden");
  const bar = document.createElement("div"); bar.className = "bar";
  const sel = document.createElement("select");
  sel.className = "live-viewport";
  for (const vp of config.viewports) { const o = document.createElement("option"); o.value = o.textContent = vp; sel.append(o); }
  if (config.viewports.includes("desktop")) sel.value = "desktop";
  const open = document.createElement("button"); open.textContent = "Live page (L)"; open.className = "live-open";
  const back = document.createElement("button"); back.textContent = "Back"; back.className = "live-back";
  const reload = document.createElement("button"); reload.textContent = "Reload"; reload.className = "live-reload";
  const note = document.createElement("span"); note.className = "muted";
  note.textContent = "click, scroll and type in the frame; it runs in the judge's sandbox";
  bar.append(open, sel, back, reload, note);
  el.replaceChildren(bar);
  open.onclick = () => openLive(box, view, sel.value);
  back.onclick = () => act(box, { type: "back" });
  reload.onclick = () => act(box, { type: "reload" });
}

async function openLive(box, view, viewport) {
  const old = lives[box];
  if (old) { delete lives[box]; try { await api(`/api/live/${old.token}/end`, {}); } catch (e) {} }
  const r = await api(`/api/live/open?item=${encodeURIComponent(view.item)}&viewport=${viewport}`, {});
  const img = document.createElement("img");
  img.tabIndex = 0; img.className = "live-frame"; img.alt = "live page of " + view.item;
  img.dataset.token = r.token;
  lives[box] = { token: r.token, width: r.width, height: r.height, img };
  img.onclick = (e) => {
    img.focus();
    const k = r.width / img.clientWidth;
    act(box, { type: "click", x: Math.round(e.offsetX * k), y: Math.round(e.offsetY * k) });
  };
  let pending = 0;
  img.addEventListener("wheel", (e) => {
    e.preventDefault();
    pending += e.deltaY;
    if (pending && !img.dataset.busy) {
      img.dataset.busy = "1";
      const dy = pending; pending = 0;
      const k = r.width / img.clientWidth;
      act(box, { type: "scroll", x: Math.round(e.offsetX * k), y: Math.round(e.offsetY * k), dy }).finally(() => { delete img.dataset.busy; });
    }
  }, { passive: false });
  img.addEventListener("keydown", (e) => {
    e.preventDefault(); e.stopPropagation();  // keys typed into the page are not ratings
    if (e.key === "Escape") { img.blur(); return; }
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey) act(box, { type: "text", text: e.key });
    else act(box, { type: "key", key: e.key });
  });
  const el = $(box);
  const prev = el.querySelector("img.live-frame");
  if (prev) prev.replaceWith(img); else el.append(img);
  refresh(box);
}

function renderDims() {
  const [lo, hi] = config.scale;
  $("dims").replaceChildren(...config.dimensions.map((d, i) => {
    const row = document.createElement("div");
    row.className = "dim" + (i === active ? " active" : "");
    row.dataset.dim = d;
    const label = document.createElement("b"); label.textContent = d;
    row.append(label);
    for (let v = lo; v <= hi; v++) {
      const b = document.createElement("button");
      b.textContent = v; b.dataset.value = v;
      if (values[d] === v) b.classList.add("on");
      b.onclick = () => { values[d] = v; active = Math.min(i + 1, config.dimensions.length - 1); renderDims(); };
      row.append(b);
    }
    return row;
  }));
}

async function nextItem(skip) {
  await endLive("rate-live");
  const q = skip ? `&skip=${encodeURIComponent(skip)}` : "";
  const r = await api("/api/next?rater=" + encodeURIComponent(rater) + q);
  $("progress").textContent = `${r.done} / ${r.total} rated`;
  if (!r.item) { current = null; show("finished"); return; }
  current = r; values = {}; active = 0;
  $("rate-item").textContent = r.item;
  shots($("rate-shots"), r);
  if (r.live) liveControls("rate-live", r);
  renderDims(); show("rate");
}

async function submitRating() {
  if (!current) return;
  if (values.overall === undefined) { alert("Please give an overall rating."); return; }
  await api("/api/rate", { rater, item: current.item, ratings: values });
  await nextItem();
}

async function nextPair() {
  await endLive("left-live"); await endLive("right-live");
  const r = await api("/api/pair?rater=" + encodeURIComponent(rater));
  $("progress").textContent = `${r.done} / ${r.total} pairs compared`;
  if (!r.left) { pairNow = null; show("finished"); return; }
  pairNow = r;
  $("left-name").textContent = r.left.item; $("right-name").textContent = r.right.item;
  shots($("left-shots"), r.left); shots($("right-shots"), r.right);
  if (r.left.live) liveControls("left-live", r.left);
  if (r.right.live) liveControls("right-live", r.right);
  show("pair");
}

async function pick(winner) {
  if (!pairNow) return;
  await api("/api/pair", { rater, left: pairNow.left.item, right: pairNow.right.item, winner });
  await nextPair();
}

async function start(m) {
  rater = $("name").value.trim();
  if (!rater) { $("name").focus(); return; }
  mode = m;
  config = config || await api("/api/config");
  if (m === "rate") await nextItem(); else await nextPair();
}

$("start-rate").onclick = () => start("rate");
$("start-pair").onclick = () => start("pair");
$("submit-rate").onclick = submitRating;
$("skip").onclick = () => current && nextItem(current.item);
$("pick-left").onclick = () => pick("left");
$("pick-right").onclick = () => pick("right");
$("pick-tie").onclick = () => pick("tie");
$("save-export").onclick = async () => {
  const r = await api("/api/export/save?fmt=csv", {});
  $("saved").textContent = "saved " + r.path;
};

document.addEventListener("keydown", (e) => {
  if (e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
  if (mode === "rate" && current) {
    const [lo, hi] = config.scale;
    const v = Number(e.key);
    if (e.key.trim() !== "" && Number.isInteger(v) && v >= lo && v <= hi) {
      values[config.dimensions[active]] = v;
      active = Math.min(active + 1, config.dimensions.length - 1);
      renderDims();
    } else if (e.key === "ArrowDown") { e.preventDefault(); active = Math.min(active + 1, config.dimensions.length - 1); renderDims(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); active = Math.max(active - 1, 0); renderDims(); }
    else if (e.key === "Enter") { e.preventDefault(); submitRating(); }
    else if ((e.key === "l" || e.key === "L") && current.live) {
      const btn = document.querySelector("#rate-live .live-open");
      if (btn) btn.click();
    }
  } else if (mode === "pair" && pairNow) {
    if (e.key === "ArrowLeft") pick("left");
    else if (e.key === "ArrowRight") pick("right");
    else if (e.key === "=") pick("tie");
  }
});
