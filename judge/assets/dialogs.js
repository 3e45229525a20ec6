// A dialog that blocks the page on load (a newsletter pop-up, a cookie wall, a welcome modal)
// and the control a visitor would close it with. Returns null when there is none.
// The dialog: the outermost fixed box (or open <dialog>) hit at 3 of 5 points spread over the
// viewport, covering >= 40% of it, with the page's own content behind it, that looks like a
// modal (a dialog role or element, a modal/popup/cookie/... class or id, or a dimming
// backdrop). Its close control: a visible button, link or clickable element inside it whose
// label or class says close / no thanks / accept; closing first, declining next, accepting last.
() => {
  /* @include csspath */
  const CLOSE = /^(×|✕|✖|╳|x|close|close (this )?(dialog|popup|pop-up|modal|window|banner)|dismiss)$/i;
  const DECLINE = /^(no,? thanks|no thank you|not now|maybe later|later|skip|reject( all)?|decline( all)?|continue without (accepting|subscribing))[.!]?$/i;
  const ACCEPT = /^(got it|accept( all)?( cookies)?|allow( all)?( cookies)?|i agree|agree|i understand|understood|ok(ay)?,? got it)[.!]?$/i;
  const MODALISH = /modal|popup|pop-up|overlay|dialog|lightbox|newsletter|cookie|consent|gdpr|subscribe|promo/i;
  const W = innerWidth, H = innerHeight;
  const shown = (el) => {
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return cs.visibility !== "hidden" && cs.display !== "none" && parseFloat(cs.opacity) > 0.05
      && r.width >= 4 && r.height >= 4;
  };
  const hits = new Map();
  for (const [fx, fy] of [[0.5, 0.5], [0.2, 0.2], [0.8, 0.2], [0.2, 0.8], [0.8, 0.8]]) {
    let root = null;
    for (let p = document.elementFromPoint(W * fx, H * fy); p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      if (getComputedStyle(p).position === "fixed" || (p.tagName === "DIALOG" && p.open)) root = p;
    }
    if (root) hits.set(root, (hits.get(root) || 0) + 1);
  }
  let root = null, n = 0;
  for (const [r, c] of hits) if (c > n) { root = r; n = c; }
  if (!root || n < 3) return null;
  const b = root.getBoundingClientRect();
  const cover = Math.max(0, Math.min(b.right, W) - Math.max(b.left, 0))
    * Math.max(0, Math.min(b.bottom, H) - Math.max(b.top, 0)) / (W * H);
  if (cover < 0.4) return null;
  const own = (root.innerText || "").trim().length;
  const behind = (document.body.innerText || "").trim().length - own;
  if (behind < 80 || own > 1500) return null;  // the dialog is the page, or the page is in it
  const named = (el) => `${el.id || ""} ${typeof el.className === "string" ? el.className : ""} ${el.getAttribute("role") || ""}`;
  let modalish = root.tagName === "DIALOG" || root.getAttribute("aria-modal") === "true";
  for (const el of [root, ...root.querySelectorAll("*")].slice(0, 60)) {
    if (modalish) break;
    modalish = el.getAttribute("role") === "dialog" || el.getAttribute("role") === "alertdialog" || MODALISH.test(named(el));
  }
  const bg = getComputedStyle(root).backgroundColor.match(/rgba\([^)]*,\s*([\d.]+)\)/);
  if (!modalish && !(bg && parseFloat(bg[1]) >= 0.2 && parseFloat(bg[1]) <= 0.95)) return null;
  let best = null, rank = 9;
  for (const el of root.querySelectorAll("button, a, [role=button], [onclick], [aria-label], [class*=close], [id*=close]")) {
    if (!shown(el)) continue;
    const href = el.tagName === "A" ? (el.getAttribute("href") || "") : "";
    if (href && !href.startsWith("#") && !href.startsWith("javascript:")) continue;  // leaves the page
    const label = (el.getAttribute("aria-label") || el.getAttribute("title") || el.innerText || "").trim().replace(/\s+/g, " ");
    const r = CLOSE.test(label) || /(^|[-_\s])close([-_\s]|$)|dismiss/i.test(named(el)) ? 0
      : DECLINE.test(label) ? 1 : ACCEPT.test(label) ? 2 : 9;
    if (r < rank) { best = el; rank = r; }
  }
  if (!best) return null;
  best.scrollIntoView({ block: "nearest", inline: "nearest" });
  const r = best.getBoundingClientRect();
  const label = (best.getAttribute("aria-label") || best.innerText || best.getAttribute("title") || "").trim();
  return {
    dialog: cssPath(root),
    text: (root.innerText || "").trim().replace(/\s+/g, " ").slice(0, 80),
    control: label.slice(0, 40) || cssPath(best),
    x: r.left + r.width / 2,
    y: r.top + r.height / 2,
  };
}
