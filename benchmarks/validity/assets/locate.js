// Runtime helpers for defect operators that must find things in the rendered page: the main
// UI, its primary control, its main input field. Injected (inline) into a mutant's HTML only.
// Everything is decided from the live DOM after the app's own scripts have built the page.
(() => {
  if (window.__vd) return;
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "LINK", "META"]);
  const CTRL = "a[href],button,input:not([type=hidden]),select,textarea,[role=button],[onclick]";
  const MEDIA = "img,svg,canvas,video";
  const TEXTLIKE = "input:not([type]),input[type=text],input[type=search],input[type=email]," +
    "input[type=password],input[type=number],input[type=tel],input[type=url],textarea,[contenteditable]";
  const CHROME = new Set(["HEADER", "NAV", "FOOTER"]);

  const visible = (el) => {
    if (!el || !el.getBoundingClientRect) return false;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none" &&
      parseFloat(cs.opacity || "1") > 0.05;
  };
  // How much of what a person sees lives inside `el`: text, controls, media.
  const units = (el) => {
    let n = (el.innerText || "").trim().length;
    n += 40 * [...el.querySelectorAll(CTRL)].filter(visible).length;
    n += 40 * [...el.querySelectorAll(MEDIA)].filter(visible).length;
    if (el.matches(CTRL) || el.matches(MEDIA)) n += 40;
    return n;
  };
  const kids = (el) => [...el.children].filter((k) => !SKIP.has(k.tagName) && visible(k));

  // Descend from <body> while one child holds most (60%) of what is shown: that child is the
  // app's main UI. Stops at headings and controls (never "the main UI is one button").
  function main() {
    let node = document.body;
    for (;;) {
      const total = units(node);
      if (!total) break;
      let best = null, bu = 0;
      for (const k of kids(node)) {
        const u = units(k);
        if (u > bu) { best = k; bu = u; }
      }
      if (!best || bu < 0.6 * total || /^H[1-6]$/.test(best.tagName) || best.matches(CTRL) ||
        best.matches(MEDIA)) break;
      node = best;
    }
    return node;
  }
  // The main UI as a list of elements: the main container, or (when the page is several
  // sections side by side) every visible body child except page chrome (header, nav, footer).
  function parts() {
    const m = main();
    if (m !== document.body) return [m];
    const ps = kids(m).filter((k) => !CHROME.has(k.tagName) && k.getAttribute("role") !== "navigation");
    return ps.length ? ps : kids(m);
  }
  const area = (el) => { const r = el.getBoundingClientRect(); return r.width * r.height; };
  const topBonus = (el) => (el.getBoundingClientRect().top < innerHeight ? 2 : 1);
  // The call to action: the most prominent visible control outside page chrome.
  function cta() {
    const all = [...document.querySelectorAll(
      "button,input[type=submit],input[type=button],a[href],[role=button],.btn")].filter(visible);
    const inside = all.filter((e) => !e.closest("nav,header,footer"));
    const pool = inside.length ? inside : all;
    let best = null, bs = 0;
    for (const e of pool) {
      const s = area(e) * topBonus(e);
      if (s > bs) { best = e; bs = s; }
    }
    return best;
  }
  // The main input field: the largest visible text field, else any other form field.
  function field() {
    const pick = (sel) => {
      let best = null, bs = 0;
      for (const e of [...document.querySelectorAll(sel)].filter(visible)) {
        const s = area(e) * topBonus(e);
        if (s > bs) { best = e; bs = s; }
      }
      return best;
    };
    return pick(TEXTLIKE) || pick("input:not([type=hidden]),select,textarea");
  }
  // Run `fn` once the app's own load-time scripts have built the page.
  function ready(fn) {
    const go = () => setTimeout(fn, 0);
    if (document.readyState === "complete") go();
    else window.addEventListener("load", go);
  }
  const docBox = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height };
  };
  const important = (el, props) => {
    for (const [k, v] of Object.entries(props)) el.style.setProperty(k, v, "important");
  };
  // Empty a part of the main UI. A part without child elements (its look is its own box or
  // pseudo-elements, e.g. a CSS-only loader) or a replaced element is hidden instead.
  function empty(p) {
    const leaf = p.children.length === 0;
    p.replaceChildren();
    if (leaf || p.matches("canvas,img,svg,video,input,textarea,select,button,iframe")) {
      p.style.visibility = "hidden";
    }
  }
  window.__vd = { visible, units, main, parts, cta, field, ready, docBox, important, empty, TEXTLIKE };
})();
