// Interaction-probe helpers, installed as window.__fjp by judge/interact.py (after every load).
// discover() lists the page's controls with geometry and reachability; state() snapshots what an
// action may change; waitChange() resolves on the first DOM mutation (or after `ms`).
(() => {
  if (window.__fjp) return;
  let mutations = 0;
  let wake = null;
  new MutationObserver((list) => {
    mutations += list.length;
    if (wake) { const w = wake; wake = null; w(); }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  // Scrolling and hash changes are effects too (in-page links): they end the wait at once
  // instead of letting it run to its timeout.
  const nudge = () => { if (wake) { const w = wake; wake = null; w(); } };
  window.addEventListener("scroll", nudge, { capture: true, passive: true });
  window.addEventListener("hashchange", nudge);

/* @include csspath */

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

  function kindOf(el, cs, listened) {
    const tag = el.tagName;
    const type = (el.getAttribute("type") || "").toLowerCase();
    if (tag === "INPUT") {
      if (TEXT_TYPES.has(type)) return "text";
      if (type === "checkbox" || type === "radio") return "check";
      if (BUTTON_TYPES.has(type)) return "button";
      return null;
    }
    if (tag === "TEXTAREA") return "text";
    if (tag === "SELECT") return "select";
    if (tag === "BUTTON" || tag === "SUMMARY") return "button";
    if (tag === "A") {
      const href = el.getAttribute("href");
      if (href === null) return listened.has(el) || el.hasAttribute("onclick") ? "button" : null;
      if (href.startsWith("#") || href.startsWith("javascript:") || href === "") return "link";
      return null; // links to other pages are navigation, not in-page interaction
    }
    const role = el.getAttribute("role");
    if (role && CLICK_ROLES.test(role)) return "button";
    if (el.hasAttribute("onclick") || listened.has(el)) return "button";
    // Looks clickable (pointer cursor not inherited from a clickable parent).
    if (cs.cursor === "pointer" && !(el.parentElement && getComputedStyle(el.parentElement).cursor === "pointer")) {
      return "button";
    }
    return null;
  }

  function reach(el) {
    const r = el.getBoundingClientRect();
    const docX = r.left + window.scrollX, docY = r.top + window.scrollY;
    const bbox = { x: docX, y: docY, width: r.width, height: r.height };
    if (r.width < 1 || r.height < 1) return { reach: "zero-size", bbox, covered_by: null };
    const de = document.documentElement;
    if (docX + r.width <= 0 || docY + r.height <= 0 || docX >= Math.max(de.scrollWidth, innerWidth)) {
      return { reach: "off-screen", bbox, covered_by: null };
    }
    window.scrollTo(Math.max(0, docX + r.width / 2 - innerWidth / 2), Math.max(0, docY + r.height / 2 - innerHeight / 2));
    const v = el.getBoundingClientRect();
    const cx = v.left + v.width / 2, cy = v.top + v.height / 2;
    if (cx < 0 || cy < 0 || cx >= innerWidth || cy >= innerHeight) return { reach: "off-screen", bbox, covered_by: null };
    const hit = document.elementFromPoint(cx, cy);
    if (!hit || hit === el || el.contains(hit)) return { reach: "ok", bbox, covered_by: null };
    if (hit.contains(el)) {
      // An ancestor answers at the centre: a gap in inline text, or an ancestor's ::before/::after
      // laid over the control. Try a few more points inside the box before calling it covered.
      for (const [fx, fy] of [[0.25, 0.5], [0.75, 0.5], [0.5, 0.25], [0.5, 0.75]]) {
        const h2 = document.elementFromPoint(v.left + v.width * fx, v.top + v.height * fy);
        if (h2 && (h2 === el || el.contains(h2))) return { reach: "ok", bbox, covered_by: null };
      }
      return { reach: "covered", bbox, covered_by: cssPath(hit) + " (pseudo-element or overlay)" };
    }
    const label = hit.closest && hit.closest("label");
    if (label && (label.control === el || (el.labels && Array.from(el.labels).includes(label)))) {
      return { reach: "ok", bbox, covered_by: null };
    }
    return { reach: "covered", bbox, covered_by: cssPath(hit) };
  }

  function looksDisabled(el, cs) {
    if (el.getAttribute("aria-disabled") === "true") return true;
    if (/(^|[\s_-])disabled($|[\s_-])/i.test(el.className && el.className.baseVal === undefined ? el.className : "")) return true;
    return cs.cursor === "not-allowed";
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

  window.__fjp = {
    discover(max) {
      const listened = window.__fjListen || new Set();
      const hovers = hoverTargets();
      const sx = window.scrollX, sy = window.scrollY;
      const out = [];
      const seen = new Set();
      const all = document.body ? document.body.getElementsByTagName("*") : [];
      for (const el of all) {
        if (out.length >= max) break;
        const cs = getComputedStyle(el);
        if (cs.display === "none" || cs.visibility === "hidden") continue;
        let kind = kindOf(el, cs, listened);
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
        const rec = {
          selector: cssPath(el),
          kind: kind || "hover",
          tag: el.tagName.toLowerCase(),
          type: (el.getAttribute("type") || "").toLowerCase(),
          label: labelOf(el),
          disabled: !!el.disabled,
          looks_disabled: looksDisabled(el, cs),
          hover: hovers.has(el),
          listened: listened.has(el) || el.hasAttribute("onclick"),
          group: g ? cssPath(g) : null,
          in_form: !!(el.form || el.closest("form")),
          options: el.tagName === "SELECT" ? Array.from(el.options).map((o) => o.value).slice(0, 20) : [],
          href: el.getAttribute("href"),
          ...reach(el),
        };
        if (kind && native) seen.add(el);
        out.push(rec);
      }
      window.scrollTo(sx, sy);
      return out;
    },
    locate(selector) {
      const el = document.querySelector(selector);
      if (!el) return null;
      const cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden") return null;
      const r = reach(el);
      const v = el.getBoundingClientRect();
      return { ...r, view: { x: v.left, y: v.top, width: v.width, height: v.height }, state: this.state() };
    },
    state() {
      const a = document.activeElement;
      return {
        mutations,
        url: location.href,
        focus: a && a !== document.body ? cssPath(a) : null,
        scroll: [Math.round(window.scrollX), Math.round(window.scrollY)],
        dialogs: (window.__fjudge && window.__fjudge.dialogs.length) || 0,
        popups: (window.__fjudge && window.__fjudge.popups.length) || 0,
        text: document.body ? document.body.innerText.length : 0,
      };
    },
    waitChange(ms) {
      const start = mutations;
      return new Promise((resolve) => {
        const done = () => requestAnimationFrame(() => resolve(this.state()));
        if (mutations > start) return done();
        const t = setTimeout(() => { wake = null; done(); }, ms);
        wake = () => { clearTimeout(t); done(); };
      });
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
