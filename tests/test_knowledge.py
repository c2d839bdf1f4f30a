from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from autofill.errors import KnowledgeBaseError
from autofill.knowledge import check_knowledge, default_kb_dir, load_knowledge
from tests.kb_factory import BASE_CLAIMS, make_kb


def _claims() -> list[dict]:
    return copy.deepcopy(BASE_CLAIMS)


def test_small_base_loads(tmp_path: Path) -> None:
    kb = load_knowledge(make_kb(tmp_path))
    assert [c.id for c in kb.claims] == ["enc-at-rest", "training-default", "soc2-type2"]
    claim = kb.claim("training-default")
    assert claim is not None and claim.products == ("api", "chatgpt-enterprise", "chatgpt-team")
    assert claim.citation.title == "Security" and claim.citation.date == "2025-01-01"
    assert claim.questions[2].answer == "Yes"


def _problems(tmp_path: Path, claims: list[dict]) -> list[str]:
    _, problems = check_knowledge(make_kb(tmp_path, claims))
    return problems


def test_quote_not_verbatim_is_reported(tmp_path: Path) -> None:
    claims = _claims()
    claims[0]["citation"]["quote"] = "We encrypt every byte of customer data at rest"
    problems = _problems(tmp_path, claims)
    assert len(problems) == 1
    assert "claim 'enc-at-rest' citation.quote is not in source 'sec'" in problems[0]
    assert problems[0].startswith(str(tmp_path / "claims" / "test.yaml"))


def test_quote_may_differ_in_whitespace_only(tmp_path: Path) -> None:
    claims = _claims()
    claims[0]["citation"]["quote"] = "We  encrypt all customer\n data at rest"
    assert _problems(tmp_path, claims) == []
    claims[0]["citation"]["quote"] = "we encrypt all customer data at rest"  # case is not whitespace
    assert len(_problems(tmp_path, claims)) == 1


def test_duplicate_ids(tmp_path: Path) -> None:
    claims = _claims()
    claims[1]["id"] = "enc-at-rest"
    assert any("claim 'enc-at-rest' id is used twice" in p for p in _problems(tmp_path, claims))


def test_conflicting_phrasing_between_claims(tmp_path: Path) -> None:
    claims = _claims()
    claims[2]["questions"][0] = {"q": "Is customer data encrypted at rest?", "answer": "No"}
    problems = _problems(tmp_path, claims)
    assert any("claim 'soc2-type2' phrasing" in p and "claim 'enc-at-rest'" in p for p in problems), problems


def test_a_yes_phrasing_may_not_add_a_number_the_claim_does_not_say(tmp_path: Path) -> None:
    claims = _claims()
    added = "Is customer data encrypted at rest with AES-256 under FIPS 140-2?"
    claims[0]["questions"][0] = {"q": added, "answer": "Yes"}
    claims[0]["questions"][1] = {"q": "Is customer data encrypted at rest with AES-128?", "answer": "No"}  # allowed
    problems = _problems(tmp_path, claims)
    assert len(problems) == 1 and "answers Yes with 140, 2," in problems[0], problems
    load_knowledge(make_kb(tmp_path / "loads", claims))  # a fill still loads the base; the number is not taken as said


def test_same_phrasing_for_disjoint_products_is_allowed(tmp_path: Path) -> None:
    claims = _claims()
    claims[0]["products"] = ["consumer"]
    claims[2]["questions"][0] = {"q": "Is customer data encrypted at rest?", "answer": "No"}
    assert _problems(tmp_path, claims) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("citation", None, "has no citation"),
        ("answer_text", "", "has no answer_text"),
        ("products", ["mainframe"], "products has unknown 'mainframe'"),
        ("questions", [{"q": "Is data encrypted?", "answer": "Yes"}], "has 1 question phrasings; write at least 5"),
        ("superseded_by", "no-such-claim", "superseded_by 'no-such-claim' is not a claim id"),
    ],
)
def test_schema_errors_name_file_claim_and_field(tmp_path: Path, field: str, value: object, message: str) -> None:
    claims = _claims()
    claims[0][field] = value
    problems = _problems(tmp_path, claims)
    assert any(f"claim 'enc-at-rest' {message}" in p for p in problems), problems


def test_bad_answer_value(tmp_path: Path) -> None:
    claims = _claims()
    claims[0]["questions"][0]["answer"] = "Maybe"
    assert any("questions[1] answer must be" in p for p in _problems(tmp_path, claims))


def test_unquoted_yaml_yes_no_are_accepted(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    path = root / "claims" / "test.yaml"
    path.write_text(path.read_text().replace("answer: 'Yes'", "answer: Yes"))
    assert "answer: Yes" in path.read_text()
    kb = load_knowledge(root)
    assert kb.claim("enc-at-rest").questions[0].answer == "Yes"  # type: ignore[union-attr]


def test_superseded_claim_needs_newer_successor(tmp_path: Path) -> None:
    claims = _claims()
    old = copy.deepcopy(claims[2])
    old["id"] = "soc2-old"
    old["superseded_by"] = "soc2-type2"
    claims.append(old)
    problems = _problems(tmp_path, claims)  # same source: not newer
    assert any("claim 'soc2-old' superseded_by 'soc2-type2' cites a source that is not newer" in p for p in problems)


def test_superseded_claim_never_current(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    newer = {
        "id": "new",
        "title": "New",
        "url": "https://example.com/new",
        "date": "2026-01-01",
        "order": 3,
        "text": "Update: Our API platform has completed a SOC 2 Type 2 audit.",
    }
    (root / "sources" / "new.yaml").write_text(yaml.safe_dump(newer))
    claims = _claims()
    replacement = copy.deepcopy(claims[2])
    replacement["id"] = "soc2-new"
    replacement["citation"]["source"] = "new"
    replacement["questions"] = [{"q": q["q"] + " (new)", "answer": "Yes"} for q in replacement["questions"]]
    claims[2]["superseded_by"] = "soc2-new"
    claims.append(replacement)
    (root / "claims" / "test.yaml").write_text(yaml.safe_dump({"claims": claims}))
    kb, problems = check_knowledge(root)
    assert problems == []
    assert [c.id for c in kb.current_claims()] == ["enc-at-rest", "training-default", "soc2-new"]


def test_broken_yaml_is_one_precise_error(tmp_path: Path) -> None:
    root = make_kb(tmp_path)
    (root / "claims" / "test.yaml").write_text("claims:\n  - id: x\n   bad: [\n")
    with pytest.raises(KnowledgeBaseError, match=r"test.yaml: is not valid YAML at line \d+"):
        load_knowledge(root)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="needs claims/ and sources/ folders"):
        load_knowledge(tmp_path)


# --- the shipped knowledge base ------------------------------------------------------------


def test_shipped_base_is_valid() -> None:
    kb, problems = check_knowledge(default_kb_dir())
    assert problems == []
    assert len(kb.claims) >= 60


def test_every_shipped_quote_is_verbatim_in_its_cleaned_source() -> None:
    kb = load_knowledge()
    for claim in kb.claims:
        source_text = " ".join(kb.sources[claim.citation.source].text.split())
        assert claim.citation.quote in source_text, claim.id


def test_every_shipped_source_is_cited() -> None:
    kb = load_knowledge()
    cited = {c.citation.source for c in kb.claims if c.current}
    assert cited == set(kb.sources)


def test_soc2_type1_is_superseded_by_type2() -> None:
    kb = load_knowledge()
    type1 = [c for c in kb.claims if re.search(r"SOC 2 Type 1", c.citation.quote)]
    assert type1, "the early-2024 FAQ's SOC 2 Type 1 statement must be a claim"
    for claim in type1:
        assert claim.superseded_by is not None
        successor = kb.claim(claim.superseded_by)
        assert successor is not None and "Type 2" in successor.citation.quote


def test_shipped_claims_have_five_phrasings_and_both_polarities_somewhere() -> None:
    kb = load_knowledge()
    assert all(len(c.questions) >= 5 for c in kb.claims)
    assert any(p.answer == "No" for c in kb.claims for p in c.questions)


def test_the_shipped_claims_apply_only_to_the_products_their_sources_cover() -> None:
    """An audit of every claim against its page (session 10): the API privacy page of 2023 speaks
    for the API alone ("not for the consumer applications"); ChatGPT for Teachers and for Healthcare
    are named by few sentences, and a claim may speak for them only through such a sentence or one
    about ChatGPT as a whole; a Business Associate Agreement is named for the API alone."""
    kb = load_knowledge(default_kb_dir())
    family = re.compile(r"\bChatGPT\b(?! (?:Enterprise|Team|Edu|Business|for))")
    for claim in kb.claims:
        if claim.superseded_by:
            continue
        quote = claim.citation.quote
        if claim.citation.source == "api-data-privacy-2023":
            assert claim.products == ("api",), claim.id
        for plan, name in (("chatgpt-teachers", "for Teachers"), ("chatgpt-healthcare", "for Healthcare")):
            if plan in claim.products:
                assert name in quote or family.search(quote), claim.id
    assert kb.claim("law-baa").products == ("api",)
    # features listed for "business products" as a group: not said of the Team / Business plans
    for collective in ("logging-audit-logs", "residency-chatgpt-api"):
        assert not {"chatgpt-team", "chatgpt-business"} & set(kb.claim(collective).products), collective
