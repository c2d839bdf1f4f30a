"""Shared fixtures. Real third-party questionnaires are read from ../shared (or
$AUTOFILL_SHARED); tests that need them skip cleanly where they are absent."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    env = os.environ.get("AUTOFILL_SHARED")
    candidate = Path(env) if env else ROOT.parent / "shared"
    return candidate if (candidate / "questionnaires").is_dir() else None


@pytest.fixture
def questionnaire() -> Callable[[str], Path]:
    """Path to a real questionnaire in shared/questionnaires, or skip the test."""

    def _get(name: str) -> Path:
        base = shared_dir()
        if base is None:
            pytest.skip("shared/questionnaires not available (set AUTOFILL_SHARED)")
        path = base / "questionnaires" / name
        if not path.exists():
            pytest.skip(f"{name} not in shared/questionnaires")
        return path

    return _get


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Knowledge-base caches go to the session's temp folder, not the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers learned and attested in tests go to a folder of the session's, never the user's own
    (whose library would otherwise answer the tests' questions)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.getbasetemp() / "data"))


@pytest.fixture(autouse=True)
def _own_ledger(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test records answers in a ledger of its own, never the user's."""
    monkeypatch.setenv("AUTOFILL_LEDGER", str(tmp_path_factory.mktemp("ledger") / "ledger.sqlite"))
