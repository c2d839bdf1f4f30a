from __future__ import annotations

from pathlib import Path

import pytest

from autofill import index_cache
from autofill.errors import KnowledgeBaseError
from autofill.knowledge import load_knowledge
from autofill.matching import Matcher
from tests.kb_factory import BASE_CLAIMS, make_kb

QUESTION = "Is customer data encrypted at rest?"


def test_a_second_load_comes_from_the_cache_and_matches_alike(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    fresh = load_knowledge(root)
    built = Matcher.of(fresh)
    assert index_cache.cache_file(root).exists()
    cached = load_knowledge(root)
    assert cached == fresh and cached is not fresh
    matcher = Matcher.of(cached)
    assert index_cache.prebuilt(cached, None) is matcher
    assert matcher.match(QUESTION) == built.match(QUESTION) == Matcher(fresh).match(QUESTION)


def test_an_edited_base_is_loaded_again(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    Matcher.of(load_knowledge(root))
    claims = root / "claims" / "test.yaml"
    claims.write_text(claims.read_text().replace("using AES-256.", "using AES-256, always."))
    claim = load_knowledge(root).claim("enc-at-rest")
    assert claim is not None and claim.answer_text.endswith("always.")


def test_a_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    fresh = load_knowledge(root)
    Matcher.of(fresh)
    index_cache.cache_file(root).write_bytes(b"\x80\x05not a pickle")
    assert load_knowledge(root) == fresh


def test_a_base_with_problems_is_never_cached(tmp_path: Path) -> None:
    claims = [dict(BASE_CLAIMS[0], citation={"source": "sec", "quote": "never said"})]
    root = make_kb(tmp_path, claims)
    for _ in range(2):
        with pytest.raises(KnowledgeBaseError):
            load_knowledge(root)
    assert not index_cache.cache_file(root).exists()
