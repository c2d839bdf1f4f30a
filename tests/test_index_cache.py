from __future__ import annotations

from pathlib import Path

import pytest

from autofill import index_cache
from autofill.errors import KnowledgeBaseError
from autofill.knowledge import base_files, load_knowledge
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


def test_each_products_matcher_is_cached_and_loaded_on_its_own(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    fresh = load_knowledge(root)
    built = {product: Matcher.of(fresh, product) for product in (None, "api")}
    cached = load_knowledge(root)
    # nothing of a product's matcher is unpickled until a fill asks for it
    assert all(isinstance(m, bytes) for m in index_cache._last.matchers.values())  # type: ignore[union-attr]
    api = Matcher.of(cached, "api")
    assert index_cache.prebuilt(cached, "api") is api
    assert isinstance(index_cache._last.matchers[None], bytes)  # type: ignore[union-attr]
    # the matcher holds the base load_knowledge returned and its very claims, not copies
    assert api.kb is cached and all(api.claims[c.id] is c for c in cached.claims if c.id in api.claims)
    assert api.match(QUESTION) == built["api"].match(QUESTION)
    assert Matcher.of(cached).match(QUESTION) == built[None].match(QUESTION)


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


class _Planted:
    """Unpickling this creates `marker`: what a planted cache file could do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return Path.touch, (self.marker,)


@pytest.mark.parametrize("signed", ["unsigned", "forged"])
def test_a_planted_cache_file_never_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signed: str) -> None:
    import os
    import pickle
    import subprocess
    import sys

    root = make_kb(tmp_path / "kb")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    cache = index_cache.cache_file(root)
    cache.parent.mkdir(parents=True)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Planted(marker))
    fill = [sys.executable, "-m", "autofill", "fill", "--kb", str(root), "-o", str(tmp_path / "out.xlsx")]
    fill.append(str(Path(__file__).parent.parent / "templates" / "samples" / "sample-questionnaire.xlsx"))
    for _ in range(2):  # before any cache exists, and again once autofill has written its own
        planted = (payload + payload) if signed == "unsigned" else index_cache.MAGIC + b"\0" * 32 + b"key\n" + payload
        cache.write_bytes(planted)
        done = subprocess.run(fill, env=dict(os.environ), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert not marker.exists()
        rebuilt = cache.read_bytes()
        assert rebuilt.startswith(index_cache.MAGIC) and rebuilt != planted


def test_the_signing_key_is_private_and_a_loose_one_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    secret = index_cache.signing_key()
    key = index_cache.key_file()
    assert secret is not None and key.read_bytes() == secret and key.stat().st_mode & 0o777 == 0o600
    assert index_cache.signing_key() == secret
    key.chmod(0o644)  # anyone could read it, so anyone could sign a cache
    fresh = index_cache.signing_key()
    assert fresh is not None and fresh != secret and key.stat().st_mode & 0o777 == 0o600


def test_a_cache_signed_with_another_key_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    root = make_kb(tmp_path / "kb")
    Matcher.of(load_knowledge(root))
    assert index_cache.load(root, base_files(root)) is not None
    index_cache.key_file().write_bytes(b"k" * 32)  # another user's key, say: private, but not the signer
    assert index_cache.load(root, base_files(root)) is None
