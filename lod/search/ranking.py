"""Ranking the matches of a query that has words common in the index, without FTS5's bm25.

bm25 weighs each word of a query by how rare it is, and FTS5 finds that out by reading every
entry holding the word: 40 ms for a word in half a million entries (measured: "al" in the
Arabic titles of the 1M bench index), whatever the query matches. So the words of a query are
probed first (`common`: counting their entries up to COMMON, under a millisecond); a common word
is then left out of the ranking, as Elasticsearch's "common terms" query did (its weight in bm25
is next to nothing anyway: FTS5 floors the inverse frequency of a word in half the entries or
more at 1e-6):
- some words rare: the matches are ranked by bm25 over the rare words alone (`rare_ranked`);
- every word common: by the fields the words are in (`tier_ranked`): every word in the title as
  typed, in the title, in a name; then the most held.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from lod.search.query import Term

COMMON = 5_000
"""Entries holding a word beyond which it is common (bm25 would read more than this to weigh it)."""
TIERS = (("x_title", 4.0), ("title", 2.0), ("agent", 1.0))
"""(field, weight): an entry scores a tier's weight when every word of the query is in that field
(x_title: the title as typed, diacritics and all)."""

Ranked = tuple[int, float, int]
"""(entry id, rank: lower is better, 1 when the entry's title is the query else 0)."""


def common(conn: sqlite3.Connection, expression: str) -> bool:
    """Whether more than COMMON entries match `expression` (one term's)."""
    found = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)",
        [expression, COMMON + 1],
    ).fetchone()[0]
    return bool(found > COMMON)


def rare_ranked(
    conn: sqlite3.Connection, expression: str, rank: str, matched: Sequence[int], titled: set[int]
) -> list[Ranked]:
    """The matches ranked by `rank` (a bm25 call) over `expression`, the query's rare terms: every
    match holds them, so the entries they match between the first and last match, kept if they
    are matches, are the matches."""
    wanted = set(matched)
    rows = conn.execute(
        f"SELECT rowid, {rank} FROM entries_fts WHERE entries_fts MATCH ? AND rowid BETWEEN ? AND ?",  # noqa: S608
        [expression, min(wanted), max(wanted)],
    )
    return [(rowid, r, int(rowid in titled)) for rowid, r in rows if rowid in wanted]


def tier_ranked(
    conn: sqlite3.Connection,
    terms: Sequence[Term],
    matched: Sequence[int],
    titled: set[int],
    expression_of: Callable[[Sequence[Term]], str],
) -> list[Ranked]:
    """The matches ranked by the TIERS whose field holds every word (`expression_of` makes the
    FTS5 query of terms)."""
    wanted = set(matched)
    score = dict.fromkeys(wanted, 0.0)
    low, high = min(wanted), max(wanted)
    for field, weight in TIERS:
        within = [_limited(term, field) for term in terms]
        for (rowid,) in conn.execute(
            "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? AND rowid BETWEEN ? AND ?",
            [expression_of(within), low, high],
        ):
            if rowid in wanted:
                score[rowid] += weight
    return [(rowid, -s, int(rowid in titled)) for rowid, s in score.items()]


def _limited(term: Term, field: str) -> Term:
    """The term limited to `field` ('x_title': its words as typed, in the title), unless it is
    limited to another field already."""
    if term.field not in (None, field.removeprefix("x_")):
        return term
    if field == "x_title":
        return Term(term.exact, term.exact, "title", term.phrase)
    return Term(term.folded, term.folded, field, term.phrase)
