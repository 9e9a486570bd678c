"""Hypothesis strategies over the generators of `targets`: the same inputs as the plain loop of
bench/fuzz.py, drawn by hypothesis so that a failing one shrinks."""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

from lod.vietnamese import VIETNAMESE_LETTERS
from tests.fuzz.targets import HypothesisDraw, marc_input, registry_input, text_input

T = TypeVar("T")


def drawn(generate: Callable[[HypothesisDraw], T]) -> st.SearchStrategy[T]:
    @st.composite
    def strategy(draw: Callable[[Any], Any]) -> T:
        return generate(HypothesisDraw(draw))

    return strategy()


marc_files = drawn(marc_input)
registry_files = drawn(registry_input)
texts = st.text() | drawn(text_input)
vietnamese_texts = st.text(alphabet=VIETNAMESE_LETTERS + string.ascii_letters + string.digits + " .,-:;()'\"")
