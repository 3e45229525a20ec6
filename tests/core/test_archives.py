"""Unsafe archives are rejected with a clear message and nothing is written outside."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from builders.intake import IntakeRejected, intake
from builders.paths import remove_tree

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


# -- paths too deep or too long, special files: the submission's fault, never infra_error ----


def _deep_dir(root: Path, depth: int, leaf: bytes = GOOD_HTML) -> Path:
    """root/d/d/…/d/index.html, made by directory fd (os.makedirs recurses per level)."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            nfd = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = nfd
        out = os.open("index.html", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(out, leaf)
        os.close(out)
    finally:
        os.close(fd)
    return root


@pytest.fixture
def deep_tree(tmp_path):
    """A 1000-level directory; removed without recursion (pytest's own cleanup recurses)."""
    root = _deep_dir(tmp_path / "deep", 1000)
    yield root
    assert remove_tree(root)


def test_zip_member_1000_levels_deep_rejected(tmp_path):
    arc = _zip(tmp_path / "deep.zip", {"index.html": GOOD_HTML, "d/" * 1000 + "x.js": b"1"})
    with pytest.raises(IntakeRejected, match="1001 levels deep"):
        intake(arc, tmp_path / "work")
    assert not (tmp_path / "work" / "unpacked").exists()


def test_zip_member_name_over_255_bytes_rejected_with_reason(tmp_path):
    arc = _zip(tmp_path / "long.zip", {"index.html": GOOD_HTML, "a" * 300 + ".js": b"1"})
    with pytest.raises(IntakeRejected, match="longer than 255 bytes") as err:
        intake(arc, tmp_path / "work")
    assert str(tmp_path) not in str(err.value)  # no server path in the reason


def test_zip_members_clashing_file_and_folder_rejected_without_server_path(tmp_path):
    arc = _zip(tmp_path / "clash.zip", {"a": b"x", "a/index.html": GOOD_HTML})
    with pytest.raises(IntakeRejected, match="clashes") as err:
        intake(arc, tmp_path / "work")
    assert str(tmp_path) not in str(err.value)


def test_directory_1000_levels_deep_rejected(deep_tree, tmp_path):
    (deep_tree / "index.html").write_bytes(GOOD_HTML)
    with pytest.raises(IntakeRejected, match="levels deep"):
        intake(deep_tree, tmp_path / "work")


def test_single_folder_chain_1000_deep_rejected(deep_tree, tmp_path):
    # Only folders down to the page: site_root used to recurse through every level.
    with pytest.raises(IntakeRejected, match="levels deep"):
        intake(deep_tree, tmp_path / "work")


def test_fifo_in_directory_rejected(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_bytes(GOOD_HTML)
    os.mkfifo(site / "pipe.js")
    with pytest.raises(IntakeRejected, match="FIFO"):
        intake(site, tmp_path / "work")


def test_remove_tree_deletes_trees_past_path_max(tmp_path):
    root = _deep_dir(tmp_path / "deeper", 2100)  # 4200 bytes of path: past PATH_MAX
    (root / "d").chmod(0o500)  # a build may lock its folders
    assert remove_tree(root) and not root.exists()


@pytest.mark.browser
async def test_deep_directory_and_fifo_get_rejected_verdicts_not_infra_error(
    judge_session, deep_tree, tmp_path
):
    fifo_site = tmp_path / "fifo"
    fifo_site.mkdir()
    (fifo_site / "index.html").write_bytes(GOOD_HTML)
    os.mkfifo(fifo_site / "styles.css")
    got = {}
    async for i, jm in judge_session.judge_many([deep_tree, fifo_site]):
        got[i] = jm.verdict
    assert (got[0].status, got[1].status) == ("rejected", "rejected"), (
        got[0].reason,
        got[1].reason,
    )
    assert "levels deep" in got[0].reason and "FIFO" in got[1].reason
