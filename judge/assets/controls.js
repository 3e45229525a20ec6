// Interaction-probe helpers, installed as window.__fjp by judge/interact.py (after every load).
// discover() lists the page's controls with geometry and reachability; state() snapshots what an
// action may change; quiet() learns which nodes change on their own (clocks, tickers, carousels)
// so that waitChange() — which resolves on the first mutation the action caused, or after `ms` —
// does not take a page's own animation for the control's response.
(() => {
  if (window.__fjp) return;
  // The page's timers run on virtual time (assets/init.js); ours are the native ones.
  const N = window.__fjNative
    || {
      setTimeout: setTimeout.bind(window),
      clearTimeout: clearTimeout.bind(window),
      raf: requestAnimationFrame.bind(window),
      now: () => performance.now(),
    };
  // Our listeners through the native addEventListener (init.js keeps it before any page
  // script): a page that patched it to drop user events — dead handlers — dropped ours too,
  // and a form it let submit was seen leaving on one run and not on the next.
  const listen = (target, ...args) =>
    (N.listen || EventTarget.prototype.addEventListener).apply(target, args);
  const ACT_VIRTUAL_MS = 800;
  const MIN_REAL_MS = 12; // native tasks an action may queue (React's scheduler, postMessage)
  const NET_SETTLE_MS = 30; // a reply's body and handlers, after the request itself ended
  let mutations = 0;
  let wake = null;
  let learning = null; // Set of nodes seen changing while nothing was done
  const noisy = new Set();
  const isNoisy = (node) => {
    for (let n = node; n; n = n.parentNode) if (noisy.has(n)) return true;
    return false;
  };
  // Changes to nodes that also change on their own. Their own changes come only from the
  // page's timers, which run only while virtual time is advanced: one that happens between an
  // action and the next advance is the action's (a carousel's "next" button).
  let noisyChanges = 0;
  // Draw calls on canvases (counted by init.js), unless the page draws on its own.
  let canvasNoisy = false;
  const canvasDraws = () => (window.__fjudge && window.__fjudge.canvas) || 0;
  // A WebGL scene's colours (init.js), less the uniforms seen changing on their own.
  const lookNoisy = new Set();
  const looks = () => (window.__fjudge && window.__fjudge.look) || new Map();
  const lookNow = () => {
    const out = [];
    for (const [k, v] of looks()) if (!lookNoisy.has(k)) out.push(k + "=" + v);
    return out.sort().join(";");
  };
  // Elements whose text changed, with the mutation count when it did: a "10" between − and +
  // that the buttons rewrite is their readout, not a control of its own (wroteSince).
  const written = [];
  let shownLines = null, shownAt = 0;
  new MutationObserver((list) => {
    let counted = 0;
    for (const m of list) {
      if (learning) { learning.add(m.target); continue; }
      if (!isNoisy(m.target)) {
        counted++;
        const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
        if (m.type !== "attributes" && el) {
          if (written.length >= 500) written.shift();
          written.push([mutations + counted, el]);
        }
      } else noisyChanges++;
    }
    if (!counted) return;
    mutations += counted;
    if (wake) { const w = wake; wake = null; w(); }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  // Scrolling and hash changes are effects too (in-page links): they end the wait at once
  // instead of letting it run to its timeout.
  const nudge = () => { if (wake) { const w = wake; wake = null; w(); } };
  listen(window, "scroll", nudge, { capture: true, passive: true });
  listen(window, "hashchange", nudge);
  // A form submitted or a link followed without preventDefault replaces the document a moment
  // later, in a task of its own: waitChange must stay until it happens, however busy the
  // machine, or a reload reads as "nothing happened" on one run and as a reload on the next.
  // The events are kept (capture phase: seen even if the page stops them) and read once their
  // dispatch is over, when defaultPrevented is final.
  let exits = [];
  const keepExit = (e) => { if (exits.length < 20) exits.push(e); };
  listen(window, "submit", keepExit, true);
  // A form's implicit submission (Enter in a field) ran: it was sent (submit), or the browser
  // checked it and stopped at an invalid field (invalid) — whatever the page did next.
  let formEvents = 0;
  listen(window, "submit", () => { formEvents++; }, true);
  listen(window, "invalid", () => { formEvents++; }, true);
  listen(window, "click", (e) => {
    if (e.target && e.target.closest && e.target.closest("a[href]")) keepExit(e);
  }, true);
  const navigates = (e) => {
    if (e.defaultPrevented) return false;
    const el = e.type === "submit" ? e.target : e.target.closest("a[href]");
    if (!el || (el.target && el.target !== "_self")) return false;
    if (e.type === "submit") return String(el.method).toLowerCase() !== "dialog";
    if (el.hasAttribute("download")) return false;
    let url;
    try { url = new URL(el.href, location.href); } catch (err) { return false; }
    if (!/^https?:$/.test(url.protocol)) return false;
    // "#", "#top", "page.html#part" of this page: scrolling in place, not a new document
    return !(url.href.includes("#") && url.href.split("#")[0] === location.href.split("#")[0]);
  };
  const LEAVE_MS = 2000; // a same-origin navigation in the preview commits well within this

/* @include csspath */
/* @include pieces */

  const TEXT_TYPES = new Set(["", "text", "email", "search", "number", "password", "url", "tel"]);
  const BUTTON_TYPES = new Set(["button", "submit", "reset", "image"]);
  const CLICK_ROLES = /^(button|link|tab|menuitem|switch|option|checkbox|radio)$/;

  function hoverTargets() {
    const found = new Set();
    for (const sheet of Array.from(document.styleSheets)) {
      let rules;
      try { rules = sheet.cssRules; } catch (e) { continue; }
      for (const rule of Array.from(rules || [])) {
        const sel = rule.selectorText;
        if (!sel || !sel.includes(":hover")) continue;
        for (const part of sel.split(",")) {
          if (!part.includes(":hover")) continue;
          const base = part.split(":hover")[0].trim();
          if (!base || /[>+~]\s*$/.test(base)) continue;
          try { document.querySelectorAll(base).forEach((n) => found.add(n)); } catch (e) { /* bad selector */ }
          if (found.size > 200) return found;
        }
      }
    }
    return found;
  }

  function listenTypes(el) {
    const m = window.__fjListen;
    return (m && m.get && m.get(el)) || null;
  }

  // Events through which a page can act on what is typed into a field.
  const FIELD_EVENTS = ["keydown", "keyup", "keypress", "input", "change", "submit"];
  // Whether anything could act on the field: a form, or a key/input listener on the field or
  // an ancestor (delegation, a framework's root). Page-level listeners are judged in Python.
  function fieldWired(el) {
    if (el.form || el.closest("form") || el.hasAttribute("onkeyup") || el.hasAttribute("onkeydown")
      || el.hasAttribute("oninput") || el.hasAttribute("onchange")) return true;
    for (let p = el; p; p = p.parentElement) {
      const t = listenTypes(p);
      if (t && FIELD_EVENTS.some((k) => t.has(k))) return true;
    }
    return false;
  }

  function kindOf(el, cs) {
    const tag = el.tagName;
    const types = listenTypes(el);
    const type = (el.getAttribute("type") || "").toLowerCase();
    // A read-only field is the page's output (a calculator's display), not a field to type in.
    if (el.readOnly && !el.disabled && (tag === "INPUT" || tag === "TEXTAREA")) return null;
    if (tag === "INPUT") {
      if (TEXT_TYPES.has(type)) return "text";
      if (type === "checkbox" || type === "radio") return "check";
      if (type === "range") return "range";
      if (BUTTON_TYPES.has(type)) return "button";
      return null;
    }
    if (tag === "TEXTAREA") return "text";
    if (tag === "SELECT") return "select";
    if (tag === "BUTTON" || tag === "SUMMARY") return "button";
    if (tag === "CANVAS" && types && (types.has("mousedown") || types.has("pointerdown") || types.has("click"))) return "canvas";
    if (el.getAttribute("draggable") === "true") return "drag";
    if (types && (types.has("drop") || types.has("dragover"))) return "dropzone";
    if (tag === "A") {
      const href = el.getAttribute("href");
      if (href === null) return types || el.hasAttribute("onclick") ? "button" : null;
      if (href.startsWith("#") || href.startsWith("javascript:") || href === "") return "link";
      return null; // links to other pages are navigation, not in-page interaction
    }
    const role = el.getAttribute("role");
    if (role && CLICK_ROLES.test(role)) return "button";
    if (el.hasAttribute("onclick") || (types && (types.has("click") || types.has("mousedown") || types.has("pointerdown")))) return "button";
    if (el.isContentEditable && el.getAttribute("contenteditable") !== null) return "text";
    // Looks clickable (pointer cursor not inherited from a clickable parent).
    if (cs.cursor === "pointer" && !(el.parentElement && getComputedStyle(el.parentElement).cursor === "pointer")) {
      return "button";
    }
    return null;
  }

  // Why a control cannot be seen right now although nothing is wrong with the page: not
  // rendered (an ancestor is display:none, [hidden], transparent), collapsed to no size, clipped
  // away by an overflow-hidden ancestor (accordion panels, off-canvas slides), or placed off the
  // page on purpose (off-canvas menus). Such controls are hidden by design until some state
  // change shows them; they are neither exercised nor reported as unreachable.
  function hiddenWhy(el, r) {
    if (el.checkVisibility && !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) {
      // Its own display:none while its container shows: the control itself was taken away
      // (a panel hidden until opened hides its container, not each field in it).
      const p = el.parentElement;
      const shown = p && (!p.checkVisibility || p.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }));
      return getComputedStyle(el).display === "none" && shown ? "hidden itself" : "not rendered";
    }
    if (r.width < 1 || r.height < 1) return "zero size";
    for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (cs.overflowX === "visible" && cs.overflowY === "visible" && cs.clipPath === "none") continue;
      const pr = p.getBoundingClientRect();
      const ix = Math.min(r.right, pr.right) - Math.max(r.left, pr.left);
      const iy = Math.min(r.bottom, pr.bottom) - Math.max(r.top, pr.top);
      if (ix < 1 || iy < 1) return "clipped by " + p.tagName.toLowerCase();
    }
    const de = document.documentElement;
    const docX = r.left + window.scrollX, docY = r.top + window.scrollY;
    if (docX + r.width <= 0 || docY + r.height <= 0 || docX >= Math.max(de.scrollWidth, innerWidth)) return "off canvas";
    return null;
  }

  // The element drawn at (x, y) is the control itself, something inside it, or its label.
  function hits(el, x, y) {
    const h = document.elementFromPoint(x, y);
    return !!h && related(el, h);
  }

  function related(el, h) {
    if (h === el || el.contains(h)) return true;
    const label = h.closest && h.closest("label");
    return !!(label && (label.control === el || (el.labels && Array.from(el.labels).includes(label))));
  }

  function reach(el) {
    const r = el.getBoundingClientRect();
    const docX = r.left + window.scrollX, docY = r.top + window.scrollY;
    const bbox = { x: docX, y: docY, width: r.width, height: r.height };
    const why = hiddenWhy(el, r);
    if (why) return { reach: "hidden", bbox, covered_by: null, hidden_why: why };
    window.scrollTo(Math.max(0, docX + r.width / 2 - innerWidth / 2), Math.max(0, docY + r.height / 2 - innerHeight / 2));
    const v = el.getBoundingClientRect();
    const cx = v.left + v.width / 2, cy = v.top + v.height / 2;
    if (cx < 0 || cy < 0 || cx >= innerWidth || cy >= innerHeight) {
      return { reach: "hidden", bbox, covered_by: null, hidden_why: "cannot be scrolled into view" };
    }
    // `at`: where a pointer reaches it (viewport), which is where the prober then clicks.
    if (hits(el, cx, cy)) return { reach: "ok", bbox, covered_by: null, at: [cx, cy] };
    // Something unrelated drawn over its middle (not an ancestor's ::before/::after, not the
    // paragraph between a wrapped link's pieces): usable at its edges, but partly covered.
    const mid = document.elementFromPoint(cx, cy);
    const partly = mid && !mid.contains(el) && !related(el, mid) ? cssPath(mid) : null;
    // A gap in inline text, or an ancestor's ::before/::after: try a few more points inside.
    for (const [fx, fy] of [[0.25, 0.5], [0.75, 0.5], [0.5, 0.25], [0.5, 0.75]]) {
      const x = v.left + v.width * fx, y = v.top + v.height * fy;
      if (hits(el, x, y)) return { reach: "ok", bbox, covered_by: null, at: [x, y], partly_covered_by: partly };
    }
    // A link wrapped over two lines is drawn as two pieces (the end of one line, the start of
    // the next); its box spans both lines, and the points above fall on the paragraph's text.
    const piece = pieceAt(el, (x, y) => hits(el, x, y));
    if (piece) return { reach: "ok", bbox, covered_by: null, at: piece, partly_covered_by: partly };
    const hit = document.elementFromPoint(cx, cy);
    const what = hit && hit.contains(el) ? " (pseudo-element or overlay)" : "";
    return { reach: "covered", bbox, covered_by: hit ? cssPath(hit) + what : null };
  }

  // A canvas spread behind the page's content (particles.js, a three.js or Vanta scene behind
  // a hero) is its backdrop, not a control: what it listens for is the pointer moving over the
  // page, and the content drawn on top of it is where a person clicks.
  function backdrop(el, r) {
    if (el.tagName !== "CANVAS" || r.width * r.height < 0.5 * innerWidth * innerHeight) return false;
    const x0 = Math.max(0, r.left), x1 = Math.min(innerWidth, r.right);
    const y0 = Math.max(0, r.top), y1 = Math.min(innerHeight, r.bottom);
    if (x1 - x0 < 2 || y1 - y0 < 2) return false;
    return !hits(el, (x0 + x1) / 2, (y0 + y1) / 2);
  }

  function looksDisabled(el, cs) {
    if (el.getAttribute("aria-disabled") === "true") return true;
    if (/(^|[\s_-])disabled($|[\s_-])/i.test(el.className && el.className.baseVal === undefined ? el.className : "")) return true;
    return cs.cursor === "not-allowed";
  }

  function libraryChart(el) {
    // A chart library's canvas (Chart.js from a CDN, ECharts): what it shows under the pointer
    // is the library's doing, not the page's.
    try {
      const C = window.Chart;
      if (C && typeof C.getChart === "function" && C.getChart(el)) return true;
      // Chart.js 2 has no getChart: its live charts are Chart.instances (canvas on the chart).
      for (const c of Object.values((C && C.instances) || {})) {
        if (c && (c.canvas === el || (c.chart && c.chart.canvas === el))) return true;
      }
    } catch (e) { /* not a Chart.js canvas */ }
    return !!el.closest("[_echarts_instance_]");
  }

  function labelOf(el) {
    const t = (el.innerText || el.value || el.getAttribute("aria-label") || el.getAttribute("placeholder") || el.getAttribute("title") || "");
    return t.replace(/\s+/g, " ").trim().slice(0, 60);
  }

  function group(el) {
    const form = el.form || el.closest("form");
    if (form) return form;
    return el.parentElement;
  }

  // How much a reader's eye is drawn to the control: its area, whether it is above the fold,
  // and whether it looks like a button (filled background) rather than a bare word.
  function prominence(el, r, cs) {
    const area = Math.min(r.width * r.height, 60000);
    const filled = cs.backgroundColor && !/rgba\(.*,\s*0\)$/.test(cs.backgroundColor) && cs.backgroundColor !== "transparent";
    const above = r.top + window.scrollY < innerHeight ? 1 : 0.6;
    return Math.round(Math.sqrt(area) * (filled ? 1.5 : 1) * above);
  }

  // A message the page had written all along and shows once the form is sent (a hidden
  // "Thanks! Check your inbox." revealed as the form hides): a new visible line near the form
  // (within two levels around it), outside fields and buttons.
  function revealedNear(selector) {
    const b = document.querySelector(selector);
    let scope = b && (b.form || b.closest("form") || b.parentElement);
    for (let i = 0; i < 2 && scope && scope.parentElement && scope.parentElement !== document.body; i++) scope = scope.parentElement;
    if (!scope) return null;
    // Lines of the page's text (as drawn: what display: none hides is not in it) not there
    // before; a text near the form that is part of one was revealed.
    const fresh = (document.body.innerText || "").split("\n").map((x) => x.trim())
      .filter((x) => x.length >= 3 && !shownLines.has(x) && /\p{L}{3}|\d/u.test(x));
    if (!fresh.length) return null;
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent.replace(/\s+/g, " ").trim();
      const p = n.parentElement;
      if (t.length < 3 || !/\p{L}{3}|\d/u.test(t) || !p || p.closest("input,textarea,select,button,script,style,noscript")) continue;
      const r = p.getBoundingClientRect();
      if (!(r.width > 0 && r.height > 0) || getComputedStyle(p).visibility === "hidden") continue;
      if (fresh.some((x) => x.includes(t.slice(0, 40)))) return cssPath(p);
    }
    return null;
  }

  // Drawn (nearly) invisible by its own or an ancestor's opacity: a carousel's slide fading out.
  function faded(el) {
    let o = 1;
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) o *= parseFloat(getComputedStyle(n).opacity) || 0;
    return o < 0.1;
  }

  window.__fjp = {
    discover(max) {
      const hovers = hoverTargets();
      const sx = window.scrollX, sy = window.scrollY;
      const out = [];
      const seen = new Set();
      const all = document.body ? document.body.getElementsByTagName("*") : [];
      for (const el of all) {
        if (out.length >= max) break;
        const cs = getComputedStyle(el);
        if (cs.visibility === "hidden") continue;
        // A field (text or slider) that is itself display:none is listed (as hidden): the page
        // may have lost its main input. Anything else not displayed is simply not there.
        if (cs.display === "none" && !/^(INPUT|TEXTAREA)$/.test(el.tagName)) continue;
        let kind = kindOf(el, cs);
        if (cs.display === "none" && kind !== "text" && kind !== "range") continue;
        if (!kind && !hovers.has(el)) continue;
        const native = /^(BUTTON|A|INPUT|SELECT|TEXTAREA|SUMMARY)$/.test(el.tagName) || el.hasAttribute("role");
        // A generic element that merely delegates clicks to controls inside is not a control.
        if (kind === "button" && !native && el.querySelector("button,a[href],input,select,textarea,[role]")) continue;
        // Inside an already listed control (e.g. <span> in <button>): the outer one is the control.
        let inner = false;
        for (let p = el.parentElement; p; p = p.parentElement) if (seen.has(p)) { inner = true; break; }
        if (inner) continue;
        const hidden = parseFloat(cs.opacity) < 0.05;
        // Visually hidden native inputs operated through their label are reached via the label.
        if (hidden && el.labels && el.labels.length) continue;
        if (hidden && kind !== "button") continue;
        const g = group(el);
        const types = listenTypes(el);
        const r = el.getBoundingClientRect();
        if (backdrop(el, r)) continue;
        const rec = {
          selector: cssPath(el),
          kind: kind || "hover",
          tag: el.tagName.toLowerCase(),
          type: (el.getAttribute("type") || "").toLowerCase(),
          label: labelOf(el),
          disabled: !!el.disabled,
          looks_disabled: looksDisabled(el, cs),
          pointer: cs.cursor === "pointer" || el.hasAttribute("role"),
          hover: hovers.has(el),
          listened: !!types || el.hasAttribute("onclick"),
          listens: types ? Array.from(types).sort() : [],
          wired: kind === "text" ? fieldWired(el) : !!types,
          group: g ? cssPath(g) : null,
          in_form: !!(el.form || el.closest("form")),
          chart: el.tagName === "CANVAS" && libraryChart(el),
          options: el.tagName === "SELECT" ? Array.from(el.options).map((o) => o.value).slice(0, 20) : [],
          href: el.getAttribute("href"),
          prominence: prominence(el, r, cs),
          faded: faded(el),
          ...reach(el),
        };
        if (kind && native) seen.add(el);
        out.push(rec);
      }
      window.scrollTo(sx, sy);
      return out;
    },
    page() {
      // What kind of page this is: a design (no script of its own) or an app.
      const own = Array.from(document.scripts).filter((s) => !s.src || s.src.startsWith(location.origin));
      const inline = document.querySelector("[onclick],[onsubmit],[oninput],[onchange],[onkeydown],[onkeyup]");
      const global = window.__fjGlobal || [];
      return { scripts: own.length, inline_handlers: !!inline, global_listeners: global };
    },
    locate(selector) {
      const el = document.querySelector(selector);
      if (!el) return null;
      const cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden") return null;
      const r = reach(el);
      const v = el.getBoundingClientRect();
      const [cx, cy] = r.at || [v.left + v.width / 2, v.top + v.height / 2];
      const disabled = !!el.disabled || el.getAttribute("aria-disabled") === "true";
      return { ...r, disabled, faded: faded(el), view: { x: v.left, y: v.top, width: v.width, height: v.height, cx, cy }, state: this.state() };
    },
    async reveal(ms) {
      // A person who scrolls to a control waits a moment for what the scroll starts: the
      // IntersectionObserver callbacks of a scroll-reveal run on the next frames, the class they
      // add plays a transition (finished here) or a script animation (given `ms` of page time).
      await new Promise((resolve) => { N.raf(() => N.raf(resolve)); N.setTimeout(resolve, 200); });
      if (window.__fjClock) await window.__fjClock.advance(ms);
      N.finishAnimations(false);
    },
    current(selector) {
      // Marked as the choice already made (the active tab, the current slide's dot, the page
      // a nav link is on): clicking it again changes nothing, by design.
      const el = document.querySelector(selector);
      if (!el) return false;
      const ac = el.getAttribute("aria-current");
      if ((ac && ac !== "false") || el.getAttribute("aria-selected") === "true") return true;
      const cls = typeof el.className === "string" ? el.className : "";
      return /(^|[\s_-])(active|current|selected)(\s|$)/i.test(cls);
    },
    choices(selector, max) {
      // Before a button that did nothing, a tester answers what it asks for: the first option
      // of each unanswered radio group and each unticked required box near the button (in the
      // nearest container that holds any). Centres of what to click (a hidden radio's label).
      const el = document.querySelector(selector);
      let scope = el && el.parentElement;
      while (scope && !scope.querySelector("input[type=radio],input[type=checkbox][required]")) scope = scope.parentElement;
      if (!scope) return [];
      const out = [];
      const done = new Set();
      for (const i of scope.querySelectorAll("input[type=radio],input[type=checkbox][required]")) {
        if (out.length >= max || i.disabled) continue;
        const key = i.type === "radio" ? "r:" + (i.name || cssPath(i)) : "c:" + cssPath(i);
        if (done.has(key)) continue;
        if (i.type === "radio" && i.name && scope.querySelector(`input[type=radio][name="${CSS.escape(i.name)}"]:checked`)) { done.add(key); continue; }
        if (i.checked) continue;
        const target = [i, ...(i.labels || [])].find((t) => {
          const r = t.getBoundingClientRect();
          return r.width >= 4 && r.height >= 4 && getComputedStyle(t).visibility !== "hidden" && parseFloat(getComputedStyle(t).opacity) > 0.05;
        });
        if (!target) continue;
        const r = target.getBoundingClientRect();
        done.add(key);
        out.push({ x: r.left + Math.min(r.width / 2, 12), y: r.top + r.height / 2 });
      }
      return out;
    },
    quiet(ms) {
      // Let the page run for `ms` of virtual time (and a moment of real time) while nothing
      // is done: whatever changes now changes on its own (clocks, tickers, carousels).
      learning = new Set();
      const drawn = canvasDraws();
      const seenLook = new Map(looks());
      const clock = window.__fjClock;
      const run = clock ? clock.advance(ms) : Promise.resolve();
      return run.then(() => new Promise((resolve) => N.setTimeout(() => {
        for (const n of learning) noisy.add(n);
        // A canvas that draws on its own (a game loop) says nothing about a control.
        if (canvasDraws() !== drawn) canvasNoisy = true;
        for (const [k, v] of looks()) if (seenLook.get(k) !== v) lookNoisy.add(k);
        const n = learning.size;
        learning = null;
        resolve(n);
      }, 60)));
    },
    state() {
      const a = document.activeElement;
      return {
        mutations,
        noisy: noisyChanges,
        url: location.href,
        focus: a && a !== document.body ? cssPath(a) : null,
        scroll: [Math.round(window.scrollX), Math.round(window.scrollY)],
        dialogs: (window.__fjudge && window.__fjudge.dialogs.length) || 0,
        popups: (window.__fjudge && window.__fjudge.popups.length) || 0,
        media: (window.__fjudge && window.__fjudge.media) || 0,
        canvas: canvasNoisy ? 0 : canvasDraws(),
        look: lookNow(),
        // Checked boxes and chosen options: a custom switch may change nothing else. And what
        // scripts write into read-only fields (a calculator's display, a generated password):
        // a value set by script is no DOM change.
        form: Array.from(document.querySelectorAll("input[type=checkbox],input[type=radio],select"))
          .map((i) => (i.tagName === "SELECT" ? i.selectedIndex : i.checked ? 1 : 0)).join("") +
          Array.from(document.querySelectorAll("input[readonly],textarea[readonly],output"))
            .slice(0, 20).map((i) => "|" + String(i.value).slice(0, 80)).join(""),
        text: document.body ? document.body.innerText.length : 0,
      };
    },
    async waitChange(ms) {
      // The action's consequences: its timers up to ACT_VIRTUAL_MS of virtual time (a toast,
      // a debounced search), then real time — at most `ms` — only while something outside the
      // virtual clock is on its way: a request in flight or just answered (its reply's
      // handlers), after a few native tasks (a framework's MessageChannel scheduler).
      const start = mutations;
      const clock = window.__fjClock;
      const synchronous = noisyChanges; // the action's own observer records have landed
      if (clock) await clock.advance(ACT_VIRTUAL_MS);
      if (mutations === start) {
        const net = clock && clock.net ? clock.net : () => ({ inflight: 0, idle_ms: 1e9 });
        const t0 = N.now();
        await new Promise((resolve) => {
          let poll = null;
          const done = () => { N.clearTimeout(limit); N.clearTimeout(poll); wake = null; resolve(); };
          const limit = N.setTimeout(done, ms);
          const check = () => {
            const n = net();
            if (N.now() - t0 >= MIN_REAL_MS && n.inflight === 0 && n.idle_ms >= NET_SETTLE_MS) done();
            else poll = N.setTimeout(check, 4);
          };
          wake = done;
          poll = N.setTimeout(check, 4);
        });
      }
      const leaving = exits.some(navigates);
      exits = [];
      // The document is about to go: the evaluation calling us ends with it (the prober reads
      // that as a navigation). If it never goes (a blocked address), carry on after the cap.
      if (leaving) await new Promise((resolve) => N.setTimeout(resolve, Math.max(ms, LEAVE_MS)));
      // Still here: `leaving` tells the prober a navigation may yet come (a preview slowed by
      // a busy machine); it waits for the document to go rather than read a half-left page.
      // Its drawing counts through the action's virtual time, not only what its handlers drew
      // at once: a chart's tooltip, a game started by Start, a redraw after a select all draw
      // on the next animation frame. A canvas that draws by itself (seen while the page was
      // watched doing nothing) counts for nothing either way (state().canvas).
      return { ...this.state(), noisy_sync: synchronous, leaving };
    },
    wroteSince(n) {
      // Where the text changed since mutation count `n` (at most 20 elements).
      const els = new Set(written.filter(([k]) => k > n).map(([, el]) => el));
      return Array.from(els).filter((el) => el.isConnected).slice(0, 20).map((el) => cssPath(el));
    },
    formEvents() {
      return formEvents;
    },
    markText() {
      // The page's visible lines of text now, before a form is sent (newText).
      shownLines = new Set((document.body ? document.body.innerText : "").split("\n").map((t) => t.trim()));
      shownAt = mutations;
    },
    newText(near) {
      // A line the page wrote since markText() and did not show then (a form's "Thanks, we
      // will be in touch", a calculator's "23.4"), in a visible element outside form fields
      // and buttons (a "Sending…" label is not an answer).
      if (!shownLines) return null;
      const els = new Set(written.filter(([k]) => k > shownAt).map(([, el]) => el));
      for (const el of els) {
        if (!el.isConnected || el.closest("input,textarea,select,button,script,style,noscript")) continue;
        const r = el.getBoundingClientRect();
        if (!(r.width > 0 && r.height > 0) || getComputedStyle(el).visibility === "hidden") continue;
        for (const line of (el.innerText || "").split("\n")) {
          const t = line.trim();
          if (t.length >= 3 && !shownLines.has(t) && /\p{L}{3}|\d/u.test(t)) return cssPath(el);
        }
      }
      return near ? revealedNear(near) : null;
    },
    visibleText(needle) {
      // Is `needle` shown somewhere on the page outside form fields?
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!n.textContent.includes(needle)) continue;
        const p = n.parentElement;
        if (!p || p.closest("input,textarea,select,script,style")) continue;
        const r = p.getBoundingClientRect();
        const cs = getComputedStyle(p);
        if (r.width > 0 && r.height > 0 && cs.visibility !== "hidden") return cssPath(p);
      }
      return null;
    },
  };
})();
