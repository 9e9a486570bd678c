"""Search index (issue 9): how long lod.search.sqlite takes to build and to answer, at 100,000 and
1,000,000 records, beside the SPARQL CONTAINS scan it replaces, in one run on the same machine.

    python bench/bench_search.py [--records 100000] [--multiply 10] [--queries 300] [--prefixes 200]
                                 [--contains 30] [--changed 2000] [--seed 1] [--store DIR]
                                 [--keep DIR] [--no-million]

Store: the union store of bench/bench_web.py (bench_union's synthetic records from 5 libraries,
ingested with the sample's registry and clustered; built and cached by bench_web when missing),
opened read-only; or --store.
Builds, each into a fresh index file, timed:
  rebuild   `SqliteIndex.rebuild(store, minter)`: every record graph read back from the store and
            made into a document (lod.search.documents), then written (what `lod index --rebuild`
            runs, and a first sync of records loaded without the index);
  ingest    the same documents as the ingest hands them over: `stage` (in batches of 500, as
            lod.ingest calls it) then `sync(store, minter)`, which takes the staged documents
            instead of reading the records back (it still lists the store's digests and reads
            its union graphs);
  load      `SqliteIndex.load(documents, unions)`: the index's own bulk write alone, from
            documents already in memory as JSON (as the ingest stages them);
  changed   --changed records of the rebuilt index given a new document (another title) staged
            under the store's digest, their indexed digest made stale: one `sync` finds them,
            takes the staged documents and writes their entries again (the store is read-only;
            union graphs are unchanged).
1,000,000 records (--multiply 10; no store of that size fits this disk): the 100,000 documents
each copied 9 more times, deterministic by --seed: titles with Vietnamese words added or put in
place of one of theirs (words of data/sample/vietnamese.xml and a list below), some agents and
subjects Vietnamese, new ISBN-13s (valid check digits), libraries spread over 20 (the registry's
and the synthetic ones), years moved, other cataloguing dates; a copy of a union entry stays one
union entry (a new union Instance) with a probability that makes about half of all copies share
an entry with another record, else each of its records is its own entry. Loaded with `load`
(timed), then --changed of them synced as above against a stand-in store holding only the record
and union digests and the registry.
Queries (--queries, drawn with --seed from the indexed documents of each size): 1-4 words of a
title, an agent or a subject, typed with their diacritics or without (lod.vietnamese.fold); title
and agent words together; fielded (title:, author:, subject:, phrases too); ISBNs with hyphens;
the most common title words alone (broad); words the index does not hold. `index.search(q)` (first
page of 20, with facets) and `index.suggest(prefix)` for --prefixes prefixes of 2-12 characters of
titles and agents, over a read-only connection as the web server opens it; one untimed pass, then
each query once, timed. The search queries once more with no sample (RANK_SAMPLE and FACET_SAMPLE
of lod.search.sqlite out of reach: every match ranked and faceted), for what the samples save.
At 100,000 records --contains queries (plain title words with their diacritics) are also run as
the SPARQL scan over the store:
  SELECT ?i ?l ?q WHERE { ?i a bf:Instance ; rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), ?q)) }
  LIMIT 20
with ?q bound by pyoxigraph's `substitutions` to the lower-cased query (pyoxigraph 0.5 binds only
a projected variable), beside index.search of the same queries.
Results: tables on stdout, JSON in bench/results/search-DATE.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench_convert import cpu_model, version
from bench_union import BASE, ROOT
from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, Store, Variable

import lod.search.sqlite as sqlite_index
from lod.search.documents import RecordDocument, isbn_forms
from lod.search.query import folded_words
from lod.search.sqlite import SqliteIndex
from lod.store import OxigraphStore
from lod.uris import Minter
from lod.vietnamese import fold
from lod.vocab import LODV, RDF

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CONTAINS = """PREFIX bf: <http://id.loc.gov/ontologies/bibframe/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?i ?l ?q WHERE { ?i a bf:Instance ; rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), ?q)) } LIMIT 20"""
STAGE_BATCH = 500
"""Documents per `stage` call: lod.batches.BATCH_SIZE, what the ingest hands over at a time."""

VIETNAMESE_WORDS = """
lịch sử văn học việt nam truyện ngắn tiểu thuyết thơ tuyển tập giáo trình kinh tế xã hội văn hoá
nghiên cứu phát triển giáo dục khoa học công nghệ đất nước con người tuổi thơ quê hương hà nội
sài gòn miền nam miền bắc miền trung chiến tranh hoà bình gia đình tình yêu mùa xuân mùa thu dòng
sông thành phố làng quê nông thôn người lính mẹ cha em bé học sinh sinh viên thầy cô trường học
ngôn ngữ tiếng việt từ điển pháp luật hiến pháp chính trị triết học tâm lý y học sức khoẻ bệnh
nấu ăn ẩm thực du lịch địa lý bản đồ dân tộc phong tục lễ hội âm nhạc hội hoạ kiến trúc nghệ thuật
sân khấu điện ảnh báo chí xuất bản thư viện sách đọc kỹ năng quản lý doanh nghiệp tài chính ngân
hàng thị trường nông nghiệp lúa gạo cà phê biển đảo rừng núi môi trường khí hậu năng lượng điện
máy tính lập trình toán học vật lý hoá học sinh học thiên văn lịch âm dương truyền thuyết cổ tích
ca dao tục ngữ hồi ký nhật ký bút ký phóng sự tuỳ bút chân dung cuộc đời sự nghiệp tư tưởng hồ chí
minh cách mạng kháng chiến thống nhất đổi mới hội nhập quốc tế biên giới hải phòng đà nẵng huế cần
thơ nghệ an thanh hoá đồng bằng sông cửu long tây nguyên bắc bộ nam bộ trẻ em thiếu nhi tuổi trẻ
thanh niên phụ nữ người cao tuổi tôn giáo phật giáo đạo đức nhân sinh hạnh phúc nỗi buồn ánh sáng
bóng tối ngày mai hôm qua mãi mãi bình minh hoàng hôn đêm trăng ngọn lửa giấc mơ hành trình ký ức
""".split()
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh".split()
MIDDLE = "Văn Thị Đức Minh Hữu Ngọc Thanh Quang Xuân Hồng Thu Kim".split()
GIVEN = """An Bình Châu Dũng Giang Hà Hải Hạnh Hoa Hùng Hương Khánh Lan Linh Long Mai Minh Nam Nga
Ngọc Phúc Phương Quân Sơn Tâm Thảo Thành Trang Trung Tuấn Vân Việt Yến Đạt Cường Huệ Thuỷ Tùng""".split()
SUBJECTS = """Văn học Việt Nam|Lịch sử Việt Nam|Kinh tế|Giáo dục|Truyện ngắn|Tiểu thuyết|Thơ Việt Nam|
Văn hoá dân gian|Pháp luật|Y học thường thức|Nông nghiệp|Du lịch|Địa lý|Chiến tranh Việt Nam, 1961-1975|
Thiếu nhi|Tôn giáo|Ẩm thực|Âm nhạc|Khoa học tự nhiên|Tin học""".replace("\n", "").split("|")
NO_HITS = """quokka xylophonist zygomorphic blorptastic nguyeen vietnamm thuvienxyz kwyjibo
qwertyuiop gnarfle 1234567x zzyzx snorgle frabjous wug""".split()


def million_libraries(registry: Sequence[str]) -> list[str]:
    """20 library IRIs: the 5 synthetic ones and 15 of the registry's (or made up when fewer)."""
    demo = [f"{BASE}resource/library/DEMO-LIB-{n:02d}" for n in range(1, 6)]
    others = [iri for iri in registry if iri not in demo][:15]
    others += [f"{BASE}resource/library/x-bench-{n:02d}" for n in range(15 - len(others))]
    return demo + others


# statistics --------------------------------------------------------------------------------------
def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share 0.95: the value 95% of the values are at or below)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


def summary(ms: Sequence[float]) -> dict[str, float]:
    return {
        "n": len(ms),
        "p50": round(statistics.median(ms), 2) if ms else 0.0,
        "p95": round(percentile(ms, 0.95), 2),
        "max": round(max(ms), 2) if ms else 0.0,
        "mean": round(statistics.fmean(ms), 2) if ms else 0.0,
    }


def folder_bytes(path: Path) -> int:
    """Bytes of an index file with its -wal and -shm."""
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


# documents ---------------------------------------------------------------------------------------
def indexed_records(index_path: Path) -> list[tuple[str, str, str]]:
    """(graph, digest, document JSON) of every record an index holds, in graph order."""
    index = SqliteIndex(index_path, read_only=True)
    rows = index._connection().execute("SELECT graph, digest, doc FROM records ORDER BY graph").fetchall()
    index.close()
    return rows


def indexed_unions(index_path: Path) -> list[tuple[str, str, str, list[str]]]:
    """(union graph, digest, union Instance, members) of every union graph an index holds."""
    index = SqliteIndex(index_path, read_only=True)
    conn = index._connection()
    members: dict[str, list[str]] = {}
    for instance, graph in conn.execute("SELECT instance, graph FROM members ORDER BY instance"):
        members.setdefault(graph, []).append(instance)
    found = [
        (g, d, e, members.get(g, []))
        for g, d, e in conn.execute("SELECT graph, digest, entry FROM unions ORDER BY graph")
    ]
    index.close()
    return found


def sample_words(path: Path) -> list[str]:
    """Words with Vietnamese diacritics of a MARCXML file's subfields (the sample's titles, names
    and subjects)."""
    text = " ".join(re.findall(r'<subfield code="[a-z]">([^<]*)', path.read_text(encoding="utf-8")))
    return sorted({w.lower() for w in re.findall(r"\w+", text) if fold(w) != w.lower() and not w.isdigit()})


def isbn13(rng: random.Random) -> str:
    body = "978604" + "".join(rng.choice("0123456789") for _ in range(6))
    check = (10 - sum((1 if i % 2 == 0 else 3) * int(d) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


def hyphenated(isbn: str, rng: random.Random) -> str:
    """An ISBN-13 hyphenated as printed: prefix, group, publisher, title, check digit."""
    group, publisher = rng.randint(1, 3), rng.randint(2, 4)
    title = 3 + group + publisher
    return f"{isbn[:3]}-{isbn[3 : 3 + group]}-{isbn[3 + group : title]}-{isbn[title:12]}-{isbn[12]}"


@dataclass
class Multiplied:
    records: list[tuple[str, str, str]]
    unions: list[tuple[str, str, str, list[str]]]
    shared: int
    """Records whose entry has another record too."""
    libraries: list[str]


def multiply(
    records: list[tuple[str, str, str]],
    unions: list[tuple[str, str, str, list[str]]],
    times: int,
    seed: int,
    words: list[str],
    libraries: list[str],
) -> Multiplied:
    """The records `times` over: the originals, then copies varied as the module says."""
    rng = random.Random(seed)
    docs = [RecordDocument.from_json(json.loads(d)) for _, _, d in records]
    entry_of = {m: e for _, _, e, members in unions for m in members}
    groups: dict[str, list[int]] = {}
    for position, doc in enumerate(docs):
        groups.setdefault(entry_of.get(doc.instance, doc.instance), []).append(position)
    in_groups = sum(len(g) for g in groups.values() if len(g) > 1)
    keep = min(1.0, 0.5 * len(docs) / max(in_groups, 1))  # probability a copy keeps its cluster
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(libraries))]
    out_records = list(records)
    out_unions = list(unions)
    shared = in_groups
    today = date(2026, 12, 1)
    for copy in range(1, times):
        for entry, positions in sorted(groups.items()):
            together = len(positions) > 1 and rng.random() < keep
            members: list[str] = []
            for position in positions:
                graph, _, _ = records[position]
                doc = vary(docs[position], copy, rng, words, libraries, weights, today)
                digest = hashlib.md5(f"{graph}|{copy}|{seed}".encode()).hexdigest()  # noqa: S324
                out_records.append((f"{graph}-{copy}", digest, doc.dumps()))
                members.append(doc.instance)
            if together:
                shared += len(members)
                union = f"{entry}-{copy}"
                graph = f"{BASE}graph/union/{union.rsplit('/', 1)[-1]}"
                digest = hashlib.md5(f"{graph}|{seed}".encode()).hexdigest()  # noqa: S324
                out_unions.append((graph, digest, union, members))
    return Multiplied(out_records, out_unions, shared, libraries)


def vary(
    source: RecordDocument,
    copy: int,
    rng: random.Random,
    words: list[str],
    libraries: list[str],
    weights: list[float],
    today: date,
) -> RecordDocument:
    doc = RecordDocument.from_json(json.loads(source.dumps()))
    doc.instance = f"{source.instance}-{copy}"
    # titles: a word put in place of one of the title's, or one to three words before or after it
    own = re.findall(r"\w+", doc.title)
    action = rng.random()
    new = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))
    if own and action < 0.4:
        old = rng.choice(own)
        pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")

        def change(text: str) -> str:
            return pattern.sub(new.split()[0], text, count=1)
    elif action < 0.7:

        def change(text: str) -> str:
            return f"{new.capitalize()} {text}" if text else text
    else:

        def change(text: str) -> str:
            return f"{text} : {new}" if text else text

    doc.title = change(doc.title)
    doc.texts["title"] = sorted({change(t) for t in doc.texts["title"]})
    if rng.random() < 0.35:  # a Vietnamese author
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        doc.texts["agent"] = sorted({name, *doc.texts["agent"][1:]})
    if rng.random() < 0.35:
        doc.texts["subject"] = sorted({rng.choice(SUBJECTS), *doc.texts["subject"]})
    # identifiers: a new ISBN-13 (and its other forms) for every ISBN, other identifiers numbered
    isbn_like = re.compile(r"^[\d\-\s]{9,17}[\dXx]$")
    ids = [i for i in doc.texts["identifier"] if not isbn_like.match(i)]
    if len(ids) < len(doc.texts["identifier"]):
        isbn = isbn13(rng)
        ids += [hyphenated(isbn, rng), *isbn_forms(isbn)]
    doc.texts["identifier"] = sorted({f"{i}-{copy}" if not isbn_like.match(i) else i for i in ids})
    doc.libraries = sorted(set(rng.choices(libraries, weights, k=len(source.libraries) or 1)))
    if doc.year:
        doc.year = min(2026, max(1800, doc.year + rng.randint(-6, 6)))
    doc.created = (today - timedelta(days=rng.randint(0, 11 * 365))).isoformat()
    return doc


# queries -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sample:
    kind: str
    text: str


def words_of(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text) if not w.isdigit() and len(w) > 1]


def typed(words: Sequence[str], rng: random.Random) -> str:
    """Words as someone types them: half the time without diacritics, mostly lower case."""
    text = " ".join(words)
    return fold(text) if rng.random() < 0.5 else text.lower() if rng.random() < 0.7 else text


RUNS = {1: [1], 2: [1, 2, 2], 3: [1, 2, 2, 3], 4: [1, 2, 2, 3, 3, 4]}
"""How many words a query takes from a title or name, at most 1 to 4 (twos and threes most often)."""


def run_of(words: Sequence[str], rng: random.Random, longest: int) -> list[str]:
    size = min(len(words), rng.choice(RUNS[longest]))
    start = rng.randrange(0, len(words) - size + 1)
    return list(words[start : start + size])


def make_queries(docs: list[RecordDocument], count: int, seed: int) -> list[Sample]:
    """`count` queries drawn from documents, in a fixed mix of kinds (see the module)."""
    rng = random.Random(seed)
    frequency: Counter[str] = Counter()
    vocabulary: set[str] = set()
    for doc in docs:
        title_words = set(folded_words(doc.title))
        frequency.update(title_words)
        for values in doc.texts.values():
            for value in values:
                vocabulary.update(folded_words(value))
    broad = [w for w, _ in frequency.most_common(40) if len(w) > 1][:20]
    no_hits = [w for w in NO_HITS if w not in vocabulary]
    mix = {"title": 0.30, "agent": 0.14, "subject": 0.10, "title+agent": 0.08, "fielded": 0.16,
           "isbn": 0.08, "broad": 0.08, "none": 0.06}  # fmt: skip
    found: list[Sample] = []
    for kind, share in mix.items():
        wanted = max(1, round(share * count))
        made = 0
        while made < wanted:
            doc = rng.choice(docs)
            title = words_of(doc.title)
            agents = [words_of(a) for a in doc.texts["agent"] if words_of(a)]
            subjects = [words_of(s) for s in doc.texts["subject"] if words_of(s)]
            text = ""
            if kind == "title" and title:
                text = typed(run_of(title, rng, 4), rng)
            elif kind == "agent" and agents:
                text = typed(run_of(rng.choice(agents), rng, 3), rng)
            elif kind == "subject" and subjects:
                text = typed(run_of(rng.choice(subjects), rng, 3), rng)
            elif kind == "title+agent" and title and agents:
                text = typed(run_of(title, rng, 2) + run_of(rng.choice(agents), rng, 1), rng)
            elif kind == "fielded":
                choice = rng.choice(["title", "author", "subject"])
                source = {"title": [title] if title else [], "author": agents, "subject": subjects}[choice]
                if source:
                    part = run_of(rng.choice(source), rng, 3)
                    value = typed(part, rng)
                    text = (
                        f'{choice}:"{value}"' if len(part) > 1 and rng.random() < 0.5 else f"{choice}:{value}"
                    )
            elif kind == "isbn":
                isbns = [i for i in doc.texts["identifier"] if re.fullmatch(r"97[89]\d{10}", i)]
                if isbns:
                    text = hyphenated(rng.choice(isbns), rng)
            elif kind == "broad":
                text = rng.choice(broad)
            elif kind == "none":
                text = rng.choice(no_hits) + ("" if rng.random() < 0.5 else " " + typed(title[:1], rng))
            if text.strip():
                found.append(Sample(kind, text))
                made += 1
    rng.shuffle(found)
    return found[:count]


def make_prefixes(docs: list[RecordDocument], count: int, seed: int) -> list[Sample]:
    """Prefixes of 2-12 characters of titles (60%) and agents' names, as typed."""
    rng = random.Random(seed + 1)
    found: list[Sample] = []
    while len(found) < count:
        doc = rng.choice(docs)
        kind = "title" if rng.random() < 0.6 else "agent"
        labels = [doc.title] if kind == "title" else doc.texts["agent"]
        if not labels or not labels[0]:
            continue
        text = " ".join(words_of(rng.choice(labels)))
        text = fold(text) if rng.random() < 0.5 else text.lower()
        prefix = text[: rng.randint(2, 12)].rstrip()
        if len(prefix) >= 2:
            found.append(Sample(kind, prefix))
    return found


# measuring ---------------------------------------------------------------------------------------
@dataclass
class Timings:
    kinds: dict[str, list[float]] = field(default_factory=dict)
    hits: dict[str, list[int]] = field(default_factory=dict)
    each: list[tuple[float, str, str, int]] = field(default_factory=list)
    """(ms, kind, text, hits) of every sample."""

    def add(self, kind: str, ms: float, hits: int, text: str = "") -> None:
        self.kinds.setdefault(kind, []).append(ms)
        self.hits.setdefault(kind, []).append(hits)
        self.each.append((ms, kind, text, hits))

    @property
    def all(self) -> list[float]:
        return [ms for values in self.kinds.values() for ms in values]

    def to_json(self) -> dict[str, Any]:
        return {
            "all": summary(self.all),
            "kinds": {
                k: {**summary(v), "median hits": statistics.median(self.hits[k])}
                for k, v in sorted(self.kinds.items())
            },
            "slowest": [
                {"ms": round(ms, 1), "kind": kind, "text": text, "hits": hits}
                for ms, kind, text, hits in sorted(self.each, reverse=True)[:15]
            ],
        }


def timed(samples: Sequence[Sample], run: Callable[[str], int]) -> Timings:
    """One untimed pass (warm caches), then each sample once, timed."""
    for sample in samples:
        run(sample.text)
    timings = Timings()
    for sample in samples:
        started = time.perf_counter()
        hits = run(sample.text)
        timings.add(sample.kind, (time.perf_counter() - started) * 1000, hits, sample.text)
    return timings


def measure_queries(path: Path, queries: list[Sample], prefixes: list[Sample], size: Size) -> None:
    """size.search and size.suggest; size.exact_search: the same queries with no sample (every
    match ranked and faceted, lod.search.sqlite.RANK_SAMPLE and FACET_SAMPLE set out of reach),
    for what the samples save."""
    index = SqliteIndex(path, read_only=True)
    try:
        size.search = timed(queries, lambda q: index.search(q).total)
        size.notes["queries sampled (more matches than RANK_SAMPLE)"] = sum(
            1 for q in queries if not index.search(q.text).exact
        )
        size.notes["RANK_SAMPLE, FACET_SAMPLE"] = [sqlite_index.RANK_SAMPLE, sqlite_index.FACET_SAMPLE]
        size.suggest = timed(prefixes, lambda p: len(index.suggest(p)))
        kept = sqlite_index.RANK_SAMPLE, sqlite_index.FACET_SAMPLE
        sqlite_index.RANK_SAMPLE = sqlite_index.FACET_SAMPLE = 1 << 40
        try:
            size.exact_search = timed(queries, lambda q: index.search(q).total)
        finally:
            sqlite_index.RANK_SAMPLE, sqlite_index.FACET_SAMPLE = kept
    finally:
        index.close()


def contains_scan(store: OxigraphStore, samples: list[Sample], index_path: Path) -> dict[str, Any]:
    """The SPARQL scan and the index on the same queries (their lower-cased text as CONTAINS's
    argument, bound, not pasted)."""
    index = SqliteIndex(index_path, read_only=True)
    sparql: list[float] = []
    ours: list[float] = []
    rows: list[dict[str, Any]] = []
    for sample in samples:
        value = sample.text.lower()
        started = time.perf_counter()
        result = store.query(CONTAINS, substitutions={Variable("q"): Literal(value)})
        assert isinstance(result, QuerySolutions)
        found = len(list(result))
        sparql.append((time.perf_counter() - started) * 1000)
        index.search(sample.text)  # warm
        started = time.perf_counter()
        total = index.search(sample.text).total
        ours.append((time.perf_counter() - started) * 1000)
        rows.append({"query": sample.text, "contains ms": round(sparql[-1], 1), "contains rows": found,
                     "index ms": round(ours[-1], 2), "index total": total})  # fmt: skip
    index.close()
    return {"contains": summary(sparql), "index": summary(ours), "queries": rows}


# builds ------------------------------------------------------------------------------------------
def timed_call(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started


def index_counts(path: Path) -> dict[str, int]:
    """Rows of the main tables, and the bytes of the index file once its WAL is checkpointed."""
    writer = SqliteIndex(path)
    writer._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.close()
    index = SqliteIndex(path, read_only=True)
    conn = index._connection()
    counts = {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our list)
        for table in ("records", "entries", "terms", "facets", "unions", "members")
    }
    index.close()
    counts["bytes"] = folder_bytes(path)
    return counts


def change_records(
    path: Path, records: list[tuple[str, str, str]], changed: int, seed: int
) -> list[tuple[str, str, str]]:
    """Make `changed` records of an index stale and stage new documents for them under the digest
    the store has (another title), as an ingest of changed records would; returns what was staged."""
    rng = random.Random(seed + 2)
    picked = rng.sample(records, changed)
    staged = []
    for graph, digest, doc in picked:
        data = json.loads(doc)
        data["title"] = f"{rng.choice(VIETNAMESE_WORDS).capitalize()} {data['title']}"
        data.setdefault("texts", {})["title"] = [data["title"], *data["texts"].get("title", [])]
        staged.append((graph, digest, json.dumps(data, ensure_ascii=False)))
    index = SqliteIndex(path)
    conn = index._connection()
    conn.executemany("UPDATE records SET digest = 'stale' WHERE graph = ?", [(g,) for g, _, _ in picked])
    conn.commit()
    for start in range(0, len(staged), STAGE_BATCH):
        index.stage(staged[start : start + STAGE_BATCH])
    index.close()
    return staged


def stand_in_store(
    source: OxigraphStore, records: list[tuple[str, str, str]], unions: list[tuple[str, str, str, list[str]]]
) -> OxigraphStore:
    """An in-memory store with only what `sync` reads of a store whose records the index already
    holds: every record graph's digest, every union graph's digest and members, and the registry
    (the graphs holding lodv:registryId statements and the province concepts they point to)."""
    store = Store()
    digest_of = LODV.sourceDigest

    def quads() -> Iterator[Quad]:
        for graph, digest, _ in records:
            node = NamedNode(graph)
            yield Quad(node, digest_of, Literal(digest), node)
        for graph, digest, union, members in unions:
            node, entry = NamedNode(graph), NamedNode(union)
            yield Quad(node, LODV.digest, Literal(digest), node)
            yield Quad(entry, RDF.type, LODV.UnionInstance, node)
            for member in members:
                yield Quad(entry, LODV.member, NamedNode(member), node)

    store.bulk_extend(quads())
    registry = source.query(
        "PREFIX lodv: <https://w3id.org/vn-library-lod/vocab#> "
        "PREFIX schema: <http://schema.org/> "
        "SELECT DISTINCT ?g WHERE { { GRAPH ?g { ?l lodv:registryId ?id } } UNION "
        "{ ?l lodv:registryId ?id ; schema:containedInPlace ?p . GRAPH ?g { ?p ?x ?y } } }",
        use_default_graph_as_union=True,
    )
    assert isinstance(registry, QuerySolutions)
    for row in list(registry):
        graph = row["g"]
        store.bulk_extend(source._store.quads_for_pattern(None, None, None, graph))
    return OxigraphStore(store, ":memory:")


# one size ----------------------------------------------------------------------------------------
@dataclass
class Size:
    records: int
    builds: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    search: Timings | None = None
    suggest: Timings | None = None
    exact_search: Timings | None = None
    contains: dict[str, Any] | None = None
    notes: dict[str, Any] = field(default_factory=dict)


def build_report(name: str, seconds: float, records: int, report: Any = None, **extra: Any) -> dict[str, Any]:
    found = {"seconds": round(seconds, 2), "records/s": round(records / seconds) if seconds else 0, **extra}
    if report is not None:
        found["report"] = {k: (round(v, 2) if isinstance(v, float) else v) for k, v in vars(report).items()}
    print(f"  {name}: {seconds:,.1f} s ({found['records/s']:,} records/s)", flush=True)
    return found


def hundred_thousand(
    args: argparse.Namespace, store: OxigraphStore, minter: Minter, scratch: Path
) -> tuple[Size, list[tuple[str, str, str]], list[tuple[str, str, str, list[str]]]]:
    print(f"{args.records:,} records: building", flush=True)
    size = Size(0)
    main = scratch / "rebuild.sqlite3"
    report, seconds = timed_call(lambda: SqliteIndex(main).rebuild(store, minter))
    size.records = report.indexed
    size.builds["rebuild (documents read back from the store)"] = build_report(
        "rebuild", seconds, report.indexed, report
    )
    records = indexed_records(main)
    unions = indexed_unions(main)
    # the ingest's way: documents staged in batches, then a sync
    path = scratch / "ingest.sqlite3"
    index = SqliteIndex(path)

    def stage() -> None:
        for start in range(0, len(records), STAGE_BATCH):
            index.stage(records[start : start + STAGE_BATCH])

    _, staging = timed_call(stage)
    report, seconds = timed_call(lambda: index.sync(store, minter))
    index.close()
    size.builds["ingest: stage"] = build_report("stage (500 a call)", staging, len(records))
    size.builds["ingest: sync of the staged documents"] = build_report(
        "sync of staged documents", seconds, len(records), report
    )
    size.builds["ingest: stage + sync"] = build_report("stage + sync", staging + seconds, len(records))
    same = indexed_records(path) == records
    size.notes["ingest index holds the same documents as the rebuilt one"] = same
    for file in scratch.glob("ingest.sqlite3*"):
        file.unlink()
    # the bulk write alone
    path = scratch / "load.sqlite3"
    report, seconds = timed_call(lambda: SqliteIndex(path).load(records, unions, store, minter))
    size.builds["load (index write alone)"] = build_report("load", seconds, len(records), report)
    for file in scratch.glob("load.sqlite3*"):
        file.unlink()
    # an incremental sync
    change_records(main, records, args.changed, args.seed)
    index = SqliteIndex(main)
    report, seconds = timed_call(lambda: index.sync(store, minter))
    index.close()
    size.builds[f"sync of {args.changed:,} changed records"] = build_report(
        f"sync of {args.changed:,} changed records", seconds, args.changed, report
    )
    size.counts = index_counts(main)
    # queries
    docs = [RecordDocument.from_json(json.loads(d)) for _, _, d in records]
    queries = make_queries(docs, args.queries, args.seed)
    prefixes = make_prefixes(docs, args.prefixes, args.seed)
    print(f"{args.records:,} records: {len(queries)} queries, {len(prefixes)} prefixes", flush=True)
    measure_queries(main, queries, prefixes, size)
    plain = [q for q in queries if q.kind == "title" and q.text != fold(q.text)][: args.contains]
    plain += [q for q in queries if q.kind == "title" and q.text == fold(q.text)][
        : args.contains - len(plain)
    ]
    print(f"{args.records:,} records: SPARQL CONTAINS scan, {len(plain)} queries", flush=True)
    size.contains = contains_scan(store, plain, main)
    return size, records, unions


def million(
    args: argparse.Namespace,
    store: OxigraphStore,
    minter: Minter,
    scratch: Path,
    records: list[tuple[str, str, str]],
    unions: list[tuple[str, str, str, list[str]]],
) -> Size:
    from lod.libraries import list_libraries

    registry = [lib.iri for lib in list_libraries(store, minter)]
    words = sorted(set(VIETNAMESE_WORDS) | set(sample_words(ROOT / "data" / "sample" / "vietnamese.xml")))
    print(f"x{args.multiply}: making documents ({len(words)} Vietnamese words)", flush=True)
    made, seconds = timed_call(
        lambda: multiply(records, unions, args.multiply, args.seed, words, million_libraries(registry))
    )
    size = Size(len(made.records))
    size.notes["documents made in (s)"] = round(seconds, 1)
    size.notes["records sharing an entry with another"] = made.shared
    size.notes["union graphs"] = len(made.unions)
    size.notes["libraries"] = len(made.libraries)
    print(f"{size.records:,} records: loading", flush=True)
    path = scratch / "million.sqlite3"
    report, seconds = timed_call(lambda: SqliteIndex(path).load(made.records, made.unions, store, minter))
    size.builds["load (index write alone)"] = build_report("load", seconds, size.records, report)
    # an incremental sync against a store holding only digests, unions and the registry
    stand_in, seconds = timed_call(lambda: stand_in_store(store, made.records, made.unions))
    size.notes["stand-in store made in (s)"] = round(seconds, 1)
    change_records(path, made.records, args.changed, args.seed)
    index = SqliteIndex(path)
    report, seconds = timed_call(lambda: index.sync(stand_in, minter))
    index.close()
    size.builds[f"sync of {args.changed:,} changed records"] = build_report(
        f"sync of {args.changed:,} changed records", seconds, args.changed, report
    )
    size.counts = index_counts(path)
    rng = random.Random(args.seed + 3)
    docs = [RecordDocument.from_json(json.loads(d)) for _, _, d in rng.sample(made.records, 100_000)]
    made.records.clear()
    queries = make_queries(docs, args.queries, args.seed)
    prefixes = make_prefixes(docs, args.prefixes, args.seed)
    print(f"{size.records:,} records: {len(queries)} queries, {len(prefixes)} prefixes", flush=True)
    measure_queries(path, queries, prefixes, size)
    return size


# report ------------------------------------------------------------------------------------------
def print_tables(sizes: list[Size]) -> None:
    print()
    print("| build | records | seconds | records/s |")
    print("|---|---:|---:|---:|")
    for size in sizes:
        for name, build in size.builds.items():
            print(f"| {name} | {size.records:,} | {build['seconds']:,.1f} | {build['records/s']:,} |")
    print()
    print("| records | entries | terms | index on disk |")
    print("|---:|---:|---:|---:|")
    for size in sizes:
        c = size.counts
        print(f"| {size.records:,} | {c['entries']:,} | {c['terms']:,} | {c['bytes'] / 1e9:.2f} GB |")
    print()
    print("| records | what | n | p50 ms | p95 ms | max ms | target p95 |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for size in sizes:
        rows = (
            ("search", size.search, "< 50"),
            ("suggest", size.suggest, "< 20"),
            ("search, no sample (every match ranked and faceted)", size.exact_search, ""),
        )
        for name, timings, target in rows:
            assert timings is not None
            s = summary(timings.all)
            print(
                f"| {size.records:,} | {name} | {s['n']} | {s['p50']:.1f} | **{s['p95']:.1f}** "
                f"| {s['max']:.1f} | {target} |"
            )
    for size in sizes:
        sampled = size.notes["queries sampled (more matches than RANK_SAMPLE)"]
        print(
            f"{size.records:,} records: {sampled} of {len(size.search.all) if size.search else 0} queries "
            f"match more than RANK_SAMPLE = {sqlite_index.RANK_SAMPLE:,} entries (ranked and faceted "
            "over that many, Results.exact False)"
        )
    for size in sizes:
        print()
        print(f"{size.records:,} records, search by kind of query:")
        print("| kind | n | median hits | p50 ms | p95 ms | max ms |")
        print("|---|---:|---:|---:|---:|---:|")
        assert size.search is not None
        for kind, values in size.search.to_json()["kinds"].items():
            print(
                f"| {kind} | {values['n']} | {values['median hits']:,.0f} | {values['p50']:.1f} "
                f"| {values['p95']:.1f} | {values['max']:.1f} |"
            )
    for size in sizes:
        assert size.search is not None
        slowest = sorted(size.search.each, reverse=True)[:8]
        print(
            f"{size.records:,} records, slowest searches: "
            + "; ".join(f"{t!r} {ms:.0f} ms ({n:,} hits)" for ms, _, t, n in slowest)
        )
    for size in sizes:
        if size.contains:
            c, i = size.contains["contains"], size.contains["index"]
            print()
            print(f"{size.records:,} records, {c['n']} title queries: SPARQL CONTAINS scan vs the index")
            print("| | p50 ms | p95 ms | max ms |")
            print("|---|---:|---:|---:|")
            print(f"| SPARQL CONTAINS (LIMIT 20) | {c['p50']:,.1f} | {c['p95']:,.1f} | {c['max']:,.1f} |")
            print(f"| index.search (20 hits, facets) | {i['p50']:.2f} | {i['p95']:.2f} | {i['max']:.2f} |")
            print(f"| **ratio** | **{c['p50'] / i['p50']:,.0f}** | **{c['p95'] / i['p95']:,.0f}** | |")
            scanned = sum(1 for q in size.contains["queries"] if q["contains rows"])
            indexed = sum(1 for q in size.contains["queries"] if q["index total"])
            print(f"queries with a hit: CONTAINS {scanned}, index {indexed}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100000, help="records of bench_web's store")
    parser.add_argument("--libraries", type=int, default=5)
    parser.add_argument("--copies", type=float, default=2.0)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument(
        "--store", type=Path, help="an existing store (default: bench_web's, built if missing)"
    )
    parser.add_argument("--multiply", type=int, default=10, help="the large index: documents x this")
    parser.add_argument("--no-million", action="store_true", help="skip the multiplied index")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--prefixes", type=int, default=200)
    parser.add_argument("--contains", type=int, default=30, help="queries also run as a SPARQL scan")
    parser.add_argument("--changed", type=int, default=2000, help="records changed for the incremental sync")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="scratch directory (default: the system's)")
    args = parser.parse_args()
    args.rebuild = False
    if args.store is None:
        from bench_web import union_store

        args.store = union_store(args)[0]
    cpus = len(os.sched_getaffinity(0))
    print(
        f"Search index benchmark, {date.today().isoformat()}, {cpu_model()} ({cpus} CPUs), "
        f"Python {sys.version.split()[0]}, SQLite {__import__('sqlite3').sqlite_version}, "
        f"pyoxigraph {version('pyoxigraph')}; store {args.store}",
        flush=True,
    )
    store = OxigraphStore.open(args.store, read_only=True)
    minter = Minter(BASE)
    scratch = Path(tempfile.mkdtemp(prefix="bench-search-", dir=args.keep))
    try:
        small, records, unions = hundred_thousand(args, store, minter, scratch)
        sizes = [small]
        if not args.no_million:
            for file in scratch.glob("*.sqlite3*"):
                file.unlink()
            sizes.append(million(args, store, minter, scratch, records, unions))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print_tables(sizes)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"search-{date.today().isoformat()}.json"
    out.write_text(
        json.dumps(
            {
                "date": date.today().isoformat(),
                "machine": cpu_model(),
                "cpus": cpus,
                "python": sys.version.split()[0],
                "sqlite": __import__("sqlite3").sqlite_version,
                "args": {k: str(v) for k, v in vars(args).items()},
                "sizes": [
                    {
                        "records": s.records,
                        "builds": s.builds,
                        "counts": s.counts,
                        "notes": s.notes,
                        "search": s.search.to_json() if s.search else None,
                        "suggest": s.suggest.to_json() if s.suggest else None,
                        "search, no sample": s.exact_search.to_json() if s.exact_search else None,
                        "contains": s.contains,
                    }
                    for s in sizes
                ],
            },
            indent=2,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
