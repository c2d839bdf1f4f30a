"""The accuracy guarantees, measured on the labelled real questionnaires.

eval/labels.yaml is the set the matcher was tuned on; eval/labels-heldout.yaml was labelled
afterwards, from the question texts and claims alone, and is never tuned on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autofill.evaluate import Tally, evaluate, load_labels, read_any
from autofill.fill import FillOptions
from autofill.knowledge import load_knowledge
from tests.conftest import ROOT, shared_dir

LABELS = ROOT / "eval" / "labels.yaml"
HELD_OUT = ROOT / "eval" / "labels-heldout.yaml"


# --product changes which claims compete: every mode a user can pick must stay safe.
@pytest.fixture(
    scope="module",
    params=[(LABELS, None), (HELD_OUT, None), (LABELS, "api"), (LABELS, "chatgpt-enterprise"), (HELD_OUT, "api")],
    ids=["tuned", "held-out", "tuned-api", "tuned-enterprise", "held-out-api"],
)
def total(request: pytest.FixtureRequest) -> Tally:
    base = shared_dir()
    if base is None:
        pytest.skip("shared/questionnaires not available (set AUTOFILL_SHARED)")
    path, product = request.param
    options = FillOptions(overwrite=True, product=product)
    results = evaluate(load_labels(path), base / "questionnaires", load_knowledge(), options)
    tally = Tally()
    for one in results.values():
        tally.add(one)
    return tally


@pytest.mark.slow
def test_no_wrong_answer_is_written_on_real_questionnaires(total: Tally) -> None:
    assert total.wrong == 0, "\n".join(total.wrong_rows)


@pytest.mark.slow
def test_uncovered_questions_are_left_for_a_person(total: Tally) -> None:
    assert total.uncovered >= 250
    assert total.left / total.uncovered >= 0.95


@pytest.mark.slow
def test_every_label_names_a_question_the_readers_find(total: Tally) -> None:
    assert total.unfound == 0


@pytest.mark.parametrize("path", [LABELS, HELD_OUT], ids=["tuned", "held-out"])
def test_labels_name_current_claims_and_copy_no_question_text(path: Path) -> None:
    kb = load_knowledge()
    labels = load_labels(path)
    assert len(labels) >= 150
    for label in labels:
        for claim_id in label.claims:
            claim = kb.claim(claim_id)
            assert claim is not None and claim.current, claim_id
            assert label.answer in ("Yes", "No", "N/A")
    text = path.read_text(encoding="utf-8")
    assert "?" not in text.replace("# ", "")  # keys and claim ids only, never a licensed question


def test_vsaq_and_csv_question_lists_are_read(tmp_path: Path) -> None:
    vsaq = tmp_path / "q.json"
    vsaq.write_text(
        '// comment line\n{"questionnaire": [{"type": "block", "items": [\n'
        '{"type": "radiogroup", "id": "enc", "text": "<b>Is data</b> encrypted " +\n "at rest?"}]}]}'
    )
    assert [(q.qid, q.text) for q in read_any(vsaq)] == [("enc", "Is data encrypted at rest?")]
    listing = tmp_path / "q.csv"
    listing.write_text("Question ID,Domain,Question Text\r\nA.1,X,Do you train staff?\r\n", encoding="utf-8")
    assert [(q.qid, q.text) for q in read_any(listing)] == [("A.1", "Do you train staff?")]


@pytest.mark.slow
def test_suggestions_are_worth_a_persons_time(total: Tally, request: pytest.FixtureRequest) -> None:
    _, product = request.node.callspec.params["total"]
    if product is not None:
        pytest.skip("the suggestion figures are measured without --product")
    # README "Accuracy, measured", with the meaning model the dev tools install: 56 first and 71 in
    # the first three of 81; 4 of 586 and 0 of 250 uncovered questions highlighted for review.
    assert total.uncovered_review <= 0.05 * total.uncovered
    if total.covered:
        assert total.top3 >= 70 and total.first >= 56
