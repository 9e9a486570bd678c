"""What a converter needs to know beyond the record itself: where it comes from and how to mint IRIs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from lod.uris import Minter

Subject = NamedNode | BlankNode
Object = NamedNode | BlankNode | Literal
Triples = Iterator[Triple]


@dataclass
class RecordContext:
    """One record being converted for one library."""

    minter: Minter
    library: str
    control_number: str
    record_id: str = field(init=False)
    work: NamedNode = field(init=False)
    instance: NamedNode = field(init=False)
    library_iri: NamedNode = field(init=False)

    def __post_init__(self) -> None:
        self.record_id = self.minter.record_id(self.library, self.control_number)
        self.work = self.minter.work(self.record_id)
        self.instance = self.minter.instance(self.record_id)
        self.library_iri = self.minter.library(self.library)
