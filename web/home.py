"""The dataset's home page: what it is, counts, example entities and example queries."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, url_for
from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod.describe import Value
from lod.figures import dataset_figures, library_figures
from lod.i18n import t
from lod.store import load_example_queries
from lod.web import minter_of, store_of
from lod.web.schemaorg import dataset_jsonld

blueprint = Blueprint("home", __name__)
EXAMPLES_PER_LIBRARY = 2
EXAMPLES = 12


@blueprint.route("/")
def index() -> Response:
    store = store_of(current_app)
    counts = dataset_figures(store, minter_of(current_app))
    settings = current_app.config["LOD_SETTINGS"]
    lang = g.get("lang", settings.lang)
    name, about = t("site.name", lang), t("home.dataset_description", lang)
    page = render_template(
        "home.html",
        counts=counts,
        examples=_examples(),
        queries=load_example_queries(),
        jsonld=dataset_jsonld(name, about, settings.base_iri, settings.licence),
        dublin_core=[
            ("DC.title", name),
            ("DC.description", about),
            ("DC.type", "Dataset"),
            ("DC.identifier", settings.base_iri),
            ("DC.rights", settings.licence),
            ("DC.language", "vi"),
        ],
    )
    response = Response(page, mimetype="text/html")
    # the dataset's machine-readable descriptions (VoID §7 discovery; DCAT for portals)
    response.headers.add("Link", f'<{url_for("dataset.void")}>; rel="describedby"')
    response.headers.add(
        "Link", f'<{url_for("dataset.catalog", ext="ttl")}>; rel="alternate"; type="text/turtle"'
    )
    return response


def _examples() -> list[Value]:
    """A few instances of each library that sent records, in the order of the libraries' IRIs."""
    store, minter = store_of(current_app), minter_of(current_app)
    figures = library_figures(store, minter)
    libraries = sorted({library for (library, kind), n in figures.items() if kind == "records" and n})
    examples: list[Value] = []
    for library in libraries:
        rows = store.canned("examples", library=NamedNode(library))
        assert isinstance(rows, QuerySolutions)
        shown: set[str] = set()
        for row in rows:
            instance, label = row["instance"], row["label"]
            if not (isinstance(instance, NamedNode) and isinstance(label, Literal)):
                continue
            if instance.value in shown or len(shown) >= EXAMPLES_PER_LIBRARY:
                continue
            shown.add(instance.value)
            examples.append(Value(label.value, iri=instance.value, href=minter.path_of(instance.value)))
            if len(examples) >= EXAMPLES:
                return examples
    return examples
