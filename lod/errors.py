"""One error hierarchy, rendered in one place (the CLI's `main`, the web app's error handler).

    LodError                        exit 2   HTTP 500
    ├── ConfigError                 exit 2
    ├── InputError                  exit 2   HTTP 400   a file or body we cannot read
    │   └── RecordError                                 one MARC record we cannot read or convert
    ├── NotConformant               exit 1   HTTP 422   SHACL violations
    ├── StoreError                  exit 2   HTTP 503
    └── HttpError                            raised by the web layer only
        ├── BadRequest                       400
        │   └── QueryError                   400        the SPARQL parser's message
        ├── Unauthorized                     401        no valid token for the write API (WWW-Authenticate)
        ├── Forbidden                        403        e.g. SPARQL Update on a read-only endpoint
        ├── NotFound                         404
        ├── NotAcceptable                    406        lists the offered media types
        ├── Gone                             410
        ├── PayloadTooLarge                  413        more at once than a service takes (reconciliation)
        ├── UnsupportedMediaType             415
        ├── TooManyRequests                  429        a client's SPARQL time budget is spent (Retry-After)
        ├── QueryTimeout                     503        a SPARQL query ran past the time limit: stopped
        └── EndpointBusy                     503        every SPARQL worker is busy (Retry-After)

Each error carries a message key from `lod.i18n` and its parameters, so the same error reads in
Vietnamese or English wherever it is shown.
"""

from __future__ import annotations

from typing import Any

from lod.i18n import t


class LodError(Exception):
    """Base of every error the platform raises on purpose."""

    key = "error.generic"
    exit_code = 2
    status = 500

    def __init__(self, key: str | None = None, /, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.params)


class ConfigError(LodError):
    key = "error.config"


class InputError(LodError):
    key = "error.input"
    status = 400


class RecordError(InputError):
    """A record that cannot be read, converted or loaded; the run goes on with the next one."""

    key = "error.record"

    def __init__(
        self,
        source: str,
        position: int,
        reason_key: str,
        control: str | None = None,
        **reason_params: Any,
    ) -> None:
        self.source = source
        self.position = position
        self.control = control
        self.reason_key = reason_key
        self.reason_params = reason_params
        super().__init__(source=source, position=position)

    def __reduce__(self) -> tuple[Any, ...]:
        # sent back from ingest worker processes (lod.ingest_worker): rebuilt from its own arguments
        return (
            _record_error,
            (self.source, self.position, self.reason_key, self.control, self.reason_params),
        )

    def message(self, lang: str | None = None) -> str:
        control = f" (001 {self.control})" if self.control else ""
        params = {k: _in_language(v, lang) for k, v in self.reason_params.items()}
        reason = t(self.reason_key, lang, **params)
        return t(self.key, lang, source=self.source, position=self.position, control=control, message=reason)


def _record_error(
    source: str, position: int, reason_key: str, control: str | None, reason_params: dict[str, Any]
) -> RecordError:
    return RecordError(source, position, reason_key, control, **reason_params)


def _in_language(value: Any, lang: str | None) -> Any:
    """A parameter may itself be bilingual ({'vi': ..., 'en': ...}), e.g. SHACL messages."""
    if isinstance(value, dict):
        return value.get(lang or "vi") or value.get("en") or next(iter(value.values()), "")
    return value


class NotConformant(LodError):
    key = "error.not_conformant"
    exit_code = 1
    status = 422


class StoreError(LodError):
    key = "error.store"
    status = 503


class HttpError(LodError):
    """Errors that only make sense as an HTTP answer."""

    headers: dict[str, str] = {}


class BadRequest(HttpError):
    key = "error.bad_request"
    status = 400


class QueryError(BadRequest):
    key = "error.query"


class Unauthorized(HttpError):
    """The write API was called without a token, or with one that is unknown or revoked (RFC 6750:
    `WWW-Authenticate: Bearer`, with `error="invalid_token"` when a token was given)."""

    key = "error.unauthorized"
    status = 401

    def __init__(self, key: str | None = None, /, *, invalid: bool = False, **params: Any) -> None:
        super().__init__(key, **params)
        challenge = 'Bearer realm="lod"' + (', error="invalid_token"' if invalid else "")
        self.headers = {"WWW-Authenticate": challenge}


class Forbidden(HttpError):
    key = "error.read_only"
    status = 403


class NotFound(HttpError):
    key = "error.not_found"
    status = 404


class NotAcceptable(HttpError):
    key = "error.not_acceptable"
    status = 406

    def __init__(self, requested: str, offered: list[str]) -> None:
        super().__init__(requested=requested or "-", offered=", ".join(offered))
        self.offered = offered


class Gone(HttpError):
    key = "error.gone"
    status = 410


class PayloadTooLarge(HttpError):
    """A request asks for more work at once than the service takes, e.g. a reconciliation batch
    of more queries than its manifest's `batchSize` (413, as the Reconciliation API says)."""

    key = "error.too_large"
    status = 413


class UnsupportedMediaType(HttpError):
    key = "error.unsupported_media_type"
    status = 415


class TooManyRequests(HttpError):
    """A client has used up its SPARQL query time for now (`lod.budget`); `Retry-After` says when
    it has some again, as the Wikidata Query Service does."""

    key = "error.too_many_requests"
    status = 429

    def __init__(self, retry_after: int, budget: float, window: float) -> None:
        super().__init__(retry_after=retry_after, budget=budget, window=window)
        self.headers = {"Retry-After": str(retry_after)}


class QueryTimeout(HttpError):
    """A SPARQL query ran past the time limit and its worker process was killed.

    503, as Fuseki answers a timeout: the server declined to finish the work, and nothing is wrong
    with the request's syntax (so not a 4xx; 408 would mean the client was slow to send it) nor is
    it a bug (500). There is no Retry-After: the same query would be stopped again."""

    key = "error.query_timeout"
    status = 503


class EndpointBusy(HttpError):
    """Every SPARQL worker process stayed busy for as long as a query may wait for one."""

    key = "error.endpoint_busy"
    status = 503

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}
