// Measures the rendered page in one pass: every visible element's box, own text, styles and
// whether it is the topmost thing at its centre. Returns plain JSON for ViewportCapture.
(maxElements) => {
  const out = [];
  const index = new Map();
  const sx = window.scrollX, sy = window.scrollY;
  const vw = window.innerWidth, vh = window.innerHeight;
  const CLICKABLE = new Set(["A", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "SUMMARY", "LABEL"]);
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "HEAD", "META", "LINK", "TITLE", "BR"]);

/* @include csspath */
/* @include pieces */

  function ownText(el) {
    let t = "";
    for (const n of el.childNodes) if (n.nodeType === 3) t += n.textContent;
    t = t.replace(/\s+/g, " ").trim();
    if (!t && (el.tagName === "INPUT" || el.tagName === "TEXTAREA")) t = el.value || el.placeholder || "";
    return t.slice(0, 200);
  }

  // Where the element's own text is actually drawn (its text runs), which is often much
  // smaller than its box (a centred word in a wide slide).
  // Text wrapped over several lines also gets one box per line (at most 12): the union of a
  // phrase that runs from the end of one line to the start of the next covers both lines
  // whole, and would sit on every word beside it.
  function textBox(el) {
    let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    const lines = [];
    for (const n of el.childNodes) {
      if (n.nodeType !== 3 || !n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const q of range.getClientRects()) {
        if (q.width < 1 || q.height < 1) continue;
        l = Math.min(l, q.left); t = Math.min(t, q.top); r = Math.max(r, q.right); b = Math.max(b, q.bottom);
        const line = lines.find((m) => q.top < m.b - 1 && q.bottom > m.t + 1);
        if (line) { line.l = Math.min(line.l, q.left); line.r = Math.max(line.r, q.right); line.t = Math.min(line.t, q.top); line.b = Math.max(line.b, q.bottom); }
        else if (lines.length < 12) lines.push({ l: q.left, t: q.top, r: q.right, b: q.bottom });
      }
    }
    if (!Number.isFinite(l)) return [null, null];
    const box = (m) => ({ x: m.l + sx, y: m.t + sy, width: m.r - m.l, height: m.b - m.t });
    return [box({ l, t, r, b }), lines.length > 1 ? lines.map(box) : null];
  }

  // Where a field's typed text runs: its box inside border and padding (a "$" drawn in the
  // padding is an adornment; one over this box sits on the amount).
  function fieldBox(r, cs) {
    const px = (v) => parseFloat(v) || 0;
    const l = px(cs.borderLeftWidth) + px(cs.paddingLeft), rr = px(cs.borderRightWidth) + px(cs.paddingRight);
    const t = px(cs.borderTopWidth) + px(cs.paddingTop), b = px(cs.borderBottomWidth) + px(cs.paddingBottom);
    return { x: r.left + l + sx, y: r.top + t + sy, width: Math.max(0, r.width - l - rr), height: Math.max(0, r.height - t - b) };
  }

  // A wrapped inline element is on top if one of its line pieces is (see pieceAt).
  function pieceOnTop(el) {
    return !!pieceAt(el, (x, y) => {
      const h = document.elementFromPoint(x, y);
      return !!h && (h === el || el.contains(h));
    });
  }

  function background(el) {
    let node = el;
    while (node && node.nodeType === 1) {
      const bg = getComputedStyle(node).backgroundColor;
      if (bg && bg !== "transparent" && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
      node = node.parentElement;
    }
    return "rgb(255, 255, 255)";
  }

  // Painted box of an element (for design-spec checks): its own background, border, corner
  // radius (px; percentages resolved against the box), shadow and effects.
  const none = (v) => !v || v === "none" || v === "normal" || v === "auto";
  function radius(cs, r) {
    let max = 0;
    for (const k of ["borderTopLeftRadius", "borderTopRightRadius", "borderBottomRightRadius", "borderBottomLeftRadius"]) {
      const v = cs[k] || "0";
      const first = v.split(" ")[0];
      const px = first.endsWith("%") ? parseFloat(first) / 100 * Math.min(r.width, r.height) : parseFloat(first);
      if (px > max) max = px;
    }
    return Math.min(max, Math.min(r.width, r.height) / 2);
  }
  function border(cs) {
    let w = 0, c = null;
    for (const side of ["Top", "Right", "Bottom", "Left"]) {
      const sw = cs["border" + side + "Style"] === "none" || cs["border" + side + "Style"] === "hidden" ? 0 : parseFloat(cs["border" + side + "Width"]) || 0;
      if (sw > w) { w = sw; c = cs["border" + side + "Color"]; }
    }
    return [w, c];
  }
  // How far its own transform / translate moves the box (px): null when it has none.
  function shiftOf(cs) {
    const t = !none(cs.transform), tr = !none(cs.translate);
    if (!t && !tr) return null;
    let x = 0, y = 0;
    try {
      if (t) { const m = new DOMMatrixReadOnly(cs.transform); x += m.m41; y += m.m42; }
    } catch (e) { /* an unparsable matrix: count the move as unknown, i.e. none */ }
    if (tr) {
      const [a, b] = cs.translate.split(/\s+/);
      if (/px$/.test(a)) x += parseFloat(a) || 0;
      if (b && /px$/.test(b)) y += parseFloat(b) || 0;
    }
    return { x, y };
  }
  function gridColumns(cs) {
    if (!/grid/.test(cs.display) || none(cs.gridTemplateColumns)) return null;
    return cs.gridTemplateColumns.trim().split(/\s+(?![^(]*\))/).length;
  }

  function isClickable(el, cs) {
    if (CLICKABLE.has(el.tagName)) return el.tagName !== "LABEL" || !!el.control;
    const role = el.getAttribute("role");
    if (role && /^(button|link|checkbox|tab|menuitem|switch|radio|option)$/.test(role)) return true;
    if (el.hasAttribute("onclick") || el.hasAttribute("tabindex") && el.tabIndex >= 0) return true;
    return cs.cursor === "pointer" && !(el.parentElement && getComputedStyle(el.parentElement).cursor === "pointer");
  }

  // What of an element can be seen at all: its box cut by every ancestor that clips
  // (overflow other than visible, clip-path), and its opacity times its ancestors'.
  const NONE = { l: -Infinity, t: -Infinity, r: Infinity, b: Infinity, o: 1 };
  const clipCache = new Map();
  function clipOf(el) {
    const p = el.parentElement;
    if (!p || p === document.documentElement) return NONE;
    if (clipCache.has(p)) return clipCache.get(p);
    const up = clipOf(p);
    const cs = getComputedStyle(p);
    let { l, t, r, b } = up;
    const o = up.o * parseFloat(cs.opacity);
    if (p !== document.body) {  // body's overflow belongs to the viewport
      const box = p.getBoundingClientRect();
      const all = cs.clipPath !== "none";
      if (all || cs.overflowX !== "visible") { l = Math.max(l, box.left); r = Math.min(r, box.right); }
      if (all || cs.overflowY !== "visible") { t = Math.max(t, box.top); b = Math.min(b, box.bottom); }
    }
    const res = { l, t, r, b, o };
    clipCache.set(p, res);
    return res;
  }

  const all = document.body ? document.body.getElementsByTagName("*") : [];
  for (const el of all) {
    if (out.length >= maxElements) break;
    if (SKIP.has(el.tagName)) continue;
    const cs = getComputedStyle(el);
    if (cs.display === "none") continue;
    const r = el.getBoundingClientRect();
    // checkVisibility: what a closed <details> (or content-visibility: hidden) holds keeps a
    // box in layout but is not drawn — an FAQ's answers are not text overlapping the questions.
    const visible = cs.visibility !== "hidden" && parseFloat(cs.opacity) > 0.01 && r.width > 0 && r.height > 0
      && (!el.checkVisibility || el.checkVisibility());
    const text = ownText(el);
    const clickable = isClickable(el, cs);
    // Keep only what a check may need: visible boxes, text carriers, controls, images.
    if (!visible && !clickable) continue;
    const [tbox, tlines] = text ? textBox(el) : [null, null];
    let topmost = true, coveredBy = null;
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const inView = r.right > 0 && r.bottom > 0 && r.left < vw && r.top < vh;
    if (visible && cx >= 0 && cy >= 0 && cx < vw && cy < vh && (clickable || text)) {
      const hit = document.elementFromPoint(cx, cy);
      if (hit && hit !== el && !el.contains(hit) && !hit.contains(el) && !pieceOnTop(el)) {
        topmost = false;
        coveredBy = cssPath(hit);
      }
    }
    let parent = null;
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (index.has(p)) { parent = index.get(p); break; }
    }
    const attrs = {};
    for (const name of ["id", "type", "href", "src", "alt", "aria-label", "name", "placeholder", "title", "class", "for", "value"]) {
      const v = el.getAttribute(name);
      if (v !== null) attrs[name] = String(v).slice(0, 120);
    }
    const clip = clipOf(el);
    const cl = Math.max(r.left, clip.l), ct = Math.max(r.top, clip.t);
    const shown = { x: cl + sx, y: ct + sy, width: Math.max(0, Math.min(r.right, clip.r) - cl),
                    height: Math.max(0, Math.min(r.bottom, clip.b) - ct) };
    index.set(el, out.length);
    const [bw, bc] = border(cs);
    const ownBg = cs.backgroundColor;
    out.push({
      own_background: ownBg && ownBg !== "transparent" && !/rgba\(.*,\s*0\)$/.test(ownBg) ? ownBg : null,
      background_image: none(cs.backgroundImage) ? null : cs.backgroundImage.slice(0, 200),
      border_radius: radius(cs, r),
      border_width: bw,
      border_color: bw > 0 ? bc : null,
      box_shadow: none(cs.boxShadow) ? null : cs.boxShadow.slice(0, 200),
      text_shadow: none(cs.textShadow) ? null : cs.textShadow.slice(0, 120),
      backdrop_filter: none(cs.backdropFilter) ? null : cs.backdropFilter.slice(0, 120),
      text_transform: none(cs.textTransform) ? null : cs.textTransform,
      text_align: cs.textAlign,
      display: cs.display,
      grid_columns: gridColumns(cs),
      selector: cssPath(el),
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute("role"),
      text,
      bbox: { x: r.left + sx, y: r.top + sy, width: r.width, height: r.height },
      visible,
      in_viewport: inView,
      clickable,
      disabled: !!el.disabled || el.getAttribute("aria-disabled") === "true",
      font_size: parseFloat(cs.fontSize) || null,
      font_family: cs.fontFamily,
      font_weight: cs.fontWeight,
      color: cs.color,
      background: text ? background(el) : null,
      opacity: parseFloat(cs.opacity),
      effective_opacity: parseFloat(cs.opacity) * clip.o,
      shown: shown,
      text_box: tbox,
      text_lines: tlines,
      field_box: /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) ? fieldBox(r, cs) : null,
      position: cs.position,
      shift: shiftOf(cs),
      z_index: cs.zIndex,
      overflow_x: cs.overflowX,
      overflow_y: cs.overflowY,
      scroll_width: el.scrollWidth,
      client_width: el.clientWidth,
      scroll_height: el.scrollHeight,
      client_height: el.clientHeight,
      text_overflow: cs.textOverflow,
      line_clamp: parseInt(cs.webkitLineClamp, 10) || null,
      white_space: cs.whiteSpace,
      natural_width: el.naturalWidth ?? null,
      natural_height: el.naturalHeight ?? null,
      object_fit: el.tagName === "IMG" ? cs.objectFit : null,
      depth: parent === null ? 0 : out[parent].depth + 1,
      parent,
      topmost_at_center: topmost,
      covered_by: coveredBy,
      attrs,
    });
  }
  const de = document.documentElement;
  const pageBg = (node) => { const c = node ? getComputedStyle(node).backgroundColor : null; return c && c !== "transparent" && !/rgba\(.*,\s*0\)$/.test(c) ? c : null; };
  const rootX = [getComputedStyle(de).overflowX, document.body ? getComputedStyle(document.body).overflowX : "visible"];
  // Can a reader actually scroll sideways? Not when the root clips its overflow.
  const wider = Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0) > de.clientWidth + 1;
  return {
    page_background: pageBg(document.body) || pageBg(de) || "rgb(255, 255, 255)",
    scrolls_x: wider && !rootX.some((v) => v === "hidden" || v === "clip"),
    doc_width: Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0),
    doc_height: Math.max(de.scrollHeight, document.body ? document.body.scrollHeight : 0),
    body_text_length: document.body ? (document.body.innerText || "").trim().length : 0,
    elements: out,
  };
}
