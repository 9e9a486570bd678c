"""Content negotiation, in exactly one place.

Precedence: an explicit format (path suffix or `?format=`) beats `Accept`; a missing or empty
`Accept` gets the first offered format; `*/*` does too (so browsers and plain curl get the page).
When nothing acceptable is offered, NotAcceptable lists the offered media types.
"""

from __future__ import annotations

from collections.abc import Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from lod.errors import NotAcceptable
from lod.formats import Format, by_name


def negotiate(accept: str | None, offered: Sequence[Format], explicit: str | None = None) -> Format:
    if explicit:
        chosen = by_name(explicit, offered)
        if chosen is None:
            raise NotAcceptable(explicit, offered_media_types(offered))
        return chosen
    if not accept or not accept.strip():
        return offered[0]
    parsed = parse_accept_header(accept, MIMEAccept)
    media_types = [m for f in offered for m in f.media_types]
    best = parsed.best_match(media_types)
    if best is None:
        raise NotAcceptable(accept, offered_media_types(offered))
    return next(f for f in offered if best in f.media_types)


def offered_media_types(offered: Sequence[Format]) -> list[str]:
    return [f.media_type for f in offered]
