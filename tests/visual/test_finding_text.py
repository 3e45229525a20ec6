"""The visual finding in plain words: measured value, typical range of real sites, a fix."""

from __future__ import annotations

from judge.checks.visual import _visual_message, finding_text
from judge.visual.model import NORMS


def test_busy_page_reads_as_the_issue_example() -> None:
    text = finding_text("edge_density", 0.41, NORMS["edge_density"], high=True)
    assert text == "very busy: 41% of the area is edges/text; typical pages 18%–29%"


def test_message_names_viewport_fix_and_second_feature() -> None:
    feats = {"edge_density": 0.41, "palette_size": 1.0}
    msg = _visual_message("desktop", [("edge_density", -0.5), ("palette_size", -0.2)], feats, NORMS)
    assert msg.startswith("desktop, above the fold: very busy: 41%")
    assert "(fix: fewer borders and dividers" in msg
    assert "; also very few colours: 2 colour(s) cover 90% of the page" in msg
    assert _visual_message("image", [("edge_density", 0.3)], feats, NORMS) == (
        "the image: no visual feature lowers the score"
    )


def test_every_normed_feature_has_words() -> None:
    # features without a hand-written phrase fall back to their documented meaning
    for name, norm in NORMS.items():
        assert finding_text(name, norm[0] + norm[1], norm, high=True)
        assert finding_text(name, norm[0] - norm[1], norm, high=False)


def test_too_few_colours_gets_a_fix_for_too_few() -> None:
    """The default map lowers the score for too few colours (palette_size weighs +0.122): the fix
    once said "a small palette", the opposite of what the finding asks for."""
    msg = _visual_message("desktop", [("palette_size", -0.3)], {"palette_size": 0.0}, NORMS)
    assert "very few colours: 1 colour(s)" in msg
    assert "(fix: lighter and darker steps of your colours" in msg and "small palette" not in msg
