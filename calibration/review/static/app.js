// fjudge review app: plain DOM, no framework. State lives on the server (SQLite).
"use strict";
const $ = (id) => document.getElementById(id);
let config = null, rater = "", mode = null, current = null, pairNow = null, values = {}, active = 0;

async function api(path, body) {
  const opts = body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {};
  const r = await fetch(path, opts);
  if (!r.ok) throw new Error(await r.text());
  return r.json();
}

function show(section) {
  for (const s of ["login", "rate", "pair", "finished"]) $(s).classList.toggle("hidden", s !== section);
}

function shots(el, view) {
  el.dataset.item = view.item;
  el.replaceChildren(...view.images.map((im) => {
    const f = document.createElement("figure");
    const img = document.createElement("img");
    img.src = im.url; img.alt = view.item + " " + im.name;
    const c = document.createElement("figcaption"); c.textContent = view.item + " · " + im.name;
    f.append(img, c); return f;
  }));
}

function renderDims() {
  const [lo, hi] = config.scale;
  $("dims").replaceChildren(...config.dimensions.map((d, i) => {
    const row = document.createElement("div");
    row.className = "dim" + (i === active ? " active" : "");
    row.dataset.dim = d;
    const label = document.createElement("b"); label.textContent = d + " ";
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

async function nextItem() {
  const r = await api("/api/next?rater=" + encodeURIComponent(rater));
  $("progress").textContent = `${r.done} / ${r.total} rated`;
  if (!r.item) { current = null; show("finished"); return; }
  current = r; values = {}; active = 0;
  $("rate-item").textContent = r.item;
  shots($("rate-shots"), r);
  renderDims(); show("rate");
}

async function submitRating() {
  if (!current) return;
  const missing = config.dimensions.filter((d) => values[d] === undefined);
  if (missing.includes("overall")) { alert("Please give an overall rating."); return; }
  await api("/api/rate", { rater, item: current.item, ratings: values });
  await nextItem();
}

async function nextPair() {
  const r = await api("/api/pair?rater=" + encodeURIComponent(rater));
  $("progress").textContent = `${r.done} / ${r.total} pairs compared`;
  if (!r.left) { pairNow = null; show("finished"); return; }
  pairNow = r;
  shots($("left-shots"), r.left); shots($("right-shots"), r.right);
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
$("pick-left").onclick = () => pick("left");
$("pick-right").onclick = () => pick("right");
$("pick-tie").onclick = () => pick("tie");

document.addEventListener("keydown", (e) => {
  if (e.target.tagName === "INPUT") return;
  if (mode === "rate" && current) {
    const [lo, hi] = config.scale;
    const v = Number(e.key);
    if (Number.isInteger(v) && v >= lo && v <= hi && e.key.trim() !== "") {
      values[config.dimensions[active]] = v;
      active = Math.min(active + 1, config.dimensions.length - 1);
      renderDims();
    } else if (e.key === "ArrowDown") { active = Math.min(active + 1, config.dimensions.length - 1); renderDims(); }
    else if (e.key === "ArrowUp") { active = Math.max(active - 1, 0); renderDims(); }
    else if (e.key === "Enter") submitRating();
  } else if (mode === "pair" && pairNow) {
    if (e.key === "ArrowLeft") pick("left");
    else if (e.key === "ArrowRight") pick("right");
    else if (e.key === "=") pick("tie");
  }
});
