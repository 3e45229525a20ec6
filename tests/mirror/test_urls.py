"""CDN URL forms → (package, range, file); hostile URLs → nothing."""

from __future__ import annotations

import pytest

from judge.mirror.urls import parse


@pytest.mark.parametrize(
    ("url", "name", "spec", "file", "module"),
    [
        (
            "https://unpkg.com/react@18/umd/react.production.min.js",
            "react",
            "18",
            "umd/react.production.min.js",
            False,
        ),
        (
            "https://unpkg.com/@babel/standalone/babel.min.js",
            "@babel/standalone",
            "",
            "babel.min.js",
            False,
        ),
        ("https://unpkg.com/vue", "vue", "", "", False),
        (
            "https://unpkg.com/three@0.160.0/build/three.module.js?module",
            "three",
            "0.160.0",
            "build/three.module.js",
            True,
        ),
        (
            "https://cdn.jsdelivr.net/npm/alpinejs@3.x.x/dist/cdn.min.js",
            "alpinejs",
            "3.x.x",
            "dist/cdn.min.js",
            False,
        ),
        ("https://cdn.jsdelivr.net/npm/chart.js", "chart.js", "", "", False),
        ("https://cdn.jsdelivr.net/npm/canvas-confetti@1/+esm", "canvas-confetti", "1", "", True),
        (
            "https://fastly.jsdelivr.net/npm/jquery@latest/dist/jquery.js",
            "jquery",
            "latest",
            "dist/jquery.js",
            False,
        ),
        (
            "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.5.1/css/all.min.css",
            "@fortawesome/fontawesome-free",
            "6.5.1",
            "css/all.min.css",
            False,
        ),
        (
            "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/4.7.0/css/font-awesome.min.css",
            "font-awesome",
            "4.7.0",
            "css/font-awesome.min.css",
            False,
        ),
        (
            "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js",
            "jquery",
            "3.7.1",
            "dist/jquery.min.js",
            False,
        ),
        (
            "https://cdnjs.cloudflare.com/ajax/libs/three.js/r128/three.min.js",
            "three",
            "0.128.0",
            "build/three.min.js",
            False,
        ),
        (
            "https://code.jquery.com/jquery-3.6.0.slim.min.js",
            "jquery",
            "3.6.0",
            "dist/jquery.slim.min.js",
            False,
        ),
        (
            "https://code.jquery.com/ui/1.13.2/jquery-ui.min.js",
            "jquery-ui",
            "1.13.2",
            "dist/jquery-ui.min.js",
            False,
        ),
        (
            "https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js",
            "jquery",
            "3.7.1",
            "dist/jquery.min.js",
            False,
        ),
        (
            "https://ajax.googleapis.com/ajax/libs/threejs/r84/three.min.js",
            "three",
            "0.84.0",
            "build/three.min.js",
            False,
        ),
        (
            "https://stackpath.bootstrapcdn.com/bootstrap/4.5.2/css/bootstrap.min.css",
            "bootstrap",
            "4.5.2",
            "dist/css/bootstrap.min.css",
            False,
        ),
        (
            "https://maxcdn.bootstrapcdn.com/font-awesome/4.7.0/css/font-awesome.min.css",
            "font-awesome",
            "4.7.0",
            "css/font-awesome.min.css",
            False,
        ),
        (
            "https://use.fontawesome.com/releases/v5.15.4/css/all.css",
            "@fortawesome/fontawesome-free",
            "5.15.4",
            "css/all.css",
            False,
        ),
        ("https://esm.sh/react@18.2.0", "react", "18.2.0", "", True),
        # Projects' own CDNs, which publish their npm package's files.
        ("https://d3js.org/d3.v7.min.js", "d3", "7", "dist/d3.min.js", False),
        ("https://code.highcharts.com/highcharts.js", "highcharts", "", "highcharts.js", False),
        (
            "https://code.highcharts.com/stock/11.2.0/modules/exporting.js",
            "highcharts",
            "11.2.0",
            "modules/exporting.js",
            False,
        ),
        (
            "https://cdn.datatables.net/1.13.6/css/jquery.dataTables.min.css",
            "datatables.net-dt",
            "1.13.6",
            "css/jquery.dataTables.min.css",
            False,
        ),
        (
            "https://cdn.datatables.net/2.0.8/js/dataTables.min.js",
            "datatables.net",
            "2.0.8",
            "js/dataTables.min.js",
            False,
        ),
        (
            "https://cdn.jsdelivr.net/gh/alpinejs/alpine@v2.x.x/dist/alpine.min.js",
            "alpinejs",
            "2.x.x",
            "dist/alpine.min.js",
            False,
        ),
        # Lit's documented single-file build: the `lit` package's module.
        ("https://cdn.jsdelivr.net/gh/lit/dist@3/core/lit-core.min.js", "lit", "3", "", True),
        ("https://cdn.jsdelivr.net/gh/lit/dist@2.8.0/core/lit-core.js", "lit", "2.8.0", "", True),
        ("https://esm.sh/v135/react-dom@18/client", "react-dom", "18", "client", True),
        ("https://cdn.skypack.dev/canvas-confetti", "canvas-confetti", "", "", True),
        (
            "https://ga.jspm.io/npm:lodash-es@4.17.21/lodash.js",
            "lodash-es",
            "4.17.21",
            "lodash.js",
            True,
        ),
    ],
)
def test_cdn_forms(url, name, spec, file, module):
    want = parse(url)
    assert want is not None and want.kind == "npm"
    assert (want.name, want.spec, want.file, want.module) == (name, spec, file, module)


def test_other_forms():
    assert parse("https://cdn.tailwindcss.com?plugins=forms").kind == "tailwind_play"
    assert parse("https://cdn.tailwindcss.com/3.4.1").spec == "3.4.1"
    fonts = parse("https://fonts.googleapis.com/css2?family=Inter:wght@400;700&display=swap")
    assert fonts.kind == "fonts_css" and fonts.query["family"] == ["Inter:wght@400;700"]
    combo = parse("https://cdn.jsdelivr.net/combine/npm/jquery@3/dist/jquery.min.js,npm/lodash@4")
    assert combo.kind == "combine" and [p.name for p in combo.parts] == ["jquery", "lodash"]


def test_hosts_of_one_library():
    plotly = parse("https://cdn.plot.ly/plotly-2.27.0.min.js")
    assert (plotly.name, plotly.spec, plotly.file) == (
        "plotly.js-dist-min",
        "2.27.0",
        "plotly.min.js",
    )
    assert parse("https://cdn.plot.ly/plotly-latest.min.js").spec == "1.58.5"
    assert parse("https://cdn.plot.ly/../etc/passwd") is None
    assert parse("https://cdn.simplecss.org/simple.min.css").name == "simpledotcss"
    bunny = parse("https://fonts.bunny.net/css?family=open-sans:400,700|inter:600&display=swap")
    assert bunny.kind == "fonts_css" and bunny.query["family"] == ["Open Sans:400,700|Inter:600"]
    assert bunny.query["display"] == ["swap"]


def test_esm_sh_build_arguments():
    from judge.mirror.urls import esm_args, esm_query

    want = parse("https://esm.sh/react-router-dom@6.22.3?deps=react@18.2.0,@scope/x@^1&dev")
    deps, external = esm_args(want.query)
    assert deps == {"react": "18.2.0", "@scope/x": "^1"} and external == ()
    star = parse("https://esm.sh/v135/*zustand@4.5.2/middleware")
    assert (star.name, star.spec, star.file) == ("zustand", "4.5.2", "middleware")
    assert esm_args(star.query) == ({}, ("*",))
    # Names npm would refuse are dropped, not passed on to a build.
    bad = parse("https://esm.sh/x@1?deps=../../etc@1,Evil@2&external=react,a%20b,..")
    assert esm_args(bad.query) == ({}, ("react",))
    assert esm_query({"react": "18.2.0"}, ("react-dom", "*")) == (
        "?deps=react@18.2.0&external=*,react-dom"
    )
    assert esm_query({}, ()) == ""


@pytest.mark.parametrize(
    "url",
    [
        "https://unpkg.com/react@18/../../../etc/passwd",
        "https://unpkg.com/react@18/%2e%2e/%2e%2e/etc/passwd",
        "https://unpkg.com/react@18/dist/..%2f..%2f..%2fetc/passwd",
        "https://unpkg.com/react@18/dist%5c..%5c..%5cx",
        "https://unpkg.com/react@18/a%00.js",
        "https://unpkg.com/..%2f..%2fetc/passwd",
        "https://unpkg.com/%2e%2e",
        "https://unpkg.com/@../x/y.js",
        "https://unpkg.com/@scope/../../x.js",
        "https://unpkg.com/Evil_Name@1/x.js".replace("Evil_Name", "evil name"),
        "https://unpkg.com/" + "a" * 300 + "@1/x.js",
        "https://cdn.jsdelivr.net/npm/react@18/~/.ssh/id_rsa",
        "https://cdn.jsdelivr.net/gh/user/repo@main/x.js",
        "https://cdn.jsdelivr.net/gh/lit/dist@3/all/lit-all.min.js",  # every directive: not `lit`
        "https://d3js.org/../etc/passwd",
        "https://d3js.org/Evil.v7.js",
        "https://code.highcharts.com/../../x.js",
        "https://code.highcharts.com/modules/%2e%2e/%2e%2e/x.js",
        "https://cdn.datatables.net/1.13.6/../../x.js",
        "https://cdn.datatables.net/1.13.6/js/%2e%2e/%2e%2e/x",
        "https://cdn.jsdelivr.net/gh/alpinejs/alpine@v2/../../../x.js",
        "https://cdn.jsdelivr.net/gh/lit/dist@3/core/../../../x.js",
        "https://cdn.jsdelivr.net/gh/lit/dist@3%2f..%2f../core/lit-core.min.js",
        "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/../../../secret",
        "https://cdnjs.cloudflare.com/ajax/libs/..%2f..%2f/1/x.js",
        "https://code.jquery.com/ui/1.13.2/../../x",
        "https://use.fontawesome.com/releases/v5.15.4/../../../x",
        "https://example.com/react@18/index.js",
    ],
)
def test_hostile_urls_are_not_understood(url):
    want = parse(url)
    # Either not a CDN request at all, or one whose every path stays inside a package.
    if want is not None:
        for path in (want.file, *want.alternates):
            assert ".." not in path.split("/") and not path.startswith("/") and "\\" not in path
        assert ".." not in want.name
