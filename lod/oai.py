"""OAI-PMH 2.0 over the record archive (lod.archive): the six verbs, framework-free.

`respond(repository, arguments, now)` takes a request's arguments as (name, value) pairs, GET or
POST alike, and gives the XML response; web/oai.py only hands them over. Errors are answered as
the protocol says, in the XML with HTTP 200: badVerb, badArgument, badResumptionToken,
cannotDisseminateFormat, idDoesNotExist, noRecordsMatch, noMetadataFormats, noSetHierarchy.

- Items are the records, `oai:{host}:{record id}` (the id of its graph, Work and Instance).
- Sets are the libraries: setSpec is the library's ISIL or registry pseudo-identifier with every
  character but letters, digits, '.' and '-' written _XX (as the dump files name them).
- Formats: `oai_dc`, `marcxml` (the record as received and repaired: records loaded before the
  archive existed have none until they are sent again), `rdf` (the record graph in RDF/XML).
- Lists come in pages of `page_size`, ordered by datestamp then id; the resumption token is
  stateless (the arguments, the end of the last page and the counts, with a check digest), so any
  server process answers it and it does not expire. `until` is fixed when a list starts: a
  record changed during a harvest goes to the next one rather than to the end of this one.
- Deleted records are kept for good (deletedRecord persistent) and listed with a deleted header.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from pyoxigraph import NamedNode

from lod.archive import DATESTAMP, ArchivedRecord, RecordArchive, datestamp, xml_attribute, xml_text
from lod.crosswalks import dublin_core, oai_dc_xml, rdf_xml, record_statements
from lod.store import GraphStore
from lod.uris import Minter
from lod.vocab import RDFS, SCHEMA

OAI_NAMESPACE = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_REPOSITORY_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
"""What the oai-identifier scheme takes as a repository identifier (a domain name)."""


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


OAI_DC = MetadataFormat(
    "oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"
)
MARCXML = MetadataFormat(
    "marcxml", "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", "http://www.loc.gov/MARC21/slim"
)
RDF = MetadataFormat(
    "rdf", "http://www.openarchives.org/OAI/2.0/rdf.xsd", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
)
FORMATS = {f.prefix: f for f in (OAI_DC, MARCXML, RDF)}

LISTS = ("ListIdentifiers", "ListRecords")
ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ("resumptionToken",)),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
}
"""Each verb's (required, optional) arguments; a resumptionToken comes alone."""


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Repository:
    """What the provider serves and says about itself."""

    archive: RecordArchive
    store: GraphStore
    minter: Minter
    name: str
    admin_email: str
    licence: str
    page_size: int = 100
    set_names: Callable[[list[str]], dict[str, str]] | None = None
    """Library keys -> names, for ListSets (default: from the store's labels)."""

    @property
    def base_url(self) -> str:
        return self.minter.base + "oai"

    @property
    def host(self) -> str:
        return urlsplit(self.minter.base).hostname or "localhost"

    def identifier(self, record_id: str) -> str:
        return f"oai:{self.host}:{record_id}"

    def record_id(self, identifier: str) -> str | None:
        prefix = f"oai:{self.host}:"
        return identifier[len(prefix) :] if identifier.startswith(prefix) else None

    def email(self) -> str:
        # the protocol asks for one; RFC 2142's mailbox for a web service until one is configured
        return self.admin_email or f"webmaster@{self.host}"


def respond(repository: Repository, arguments: Sequence[tuple[str, str]], now: datetime | None = None) -> str:
    """The XML response to one request."""
    moment = datestamp(now or datetime.now(UTC))
    attributes: dict[str, str] = {}
    try:
        verb, args = _arguments(arguments)
        attributes = {"verb": verb, **args}
        body = VERBS[verb](repository, args, moment)
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            attributes = {}  # the protocol: only the base URL when the request itself was wrong
        body = f"<error code={xml_attribute(error.code)}>{xml_text(error.message)}</error>"
    request = "".join(f" {k}={xml_attribute(v)}" for k, v in attributes.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OAI-PMH xmlns="{OAI_NAMESPACE}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{OAI_NAMESPACE} {OAI_SCHEMA}">'
        f"<responseDate>{moment}</responseDate>"
        f"<request{request}>{xml_text(repository.base_url)}</request>"
        f"{body}</OAI-PMH>\n"
    )


def _arguments(pairs: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    verbs = [v for k, v in pairs if k == "verb"]
    if len(verbs) != 1:
        raise OaiError("badVerb", "verb is missing" if not verbs else "verb is repeated")
    verb = verbs[0]
    if verb not in ARGUMENTS:
        raise OaiError("badVerb", f"{verb!r} is not an OAI-PMH verb")
    required, optional = ARGUMENTS[verb]
    args: dict[str, str] = {}
    for key, value in pairs:
        if key == "verb":
            continue
        if key not in required and key not in optional:
            raise OaiError("badArgument", f"{verb} takes no argument {key!r}")
        if key in args:
            raise OaiError("badArgument", f"{key} is repeated")
        args[key] = value
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
    else:
        missing = [k for k in required if k not in args]
        if missing:
            raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}")
    return verb, args


# the verbs --------------------------------------------------------------------------------------
def _identify(repository: Repository, args: dict[str, str], now: str) -> str:
    host = repository.host
    description = ""
    if _REPOSITORY_ID.fullmatch(host):
        scheme = "http://www.openarchives.org/OAI/2.0/oai-identifier"
        description = (
            f'<description><oai-identifier xmlns="{scheme}" '
            f'xsi:schemaLocation="{scheme} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">'
            f"<scheme>oai</scheme><repositoryIdentifier>{xml_text(host)}</repositoryIdentifier>"
            "<delimiter>:</delimiter>"
            f"<sampleIdentifier>{xml_text(repository.identifier('v2q5u5hbh3shf5tp'))}</sampleIdentifier>"
            "</oai-identifier></description>"
        )
    return (
        "<Identify>"
        f"<repositoryName>{xml_text(repository.name)}</repositoryName>"
        f"<baseURL>{xml_text(repository.base_url)}</baseURL>"
        "<protocolVersion>2.0</protocolVersion>"
        f"<adminEmail>{xml_text(repository.email())}</adminEmail>"
        f"<earliestDatestamp>{repository.archive.earliest() or now}</earliestDatestamp>"
        "<deletedRecord>persistent</deletedRecord>"
        f"<granularity>{GRANULARITY}</granularity>"
        f"{description}</Identify>"
    )


def _list_metadata_formats(repository: Repository, args: dict[str, str], now: str) -> str:
    offered = list(FORMATS.values())
    if "identifier" in args:
        record = _record(repository, args["identifier"])
        if record.deleted:
            raise OaiError("noMetadataFormats", "the record is deleted: nothing can be disseminated")
        offered = [f for f in offered if f is not MARCXML or record.has_marcxml]
    formats = "".join(
        f"<metadataFormat><metadataPrefix>{f.prefix}</metadataPrefix><schema>{f.schema}</schema>"
        f"<metadataNamespace>{f.namespace}</metadataNamespace></metadataFormat>"
        for f in offered
    )
    return f"<ListMetadataFormats>{formats}</ListMetadataFormats>"


def _list_sets(repository: Repository, args: dict[str, str], now: str) -> str:
    if "resumptionToken" in args:
        raise OaiError("badResumptionToken", "ListSets is answered whole: it issues no resumption token")
    libraries = repository.archive.libraries()
    if not libraries:
        raise OaiError("noSetHierarchy", "there are no sets: no library has records yet")
    names = (repository.set_names or _library_names(repository))(libraries)
    sets = []
    for key in libraries:
        iri = repository.minter.library(key).value
        sets.append(
            f"<set><setSpec>{set_spec(key)}</setSpec><setName>{xml_text(names.get(key, key))}</setName>"
            f"<setDescription>{oai_dc_xml([('identifier', iri, None)])}</setDescription></set>"
        )
    return f"<ListSets>{''.join(sets)}</ListSets>"


def _get_record(repository: Repository, args: dict[str, str], now: str) -> str:
    fmt = _format(args["metadataPrefix"])
    record = _record(repository, args["identifier"])
    if fmt is MARCXML and not record.deleted and not record.has_marcxml:
        raise OaiError(
            "cannotDisseminateFormat", "this record was loaded before records were kept as MARCXML"
        )
    return f"<GetRecord>{_record_xml(repository, record, fmt)}</GetRecord>"


def _list(repository: Repository, args: dict[str, str], now: str, verb: str) -> str:
    if "resumptionToken" in args:
        cursor = _Cursor.resume(repository, verb, args["resumptionToken"])
    else:
        cursor = _Cursor.begin(repository, verb, args, now)
    fmt = FORMATS[cursor.prefix]
    rows = repository.archive.records(
        start=cursor.start,
        until=cursor.until,
        library=cursor.library,
        marcxml=fmt is MARCXML,
        after=cursor.after,
        limit=repository.page_size + 1,
    )
    if not rows and cursor.after is None:
        raise OaiError("noRecordsMatch", "no record matches these arguments")
    # (a later page can come out empty if its records changed meanwhile, beyond the list's `until`:
    # it then ends the list, rather than an error that would break the harvest)
    page, more = rows[: repository.page_size], len(rows) > repository.page_size
    if verb == "ListRecords":
        items = "".join(_record_xml(repository, record, fmt) for record in page)
    else:
        items = "".join(_header(repository, record) for record in page)
    token = ""
    if more or cursor.after is not None:  # a list in several parts ends with an empty token
        value = cursor.next(page[-1], len(page)).encode(repository) if more else ""
        token = (
            f'<resumptionToken completeListSize="{cursor.total}" cursor="{cursor.count}">'
            f"{xml_text(value)}</resumptionToken>"
        )
    return f"<{verb}>{items}{token}</{verb}>"


VERBS: dict[str, Callable[[Repository, dict[str, str], str], str]] = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "ListIdentifiers": lambda r, a, n: _list(r, a, n, "ListIdentifiers"),
    "ListRecords": lambda r, a, n: _list(r, a, n, "ListRecords"),
    "GetRecord": _get_record,
}


# lists ------------------------------------------------------------------------------------------
@dataclass
class _Cursor:
    """Where a list stands: its arguments (until fixed at its start), the (datestamp, id) of the
    last record sent, how many were sent before this page, and how many the list holds."""

    verb: str
    prefix: str
    set: str | None
    library: str | None
    start: str
    until: str
    after: tuple[str, str] | None
    count: int
    total: int

    @classmethod
    def begin(cls, repository: Repository, verb: str, args: dict[str, str], now: str) -> _Cursor:
        prefix = _format(args["metadataPrefix"]).prefix
        start, until = date_range(args.get("from"), args.get("until"), now)
        spec = args.get("set")
        library: str | None = None
        if spec is not None:
            libraries = repository.archive.libraries()
            if not libraries:
                raise OaiError("noSetHierarchy", "there are no sets: no library has records yet")
            library = next((key for key in libraries if set_spec(key) == spec), None)
            if library is None:
                raise OaiError("noRecordsMatch", f"no set {spec!r}")
        total = repository.archive.count(
            start=start, until=until, library=library, marcxml=prefix == "marcxml"
        )
        return cls(verb, prefix, spec, library, start, until, None, 0, total)

    @classmethod
    def resume(cls, repository: Repository, verb: str, token: str) -> _Cursor:
        try:
            body, check = token.rsplit(".", 1)
            if not _same(_check(repository, body), check):
                raise ValueError("check")
            data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            token_verb, prefix, spec, library, start, until, stamp, last, count, total = data
            if token_verb != verb or prefix not in FORMATS:
                raise ValueError("verb")
            return cls(verb, prefix, spec, library, start, until, (stamp, last), int(count), int(total))
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise OaiError(
                "badResumptionToken", "the resumption token is not one this repository issued"
            ) from None

    def next(self, last: ArchivedRecord, sent: int) -> _Cursor:
        """Where the list stands once this page (of `sent` records, ending with `last`) is sent."""
        after = (last.datestamp, last.id)
        return replace(self, after=after, count=self.count + sent)

    def encode(self, repository: Repository) -> str:
        assert self.after is not None
        data: list[str | int | None] = [
            self.verb,
            self.prefix,
            self.set,
            self.library,
            self.start,
            self.until,
        ]
        data += [*self.after, self.count, self.total]
        body = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{body}.{_check(repository, body)}"


def _check(repository: Repository, body: str) -> str:
    """A check digest of a token's body: a token is one this repository (this base IRI) issued."""
    key = hashlib.blake2b(repository.minter.base.encode(), digest_size=32).digest()
    return hashlib.blake2b(body.encode(), key=key, digest_size=8).hexdigest()


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def date_range(start: str | None, until: str | None, now: str) -> tuple[str, str]:
    """OAI-PMH's `from` and `until` as datestamps to the second (a day runs from 00:00:00 to 23:59:59);
    `until` defaults to now, so the list is what there was when it started."""
    for name, value in (("from", start), ("until", until)):
        if value is not None and not _valid_date(value):
            raise OaiError("badArgument", f"{name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not {value!r}")
    if start is not None and until is not None and len(start) != len(until):
        raise OaiError("badArgument", "from and until must have the same granularity")
    low = (start + "T00:00:00Z" if len(start) == 10 else start) if start else ""
    high = (until + "T23:59:59Z" if len(until) == 10 else until) if until else now
    if start is not None and until is not None and low > high:
        raise OaiError("badArgument", "from is later than until")
    return low, high


def _valid_date(value: str) -> bool:
    try:
        if _DAY.fullmatch(value):
            datetime.strptime(value, "%Y-%m-%d")
        elif _SECOND.fullmatch(value):
            datetime.strptime(value, DATESTAMP)
        else:
            return False
    except ValueError:
        return False
    return True


# records ----------------------------------------------------------------------------------------
def _format(prefix: str) -> MetadataFormat:
    fmt = FORMATS.get(prefix)
    if fmt is None:
        raise OaiError("cannotDisseminateFormat", f"no metadata format {prefix!r}: {', '.join(FORMATS)}")
    return fmt


def _record(repository: Repository, identifier: str) -> ArchivedRecord:
    record_id = repository.record_id(identifier)
    record = repository.archive.get(record_id) if record_id else None
    if record is None:
        raise OaiError("idDoesNotExist", f"no item {identifier!r} in this repository")
    return record


def _header(repository: Repository, record: ArchivedRecord) -> str:
    status = ' status="deleted"' if record.deleted else ""
    spec = f"<setSpec>{set_spec(record.library)}</setSpec>" if record.library else ""
    return (
        f"<header{status}><identifier>{xml_text(repository.identifier(record.id))}</identifier>"
        f"<datestamp>{record.datestamp}</datestamp>{spec}</header>"
    )


def _record_xml(repository: Repository, record: ArchivedRecord, fmt: MetadataFormat) -> str:
    header = _header(repository, record)
    if record.deleted:
        return f"<record>{header}</record>"
    return f"<record>{header}<metadata>{metadata(repository, record.id, fmt)}</metadata></record>"


def metadata(repository: Repository, record_id: str, fmt: MetadataFormat) -> str:
    """A live record in one metadata format, as XML."""
    if fmt is MARCXML:
        return repository.archive.marcxml(record_id) or ""
    triples = record_statements(repository.store, repository.minter, record_id)
    if fmt is RDF:
        return rdf_xml(triples)
    return oai_dc_xml(dublin_core(triples, repository.minter, record_id, repository.licence))


def set_spec(library: str) -> str:
    """A library's setSpec: its key with every character but letters, digits, '.' and '-' as _XX."""
    return re.sub(r"[^A-Za-z0-9.-]", lambda m: "".join(f"_{b:02X}" for b in m.group().encode()), library)


def _library_names(repository: Repository) -> Callable[[list[str]], dict[str, str]]:
    def names(keys: list[str]) -> dict[str, str]:
        nodes = {repository.minter.library(key).value: key for key in keys}
        found = repository.store.labels([NamedNode(iri) for iri in nodes], [SCHEMA.name, RDFS.label], "vi")
        return {nodes[iri]: name for iri, name in found.items()}

    return names
