"""Attacks on the mirror: crafted CDN URLs, hostile packages, off-registry tarballs, size."""

from __future__ import annotations

import asyncio
import base64
import io
import tarfile

import pytest

from judge.mirror.packages import Miss
from tests.mirror.registry_server import tarball

SECRET = b"TOP-SECRET-c0ffee"


async def _raw_proxy_get(server, site, url: str) -> bytes:
    """A proxy request exactly as written (no client-side normalisation of dots)."""
    auth = base64.b64encode(f"{site.token}:{site.secret}".encode()).decode()
    host = url.split("/")[2]
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(
        f"GET {url} HTTP/1.1\r\nHost: {host}\r\nProxy-Authorization: Basic {auth}\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    return data


@pytest.fixture
async def preview(local_mirror, registry, tmp_path):
    from judge.preview import PreviewServer

    registry.publish("lib", "1.0.0", {"package.json": b'{"main": "index.js"}', "index.js": b"ok"})
    (tmp_path / "mirror" / "secret.txt").parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "mirror" / "secret.txt").write_bytes(SECRET)
    (tmp_path / "secret.txt").write_bytes(SECRET)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "index.html").write_text("<h1>x</h1>")
    server = PreviewServer(mirror=local_mirror)
    await server.start()
    site = server.register(site_dir)
    assert await local_mirror.warm("https://unpkg.com/lib@1.0.0/index.js")
    yield server, site
    server.mirror = None  # the fixture closes the service
    await server.close()


@pytest.mark.parametrize(
    "path",
    [
        "/lib@1.0.0/../../secret.txt",
        "/lib@1.0.0/%2e%2e/%2e%2e/secret.txt",
        "/lib@1.0.0/..%2f..%2f..%2fsecret.txt",
        "/lib@1.0.0/%252e%252e/%252e%252e/secret.txt",
        "/lib@1.0.0/..%5c..%5csecret.txt",
        "/..%2f..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/lib@..%2f..%2f/secret.txt",
        "/@lib%2f..%2f..@1/secret.txt",
        "/lib@1.0.0/index.js%00.txt",
    ],
)
async def test_crafted_cdn_url_cannot_read_outside_the_store(preview, path):
    server, site = preview
    for host in ("unpkg.com", "cdn.jsdelivr.net"):
        prefix = "/npm" if host == "cdn.jsdelivr.net" else ""
        raw = await _raw_proxy_get(server, site, f"http://{host}{prefix}{path}")
        assert SECRET not in raw, path
        assert not raw.startswith(b"HTTP/1.1 200"), (path, raw[:200])


async def test_the_store_answers_the_real_file(preview):
    server, site = preview
    raw = await _raw_proxy_get(server, site, "http://unpkg.com/lib@1.0.0/index.js")
    assert raw.startswith(b"HTTP/1.1 200") and raw.endswith(b"\r\n\r\nok")
    assert b"Access-Control-Allow-Origin: *" in raw
    assert [b.action for b in site.blocked] == ["mirrored"]


async def test_odd_package_names_never_reach_the_registry(local_mirror, registry):
    for name in ("../../etc", "@../x", "lib/../../x", "LIB", "a b", "@scope", "x" * 215, ".hidden"):
        rec = await local_mirror.warm(f"https://unpkg.com/{name}@1/index.js")
        assert rec.action == "blocked"
    assert registry.hits == []


async def test_tarball_off_the_registry_is_never_fetched(local_mirror, registry):
    # A packument naming a tarball elsewhere (another host, or the registry host with a
    # different path prefix trick) is refused before any request is made to it.
    hits = []

    async def on_conn(reader, writer):
        hits.append(1)
        writer.close()

    other = await asyncio.start_server(on_conn, "127.0.0.2", 0)
    port = other.sockets[0].getsockname()[1]
    registry.publish(
        "evil", "1.0.0", {"index.js": b"x"}, tarball_url=f"http://127.0.0.2:{port}/evil.tgz"
    )
    registry.publish("evil2", "1.0.0", {"index.js": b"x"}, tarball_url="file:///etc/passwd")
    try:
        for name in ("evil", "evil2"):
            with pytest.raises(Miss) as exc:
                await local_mirror.packages.get(name, "1.0.0", "index.js")
            assert exc.value.reason == "registry_error"
    finally:
        other.close()
    assert hits == []


async def test_integrity_mismatch_is_refused(local_mirror, registry):
    registry.publish("tampered", "1.0.0", {"index.js": b"x"}, integrity="sha512-" + "A" * 86 + "==")
    with pytest.raises(Miss):
        await local_mirror.packages.get("tampered", "1.0.0", "index.js")
    assert not local_mirror.store.has("tampered", "1.0.0")


async def test_oversize_package_is_refused(local_mirror, registry):
    import os

    local_mirror.registry.max_tarball = 64 * 1024
    registry.publish("huge", "1.0.0", {"blob.bin": os.urandom(200 * 1024)})
    with pytest.raises(Miss) as exc:
        await local_mirror.packages.get("huge", "1.0.0", "blob.bin")
    assert exc.value.reason == "too_large"
    assert not local_mirror.store.has("huge", "1.0.0")


def _member(name: str, kind: bytes = tarfile.REGTYPE, link: str = "", size: int = 1):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, size if kind == tarfile.REGTYPE else 0
    return info


@pytest.mark.parametrize(
    "member",
    [
        _member("package/link", tarfile.SYMTYPE, "/etc/passwd"),
        _member("package/hard", tarfile.LNKTYPE, "package/index.js"),
        _member("package/../../escape.txt"),
        _member("/abs/escape.txt"),
        _member("package/fifo", tarfile.FIFOTYPE),
        _member("package/dev", tarfile.CHRTYPE),
    ],
    ids=["symlink", "hardlink", "dotdot", "absolute", "fifo", "device"],
)
async def test_unsafe_tarball_is_refused_whole(local_mirror, registry, tmp_path, member):
    body = tarball({"index.js": b"x"}, extra=[member])
    registry.publish("hostile", "1.0.0", body)
    with pytest.raises(Miss) as exc:
        await local_mirror.packages.get("hostile", "1.0.0", "index.js")
    assert exc.value.reason == "unsafe_package"
    assert not local_mirror.store.has("hostile", "1.0.0")
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path.parent / "escape.txt").exists()
    assert not list((tmp_path / "mirror").rglob("escape.txt"))


async def test_not_a_tarball_is_refused(local_mirror, registry):
    registry.publish("garbage", "1.0.0", b"not gzip at all")
    with pytest.raises(Miss) as exc:
        await local_mirror.packages.get("garbage", "1.0.0", "index.js")
    assert exc.value.reason == "unsafe_package"


def test_tarball_helper_builds_what_it_says():
    # Control for the hostile cases above: the helper really writes the member it is given.
    body = tarball({}, extra=[_member("package/link", tarfile.SYMTYPE, "/etc/passwd")])
    with tarfile.open(fileobj=io.BytesIO(body)) as tar:
        assert [m.issym() for m in tar.getmembers()] == [True]


async def test_https_through_the_tunnel_gets_the_published_bytes(preview):
    import httpx

    server, site = preview
    proxy = f"http://{site.token}:{site.secret}@127.0.0.1:{server.port}"
    # verify=False: the preview's certificate is trusted by SPKI in Chromium, not by httpx.
    async with httpx.AsyncClient(proxy=proxy, verify=False) as client:
        r = await client.get("https://unpkg.com/lib@1.0.0/index.js")
        assert r.status_code == 200 and r.content == b"ok"
        assert r.headers["access-control-allow-origin"] == "*"
        assert "immutable" in r.headers["cache-control"]
        with pytest.raises(httpx.ProxyError):
            await client.get("https://evil.example/steal")
    assert [(b.url, b.action) for b in site.blocked] == [
        ("https://unpkg.com/lib@1.0.0/index.js", "mirrored"),
        ("https://evil.example", "blocked"),
    ]


async def test_tunnel_needs_the_sites_credentials(preview):
    server, site = preview
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(b"CONNECT unpkg.com:443 HTTP/1.1\r\nHost: unpkg.com:443\r\n\r\n")
    await writer.drain()
    head = await reader.read(300)
    writer.close()
    assert head.startswith(b"HTTP/1.1 407")
