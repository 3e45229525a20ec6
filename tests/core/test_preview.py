"""The preview server: own origin per site, MIME types, SPA fallback, no escape from the root."""

from __future__ import annotations

import os

import httpx
import pytest

from judge.preview import PreviewServer


@pytest.fixture
async def server():
    s = PreviewServer()
    await s.start()
    yield s
    await s.close()


@pytest.fixture
def site_dir(tmp_path):
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<h1>app</h1>")
    (root / "assets" / "app.js").write_text("console.log(1)")
    (root / "assets" / "style.css").write_text("h1{}")
    (root / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    os.symlink(tmp_path / "secret.txt", root / "leak.txt")
    os.symlink(tmp_path, root / "up")
    return root


async def _get(server, site, path, host=None):
    async with httpx.AsyncClient() as c:
        return await c.get(
            f"http://127.0.0.1:{server.port}{path}", headers={"Host": host or site.host}
        )


async def test_serves_files_with_mime_types(server, site_dir):
    site = server.register(site_dir)
    r = await _get(server, site, "/assets/app.js")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert (
        (await _get(server, site, "/assets/style.css"))
        .headers["content-type"]
        .startswith("text/css")
    )
    assert (await _get(server, site, "/logo.svg")).headers["content-type"] == "image/svg+xml"
    assert (await _get(server, site, "/")).text == "<h1>app</h1>"


async def test_spa_fallback_but_real_404_for_assets(server, site_dir):
    site = server.register(site_dir)
    r = await _get(server, site, "/dashboard/settings")
    assert r.status_code == 200 and "app" in r.text
    r = await _get(server, site, "/assets/missing.js")
    assert r.status_code == 404
    assert "/assets/missing.js" in site.missing


async def test_symlink_out_of_root_is_refused(server, site_dir):
    site = server.register(site_dir)
    for path in ("/leak.txt", "/up/secret.txt"):
        r = await _get(server, site, path)
        assert r.status_code in (403, 404) and "SECRET" not in r.text, path


async def test_path_traversal_is_refused(server, site_dir):
    site = server.register(site_dir)
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
        r = await _get(server, site, path)
        assert "SECRET" not in r.text, path
        assert r.status_code in (400, 403, 404), path


async def test_unknown_host_is_blocked_and_recorded(server, site_dir):
    site = server.register(site_dir)
    r = await _get(server, site, "/x.png", host="tracker.example")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"  # placeholder
    r = await _get(server, site, "/api", host="tracker.example")
    assert r.status_code == 403
    assert [b.channel for b in server.stray] == ["image", "fetch/xhr"]


async def test_listens_on_loopback_only(server):
    assert server._runner is not None
    addrs = [s.getsockname()[0] for site in server._runner.sites for s in site._server.sockets]
    assert addrs and all(a.startswith("127.") for a in addrs)


async def test_sites_are_isolated_by_host(server, site_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text("<h1>other</h1>")
    a, b = server.register(site_dir), server.register(other)
    assert a.origin != b.origin
    assert "other" in (await _get(server, b, "/")).text
    assert "app" in (await _get(server, a, "/")).text
