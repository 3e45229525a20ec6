"""`fjudge mirror …`: the offline CDN mirror's store and lock.

fjudge mirror add react@18 @fortawesome/fontawesome-free@6 …   # packages (or CDN URLs)
fjudge mirror prefill pages/ other.html                         # every CDN URL they use
fjudge mirror defaults                                          # the common set (make demo)
fjudge mirror list [--json]                                     # store + lock
fjudge mirror lock export FILE / lock import FILE [--replace]
fjudge mirror prune [--keep-locked]                             # drop unpinned versions
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Annotated

import typer

mirror_app = typer.Typer(
    help="The offline CDN mirror: its package store and lock.", no_args_is_help=True
)
lock_app = typer.Typer(
    help="Export or import the mirror's lock (pinned resolutions).", no_args_is_help=True
)
mirror_app.add_typer(lock_app, name="lock")


def register(app: typer.Typer) -> None:
    app.add_typer(mirror_app, name="mirror")


def _service(offline: bool = False):
    from judge.mirror import from_env

    service = from_env(offline=offline)
    if service is None:
        typer.echo("fjudge: the mirror is off (FJUDGE_MIRROR=off)", err=True)
        raise typer.Exit(2)
    return service


async def _warm_all(urls: list[str]) -> int:
    service = _service()
    failed = 0
    t0 = time.monotonic()
    try:
        for url in urls:
            rec = await service.warm(url)
            ok = rec.action == "mirrored"
            failed += not ok
            what = rec.package if ok else f"{rec.reason}: {rec.detail or ''}"
            typer.echo(f"{'ok ' if ok else 'MISS'} {url}  {what}")
    finally:
        await service.close()
    size = service.store.size() / 1e6
    typer.echo(
        f"{len(urls) - failed}/{len(urls)} answered in {time.monotonic() - t0:.1f}s; "
        f"store {size:.1f} MB at {service.root}"
    )
    return failed


def _as_url(spec: str) -> str:
    """A package spec (`name@range/file`) as the jsDelivr URL that asks for it."""
    if spec.startswith(("http://", "https://", "//")):
        return spec if not spec.startswith("//") else "https:" + spec
    return f"https://cdn.jsdelivr.net/npm/{spec}"


@mirror_app.command("add")
def add(
    specs: Annotated[list[str], typer.Argument(help="name[@range][/file] or CDN URLs.")],
) -> None:
    """Fetch packages (their default file, or the file named) into the store and pin them."""
    failed = asyncio.run(_warm_all([_as_url(s) for s in specs]))
    raise typer.Exit(1 if failed else 0)


@mirror_app.command("prefill")
def prefill(
    paths: Annotated[list[Path], typer.Argument(help="Pages or folders of pages to scan.")],
) -> None:
    """Scan pages (HTML/CSS/JS) for CDN URLs and fetch everything they need."""
    from judge.mirror.scan import scan_paths

    for p in paths:
        if not p.exists():
            typer.echo(f"fjudge: no such file or directory: {p}", err=True)
            raise typer.Exit(2)
    urls = scan_paths(paths)
    typer.echo(f"{len(urls)} CDN URLs in {len(paths)} path(s)")
    failed = asyncio.run(_warm_all(urls))
    raise typer.Exit(1 if failed else 0)


@mirror_app.command("defaults")
def defaults() -> None:
    """Pre-fill the most used front-end libraries, fonts and icon sets (what `make demo` does)."""
    from judge.mirror.defaults import DEFAULT_URLS

    failed = asyncio.run(_warm_all(list(DEFAULT_URLS)))
    raise typer.Exit(1 if failed else 0)


@mirror_app.command("list")
def list_(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """The stored packages (size, files) and the lock's pins."""
    service = _service(offline=True)
    packages = service.store.list()
    pins = service.lock.pins
    if json_out:
        typer.echo(
            json.dumps(
                {
                    "root": str(service.root),
                    "packages": [p.__dict__ for p in packages],
                    "pins": pins,
                },
                indent=1,
            )
        )
        return
    total = sum(p.bytes for p in packages)
    typer.echo(f"store {service.root}: {len(packages)} packages, {total / 1e6:.1f} MB")
    for p in packages:
        typer.echo(f"  {p.name}@{p.version}  {p.bytes / 1e6:.2f} MB  {p.files} files")
    typer.echo(f"lock: {len(pins)} pins")
    for key, version in pins.items():
        typer.echo(f"  {key} -> {version}")


@lock_app.command("export")
def lock_export(dest: Annotated[Path, typer.Argument(help="Lock file to write.")]) -> None:
    """Write the lock (every pinned resolution) to a file."""
    n = _service(offline=True).lock.export(dest)
    typer.echo(f"{n} pins written to {dest}")


@lock_app.command("import")
def lock_import(
    src: Annotated[Path, typer.Argument(help="Lock file to read.")],
    replace: Annotated[bool, typer.Option(help="Replace the lock instead of merging.")] = False,
) -> None:
    """Take the pins of a lock file (theirs win), so resolutions match another machine's."""
    if not src.is_file():
        typer.echo(f"fjudge: no such file: {src}", err=True)
        raise typer.Exit(2)
    try:
        n = _service(offline=True).lock.import_(src, replace=replace)
    except ValueError as exc:
        typer.echo(f"fjudge: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{n} pins imported from {src}")


@mirror_app.command("prune")
def prune(
    keep_locked: Annotated[
        bool, typer.Option(help="Keep pinned versions (default); --no-keep-locked empties it.")
    ] = True,
) -> None:
    """Remove stored package versions no pin refers to (or every version)."""
    service = _service(offline=True)
    pinned = {(k.rsplit("@", 1)[0], v) for k, v in service.lock.pins.items()}
    freed = removed = 0
    for p in service.store.list():
        if keep_locked and (p.name, p.version) in pinned:
            continue
        service.store.remove(p.name, p.version)
        freed += p.bytes
        removed += 1
    typer.echo(f"removed {removed} package versions, {freed / 1e6:.1f} MB")
