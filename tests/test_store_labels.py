"""Labels of nodes labelled in many graphs (lod.store.OxigraphStore.label_triples): a code list term
is labelled in every record graph that uses it. The best label for the page's language is still
found when the copies are more than are read one by one, and a read-only store keeps what it found,
or finds them all at once beforehand (keep_shared_labels)."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from lod import store as store_module
from lod.store import OxigraphStore
from lod.vocab import RDFS, SCHEMA

TERM = NamedNode("http://id.loc.gov/vocabulary/carriers/nc")
OTHER = NamedNode("http://id.loc.gov/vocabulary/carriers/cz")


def labelled(store: OxigraphStore, copies: int) -> None:
    quads = [
        Quad(TERM, RDFS.label, Literal("volume"), NamedNode(f"http://data.test/graph/{n:05d}"))
        for n in range(copies)
    ]
    # the Vietnamese and English labels sit in one graph, after the many untagged copies
    last = NamedNode("http://data.test/graph/zzzzz")
    quads += [
        Quad(TERM, RDFS.label, Literal("tập", language="vi"), last),
        Quad(TERM, RDFS.label, Literal("volume (book)", language="en"), last),
        Quad(OTHER, RDFS.label, Literal("other"), last),
    ]
    store._store.extend(quads)


def test_the_best_label_of_a_term_labelled_in_many_graphs() -> None:
    store = OxigraphStore.open(None)
    labelled(store, store_module._LABEL_COPIES * 5)
    assert store.labels([TERM, OTHER], [RDFS.label], "vi") == {TERM.value: "tập", OTHER.value: "other"}
    assert store.labels([TERM], [RDFS.label], "en") == {TERM.value: "volume (book)"}
    assert store.labels([TERM], [RDFS.label], "fr") == {TERM.value: "volume"}  # untagged next
    few = OxigraphStore.open(None)
    labelled(few, 3)  # read one by one: the same answers
    assert few.labels([TERM], [RDFS.label], "vi") == {TERM.value: "tập"}
    assert few.labels([TERM], [RDFS.label], "fr") == {TERM.value: "volume"}


def test_a_read_only_store_keeps_the_labels_it_found(tmp_path: Path) -> None:
    writable = OxigraphStore.open(tmp_path / "store")
    labelled(writable, store_module._LABEL_COPIES + 1)
    writable.flush()
    del writable
    reader = OxigraphStore.open(tmp_path / "store", read_only=True)
    assert reader.labels([TERM], [RDFS.label], "vi") == {TERM.value: "tập"}
    assert reader._labels is not None and (TERM.value, RDFS.label.value, "vi") in reader._labels
    # kept: answered without the store (its data is what it was when opened)
    reader._labels[(TERM.value, RDFS.label.value, "vi")] = None
    assert reader.labels([TERM], [RDFS.label], "vi") == {}
    assert OxigraphStore.open(None)._labels is None  # a store that may change keeps nothing


def test_a_read_only_store_finds_the_shared_labels_beforehand(tmp_path: Path) -> None:
    writable = OxigraphStore.open(tmp_path / "store")
    labelled(writable, store_module._LABEL_COPIES + 1)
    writable.flush()
    assert writable.keep_shared_labels(("vi", "en")) == 0  # a store that may change keeps nothing
    del writable
    asked = OxigraphStore.open(tmp_path / "store", read_only=True)
    expected = {lang: asked.labels([TERM, OTHER], [RDFS.label], lang) for lang in ("vi", "en", None)}
    reader = OxigraphStore.open(tmp_path / "store", read_only=True)
    assert reader.keep_shared_labels(("vi", "en")) == 1  # TERM; OTHER has one label only
    assert reader._labels is not None
    assert set(reader._labels) == {(TERM.value, RDFS.label.value, lang) for lang in ("vi", "en", None)}
    # the same answers as when each was found on its own, and kept: no longer read from the store
    assert {lang: reader.labels([TERM, OTHER], [RDFS.label], lang) for lang in ("vi", "en", None)} == expected
    assert expected["vi"][TERM.value] == "tập" and expected["en"][TERM.value] == "volume (book)"
    reader._labels[(TERM.value, RDFS.label.value, "en")] = None
    assert reader.labels([TERM], [RDFS.label], "en") == {}
    # a label under a later property is found through the kept rdfs:label too
    assert reader.labels([TERM], [SCHEMA.name, RDFS.label], "vi") == {TERM.value: "tập"}
