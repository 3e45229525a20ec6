"""The preview server: own origin per site, MIME types, SPA fallback, no escape from the root."""

from __future__ import annotations

import asyncio
import base64
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


def _proxy(server, site) -> str:
    return f"http://{site.token}:{site.secret}@127.0.0.1:{server.port}"


async def _get(server, site, path, host=None, as_site=None):
    """GET through the preview as the browser does: a proxy request with a context's credentials."""
    asker = as_site or site
    async with httpx.AsyncClient(proxy=_proxy(server, asker)) as c:
        return await c.get(f"http://{host or site.host}:{server.port}{path}")


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
    assert [(b.channel, b.action) for b in site.blocked] == [
        ("image", "placeholder"),
        ("fetch/xhr", "blocked"),
    ]


async def test_request_without_credentials_is_challenged(server, site_dir):
    site = server.register(site_dir)
    async with httpx.AsyncClient() as c:
        r = await c.get(f"http://127.0.0.1:{server.port}/", headers={"Host": site.host})
    assert r.status_code == 407 and "Basic" in r.headers["proxy-authenticate"]
    assert "app" not in r.text and site.hits == 0


async def test_wrong_secret_for_a_known_token_is_refused(server, site_dir):
    site = server.register(site_dir)
    async with httpx.AsyncClient(proxy=f"http://{site.token}:guess@127.0.0.1:{server.port}") as c:
        r = await c.get(f"http://{site.host}:{server.port}/")
    assert r.status_code == 403 and "app" not in r.text and site.hits == 0
    assert server.stray and server.stray[0].url.startswith(f"http://{site.host}")


async def test_a_site_is_refused_to_another_sites_credentials(server, site_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text("<h1>other</h1>")
    a, b = server.register(site_dir), server.register(other)
    r = await _get(server, b, "/index.html", as_site=a)
    assert r.status_code == 403 and "other" not in r.text
    assert b.hits == 0
    assert [x.url for x in a.blocked] == [f"{b.origin}/index.html"]


async def test_connect_is_refused_and_recorded(server, site_dir):
    site = server.register(site_dir)
    auth = base64.b64encode(f"{site.token}:{site.secret}".encode()).decode()
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(
        b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n"
        + f"Proxy-Authorization: Basic {auth}\r\n\r\n".encode()
    )
    await writer.drain()
    head = await reader.read(200)
    writer.close()
    assert head.startswith(b"HTTP/1.1 403")
    assert [(b.url, b.channel) for b in site.blocked] == [("https://evil.example", "connect")]


async def test_listens_on_loopback_only(server):
    assert server._front is not None
    addrs = [s.getsockname()[0] for srv in server._front.servers for s in srv.sockets]
    assert addrs and all(a.startswith("127.") for a in addrs)


async def test_sites_are_isolated_by_host(server, site_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text("<h1>other</h1>")
    a, b = server.register(site_dir), server.register(other)
    assert a.origin != b.origin
    assert "other" in (await _get(server, b, "/")).text
    assert "app" in (await _get(server, a, "/")).text
