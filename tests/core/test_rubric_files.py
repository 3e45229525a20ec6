"""Rubric files: `extends` to change one weight, and keys that would do nothing are errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from judge.rubric_check import load_rubric as checked
from rubrics import RubricError, load_rubric


def write(tmp_path: Path, text: str, name: str = "r.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_extends_changes_one_weight_and_keeps_the_rest(tmp_path: Path) -> None:
    base = load_rubric("frontend")
    r = load_rubric(
        write(
            tmp_path,
            'extends = "frontend"\nid = "mine"\nversion = "1"\n[dimensions.visual]\nweight = 4.0\n',
        )
    )
    assert (r.id, r.version) == ("mine", "1")
    assert r.dimensions["visual"].weight == 4.0
    assert r.dimensions["visual"].description == base.dimensions["visual"].description
    assert {d: v.weight for d, v in r.dimensions.items() if d != "visual"} == {
        d: v.weight for d, v in base.dimensions.items() if d != "visual"
    }
    assert r.visual_features == base.visual_features and r.check_weights == base.check_weights
    # a child of a child, by relative path; lists replace
    child = write(
        tmp_path,
        'extends = "r.toml"\nid = "mine"\nversion = "2"\ndisabled_checks = ["interaction.*"]\n',
        "child.toml",
    )
    c = checked(child)
    assert c.dimensions["visual"].weight == 4.0 and c.disabled_checks == ["interaction.*"]
    assert not c.spec_enabled("interaction") and c.spec_enabled("layout.overflow")


def test_extends_needs_its_own_id_and_version_and_no_loops(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="needs its own `version`"):
        load_rubric(write(tmp_path, 'extends = "frontend"\nid = "mine"\n'))
    with pytest.raises(RubricError, match="are the base's"):
        base = load_rubric("frontend").version
        load_rubric(write(tmp_path, f'extends = "frontend"\nid = "frontend"\nversion = "{base}"\n'))
    write(tmp_path, 'extends = "b.toml"\nid = "a"\nversion = "1"\n', "a.toml")
    write(tmp_path, 'extends = "a.toml"\nid = "b"\nversion = "1"\n', "b.toml")
    with pytest.raises(RubricError, match="loops"):
        load_rubric(tmp_path / "a.toml")
    with pytest.raises(RubricError, match="unknown rubric 'nope'"):
        load_rubric(write(tmp_path, 'extends = "nope"\nid = "x"\nversion = "1"\n'))


HEAD = """id = "custom"
version = "1"
"""
MINIMAL = (
    HEAD
    + """[dimensions.render]
weight = 1
[dimensions.visual]
weight = 2
"""
)


def test_custom_rubric_without_visual_features_inherits_the_bundled_weights(
    tmp_path: Path,
) -> None:
    r = load_rubric(write(tmp_path, MINIMAL))
    assert r.visual_features == load_rubric("frontend").visual_features
    with pytest.raises(RubricError, match="weights no feature"):
        load_rubric(write(tmp_path, MINIMAL + "[visual_features]\n", "empty.toml"))
    no_visual = MINIMAL.replace("weight = 2", "weight = 0")
    assert load_rubric(write(tmp_path, no_visual, "nov.toml")).visual_features == {}


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        ('disabled_checks = ["interactoin.*"]\n', "'interactoin.*' matches no check"),
        ('[check_weights]\n"layot.overflow" = 2.0', "'layot.overflow' matches no check"),
        ("[visual_features]\nedge_densty = -0.4", "'edge_densty' is not a visual feature"),
    ],
)
def test_keys_that_would_do_nothing_are_errors(tmp_path: Path, extra: str, error: str) -> None:
    text = HEAD + extra + MINIMAL[len(HEAD) :] if extra.startswith("disabled") else MINIMAL + extra
    path = write(tmp_path, text + "\n")
    with pytest.raises(RubricError, match=error):
        checked(path)


def test_known_patterns_pass(tmp_path: Path) -> None:
    text = (
        HEAD
        + 'disabled_checks = ["interaction.*", "render.fatal", "a11y.*", "task"]\n'
        + MINIMAL[len(HEAD) :]
        + '[check_weights]\n"interaction.broken" = 2.0\n"layout.*" = 1.5\n'
    )
    r = checked(write(tmp_path, text))
    assert not r.check_enabled("interaction.broken") and r.check_weight("layout.overlap") == 1.5


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="visual_feature"):
        load_rubric(write(tmp_path, MINIMAL + "[visual_feature]\nedge_density = 1\n"))


def test_cli_refuses_a_no_op_rubric_before_judging(tmp_path: Path) -> None:
    bad = write(tmp_path, HEAD + 'disabled_checks = ["interactoin.*"]\n' + MINIMAL[len(HEAD) :])
    page = write(tmp_path, "<h1>x</h1>", "p.html")
    r = subprocess.run(
        [sys.executable, "-m", "judge", "score", str(page), "--rubric", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and "matches no check" in r.stderr
