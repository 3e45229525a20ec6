"""One warm Chromium per Judge, isolated from every network but its preview.

Layers of egress control, outermost first:
1. netns: Chromium runs under `bwrap --unshare-net` (only loopback exists); a relay inside the
   namespace (judge/netrelay.py) forwards the preview port to the host's preview unix socket.
2. proxy: every request — the page's own files and loopback included (`<-loopback>` removes
   Chromium's implicit loopback bypass) — goes to the preview server as an HTTP proxy request.
   Each context has its own proxy credentials (judge/capture.py), so the preview serves a
   site's files only to that site's context, whichever worker or frame asks; other hosts are
   answered from the CDN mirror or recorded and refused. DNS is mapped to NOTFOUND, WebRTC may
   not use UDP, QUIC is off. https to mirrored CDN hosts is terminated by the preview with a key
   made in this process: Chromium accepts that key's SPKI and no other certificate override.
3. Playwright routing per context: records and aborts outside requests (placeholder for images).
Without bwrap (or `unshare`), layers 2 and 3 remain and the Verdict's `isolation` says so.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, Playwright, async_playwright

from judge.workdirs import make_workdir, remove_workdir

RELAY_PORT = 8080
# The temp dir the Playwright driver started for this launch gets (see _driver_tmp).
_DRIVER_TMP: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "fjudge_driver_tmp", default=None
)


class BrowserUnavailable(RuntimeError):
    """No usable Chromium: the tool itself cannot run (exit code 3)."""


def find_chromium() -> str:
    """FJUDGE_CHROMIUM, else a Playwright-managed Chromium, else chromium on PATH."""
    env = os.environ.get("FJUDGE_CHROMIUM")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env
        raise BrowserUnavailable(f"FJUDGE_CHROMIUM={env} is not an executable file")
    base = Path(
        os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or Path.home() / ".cache" / "ms-playwright"
    )
    for pattern in ("chromium-*/chrome-linux*/chrome", "chromium_headless_shell-*/*/chrome*"):
        found = sorted(base.glob(pattern))
        if found:
            return str(found[-1])
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            # Debian's /usr/bin/chromium is a shell wrapper; the real binary starts faster.
            real = Path("/usr/lib/chromium/chromium")
            if name == "chromium" and _is_script(path) and real.is_file():
                return str(real)
            return path
    raise BrowserUnavailable(
        "no Chromium found: set FJUDGE_CHROMIUM, or install Debian's 'chromium' (make setup)"
    )


def _is_script(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"#!"


def _netns_prefix() -> list[str] | None:
    """The command prefix that puts a process in a loopback-only network namespace, if any."""
    if os.environ.get("FJUDGE_NO_NETNS") == "1":
        return None
    bwrap = shutil.which("bwrap")
    if bwrap:
        cmd = [bwrap, "--dev-bind", "/", "/", "--proc", "/proc", "--unshare-net"]
        cmd += ["--unshare-pid", "--die-with-parent", "--"]
        if subprocess.run([*cmd, "true"], capture_output=True, timeout=10).returncode == 0:
            return cmd
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n", "--"]
    return None


def chromium_args(proxy_port: int) -> list[str]:
    from judge.tunnel import authority

    return [
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-quic",
        "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
        "--metrics-recording-only",
        "--no-default-browser-check",
        "--mute-audio",
        "--hide-scrollbars",
        "--font-render-hinting=none",
        "--force-color-profile=srgb",
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        f"--proxy-server=http://127.0.0.1:{proxy_port}",
        # Contexts override this with their own credentials; it stays for browser-level traffic.
        "--proxy-bypass-list=<-loopback>",
        f"--ignore-certificate-errors-spki-list={authority().spki_sha256}",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE *.localhost, "
        "EXCLUDE 127.0.0.1",
        # A page's heap cannot grow past this: memory bombs crash the renderer, not the machine.
        "--js-flags=--max-old-space-size=768",
        "--renderer-process-limit=8",
    ]


@dataclass
class BrowserHandle:
    playwright: Playwright
    browser: Browser
    isolation: str
    workdir: Path

    async def close(self) -> None:
        try:
            try:
                await self.browser.close()
            finally:
                await self.playwright.stop()
        finally:
            remove_workdir(self.workdir)


def _write_launcher(workdir: Path, prefix: list[str], sock: Path, chromium: str) -> Path:
    """A one-line executable Playwright launches: netns prefix + relay + Chromium."""
    pkg_parent = str(Path(__file__).resolve().parent.parent)
    launcher = workdir / "chromium-netns"
    parts = [*prefix, sys.executable, "-m", "judge.netrelay", str(sock), str(RELAY_PORT), "--"]
    quoted = " ".join(_q(p) for p in [*parts, chromium])
    launcher.write_text(f'#!/bin/sh\nPYTHONPATH={_q(pkg_parent)} exec {quoted} "$@"\n')
    launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR)
    return launcher


def _q(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


def _driver_tmp() -> None:
    """Make the Playwright driver start with TMPDIR = the launch's working directory.

    The driver makes Chromium's profile (`playwright_chromiumdev_profile-*`, 5 MB) and its
    artifacts in its temp dir, and Chromium its singleton socket dir (`org.chromium.Chromium.*`);
    a process killed with SIGKILL cannot remove them, and each kill left ~5 MB in /tmp for ever.
    Inside our working directory they go with it (`clean_stale` reaps it). Playwright reads
    the driver's environment from `get_driver_env` at spawn time; the hook adds TMPDIR from a
    context variable, so two Judges launching at once in one process each get their own
    directory and nothing else in the process sees a changed environment. Without the hook
    (another Playwright layout) the driver uses the system temp dir, as before.
    """
    with contextlib.suppress(ImportError, AttributeError):
        from playwright._impl import transport

        original = transport.get_driver_env
        if getattr(original, "_fjudge_tmp", False):
            return

        def driver_env() -> dict:
            env = original()
            tmp = _DRIVER_TMP.get()
            if tmp:
                env["TMPDIR"] = tmp
            return env

        driver_env._fjudge_tmp = True  # type: ignore[attr-defined]
        transport.get_driver_env = driver_env


async def launch(preview_sock: Path | None, preview_port: int) -> BrowserHandle:
    """Start Chromium. With `preview_sock`, inside a netns whose only way out is the relay."""
    chromium = find_chromium()
    workdir = make_workdir("fjudge-browser-")
    _driver_tmp()
    tmp = workdir / "tmp"
    tmp.mkdir()
    token = _DRIVER_TMP.set(str(tmp))
    prefix = _netns_prefix() if preview_sock is not None else None
    executable = chromium
    isolation = "proxy+routing (no network namespace available)"
    if prefix is not None and preview_sock is not None:
        executable = str(_write_launcher(workdir, prefix, preview_sock, chromium))
        isolation = f"netns ({Path(prefix[0]).name}) + proxy + routing"
    try:
        pw = await async_playwright().start()
    except BaseException:  # cancelled (SIGTERM) or failed: leave nothing behind
        remove_workdir(workdir)
        raise
    finally:
        _DRIVER_TMP.reset(token)
    try:
        browser = await pw.chromium.launch(
            executable_path=executable,
            args=chromium_args(RELAY_PORT if prefix else preview_port),
            chromium_sandbox=False,
            handle_sigint=False,
            handle_sigterm=False,
            timeout=60_000,
        )
    except BaseException as exc:
        with contextlib.suppress(Exception):
            await pw.stop()
        remove_workdir(workdir)
        if not isinstance(exc, Exception):
            raise  # cancellation: not a browser fault
        raise BrowserUnavailable(f"Chromium failed to start ({chromium}): {exc}") from exc
    return BrowserHandle(pw, browser, isolation, workdir)


def netns_available() -> bool:
    return _netns_prefix() is not None
