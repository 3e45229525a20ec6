"""Visual-quality features from screenshots and element boxes, and their default scoring model."""

from judge.visual.features import FEATURE_DOCS, FEATURE_VERSION, image_features

__all__ = ["FEATURE_DOCS", "FEATURE_VERSION", "image_features"]
