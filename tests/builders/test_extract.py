"""Extraction of multi-file submissions from JSON and from model completions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import (
    ExtractError,
    build_submission,
    extract_completion,
    extract_files_json,
    write_files,
)

COMPLETIONS = Path(__file__).resolve().parents[1] / "fixtures" / "completions"


def completion(name: str) -> str:
    return (COMPLETIONS / name).read_text()


def test_bold_and_heading_labels():
    files = extract_completion(completion("react_headings.md"))
    assert sorted(files) == ["index.html", "package.json", "src/App.jsx", "src/main.jsx"]
    assert json.loads(files["package.json"])["scripts"]["build"] == "vite build"
    assert files["src/App.jsx"].startswith("import { useState }")


def test_info_string_comment_and_nested_fences():
    files = extract_completion(completion("mixed_markers.md"))
    assert sorted(files) == [
        "README.md",
        "css/styles.css",
        "index.html",
        "src/app.js",
        "src/types.ts",
    ]
    assert files["src/app.js"].startswith("import { format }")  # the marker line is dropped
    assert "```sh\nnpm run build\n```" in files["README.md"]  # inner fence kept verbatim
    assert files["src/types.ts"] == "export type Temp = number\n"


def test_unnamed_page_gets_its_linked_css_and_js():
    files = extract_completion(completion("unnamed_page.md"))
    assert sorted(files) == ["index.html", "script.js", "style.css"]
    assert "navy" in files["style.css"] and "getElementById" in files["script.js"]


def test_single_unnamed_html_block_is_index():
    files = extract_completion("Here you go:\n\n```html\n<!doctype html><p>hi</p>\n```\n")
    assert files == {"index.html": "<!doctype html><p>hi</p>\n"}


@pytest.mark.parametrize(
    "text",
    [
        "**../../etc/cron.d/evil.sh**\n```sh\nrm -rf /\n```\n",
        '```js title="/etc/profile.js"\nx\n```\n',
        "```js\n// file: ../outside.js\nx\n```\n",
        '```js title="node_modules/vite/index.js"\nx\n```\n',
    ],
)
def test_unsafe_paths_in_completions_are_refused(text):
    with pytest.raises(ExtractError, match="not allowed"):
        extract_completion(text)


def test_completion_without_files_is_refused():
    with pytest.raises(ExtractError, match="none names its file"):
        extract_completion("Use this:\n```js\nconsole.log(1)\n```\n```js\nconsole.log(2)\n```")
    with pytest.raises(ExtractError, match="no code blocks"):
        extract_completion("I cannot help with that.")


def test_files_json_forms(tmp_path):
    files = extract_files_json('{"files": {"index.html": "<p>a</p>", "./js/app.js": "1"}}')
    assert files == {"index.html": "<p>a</p>", "js/app.js": "1"}
    listed = extract_files_json({"files": [{"path": "a/b.css", "content": "x"}]})
    assert listed == {"a/b.css": "x"}
    out = write_files(files, tmp_path / "site")
    assert (out / "js" / "app.js").read_text() == "1"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ('{"files": {"../x.html": "a"}}', "not allowed"),
        ('{"files": {"/abs.html": "a"}}', "absolute"),
        ('{"files": {"C:/win.html": "a"}}', "absolute"),
        ('{"files": {}}', "non-empty"),
        ('{"nope": 1}', '"files"'),
        ("[1, 2", "not valid JSON"),
        ('{"files": {"a.html": 3}}', "must be strings"),
    ],
)
def test_files_json_refusals(data, why):
    with pytest.raises(ExtractError, match=why):
        extract_files_json(data)


def test_file_and_directory_clash(tmp_path):
    with pytest.raises(ExtractError, match="clashes"):
        write_files({"a": "x", "a/b.js": "y"}, tmp_path / "s")


@pytest.mark.npm
@pytest.mark.slow
async def test_completion_builds_end_to_end(build_cache, tmp_path):
    site = write_files(extract_completion(completion("react_headings.md")), tmp_path / "sub")
    out = await build_submission(site, tmp_path / "work", cache_dir=build_cache)
    assert out.verdict_status == "ok", (out.reason, out.info.log_tail)
    assert (out.info.tool, out.info.framework) == ("vite", "react")
    assert (out.site_dir / "index.html").is_file()


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({"/".join(["d"] * 1000) + "/index.html": "x"}, "1001 levels deep"),
        ({"a" * 300 + ".html": "x"}, "longer than 255 bytes"),
        ({"é" * 130 + ".html": "x"}, "longer than 255 bytes"),  # 260 bytes in UTF-8
        ({"/".join(["abcdefghij" * 10] * 12): "x"}, "longer than 1024 bytes"),
        ({"\ud800.html": "x"}, "invalid file path"),
    ],
)
def test_unusable_paths_in_files_json_are_refused_before_writing(tmp_path, files, why):
    # Were RecursionError / ENAMETOOLONG / UnicodeEncodeError: infra_error for the submitter.
    with pytest.raises(ExtractError, match=why):
        write_files(extract_files_json({"files": files}), tmp_path / "site")
    assert not (tmp_path / "site").exists() or not any((tmp_path / "site").iterdir())


def test_unencodable_content_is_refused(tmp_path):
    with pytest.raises(ExtractError, match="not valid Unicode"):
        write_files({"index.html": "<p>\ud800</p>"}, tmp_path / "site")


def test_completion_naming_a_1000_level_path_is_refused():
    text = "```js " + "d/" * 1000 + "app.js\nconsole.log(1)\n```\n"
    with pytest.raises(ExtractError, match="levels deep"):
        extract_completion(text)
