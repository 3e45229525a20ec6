"""`fjudge serve`: the scoring service (FastAPI + uvicorn)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the `serve` command."""

    @app.command()
    def serve(
        host: Annotated[
            str, typer.Option(help="Address to bind (non-loopback needs API keys).")
        ] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port (0 = any free port).")] = 8000,
        db: Annotated[Path | None, typer.Option(help="SQLite job database (WAL).")] = None,
        workers: Annotated[int, typer.Option(min=1, max=64, help="Jobs judged at once.")] = 2,
        queue_max: Annotated[int, typer.Option(min=1, help="Queued jobs before 429.")] = 1000,
        job_timeout: Annotated[float, typer.Option(help="Seconds per job.")] = 300.0,
        max_body_mb: Annotated[float, typer.Option(help="Request body cap (MB).")] = 50.0,
        rubric: Annotated[str, typer.Option(help="Default bundled rubric.")] = "frontend",
        policy: Annotated[
            Path | None, typer.Option(help="Default reward policy (TOML/YAML).")
        ] = None,
        openrlhf_wait: Annotated[
            float,
            typer.Option(help="Longest /get_reward holds a request before 503 + Retry-After."),
        ] = 170.0,
    ) -> None:
        """Run the scoring service. API keys come from FJUDGE_API_KEYS (comma-separated)."""
        import uvicorn

        from judge.service.app import create_app
        from judge.service.settings import Settings

        values: dict[str, object] = {
            "host": host,
            "port": port,
            "workers": workers,
            "queue_max": queue_max,
            "job_timeout": job_timeout,
            "max_body": int(max_body_mb * 1024 * 1024),
            "rubric": rubric,
            "policy": policy,
            "openrlhf_wait": openrlhf_wait,
        }
        if db is not None:
            values["db"] = db
        try:
            settings = Settings.model_validate(values)
            settings.check_exposure()
            if policy is not None:
                from judge.reward import load_policy

                load_policy(policy)
        except (ValueError, OSError) as exc:
            typer.echo(f"fjudge serve: {exc}", err=True)
            raise typer.Exit(2) from None
        try:
            sock = _listen(host, port)
        except OSError as exc:
            typer.echo(f"fjudge serve: cannot listen on {host}:{port}: {exc}", err=True)
            raise typer.Exit(2) from None
        bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        typer.echo(
            f"fjudge serve: listening on http://{shown}:{bound} (API docs at /docs); "
            f"jobs in {settings.db}; {workers} workers, queue max {queue_max}"
        )
        # info: uvicorn's start/stop lines and one access-log line per request.
        config = uvicorn.Config(create_app(settings), log_level="info", access_log=True)
        uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int) -> socket.socket:
    """A bound listening socket, so the real port (also for --port 0) is known before start."""
    family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock
