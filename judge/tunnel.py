"""The preview's front door: tells plain HTTP from proxy tunnels (CONNECT) on one socket.

Every request of a judged page reaches the preview as an HTTP proxy request (Chromium is told to
send even loopback through the proxy). Plain requests (`GET http://host/path`) are handed to the
aiohttp server as they are. A `CONNECT host:443` — how a browser asks a proxy for an https URL —
is answered here: refused (403) unless the preview can answer that host locally (the CDN mirror),
in which case the preview terminates TLS itself with a certificate for that host, made with a
key only this process holds (the browser is told to accept that key and no other, see
judge/browser.py), and hands the decrypted stream to the same aiohttp server. Nothing is ever
forwarded anywhere: a tunnel only ever reaches this process.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import ssl
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_HEAD = 16 * 1024
_CONNECT = b"CONNECT "


@dataclass(frozen=True)
class ConnectHead:
    """A parsed `CONNECT host:port` request head."""

    host: str
    port: int
    headers: dict[str, str]


def parse_connect(head: bytes) -> ConnectHead | None:
    """Parse a CONNECT head (request line + headers); None if malformed."""
    try:
        text = head.decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        return None
    lines = text.split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or parts[0] != "CONNECT":
        return None
    host, _, port = parts[1].rpartition(":")
    if not host or not port.isdigit():
        return None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return ConnectHead(host.strip("[]").lower(), int(port), headers)


# What the preview decides for a CONNECT: (status, site-or-None); 200 opens a TLS tunnel whose
# requests go to `serve` with the tunnel's identity attached to the protocol object.
ConnectDecision = Callable[[ConnectHead], Awaitable[tuple[int, Any]]]


class FrontProtocol(asyncio.Protocol):
    """Reads just enough of a connection to route it: CONNECT here, anything else to aiohttp."""

    def __init__(self, front: Front) -> None:
        self.front = front
        self.buf = b""
        self.transport: asyncio.Transport | None = None
        self.decided = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.decided:  # pragma: no cover - reading is paused once decided
            return
        self.buf += data
        if len(self.buf) < len(_CONNECT) and _CONNECT.startswith(self.buf):
            return
        if not self.buf.startswith(_CONNECT):
            self.decided = True
            self.front.hand_to_http(self.transport, self.buf)  # type: ignore[arg-type]
            return
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buf) > MAX_HEAD:
                self.transport.close()  # type: ignore[union-attr]
            return
        self.decided = True
        self.transport.pause_reading()  # type: ignore[union-attr]
        head = self.buf[:end]
        self.front.spawn(self.front.connect(self.transport, head))  # type: ignore[arg-type]

    def eof_received(self) -> bool | None:
        return None


class Front:
    """Owns the listening sockets; plain HTTP goes to `http_factory` (aiohttp's web.Server)."""

    def __init__(
        self,
        http_factory: Callable[[], asyncio.Protocol],
        decide: ConnectDecision,
        tunnels: dict[Any, Any],
    ) -> None:
        self.http_factory = http_factory
        self.decide = decide
        self.tunnels = tunnels
        self.servers: list[asyncio.AbstractServer] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def listen_unix(self, path: Path) -> None:
        loop = asyncio.get_running_loop()
        self.servers.append(await loop.create_unix_server(lambda: FrontProtocol(self), str(path)))

    async def listen_tcp(self, port: int) -> int:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: FrontProtocol(self), "127.0.0.1", port)
        self.servers.append(server)
        return server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        for s in self.servers:
            s.close()
        for t in list(self._tasks):
            t.cancel()
        self.servers.clear()

    def spawn(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def hand_to_http(self, transport: asyncio.Transport, already: bytes) -> None:
        proto = self.http_factory()
        transport.set_protocol(proto)
        proto.connection_made(transport)
        proto.data_received(already)

    async def connect(self, transport: asyncio.Transport, head: bytes) -> None:
        parsed = parse_connect(head)
        if parsed is None:
            transport.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            transport.close()
            return
        status, identity = await self.decide(parsed)
        if status != 200:
            reason = {407: "Proxy Authentication Required", 403: "Forbidden"}.get(status, "No")
            extra = 'Proxy-Authenticate: Basic realm="fjudge-preview"\r\n' if status == 407 else ""
            transport.write(
                f"HTTP/1.1 {status} {reason}\r\n{extra}Content-Length: 0\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            transport.close()
            return
        transport.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        proto = self.http_factory()
        self.tunnels[proto] = identity
        holder = _Holding()
        loop = asyncio.get_running_loop()
        try:
            tls = await loop.start_tls(
                transport, holder, authority().context_for(parsed.host), server_side=True
            )
        except (OSError, ssl.SSLError, ConnectionError):
            self.tunnels.pop(proto, None)
            with contextlib.suppress(Exception):
                transport.close()
            return
        if tls is None:  # pragma: no cover - only for a transport closed mid-handshake
            self.tunnels.pop(proto, None)
            return
        holder.hand_over(tls, proto)
        # The protocol leaves the table when its connection ends (see PreviewServer).


class _Holding(asyncio.Protocol):
    """Holds decrypted bytes that arrive with the end of the TLS handshake (start_tls does not
    call `connection_made` on its protocol) until the HTTP protocol is attached."""

    def __init__(self) -> None:
        self.pending: list[bytes] = []
        self.eof = False
        self.lost: tuple[Exception | None] | None = None

    def data_received(self, data: bytes) -> None:
        self.pending.append(data)

    def eof_received(self) -> bool | None:
        self.eof = True
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = (exc,)

    def hand_over(self, transport: asyncio.Transport, proto: asyncio.Protocol) -> None:
        transport.set_protocol(proto)
        proto.connection_made(transport)
        for chunk in self.pending:
            proto.data_received(chunk)
        if self.eof:
            proto.eof_received()
        if self.lost is not None:
            proto.connection_lost(self.lost[0])


class CertAuthority:
    """Certificates for tunnelled hosts, all on one key made in memory at first use.

    The browser trusts exactly this key's SPKI (`--ignore-certificate-errors-spki-list`), so a
    tunnel can only ever be answered by this process, and no certificate store is touched."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        self._key = ec.generate_private_key(ec.SECP256R1())
        der = self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.spki_sha256 = base64.b64encode(hashlib.sha256(der).digest()).decode()
        self._contexts: dict[str, ssl.SSLContext] = {}

    def context_for(self, host: str) -> ssl.SSLContext:
        ctx = self._contexts.get(host)
        if ctx is None:
            ctx = self._contexts[host] = self._make(host)
        return ctx

    def _make(self, host: str) -> ssl.SSLContext:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.x509.oid import NameOID

        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host[:64])])
        start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        pem = cert.public_bytes(serialization.Encoding.PEM) + self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        # `ssl` loads keys only from files: a private (0600) temp file, deleted at once.
        with tempfile.NamedTemporaryFile(suffix=".pem") as f:
            f.write(pem)
            f.flush()
            ctx.load_cert_chain(f.name)
        ctx.set_alpn_protocols(["http/1.1"])
        return ctx


_AUTHORITY: CertAuthority | None = None


def authority() -> CertAuthority:
    """The process-wide certificate key: the browser is launched trusting exactly its SPKI."""
    global _AUTHORITY
    if _AUTHORITY is None:
        _AUTHORITY = CertAuthority()
    return _AUTHORITY
