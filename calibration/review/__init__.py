"""The review app: people rate judged submissions (or pick the better of two) into SQLite."""

from calibration.review.app import LiveAction, LivePreview, create_app
from calibration.review.export import ReviewItem, export_name, export_text
from calibration.review.store import ReviewStore

__all__ = [
    "LiveAction",
    "LivePreview",
    "ReviewItem",
    "ReviewStore",
    "create_app",
    "export_name",
    "export_text",
]
