"""Runs inside the browser's private network namespace (which has only loopback).

It binds 127.0.0.1:PORT and [::1]:PORT there, forwards each connection to the preview server's
unix socket on the host, then starts the browser as its child. The browser can therefore reach
the preview and nothing else: the namespace has no route out, whatever the page tries.

Usage: python -m judge.netrelay SOCKET PORT -- BROWSER [ARGS...]
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _main(sock: str, port: int, argv: list[str]) -> int:
    async def handle(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        try:
            ur, uw = await asyncio.open_unix_connection(sock)
        except OSError:
            w.close()
            return
        await asyncio.gather(_pipe(r, uw), _pipe(ur, w))

    servers = [await asyncio.start_server(handle, "127.0.0.1", port)]
    with contextlib.suppress(OSError):  # IPv6 loopback may be disabled
        servers.append(await asyncio.start_server(handle, "::1", port))
    # Playwright talks to the browser over fds 3 and 4 (--remote-debugging-pipe): pass them on.
    fds = tuple(fd for fd in (3, 4) if _fd_open(fd))
    proc = await asyncio.create_subprocess_exec(*argv, pass_fds=fds)
    for fd in fds:
        os.close(fd)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, proc.terminate)
    code = await proc.wait()
    for s in servers:
        s.close()
    return code


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 4 or args[2] != "--":
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(_main(args[0], int(args[1]), args[3:])))


if __name__ == "__main__":
    main()
