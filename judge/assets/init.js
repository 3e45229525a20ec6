// Runs before any page script, in every frame. Makes the page deterministic and harmless:
// seeded Math.random, non-blocking dialogs, no popups; records what the page tried.
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
  // A fixed clock: `Date.now()` and `new Date()` always give the same instant (timers still
  // run), so a page that prints the time or the date renders the same on every run.
  const NativeDate = Date;
  const FIXED = __FJUDGE_FIXED_MS__;
  function FixedDate(...args) {
    if (!new.target) return new NativeDate(FIXED).toString();
    return args.length ? new NativeDate(...args) : new NativeDate(FIXED);
  }
  FixedDate.prototype = NativeDate.prototype;
  Object.setPrototypeOf(FixedDate, NativeDate);
  FixedDate.now = () => FIXED;
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
  if (window.HTMLMediaElement) {
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () { rec.media++; return play.apply(this, arguments); };
  }
})();
