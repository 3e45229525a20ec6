"""One page per CDN URL form, judged in real Chromium in the real sandbox: the library ran.

Each page exposes `window.__facts()`; the facts show the library did its work (the element it
renders, pixels on a canvas, a font face loaded per `document.fonts`, an icon ligature's width),
including with Subresource Integrity attributes (the bytes must be exactly the CDN's).
"""

from __future__ import annotations

import pytest

from tests.mirror.conftest import MIRROR_PAGES

pytestmark = [pytest.mark.browser, pytest.mark.npm]


def _has_bold(faces: list[str]) -> bool:
    return any(f.startswith("700") or f.startswith("100 ") for f in faces)


CHECKS = {
    "unpkg_react": lambda f: f["react"] == "object" and f["text"] == "Clicked 1 times",
    "jsdelivr_chart": lambda f: f["chart"] == "function" and f["red_pixels"] > 500,
    "cdnjs_fontawesome": lambda f: f["solid"] and f["brands"] and f["width"] > 5,
    "code_jquery": lambda f: f["text"] == "jQuery 3.7.1",
    "google_ajax": lambda f: f["jquery"] == "3.6.0" and f["circles"] == 1,
    "stackpath_bootstrap": lambda f: (
        f["bg"] == "rgb(0, 123, 255)" and f["bootstrap_js"] == "function"
    ),
    "tailwind_play": lambda f: (
        f["bg"] == "rgb(18, 52, 86)" and f["padding"] == "16px" and f["prose_h1"] == "800"
    ),
    "tailwind_v4": lambda f: f["bg"] not in ("", "rgba(0, 0, 0, 0)") and f["padding"] == "32px",
    "google_fonts_v2": lambda f: (
        "400 normal" in f["roboto"] and "700 normal" in f["roboto"] and "700 italic" in f["poppins"]
    ),
    "google_fonts_v1": lambda f: "300 normal" in f["muli"] and "400 normal" in f["open_sans"],
    # A ligature icon is one glyph ~24px wide; the fallback text ("home", "search") is wider.
    "material_icons": lambda f: 20 <= f["icons"] <= 28 and 20 <= f["symbols"] <= 28,
    "bootstrap_icons": lambda f: f["faces"] and f["width"] > 5,
    # The SVG decoded (the placeholder PNG would be 64 wide, a failure 0).
    "lucide_heroicons": lambda f: f["lucide_svgs"] == 1 and f["hero_natural"] not in (0, 64),
    "jsdelivr_combine": lambda f: f["jquery"] == "3.7.1" and f["lodash"] == "4.17.21",
    # ES modules: one React instance shared by react-dom (hooks work), CJS named exports.
    "esm_react": lambda f: f["text"] == "Clicked 1 times" and f["confetti"] == "function",
    # Exact pins, ?deps=, `*` and ?external=: still one React (react-router's and zustand's
    # hooks run), as on esm.sh.
    "esm_pinned": lambda f: (
        f["text"] == "Clicked 1 times" and f["cls"] == "btn on" and f["about"] == "About at /about"
    ),
    # A package's other entries are one instance with it (preact/hooks, react-dom/client and
    # react-dom's flushSync on the same root); `?dev` is the same module as without.
    "esm_entries": lambda f: (
        f["preact"] == "Preact 1" and f["react"] == "React 1" and f["flushed"] is True
    ),
    # Modules whose names all come from other packages (`export * from "lit-html"`), and Lit's
    # single-file build on jsDelivr's GitHub path: the classes and functions are there. A
    # module exporting `defaults` has no default; Node's crypto is an empty module.
    "esm_reexports": lambda f: (
        f["lit"] == "Hello, Lit"
        and f["lit_colour"] == "rgb(0, 90, 180)"
        and f["vue"] == "Vue 3"
        and f["md"] == "<h1>Hi</h1>"
        and f["seeded"] == "number"
    ),
    "esm_forms": lambda f: (
        f.get("confetti") == "function"
        and f.get("chunk") == "[[1,2],[3,4]]"
        and f.get("kebab") == "hello-world"
    ),
    "other_hosts": lambda f: (
        f["bars"] == 3
        and f["accent"] != ""
        and any(x.startswith("700") for x in f["faces"])
        and f["confetti"] == "function"
        and f["d3"] == "7"
        and f["alpine"] == "42"
    ),
    "use_fontawesome": lambda f: f["fa"] and f["vue"] == "vue mounted" and f["alpine"] == "42",
}


@pytest.fixture(scope="module")
def pages():
    return sorted(p.name for p in MIRROR_PAGES.iterdir() if (p / "index.html").is_file())


def test_every_fixture_page_has_a_check(pages):
    assert sorted(CHECKS) == pages


async def _facts(judge, name: str) -> tuple[dict, list]:
    from judge.capture import collect_page_records, load, open_session

    site = judge.preview.register(MIRROR_PAGES / name)
    handle = await judge._browser()
    session = await open_session(handle.browser, site, (1024, 768))
    try:
        await load(session, 30)
        # The facts scripts wait on timers in real time; the judge's pages run on a virtual
        # clock that only moves when advanced, so let it follow the wall here.
        await session.page.evaluate("() => window.__fjClock.auto(true)")
        facts = await session.page.evaluate("window.__facts()")
        await collect_page_records(session)
    finally:
        await session.close()
        judge.preview.unregister(site)
    return facts, session.events.blocked


@pytest.mark.parametrize("name", sorted(CHECKS))
async def test_library_runs_from_the_mirror(judge_session, prefilled, name):
    facts, blocked = await _facts(judge_session, name)
    print(name, facts)
    for b in blocked:
        print(" ", b.action, b.channel, b.url, b.package, b.file, b.reason)
    assert CHECKS[name](facts), facts
    mirrored = [b for b in blocked if b.action == "mirrored"]
    assert mirrored and all(b.package and "@" in b.package[1:] for b in mirrored)
    assert not [b for b in blocked if b.action == "blocked"], "a CDN request was not answered"
