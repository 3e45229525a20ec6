"""Offline CDN mirror benchmark.

    python -m benchmarks.mirror_bench [--apps N] [--runs N] [--skip-cold] [--skip-defaults]

1. real-apps (../shared/data/real-apps): per app, requests mirrored / blocked / unanswerable
   (by reason), and whether it renders as intended — every font face it uses loaded, every
   Font Awesome icon drawn with the icon font — with the mirror on vs off (same browser).
2. Judgment time of a CDN-heavy page (React + ReactDOM + Babel + Tailwind Play + Font Awesome +
   Google Fonts) with a warm store vs the same page with those files copied into the site by
   hand (ratio, same run, alternating, median of N).
3. Cold store: the same CDN-heavy judgment with an empty store (first fetch from the registry).
4. The default pre-fill (`make demo`): seconds and store size, into an empty store.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL_APPS = ROOT.parent / "shared" / "data" / "real-apps"

HEAVY = """<!doctype html><html><head><meta charset="utf-8"><title>CDN-heavy counter</title>
<script src="https://unpkg.com/react@18.3.1/umd/react.production.min.js" crossorigin></script>
<script src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js" crossorigin></script>
<script src="https://unpkg.com/@babel/standalone@7.26.4/babel.min.js"></script>
<script src="https://cdn.tailwindcss.com/3.4.10"></script>
<link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.5.1/css/all.min.css">
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter:wght@400;700&display=swap">
</head><body class="bg-slate-100 p-8" style="font-family: Inter, sans-serif">
<div id="root"></div>
<script type="text/babel">
function App() {
  const [n, setN] = React.useState(0);
  return (<div className="max-w-md mx-auto bg-white rounded-xl shadow p-6 space-y-4">
    <h1 className="text-2xl font-bold"><i className="fa-solid fa-calculator mr-2"></i>Counter</h1>
    <p className="text-slate-600">Clicked {n} times</p>
    <button className="px-4 py-2 rounded bg-indigo-600 text-white" onClick={() => setN(n + 1)}>
      <i className="fa-solid fa-plus mr-1"></i>Add</button></div>);
}
ReactDOM.createRoot(document.getElementById("root")).render(<App />);
</script></body></html>
"""

# What the page uses the browser to check "rendered as intended" (fonts and icons).
FACTS_JS = """async () => {
  await document.fonts.ready;
  const faces = [...document.fonts].map((f) => ({family: f.family.replace(/["']/g, ''), status: f.status}));
  // Icons the page shows (an icon hidden by design, e.g. a toggle's other state, is not counted).
  const icons = [...document.querySelectorAll('[class*="fa-"]')]
    .filter((el) => el.getClientRects().length > 0).slice(0, 50);
  const faLoaded = faces.some((f) => /Font Awesome/.test(f.family) && f.status === 'loaded');
  const drawn = icons.filter((el) => {
    const fam = getComputedStyle(el, '::before').fontFamily || getComputedStyle(el).fontFamily;
    return /Font Awesome/.test(fam) && el.getBoundingClientRect().width > 0;
  }).length;
  return {faces, icons: icons.length, icons_drawn: faLoaded ? drawn : 0};
}"""


async def real_apps(judge, apps: list[Path]) -> list[dict]:
    from judge.capture import collect_page_records, load, open_session

    handle = await judge._browser()
    rows = []
    for app in apps:
        site = judge.preview.register(app)
        s = await open_session(handle.browser, site, (1280, 800))
        try:
            await load(s, 20)
            facts = await s.page.evaluate(FACTS_JS)
            await collect_page_records(s)
        finally:
            await s.close()
            judge.preview.unregister(site)
        blocked = s.events.blocked
        reasons: dict[str, int] = {}
        for b in blocked:
            if b.unanswerable:
                reasons[b.reason or "?"] = reasons.get(b.reason or "?", 0) + 1
        used = [f for f in facts["faces"] if f["status"] != "unloaded"]
        cdn = [b for b in blocked if _is_cdn(b.url)]
        rows.append(
            {
                "app": app.name,
                "mirrored": sum(b.action == "mirrored" for b in blocked),
                "blocked": sum(b.action != "mirrored" for b in blocked),
                "unanswerable": sum(reasons.values()),
                "reasons": reasons,
                # Depends on nothing but CDN libraries, fonts and icons (no API, no remote media).
                "cdn_only": len(cdn) == len(blocked),
                "cdn_all_mirrored": all(b.action == "mirrored" for b in cdn),
                "fonts_ok": all(f["status"] == "loaded" for f in used),
                "faces_loaded": sum(f["status"] == "loaded" for f in used),
                "icons": facts["icons"],
                "icons_drawn": facts["icons_drawn"],
            }
        )
    return rows


def _is_cdn(url: str) -> bool:
    from urllib.parse import urlsplit

    from judge.mirror.tables import KNOWN_HOSTS

    return (urlsplit(url).hostname or "") in KNOWN_HOSTS


def _summarise(label: str, rows: list[dict]) -> dict:
    intended = [
        r
        for r in rows
        if r["cdn_only"]
        and r["cdn_all_mirrored"]
        and r["fonts_ok"]
        and r["icons_drawn"] == r["icons"]
    ]
    out = {
        "apps": len(rows),
        "mirrored": sum(r["mirrored"] for r in rows),
        "blocked": sum(r["blocked"] for r in rows),
        "unanswerable": sum(r["unanswerable"] for r in rows),
        "apps_with_external_api": sum("external_api" in r["reasons"] for r in rows),
        "apps_cdn_only": sum(r["cdn_only"] for r in rows),
        "apps_cdn_only_rendering_as_intended": len(intended),
        "icons": sum(r["icons"] for r in rows),
        "icons_drawn": sum(r["icons_drawn"] for r in rows),
        "faces_loaded": sum(r["faces_loaded"] for r in rows),
    }
    print(f"\n[{label}] " + json.dumps(out))
    return out


def _inline_copy(heavy_dir: Path, dest: Path, store_root: Path) -> None:
    """The CDN-heavy page with every CDN file copied into the site (the 'by hand' baseline)."""
    from judge.mirror.lock import Lock
    from judge.mirror.urls import parse

    lock = Lock(store_root / "lock.json")
    html = (heavy_dir / "index.html").read_text()
    (dest / "vendor").mkdir(parents=True)
    for url in re.findall(r'(?:src|href)="(https://[^"]+)"', html):
        want = parse(url)
        if want is None or want.kind == "fonts_css":
            continue
        name = want.name or "tailwindcss-cdn"
        version = lock.get(f"{name}@{want.spec or 'latest'}") or want.spec
        rel = want.file or "tailwindcss.js"
        if want.kind == "tailwind_play":
            version, rel = lock.get("tailwindcss-cdn@latest"), f"{want.spec}/tailwindcss.js"
        src = store_root / "packages" / name / version / rel
        local = dest / "vendor" / f"{name.replace('/', '_')}-{Path(rel).name}"
        shutil.copyfile(src, local)
        if rel.endswith(".css"):  # Font Awesome's relative ../webfonts/ URLs
            shutil.copytree(src.parent.parent / "webfonts", dest / "webfonts", dirs_exist_ok=True)
            local = dest / "css" / local.name
            local.parent.mkdir(exist_ok=True)
            shutil.move(dest / "vendor" / local.name, local)
        html = html.replace(url, str(local.relative_to(dest)))
    # Google Fonts: the same @font-face rules, pointing at copied font files.
    fonts = sorted((store_root / "packages" / "@fontsource" / "inter").glob("*/files"))[-1]
    css = []
    for w in (400, 700):
        f = f"inter-latin-{w}-normal.woff2"
        shutil.copyfile(fonts / f, dest / "vendor" / f)
        css.append(
            f"@font-face{{font-family:'Inter';font-weight:{w};font-display:swap;"
            f"src:url(vendor/{f}) format('woff2')}}"
        )
    html = re.sub(
        r'<link rel="stylesheet" href="https://fonts.googleapis.com[^>]*>',
        "<style>" + "".join(css) + "</style>",
        html,
    )
    (dest / "index.html").write_text(html)


async def timing(runs: int, tmp: Path) -> dict:
    from judge.mirror import store_root
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    heavy = tmp / "heavy"
    heavy.mkdir()
    (heavy / "index.html").write_text(HEAVY)
    async with Judge(JudgeOptions(workers=1, judge="deterministic")) as judge:
        first = await judge.judge(heavy)  # warms the store (and the browser)
        assert first.status == "ok", first.reason
        _inline_copy(heavy, tmp / "inlined", store_root())
        check = await judge.judge(tmp / "inlined")
        assert check.status == "ok" and not [
            b for b in check.blocked_requests if b.action == "mirrored"
        ], "the inlined copy still asks a CDN"
        t_cdn, t_inl = [], []
        for _ in range(runs):
            for path, acc in ((heavy, t_cdn), (tmp / "inlined", t_inl)):
                t = time.monotonic()
                v = await judge.judge(path)
                acc.append(time.monotonic() - t)
                assert v.status == "ok"
        mirrored = [b for b in first.blocked_requests if b.action == "mirrored"]
    out = {
        "cdn_page_warm_s": round(statistics.median(t_cdn), 2),
        "inlined_page_s": round(statistics.median(t_inl), 2),
        "ratio_warm_mirror_vs_inlined": round(
            statistics.median(t_cdn) / statistics.median(t_inl), 3
        ),
        "mirrored_requests": len(mirrored),
        "scores": [first.score, check.score],
    }
    print("\n[timing] " + json.dumps(out))
    return out


def cold(tmp: Path) -> dict:
    """The heavy page judged once with an empty store (its own process: a fresh FJUDGE_CACHE)."""
    heavy = tmp / "heavy"
    env = dict(os.environ, FJUDGE_CACHE=str(tmp / "cold-cache"))
    t = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "judge", "score", str(heavy), "--json", "--workers", "1"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.monotonic() - t
    verdict = json.loads(out.stdout.splitlines()[-1])
    mirrored = [b for b in verdict["blocked_requests"] if b["action"] == "mirrored"]
    res = {
        "cold_first_judgment_s": round(seconds, 1),
        "cold_load_s": verdict["timings"].get("load"),
        "mirrored": len(mirrored),
        "status": verdict["status"],
        "store_mb": round(_du(tmp / "cold-cache" / "mirror") / 1e6, 1),
    }
    print("\n[cold] " + json.dumps(res))
    return res


def defaults(tmp: Path) -> dict:
    env = dict(os.environ, FJUDGE_CACHE=str(tmp / "defaults-cache"))
    t = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "judge", "mirror", "defaults"],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    res = {
        "defaults_prefill_s": round(time.monotonic() - t, 1),
        "exit": out.returncode,
        "store_mb": round(_du(tmp / "defaults-cache" / "mirror") / 1e6, 1),
        "packages": len(
            list((tmp / "defaults-cache" / "mirror").glob("packages/**/.fjudge-complete"))
        ),
    }
    print("\n[defaults] " + json.dumps(res))
    return res


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


async def apps_pass(apps: list[Path], mirror: bool) -> list[dict]:
    from judge.pipeline import Judge
    from judge.schema import JudgeOptions

    if not mirror:
        os.environ["FJUDGE_MIRROR"] = "off"
    try:
        async with Judge(JudgeOptions(workers=1, judge="deterministic")) as judge:
            return await real_apps(judge, apps)
    finally:
        os.environ.pop("FJUDGE_MIRROR", None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--apps", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-cold", action="store_true")
    ap.add_argument("--skip-defaults", action="store_true")
    ap.add_argument("--skip-timing", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = ap.parse_args()
    figures: dict = {}
    tmp = Path(tempfile.mkdtemp(prefix="fjudge-mirror-bench-"))
    try:
        if REAL_APPS.is_dir():
            apps = sorted(p.parent for p in REAL_APPS.glob("*/index.html"))[: args.apps]
            rows = asyncio.run(apps_pass(apps, mirror=True))
            off = asyncio.run(apps_pass(apps, mirror=False))
            for r in rows:
                print(json.dumps(r))
            figures["real_apps_mirror"] = _summarise("real-apps, mirror on", rows)
            figures["real_apps_no_mirror"] = _summarise("real-apps, mirror off", off)
            figures["real_apps_rows"] = rows
        else:
            print(f"(no {REAL_APPS}: real-apps skipped)")
        if not args.skip_timing:
            figures["timing"] = asyncio.run(timing(args.runs, tmp))
        if not args.skip_cold and not args.skip_timing:
            figures["cold"] = cold(tmp)
        if not args.skip_defaults:
            figures["defaults"] = defaults(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
