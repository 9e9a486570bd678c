"""Fuzzing the Vietnamese text functions (lod.vietnamese): repair, legacy decoding, NFC and tone
placement, folding and match keys never raise on any string or bytes, and keep their properties
(idempotent keys, ASCII folds of Vietnamese text, legacy encodings that decode back)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from lod.vietnamese import ENCODINGS
from tests.fuzz.profiles import LIMIT, examples
from tests.fuzz.strategies import texts, vietnamese_texts
from tests.fuzz.targets import check_bytes, check_round_trip, check_text, time_limit


@settings(max_examples=examples(400))
@given(texts | vietnamese_texts)
# found by fuzzing: a tone moved off a vowel followed by a second, combining mark left the text
# out of NFC, and tone_key not idempotent ("Hoá" + U+0301 -> "Hóa" + U+0301)
@example("Ho\xe1\u0301")
@example("khọẻ\u0323")
# found by fuzzing: case folding undid NFC in match_key ("ß" + U+0323 -> "ss" + U+0323)
@example("\xdf\u0323")
def test_text_functions(value: str) -> None:
    with time_limit(LIMIT):
        check_text(value)


@settings(max_examples=examples(300))
@given(st.binary(max_size=200) | texts.map(lambda v: v.encode("utf-8", "surrogatepass")))
def test_legacy_decoders(data: bytes) -> None:
    with time_limit(LIMIT):
        check_bytes(data)


@settings(max_examples=examples(300))
@given(vietnamese_texts, st.sampled_from(ENCODINGS))
def test_legacy_round_trip(value: str, encoding: str) -> None:
    check_round_trip(value, encoding)
