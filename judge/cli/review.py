"""`fjudge review DIR_OR_LABELS`: a local web app where people rate submissions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("review")(review)


def build_app(
    source: Path,
    *,
    db: Path | None = None,
    rubric: str | None = None,
    scale: tuple[int, int] = (1, 5),
    live: bool = True,
    options=None,  # type: ignore[no-untyped-def]
):  # type: ignore[no-untyped-def]
    """The review app for a folder (or the items of a label file), and its store."""
    from calibration import LabelError, read_labels
    from calibration.review import ReviewStore, create_app
    from judge.reviewing import JudgeLivePreview, discover
    from judge.schema import JudgeOptions
    from rubrics import load_rubric

    ids = None
    if source.is_file():
        try:
            ids = read_labels(source).items()
        except LabelError as exc:
            raise typer.BadParameter(str(exc)) from None
    root, items = discover(source, ids)
    if not items:
        raise typer.BadParameter(f"nothing to review in {source}")
    if rubric is None:
        rubric = "screenshot" if all(it.kind == "image" for it in items) else "frontend"
    store = ReviewStore(db or root / "review.sqlite")
    _remember_scored(items)
    dims = list(load_rubric(rubric).dimensions)
    preview = None
    if live and any(it.source is not None and it.kind != "image" for it in items):
        opts = options or JudgeOptions(rubric="frontend", judge="deterministic", workers=2)
        preview = JudgeLivePreview(opts)
    app = create_app(items, store, dimensions=dims, scale=scale, root=root, live=preview)
    return app, store, items, root


def _remember_scored(items) -> None:  # type: ignore[no-untyped-def]
    """Verdicts of `score --out` items whose submission was found seed the calibration cache,
    so `calibrate fit` on the export does not judge them again."""
    from judge.labelled import remember
    from judge.schema import JudgeOptions, Verdict

    verdicts = [
        Verdict.model_validate_json(it.verdict_file.read_text(encoding="utf-8"))
        for it in items
        if it.verdict_file is not None and it.source is not None
    ]
    remember(verdicts, JudgeOptions().cache_dir)


def review(
    source: Annotated[Path, typer.Argument(help="Folder of items, or a label file listing them.")],
    db: Annotated[
        Path | None, typer.Option(help="SQLite file (default: review.sqlite there).")
    ] = None,
    rubric: Annotated[
        str | None, typer.Option(help="Rubric whose dimensions are rated (default: by kind).")
    ] = None,
    scale: Annotated[str, typer.Option(help="Rating scale MIN,MAX (integers).")] = "1,5",
    host: Annotated[str, typer.Option(help="Bind address (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8765,
    live: Annotated[bool, typer.Option(help="Offer live previews of pages.")] = True,
    export: Annotated[
        Path | None,
        typer.Option(help="Write the stored labels here (.csv or .jsonl) and exit."),
    ] = None,
) -> None:
    """Serve the review app; labels go to SQLite and export in the label-file format."""
    from calibration.review import export_text

    if not source.exists():
        raise typer.BadParameter(f"no such file or directory: {source}")
    try:
        lo, hi = (int(x) for x in scale.split(","))
    except ValueError:
        raise typer.BadParameter("--scale must be two integers MIN,MAX") from None
    app, store, items, _root = build_app(
        source, db=db, rubric=rubric, scale=(lo, hi), live=live and export is None
    )
    if export is not None:
        fmt = "csv" if export.suffix.lower() == ".csv" else "jsonl"
        text = export_text(items, *store.labels(), fmt, export.resolve().parent)
        export.write_text(text, encoding="utf-8")
        print(f"wrote {export}")
        return
    import uvicorn

    print(f"reviewing {len(items)} items at http://{host}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
