"""The review app: people rate judged submissions (or pick the better of two) into SQLite."""

from calibration.review.app import ReviewItem, create_app, discover_items
from calibration.review.store import ReviewStore

__all__ = ["ReviewItem", "ReviewStore", "create_app", "discover_items"]
