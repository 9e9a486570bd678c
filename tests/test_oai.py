"""OAI-PMH and the change feed, harvested by a real OAI-PMH client (Sickle) from `lod serve` running
as a real process over a store the real CLI ingested the sample into."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymarc
import pytest
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from lod.archive import xml_safe
from lod.marcio import finish_reading, read_marc
from tests.conftest import LOD, SAMPLE, run_lod, sample_entries, server_process

pytestmark = pytest.mark.server

OAI = "http://www.openarchives.org/OAI/2.0/"
MARC = "http://www.loc.gov/MARC21/slim"
DC = "http://purl.org/dc/elements/1.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS = {"oai": OAI, "marc": MARC, "dc": DC, "rdf": RDF}
PAGE = 7
"""Records per list response: the sample's 46 records come in 7 pages, so tokens are followed."""
RECORDS = 46
FORMATS = ("oai_dc", "marcxml", "rdf")


class CountingSickle(Sickle):  # type: ignore[misc]
    """Sickle, counting the requests it makes."""

    requests = 0

    def harvest(self, **kwargs: Any) -> Any:
        self.requests += 1
        return super().harvest(**kwargs)


@dataclass
class Harvest:
    store: Path
    base: str

    @property
    def oai(self) -> str:
        return self.base + "/oai"

    def sickle(self, method: str = "GET") -> CountingSickle:
        return CountingSickle(self.oai, http_method=method, max_retries=0, timeout=30)

    def get(self, **params: str) -> etree._Element:
        return _xml(_fetch(self.oai + "?" + urllib.parse.urlencode(params)))

    def changes(self, path: str = "/changes", accept: str = "application/activity+json") -> Any:
        request = urllib.request.Request(self.base + path, headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


def ingest_sample(folder: Path) -> Path:
    store = folder / "store"
    done = run_lod("--store", str(store), "ingest", "manifest", str(SAMPLE / "manifest.toml"))
    assert done.returncode == 0, done.stderr
    return store


@contextmanager
def serving(store: Path) -> Iterator[str]:
    """`lod serve` (one process) over `store`, lists in pages of PAGE records."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOD_HARVEST_PAGE_SIZE", str(PAGE))
        with server_process(
            lambda port: [LOD, "--store", str(store), "serve", "--port", str(port), "--processes", "1"],
            probe="/oai?verb=Identify",
            log_path=store.parent / "serve.log",
        ) as base:
            yield base


@pytest.fixture(scope="module")
def harvest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harvest]:
    store = ingest_sample(tmp_path_factory.mktemp("oai"))
    with serving(store) as base:
        yield Harvest(store, base)


def _fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        body: bytes = response.read()
        return body


def _xml(body: bytes) -> etree._Element:
    return etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))


def error_code(root: etree._Element) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else str(error.get("code"))


# harvesting the whole sample -------------------------------------------------------------------
def test_the_whole_sample_is_harvested_once_in_every_format(harvest: Harvest) -> None:
    seen: dict[str, list[str]] = {}
    for prefix in FORMATS:
        client = harvest.sickle()
        started = time.perf_counter()
        records = list(client.ListRecords(metadataPrefix=prefix))
        seconds = time.perf_counter() - started
        identifiers = [r.header.identifier for r in records]
        assert len(identifiers) == RECORDS, prefix
        assert len(set(identifiers)) == RECORDS, Counter(identifiers).most_common(3)
        assert client.requests == -(-RECORDS // PAGE)  # resumption tokens followed to the end
        assert not any(r.header.deleted for r in records)
        assert all(r.xml.find("oai:metadata", NS) is not None for r in records)
        seen[prefix] = sorted(identifiers)
        print(f"{prefix}: {RECORDS} records in {client.requests} requests, {seconds:.2f} s")
    assert seen["oai_dc"] == seen["marcxml"] == seen["rdf"]
    assert all(re.fullmatch(r"oai:127\.0\.0\.1:[a-z2-7]{16}", i) for i in seen["oai_dc"])
    listed = [h.identifier for h in harvest.sickle().ListIdentifiers(metadataPrefix="oai_dc")]
    assert sorted(listed) == seen["oai_dc"]


def test_the_tokens_carry_the_list_size_and_cursor(harvest: Harvest) -> None:
    root = harvest.get(verb="ListIdentifiers", metadataPrefix="oai_dc")
    cursors = []
    while True:
        token = root.find("oai:ListIdentifiers/oai:resumptionToken", NS)
        assert token is not None
        assert token.get("completeListSize") == str(RECORDS)
        cursors.append(int(token.get("cursor", "-1")))
        if not token.text:
            break
        root = harvest.get(verb="ListIdentifiers", resumptionToken=token.text)
    assert cursors == list(range(0, RECORDS, PAGE))


def test_oai_dc_has_the_titles_and_what_vietnamese_sites_fill(harvest: Harvest) -> None:
    records = {r.header.identifier: r for r in harvest.sickle().ListRecords(metadataPrefix="oai_dc")}
    titles = [t for r in records.values() for t in r.metadata.get("title", [])]
    assert len([r for r in records.values() if r.metadata.get("title")]) == RECORDS
    assert {"Vang bóng một thời", "Đất rừng phương Nam", "Cho tôi xin một vé đi tuổi thơ : truyện"} <= set(
        titles
    )
    kept = next(r for r in records.values() if "Vang bóng một thời" in r.metadata["title"])
    dc = kept.metadata
    assert dc["creator"] == ["Nguyễn, Tuân, 1910-1987"]
    assert dc["publisher"] == ["Hội Nhà văn"]
    assert dc["date"] == ["2020"]
    assert dc["language"] == ["vie"]
    assert "Văn học Việt Nam" in dc["subject"]
    assert "Text" in dc["type"]
    assert dc["rights"] == ["http://creativecommons.org/publicdomain/zero/1.0/"]
    record_id = kept.header.identifier.rsplit(":", 1)[1]
    assert f"http://127.0.0.1:5000/resource/instance/{record_id}" in dc["identifier"]
    title = kept.xml.find(".//dc:title", NS)
    assert title is not None and title.get("{http://www.w3.org/XML/1998/namespace}lang") == "vi"
    identifiers = [i for r in records.values() for i in r.metadata.get("identifier", [])]
    assert any(re.match(r"97[89]\d{10}\b", i) for i in identifiers)  # ISBNs, beside the entity IRIs


def test_marcxml_is_marcxml_and_the_record_as_received(harvest: Harvest) -> None:
    sources = _source_records()
    records = list(harvest.sickle().ListRecords(metadataPrefix="marcxml"))
    assert len(records) == RECORDS
    for harvested in records:
        [element] = harvested.xml.findall("oai:metadata/marc:record", NS)
        _check_slim(element)
        [parsed] = pymarc.parse_xml_to_array(_as_file(element))
        [library] = harvested.header.setSpecs
        source = sources[(library, parsed["001"].data.strip())]
        # as received, but for what XML 1.0 cannot carry (an ESC left by MARC-8 here), as U+FFFD
        assert _fields(parsed) == _fields(source, xml_safe), harvested.header.identifier
        assert str(parsed.leader)[:9] == source.leader[:9]
        assert str(parsed.leader)[9] == "a"  # Unicode now, whatever the record came in
        assert str(parsed.leader)[10:] == source.leader[10:]


def test_rdf_is_the_record_graph(harvest: Harvest) -> None:
    import rdflib

    for record in harvest.sickle().ListRecords(metadataPrefix="rdf"):
        [element] = record.xml.findall("oai:metadata/rdf:RDF", NS)
        graph = rdflib.Graph().parse(data=etree.tostring(element), format="xml")
        record_id = record.header.identifier.rsplit(":", 1)[1]
        instance = rdflib.URIRef(f"http://127.0.0.1:5000/resource/instance/{record_id}")
        bf = rdflib.Namespace("http://id.loc.gov/ontologies/bibframe/")
        assert (instance, rdflib.RDF.type, bf.Instance) in graph
        assert (instance, bf.instanceOf, rdflib.URIRef(str(instance).replace("instance", "work"))) in graph
        authors = list(graph.objects(instance, rdflib.URIRef("http://schema.org/author")))
        for author in authors:  # what the record links to comes with its name
            assert graph.value(author, rdflib.RDFS.label) is not None


def test_sets_are_the_libraries(harvest: Harvest) -> None:
    client = harvest.sickle()
    sets = {s.setSpec: s.setName for s in client.ListSets()}
    assert sets["DEMO-VN1"] == "Thư viện mẫu 1 (demo, MARCXML)"
    assert set(sets) == {library for _, library, _ in sample_entries()}
    everything: list[str] = []
    for spec in sets:
        headers = list(harvest.sickle().ListIdentifiers(metadataPrefix="oai_dc", set=spec))
        assert headers and all(h.setSpecs == [spec] for h in headers)
        everything += [h.identifier for h in headers]
    assert len(everything) == len(set(everything)) == RECORDS
    with pytest.raises(NoRecordsMatch):
        list(client.ListIdentifiers(metadataPrefix="oai_dc", set="NO-SUCH-LIBRARY"))


def test_identify_and_formats(harvest: Harvest) -> None:
    identify = harvest.sickle().Identify()
    assert identify.baseURL == "http://127.0.0.1:5000/oai"
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.adminEmail == "webmaster@127.0.0.1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", identify.earliestDatestamp)
    formats = {f.metadataPrefix: f for f in harvest.sickle().ListMetadataFormats()}
    assert set(formats) == set(FORMATS)
    assert formats["marcxml"].metadataNamespace == MARC
    assert formats["marcxml"].schema == "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
    one = next(iter(harvest.sickle().ListIdentifiers(metadataPrefix="oai_dc"))).identifier
    assert {f.metadataPrefix for f in harvest.sickle().ListMetadataFormats(identifier=one)} == set(FORMATS)
    record = harvest.sickle().GetRecord(identifier=one, metadataPrefix="oai_dc")
    assert record.header.identifier == one and record.metadata["title"]


def test_selective_harvesting_by_date(harvest: Harvest) -> None:
    stamps = {h.datestamp for h in harvest.sickle().ListIdentifiers(metadataPrefix="oai_dc")}
    assert len(stamps) == 1  # one ingest, one sync
    [stamp] = stamps
    day = stamp[:10]
    later = _shift(stamp, 1)
    for arguments in ({"from": stamp}, {"until": stamp}, {"from": day, "until": day}, {"from": day}):
        found = list(harvest.sickle().ListIdentifiers(metadataPrefix="oai_dc", **arguments))
        assert len(found) == RECORDS, arguments
    for arguments in ({"from": later}, {"until": _shift(stamp, -1)}, {"until": "2001-01-01"}):
        with pytest.raises(NoRecordsMatch):
            list(harvest.sickle().ListIdentifiers(metadataPrefix="oai_dc", **arguments))


def test_post_is_the_same_as_get(harvest: Harvest) -> None:
    got = list(harvest.sickle("POST").ListIdentifiers(metadataPrefix="marcxml", set="DEMO-VN2"))
    assert len(got) == 3
    body = urllib.parse.urlencode({"verb": "Identify"}).encode()
    root = _xml(_fetch(harvest.oai, body, {"Content-Type": "application/x-www-form-urlencoded"}))
    assert root.find("oai:Identify/oai:protocolVersion", NS) is not None


# errors, built by hand ---------------------------------------------------------------------------
LIST = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
GET = {"verb": "GetRecord", "metadataPrefix": "oai_dc"}
NOWHERE = "oai:127.0.0.1:aaaaaaaaaaaaaaaa"
BAD_REQUESTS = [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "set": "x"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "rdf"]}, "badArgument"),
    ({**LIST, "from": "2026-13-01"}, "badArgument"),
    ({**LIST, "from": "2026-01-01T00:00:00"}, "badArgument"),
    ({**LIST, "from": "2026-01-01", "until": "2026-01-02T00:00:00Z"}, "badArgument"),
    ({**LIST, "from": "2026-01-02", "until": "2026-01-01"}, "badArgument"),
    ({**LIST, "resumptionToken": "x"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
    ({**GET, "identifier": NOWHERE}, "idDoesNotExist"),
    ({**GET, "identifier": "oai:elsewhere.org:x"}, "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": NOWHERE}, "idDoesNotExist"),
    ({**LIST, "from": "2999-01-01"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "rdf", "set": "nowhere"}, "noRecordsMatch"),
]


@pytest.mark.parametrize(("params", "code"), BAD_REQUESTS)
def test_errors_as_the_protocol_says(harvest: Harvest, params: dict[str, Any], code: str) -> None:
    root = _xml(_fetch(harvest.oai + "?" + urllib.parse.urlencode(params, doseq=True)))
    assert error_code(root) == code
    request = root.find("oai:request", NS)
    assert request is not None and request.text == "http://127.0.0.1:5000/oai"
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}  # the protocol: the base URL only
    else:
        assert request.get("verb") == params["verb"]
    assert root.find("oai:responseDate", NS) is not None


def test_a_token_altered_or_used_with_another_verb_is_refused(harvest: Harvest) -> None:
    root = harvest.get(verb="ListRecords", metadataPrefix="oai_dc")
    token = root.findtext("oai:ListRecords/oai:resumptionToken", namespaces=NS)
    assert token
    assert error_code(harvest.get(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"
    body, check = token.rsplit(".", 1)
    altered = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1] + "." + check
    assert error_code(harvest.get(verb="ListRecords", resumptionToken=altered)) == "badResumptionToken"
    assert error_code(harvest.get(verb="ListRecords", resumptionToken=token)) is None


# withdrawal: deleted records, kept ----------------------------------------------------------------
def test_a_withdrawn_record_becomes_a_deleted_header_and_stays_one(tmp_path: Path) -> None:
    store = ingest_sample(tmp_path)
    # `from` takes whole seconds and includes its own: the first harvest must come a later second
    # than the ingest's datestamps, or "changed since" would hold them too (as OAI-PMH means it to)
    time.sleep(1.1)
    with serving(store) as base:
        first = Harvest(store, base)
        before = {r.header.identifier: r for r in first.sickle().ListRecords(metadataPrefix="marcxml")}
        response_date = first.get(verb="Identify").findtext("oai:responseDate", namespaces=NS)
    assert response_date and len(before) == RECORDS
    time.sleep(1.1)  # the withdrawal's datestamp is a later second than the first harvest
    gone = tmp_path / "gone.mrc"
    raw = (SAMPLE / "vietnamese-koha.mrc").read_bytes().split(b"\x1d")[0] + b"\x1d"
    gone.write_bytes(raw[:5] + b"d" + raw[6:])  # leader/05 = d: withdrawn
    done = run_lod("--store", str(store), "ingest", "marc", str(gone), "--library", "DEMO-VN2")
    assert done.returncode == 0, done.stderr
    [withdrawn] = [finish_reading(item).record for item in read_marc(gone)]
    assert withdrawn is not None
    control = withdrawn.control("001")
    with serving(store) as base:
        again = Harvest(store, base)
        after = {r.header.identifier: r for r in again.sickle().ListRecords(metadataPrefix="marcxml")}
        assert set(after) == set(before)
        deleted = [r for r in after.values() if r.header.deleted]
        assert len(deleted) == 1
        [record] = deleted
        identifier = record.header.identifier
        assert before[identifier].xml.findtext(".//marc:controlfield[@tag='001']", namespaces=NS) == control
        assert record.header.datestamp > response_date
        assert record.header.setSpecs == ["DEMO-VN2"]
        assert record.xml.find("oai:metadata", NS) is None
        # only what changed since the first harvest
        since = list(again.sickle().ListIdentifiers(metadataPrefix="oai_dc", **{"from": response_date}))
        assert [(h.identifier, h.deleted) for h in since] == [(identifier, True)]
        assert again.sickle().GetRecord(identifier=identifier, metadataPrefix="oai_dc").header.deleted
        assert error_code(again.get(verb="ListMetadataFormats", identifier=identifier)) == "noMetadataFormats"
        kinds = _activities(again, identifier.rsplit(":", 1)[1])
        assert [a["type"] for a in kinds] == ["Create", "Delete"]
        assert kinds[1]["published"] == record.header.datestamp
        assert kinds[1]["object"][0]["type"] == "Tombstone"
        stamp = record.header.datestamp
    # further syncs, and the same withdrawal sent again, keep the deleted record as it was
    for command in (["archive"], ["archive"], ["ingest", "marc", str(gone), "--library", "DEMO-VN2"]):
        done = run_lod("--store", str(store), *command)
        assert done.returncode == 0, done.stderr
    with serving(store) as base:
        kept = Harvest(store, base)
        headers = {h.identifier: h for h in kept.sickle().ListIdentifiers(metadataPrefix="rdf")}
        assert headers[identifier].deleted and headers[identifier].datestamp == stamp
        assert [a["type"] for a in _activities(kept, identifier.rsplit(":", 1)[1])] == ["Create", "Delete"]


def _activities(harvest: Harvest, record_id: str) -> list[dict[str, Any]]:
    collection = harvest.changes()
    found = []
    page: str | None = collection["first"]["id"]
    while page:
        data = harvest.changes(urllib.parse.urlsplit(page).path)
        found += [a for a in data["orderedItems"] if a["object"][0]["id"].endswith("/" + record_id)]
        page = data.get("next")
    return found


# helpers ----------------------------------------------------------------------------------------
def _source_records() -> dict[tuple[str, str], Any]:
    """(library, 001) -> each sample record as the reader gives it (repaired)."""
    found = {}
    for path, library, _ in sample_entries():
        for item in read_marc(path):
            record = finish_reading(item).record
            assert record is not None
            found[(library, record.control("001").strip())] = record
    return found


def _fields(record: Any, text: Callable[[str], str] = str) -> list[tuple[Any, ...]]:
    """Control fields, then data fields (the order MARCXML has them in)."""
    control = [(f.tag, text(f.data)) for f in record.fields if f.is_control_field()]
    data = [
        (f.tag, f.indicator1, f.indicator2, tuple((s.code, text(s.value)) for s in f.subfields))
        for f in record.fields
        if not f.is_control_field()
    ]
    return control + data


def _as_file(element: etree._Element) -> Any:
    import io

    return io.BytesIO(etree.tostring(element, encoding="utf-8"))


SLIM = {
    "leader": re.compile(
        r"[\d ]{5}[\dA-Za-z ][\dA-Za-z][\dA-Za-z ]{3}(2| )(2| )[\d ]{5}[\dA-Za-z ]{3}(4500|    )"
    ),
    "controlfield": re.compile(r"00[1-9A-Za-z]"),
    "datafield": re.compile(
        r"(0([1-9A-Z][0-9A-Z])|0([1-9a-z][0-9a-z]))|(([1-9A-Z][0-9A-Z]{2})|([1-9a-z][0-9a-z]{2}))"
    ),
    "indicator": re.compile(r"[\da-z ]"),
    "code": re.compile(r"[\dA-Za-z!\"#$%&'()*+,\-./:;<=>?{}_^`~\[\]\\]"),
}
"""The MARC 21 slim schema's patterns for the leader, tags, indicators and subfield codes."""


def _check_slim(record: etree._Element) -> None:
    """What the MARC 21 slim schema asks of a record: a leader, then control fields with a 00X tag,
    then data fields with two indicators and subfields, each value as its pattern says."""
    children = list(record)
    assert record.tag == f"{{{MARC}}}record"
    assert children[0].tag == f"{{{MARC}}}leader" and SLIM["leader"].fullmatch(children[0].text or "")
    kinds = [c.tag.split("}")[1] for c in children[1:]]
    assert kinds == sorted(kinds, key=lambda k: k != "controlfield"), kinds  # control fields first
    for child in children[1:]:
        kind, tag = child.tag.split("}")[1], child.get("tag", "")
        assert SLIM[kind].fullmatch(tag), (kind, tag)
        if kind == "controlfield":
            assert len(child) == 0
            continue
        assert SLIM["indicator"].fullmatch(child.get("ind1", "")), (tag, child.get("ind1"))
        assert SLIM["indicator"].fullmatch(child.get("ind2", "")), (tag, child.get("ind2"))
        assert len(child) >= 1
        for sub in child:
            assert sub.tag == f"{{{MARC}}}subfield" and SLIM["code"].fullmatch(sub.get("code", ""))


def _shift(stamp: str, seconds: int) -> str:
    from datetime import UTC, datetime, timedelta

    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
