from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autofill.knowledge import load_knowledge
from autofill.matching import Matcher, _without, product_names
from autofill.text import content_tokens, example_tokens, normalize, question_key
from tests.kb_factory import make_kb


@pytest.fixture
def matcher(tmp_path: Path) -> Matcher:
    return Matcher(load_knowledge(make_kb(tmp_path)))


@pytest.mark.parametrize(
    ("question", "claim", "answer"),
    [
        pytest.param("Is customer data encrypted at rest?", "enc-at-rest", "Yes", id="exact"),
        pytest.param("Is all client data encrypted while stored?", "enc-at-rest", "Yes", id="reworded"),
        pytest.param("Do you use customer data to train AI/ML models?", "training-default", "No", id="abbreviation"),
        pytest.param("Is customer data excluded from model training?", "training-default", "Yes", id="polarity-yes"),
        pytest.param("Have you completed a SOC2 Type II audit?", "soc2-type2", "Yes", id="soc-spelling"),
    ],
)
def test_confident_matches(matcher: Matcher, question: str, claim: str, answer: str) -> None:
    best = matcher.match(question).best
    assert best is not None
    assert (best.claim, best.answer) == (claim, answer)
    assert best.confidence >= 80, best


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Do you have a SOC 1 Type 2 report?", id="soc1-not-soc2"),
        pytest.param("Are you ISO 22301 certified?", id="other-standard"),
        pytest.param("Do you protect customer data?", id="generic-words"),
        pytest.param("Are visitors escorted in the data center?", id="unrelated"),
        pytest.param("Do you rotate encryption keys yearly?", id="same-topic-other-control"),
    ],
)
def test_questions_the_base_does_not_answer_stay_low(matcher: Matcher, question: str) -> None:
    best = matcher.match(question).best
    assert best is None or best.confidence < 60, best


def test_polarity_flips_between_phrasings(matcher: Matcher) -> None:
    used = matcher.match("Is customer data used to train models?").best
    excluded = matcher.match("Is customer data excluded from training?").best
    assert used is not None and excluded is not None
    assert (used.answer, excluded.answer) == ("No", "Yes")


def test_product_filter_removes_claims(tmp_path: Path) -> None:
    kb = load_knowledge(make_kb(tmp_path))
    consumer = Matcher(kb, "consumer").match("Do you use customer data to train your AI models?").best
    assert consumer is None or consumer.claim != "training-default"
    api = Matcher(kb, "api").match("Do you use customer data to train your AI models?").best
    assert api is not None and api.claim == "training-default"


def test_candidates_are_one_per_claim_best_first(matcher: Matcher) -> None:
    result = matcher.match("Is customer data encrypted at rest and excluded from training?")
    claims = [c.claim for c in result.candidates]
    assert len(claims) == len(set(claims))
    assert [c.confidence for c in result.candidates] == sorted((c.confidence for c in result.candidates), reverse=True)


def test_normalize_folds_the_field_vocabulary() -> None:
    assert normalize("Multi-Factor Authentication") == normalize("MFA")
    assert normalize("Single Sign-On (SSO)") == "sso sso"
    assert "soc2" in normalize("SOC II") and "type2" in normalize("Type II")
    assert "iso27001" in normalize("ISO/IEC 27001:2022")
    assert content_tokens("Do you have a policy for the data?") == ("policy", "data")
    # a revision stays with its standard; "Type One" is Type 1; "within a day" is a duration of one
    assert normalize("ISO/IEC 27001:2022 and 27701:2019") == "iso27001 iso27001y2022 and iso27701 iso27701y2019"
    assert "type1" in normalize("a Type One report") and "type2" in normalize("Type Two")
    assert normalize("removed within a day") == "delete within 1 day"
    assert normalize("once a day") == "once a day"  # a frequency, not a duration
    assert "3des" in content_tokens("Triple DES (3DES)")
    # a possessive of a word ending in "i" is that word (round 59: "OpenAI's models" left unanswered)
    assert content_tokens("OpenAI's models") == content_tokens("OpenAI models") == ("openai", "model")
    assert content_tokens("the API’s rate limits") == ("api", "rate", "limit")
    # "subject to" asks whether it is done ("data subject requests" keep their subject)
    assert content_tokens("Is the API subject to annual penetration testing?") == ("api", "annual", "pentest")
    # everyday words for the field's (round 71: a school's, a clinic's forms)
    assert content_tokens("Is our stuff scrambled?") == ("data", "encrypt")
    assert content_tokens("Do you pay people who find holes in your security?")[-1] == "vulnerability"
    assert content_tokens("Do you follow GDPR?") == content_tokens("Do you comply with GDPR?")
    assert content_tokens("Is our data used to teach your AI?") == content_tokens("Is our data used to train your AI?")
    assert content_tokens("Do you use outside auditors?") == content_tokens("Do you use external auditors?")
    assert content_tokens("Is data stored outside the EU?") == ("atrest", "outside", "eu")
    assert content_tokens("data subject requests") == ("data", "subject", "request")
    # "as well as" joins two things: no "well" the claims must speak of (round 111b left the SOC 2 row blank)
    assert content_tokens("Privacy as well as Security") == content_tokens("Privacy and Security")
    assert "well" in content_tokens("a well documented plan")
    # "in order to", "so as to" state a purpose: no "order" the claims must speak of (round 118a left a plain No blank)
    assert content_tokens("build profiles in order to advertise") == content_tokens("build profiles to advertise")
    assert content_tokens("build profiles so as to advertise") == content_tokens("build profiles to advertise")
    assert "order" in content_tokens("disclose data to comply with a court order")
    assert "order" in content_tokens("listed in order of priority")
    # a contract's defined party before its modal is the vendor: "Provider shall encrypt ..." (round 115b)
    assert normalize("7.1 Provider will notify Customer of a breach.") == "you will notify customer of a breach"
    assert normalize("Supplier shall encrypt data.") == normalize("You shall encrypt data.")
    assert normalize("Vendor management is reviewed.").startswith("vendor management")
    # improving the vendor's products is one concept, not "improve" of whatever else the row names (round 113)
    assert "productimprovement" in content_tokens("to improve the supplier's products and services")
    assert "productimprovement" not in content_tokens("to train or improve your AI models")
    # "kept out of" classifiers is excluded from them (round 112a offered the Yes of "may still be run through")
    assert content_tokens("Is content kept out of safety classifiers?") == content_tokens(
        "Is content excluded from safety classifiers?"
    )


def test_normalize_gives_the_same_text_whatever_words_it_met_before() -> None:
    # normalize keeps per-word caches (the patterns a word may begin, its folded form)
    from autofill import text

    claims = load_knowledge(None).claims
    texts = [p.q for c in claims for p in c.questions] + [c.answer_text for c in claims] + ["Single Sign-On (SSO)"]

    def fresh(order: list[str]) -> dict[str, str]:
        normalize.cache_clear()
        text._BEGINS.clear()
        text._FOLDED.clear()
        return {t: normalize(t) for t in order}

    forwards, backwards = fresh(texts), fresh(texts[::-1])
    assert forwards == backwards
    assert forwards["Single Sign-On (SSO)"] == backwards["Single Sign-On (SSO)"] == "sso sso"


def test_a_question_of_common_words_still_gets_candidates(tmp_path: Path) -> None:
    from tests.kb_factory import BASE_CLAIMS

    claims = [dict(c, id=f"{c['id']}-{n}") for n in range(5) for c in BASE_CLAIMS]
    for claim in claims:  # same phrasings in many claims: every word becomes common
        claim["questions"] = [{"q": f"{q['q']} ({claim['id']})", "answer": q["answer"]} for q in claim["questions"]]
    matcher = Matcher(load_knowledge(make_kb(tmp_path, claims)))
    assert matcher.match("Is customer data used to train models?").candidates


@pytest.mark.parametrize(
    "text",
    [
        "Is SOC 2 Type II available, and x.soc 2 or soc1?",
        "On call 24/7 around the clock; on-prem or on premises?",
        "Customers' data and client data over the internet, in transit and at rest",
        "ISO/IEC 27001:2013, 27018 and iso 42001 certified",
        "Multi-factor authentication, 2FA, strong authentication, SAML2.0 and TLS v1.2+",
    ],
)
def test_phrase_patterns_match_as_written(text: str) -> None:
    # The compiled patterns are rewritten to begin with their literal text; they must find
    # exactly what the written patterns find.
    import re

    from autofill.text import _PHRASES, _pattern

    lowered = " ".join(text.lower().split())
    for number, (written, repl) in enumerate(_PHRASES):
        assert _pattern(number).subn(repl, lowered) == re.subn(written, repl, lowered), written


_RANK_ALL = """
import json, sys
from autofill.knowledge import load_knowledge
from autofill.matching import Matcher, _without, product_names
kb = load_knowledge()
matcher = Matcher(kb)
openers = ("Please confirm:", "Describe whether", "For all production systems,")
tails = ("and is it reviewed annually?", "including backups and third parties?", "")
rows = []
for claim in kb.current_claims():
    for n, phrasing in enumerate(claim.questions):
        text = f"{openers[n % 3]} {phrasing.q.rstrip('?')} {tails[n % 3]}"
        rows.append([(c.claim, c.answer, c.confidence) for c in matcher.match(text).candidates])
json.dump(rows, sys.stdout)
"""


@pytest.mark.slow
def test_the_same_question_gets_the_same_scores_in_every_run() -> None:
    # Python salts string hashes per process: nothing a question scores may depend on the
    # order a set happens to iterate in (float sums, shortlist ties).
    def ranked(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _RANK_ALL], env=env, capture_output=True, text=True, check=True)
        return done.stdout

    first = ranked("1")
    assert len(json.loads(first)) > 1000
    assert ranked("2") == first
    assert ranked("3") == first


def test_a_form_for_one_product_leaves_its_name_unsaid() -> None:
    # The claim is the API's; a form filled --product api asks about the API without naming it.
    kb = load_knowledge()
    question = "Do you conduct annual third-party penetration testing?"
    general = Matcher(kb)
    best = general.match(question).best
    assert best is not None and best.claim == "testing-pentest-annual"
    # Without --product the API's phrasing names a product the question leaves unsaid.
    claim = general.claims[best.claim]
    assert general.products_unsaid(question, best.phrasing, claim) == ["API Platform"]
    for_api = Matcher(kb, "api").match(question).best
    assert Matcher(kb, "api").products_unsaid(question, best.phrasing, claim) == []
    # A question that names a product the claim covers says which it means.
    assert general.products_unsaid("Is the OpenAI API penetration tested annually?", best.phrasing, claim) == []
    assert for_api is not None and (for_api.claim, for_api.answer) == ("testing-pentest-annual", "Yes")
    assert for_api.confidence >= 80
    # For another product the API's claim is not there to answer.
    enterprise = Matcher(kb, "chatgpt-enterprise").match(question).best
    assert enterprise is None or enterprise.claim != "testing-pentest-annual"


def test_product_name_runs_are_taken_out_but_a_plain_word_stays() -> None:
    names = product_names("chatgpt-team")
    tokens = content_tokens("Is ChatGPT Team data tested by a team of security experts?")
    assert _without(tokens, names) == ("data", "test", "team", "security", "expert")
    assert product_names(None) == () and product_names("api") == (("api",),)


def test_a_claims_score_does_not_rise_when_a_product_leaves_others_out() -> None:
    # How telling a word is comes from every current claim, so filtering by product only
    # removes candidates; it cannot lift a claim that applies to all products.
    kb = load_knowledge()
    question = "Is infrastructure hosted with trusted cloud providers using change management?"
    scores = {}
    for product in (None, "api", "consumer"):
        best = Matcher(kb, product).match(question).best
        assert best is not None
        scores[product] = (best.claim, best.confidence)
    assert len(set(scores.values())) == 1, scores


def test_the_learned_key_drops_articles_only_and_keeps_whose_data_it_is() -> None:
    assert question_key("Is the data stored within its region?") == question_key("Is data stored within their region?")
    assert question_key("Is our data encrypted?") != question_key("Is your data encrypted?")
    assert question_key("Is data retained in the US?") != question_key("Is data retained?")


def test_phrasings_tied_at_the_shortlists_cut_are_chosen_by_every_word_they_share() -> None:
    # "fine-tuning" is the question's only telling word and dozens of phrasings share it: the
    # first met used to fill the shortlist, and the phrasing that says the question was left out.
    question = "Is our fine-tuning data used to train models for other customers?"
    best = Matcher(load_knowledge()).match(question).best
    assert best is not None
    assert (best.claim, best.answer, best.confidence) == ("finetune-training-file-solely-yours", "No", 100.0)
    assert best.phrasing == "Is customer fine-tuning data used to train models for other customers?"


@pytest.mark.parametrize(
    "question",
    [
        "3.2 Is customer data encrypted at rest?",
        "DP-01: Is customer data encrypted at rest?",
        "7.4(b) Is customer data encrypted at rest?",
    ],
)
def test_a_rows_own_number_is_no_part_of_its_question(question: str) -> None:
    matcher = Matcher(load_knowledge())
    best = matcher.match(question).best
    plain = matcher.match("Is customer data encrypted at rest?").best
    assert best is not None and plain is not None and best.confidence == plain.confidence == 100.0
    assert question_key(question) == question_key("Is customer data encrypted at rest?")


@pytest.mark.parametrize(
    ("question", "claim", "answer"),
    [
        # who does it, as the claim says: answered
        (
            "Can ChatGPT Enterprise workspace admins view users' conversations?",
            "visibility-enterprise-admins-can-view",
            "Yes",
        ),
        (
            "Can ChatGPT Enterprise end users view their own conversations?",
            "visibility-enterprise-admins-can-view",
            "Yes",
        ),
        (
            "Do only authorized employees and specialized contractors have access to stored API data?",
            "access-api-data-limited",
            "Yes",
        ),
        ("Can customers fine-tune models using their own data?", "finetune-with-own-data", "Yes"),
        # what a thing lasts until, said another way (round 101 lost it to the until rule)
        (
            "Are fine-tuning files kept until the customer deletes them?",
            "retention-finetune-files-until-deleted",
            "Yes",
        ),
        (
            "Fine-tuning data is retained until the customer deletes the files.",
            "retention-finetune-files-until-deleted",
            "Yes",
        ),
        (
            "In ChatGPT Team, can workspace admins view end users' conversations?",
            "visibility-team-only-end-users",
            "No",
        ),
    ],
)
def test_questions_read_as_their_claim_reads_keep_its_answer(question: str, claim: str, answer: str) -> None:
    best = Matcher(load_knowledge()).match(question).best
    assert best is not None and (best.claim, best.answer) == (claim, answer) and best.confidence >= 80, best


@pytest.mark.parametrize(
    "question",
    [
        "Is customer data encrypted at rest? (Yes/No)",
        "Is customer data encrypted at rest?\n(Yes/No - attach evidence)",
        "Is customer data encrypted at rest?\nPlease answer Yes or No.",
        "Data protection:\n• Is customer data encrypted at rest?",
        "#7 Is customer data encrypted at rest?",
        "No. 7 Is customer data encrypted at rest?",
        "Item 7 - Is customer data encrypted at rest?",
    ],
)
def test_how_a_form_numbers_labels_or_asks_for_the_answer_is_no_part_of_the_question(question: str) -> None:
    # "(Yes/No)" once read as a negation ("no"), and a label or "#7" as words no claim speaks of
    from autofill.text import question_negated, question_proper

    assert question_proper(question) == "Is customer data encrypted at rest?"
    assert not question_negated(question)
    best = Matcher(load_knowledge()).match(question).best
    assert best is not None and (best.claim, best.answer, best.confidence) == ("encryption-at-rest", "Yes", 100.0)


@pytest.mark.parametrize("question", ["Pre-2023 API data used for training?", "Post-2023 API data used for training?"])
def test_a_time_before_the_question_is_no_row_number(question: str) -> None:
    # round 98: "Pre-2023" was taken off as the row's id, and the rest took the "not by default" No
    from autofill.text import question_proper

    assert question_proper(question) == question


def test_a_word_the_claims_spell_the_other_way_is_theirs(tmp_path: Path) -> None:
    claim = {
        "id": "monitoring",
        "fact": "We monitor for suspicious behavior and minimize the personal data we keep.",
        "products": ["all"],
        "citation": {"source": "sec", "quote": "We encrypt all customer data at rest"},
        "answer_text": "We monitor for suspicious behavior and minimize personal data.",
        "questions": [
            {"q": "Do you monitor accounts for unusual behavior?", "answer": "Yes"},
            {"q": "Do you minimize the personal data you keep?", "answer": "Yes"},
            {"q": "Is suspicious behavior detected?", "answer": "Yes"},
            {"q": "Is personal data minimized?", "answer": "Yes"},
            {"q": "Is a separate license required for monitoring?", "answer": "No"},
        ],
    }
    matcher = Matcher(load_knowledge(make_kb(tmp_path, [claim])))
    british = matcher.match("Do you monitor accounts for unusual behaviour?").best
    assert british is not None and british.confidence == matcher.match(claim["questions"][0]["q"]).best.confidence
    assert matcher.unknown("Do you minimise the personal data you keep?") == []
    assert matcher.unknown("Is a separate licence required for monitoring?") == []
    # a word of neither spelling stays what it is, and stays unknown
    assert matcher.unknown("Do you advise on the licence?") == ["advise"]


def test_a_question_saying_both_opposites_is_neither_ones() -> None:
    # "removed within 30 days unless legally required to retain them" says delete and retain: the
    # phrasing that says only "removed ... unless legally required to be kept" is not its opposite
    kb = load_knowledge()
    statement = (
        "Deleted ChatGPT Enterprise conversations are removed within 30 days unless legally required to retain them."
    )
    best = Matcher(kb, "chatgpt-enterprise").match(statement).best
    assert best is not None and (best.claim, best.answer) == ("deletion-enterprise-conversations-30-days", "Yes")
    assert best.confidence >= 80
    # one verb alone still stands against its opposite
    retained = Matcher(kb, "chatgpt-enterprise").match(
        "Are deleted ChatGPT Enterprise conversations retained within 30 days?"
    )
    assert retained.best is None or retained.best.answer != "Yes" or retained.best.confidence < 80


def test_a_claim_speaks_of_what_its_sentence_says_not_all_its_quote_does() -> None:
    # The transit claim quotes "at rest (AES-256) and in transit between our customers and us, and
    # between us and our service providers (TLS 1.2+)"; its own sentence is about customers and
    # OpenAI: it does not speak of service providers, which the service-provider claim does.
    matcher = Matcher(load_knowledge())
    question = "Is data in transit to your service providers encrypted with TLS 1.2 or above?"
    assert "subprocessor" in matcher.uncovered(question, "encryption-in-transit-tls12")
    assert "subprocessor" not in matcher.uncovered(question, "encryption-service-providers-tls12")


def test_the_vendor_in_the_third_person_is_you() -> None:
    # round 30: "Does the vendor maintain a bug bounty program?" scored below "Do you ..." by its "vendor"
    assert normalize("Does the vendor maintain a bug bounty program?") == normalize(
        "Does you maintain a bug bounty program?"
    )
    assert normalize("Is the supplier's data center audited?") == normalize("Is your data center audited?")
    assert normalize("Is customer data used to train the CSP's models?") == normalize(
        "Is customer data used to train your models?"
    )
    # the vendor's own vendors are another party
    assert "vendor" in normalize("Do you assess the vendors you use?").split()


def test_examples_after_an_unbracketed_eg_are_examples() -> None:
    # a SIG row lists its examples without brackets: "OpenID" named only there is no word the claims must
    # speak of (the evaluation's "never speaks of: OpenID" left the SAML claim's Yes unsuggested)
    row = "Is a standards-based federated ID capability available to clients e.g., SAML, OpenID, Single Sign On?"
    assert {"openid", "saml"} <= example_tokens(row)
    assert "federated" not in example_tokens(row)
    assert example_tokens("Do you encrypt data (e.g. AES-256) at rest?") == example_tokens(
        "Do you encrypt data at rest e.g. AES-256?"
    )
    # "such as" without brackets is often the row's own object: not taken for examples
    assert example_tokens("Do you encrypt sensitive data such as passwords?") == frozenset()
