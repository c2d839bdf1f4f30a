"""Build small real knowledge bases on disk for tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SOURCE_TEXT = """Security page
We encrypt all customer data at rest using AES-256 and in transit using TLS 1.2 or higher.
We do not train our models on your business data by default.
Our API platform has completed a SOC 2 Type 2 audit.
API inputs and outputs are retained for up to 30 days, unless we are legally required to retain them.
Enterprise-level authentication through SAML SSO (Enterprise and API).
"""

BASE_CLAIMS: list[dict[str, Any]] = [
    {
        "id": "enc-at-rest",
        "products": ["all"],
        "answer_text": "We encrypt all customer data at rest using AES-256.",
        "citation": {"source": "sec", "quote": "We encrypt all customer data at rest using AES-256"},
        "questions": [
            {"q": "Is customer data encrypted at rest?", "answer": "Yes"},
            {"q": "Do you encrypt stored data?", "answer": "Yes"},
            {"q": "Is data at rest encrypted with AES-256?", "answer": "Yes"},
            {"q": "Is customer data stored unencrypted?", "answer": "No"},
            {"q": "Do you use encryption for data at rest?", "answer": "Yes"},
        ],
    },
    {
        "id": "training-default",
        "products": ["api", "chatgpt-enterprise", "chatgpt-team"],
        "answer_text": "We do not train our models on your business data by default.",
        "citation": {"source": "sec", "quote": "We do not train our models on your business data by default."},
        "questions": [
            {"q": "Do you use customer data to train your AI models?", "answer": "No"},
            {"q": "Is customer data used to train or improve models?", "answer": "No"},
            {"q": "Is customer data excluded from model training?", "answer": "Yes"},
            {"q": "Are customer inputs used for machine learning training?", "answer": "No"},
            {"q": "Do you train models on business data?", "answer": "No"},
        ],
    },
    {
        "id": "soc2-type2",
        "products": ["api"],
        "answer_text": "Our API platform has completed a SOC 2 Type 2 audit.",
        "citation": {"source": "sec", "quote": "Our API platform has completed a SOC 2 Type 2 audit."},
        "questions": [
            {"q": "Have you completed a SOC 2 Type 2 audit?", "answer": "Yes"},
            {"q": "Do you have a current SOC 2 Type II report?", "answer": "Yes"},
            {"q": "Is your service SOC 2 Type 2 audited?", "answer": "Yes"},
            {"q": "Can you provide a SOC 2 Type 2 attestation?", "answer": "Yes"},
            {"q": "Has an independent auditor issued a SOC 2 Type II report?", "answer": "Yes"},
        ],
    },
]


def make_kb(root: Path, claims: list[dict[str, Any]] | None = None, *, text: str = SOURCE_TEXT) -> Path:
    """Write a knowledge base with one source 'sec' and the given claims; return its folder."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "claims").mkdir(parents=True, exist_ok=True)
    source = {
        "id": "sec",
        "title": "Security",
        "url": "https://example.com/security",
        "date": "2025-01-01",
        "order": 2,
        "text": text,
    }
    (root / "sources" / "sec.yaml").write_text(yaml.safe_dump(source, sort_keys=False), encoding="utf-8")
    body = {"claims": BASE_CLAIMS if claims is None else claims}
    (root / "claims" / "test.yaml").write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return root
