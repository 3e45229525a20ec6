"""`fjudge review DIR_OR_LABELS`: a local web app where people rate submissions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("review")(review)


def review(
    source: Annotated[Path, typer.Argument(help="Folder of items, or a label file listing them.")],
    db: Annotated[
        Path | None, typer.Option(help="SQLite file (default: review.sqlite there).")
    ] = None,
    rubric: Annotated[str, typer.Option(help="Rubric whose dimensions are rated.")] = "screenshot",
    scale: Annotated[str, typer.Option(help="Rating scale MIN,MAX (integers).")] = "1,5",
    host: Annotated[str, typer.Option(help="Bind address (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8765,
    export: Annotated[
        Path | None, typer.Option(help="Write the stored labels (JSONL) here and exit.")
    ] = None,
) -> None:
    """Serve the review app; labels go to SQLite and export in the label-file format."""
    from calibration import LabelError, read_labels, write_labels
    from calibration.review import ReviewStore, create_app, discover_items
    from rubrics import load_rubric

    if not source.exists():
        raise typer.BadParameter(f"no such file or directory: {source}")
    root = source if source.is_dir() else source.parent
    store = ReviewStore(db or root / "review.sqlite")
    if export is not None:
        write_labels(export, *store.labels())
        print(f"wrote {export}")
        return
    ids = None
    if source.is_file():
        try:
            ids = read_labels(source).items()
        except LabelError as exc:
            raise typer.BadParameter(str(exc)) from None
    items = discover_items(root, ids)
    if not items:
        raise typer.BadParameter(f"nothing to review in {source}")
    try:
        lo, hi = (int(x) for x in scale.split(","))
    except ValueError:
        raise typer.BadParameter("--scale must be two integers MIN,MAX") from None
    dims = list(load_rubric(rubric).dimensions)
    app = create_app(items, store, dimensions=dims, scale=(lo, hi))
    import uvicorn

    print(f"reviewing {len(items)} items at http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
