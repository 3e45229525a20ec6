"""Why an outside request has no local answer: the `reason` readers and checks see.

Pure and cheap: used by the preview (proxy side) and the browser's routing layer alike, so a
request is named the same whichever layer stopped it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from judge.mirror.tables import KNOWN_HOSTS

_DATA_CHANNELS = {"fetch/xhr", "eventsource", "websocket", "beacon", "form", "connect"}
_MEDIA_CHANNELS = {"image", "media", "font"}
# CDN hosts whose files are not npm packages (or need an account): known, never answerable.
_UNSUPPORTED = {"fonts.gstatic.com", "kit.fontawesome.com", "ka-f.fontawesome.com"}


def reason_for(url: str, channel: str) -> str:
    """cross_site · unsupported · external_api · remote_media · external_resource."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    if host.startswith("fj-") and host.endswith(".localhost"):
        return "cross_site"  # another submission's preview origin
    if host in KNOWN_HOSTS or host in _UNSUPPORTED:
        return "unsupported"
    if channel in _DATA_CHANNELS:
        return "external_api"
    if channel in _MEDIA_CHANNELS:
        return "remote_media"
    return "external_resource"
