"""Unsafe archives are rejected with a clear message and nothing is written outside."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from builders.intake import IntakeRejected, intake

GOOD_HTML = b"<!doctype html><h1>Archived page</h1><p>hello</p>"


def _zip(path: Path, members: dict[str, bytes], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo("link")
            info.external_attr = (0o120777) << 16
            zf.writestr(info, symlink)
    return path


def _tar(path: Path, members: list[tarfile.TarInfo], data: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for m in members:
            payload = data.get(m.name)
            if payload is not None:
                m.size = len(payload)
            tf.addfile(m, io.BytesIO(payload) if payload is not None else None)
    return path


def _outside_files(tmp: Path) -> set[Path]:
    return {p for p in tmp.parent.rglob("*") if "fjudge-escaped" in p.name}


def test_zip_path_traversal_rejected(tmp_path):
    arc = _zip(tmp_path / "a.zip", {"index.html": GOOD_HTML, "../../fjudge-escaped.txt": b"x"})
    with pytest.raises(IntakeRejected, match="outside"):
        intake(arc, tmp_path / "work")
    assert not _outside_files(tmp_path)


def test_zip_absolute_path_rejected(tmp_path):
    arc = _zip(tmp_path / "a.zip", {"/tmp/fjudge-escaped-abs.txt": b"x"})
    with pytest.raises(IntakeRejected, match="absolute"):
        intake(arc, tmp_path / "work")
    assert not Path("/tmp/fjudge-escaped-abs.txt").exists()


def test_zip_symlink_rejected(tmp_path):
    arc = _zip(tmp_path / "a.zip", {"index.html": GOOD_HTML}, symlink="/etc/passwd")
    with pytest.raises(IntakeRejected, match="symlink"):
        intake(arc, tmp_path / "work")


def test_tar_symlink_and_hardlink_rejected(tmp_path):
    for kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
        link = tarfile.TarInfo("evil-link")
        link.type, link.linkname = kind, "/etc/passwd"
        arc = _tar(tmp_path / f"l{kind!r}.tgz", [link], {})
        with pytest.raises(IntakeRejected, match="link"):
            intake(arc, tmp_path / f"work{kind!r}")


def test_tar_traversal_rejected(tmp_path):
    m = tarfile.TarInfo("../fjudge-escaped-tar.txt")
    arc = _tar(tmp_path / "t.tar.gz", [m], {"../fjudge-escaped-tar.txt": b"x"})
    with pytest.raises(IntakeRejected):
        intake(arc, tmp_path / "work")
    assert not _outside_files(tmp_path)


def test_zip_bomb_rejected_while_extracting(tmp_path):
    # 300 MB of zeros compresses to ~300 KB: the cap is enforced on bytes written, not headers.
    arc = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(arc, "w", compression=zipfile.ZIP_DEFLATED) as zf,
        zf.open("index.html", "w", force_zip64=True) as f,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(300):
            f.write(chunk)
    with pytest.raises(IntakeRejected, match="zip bomb"):
        intake(arc, tmp_path / "work")
    assert not (tmp_path / "work" / "unpacked").exists()


def test_too_many_members_rejected(tmp_path):
    from builders.intake import unpack

    arc = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(30)})
    with pytest.raises(IntakeRejected, match="members"):
        unpack(arc, tmp_path / "work", max_members=20)


def test_good_archive_unpacks_into_site_root(tmp_path):
    arc = _zip(tmp_path / "ok.zip", {"site/index.html": GOOD_HTML, "site/app.js": b"1"})
    it = intake(arc, tmp_path / "work")
    assert it.kind == "archive" and (it.root / "index.html").read_bytes() == GOOD_HTML
    assert it.root.is_relative_to(tmp_path / "work")


@pytest.mark.browser
async def test_unsafe_archive_gets_rejected_verdict_and_batch_goes_on(judge_session, tmp_path):
    bad = _zip(tmp_path / "bad.zip", {"../fjudge-escaped.txt": b"x"})
    good = _zip(tmp_path / "good.zip", {"index.html": GOOD_HTML})
    got = {}
    async for i, jm in judge_session.judge_many([bad, good]):
        got[i] = jm.verdict
    assert got[0].status == "rejected" and got[0].score == 0.0
    assert "outside" in got[0].reason
    assert got[1].status == "ok"
    assert not _outside_files(tmp_path)
