"""Run an untrusted build command in a bubblewrap sandbox with rlimits and a wall-clock timeout.

Inside the sandbox the project sits at `/build` (writable), its cached `node_modules` is bound
read-only over `/build/node_modules` (with private tmpfs over the few cache dirs tools write to),
`/tmp` is a private size-capped tmpfs, the system dirs are read-only, and nothing else exists: no
$HOME, no FJUDGE_CACHE, no other submission. The build dir itself is watched: a build that
writes past `Limits.tree_bytes` (or too many files, or paths too deep to clean up) is killed. There is no network (`--unshare-net`: only a private loopback)
and the build gets its own PID namespace, so killing the sandbox kills the whole process tree.
When we are root the build drops to `nobody` (so RLIMIT_NPROC applies and root-only files stay
unreadable even if bound).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from builders.paths import PathRefused, tree_usage

SANDBOX_ROOT = "/build"
# Dirs inside node_modules that build tools write to (Vite's bundled config, babel/webpack caches).
NODE_MODULES_WRITABLE = (".vite-temp", ".vite", ".cache")
NOBODY = 65534
WATCH_SECONDS = 0.25  # how often the build dir is measured against its quota
_ETC_FILES = ("passwd", "group", "hosts", "nsswitch.conf", "ld.so.cache", "localtime", "mime.types")
_TOP_DIRS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


@dataclass(frozen=True)
class Limits:
    """Resource limits for one build (per process unless noted)."""

    timeout: float = 180.0  # wall clock for the whole tree
    cpu_seconds: int = 600
    # V8 reserves far more virtual memory than it uses, so RLIMIT_AS is only a generous backstop;
    # RLIMIT_DATA (private writable memory) is the real memory cap.
    address_space: int = 64 << 30
    data: int = 6 << 30
    file_size: int = 256 << 20
    nproc: int = 2048  # counts threads too, and is shared by every build running as nobody
    output_bytes: int = 8 << 20  # total stdout+stderr before the build is stopped
    tail_bytes: int = 16 << 10
    # Total quotas (None = unwatched): the build dir on disk, and the RAM-backed /tmp. Writable
    # tmpfs dirs inside node_modules get a quarter of tmp_bytes each.
    tree_bytes: int | None = None
    tree_entries: int = 200_000
    tmp_bytes: int | None = None


@dataclass
class RunResult:
    """What happened to a sandboxed command."""

    returncode: int | None
    timed_out: bool = False
    output_flood: bool = False
    output_tail: str = ""
    seconds: float = 0.0
    argv: list[str] = field(default_factory=list)
    # bwrap reported launching the command (None when unsandboxed). Read from bwrap's own status
    # pipe, never from the build's output, which the submission controls.
    sandbox_started: bool | None = None
    # Set when the tree watcher stopped the command: why, and the build status it implies.
    limit_hit: str | None = None
    limit_status: str | None = None


def bwrap_path() -> str | None:
    """The bubblewrap binary (FJUDGE_BWRAP overrides PATH), or None when there is none."""
    override = os.environ.get("FJUDGE_BWRAP")
    if override is not None:
        return override if override and os.access(override, os.X_OK) else None
    return shutil.which("bwrap")


def _tool_prefixes() -> list[Path]:
    """Install prefixes of node/npm outside /usr (nvm under $HOME, /opt/node…) to bind read-only."""
    out: list[Path] = []
    for tool in ("node", "npm"):
        found = shutil.which(tool)
        if not found:
            continue
        prefix = Path(found).resolve().parent.parent
        if prefix != Path("/usr") and not prefix.is_relative_to("/usr") and prefix not in out:
            out.append(prefix)
    return out


def _tmpfs(path: str, size: int | None) -> list[str]:
    sized = ["--size", str(size)] if size is not None else []
    return ["--perms", "1777", *sized, "--tmpfs", path]


def bwrap_argv(
    bwrap: str,
    build_dir: Path,
    node_modules: Path | None,
    env: dict[str, str],
    tmp_bytes: int | None = None,
) -> list[str]:
    """The bwrap command line (without the inner command)."""
    a = [bwrap, "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts"]
    a += ["--unshare-cgroup-try", "--die-with-parent", "--new-session", "--clearenv"]
    root = os.geteuid() == 0
    if not root:
        a += ["--unshare-user"]
    elif shutil.which("setpriv"):
        # Privileged bwrap drops all caps; keep only what setpriv needs to become nobody.
        a += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    a += ["--ro-bind", "/usr", "/usr", "--perms", "0755", "--dir", "/etc"]
    for d in _TOP_DIRS:
        p = Path("/") / d
        if p.is_symlink():
            a += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            a += ["--ro-bind", str(p), str(p)]
    for name in _ETC_FILES:
        p = Path("/etc") / name
        if p.exists():
            a += ["--ro-bind", str(p.resolve()), str(p)]
    for prefix in _tool_prefixes():
        # bwrap would create the parents 0700 (root only): make them traversable by nobody.
        for parent in reversed(prefix.parents[:-1]):
            a += ["--perms", "0755", "--dir", str(parent)]
        a += ["--ro-bind", str(prefix), str(prefix)]
    a += ["--proc", "/proc", "--dev", "/dev", *_tmpfs("/tmp", tmp_bytes)]
    a += ["--bind", str(build_dir), SANDBOX_ROOT]
    if node_modules is not None:
        nm = f"{SANDBOX_ROOT}/node_modules"
        a += ["--ro-bind", str(node_modules), nm]
        for d in NODE_MODULES_WRITABLE:
            if (node_modules / d).is_dir():
                a += _tmpfs(f"{nm}/{d}", tmp_bytes // 4 if tmp_bytes else None)
    for k, v in env.items():
        a += ["--setenv", k, v]
    a += ["--chdir", SANDBOX_ROOT]
    return a


def drop_privileges_argv() -> list[str]:
    """Prefix that makes the command run as nobody when we are root (empty otherwise)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return []
    return [
        "setpriv",
        f"--reuid={NOBODY}",
        f"--regid={NOBODY}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--",
    ]


def prlimit_argv(limits: Limits) -> list[str]:
    """rlimits applied to the sandbox and inherited by every process in it."""
    return [
        "prlimit",
        f"--cpu={limits.cpu_seconds}",
        f"--as={limits.address_space}",
        f"--data={limits.data}",
        f"--fsize={limits.file_size}",
        f"--nproc={limits.nproc}",
        "--core=0",
        "--",
    ]


def sandbox_env(home: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A minimal, deterministic environment for build tools."""
    env = {
        "PATH": f"{SANDBOX_ROOT}/node_modules/.bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "NO_COLOR": "1",
        "FORCE_COLOR": "0",
        "npm_config_cache": f"{home}/.npm",
        "npm_config_update_notifier": "false",
        "npm_config_fund": "false",
        "npm_config_audit": "false",
        "npm_config_offline": "true",
        "NEXT_TELEMETRY_DISABLED": "1",
        "ASTRO_TELEMETRY_DISABLED": "1",
        "BROWSERSLIST_IGNORE_OLD_DATA": "1",
        "DISABLE_OPENCOLLECTIVE": "1",
    }
    env.update(extra or {})
    return env


def prepare_build_dir(build_dir: Path) -> None:
    """Make the build dir writable by the sandbox user (nobody, when we are root)."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return
    for dirpath, dirnames, filenames in os.walk(build_dir):
        dirnames[:] = [d for d in dirnames if d != "node_modules"]
        os.chown(dirpath, NOBODY, NOBODY, follow_symlinks=False)
        for fn in filenames:
            os.chown(os.path.join(dirpath, fn), NOBODY, NOBODY, follow_symlinks=False)


async def _pump(
    stream: asyncio.StreamReader, tail: collections.deque, res: RunResult, cap: int, tail_cap: int
) -> None:
    total, kept = 0, 0
    while chunk := await stream.read(1 << 15):
        total += len(chunk)
        tail.append(chunk)
        kept += len(chunk)
        while kept - len(tail[0]) > tail_cap:  # keep memory bounded: only the tail is reported
            kept -= len(tail.popleft())
        if total > cap:
            res.output_flood = True
            return


async def _watch_tree(build_dir: Path, limits: Limits) -> tuple[str, str]:
    """Poll the build dir until it breaks a quota; returns (build status, reason)."""
    assert limits.tree_bytes is not None
    while True:
        await asyncio.sleep(WATCH_SECONDS)
        try:
            used, entries = await asyncio.to_thread(tree_usage, build_dir)
        except PathRefused as exc:
            return "sandbox_violation", f"the build made an unusable path: {exc}"
        except OSError:
            continue  # a folder vanished mid-walk: look again
        problem = over_quota(used, entries, limits)
        if problem:
            return "output_too_large", problem


def over_quota(used: int, entries: int, limits: Limits) -> str | None:
    """Why a build tree of `used` bytes and `entries` entries breaks the limits, if it does."""
    if limits.tree_bytes is not None and used > limits.tree_bytes:
        return f"the build wrote more than {limits.tree_bytes >> 20} MB to its directory"
    if entries > limits.tree_entries:
        return f"the build made more than {limits.tree_entries} files and folders"
    return None


def _killpg(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _command(
    argv: list[str],
    build_dir: Path,
    node_modules: Path | None,
    limits: Limits,
    sandbox: bool,
    extra_env: dict[str, str] | None,
    raw_env: dict[str, str] | None,
) -> tuple[list[str], str | None, dict[str, str]]:
    """(full argv, cwd, environment of the launched process) for run_command."""
    if sandbox:
        bw = bwrap_path()
        if bw is None:
            raise RuntimeError("bubblewrap (bwrap) not found")
        env = sandbox_env("/tmp/home", extra_env)
        full = prlimit_argv(limits) + bwrap_argv(bw, build_dir, node_modules, env, limits.tmp_bytes)
        full += drop_privileges_argv() + ["/bin/sh", "-c", 'mkdir -p "$HOME" && exec "$@"', "sh"]
        return full + argv, None, {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    home = build_dir.parent / "home"
    if raw_env is None:
        home.mkdir(exist_ok=True)
    env = sandbox_env(str(home), extra_env)
    env["PATH"] = f"{build_dir}/node_modules/.bin:{os.environ.get('PATH', '/usr/bin:/bin')}"
    if raw_env is not None:
        env = raw_env
    return prlimit_argv(limits) + argv, str(build_dir), env


async def run_command(
    argv: list[str],
    *,
    build_dir: Path,
    node_modules: Path | None,
    limits: Limits,
    sandbox: bool,
    extra_env: dict[str, str] | None = None,
    raw_env: dict[str, str] | None = None,
) -> RunResult:
    """Run `argv` (e.g. npm run build) on the project in `build_dir`; never raises on failure.

    `raw_env` (unsandboxed only) replaces the build environment entirely (used for npm install).
    """
    full, cwd, proc_env = _command(
        argv, build_dir, node_modules, limits, sandbox, extra_env, raw_env
    )
    status_r, status_w = os.pipe() if sandbox else (-1, -1)
    if sandbox:
        i = full.index("--unshare-net")
        full[i:i] = ["--json-status-fd", str(status_w)]
    res = RunResult(returncode=None, argv=full)
    tail: collections.deque[bytes] = collections.deque()
    start = time.monotonic()
    try:
        proc = await asyncio.create_subprocess_exec(
            *full,
            cwd=cwd,
            env=proc_env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,  # own process group: the timeout kills the whole tree
            pass_fds=(status_w,) if sandbox else (),
        )
    except BaseException:
        if sandbox:
            os.close(status_r)
        raise
    finally:
        if sandbox:
            os.close(status_w)
    await _supervise(proc, res, tail, limits, build_dir)
    res.seconds = time.monotonic() - start
    if sandbox:
        with os.fdopen(status_r, "rb") as f:
            # bwrap has exited, so the pipe is at EOF: this read cannot block.
            res.sandbox_started = b"child-pid" in f.read(1 << 16)
    data = b"".join(tail)[-limits.tail_bytes :]
    res.output_tail = data.decode("utf-8", "replace")
    return res


async def _supervise(
    proc: asyncio.subprocess.Process,
    res: RunResult,
    tail: collections.deque[bytes],
    limits: Limits,
    build_dir: Path,
) -> None:
    """Wait for the command; kill its whole group on timeout, output flood or a broken quota."""
    assert proc.stdout is not None
    pump = asyncio.create_task(
        _pump(proc.stdout, tail, res, limits.output_bytes, limits.tail_bytes)
    )
    watch = asyncio.create_task(_watch_tree(build_dir, limits)) if limits.tree_bytes else None
    try:
        done, _ = await asyncio.wait(
            {pump, *([watch] if watch else [])},
            timeout=limits.timeout,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if not done:
            res.timed_out = True
        elif watch is not None and watch in done:
            res.limit_status, res.limit_hit = watch.result()
        if res.timed_out or res.output_flood or res.limit_hit:
            _killpg(proc.pid)
        try:
            res.returncode = await asyncio.wait_for(proc.wait(), timeout=30)
        except TimeoutError:
            _killpg(proc.pid)
            res.returncode = await proc.wait()
    finally:
        if proc.returncode is None:
            _killpg(proc.pid)
            await proc.wait()
        for task in (pump, watch):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        # The pipe can outlive the main process only through stray children: kill the group.
        _killpg(proc.pid)
