"""The dataset's home page: what it is, counts, example entities and example queries."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template
from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod.describe import Value
from lod.i18n import t
from lod.store import load_example_queries
from lod.web import minter_of, store_of
from lod.web.schemaorg import dataset_jsonld

blueprint = Blueprint("home", __name__)
EXAMPLES_PER_LIBRARY = 2
EXAMPLES = 12


@blueprint.route("/")
def index() -> str:
    store = store_of(current_app)
    counts = {"triples": store.triple_count(), "graphs": store.graph_count(), **store.counts()}
    settings = current_app.config["LOD_SETTINGS"]
    lang = g.get("lang", settings.lang)
    name, about = t("site.name", lang), t("home.dataset_description", lang)
    return render_template(
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


def _examples() -> list[Value]:
    minter = minter_of(current_app)
    rows = store_of(current_app).canned("examples")
    assert isinstance(rows, QuerySolutions)
    per_library: dict[str, int] = {}
    examples: list[Value] = []
    for row in rows:
        instance, label, library = row["instance"], row["label"], row["library"]
        if not (isinstance(instance, NamedNode) and isinstance(label, Literal)):
            continue
        key = library.value if library is not None else ""
        if per_library.get(key, 0) >= EXAMPLES_PER_LIBRARY:
            continue
        per_library[key] = per_library.get(key, 0) + 1
        examples.append(Value(label.value, iri=instance.value, href=minter.path_of(instance.value)))
        if len(examples) >= EXAMPLES:
            break
    return examples
