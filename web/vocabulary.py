"""Our published vocabulary documents: the JSON-LD `@context` (`/context.jsonld`) that our JSON-LD
uses, for programs that compact or expand our data themselves; CORS and ETags from lod.web.http."""

from __future__ import annotations

import json

from flask import Blueprint, Response
from werkzeug.wrappers import Response as WerkzeugResponse

from lod.formats import JSONLD, jsonld_context
from lod.web.http import conditional

blueprint = Blueprint("vocabulary", __name__)


@blueprint.route("/context.jsonld")
def context() -> WerkzeugResponse:
    body = json.dumps(jsonld_context(), ensure_ascii=False, indent=2)
    return conditional(Response(body, mimetype=JSONLD.media_type))
