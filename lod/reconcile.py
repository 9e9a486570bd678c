"""The reconciliation service: OpenRefine (or any client of the W3C Entity Reconciliation API,
version 0.2, and the JSON shapes of the 1.0 draft) matches its rows to our libraries, agents, works
and instances, previews them and fetches their properties.

Framework-free: `lod.web.reconcile` only reads the request and writes the answer. Requests are
read and checked by lod.reconcile_request (types, properties, limits). Candidates come from the
search index (titles, agents, libraries; lod.search) and the registry (identifiers:
lod.libraries.lookup); they are scored by lod.matching, and described from the store by
lod.reconcile_data (data extension, preview). Ids are entity IRIs without
`Minter.entity_space()` ('instance/v2q5…', 'library/VN-TEST1'): the identifier space plus the id
is the entity's IRI, so OpenRefine's view links are our pages.

Types: Instance (an entry of the union catalogue: a union Instance, or a record's own Instance
that no cluster holds), Work (the Work of such an entry), Agent, Library. A query without a type
is matched against Instances, Agents and Libraries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import Literal, NamedNode, QuerySolutions

from lod import libraries, matching
from lod.i18n import t
from lod.reconcile_request import (
    MAX_QUERIES,
    PROPERTIES,
    TYPE_OF_KIND,
    TYPES,
    ReconQuery,
)
from lod.search.backend import Hit, SearchIndex
from lod.search.query import Query, Term, exact_words, folded_words
from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import BF, LODV, RDF, RDFS, SCHEMA

PREVIEW_SIZE = (420, 180)
"""Width and height of the iframe OpenRefine shows a preview in."""
_SEARCHED = 20
"""Entries (or agents, libraries) read from the index for one query before scoring."""
WEIGHTS = {"title": 60.0, "author": 25.0, "year": 15.0, "publisher": 5.0}
"""How much each field counts in a bibliographic record's score, of those given."""


@dataclass
class Candidate:
    iri: str
    name: str
    type: str
    score: float
    description: str = ""
    features: dict[str, float | bool] = field(default_factory=dict)
    match: bool = False


class Reconciler:
    """The service over one store, search index and minter, answering in `lang`."""

    def __init__(self, store: GraphStore, index: SearchIndex, minter: Minter, lang: str = "vi") -> None:
        self.store, self.index, self.minter, self.lang = store, index, minter, lang
        self._library_names: dict[str, list[str]] | None = None

    # ids ----------------------------------------------------------------------------------------
    def entity_id(self, iri: str) -> str:
        return self.minter.entity_key(iri) or iri

    def entity_iri(self, entity_id: str) -> NamedNode | None:
        """The IRI of one of our entities of a reconciled type, by its id or its IRI; else None."""
        entity_id = entity_id.strip()
        if entity_id.startswith(self.minter.entity_space()):
            entity_id = entity_id[len(self.minter.entity_space()) :]
        node = self.minter.from_entity_key(entity_id) if entity_id else None
        ref = self.minter.parse(node.value) if node is not None else None
        return node if ref is not None and ref.kind in TYPE_OF_KIND else None

    def type_of(self, node: NamedNode) -> str:
        ref = self.minter.parse(node.value)
        return TYPE_OF_KIND[ref.kind] if ref is not None else ""

    # the manifest -------------------------------------------------------------------------------
    def manifest(self, endpoint: str, preview: str) -> dict[str, Any]:
        """The service manifest; `endpoint` is the service's URL, `preview` its preview URL
        template (with '{{id}}')."""
        space = self.minter.entity_space()
        return {
            "versions": ["0.1", "0.2"],
            "name": f"{t('reconcile.name', 'vi')} · {t('reconcile.name', 'en')}",
            "identifierSpace": space,
            "schemaSpace": LODV.iri,
            "defaultTypes": [self.type_json(type_id) for type_id in TYPES],
            "view": {"url": space + "{{id}}"},
            "preview": {"url": preview, "width": PREVIEW_SIZE[0], "height": PREVIEW_SIZE[1]},
            "suggest": {
                kind: {"service_url": endpoint, "service_path": f"/suggest/{kind}"}
                for kind in ("entity", "type", "property")
            },
            "extend": {
                "propose_properties": {"service_url": endpoint, "service_path": "/propose_properties"}
            },
            "batchSize": MAX_QUERIES,
        }

    def type_json(self, type_id: str) -> dict[str, str]:
        return {"id": type_id, "name": t(f"reconcile.type.{type_id}", self.lang)}

    def property_json(self, pid: str) -> dict[str, str]:
        return {"id": pid, "name": t(f"reconcile.property.{pid}", self.lang)}

    # reconciling --------------------------------------------------------------------------------
    def run(self, batch: dict[str, ReconQuery]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """A result batch of API 0.2: each query's candidates, best first."""
        return {
            key: {"result": [self.candidate_json(c) for c in self.reconcile(q)]} for key, q in batch.items()
        }

    def run_draft(self, queries: list[ReconQuery]) -> dict[str, Any]:
        """A result batch of the 1.0 draft: `{"results": [{"candidates": […]}, …]}`, in order."""
        return {
            "results": [{"candidates": [self.candidate_json(c) for c in self.reconcile(q)]} for q in queries]
        }

    def candidate_json(self, c: Candidate) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.entity_id(c.iri),
            "name": c.name,
            "score": c.score,
            "match": c.match,
            "type": [self.type_json(c.type)],
            "features": [
                {
                    "id": name,
                    "name": t(f"reconcile.property.{name}", self.lang) if name in PROPERTIES else name,
                    "value": value,
                }
                for name, value in c.features.items()
            ],
        }
        if c.description:
            found["description"] = c.description
        return found

    def reconcile(self, query: ReconQuery) -> list[Candidate]:
        """The best candidates for one query, best first; `match` set on a clear winner only."""
        types = query.types or ("Instance", "Agent", "Library")
        found: dict[str, Candidate] = {}
        by_id = self.entity_iri(query.text) if query.text else None
        if by_id is not None and self.type_of(by_id) in types and self.store.exists(by_id):
            found[by_id.value] = Candidate(
                by_id.value, self.name_of(by_id), self.type_of(by_id), 100.0, features={"id": True}
            )
        matchers = {
            "Instance": self._match_instance,
            "Work": self._match_work,
            "Agent": self._match_agent,
            "Library": self._match_library,
        }
        for type_id in types:
            for c in matchers[type_id](query):
                if c.iri not in found or found[c.iri].score < c.score:
                    found[c.iri] = c
        candidates = sorted(found.values(), key=lambda c: (-c.score, c.name, c.iri))
        for c, decided in zip(candidates, matching.decide([c.score for c in candidates]), strict=True):
            c.match = decided
        return candidates[: query.limit]

    def _match_instance(self, query: ReconQuery) -> list[Candidate]:
        title = query.text if query.text and matching.isbn(query.text) is None else query.value("title")
        codes = [c for v in [query.text, *query.properties.get("isbn", [])] if v and (c := matching.isbn(v))]
        authors = query.properties.get("author", [])
        by_isbn: dict[str, Hit] = {}
        for code in dict.fromkeys(codes):
            for form in dict.fromkeys([code, matching.isbn13(code)]):
                term = Term((form.lower(),), (form.lower(),), "identifier")
                by_isbn |= {h.iri: h for h in self._search((term,), 10)}
        hits = dict(by_isbn)
        if title:
            titled = _terms(title, "title")
            if authors:
                hits |= {h.iri: h for h in self._search(titled + _terms(authors[0], "agent"))}
            hits |= {h.iri: h for h in self._search(titled)}
            if not hits and len(titled) > 1:  # words typed that the title lacks: its longest words
                longest = sorted(titled, key=lambda term: -len(term.folded[0]))[:3]
                hits |= {h.iri: h for h in self._search(tuple(longest))}
        return [self._score_entry(hit, query, title, codes, hit.iri in by_isbn) for hit in hits.values()]

    def _score_entry(
        self, hit: Hit, query: ReconQuery, title: str, codes: list[str], isbn_found: bool
    ) -> Candidate:
        parts: dict[str, tuple[float, float]] = {}
        features: dict[str, float | bool] = {}
        if title:
            parts["title"] = (matching.title_score(title, hit.title), WEIGHTS["title"])
        if query.properties.get("author"):
            best = max(
                (matching.agent_score(a, h) for a in query.properties["author"] for h in hit.agents),
                default=0.0,
            )
            parts["author"] = (best, WEIGHTS["author"])
        if query.properties.get("year"):
            year = matching.year_score(query.value("year"), hit.year)
            if year is not None:
                parts["year"] = (100.0 * year, WEIGHTS["year"])
        if query.properties.get("publisher"):
            best = max(
                (matching.name_score(query.value("publisher"), p) for p in hit.publishers), default=0.0
            )
            parts["publisher"] = (best, WEIGHTS["publisher"])
        features |= {name: round(score / 100, 3) for name, (score, _) in parts.items()}
        score = matching.combine(parts)
        if codes:
            features["isbn"] = isbn_found
            score = matching.EXACT if isbn_found else round(score * 0.8, 1)
        return Candidate(hit.iri, hit.title, "Instance", score, self._entry_description(hit), features)

    def _match_work(self, query: ReconQuery) -> list[Candidate]:
        works: dict[str, Candidate] = {}
        entries = self._match_instance(query)
        of = self.store.objects([NamedNode(c.iri) for c in entries], BF.instanceOf)
        for c in entries:
            for work in of.get(c.iri, [])[:1]:
                if work.value not in works or works[work.value].score < c.score:
                    works[work.value] = Candidate(
                        work.value, c.name, "Work", c.score, c.description, c.features
                    )
        return list(works.values())

    def _match_agent(self, query: ReconQuery) -> list[Candidate]:
        typed = query.text or query.value("name")
        name, _ = matching.split_dates(typed)
        labels = [s.label for s in self.index.suggest(name, _SEARCHED, kinds=("agent",))]
        if not labels and len(folded_words(name)) > 1:
            longest = max(folded_words(name), key=len)
            labels = [s.label for s in self.index.suggest(longest, _SEARCHED, kinds=("agent",))]
        found = []
        for label in dict.fromkeys(labels):
            score = matching.agent_score(typed, label, query.value("dates"))
            for agent in self.agents_labelled(label):
                found.append(
                    Candidate(
                        agent.value,
                        label,
                        "Agent",
                        score,
                        self._agent_description(agent, label),
                        {"name": round(score / 100, 3)},
                    )
                )
        return found

    def _match_library(self, query: ReconQuery) -> list[Candidate]:
        typed = query.text or query.value("name")
        found: dict[str, Candidate] = {}
        for code in dict.fromkeys(v for v in [query.text, *query.properties.get("isil", [])] if v):
            for lib in libraries.lookup(self.store, self.minter, code):
                found[lib.iri] = Candidate(
                    lib.iri,
                    lib.name,
                    "Library",
                    matching.EXACT,
                    _library_description(lib.key, lib.province_name),
                    {"isil": True},
                )
        if typed:
            hits = [
                (h.iri, h.name, h.province, h.province_name) for h in self.index.libraries(typed, _SEARCHED)
            ]
            self._score_libraries(typed, query, hits, found)
            if not any(c.score >= matching.MATCH_AT for c in found.values()):
                # English and short names are the registry's, not the index's: read them only now
                more = libraries.suggest(self.store, typed, _SEARCHED)
                self._score_libraries(
                    typed, query, [(x.iri, x.name, x.province_code, x.province_name) for x in more], found
                )
        return list(found.values())

    def _score_libraries(
        self,
        typed: str,
        query: ReconQuery,
        hits: list[tuple[str, str, str | None, str | None]],
        found: dict[str, Candidate],
    ) -> None:
        """Score (IRI, name, province code, province name) of libraries by every name the registry
        gives them, and by the province asked for; into `found`, unless there already."""
        for iri, name, province, province_name in hits:
            if iri in found:
                continue
            score = max(matching.name_score(typed, n) for n in [name, *self.library_names().get(iri, [])])
            features: dict[str, float | bool] = {"name": round(score / 100, 3)}
            wanted = query.value("province")
            if wanted:
                same = matching.same_place(wanted, province, province_name)
                features["province"] = same
                score = score if same else round(score * 0.6, 1)
            key = ref.id if (ref := self.minter.parse(iri)) else iri
            description = _library_description(key, province_name)
            found[iri] = Candidate(iri, name, "Library", score, description, features)

    def _search(self, terms: tuple[Term, ...], limit: int = _SEARCHED) -> list[Hit]:
        if not terms:
            return []
        text = " ".join(" ".join(term.folded) for term in terms)
        return self.index.search(Query(terms, text), limit=limit, facets=False).hits

    # suggest services ---------------------------------------------------------------------------
    def suggest_entities(
        self, prefix: str, types: tuple[str, ...], cursor: int, limit: int
    ) -> dict[str, Any]:
        """Entities whose name (or identifier: an ISBN, ISIL, our id) starts as `prefix`, by the
        search index's autocomplete (heaviest first)."""
        types = types or tuple(TYPES)
        wanted = cursor + limit
        found: dict[str, tuple[str, str, str]] = {}  # IRI -> (name, type, description)
        node = self.entity_iri(prefix)
        if node is not None and self.type_of(node) in types and self.store.exists(node):
            found[node.value] = (self.name_of(node), self.type_of(node), "")
        entries: list[tuple[str, str, str]] = []  # (entry IRI, title, description)
        if (code := matching.isbn(prefix)) and {"Instance", "Work"} & set(types):
            term = Term((code.lower(),), (code.lower(),), "identifier")
            entries += [(h.iri, h.title, self._entry_description(h)) for h in self._search((term,), wanted)]
        if "Library" in types:
            for lib in libraries.lookup(self.store, self.minter, prefix):
                found.setdefault(
                    lib.iri, (lib.name, "Library", _library_description(lib.key, lib.province_name))
                )
        kinds = tuple(
            dict.fromkeys(
                {"Instance": "title", "Work": "title", "Agent": "agent", "Library": "library"}[k]
                for k in types
            )
        )
        for s in self.index.suggest(prefix, wanted + 5, kinds=kinds):
            if s.kind == "title":
                entries.append((s.target, s.label, ""))
            elif s.kind == "library":
                found.setdefault(s.target, (s.label, "Library", ""))
            elif s.kind == "agent":
                for agent in self.agents_labelled(s.target):
                    found.setdefault(agent.value, (s.label, "Agent", self._agent_description(agent, s.label)))
        if "Instance" in types:
            for iri, title, description in entries:
                found.setdefault(iri, (title, "Instance", description))
        if "Work" in types:
            of = self.store.objects([NamedNode(iri) for iri, _, _ in entries], BF.instanceOf)
            for iri, title, description in entries:
                for work in of.get(iri, [])[:1]:
                    found.setdefault(work.value, (title, "Work", description))
        items = list(found.items())[cursor:wanted]
        return {
            "result": [
                {"id": self.entity_id(iri), "name": name, "notable": [self.type_json(type_id)]}
                | ({"description": description} if description else {})
                for iri, (name, type_id, description) in items
            ]
        }

    def suggest_types(self, prefix: str, cursor: int, limit: int) -> dict[str, Any]:
        found = [
            self.type_json(type_id) | {"description": t(f"reconcile.type.{type_id}.about", self.lang)}
            for type_id in TYPES
            if _starts(
                prefix, [type_id, t(f"reconcile.type.{type_id}", "vi"), t(f"reconcile.type.{type_id}", "en")]
            )
        ]
        return {"result": found[cursor : cursor + limit]}

    def suggest_properties(
        self, prefix: str, types: tuple[str, ...], cursor: int, limit: int
    ) -> dict[str, Any]:
        found = [
            self.property_json(p.id)
            for p in PROPERTIES.values()
            if (not types or set(types) & set(p.types))
            and _starts(
                prefix, [p.id, t(f"reconcile.property.{p.id}", "vi"), t(f"reconcile.property.{p.id}", "en")]
            )
        ]
        return {"result": found[cursor : cursor + limit]}

    def propose_properties(self, type_id: str, limit: int | None) -> dict[str, Any]:
        """The properties data extension offers for entities of a type (OpenRefine's 'Add columns
        from reconciled values' dialog lists them)."""
        found = [self.property_json(p.id) for p in PROPERTIES.values() if type_id in p.types]
        answer: dict[str, Any] = {"type": type_id, "properties": found[:limit] if limit else found}
        if limit:
            answer["limit"] = limit
        return answer

    # descriptions and names ---------------------------------------------------------------------
    def _entry_description(self, hit: Hit) -> str:
        held = (
            t("reconcile.held_by.one", self.lang)
            if hit.holdings == 1
            else t("reconcile.held_by", self.lang, count=hit.holdings)
        )
        parts = [
            "; ".join(hit.agents[:2]),
            str(hit.year or ""),
            hit.publishers[0] if hit.publishers else "",
            held,
        ]
        return " · ".join(p for p in parts if p)

    def _agent_description(self, agent: NamedNode, label: str) -> str:
        kinds = [k for k in self.agent_kinds(agent)]
        _, dates = matching.split_dates(label)
        return " · ".join(
            p for p in [t(f"reconcile.kind.{kinds[0]}", self.lang) if kinds else "", dates] if p
        )

    def agent_kinds(self, agent: NamedNode) -> list[str]:
        classes = {c.value for c in self.store.objects([agent], RDF.type).get(agent.value, [])}
        return [
            k
            for k in ("Person", "Organization", "Family", "Meeting", "Jurisdiction")
            if BF[k].value in classes
        ]

    def agents_labelled(self, label: str) -> list[NamedNode]:
        for literal in (Literal(label), Literal(label, language="vi")):
            rows = self.store.canned("agents_labelled", label=literal)
            assert isinstance(rows, QuerySolutions)
            found = [row["agent"] for row in rows if isinstance(row["agent"], NamedNode)]
            if found:
                return [a for a in found if self.type_of(a) == "Agent"]
        return []

    def library_names(self) -> dict[str, list[str]]:
        """Every name (Vietnamese, English, short) of every registered library, read once."""
        if self._library_names is None:
            names: dict[str, list[str]] = {}
            rows = self.store.canned("library_names")
            assert isinstance(rows, QuerySolutions)
            for row in rows:
                names.setdefault(row["library"].value, []).append(row["name"].value)
            self._library_names = names
        return self._library_names

    def name_of(self, node: NamedNode) -> str:
        """An entity's name: its label, for a union Work the title of one of its records."""
        name = self.store.labels([node], (RDFS.label, SCHEMA.name), self.lang).get(node.value)
        if name:
            return name
        members = [
            m for m in self.store.objects([node], LODV.member).get(node.value, []) if isinstance(m, NamedNode)
        ]
        found = self.store.labels(members[:1], (RDFS.label, SCHEMA.name), self.lang) if members else {}
        return next(iter(found.values()), self.entity_id(node.value))


def _terms(text: str, field_name: str) -> tuple[Term, ...]:
    return tuple(
        Term((f,), (e,), field_name) for f, e in zip(folded_words(text), exact_words(text), strict=False)
    )


def _starts(prefix: str, names: list[str]) -> bool:
    """Whether every word of `prefix` starts a word of one of `names` (folded; no prefix: yes)."""
    wanted = matching.words(prefix)
    return any(all(any(w.startswith(x) for w in matching.words(name)) for x in wanted) for name in names)


def _library_description(key: str, province_name: str | None) -> str:
    return " · ".join(p for p in (key, province_name or "") if p)
