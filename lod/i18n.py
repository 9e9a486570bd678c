"""Texts a person reads, in Vietnamese first and English too.

One catalogue for the CLI, the web pages and error messages. `t(key, lang, **params)` picks the
language and fills the placeholders; an unknown language falls back to Vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterable

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

MESSAGES: dict[str, dict[str, str]] = {
    # errors
    "error.generic": {"vi": "Lỗi: {message}", "en": "Error: {message}"},
    "error.config": {"vi": "Cấu hình sai: {message}", "en": "Bad configuration: {message}"},
    "error.input": {"vi": "Không đọc được {source}: {message}", "en": "Cannot read {source}: {message}"},
    "error.record": {
        "vi": "{source}: biểu ghi {position}{control}: {message}",
        "en": "{source}: record {position}{control}: {message}",
    },
    "error.not_conformant": {
        "vi": "{source}: dữ liệu không hợp lệ theo SHACL ({count} vi phạm)",
        "en": "{source}: data does not conform to the SHACL shapes ({count} violations)",
    },
    "error.store": {"vi": "Lỗi kho dữ liệu: {message}", "en": "Store error: {message}"},
    "error.not_found": {
        "vi": "Không tìm thấy tài nguyên {iri}",
        "en": "No resource is known at {iri}",
    },
    "error.gone": {"vi": "Tài nguyên {iri} đã bị rút", "en": "Resource {iri} has been withdrawn"},
    "error.not_acceptable": {
        "vi": "Không có định dạng nào khớp với yêu cầu ({requested}). Có sẵn: {offered}",
        "en": "None of the requested formats ({requested}) is offered. Offered: {offered}",
    },
    "error.bad_request": {"vi": "Yêu cầu không hợp lệ: {message}", "en": "Bad request: {message}"},
    "error.query": {"vi": "Truy vấn SPARQL không hợp lệ: {message}", "en": "Invalid SPARQL query: {message}"},
    "error.read_only": {
        "vi": "Điểm truy vấn chỉ cho phép đọc: không nhận lệnh cập nhật SPARQL (SPARQL Update)",
        "en": "This endpoint is read-only: SPARQL Update is not accepted",
    },
    "error.service_disabled": {
        "vi": "Truy vấn liên kết (SERVICE) bị tắt trên điểm truy vấn công cộng",
        "en": "Federated queries (SERVICE) are disabled on the public endpoint",
    },
    "error.too_large": {"vi": "Yêu cầu quá lớn", "en": "The request is too large"},
    "error.body_too_large": {
        "vi": "Nội dung yêu cầu vượt quá giới hạn {limit} byte",
        "en": "The request body is larger than the limit of {limit} bytes",
    },
    "error.unsupported_media_type": {
        "vi": "Không hỗ trợ kiểu nội dung {content_type}. Hỗ trợ: {supported}",
        "en": "Content type {content_type} is not supported. Supported: {supported}",
    },
    "error.internal": {
        "vi": "Lỗi máy chủ. Mã yêu cầu: {request_id}",
        "en": "Internal server error. Request id: {request_id}",
    },
    # SPARQL endpoint limits (lod.querypool, lod.budget, web/sparql.py, _sparql_limits.html)
    "error.query_timeout": {
        "vi": "Truy vấn chạy quá giới hạn {seconds} giây nên đã bị dừng. Hãy thu hẹp điều kiện "
        "hoặc thêm LIMIT.",
        "en": "The query ran past the limit of {seconds} s and was stopped. Make it more selective "
        "or add a LIMIT.",
    },
    "error.endpoint_busy": {
        "vi": "Điểm truy vấn SPARQL đang bận: mọi tiến trình truy vấn đều đang chạy. Hãy thử lại "
        "sau {retry_after} giây.",
        "en": "The SPARQL endpoint is busy: every query process is running a query. Try again in "
        "{retry_after} s.",
    },
    "error.too_many_requests": {
        "vi": "Bạn đã dùng hết thời gian truy vấn được cấp ({budget} giây cho mỗi {window} giây). "
        "Hãy thử lại sau {retry_after} giây.",
        "en": "You have used up your query time ({budget} s per {window} s). Try again in {retry_after} s.",
    },
    "error.query_worker": {
        "vi": "Tiến trình chạy truy vấn đã dừng bất ngờ ({reason}), có thể vì truy vấn dùng quá "
        "nhiều bộ nhớ.",
        "en": "The process running the query ended unexpectedly ({reason}), perhaps because the "
        "query used too much memory.",
    },
    "sparql.limits": {"vi": "Giới hạn của điểm truy vấn", "en": "Limits of this endpoint"},
    "sparql.limits.timeout": {
        "vi": "Mỗi truy vấn được chạy tối đa {seconds} giây; quá thời gian, truy vấn bị dừng (HTTP 503).",
        "en": "Each query may run for {seconds} s; past that it is stopped (HTTP 503).",
    },
    "sparql.limits.in_process": {
        "vi": "Kho dữ liệu nằm trong bộ nhớ nên truy vấn chạy ngay trong tiến trình máy chủ: "
        "không có giới hạn thời gian.",
        "en": "The store is in memory, so queries run inside the server process: there is no time limit.",
    },
    "sparql.limits.rows": {
        "vi": "Tối đa {rows} dòng kết quả (bộ ba với CONSTRUCT và DESCRIBE); phần thừa bị cắt và "
        "phản hồi mang tiêu đề LOD-Results-Truncated. Bảng HTML hiện tối đa {html_rows} dòng.",
        "en": "At most {rows} result rows (triples for CONSTRUCT and DESCRIBE); the rest is cut "
        "and the response carries the header LOD-Results-Truncated. HTML tables show at most "
        "{html_rows} rows.",
    },
    "sparql.limits.budget": {
        "vi": "Mỗi địa chỉ IP được {budget} giây thời gian truy vấn cho mỗi {window} giây; dùng "
        "hết thì nhận HTTP 429 kèm Retry-After.",
        "en": "Each client address gets {budget} s of query time per {window} s; once it is "
        "spent, the answer is HTTP 429 with Retry-After.",
    },
    "sparql.limits.no_budget": {
        "vi": "Không giới hạn tổng thời gian truy vấn của từng địa chỉ IP.",
        "en": "There is no per-client budget of query time.",
    },
    "sparql.limits.federation_off": {
        "vi": "Truy vấn liên kết (SERVICE) bị tắt.",
        "en": "Federated queries (SERVICE) are off.",
    },
    "sparql.limits.federation_on": {
        "vi": "Truy vấn liên kết (SERVICE) được phép: máy chủ này sẽ gọi các điểm truy vấn khác.",
        "en": "Federated queries (SERVICE) are allowed: this server calls the other endpoints.",
    },
    "sparql.truncated": {
        "vi": "Kết quả đã bị cắt: chỉ có {shown} dòng đầu tiên.",
        "en": "The results were cut: only the first {shown} rows are here.",
    },
    "sparql.truncated_triples": {
        "vi": "Kết quả đã bị cắt: chỉ có {shown} bộ ba đầu tiên.",
        "en": "The results were cut: only the first {shown} triples are here.",
    },
    # end of SPARQL endpoint limits
    # record-level problems
    "record.no_control_number": {
        "vi": "thiếu số kiểm soát (001)",
        "en": "no control number (001)",
    },
    "record.not_bibliographic": {
        "vi": "biểu ghi {kind} (đầu biểu/06 = '{code}') chưa được chuyển đổi",
        "en": "{kind} record (leader/06 = '{code}') is not converted yet",
    },
    "record.unreadable": {"vi": "không đọc được: {message}", "en": "unreadable: {message}"},
    "record.invalid": {"vi": "không hợp lệ: {message}", "en": "invalid: {message}"},
    "record.utf8_repaired": {
        "vi": "đầu biểu/09 ghi MARC-8 nhưng dữ liệu là UTF-8; đã đọc theo UTF-8",
        "en": "leader/09 says MARC-8 but the bytes are UTF-8; read as UTF-8",
    },
    "record.utf8_replaced": {
        "vi": "có byte UTF-8 sai; đã thay bằng ký tự U+FFFD",
        "en": "invalid UTF-8 bytes were replaced with U+FFFD",
    },
    "record.legacy_decoded": {
        "vi": "đầu biểu/09 ghi MARC-8 nhưng dữ liệu là bảng mã {encoding}; đã đọc theo {encoding}",
        "en": "leader/09 says MARC-8 but the bytes are {encoding}; read as {encoding}",
    },
    "record.mojibake_repaired": {
        "vi": "đã sửa chữ lỗi phông (byte {encoding} bị đọc nhầm theo Latin-1/cp1252) ở trường {fields}",
        "en": "repaired mojibake ({encoding} bytes once read as Latin-1/cp1252) in field {fields}",
    },
    "record.reader_warning": {"vi": "cảnh báo khi đọc: {message}", "en": "reader warning: {message}"},
    # ingest summary
    "ingest.summary": {
        "vi": "{source}: đọc {read} biểu ghi, nạp {loaded}, không đổi {unchanged}, bỏ qua {skipped}; "
        "hợp lệ {conforming}, cảnh báo {warned}, cách ly {quarantined} ({triples} bộ ba, {seconds:.1f} giây, "
        "{rate:.0f} biểu ghi/giây)",
        "en": "{source}: read {read} records, loaded {loaded}, unchanged {unchanged}, skipped {skipped}; "
        "conforming {conforming}, warnings {warned}, quarantined {quarantined} ({triples} triples, "
        "{seconds:.1f} s, {rate:.0f} records/s)",
    },
    "ingest.total": {
        "vi": "Tổng: đọc {read}, nạp {loaded}, không đổi {unchanged}, bỏ qua {skipped}",
        "en": "Total: read {read}, loaded {loaded}, unchanged {unchanged}, skipped {skipped}",
    },
    "convert.total": {
        "vi": "Tổng: bỏ qua {skipped} biểu ghi không chuyển đổi được",
        "en": "Total: skipped {skipped} records that could not be converted",
    },
    "ingest.total_checked": {
        "vi": "; hợp lệ {conforming}, cảnh báo {warned}, cách ly {quarantined}",
        "en": "; conforming {conforming}, warnings {warned}, quarantined {quarantined}",
    },
    # quarantine (lod.quarantine, lod quarantine, /admin/quarantine)
    "quarantine.where": {
        "vi": "{library}: {source}: biểu ghi {position}{about}",
        "en": "{library}: {source}: record {position}{about}",
    },
    "quarantine.unknown": {
        "vi": "Không có biểu ghi nào trong khu cách ly mang mã “{id}”",
        "en": "No quarantined record has the id “{id}”",
    },
    "quarantine.empty": {"vi": "Khu cách ly trống.", "en": "The quarantine is empty."},
    "quarantine.retry_what": {
        "vi": "Cần nêu mã biểu ghi cách ly (lod quarantine list) hoặc --all",
        "en": "Name quarantined records by id (lod quarantine list) or give --all",
    },
    "quarantine.loaded": {"vi": "{id}: đã nạp: {line}", "en": "{id}: loaded: {line}"},
    "quarantine.still_invalid": {"vi": "{id}: vẫn lỗi: {line}", "en": "{id}: still failing: {line}"},
    "quarantine.retry_summary": {
        "vi": "Thử lại {count} biểu ghi: nạp {loaded}, vẫn cách ly {failed}",
        "en": "Retried {count} records: loaded {loaded}, still quarantined {failed}",
    },
    "quarantine.title": {"vi": "Biểu ghi bị cách ly", "en": "Quarantined records"},
    "quarantine.about": {
        "vi": "Các biểu ghi không đọc được, không chuyển đổi được hoặc không qua kiểm tra SHACL khi nạp: "
        "chúng không có trong dữ liệu công bố. "
        "Sửa biểu ghi (hoặc bộ đọc, bộ chuyển đổi, shapes) rồi chạy “lod quarantine retry”.",
        "en": "Records that could not be read or converted, or failed SHACL validation, when ingested: "
        "they are not in the published data. "
        "Fix the record (or the reader, the converter, the shapes), then run “lod quarantine retry”.",
    },
    "quarantine.col.stage": {"vi": "Giai đoạn lỗi", "en": "Failed at"},
    "quarantine.stage.unreadable": {"vi": "không đọc được", "en": "unreadable"},
    "quarantine.stage.unconvertible": {"vi": "không chuyển đổi được", "en": "unconvertible"},
    "quarantine.stage.validation": {"vi": "kiểm tra SHACL", "en": "SHACL validation"},
    "quarantine.raw": {
        "vi": "Các byte đã lưu, như đã đọc (ký tự điều khiển và byte không phải UTF-8 được viết dạng \\xNN):",
        "en": "The kept bytes, as read (control characters and bytes that are not UTF-8 written as \\xNN):",
    },
    "quarantine.count": {"vi": "{count} biểu ghi", "en": "{count} records"},
    "quarantine.col.id": {"vi": "Mã", "en": "Id"},
    "quarantine.col.time": {"vi": "Thời gian (UTC)", "en": "Time (UTC)"},
    "quarantine.col.library": {"vi": "Thư viện", "en": "Library"},
    "quarantine.col.source": {"vi": "Tệp, biểu ghi số", "en": "File, record number"},
    "quarantine.col.control": {"vi": "Số 001", "en": "001"},
    "quarantine.col.title": {"vi": "Nhan đề", "en": "Title"},
    "quarantine.col.problem": {"vi": "Lỗi", "en": "Problem"},
    "quarantine.col.severity": {"vi": "Mức", "en": "Severity"},
    "quarantine.col.field": {"vi": "Trường MARC", "en": "MARC field"},
    "quarantine.col.focus": {"vi": "Nút", "en": "Focus node"},
    "quarantine.col.path": {"vi": "Thuộc tính", "en": "Property"},
    "quarantine.col.value": {"vi": "Giá trị", "en": "Value"},
    "quarantine.report": {"vi": "Báo cáo kiểm tra", "en": "Validation report"},
    "quarantine.marc": {"vi": "Biểu ghi (MARC dạng gợi nhớ)", "en": "The record (MARC mnemonic form)"},
    "quarantine.unreadable": {
        "vi": "Không đọc lại được biểu ghi đã lưu.",
        "en": "The kept record cannot be read again.",
    },
    "quarantine.retry_hint": {
        "vi": "Thử lại sau khi sửa: lod quarantine retry {id}",
        "en": "Retry once fixed: lod quarantine retry {id}",
    },
    "quarantine.back": {"vi": "Về danh sách cách ly", "en": "Back to the quarantine"},
    "quarantine.severity.violation": {"vi": "vi phạm", "en": "violation"},
    "quarantine.severity.warning": {"vi": "cảnh báo", "en": "warning"},
    "quarantine.severity.info": {"vi": "thông tin", "en": "info"},
    "ingest.store_not_empty": {
        "vi": "Kho đã có dữ liệu ({triples} bộ ba); không nạp lại dữ liệu mẫu",
        "en": "The store already holds data ({triples} triples); sample not loaded again",
    },
    "progress": {"vi": "{count} biểu ghi, {rate:.0f}/giây", "en": "{count} records, {rate:.0f}/s"},
    "ingest.withdrawn_missing": {
        "vi": "Gửi lại toàn bộ: rút {count} biểu ghi không còn trong các tệp "
        "(để lại bia mộ, IRI trả lời 410)",
        "en": "Full re-send: withdrew {count} records missing from the files "
        "(tombstones kept, IRIs answer 410)",
    },
    "cluster.summary_partial": {
        "vi": "Mục lục liên hợp, phần liên quan đến các thay đổi: {records} biểu ghi, {clusters} ấn phẩm "
        "liên hợp, {merged} gộp từ nhiều biểu ghi ({written} ghi mới hoặc ghi lại, {removed} bỏ, "
        "{kept} giữ nguyên)",
        "en": "Union catalogue, the part the changes touch: {records} records, {clusters} union instances, "
        "{merged} merged from several ({written} written or rewritten, {removed} removed, {kept} unchanged)",
    },
    "cluster.summary": {
        "vi": "Mục lục liên hợp: {records} biểu ghi, {clusters} ấn phẩm liên hợp, "
        "{merged} gộp từ nhiều biểu ghi ({written} ghi mới hoặc ghi lại, {removed} bỏ, {kept} giữ nguyên)",
        "en": "Union catalogue: {records} records, {clusters} union instances, {merged} merged from several "
        "({written} written or rewritten, {removed} removed, {kept} unchanged)",
    },
    "index.summary": {
        "vi": "Chỉ mục tìm kiếm {path}: {indexed} biểu ghi được lập chỉ mục "
        "({from_ingest} từ lần nạp này, {from_store} đọc lại từ kho), {removed} bỏ, "
        "{entries} mục ghi lại; tổng {total} mục, {seconds:.1f} giây",
        "en": "Search index {path}: {indexed} records indexed ({from_ingest} from this ingest, "
        "{from_store} read back from the store), {removed} removed, {entries} entries rewritten; "
        "{total} entries in all, {seconds:.1f} s",
    },
    "archive.summary": {
        "vi": "Kho biểu ghi (OAI-PMH, nguồn thay đổi) {path}: {created} mới, {updated} sửa, {deleted} rút, "
        "{same_content} chỉ đổi mã băm nguồn ({from_store} đọc từ kho, không có MARCXML); "
        "tổng {total} biểu ghi, {withdrawn} đã rút, {seconds:.1f} giây",
        "en": "Record archive (OAI-PMH, change feed) {path}: {created} new, {updated} changed, "
        "{deleted} withdrawn, {same_content} with only a new source digest ({from_store} read from the "
        "store, without MARCXML); {total} records in all, {withdrawn} withdrawn, {seconds:.1f} s",
    },
    "harvest.title": {"vi": "Thu thập dữ liệu", "en": "Harvesting"},
    "harvest.about": {
        "vi": "Các hệ thống thu thập (như Hệ tri thức Việt số hóa) lấy biểu ghi qua OAI-PMH 2.0 "
        "(Dublin Core, MARCXML, RDF; mỗi thư viện một tập; biểu ghi đã rút được giữ lại) và theo "
        "dõi thay đổi qua nguồn ActivityStreams 2.0.",
        "en": "Harvesters (such as Hệ tri thức Việt số hóa) take the records over OAI-PMH 2.0 "
        "(Dublin Core, MARCXML, RDF; a set per library; withdrawn records kept as deleted) and "
        "follow what changed in an ActivityStreams 2.0 feed.",
    },
    "harvest.oai": {"vi": "OAI-PMH: mô tả kho (Identify)", "en": "OAI-PMH: the repository (Identify)"},
    "harvest.changes": {
        "vi": "Nguồn thay đổi (tạo, sửa, rút)",
        "en": "Change feed (created, changed, withdrawn)",
    },
    "ingest.full_skipped": {
        "vi": "Gửi lại toàn bộ: có tệp không đọc được nên không rút biểu ghi nào",
        "en": "Full re-send: a file could not be read, so no record was withdrawn",
    },
    # bulk dumps (lod dump, lod.dumps, web/dumps.py, dumps.html)
    "dump.dataset": {
        "vi": "{dataset}: {graphs} đồ thị, {triples} bộ ba, {files} tệp, {size}",
        "en": "{dataset}: {graphs} graphs, {triples} triples, {files} files, {size}",
    },
    "dump.summary": {
        "vi": "Bản sao toàn bộ dữ liệu {folder}: {files} tệp, {triples} bộ ba, {size}, {seconds:.1f} giây",
        "en": "Dump {folder}: {files} files, {triples} triples, {size}, {seconds:.1f} s",
    },
    "dump.no_symlink": {
        "vi": "Hệ thống tệp không cho tạo liên kết tượng trưng: không có {link}; trang /dumps và các "
        "đường dẫn /dumps/latest/… vẫn trỏ tới bản mới nhất",
        "en": "The filesystem does not allow symbolic links: no {link}; the /dumps page and the "
        "/dumps/latest/… URLs still lead to the newest dump",
    },
    "dump.unassigned": {
        "vi": "{count} đồ thị biểu ghi không ghi thư viện gửi (bf:assigner): chúng chỉ có trong bản "
        "N-Quads toàn bộ",
        "en": "{count} record graphs name no sending library (bf:assigner): they are in the whole "
        "N-Quads dump only",
    },
    "dump.removed": {"vi": "Đã xoá các bản cũ: {days}", "en": "Removed earlier dumps: {days}"},
    "dump.failed": {
        "vi": "Không ghi được bản sao vào {folder}: {message}",
        "en": "Could not write the dump into {folder}: {message}",
    },
    "dump.busy": {
        "vi": "Một lần sao khác đang ghi vào {folder}; hãy chờ nó xong",
        "en": "Another dump is being written into {folder}; wait for it to finish",
    },
    # lod optimize
    "optimize.done": {
        "vi": "Đã tối ưu kho {store} trong {seconds:.1f} giây",
        "en": "Optimized the store {store} in {seconds:.1f} s",
    },
    "optimize.nothing": {
        "vi": "Kho {store} không cần tối ưu (kho trong bộ nhớ, hoặc máy chủ SPARQL tự quản lý tệp của nó)",
        "en": "Nothing to optimize in {store} (an in-memory store, or a SPARQL server that manages its "
        "own files)",
    },
    # backup and restore (lod backup, lod restore, lod.backup)
    "backup.summary": {
        "vi": "Đã sao lưu vào {folder}: {quads} bộ ba trong {graphs} đồ thị, {parts}; {files} tệp, "
        "{size}, {seconds:.1f} giây",
        "en": "Backed up into {folder}: {quads} statements in {graphs} graphs, {parts}; {files} files, "
        "{size}, {seconds:.1f} s",
    },
    "backup.memory": {
        "vi": "Kho trong bộ nhớ (:memory:) không sao lưu hay khôi phục được",
        "en": "An in-memory store (:memory:) cannot be backed up or restored",
    },
    "backup.no_store": {
        "vi": "Không có kho dữ liệu tại {store}",
        "en": "There is no store at {store}",
    },
    "backup.store_busy": {
        "vi": "Một tiến trình khác (pid {pid}, có lẽ lệnh nạp) đang ghi vào kho {store}; hãy chờ nó xong",
        "en": "Another process (pid {pid}, an ingest?) is writing the store {store}; wait for it to finish",
    },
    "backup.failed": {
        "vi": "Không sao lưu được vào {folder}: {message}",
        "en": "Could not write the backup into {folder}: {message}",
    },
    "restore.summary": {
        "vi": "Đã khôi phục từ {folder} (sao lưu lúc {created}): {quads} bộ ba trong {graphs} đồ thị, "
        "{parts}; {seconds:.1f} giây. Hãy khởi động lại lod serve.",
        "en": "Restored from {folder} (backed up {created}): {quads} statements in {graphs} graphs, "
        "{parts}; {seconds:.1f} s. Restart lod serve.",
    },
    "restore.no_backup": {
        "vi": "Không có bản sao lưu nào trong {folder}",
        "en": "No backup in {folder}",
    },
    "restore.damaged": {
        "vi": "Bản sao lưu bị hỏng, không khôi phục: {file}: {message}",
        "en": "The backup is damaged, nothing restored: {file}: {message}",
    },
    "restore.not_empty": {
        "vi": "{store} đã có dữ liệu: không ghi đè (thêm --force để thay bằng bản sao lưu)",
        "en": "{store} already holds data: not overwritten (add --force to replace it by the backup)",
    },
    "restore.backend": {
        "vi": "Bản sao lưu của kho loại {backend} không khôi phục được vào kho {store}",
        "en": "A backup of a {backend} store cannot be restored into the store {store}",
    },
    "restore.base_iri": {
        "vi": "IRI gốc của bản sao lưu ({backup}) khác IRI gốc đang cấu hình ({configured})",
        "en": "The backup's base IRI ({backup}) is not the configured one ({configured})",
    },
    "restore.failed": {
        "vi": "Không khôi phục được vào {store}: {message}",
        "en": "Could not restore into {store}: {message}",
    },
    "restore.mismatch": {
        "vi": "Kho sau khi khôi phục không khớp bản sao lưu: cần {expected}, có {found}",
        "en": "The restored store does not match the backup: expected {expected}, found {found}",
    },
    "dumps.title": {"vi": "Bản sao toàn bộ dữ liệu", "en": "Data dumps"},
    "dumps.about": {
        "vi": "Toàn bộ dữ liệu để tải về, cập nhật theo ngày: cả kho ở dạng N-Quads (giữ các đồ thị "
        "có tên; nạp tất cả các phần vào một kho trống là có lại đúng kho này), và từng bộ dữ liệu "
        "(danh mục thư viện và dữ liệu tham chiếu, thực thể dùng chung, mục lục liên hợp, biểu ghi "
        "của từng thư viện) ở dạng N-Triples, Turtle và JSON-LD. Mỗi tệp được nén gzip và chia "
        "thành các phần có giới hạn số bộ ba; biểu ghi không bao giờ bị cắt đôi.",
        "en": "All the data to download, refreshed by day: the whole store as N-Quads (named graphs "
        "kept: loading every part into an empty store gives this store back), and each dataset (the "
        "library registry and reference data, shared entities, the union catalogue, each library's "
        "records) as N-Triples, Turtle and JSON-LD. Every file is gzipped and split into parts of a "
        "bounded number of triples; a record is never cut in two.",
    },
    "dumps.none": {
        "vi": "Chưa có bản sao nào. Người quản trị tạo bản sao bằng lệnh “lod dump” (ghi vào thư mục "
        "của thiết lập dumps, mặc định var/dumps), chẳng hạn mỗi đêm sau lần nạp dữ liệu.",
        "en": "There is no dump yet. An administrator makes one with the command “lod dump” (written "
        "into the folder of the dumps setting, var/dumps by default), e.g. nightly after the ingest.",
    },
    "dumps.date": {"vi": "Ngày", "en": "Date"},
    "dumps.created": {"vi": "Tạo lúc (UTC)", "en": "Created (UTC)"},
    "dumps.licence": {"vi": "Giấy phép", "en": "Licence"},
    "dumps.total": {"vi": "Tổng cộng", "en": "In all"},
    "dumps.total_value": {
        "vi": "{triples} bộ ba trong {files} tệp, {size}",
        "en": "{triples} triples in {files} files, {size}",
    },
    "dumps.checksums": {"vi": "Tổng kiểm SHA-256 (SHA256SUMS)", "en": "SHA-256 checksums (SHA256SUMS)"},
    "dumps.checksums_hint": {"vi": "kiểm tra sau khi tải:", "en": "check after downloading:"},
    "dumps.manifest": {
        "vi": "Mô tả các tệp (manifest.json)",
        "en": "Description of the files (manifest.json)",
    },
    "dumps.latest_link": {
        "vi": "Đường dẫn ổn định tới bản mới nhất (latest thay cho ngày):",
        "en": "Stable link to the newest dump (latest instead of the date):",
    },
    "dumps.dataset_counts": {
        "vi": "{graphs} đồ thị, {triples} bộ ba",
        "en": "{graphs} graphs, {triples} triples",
    },
    "dumps.file_meta": {
        "vi": "{format}, nén gzip · {size} · {triples} bộ ba",
        "en": "{format}, gzipped · {size} · {triples} triples",
    },
    "dumps.part": {"vi": "phần {part}", "en": "part {part}"},
    "dumps.unassigned": {
        "vi": "{count} biểu ghi không ghi thư viện gửi chỉ có trong bản N-Quads toàn bộ.",
        "en": "{count} records that name no sending library are in the whole N-Quads dump only.",
    },
    "dumps.earlier": {"vi": "Các bản trước", "en": "Earlier dumps"},
    "dumps.unknown_file": {
        "vi": "Không có tệp {name} trong bản sao {date}",
        "en": "There is no file {name} in the dump of {date}",
    },
    "dumps.nav": {"vi": "Tải dữ liệu", "en": "Downloads"},
    "dumps.dataset.all": {"vi": "Toàn bộ kho (N-Quads)", "en": "The whole store (N-Quads)"},
    "dumps.dataset.registry": {
        "vi": "Danh mục thư viện và dữ liệu tham chiếu",
        "en": "Library registry and reference data",
    },
    "dumps.dataset.shared": {
        "vi": "Thực thể dùng chung (tác giả, chủ đề, địa danh, tùng thư)",
        "en": "Shared entities (agents, topics, places, series)",
    },
    "dumps.dataset.union": {"vi": "Mục lục liên hợp", "en": "Union catalogue"},
    "dumps.dataset.library": {"vi": "Biểu ghi của {library}", "en": "Records of {library}"},
    "dumps.dataset.tombstones": {
        "vi": "Biểu ghi đã rút (bia mộ)",
        "en": "Withdrawn records (tombstones)",
    },
    # dataset descriptions: VoID, DCAT, CKAN, sitemap (lod.dataset, lod.dcat, lod.ckan, web/dataset.py)
    "dataset.catalog.title": {
        "vi": "Danh mục dữ liệu mở thư viện Việt Nam",
        "en": "Vietnam Library Open Data catalogue",
    },
    "dataset.catalog.description": {
        "vi": "Các bộ dữ liệu của nền tảng dữ liệu mở thư viện Việt Nam: mục lục liên hợp, danh mục thư "
        "viện, thực thể dùng chung và biểu ghi của từng thư viện, với bản sao toàn bộ để tải về và điểm "
        "truy vấn SPARQL.",
        "en": "The datasets of the Vietnam Library Open Data platform: the union catalogue, the library "
        "registry, the shared entities and each library's records, with bulk dumps to download and a "
        "SPARQL endpoint.",
    },
    "dataset.description.union": {
        "vi": "Mục lục liên hợp: các biểu ghi của nhiều thư viện mô tả cùng một ấn phẩm được gom thành một "
        "mục (theo ISBN, ISSN, LCCN, số OCLC, hoặc nhan đề, tác giả, năm và nhà xuất bản), kèm các thư "
        "viện có tài liệu.",
        "en": "The union catalogue: the records of several libraries that describe one manifestation "
        "gathered into one entry (by ISBN, ISSN, LCCN, OCLC number, or title, author, year and "
        "publisher), with the libraries that hold it.",
    },
    "dataset.description.registry": {
        "vi": "Danh mục thư viện: mỗi thư viện với các định danh (ISIL, mã định danh điện tử, Wikidata), "
        "loại hình, địa chỉ theo đơn vị hành chính 2025 và dịch vụ; cùng dữ liệu tham chiếu (đơn vị hành "
        "chính, khái niệm, số liệu).",
        "en": "The library registry: each library with its identifiers (ISIL, e-government code, "
        "Wikidata), type, address in the 2025 administrative units and services; and the reference data "
        "(administrative units, concepts, figures).",
    },
    "dataset.description.shared": {
        "vi": "Tác giả, chủ đề, địa danh và tùng thư mà các biểu ghi dùng chung, mỗi thực thể một IRI.",
        "en": "The agents, topics, places and series the records share, one IRI each.",
    },
    "dataset.description.library": {
        "vi": "Biểu ghi thư mục (BIBFRAME 2 và schema.org, chuyển từ MARC 21) mà {library} gửi vào mục lục "
        "liên hợp: {records} biểu ghi, {items} bản.",
        "en": "The bibliographic records (BIBFRAME 2 and schema.org, converted from MARC 21) that "
        "{library} sent to the union catalogue: {records} records, {items} items.",
    },
    "dataset.description.tombstones": {
        "vi": "Tác phẩm, ấn phẩm và bản của các biểu ghi đã bị rút, với thời điểm rút, để các bên thu "
        "thập xoá chúng.",
        "en": "The works, instances and items of withdrawn records, with when they were withdrawn, so "
        "that harvesters remove them.",
    },
    "dataset.keywords": {
        "vi": "thư viện;mục lục thư viện;dữ liệu liên kết mở;BIBFRAME;schema.org;MARC 21",
        "en": "libraries;library catalogue;linked open data;BIBFRAME;schema.org;MARC 21",
    },
    "dataset.keywords.all": {"vi": "mục lục liên hợp", "en": "union catalogue"},
    "dataset.keywords.union": {"vi": "mục lục liên hợp", "en": "union catalogue"},
    "dataset.keywords.registry": {"vi": "danh mục thư viện;ISIL", "en": "library registry;ISIL"},
    "dataset.keywords.shared": {"vi": "tác giả;chủ đề", "en": "authors;subjects"},
    "dataset.keywords.library": {"vi": "biểu ghi thư mục", "en": "bibliographic records"},
    "dataset.keywords.tombstones": {"vi": "biểu ghi đã rút", "en": "withdrawn records"},
    "dataset.distribution": {"vi": "{format}, nén gzip", "en": "{format}, gzipped"},
    "dataset.distribution_part": {
        "vi": "{format}, phần {part}, nén gzip",
        "en": "{format}, part {part}, gzipped",
    },
    "dataset.sparql": {"vi": "Điểm truy vấn SPARQL", "en": "SPARQL endpoint"},
    "dataset.sparql_description": {
        "vi": "Truy vấn toàn bộ dữ liệu bằng SPARQL 1.1 (chỉ đọc; kết quả trả về dạng JSON, XML, CSV, "
        "TSV, Turtle, N-Triples, JSON-LD, RDF/XML)",
        "en": "Query all the data with SPARQL 1.1 (read-only; results as JSON, XML, CSV, TSV, Turtle, "
        "N-Triples, JSON-LD, RDF/XML)",
    },
    "dataset.vietnam": {"vi": "Việt Nam", "en": "Vietnam"},
    "dataset.theme": {"vi": "Giáo dục, văn hoá và thể thao", "en": "Education, culture and sport"},
    "opendata.title": {"vi": "Dữ liệu mở", "en": "Open data"},
    "opendata.nav": {"vi": "Dữ liệu mở", "en": "Open data"},
    "opendata.about": {
        "vi": "Mô tả bộ dữ liệu cho máy đọc: VoID (số liệu, liên kết tới bộ dữ liệu khác, điểm truy vấn, "
        "bản sao) và danh mục DCAT (các bộ dữ liệu, phân phối, giấy phép, đơn vị xuất bản, liên hệ, phạm "
        "vi địa lý) ở mọi định dạng RDF; API tương thích CKAN để cổng dữ liệu quốc gia thu thập; sơ đồ "
        "trang cho máy tìm kiếm.",
        "en": "The dataset described for machines: VoID (figures, links to other datasets, endpoint, "
        "dumps) and a DCAT catalogue (datasets, distributions, licence, publisher, contact, spatial "
        "coverage) in every RDF format; a CKAN-compatible API for the national data portal to harvest; a "
        "sitemap for search engines.",
    },
    "opendata.documents": {"vi": "Mô tả bộ dữ liệu", "en": "Dataset descriptions"},
    "opendata.void": {"vi": "Mô tả VoID", "en": "VoID description"},
    "opendata.dcat": {"vi": "Danh mục DCAT", "en": "DCAT catalogue"},
    "opendata.ckan": {
        "vi": "API CKAN (package_search, package_show)",
        "en": "CKAN API (package_search, package_show)",
    },
    "opendata.sitemap": {"vi": "Sơ đồ trang (sitemap.xml)", "en": "Sitemap (sitemap.xml)"},
    "opendata.datasets": {"vi": "Các bộ dữ liệu", "en": "Datasets"},
    "opendata.figures": {"vi": "Số liệu", "en": "Figures"},
    "opendata.entities": {"vi": "Thực thể", "en": "Entities"},
    "opendata.classes": {"vi": "Lớp", "en": "Classes"},
    "opendata.properties": {"vi": "Thuộc tính", "en": "Properties"},
    "opendata.links": {"vi": "Liên kết tới bộ dữ liệu khác", "en": "Links to other datasets"},
    "opendata.link_property": {"vi": "Thuộc tính", "en": "Property"},
    "opendata.link_target": {"vi": "Bộ dữ liệu đích", "en": "Target dataset"},
    "opendata.link_count": {"vi": "Số liên kết", "en": "Links"},
    "opendata.publisher": {"vi": "Đơn vị xuất bản", "en": "Publisher"},
    "opendata.contact": {"vi": "Liên hệ", "en": "Contact"},
    "opendata.modified": {"vi": "Cập nhật", "en": "Modified"},
    "opendata.spatial": {"vi": "Phạm vi địa lý", "en": "Spatial coverage"},
    "opendata.distributions": {"vi": "Phân phối", "en": "Distributions"},
    "opendata.no_dump": {
        "vi": "Chưa có bản sao để tải; dữ liệu truy vấn được qua SPARQL.",
        "en": "No dump to download yet; the data can be queried with SPARQL.",
    },
    "opendata.home": {
        "vi": "Mô tả bộ dữ liệu (VoID), danh mục DCAT, bản sao toàn bộ, điểm truy vấn SPARQL và API CKAN "
        "cho cổng dữ liệu quốc gia.",
        "en": "The dataset's description (VoID), its DCAT catalogue, bulk dumps, the SPARQL endpoint and a "
        "CKAN API for the national data portal.",
    },
    "ckan.not_found": {"vi": "Không tìm thấy", "en": "Not found"},
    "ckan.missing": {"vi": "Thiếu giá trị", "en": "Missing value"},
    "ckan.bad_number": {"vi": "Phải là số nguyên không âm", "en": "Must be a non-negative integer"},
    "ckan.unknown_action": {
        "vi": "Yêu cầu sai - Không có thao tác tên {name}",
        "en": "Bad request - Action name not known: {name}",
    },
    "ckan.bad_query": {
        "vi": "Truy vấn tìm kiếm không hợp lệ: {message}",
        "en": "Search Query is invalid: {message}",
    },
    # library registry (lod ingest registry)
    "registry.row": {
        "vi": "{source}: dòng {row}{ident}: {message}",
        "en": "{source}: row {row}{ident}: {message}",
    },
    "registry.summary": {
        "vi": "{source}: đọc {read} dòng, nạp {loaded} thư viện, bỏ qua {skipped}, ghi chú {notes}",
        "en": "{source}: read {read} rows, loaded {loaded} libraries, skipped {skipped}, notes {notes}",
    },
    "registry.missing": {"vi": "thiếu {field}", "en": "{field} is missing"},
    "registry.unknown_columns": {
        "vi": "các cột không thuộc danh mục trường bị bỏ qua: {columns}",
        "en": "columns outside the field set are ignored: {columns}",
    },
    "registry.bad_id": {
        "vi": "id “{value}” không hợp lệ (chữ, số, '.', '_', '-'; tối đa 64 ký tự)",
        "en": "id “{value}” is invalid (letters, digits, '.', '_', '-'; at most 64 characters)",
    },
    "registry.duplicate": {
        "vi": "{field} “{value}” trùng với dòng {first}",
        "en": "{field} “{value}” repeats row {first}",
    },
    "registry.bad_isil": {
        "vi": "ISIL “{value}” không hợp lệ: cần tiền tố quốc gia (VN), dấu gạch nối, tối đa 16 ký tự "
        "A–Z a–z 0–9 / : - (ví dụ VN-HN001)",
        "en": "ISIL “{value}” is invalid: it needs a country prefix (VN), a hyphen and at most 16 "
        "characters A–Z a–z 0–9 / : - (e.g. VN-HN001)",
    },
    "registry.bad_egov": {
        "vi": "mã định danh điện tử “{value}” không hợp lệ (các nhóm chữ in hoa và số cách nhau bởi "
        "dấu chấm, tối đa 35 ký tự, ví dụ 000.00.00.G12)",
        "en": "e-government code “{value}” is invalid (groups of capitals and digits separated by "
        "dots, at most 35 characters, e.g. 000.00.00.G12)",
    },
    "registry.bad_date": {
        "vi": "{field}: ngày “{value}” không hợp lệ (YYYY, YYYY-MM hoặc YYYY-MM-DD, không ở tương lai)",
        "en": "{field}: date “{value}” is invalid (YYYY, YYYY-MM or YYYY-MM-DD, not in the future)",
    },
    "registry.bad_wikidata": {
        "vi": "mã Wikidata “{value}” không hợp lệ (Q và số, ví dụ Q1062440)",
        "en": "Wikidata id “{value}” is invalid (Q and a number, e.g. Q1062440)",
    },
    "registry.unknown_concept": {
        "vi": "{field} “{value}” không có trong danh mục; các mã có: {known}",
        "en": "{field} “{value}” is not a known code; known codes: {known}",
    },
    "registry.unknown_province": {
        "vi": "mã tỉnh “{value}” không thuộc 34 tỉnh, thành phố (2025) hay 63 tỉnh cũ",
        "en": "province code “{value}” is neither one of the 34 of 2025 nor one of the 63 former ones",
    },
    "registry.former_province": {
        "vi": "mã tỉnh cũ {value} ({old}) nay là {new} ({name}) từ 01/07/2025",
        "en": "former province code {value} ({old}) is {new} ({name}) since 1 July 2025",
    },
    "registry.unknown_commune": {
        "vi": "mã xã, phường “{value}” không có trong danh mục 2025",
        "en": "commune code “{value}” is not in the 2025 list",
    },
    "registry.commune_elsewhere": {
        "vi": "xã, phường {value} ({name}) thuộc tỉnh {actual}, không phải {given}",
        "en": "commune {value} ({name}) is in province {actual}, not {given}",
    },
    "registry.coordinates_pair": {
        "vi": "tọa độ cần cả vĩ độ và kinh độ",
        "en": "coordinates need both latitude and longitude",
    },
    "registry.coordinates_number": {
        "vi": "tọa độ “{latitude}, {longitude}” không phải số thập phân (dùng dấu chấm: 21.0245)",
        "en": "coordinates “{latitude}, {longitude}” are not decimal numbers (use a point: 21.0245)",
    },
    "registry.coordinates_outside": {
        "vi": "tọa độ “{latitude}, {longitude}” nằm ngoài Việt Nam{hint}",
        "en": "coordinates “{latitude}, {longitude}” are outside Vietnam{hint}",
    },
    "registry.coordinates_swapped": {
        "vi": " (vĩ độ và kinh độ bị đảo?)",
        "en": " (latitude and longitude swapped?)",
    },
    "registry.bad_value": {
        "vi": "{field} “{value}” không hợp lệ: cần {expected}",
        "en": "{field} “{value}” is invalid: expected {expected}",
    },
    "registry.unknown_parent": {
        "vi": "parent_id “{value}” không phải id của thư viện nào trong tệp",
        "en": "parent_id “{value}” is not the id of any library in the file",
    },
    "registry.broken_encoding": {
        "vi": "dòng không phải UTF-8 hợp lệ (byte 0x{byte:02x} ở vị trí {offset}); hãy lưu tệp ở dạng UTF-8",
        "en": "the row is not valid UTF-8 (byte 0x{byte:02x} at offset {offset}); save the file as UTF-8",
    },
    "registry.repaired": {
        "vi": "{field}: đã sửa lỗi mã hóa {encoding}: “{before}” → “{after}”",
        "en": "{field}: repaired {encoding} mis-encoding: “{before}” → “{after}”",
    },
    "registry.bad_file": {"vi": "không đọc được tệp: {message}", "en": "cannot read the file: {message}"},
    "registry.unregistered_library": {
        "vi": "thư viện “{code}” chưa có trong danh mục thư viện: bản tài liệu vẫn được nạp và đánh dấu "
        "chưa đăng ký",
        "en": "library “{code}” is not in the registry: its holdings are loaded and flagged as unregistered",
    },
    "validate.conforms": {"vi": "{source}: hợp lệ", "en": "{source}: conforms"},
    "validate.summary": {
        "vi": "{source}: {records} biểu ghi, {violations} vi phạm, {warnings} cảnh báo",
        "en": "{source}: {records} records, {violations} violations, {warnings} warnings",
    },
    # coverage report (lod convert --report)
    "coverage.col.tag": {"vi": "Trường", "en": "Tag"},
    "coverage.col.code": {"vi": "Trường con", "en": "Subfield"},
    "coverage.col.values": {"vi": "Giá trị", "en": "Values"},
    "coverage.col.reached": {"vi": "Có trong RDF", "en": "Reached"},
    "coverage.col.percent": {"vi": "%", "en": "%"},
    "coverage.col.note": {"vi": "Ghi chú", "en": "Note"},
    "coverage.structural": {"vi": "cấu trúc, không tính", "en": "structural, not counted"},
    "coverage.out_of_scope": {"vi": "ngoài phạm vi", "en": "out of scope"},
    "coverage.legend": {
        "vi": "Một giá trị có trong RDF khi giá trị đã làm sạch xuất hiện trong một literal hoặc IRI\n"
        "của biểu ghi đã chuyển đổi (mã: là đoạn cuối của một IRI hoặc trọn một literal).\n"
        "Tổng chỉ tính các trường bộ chuyển đổi cần xử lý; dòng 880/TAG chia 880 theo trường liên kết\n"
        "($6) và chỉ được tính một lần, dưới 880. Trường con cấu trúc ($6 liên kết, $8 liên kết và thứ\n"
        "tự trường) không phải nội dung nên không tính vào tỉ lệ.",
        "en": "A value reaches the output when its cleaned text occurs in a literal or IRI of the\n"
        "converted record (codes: as the last segment of an IRI or a whole literal).\n"
        "The total counts only the tags the converter is meant to cover; 880/TAG rows break 880\n"
        "down by linked field ($6) and count once, under 880. Structural subfields ($6 linkage,\n"
        "$8 field link and sequence) are linkage, not content, and are not counted in percentages.",
    },
    "coverage.records": {
        "vi": "Biểu ghi: đọc {read}, đã đo {measured}, bỏ qua {skipped}, đã xoá {deleted}; "
        "tệp không đọc được: {files}",
        "en": "Records: read {read}, measured {measured}, skipped {skipped}, deleted {deleted}; "
        "unreadable files: {files}",
    },
    "coverage.structural_summary": {
        "vi": "Trường con cấu trúc ($6, $8), không tính vào tỉ lệ: {count}",
        "en": "Structural subfields ($6, $8), not counted in the percentage: {count}",
    },
    "coverage.summary": {
        "vi": "Tổng (các trường bộ chuyển đổi cần xử lý): {values} giá trị, {reached} có trong RDF "
        "({percent}%)",
        "en": "Total (tags the converter is meant to cover): {values} values, {reached} reached the "
        "output ({percent}%)",
    },
    "serve.listening": {
        "vi": "Đang phục vụ tại http://{host}:{port}/ (kho: {store})",
        "en": "Serving on http://{host}:{port}/ (store: {store})",
    },
    # the write side: tokens, the ingest API and its jobs (lod.tokens, lod.jobs, lod.web.write)
    "serve.write_single": {
        "vi": "Chế độ ghi (--write): API nạp dữ liệu bật, kho mở để ghi, chạy một tiến trình máy chủ "
        "(kho nhúng chỉ cho phép một tiến trình ghi)",
        "en": "Write mode (--write): the ingest API is on, the store is open for writing, one server "
        "process runs (the embedded store allows one writing process)",
    },
    "error.unauthorized": {
        "vi": "Cần mã truy cập hợp lệ: Authorization: Bearer <mã>",
        "en": "A valid access token is needed: Authorization: Bearer <token>",
    },
    "write.invalid_token": {
        "vi": "Mã truy cập không đúng hoặc đã bị thu hồi",
        "en": "The access token is unknown or has been revoked",
    },
    "write.other_library": {
        "vi": "Mã truy cập này chỉ được ghi dữ liệu của thư viện {granted}, không phải của {library}",
        "en": "This token may only write the records of library {granted}, not those of {library}",
    },
    "write.admin_only": {
        "vi": "Chỉ mã truy cập quản trị mới được ghi sổ đăng ký thư viện",
        "en": "Only an administrator token may write the library registry",
    },
    "write.other_job": {
        "vi": "Công việc {id} không thuộc thư viện của mã truy cập này",
        "en": "Job {id} does not belong to this token's library",
    },
    "write.unknown_job": {"vi": "Không có công việc {id}", "en": "There is no job {id}"},
    "write.bad_library": {
        "vi": "Mã thư viện không hợp lệ: {library}",
        "en": "Not a valid library code: {library}",
    },
    "write.too_large": {
        "vi": "Tệp gửi lên lớn hơn giới hạn {limit} byte: không có gì được ghi",
        "en": "The upload is larger than the limit of {limit} bytes: nothing was written",
    },
    "write.empty": {"vi": "Nội dung gửi lên trống", "en": "The upload is empty"},
    "write.interrupted": {
        "vi": "Công việc bị gián đoạn vì máy chủ dừng giữa chừng; hãy gửi lại (nạp lại không tạo bản trùng)",
        "en": "The job was interrupted by a server stop; send it again (ingesting again makes no duplicates)",
    },
    "write.failed": {"vi": "Công việc thất bại: {message}", "en": "The job failed: {message}"},
    "token.created": {
        "vi": "Mã truy cập {id} của {holder}. Mã chỉ hiện một lần này; hãy lưu lại:",
        "en": "Access token {id} of {holder}. It is shown this once only; keep it:",
    },
    "token.admin": {"vi": "quản trị viên", "en": "the administrator"},
    "token.library": {"vi": "thư viện {library}", "en": "library {library}"},
    "token.revoked": {"vi": "Đã thu hồi {count} mã truy cập: {ids}", "en": "Revoked {count} token(s): {ids}"},
    "token.none": {"vi": "Chưa có mã truy cập nào", "en": "There are no tokens"},
    "token.which": {
        "vi": "Hãy chọn đúng một trong --library ID, --admin{more}",
        "en": "Give exactly one of --library ID, --admin{more}",
    },
    # library registry pages and API (lod.web.registry)
    "library.nav": {"vi": "Thư viện", "en": "Libraries"},
    "library.list_title": {"vi": "Danh mục thư viện", "en": "Library registry"},
    "library.list_about": {
        "vi": "Các thư viện có trong danh mục, với số biểu ghi và bản sao của mỗi thư viện trong mục "
        "lục liên hợp.",
        "en": "The libraries of the registry, with the records and items each has in the union catalogue.",
    },
    "library.all": {"vi": "Tất cả", "en": "All"},
    "library.filter": {"vi": "Lọc", "en": "Filter"},
    "library.count": {"vi": "{count} thư viện", "en": "{count} libraries"},
    "library.none": {"vi": "Không có thư viện nào khớp với bộ lọc.", "en": "No library matches the filter."},
    "library.type": {"vi": "Loại thư viện", "en": "Library type"},
    "library.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "library.ownership": {"vi": "Loại hình", "en": "Ownership"},
    "library.holdings": {
        "vi": "{records} biểu ghi, {items} bản sao trong mục lục liên hợp",
        "en": "{records} records, {items} items in the union catalogue",
    },
    "library.not_registered": {
        "vi": "Thư viện này chưa có trong danh mục thư viện: trang chỉ cho biết những gì các biểu ghi "
        "MARC gửi về nói đến nó.",
        "en": "This library is not in the registry: this page only shows what the MARC records sent "
        "to the union catalogue say about it.",
    },
    "library.name_en": {"vi": "Tên tiếng Anh", "en": "English name"},
    "library.short_name": {"vi": "Tên viết tắt", "en": "Short name"},
    "library.address": {"vi": "Địa chỉ", "en": "Address"},
    "library.map": {"vi": "Xem trên bản đồ (OpenStreetMap)", "en": "Show on a map (OpenStreetMap)"},
    "library.identifiers": {"vi": "Định danh", "en": "Identifiers"},
    "library.id.ISIL": {"vi": "ISIL", "en": "ISIL"},
    "library.id.registry": {"vi": "Mã trong danh mục", "en": "Registry id"},
    "library.id.egov": {"vi": "Mã định danh điện tử", "en": "E-government code"},
    "library.id.Wikidata": {"vi": "Wikidata", "en": "Wikidata"},
    "library.id.code": {"vi": "Mã thư viện", "en": "Library code"},
    "library.valid_from": {"vi": "từ {date}", "en": "from {date}"},
    "library.valid_to": {"vi": "đến {date}", "en": "until {date}"},
    "library.services": {"vi": "Dịch vụ", "en": "Services"},
    "library.website": {"vi": "Trang web", "en": "Website"},
    "library.email": {"vi": "Thư điện tử", "en": "Email"},
    "library.phone": {"vi": "Điện thoại", "en": "Telephone"},
    "library.opening_hours": {"vi": "Giờ mở cửa", "en": "Opening hours"},
    "library.collection_size": {"vi": "Số tài liệu", "en": "Collection size"},
    "library.founded": {"vi": "Thành lập", "en": "Founded"},
    "library.parent": {"vi": "Trực thuộc", "en": "Part of"},
    "library.subs": {"vi": "Đơn vị trực thuộc", "en": "Sub-organisations"},
    "library.catalogue": {"vi": "Mục lục liên hợp", "en": "Union catalogue"},
    "library.bad_type": {
        "vi": "loại thư viện “{value}” không có trong danh mục; các mã có: {known}",
        "en": "library type “{value}” is not a known code; known codes: {known}",
    },
    "library.bad_province": {
        "vi": "mã tỉnh “{value}” không thuộc 34 tỉnh, thành phố (2025) hay 63 tỉnh cũ",
        "en": "province code “{value}” is neither one of the 34 of 2025 nor one of the 63 former ones",
    },
    "library.missing_parameter": {
        "vi": "thiếu tham số {name} (ví dụ {name}={example})",
        "en": "the parameter {name} is missing (e.g. {name}={example})",
    },
    "library.bad_number": {
        "vi": "{name}=“{value}” không phải là số (dùng dấu chấm, ví dụ {name}={example})",
        "en": "{name}=“{value}” is not a number (use a decimal point, e.g. {name}={example})",
    },
    "library.out_of_range": {
        "vi": "{name}={value} nằm ngoài khoảng cho phép {low} đến {high}",
        "en": "{name}={value} is outside the allowed range {low} to {high}",
    },
    "library.unknown_id": {
        "vi": "Không có thư viện nào mang định danh “{value}” (ISIL, mã trong danh mục, mã định danh "
        "điện tử hay mã Wikidata)",
        "en": "No library has the identifier “{value}” (ISIL, registry id, e-government code or Wikidata id)",
    },
    # pages
    "site.name": {"vi": "Dữ liệu mở thư viện Việt Nam", "en": "Vietnam Library Open Data"},
    "site.tagline": {
        "vi": "Mục lục thư viện dưới dạng dữ liệu liên kết mở: BIBFRAME 2 và schema.org",
        "en": "Library catalogues as linked open data: BIBFRAME 2 and schema.org",
    },
    "nav.home": {"vi": "Trang chủ", "en": "Home"},
    "nav.sparql": {"vi": "Truy vấn SPARQL", "en": "SPARQL query"},
    "nav.language": {"vi": "Ngôn ngữ", "en": "Language"},
    "nav.skip": {"vi": "Bỏ qua, đến nội dung chính", "en": "Skip to main content"},
    "home.about": {
        "vi": "Bộ dữ liệu này chuyển biểu ghi MARC 21 của các thư viện thành dữ liệu liên kết: "
        "mỗi tác phẩm, ấn phẩm, bản sao, tác giả và chủ đề có một IRI ổn định, tra được bằng "
        "trình duyệt hoặc máy, và truy vấn được bằng SPARQL.",
        "en": "This dataset turns libraries' MARC 21 records into linked data: every work, "
        "instance, item, agent and subject has a stable IRI that people and machines can "
        "look up, and everything can be queried with SPARQL.",
    },
    "home.counts": {"vi": "Số lượng", "en": "Counts"},
    "home.examples": {"vi": "Ví dụ", "en": "Examples"},
    "home.example_queries": {"vi": "Truy vấn mẫu", "en": "Example queries"},
    "home.licence": {
        "vi": "Dữ liệu thư mục được phát hành theo CC0 1.0.",
        "en": "The bibliographic data is released under CC0 1.0.",
    },
    "count.triples": {"vi": "Bộ ba RDF", "en": "RDF triples"},
    "count.graphs": {"vi": "Đồ thị có tên", "en": "Named graphs"},
    "count.works": {"vi": "Tác phẩm", "en": "Works"},
    "count.instances": {"vi": "Ấn phẩm", "en": "Instances"},
    "count.items": {"vi": "Bản sao", "en": "Items"},
    "count.agents": {"vi": "Tác giả, tổ chức", "en": "Agents"},
    "count.topics": {"vi": "Chủ đề", "en": "Subjects"},
    "count.libraries": {"vi": "Thư viện", "en": "Libraries"},
    "count.union_instances": {"vi": "Ấn phẩm liên hợp", "en": "Union instances"},
    "count.union_works": {"vi": "Tác phẩm liên hợp", "en": "Union works"},
    "entity.type": {"vi": "Loại", "en": "Type"},
    "entity.property": {"vi": "Thuộc tính", "en": "Property"},
    "entity.value": {"vi": "Giá trị", "en": "Value"},
    "entity.statements": {"vi": "Mô tả", "en": "Description"},
    "entity.incoming": {"vi": "Được liên kết từ", "en": "Linked from"},
    "entity.formats": {"vi": "Dữ liệu gốc", "en": "Raw data"},
    "entity.open_sparql": {"vi": "Mở trong SPARQL", "en": "Open in SPARQL"},
    "entity.authors": {"vi": "Tác giả", "en": "Authors"},
    "entity.publication": {"vi": "Xuất bản", "en": "Publication"},
    "entity.subjects": {"vi": "Chủ đề", "en": "Subjects"},
    "entity.held_by": {"vi": "Nơi lưu giữ", "en": "Held by"},
    "sparql.query": {"vi": "Câu truy vấn", "en": "Query"},
    "sparql.run": {"vi": "Chạy truy vấn", "en": "Run query"},
    "sparql.results": {"vi": "Kết quả", "en": "Results"},
    "sparql.format": {"vi": "Định dạng kết quả", "en": "Result format"},
    "sparql.help": {
        "vi": "Điểm truy vấn theo giao thức SPARQL 1.1, chỉ đọc. Đồ thị mặc định là hợp của mọi "
        "đồ thị có tên (mỗi biểu ghi nguồn một đồ thị).",
        "en": "A read-only SPARQL 1.1 Protocol endpoint. The default graph is the union of all "
        "named graphs (one graph per source record).",
    },
    # SPARQL query page: the YASGUI editor (web/static/sparql.js, sparql.html)
    "sparql.editor_keys": {
        "vi": "Ctrl+Enter: chạy truy vấn; Ctrl+Space: gợi ý tiền tố và biến; Tab: rời ô soạn thảo.",
        "en": "Ctrl+Enter runs the query; Ctrl+Space suggests prefixes and variables; Tab leaves the editor.",
    },
    # end of SPARQL query page
    "errorpage.title": {"vi": "Có lỗi", "en": "Something went wrong"},
    "errorpage.back": {"vi": "Về trang chủ", "en": "Back to the home page"},
    "errorpage.request_id": {"vi": "Mã yêu cầu", "en": "Request id"},
    # entity pages by kind (lod.facts, web/templates/entity.html, web/fragments.py)
    "facts.kind.instance": {"vi": "Ấn phẩm", "en": "Instance"},
    "facts.kind.union_instance": {"vi": "Ấn phẩm · mục lục liên hợp", "en": "Instance · union catalogue"},
    "facts.kind.work": {"vi": "Tác phẩm", "en": "Work"},
    "facts.kind.union_work": {"vi": "Tác phẩm · mục lục liên hợp", "en": "Work · union catalogue"},
    "facts.kind.item": {"vi": "Bản sao", "en": "Item"},
    "facts.kind.agent": {"vi": "Tác giả, tổ chức", "en": "Person or organization"},
    "facts.kind.topic": {"vi": "Chủ đề", "en": "Subject"},
    "facts.kind.genre": {"vi": "Thể loại", "en": "Genre or form"},
    "facts.kind.place": {"vi": "Địa danh", "en": "Place"},
    "facts.kind.series": {"vi": "Tùng thư", "en": "Series"},
    "facts.summary_heading": {"vi": "Thông tin chính", "en": "Key facts"},
    "facts.variant_titles": {"vi": "Nhan đề khác", "en": "Other titles"},
    "facts.responsibility": {"vi": "Thông tin trách nhiệm", "en": "Statement of responsibility"},
    "facts.authors": {"vi": "Tác giả", "en": "Authors"},
    "facts.contributors": {"vi": "Người tham gia", "en": "Contributors"},
    "facts.edition": {"vi": "Lần xuất bản", "en": "Edition"},
    "facts.publisher": {"vi": "Nhà xuất bản", "en": "Publisher"},
    "facts.place": {"vi": "Nơi xuất bản", "en": "Place of publication"},
    "facts.year": {"vi": "Năm xuất bản", "en": "Year"},
    "facts.extent": {"vi": "Mô tả vật lý", "en": "Physical description"},
    "facts.series": {"vi": "Tùng thư", "en": "Series"},
    "facts.isbn": {"vi": "ISBN", "en": "ISBN"},
    "facts.issn": {"vi": "ISSN", "en": "ISSN"},
    "facts.language": {"vi": "Ngôn ngữ", "en": "Language"},
    "facts.subjects": {"vi": "Chủ đề", "en": "Subjects"},
    "facts.genres": {"vi": "Thể loại", "en": "Genre, form"},
    "facts.summary": {"vi": "Tóm tắt", "en": "Summary"},
    "facts.classification": {"vi": "Phân loại", "en": "Classification"},
    "facts.contents": {"vi": "Mục lục", "en": "Contents"},
    "facts.notes": {"vi": "Ghi chú", "en": "Notes"},
    "facts.online": {"vi": "Bản điện tử", "en": "Online"},
    "facts.work": {"vi": "Tác phẩm", "en": "Work"},
    "facts.union_entry": {"vi": "Trong mục lục liên hợp", "en": "In the union catalogue"},
    "facts.described_from": {"vi": "Mô tả theo biểu ghi", "en": "Described from the record"},
    "facts.instance": {"vi": "Bản sao của", "en": "Copy of"},
    "facts.library": {"vi": "Thư viện", "en": "Library"},
    "facts.shelf_mark": {"vi": "Ký hiệu xếp giá", "en": "Shelf mark"},
    "facts.barcode": {"vi": "Mã vạch", "en": "Barcode"},
    "facts.location": {"vi": "Kho, vị trí", "en": "Location"},
    "facts.variant_names": {"vi": "Tên khác", "en": "Other names"},
    "facts.dates": {"vi": "Năm sinh – năm mất", "en": "Dates"},
    "facts.identifiers": {"vi": "Định danh", "en": "Identifiers"},
    "facts.same_as": {"vi": "Cùng đối tượng ở nơi khác", "en": "The same elsewhere"},
    "facts.scheme": {"vi": "Bộ từ khóa", "en": "Vocabulary"},
    "facts.components": {"vi": "Thành phần của tiêu đề", "en": "Parts of the heading"},
    "facts.broader": {"vi": "Chủ đề rộng hơn", "en": "Broader"},
    "facts.narrower": {"vi": "Chủ đề hẹp hơn", "en": "Narrower"},
    "facts.related": {"vi": "Chủ đề liên quan", "en": "Related"},
    "facts.section.held_by": {"vi": "Nơi lưu giữ", "en": "Held by"},
    "facts.section.other_editions": {"vi": "Các lần xuất bản khác", "en": "Other editions"},
    "facts.section.editions": {"vi": "Các lần xuất bản", "en": "Editions"},
    "facts.section.members": {
        "vi": "Các biểu ghi thư viện được gộp ở đây",
        "en": "Library records merged here",
    },
    "facts.section.works": {"vi": "Tác phẩm", "en": "Works"},
    "facts.section.about": {"vi": "Tác phẩm viết về chủ đề này", "en": "Works about this"},
    "facts.section.published": {"vi": "Ấn phẩm do đơn vị này xuất bản", "en": "Published by this publisher"},
    "facts.section.published_here": {"vi": "Ấn phẩm xuất bản tại đây", "en": "Published here"},
    "facts.section.in_series": {"vi": "Ấn phẩm trong tùng thư", "en": "In this series"},
    "facts.section.headings": {"vi": "Tiêu đề có thành phần này", "en": "Headings built on this one"},
    "facts.count.items": {"vi": "{count} bản sao", "en": "copies: {count}"},
    "facts.count.libraries": {"vi": "{count} thư viện", "en": "libraries: {count}"},
    "facts.count.records": {"vi": "{count} biểu ghi", "en": "records: {count}"},
    "facts.matched_on": {"vi": "Gộp theo", "en": "Matched on"},
    "facts.item": {"vi": "Bản sao", "en": "Copy"},
    "facts.province_unknown": {"vi": "Chưa rõ tỉnh/thành", "en": "Province unknown"},
    "facts.online_catalogue": {"vi": "Mục lục trực tuyến", "en": "Online catalogue"},
    "facts.reason.description": {
        "vi": "cùng nhan đề, tác giả, năm và nhà xuất bản",
        "en": "the same title, author, year and publisher",
    },
    "facts.reason.override_merge": {"vi": "gộp thủ công", "en": "merged by hand"},
    "facts.reason.override_split": {"vi": "tách thủ công", "en": "split by hand"},
    "facts.range": {"vi": "{first}–{last} trong {total}", "en": "{first}–{last} of {total}"},
    "facts.next": {"vi": "Trang sau", "en": "Next page"},
    "facts.previous": {"vi": "Trang trước", "en": "Previous page"},
    "facts.omitted": {
        "vi": "và {count} giá trị khác (có trong dữ liệu gốc)",
        "en": "and {count} more (in the raw data)",
    },
    "facts.all_data": {"vi": "Toàn bộ dữ liệu", "en": "All statements"},
    "facts.store_order": {
        "vi": "Danh sách dài: mỗi biểu ghi một dòng, theo thứ tự lưu trữ.",
        "en": "A long list: one line per library record, in storage order.",
    },
    "facts.iri": {"vi": "IRI (định danh ổn định)", "en": "IRI (stable identifier)"},
    "facts.bad_offset": {
        "vi": "{name}=“{value}” phải là số nguyên không âm",
        "en": "{name}=“{value}” must be a non-negative whole number",
    },
    "language.vie": {"vi": "Tiếng Việt", "en": "Vietnamese"},
    "language.eng": {"vi": "Tiếng Anh", "en": "English"},
    "language.fre": {"vi": "Tiếng Pháp", "en": "French"},
    "language.ger": {"vi": "Tiếng Đức", "en": "German"},
    "language.rus": {"vi": "Tiếng Nga", "en": "Russian"},
    "language.chi": {"vi": "Tiếng Trung", "en": "Chinese"},
    "language.jpn": {"vi": "Tiếng Nhật", "en": "Japanese"},
    "language.kor": {"vi": "Tiếng Hàn", "en": "Korean"},
    "language.ara": {"vi": "Tiếng Ả Rập", "en": "Arabic"},
    "language.per": {"vi": "Tiếng Ba Tư", "en": "Persian"},
    "language.ota": {"vi": "Tiếng Thổ Nhĩ Kỳ Ottoman", "en": "Ottoman Turkish"},
    "language.spa": {"vi": "Tiếng Tây Ban Nha", "en": "Spanish"},
    "language.ita": {"vi": "Tiếng Ý", "en": "Italian"},
    "language.lat": {"vi": "Tiếng Latinh", "en": "Latin"},
    "language.tha": {"vi": "Tiếng Thái", "en": "Thai"},
    "language.lao": {"vi": "Tiếng Lào", "en": "Lao"},
    "language.khm": {"vi": "Tiếng Khmer", "en": "Khmer"},
    "language.und": {"vi": "Không xác định", "en": "Undetermined"},
    "home.dataset_description": {
        "vi": "Biểu ghi MARC 21 của các thư viện Việt Nam dưới dạng dữ liệu liên kết mở (BIBFRAME 2, "
        "schema.org), với mục lục liên hợp và danh mục thư viện.",
        "en": "Vietnamese libraries' MARC 21 records as linked open data (BIBFRAME 2, schema.org), "
        "with a union catalogue and a library registry.",
    },
    # end of entity pages by kind
    # search and new arrivals (web/search.py, search.html, arrivals.html, static/search.js)
    "nav.search": {"vi": "Tìm kiếm", "en": "Search"},
    "nav.new": {"vi": "Tài liệu mới", "en": "New arrivals"},
    "library.discover": {"vi": "Tài liệu của thư viện", "en": "This library's resources"},
    "library.search_holdings": {"vi": "Tìm trong tài liệu thư viện có", "en": "Search what it holds"},
    "library.new_arrivals": {"vi": "Tài liệu mới của thư viện", "en": "Its new arrivals"},
    "library.new_arrivals_feed": {"vi": "Nguồn tin Atom", "en": "Atom feed"},
    "search.title": {"vi": "Tìm kiếm", "en": "Search"},
    "search.title_for": {"vi": "Tìm “{q}”", "en": "Search for “{q}”"},
    "search.site_form": {"vi": "Tìm trong mục lục liên hợp", "en": "Search the union catalogue"},
    "search.label": {"vi": "Nhan đề, tác giả, chủ đề, ISBN", "en": "Title, author, subject, ISBN"},
    "search.submit": {"vi": "Tìm", "en": "Search"},
    "search.sort": {"vi": "Sắp xếp", "en": "Sort by"},
    "search.sort.relevance": {"vi": "Phù hợp nhất", "en": "Relevance"},
    "search.sort.title": {"vi": "Nhan đề (A–Z)", "en": "Title (A–Z)"},
    "search.sort.year": {"vi": "Năm xuất bản, mới nhất trước", "en": "Year, newest first"},
    "search.sort.year_asc": {"vi": "Năm xuất bản, cũ nhất trước", "en": "Year, oldest first"},
    "search.sort.holdings": {"vi": "Nhiều thư viện có nhất", "en": "Held by most libraries"},
    "search.count": {"vi": "Tìm thấy {count} kết quả", "en": "{count} results"},
    "search.count.one": {"vi": "Tìm thấy 1 kết quả", "en": "1 result"},
    "search.count.more": {"vi": "Tìm thấy hơn {count} kết quả", "en": "More than {count} results"},
    "search.none": {
        "vi": "Không tìm thấy kết quả nào. Hãy thử bớt từ, bỏ bớt bộ lọc hoặc kiểm tra chính tả.",
        "en": "Nothing was found. Try fewer words or fewer filters, or check the spelling.",
    },
    "search.results": {"vi": "Kết quả", "en": "Results"},
    "search.held_by": {"vi": "Có ở {count} thư viện", "en": "Held by {count} libraries"},
    "search.held_by.one": {"vi": "Có ở 1 thư viện", "en": "Held by 1 library"},
    "search.merged": {"vi": "gộp từ {count} biểu ghi", "en": "merged from {count} records"},
    "search.facets": {"vi": "Lọc kết quả", "en": "Narrow the results"},
    "search.to_facets": {"vi": "Đến phần lọc kết quả", "en": "Go to the filters"},
    "search.facet.library": {"vi": "Thư viện", "en": "Library"},
    "search.facet.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "search.facet.type": {"vi": "Loại tài liệu", "en": "Type of resource"},
    "search.facet.language": {"vi": "Ngôn ngữ", "en": "Language"},
    "search.facet.years": {"vi": "Năm xuất bản", "en": "Year published"},
    "search.facet.subject": {"vi": "Chủ đề", "en": "Subject"},
    "search.active": {"vi": "Đang lọc theo", "en": "Filtered by"},
    "search.remove": {"vi": "Bỏ lọc", "en": "Remove filter"},
    "search.clear": {"vi": "Bỏ mọi bộ lọc", "en": "Clear all filters"},
    "search.filter_on": {"vi": "đang lọc", "en": "filter on"},
    "search.sample": {
        "vi": "Truy vấn rất rộng: số đếm ở phần lọc kết quả chỉ tính trên một mẫu gồm các kết quả "
        "phù hợp nhất.",
        "en": "A very broad query: the counts beside the filters are counted over a sample of the "
        "best matches.",
    },
    "search.libraries": {"vi": "Thư viện có tên phù hợp", "en": "Libraries whose names match"},
    "search.pages": {"vi": "Các trang kết quả", "en": "Result pages"},
    "search.page_of": {"vi": "Trang {page}/{pages}", "en": "Page {page} of {pages}"},
    "search.help.title": {"vi": "Cách tìm", "en": "How to search"},
    "search.help.words": {
        "vi": "Gõ các từ: kết quả có đủ mọi từ, theo thứ tự bất kỳ.",
        "en": "Type words: results have every word, in any order.",
    },
    "search.help.phrase": {
        "vi": "Đặt cụm từ trong ngoặc kép để tìm các từ đứng liền nhau, đúng thứ tự.",
        "en": "Put a phrase in double quotes to find the words next to each other, in that order.",
    },
    "search.help.title_field": {
        "vi": "title: (hoặc nhande:) chỉ tìm trong nhan đề.",
        "en": "title: (or nhande:) searches titles only.",
    },
    "search.help.author": {
        "vi": "author: (hoặc tacgia:) tìm theo tác giả, người tham gia.",
        "en": "author: (or tacgia:) searches authors and contributors.",
    },
    "search.help.subject": {
        "vi": "subject: (hoặc chude:) tìm theo chủ đề, thể loại.",
        "en": "subject: (or chude:) searches subjects and genres.",
    },
    "search.help.isbn": {
        "vi": "isbn: tìm theo ISBN, có hay không có dấu gạch nối, 10 hay 13 số.",
        "en": "isbn: finds an ISBN, with or without hyphens, in 10 or 13 digits.",
    },
    "search.help.diacritics": {
        "vi": "Dấu tiếng Việt không bắt buộc: “nguyen du” cũng tìm thấy “Nguyễn Du”; gõ có dấu thì "
        "kết quả đúng dấu được xếp lên trước.",
        "en": "Vietnamese diacritics are optional: “nguyen du” finds “Nguyễn Du” too; typed with its "
        "diacritics, a word's exact matches come first.",
    },
    "search.help.example": {"vi": "Ví dụ", "en": "Example"},
    "search.kind.title": {"vi": "Nhan đề", "en": "Title"},
    "search.kind.agent": {"vi": "Tác giả", "en": "Author"},
    "search.kind.subject": {"vi": "Chủ đề", "en": "Subject"},
    "search.kind.library": {"vi": "Thư viện", "en": "Library"},
    "search.suggestions": {
        "vi": "{count} gợi ý, chọn bằng phím mũi tên lên, xuống",
        "en": "{count} suggestions, choose with the up and down arrow keys",
    },
    "search.no_suggestions": {"vi": "Không có gợi ý", "en": "No suggestions"},
    "search.unavailable": {
        "vi": "Chỉ mục tìm kiếm chưa được xây dựng (lệnh “lod index”); hãy thử lại sau.",
        "en": "The search index has not been built yet (command “lod index”); try again later.",
    },
    "search.bad_sort": {
        "vi": "sort=“{value}” không hợp lệ; các giá trị có: {known}",
        "en": "sort=“{value}” is not a known order; known: {known}",
    },
    "search.bad_number": {
        "vi": "{name}=“{value}” phải là số nguyên dương",
        "en": "{name}=“{value}” must be a positive whole number",
    },
    "search.too_large": {
        "vi": "{name}={value} lớn hơn mức tối đa {most}",
        "en": "{name}={value} is more than the most allowed, {most}",
    },
    "search.too_deep": {
        "vi": "Chỉ xem được {max} kết quả đầu tiên; hãy thu hẹp truy vấn hoặc thêm bộ lọc",
        "en": "Only the first {max} results can be paged through; narrow the query or add filters",
    },
    "search.unknown_library": {
        "vi": "Chỉ mục tìm kiếm không biết thư viện nào có IRI {iri}",
        "en": "The search index knows no library at {iri}",
    },
    "search.type.Text": {"vi": "Văn bản", "en": "Text"},
    "search.type.NotatedMusic": {"vi": "Bản nhạc", "en": "Notated music"},
    "search.type.Cartography": {"vi": "Bản đồ", "en": "Maps"},
    "search.type.Audio": {"vi": "Tài liệu âm thanh", "en": "Audio"},
    "search.type.MusicAudio": {"vi": "Bản ghi âm nhạc", "en": "Music recording"},
    "search.type.NonMusicAudio": {"vi": "Bản ghi âm lời nói", "en": "Spoken or other recording"},
    "search.type.MovingImage": {"vi": "Phim, video", "en": "Film, video"},
    "search.type.StillImage": {"vi": "Tranh ảnh", "en": "Pictures"},
    "search.type.Object": {"vi": "Hiện vật", "en": "Objects"},
    "search.type.MixedMaterial": {"vi": "Tài liệu hỗn hợp", "en": "Mixed materials"},
    "search.type.Multimedia": {"vi": "Đa phương tiện", "en": "Multimedia"},
    "search.type.Dataset": {"vi": "Dữ liệu số", "en": "Datasets"},
    "search.type.Kit": {"vi": "Bộ tài liệu", "en": "Kits"},
    "search.type.Manuscript": {"vi": "Bản viết tay", "en": "Manuscripts"},
    "new.title": {"vi": "Tài liệu mới", "en": "New arrivals"},
    "new.title_library": {"vi": "Tài liệu mới · {library}", "en": "New arrivals · {library}"},
    "new.about": {
        "vi": "Giới thiệu tài nguyên mới: những biểu ghi được biên mục gần đây nhất, mới nhất trước.",
        "en": "The records catalogued most recently, newest first.",
    },
    "new.feed": {"vi": "Theo dõi bằng nguồn tin Atom", "en": "Follow with the Atom feed"},
    "new.all": {"vi": "Tài liệu mới của mọi thư viện", "en": "New arrivals in every library"},
    "new.catalogued": {"vi": "Biên mục ngày {date}", "en": "Catalogued {date}"},
    "new.at": {"vi": "tại {library}", "en": "at {library}"},
    "new.none": {"vi": "Chưa có tài liệu mới.", "en": "Nothing new yet."},
    "new.pages": {"vi": "Các trang tài liệu mới", "en": "Pages of new arrivals"},
    # end of search and new arrivals
    # the reconciliation service (lod/reconcile.py, web/reconcile.py, reconcile_preview.html)
    "reconcile.name": {
        "vi": "Dữ liệu mở thư viện Việt Nam: đối chiếu",
        "en": "Vietnam Library Open Data: reconciliation",
    },
    "reconcile.type.Instance": {"vi": "Ấn phẩm", "en": "Instance (edition)"},
    "reconcile.type.Work": {"vi": "Tác phẩm", "en": "Work"},
    "reconcile.type.Agent": {"vi": "Tác giả (cá nhân, tổ chức)", "en": "Agent (person, organisation)"},
    "reconcile.type.Library": {"vi": "Thư viện", "en": "Library"},
    "reconcile.type.Instance.about": {
        "vi": "Một mục của mục lục liên hợp: một ấn bản, có ở một hay nhiều thư viện",
        "en": "An entry of the union catalogue: one edition, held by one or more libraries",
    },
    "reconcile.type.Work.about": {
        "vi": "Tác phẩm mà các ấn phẩm thể hiện",
        "en": "The work that instances are editions of",
    },
    "reconcile.type.Agent.about": {
        "vi": "Tác giả, người đóng góp, tổ chức, nhà xuất bản",
        "en": "Authors, contributors, organisations, publishers",
    },
    "reconcile.type.Library.about": {
        "vi": "Thư viện trong danh mục thư viện (tìm theo tên hoặc ISIL)",
        "en": "Libraries of the registry (by name or ISIL)",
    },
    "reconcile.property.title": {"vi": "Nhan đề", "en": "Title"},
    "reconcile.property.author": {"vi": "Tác giả", "en": "Author"},
    "reconcile.property.year": {"vi": "Năm xuất bản", "en": "Year published"},
    "reconcile.property.isbn": {"vi": "ISBN", "en": "ISBN"},
    "reconcile.property.publisher": {"vi": "Nhà xuất bản", "en": "Publisher"},
    "reconcile.property.holdings": {"vi": "Số thư viện có", "en": "Holding libraries (number)"},
    "reconcile.property.libraries": {"vi": "Thư viện có", "en": "Holding libraries"},
    "reconcile.property.work": {"vi": "Tác phẩm", "en": "Work"},
    "reconcile.property.instances": {"vi": "Ấn phẩm", "en": "Instances"},
    "reconcile.property.name": {"vi": "Tên", "en": "Name"},
    "reconcile.property.isil": {"vi": "ISIL", "en": "ISIL"},
    "reconcile.property.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "reconcile.property.address": {"vi": "Địa chỉ", "en": "Address"},
    "reconcile.property.website": {"vi": "Trang web", "en": "Website"},
    "reconcile.property.email": {"vi": "Thư điện tử", "en": "Email"},
    "reconcile.property.library_type": {"vi": "Loại thư viện", "en": "Type of library"},
    "reconcile.property.records": {"vi": "Số biểu ghi đã gửi", "en": "Records sent"},
    "reconcile.property.dates": {"vi": "Năm sinh, năm mất", "en": "Dates"},
    "reconcile.property.kind": {"vi": "Loại tác giả", "en": "Kind of agent"},
    "reconcile.property.works": {"vi": "Số tác phẩm", "en": "Works (number)"},
    "reconcile.kind.Person": {"vi": "Cá nhân", "en": "Person"},
    "reconcile.kind.Organization": {"vi": "Tổ chức", "en": "Organisation"},
    "reconcile.kind.Family": {"vi": "Dòng họ", "en": "Family"},
    "reconcile.kind.Meeting": {"vi": "Hội nghị", "en": "Meeting"},
    "reconcile.kind.Jurisdiction": {"vi": "Cơ quan nhà nước", "en": "Jurisdiction"},
    "reconcile.held_by": {"vi": "có ở {count} thư viện", "en": "held by {count} libraries"},
    "reconcile.held_by.one": {"vi": "có ở 1 thư viện", "en": "held by 1 library"},
    "reconcile.works_count": {"vi": "{count} tác phẩm", "en": "{count} works"},
    "reconcile.preview.open": {"vi": "Mở trang đầy đủ", "en": "Open the full page"},
    "reconcile.bad_json": {
        "vi": "Tham số {field} không phải JSON hợp lệ: {message}",
        "en": "The {field} parameter is not valid JSON: {message}",
    },
    "reconcile.missing": {"vi": "Thiếu tham số {field}", "en": "The {field} parameter is missing"},
    "reconcile.not_object": {
        "vi": "{where} phải là một đối tượng JSON",
        "en": "{where} must be a JSON object",
    },
    "reconcile.not_string": {"vi": "{where} phải là một chuỗi", "en": "{where} must be a string"},
    "reconcile.not_list": {"vi": "{where} phải là một mảng", "en": "{where} must be an array"},
    "reconcile.not_positive": {
        "vi": "{where} phải là số nguyên dương (có: {value})",
        "en": "{where} must be a positive whole number (got: {value})",
    },
    "reconcile.not_whole": {
        "vi": "{where} phải là số nguyên không âm (có: {value})",
        "en": "{where} must be a whole number, 0 or more (got: {value})",
    },
    "reconcile.no_query": {
        "vi": "{where} cần có query hoặc properties (hoặc conditions)",
        "en": "{where} needs a query or properties (or conditions)",
    },
    "reconcile.unknown_type": {
        "vi": "{where}: không có loại “{value}”. Các loại: {known}",
        "en": "{where}: there is no type “{value}”. Types: {known}",
    },
    "reconcile.unknown_property": {
        "vi": "{where}: không có thuộc tính “{value}”. Các thuộc tính: {known}",
        "en": "{where}: there is no property “{value}”. Properties: {known}",
    },
    "reconcile.bad_choice": {
        "vi": "{where} phải là một trong: {known} (có: {value})",
        "en": "{where} must be one of: {known} (got: {value})",
    },
    "reconcile.too_many": {
        "vi": "{field} có {count} mục, tối đa {most} mục mỗi yêu cầu: hãy chia nhỏ",
        "en": "{field} has {count} items, at most {most} per request: split it",
    },
    "reconcile.bad_callback": {
        "vi": "Tên hàm callback (JSONP) không hợp lệ",
        "en": "The JSONP callback is not a valid function name",
    },
    "reconcile.unknown_id": {"vi": "Không có thực thể {id}", "en": "There is no entity {id}"},
    # end of the reconciliation service
}


def t(key: str, lang: str | None = None, /, **params: object) -> str:
    """Return the text for `key` in `lang` (Vietnamese when unknown), with placeholders filled."""
    texts = MESSAGES[key]
    text = texts.get(lang or DEFAULT_LANGUAGE) or texts[DEFAULT_LANGUAGE]
    return text.format(**params) if params else text


def pick_language(candidates: Iterable[str | None]) -> str:
    """The first supported language among `candidates` (e.g. ?lang=, cookie, Accept-Language)."""
    for candidate in candidates:
        if candidate:
            code = candidate.strip().lower().split("-")[0]
            if code in LANGUAGES:
                return code
    return DEFAULT_LANGUAGE
