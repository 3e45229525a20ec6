// Runs before any page script, in every frame. Makes the page deterministic and harmless:
// seeded Math.random, virtual time, non-blocking dialogs, no popups; records what it tried.
(() => {
  const rec = (window.__fjudge = { dialogs: [], popups: [], rejections: [], errors: [], media: 0 });
  // mulberry32: small, fast, good enough for UI randomness; the seed is fixed per judgment.
  let s = 0x9e3779b9 >>> 0;
  Math.random = function random() {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  if (window.crypto && crypto.getRandomValues) {
    crypto.getRandomValues = function (arr) {
      for (let i = 0; i < arr.length; i++) arr[i] = Math.floor(Math.random() * 256 ** Math.min(arr.BYTES_PER_ELEMENT || 1, 4));
      return arr;
    };
    // randomUUID builds on getRandomValues in spirit: keep it seeded too.
    crypto.randomUUID = function () {
      const h = [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16));
      h[12] = "4";
      h[16] = ((parseInt(h[16], 16) & 3) | 8).toString(16);
      const x = h.join("");
      return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
    };
  }
  // Virtual time. The page's timers (setTimeout, setInterval, requestAnimationFrame,
  // requestIdleCallback), performance.now() and Date run on a clock that only moves when the
  // judge advances it (window.__fjClock.advance), firing due callbacks in order, each in its
  // own task (so an exception in one is an uncaught exception, as in a browser). The page is
  // judged in the same state on every run, however busy the machine, and a page that shows
  // its content after a delay (a loader, a skeleton, a typewriter) is seen once it has.
  // The judge's own scripts use the native timers (window.__fjNative).
  const N = {
    setTimeout: window.setTimeout.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    setInterval: window.setInterval.bind(window),
    clearInterval: window.clearInterval.bind(window),
    raf: window.requestAnimationFrame.bind(window),
    now: performance.now.bind(performance),
    // The judge's own listeners: a page that patches addEventListener (to drop or wrap
    // events) must not switch off what watches it.
    listen: EventTarget.prototype.addEventListener,
  };
  // Finite animations and transitions jumped to their end, so what the judge measures next does
  // not depend on how far real time got (`runningOnly`: not the paused ones); returns how many,
  // and the endless ones, which it leaves alone.
  N.finishAnimations = (runningOnly) => {
    let finished = 0;
    const endless = [];
    for (const a of document.getAnimations()) {
      try {
        const t = a.effect && a.effect.getComputedTiming();
        if (!t || !Number.isFinite(t.endTime)) endless.push(a);
        else if (!runningOnly || a.playState === "running") { a.finish(); finished++; }
      } catch (e) { /* an animation that refuses: leave it */ }
    }
    return { finished, endless };
  };
  // Focus off whatever has it: its focus ring (or a menu focus opened) is no later step's effect.
  N.blur = () => { const a = document.activeElement; if (a && a !== document.body && a.blur) a.blur(); };
  Object.defineProperty(window, "__fjNative", { value: N });
  // Requests in flight (fetch, XHR) and when the last one started or ended: the judge waits in
  // real time only while the page waits on the network (everything else runs on virtual time),
  // so an action that started no request is done at once instead of after a fixed wait.
  let inflight = 0, netAt = -1e9;
  const settled = () => { inflight = Math.max(0, inflight - 1); netAt = N.now(); };
  if (window.fetch) {
    const nativeFetch = window.fetch;
    window.fetch = function fetch(...args) {
      inflight++; netAt = N.now();
      let p;
      try { p = nativeFetch.apply(this, args); } catch (e) { settled(); throw e; }
      p.then(settled, settled);
      return p;
    };
  }
  if (window.XMLHttpRequest) {
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (...args) {
      inflight++; netAt = N.now();
      this.addEventListener("loadend", settled, { once: true });
      try { return send.apply(this, args); } catch (e) { settled(); throw e; }
    };
  }
  const net = () => ({ inflight, idle_ms: N.now() - netAt });
  const FIXED = __FJUDGE_FIXED_MS__;
  const FRAME = 1000 / 60;
  const INTERVAL_BURST = 25;
  const timers = new Map();
  let vnow = 0, nextId = 1, seq = 0, autoTimer = null;
  function add(fn, delay, args, every) {
    if (typeof fn !== "function") { const code = String(fn); fn = () => (0, eval)(code); }
    const id = nextId++;
    timers.set(id, { due: vnow + delay, seq: seq++, fn, args, every });
    return id;
  }
  const cancel = (id) => { timers.delete(id); };
  window.setTimeout = function setTimeout(fn, delay, ...args) { return add(fn, Math.max(0, Number(delay) || 0), args, 0); };
  window.setInterval = function setInterval(fn, delay, ...args) { const d = Math.max(4, Number(delay) || 0); return add(fn, d, args, d); };
  window.clearTimeout = function clearTimeout(id) { cancel(id); };
  window.clearInterval = function clearInterval(id) { cancel(id); };
  window.requestAnimationFrame = function requestAnimationFrame(cb) {
    // The next frame boundary strictly after now. Counted in whole frames from vnow * 60 (exact
    // for the clock's whole milliseconds): vnow / FRAME put 1050 ms at frame 62.999…, so the
    // "next" frame was 1050 itself, and a rAF loop re-queued itself at the same instant for
    // ever — every advance burnt its 4000 calls or 4 s there, and a WebGL scene never settled.
    let due = ((Math.floor((vnow * 60) / 1000 + 1e-9) + 1) * 1000) / 60;
    if (!(due > vnow)) due = vnow + FRAME;
    return add(() => cb(due), due - vnow, [], 0);
  };
  window.cancelAnimationFrame = function cancelAnimationFrame(id) { cancel(id); };
  window.requestIdleCallback = function requestIdleCallback(cb) {
    return add(() => cb({ didTimeout: false, timeRemaining: () => 10 }), 1, [], 0);
  };
  window.cancelIdleCallback = function cancelIdleCallback(id) { cancel(id); };
  performance.now = function now() { return vnow; };
  // Each due callback runs in its own task (its promise reactions run before the next one, and
  // what it throws is uncaught, as in a browser). A MessageChannel task, not setTimeout(0):
  // nested timeouts are clamped to 4 ms, which made every virtual frame cost 4 ms of real time.
  const channel = new MessageChannel(), queued = [];
  channel.port1.onmessage = () => { const f = queued.shift(); if (f) f(); };
  const task = (f) => { queued.push(f); channel.port2.postMessage(0); };
  function due(limit) {
    let best = null, bestId = null;
    for (const [id, t] of timers) {
      if (t.due <= limit && (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq))) { best = t; bestId = id; }
    }
    return [bestId, best];
  }
  async function advance(ms, maxCalls = 4000, maxRealMs = 4000) {
    const target = vnow + Math.max(0, ms);
    const start = N.now();
    let calls = 0;
    const fired = new Map();
    for (;;) {
      const [id, t] = due(target);
      if (!t) break;
      if (t.every && (fired.get(id) || 0) >= INTERVAL_BURST) {
        // A busy browser drops an interval's missed beats rather than queueing them: a 5 ms
        // poller fires at most INTERVAL_BURST times per advance, not hundreds of fetches.
        t.due = target + t.every;
        continue;
      }
      if (calls++ >= maxCalls || N.now() - start > maxRealMs) return { now: vnow, calls, truncated: true };
      vnow = Math.max(vnow, t.due);
      if (t.every) { fired.set(id, (fired.get(id) || 0) + 1); t.due += t.every; t.seq = seq++; } else timers.delete(id);
      // Resolve first, then run: a callback that throws still lets the clock go on.
      await new Promise((resolve) => task(() => { resolve(); t.fn.apply(window, t.args); }));
    }
    vnow = target;
    return { now: vnow, calls, truncated: false };
  }
  function auto(on) {
    // Real time for a person looking at the page (the review app): the clock follows the wall.
    if (autoTimer) { N.clearInterval(autoTimer); autoTimer = null; }
    if (!on) return;
    let last = N.now();
    autoTimer = N.setInterval(() => { const t = N.now(); advance(t - last); last = t; }, 16);
  }
  Object.defineProperty(window, "__fjClock", { value: { advance, auto, net, now: () => vnow, pending: () => timers.size } });
  const NativeDate = Date;
  function FixedDate(...args) {
    if (!new.target) return new NativeDate(FIXED + vnow).toString();
    return args.length ? new NativeDate(...args) : new NativeDate(FIXED + vnow);
  }
  FixedDate.prototype = NativeDate.prototype;
  Object.setPrototypeOf(FixedDate, NativeDate);
  FixedDate.now = () => FIXED + Math.floor(vnow);
  FixedDate.parse = NativeDate.parse;
  FixedDate.UTC = NativeDate.UTC;
  Object.defineProperty(FixedDate.prototype, "constructor", { value: FixedDate, configurable: true, writable: true });
  window.Date = FixedDate;
  // Dialog storms cannot block the judge: dialogs return at once and are recorded.
  const note = (kind) => (msg) => { if (rec.dialogs.length < 100) rec.dialogs.push(`${kind}: ${String(msg).slice(0, 200)}`); };
  window.alert = note("alert");
  window.confirm = (m) => { note("confirm")(m); return false; };
  window.prompt = (m) => { note("prompt")(m); return null; };
  window.print = () => note("print")("");
  window.open = (url) => { if (rec.popups.length < 50) rec.popups.push(String(url)); return null; };
  window.addEventListener("unhandledrejection", (e) => {
    if (rec.rejections.length < 50) rec.rejections.push(String(e.reason && (e.reason.stack || e.reason.message) || e.reason).slice(0, 500));
  });
  window.addEventListener("beforeunload", (e) => { e.stopImmediatePropagation(); }, true);
  // Sound is a response too (a sound board changes nothing on screen): count media plays.
  // A play() that a later pause() or load() interrupts rejects with an AbortError — how soon
  // depends on how fast the file arrives, and nobody sees it: that one rejection is dropped
  // (the promise stays pending, as the sound it stood for never started); any other
  // rejection reaches the page, and is reported if the page ignores it, as before.
  if (window.HTMLMediaElement) {
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      rec.media++;
      const p = play.apply(this, arguments);
      if (!p || typeof p.then !== "function") return p;
      return p.catch((e) => {
        if (e && e.name === "AbortError") return new Promise(() => {});
        throw e;
      });
    };
  }
  // Drawing on a canvas changes no DOM node and often nothing near the control: count draw
  // calls, so a control whose effect is a drawing (a paint app's Clear wiping a canvas across
  // the page, a chart's toggle) is seen responding.
  rec.canvas = 0;
  const countDraws = (proto, names) => {
    for (const name of names) {
      const draw = proto && proto[name];
      if (typeof draw !== "function") continue;
      proto[name] = function () { rec.canvas++; return draw.apply(this, arguments); };
    }
  };
  countDraws(window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype, [
    "clearRect", "fillRect", "strokeRect", "fill", "stroke", "fillText", "strokeText",
    "drawImage", "putImageData",
  ]);
  for (const gl of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    countDraws(gl && gl.prototype, ["clear", "drawArrays", "drawElements"]);
  }
  // What a WebGL scene is drawn with: its colour-sized uniforms (vec3/vec4: a material's
  // colour, a light's) and clear colour, the last value set per uniform. A scene that redraws
  // every frame (a three.js render loop) draws whether or not a control did anything; a
  // control that recolours it changes these (three.js sets a uniform only when it changes).
  // Uniforms that change on their own (an animated light) are learned by controls.js.
  const look = new Map(), lookIds = new WeakMap();
  let lookNext = 0;
  const lookId = (o) => {
    if (!o || typeof o !== "object") return "-";
    let k = lookIds.get(o);
    if (k === undefined) { k = ++lookNext; lookIds.set(o, k); }
    return k;
  };
  const num = (x) => (typeof x === "number" ? Math.round(x * 1000) / 1000 : 0);
  rec.look = look;
  for (const gl of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
    const proto = gl && gl.prototype;
    if (!proto) continue;
    for (const name of ["uniform3f", "uniform4f", "uniform3fv", "uniform4fv", "clearColor"]) {
      const orig = proto[name];
      if (typeof orig !== "function") continue;
      proto[name] = function (loc, ...rest) {
        try {
          if (look.size < 400) {
            const vals = name === "clearColor" ? [loc, ...rest] : name.endsWith("v") ? Array.from(rest[0] || []).slice(0, 12) : rest;
            look.set(name === "clearColor" ? "clear:" + lookId(this) : "u:" + lookId(loc), vals.map(num).join(","));
          }
        } catch (e) { /* never in the page's way */ }
        return orig.apply(this, arguments);
      };
    }
  }
})();
