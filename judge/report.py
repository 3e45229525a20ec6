"""Self-contained HTML reports: annotated screenshots, findings with crops, interaction log,
axe violations, probes, per-dimension scores. Images are inlined (base64); no server needed.

Everything taken from the judged page (text, selectors, URLs) is HTML-escaped: it is untrusted.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable
from html import escape
from pathlib import Path

from PIL import Image, ImageDraw

from judge.pipeline import Judgment
from judge.schema import CheckResult, Verdict

SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2, "info": 3}
COLOURS = {
    "critical": (220, 30, 30),
    "major": (235, 110, 0),
    "minor": (200, 170, 0),
    "info": (60, 120, 220),
}
CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2433;background:#fafbfd}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #dde;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#eef1f7}.score{font-weight:600}
.sev-critical{color:#b00}.sev-major{color:#c25a00}.sev-minor{color:#8a7400}.sev-info{color:#357}
.shots{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.shots figure{margin:0}.shots img{max-width:720px;border:1px solid #ccd}
img.crop{max-width:320px;max-height:220px;border:1px solid #ccd;margin:2px}
code{background:#eef1f7;padding:0 3px;border-radius:3px;word-break:break-all}
.bar{display:inline-block;height:10px;background:#2f5bd3;vertical-align:middle}
.fix{background:#fff;border:1px solid #dde;border-left:4px solid #c25a00;padding:8px 14px;
max-width:1100px}.fix li{margin:4px 0}.where{color:#556;font-size:12px}
td.msg{max-width:760px}
"""


def short(text: str, limit: int = 160) -> str:
    """`text` in at most `limit` characters, cut at a word boundary with … (never mid-word)."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def findings(verdict: Verdict) -> list[CheckResult]:
    """Results that found something (score < 1 or unscored), worst first."""
    bad = [c for c in verdict.checks if c.score is None or c.score < 1]
    return sorted(
        bad,
        key=lambda c: (
            SEVERITY_RANK.get(c.severity, 3),
            c.score if c.score is not None else 2,
            c.id,
        ),
    )


def annotate(png: bytes, verdict: Verdict, viewport: str) -> tuple[bytes, int]:
    """The viewport screenshot with a numbered box per finding evidence; (png, boxes drawn)."""
    img = Image.open(io.BytesIO(png)).convert("RGB")
    draw = ImageDraw.Draw(img)
    drawn = 0
    for n, c in enumerate(findings(verdict), start=1):
        colour = COLOURS.get(c.severity, COLOURS["info"])
        for ev in c.evidence:
            if ev.viewport != viewport or ev.bbox is None:
                continue
            b = ev.bbox
            if b.y > img.height or b.x > img.width or b.x + b.width < 0 or b.y + b.height < 0:
                continue
            x0, y0 = max(0, b.x), max(0, b.y)
            x1 = min(img.width - 1, b.x + max(b.width, 2))
            y1 = min(img.height - 1, b.y + max(b.height, 2))
            draw.rectangle([x0, y0, x1, y1], outline=colour, width=3)
            draw.rectangle([x0, y0, x0 + 22, y0 + 14], fill=colour)
            draw.text((x0 + 3, y0 + 1), str(n), fill=(255, 255, 255))
            drawn += 1
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue(), drawn


def _dims(verdict: Verdict) -> str:
    vps = list(verdict.viewports)
    head = (
        "<tr><th>dimension</th><th>score</th>"
        + "".join(f"<th>{escape(v)}</th>" for v in vps)
        + "</tr>"
    )
    rows = []
    for d, s in verdict.dimensions.items():
        cells = "".join(f"<td>{_fmt(verdict.viewports[v].get(d))}</td>" for v in vps)
        rows.append(
            f"<tr><td>{escape(d)}</td><td class=score><span class=bar "
            f"style='width:{int(60 * s)}px'></span> {s:.3f}</td>{cells}</tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def _findings(verdict: Verdict, images: dict[str, bytes]) -> str:
    rows = []
    for n, c in enumerate(findings(verdict), start=1):
        evs = []
        for ev in c.evidence[:8]:
            bits = []
            if ev.viewport:
                bits.append(escape(ev.viewport))
            if ev.selector:
                bits.append(f"<code>{escape(ev.selector)}</code>")
            if ev.detail:
                bits.append(escape(ev.detail))
            crop = images.get(ev.screenshot or "")
            img = f"<br><img class=crop src='{_data_uri(crop)}'>" if crop else ""
            evs.append(" · ".join(bits) + img)
        rows.append(
            f"<tr><td>{n}</td><td class='sev-{c.severity}'>{c.severity}</td>"
            f"<td><code>{escape(c.id)}</code><div class=where>{escape(c.dimension)}"
            f"{' · ' + escape(c.viewport) if c.viewport else ''}</div></td>"
            f"<td>{_fmt(c.score)}</td><td class=msg>{escape(c.message)}"
            f"<ul>{''.join(f'<li>{e}</li>' for e in evs)}</ul></td></tr>"
        )
    if not rows:
        return "<p>No findings.</p>"
    return (
        "<table><tr><th>#</th><th>severity</th><th>check</th><th>score</th>"
        f"<th>finding and evidence</th></tr>{''.join(rows)}</table>"
    )


def _interactions(verdict: Verdict, images: dict[str, bytes]) -> str:
    if not verdict.interactions:
        return "<p>No interactions.</p>"
    rows = []
    for i in verdict.interactions:
        crops = "".join(
            f"<img class=crop src='{_data_uri(images[k])}' title='{k}'>"
            for k in (i.before, i.after)
            if k and k in images
        )
        effect = ", ".join(i.effect) or "<b>nothing</b>"
        errs = "<br>".join(escape(e[:200]) for e in i.errors)
        rows.append(
            f"<tr><td>{escape(i.action)}</td><td><code>{escape(i.selector)}</code></td>"
            f"<td>{escape(effect) if i.effect else effect}</td>"
            f"<td class=sev-critical>{errs}</td><td>{crops}</td></tr>"
        )
    return (
        "<table><tr><th>action</th><th>control</th><th>effect</th><th>errors</th>"
        f"<th>before / after</th></tr>{''.join(rows)}</table>"
    )


def _axe(verdict: Verdict) -> str:
    axe = next((c for c in verdict.checks if c.id == "a11y.axe"), None)
    rules = axe.data.get("rules", []) if axe else []
    if not rules:
        return "<p>No axe-core violations." + ("" if axe else " (axe did not run)") + "</p>"
    nodes: dict[str, list[str]] = {}
    for ev in axe.evidence if axe else []:
        rid = (ev.detail or "").split(" ", 1)[0]
        nodes.setdefault(rid, []).append(ev.selector or "")
    rows = "".join(
        f"<tr><td><code>{escape(r)}</code></td><td>{escape(str(imp))}</td><td>{cnt}</td>"
        f"<td>{', '.join(f'<code>{escape(s)}</code>' for s in nodes.get(r, []))}</td></tr>"
        for r, imp, cnt in rules
    )
    return f"<table><tr><th>rule</th><th>impact</th><th>nodes</th><th>e.g.</th></tr>{rows}</table>"


def _probes(verdict: Verdict) -> str:
    if not verdict.probes:
        return "<p>No task file.</p>"
    rows = "".join(
        f"<tr><td>{escape(p.id)}</td><td>{escape(p.text)}</td>"
        f"<td class='sev-{'info' if p.status == 'passed' else 'major'}'>{p.status}</td>"
        f"<td>{'' if p.failed_step is None else p.failed_step}</td><td>{escape(p.message)}</td></tr>"
        for p in verdict.probes
    )
    return (
        "<table><tr><th>item</th><th>text</th><th>status</th><th>failed step</th>"
        f"<th>message</th></tr>{rows}</table>"
    )


def _blocked(verdict: Verdict) -> str:
    if not verdict.blocked_requests:
        return "<p>None.</p>"
    return (
        "<table><tr><th>channel</th><th>action</th><th>url</th></tr>"
        + "".join(
            f"<tr><td>{escape(b.channel)}</td><td>{b.action}</td><td><code>{escape(b.url)}</code>"
            "</td></tr>"
            for b in verdict.blocked_requests[:200]
        )
        + "</table>"
    )


def _fix_first(verdict: Verdict) -> str:
    """The three findings that cost the most — one per check, so one problem seen at three
    viewports does not fill the list — as a short list to act on."""
    top: list[CheckResult] = []
    for c in findings(verdict):
        if c.score is not None and all(c.id != t.id for t in top):
            top.append(c)
        if len(top) == 3:
            break
    if not top:
        return ""
    items = "".join(
        f"<li><b>{escape(c.dimension)}</b>: {escape(c.message)}"
        f" <span class=where>({escape(c.id)}, score {c.score:.2f})</span></li>"
        for c in top
    )
    return f"<h2>Fix first</h2><div class=fix><ol>{items}</ol></div>"


def render_html(judgment: Judgment) -> str:
    """The report page for one judgment."""
    v = judgment.verdict
    shots = []
    for name, cap in judgment.captures.items():
        png, drawn = annotate(cap.screenshot, v, name)
        shots.append(
            f"<figure><figcaption><b>{escape(name)}</b> {cap.width}×{cap.height} · "
            f"{drawn} box(es)</figcaption><img src='{_data_uri(png)}'></figure>"
        )
    score = "—" if v.score is None else f"{v.score:.3f}"
    timings = ", ".join(f"{k} {t:.2f}s" for k, t in v.timings.items())
    return f"""<!doctype html><html lang=en><head><meta charset=utf-8>
<title>fjudge report: {escape(v.input.name)}</title><style>{CSS}</style></head><body>
<h1>{escape(v.input.name or v.input.kind)} — {v.status}, score {score}</h1>
<p>{escape(v.reason or "")}</p>
<p>rubric <code>{escape(v.rubric.id)} {escape(v.rubric.version)}</code> · judge
{escape(v.judge.name)} {escape(v.judge.version)} ({v.judge.mode}) · input {v.input.kind}
<code>{v.input.sha256[:16]}</code></p>
<details><summary>timings</summary><p>{escape(timings)}</p></details>
{_fix_first(v)}
<h2>Scores</h2>{_dims(v)}
<h2>Screenshots</h2><div class=shots>{"".join(shots) or "<p>No screenshots.</p>"}</div>
<h2>Findings (worst first)</h2>{_findings(v, judgment.images)}
<h2>Interaction log</h2>{_interactions(v, judgment.images)}
<h2>Accessibility (axe-core)</h2>{_axe(v)}
<h2>Task probes</h2>{_probes(v)}
<h2>Blocked outside requests</h2>{_blocked(v)}
</body></html>"""


def write_report(judgment: Judgment, out_dir: Path) -> Path:
    """Write `report.html` (self-contained) into `out_dir`; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "report.html"
    path.write_text(render_html(judgment), encoding="utf-8")
    return path


def write_index(rows: Iterable[tuple], out_dir: Path) -> Path:
    """A batch index page. Rows: (input path, verdict) in input order, as the CLI writes
    them (linked to `<out>/<NNN-name>/report.html`), or (name, verdict, link or None)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    body = []
    for i, row in enumerate(rows):
        if len(row) == 2:
            from judge.artifacts import artifact_dir

            path, v = row
            name = str(path)
            link: str | None = f"{artifact_dir(Path('.'), i, Path(path)).name}/report.html"
            if not (out_dir / link).is_file():
                link = None
        else:
            name, v, link = row
        score = "—" if v.score is None else f"{v.score:.3f}"
        worst = findings(v)[:1]
        label = f"<a href='{escape(link)}'>{escape(name)}</a>" if link else escape(name)
        dims = ", ".join(f"{k} {s:.2f}" for k, s in v.dimensions.items())
        body.append(
            f"<tr><td>{label}</td><td>{v.status}</td><td class=score>{score}</td>"
            f"<td>{escape(dims)}</td>"
            f"<td>{escape(short(worst[0].message)) if worst else ''}</td></tr>"
        )
    html = (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>fjudge batch</title>"
        f"<style>{CSS}</style></head><body><h1>fjudge batch ({len(body)} inputs)</h1>"
        "<table><tr><th>input</th><th>status</th><th>score</th><th>dimensions</th>"
        f"<th>worst finding</th></tr>{''.join(body)}</table></body></html>"
    )
    path = out_dir / "index.html"
    path.write_text(html, encoding="utf-8")
    return path
