"""Reading a question: the kind of answer, whose practice, the customer's paper, how often, clauses."""

from __future__ import annotations

import pytest

from autofill.fill import answer_value, yes_no_refused
from autofill.models import FormQuestion, Location
from autofill.reading import (
    clauses,
    completed,
    contrasts,
    declared_voice,
    defined_names,
    differences,
    main_clause,
    one_voice,
    quantities,
    question_kind,
    read_question,
    reader_voice,
    reads_as_heading,
    scope_unsaid,
    section_scope,
    title_name,
    vendor_voice,
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        pytest.param("Do you encrypt data at rest?", "closed", id="question"),
        pytest.param("When a user deletes a conversation, is it removed within 30 days?", "closed", id="lead-in"),
        pytest.param("Confirm that backups are encrypted.", "closed", id="confirm"),
        pytest.param("How long are API inputs retained?", "open", id="how-long"),
        pytest.param("Describe your incident response process.", "open", id="describe"),
        pytest.param("Website", "label", id="website"),
        pytest.param("Country of Company Headquarters", "label", id="place"),
        # round 51: a supplier's self-assessment states its practice in the first person
        pytest.param("We encrypt customer data at rest.", "closed", id="we-statement"),
        pytest.param("We regularly review access rights", "closed", id="we-no-stop"),
        pytest.param("Services Provided", "label", id="list"),
        pytest.param("Encryption at rest", "label", id="bare-phrase"),
        pytest.param("Implement access control to protect data", "phrase", id="imperative"),
        pytest.param("The application shall enforce least privilege.", "closed", id="requirement"),
    ],
)
def test_the_kind_of_answer_a_row_wants(question: str, kind: str) -> None:
    assert read_question(question).kind == kind


@pytest.mark.parametrize(
    ("question", "party"),
    [
        pytest.param("Does OpenAI own the outputs generated from customer inputs?", "vendor", id="vendor-named"),
        pytest.param("Do you use customer data to train your models?", "vendor", id="you"),
        pytest.param("Does the customer own their inputs and outputs?", "customer", id="customer"),
        pytest.param("Do API customers own the outputs generated from their inputs?", "customer", id="modified"),
        pytest.param("Is AI-generated output owned by the customer?", "customer", id="passive-agent"),
        pytest.param("Is customer data encrypted at rest?", "vendor", id="customer-data-is-a-thing"),
        pytest.param("Do your subprocessors have SOC 2 reports?", "third", id="subprocessors"),
        pytest.param("Does your cloud hosting provider hold ISO 27001?", "third", id="hosting-provider"),
        pytest.param("Does the customer's data get used by third parties to train models?", "third", id="by-third"),
        pytest.param("As between the parties, does the customer own the output?", "customer", id="lead-in"),
        pytest.param("Can customers choose the region where data is stored?", "vendor", id="offered"),
        pytest.param("Can customers access their conversations?", "customer", id="access-is-theirs"),
        pytest.param("Do your employees complete security training?", "vendor", id="your-people"),
        # round 37: a terse row led by a party is about that party
        pytest.param("Customer owns inputs and outputs", "customer", id="statement-customer"),
        pytest.param("Vendor claims ownership of prompts and outputs", "vendor", id="statement-vendor"),
        pytest.param("Workspace admins can view conversations", "customer", id="statement-modal"),
        pytest.param("Indicate whether the customer controls retention.", "customer", id="statement-opening"),
        pytest.param("Describe the controls customers have over retention.", "vendor", id="no-subject-after-verb"),
        # round 38: the customer's people act for the customer
        pytest.param("Can the customer's workspace admins view chat history?", "customer", id="customers-admins"),
        pytest.param("Are the customer's employees trained?", "customer", id="customers-employees"),
        pytest.param("Do a subprocessor's employees have access?", "third", id="third-partys-people"),
        pytest.param("Is the customer's data encrypted?", "vendor", id="customers-data-is-a-thing"),
        # round 59: the vendor's people act for it; a company it deals with does not
        pytest.param(
            "Does the Supplier's cloud hosting provider follow change management?", "third", id="vendors-host"
        ),
        pytest.param("Does the vendor's service provider encrypt data?", "third", id="vendors-provider"),
        pytest.param("Does your hosting vendor follow change management?", "third", id="hosting-vendor"),
        pytest.param("Are the vendor's employees trained?", "vendor", id="vendors-employees"),
        pytest.param("Does the Supplier's team review code changes?", "vendor", id="vendors-team"),
        # round 61: another company's thing, a supplier of the vendor's, a firm it hires, a lead too long for a label
        pytest.param(
            "Are changes to the IaaS provider's infrastructure subject to your change control?", "third", id="thing"
        ),
        pytest.param("Are changes to the infrastructure of your subprocessors reviewed?", "third", id="thing-of"),
        pytest.param("Do you review your subprocessors' SOC 2 reports?", "third", id="plural-possessive"),
        pytest.param("Do you maintain a list of your subprocessors?", "vendor", id="list-of-them"),
        pytest.param("Does your infrastructure supplier follow change management?", "third", id="your-supplier"),
        pytest.param("Does the Supplier encrypt data at rest?", "vendor", id="the-supplier"),
        pytest.param(
            "Does the vendor's penetration testing firm have 24/7 on-call coverage?", "third", id="hired-firm"
        ),
        pytest.param("Do the companies that resell your services run a bug bounty program?", "third", id="resellers"),
        pytest.param(
            "With respect to the vendor's cloud provider: is customer data encrypted in transit?",
            "third",
            id="long-lead",
        ),
        pytest.param("Can CSC workspace admins view conversations?", "customer", id="customer-workspace-admins"),
        pytest.param("4.2 With respect to your cloud provider: is data encrypted?", "third", id="long-lead-numbered"),
        # round 62: companies that buy from the vendor are its customers; the client's admins act for it
        pytest.param("Do companies that use your service own their inputs and outputs?", "customer", id="buyers"),
        pytest.param("Do companies using the API own the outputs they receive?", "customer", id="buyers-using"),
        pytest.param("Do companies hosting your service hold SOC 2?", "third", id="hosts"),
        pytest.param("Can the client's admins view chat history?", "customer", id="clients-admins"),
        pytest.param("Is the customer's admin console protected by MFA?", "vendor", id="admin-console-is-a-thing"),
        # round 47: a lead naming another party says whose the question is
        pytest.param("In respect of your subprocessors, is customer data encrypted?", "third", id="lead-third"),
        pytest.param("In respect of your subprocessors: Is data encrypted at rest?", "third", id="lead-label"),
        pytest.param("For ChatGPT Enterprise, is data encrypted at rest?", "vendor", id="lead-product"),
        pytest.param("When a user deletes a conversation, is it removed?", "vendor", id="lead-condition"),
    ],
)
def test_whose_practice_a_question_asks_about(question: str, party: str) -> None:
    assert read_question(question).party == party


@pytest.mark.parametrize(
    ("question", "party", "actor"),
    [
        # HECVAT AAAI-01 / HIPA-16: the vendor's solution offers it; nobody's act is asked about
        ("Does your solution support single sign-on (SSO) protocols?", "vendor", None),
        ("Does your application provide the ability to define user access levels?", "vendor", None),
        ("Does your platform allow customers to delete data?", "vendor", "customer"),
        ("Do your systems encrypt data?", "vendor", "vendor"),
        # round 38: a workspace's admins named by the product or by "our"
        ("Can ChatGPT Team admins view end users' conversations?", "customer", "customer"),
        ("Can our administrators view our end users' conversations?", "customer", "customer"),
        ("Do your admins use MFA?", "vendor", "vendor"),
        # round 44: a public buyer's name for the vendor, possessive
        ("Can the Contractor's workspace administrators view customer conversations?", "vendor", "vendor"),
        # round 48: the customer, or its own people, doing the vendor's testing or auditing
        ("Is the API penetration tested by customers at least annually?", "vendor", "customer"),
        ("Is the OpenAI API penetration tested annually by the customer?", "vendor", "customer"),  # round 68
        ("Are your security controls validated by our auditors?", "vendor", "customer"),
        ("Are your platforms tested by us?", "vendor", "customer"),
        ("Have our auditors performed a SOC 2 audit of your controls?", "customer", "customer"),
        ("Is the API penetration tested by an independent third party?", "vendor", None),
        ("Are your controls validated by independent auditors?", "vendor", "vendor"),
        # round 49: a customer's people named further into the agent, or in a lead before "they"
        ("Are your platforms tested by a team of the customer's security experts?", "vendor", "customer"),
        ("Regarding the Customer's auditors, do they validate your security testing?", "customer", "customer"),
    ],
)
def test_who_acts_in_a_question(question: str, party: str, actor: str | None) -> None:
    reading = read_question(question)
    assert (reading.party, reading.actor) == (party, actor)


def test_the_customers_own_paper_and_frequencies() -> None:
    assert read_question("Will you sign our Data Processing Agreement?").theirs
    assert read_question("Will you accept the institution's security addendum?").theirs
    assert not read_question("Will you sign a data processing agreement with our organization?").theirs
    assert read_question("Do you rotate keys annually?").frequencies == {"annual"}
    assert read_question("Are backups tested every six months?").frequencies == {"semiannual"}
    # examples are not what is asked
    assert not read_question("Are penetration tests performed (e.g., monthly, quarterly)?").frequencies
    assert differences("Do you test quarterly?", "Do you test annually?")
    assert differences("Do you own the outputs?", "Do customers own the outputs?")
    assert not differences("Is data encrypted at rest?", "Is customer data encrypted at rest?")


def test_clauses_split_at_and_before_a_verb_only() -> None:
    assert clauses("Do you encrypt data at rest using AES-256 and support customer-managed keys (BYOK)?") == [
        "Do you encrypt data at rest using AES-256",
        "support customer-managed keys (BYOK)?",
    ]
    assert clauses("Is data encrypted at rest and in transit?") == ["Is data encrypted at rest and in transit?"]
    # round 91: the ", and" that ends a list is no clause's end ("Ensure that managers, systems
    # administrators" was answered alone from the audit-log claim); one before a verb is
    listed = "Ensure that managers, systems administrators, and users of systems are made aware of the risks."
    assert clauses(listed) == [listed]
    assert clauses("Do you encrypt data at rest, in transit, and rotate keys annually?") == [
        "Do you encrypt data at rest, in transit",
        "rotate keys annually?",
    ]
    assert clauses("Is data encrypted at rest, and do you rotate keys?") == [
        "Is data encrypted at rest",
        "do you rotate keys?",
    ]


def test_a_terse_row_asking_its_question_last_is_open() -> None:
    # round 91 offered a Yes for "Data kept how long?", which accepting would have written bare
    for row in ("Data kept how long?", "Prompts stored for how long?", "Hosted where?", "Logs reviewed how often?"):
        assert question_kind(row) == "open", row
    assert question_kind("Do you know how long data is kept?") == "closed"


def test_a_question_word_after_a_preposition_asks_no_yes_or_no() -> None:
    # round 105 wrote "Yes" (and the sentence) to "Within how many days are deleted ... removed ...?"
    rows = (
        "Within how many days are deleted ChatGPT Enterprise conversations removed from your systems?",
        "For how long are API logs retained?",
        "In which regions can data be stored?",
        "At what frequency are penetration tests performed?",
        "Under what circumstances can OpenAI staff access conversations?",
        "To whom is customer data disclosed?",
    )
    for row in rows:
        assert question_kind(row) == "open", row
    assert question_kind("In your opinion, is data encrypted at rest?") == "closed"
    assert question_kind("For all products, is data encrypted at rest?") == "closed"
    # round 112b: inside the row, whatever opens it ("Yes" was offered, and accepting wrote it)
    for row in (
        "Deleted Enterprise conversations are purged within how many days?",
        "Are deleted conversations purged within how many days?",
        "Is customer data stored in which region?",
        "Do you retain API logs for how long?",
    ):
        assert question_kind(row) == "open", row
    for row in ("Do you comply with what the law requires?", "Do you document which subprocessors you use?"):
        assert question_kind(row) == "closed", row


def test_a_label_row_takes_no_yes_no_even_from_a_person() -> None:
    website = FormQuestion(Location(row=2, cell="C2"), "Website", choices=("Yes", "No", "N/A"))
    assert yes_no_refused(website) and answer_value("Yes", "A sentence.", website) is None
    closed = FormQuestion(Location(row=3, cell="C3"), "Is data encrypted?", choices=("Yes", "No", "N/A"))
    assert yes_no_refused(closed) is None and answer_value("Yes", "A sentence.", closed) == "Yes"
    # a bare noun phrase names a field to fill in; a requirement stated as an instruction takes
    # Yes / No only where its cell offers them
    assert yes_no_refused(FormQuestion(Location(row=4, cell="C4"), "Encryption at rest", choices=("Yes", "No")))
    rule = FormQuestion(Location(row=5, cell="C5"), "Implement access control to protect data")
    assert yes_no_refused(rule)
    assert yes_no_refused(FormQuestion(rule.location, rule.text, choices=("Yes", "No"))) is None


@pytest.mark.parametrize(
    ("question", "frequencies"),
    [
        ("Is a security team on call around the clock, every day of the year?", frozenset()),
        ("Are backups taken every day?", frozenset({"daily"})),
    ],
)
def test_every_day_of_the_year_is_always_not_daily(question: str, frequencies: frozenset[str]) -> None:
    assert read_question(question).frequencies == frequencies


@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("Is encryption at rest optional?", {"optional"}),
        ("Is ISO 27001 certification planned?", {"planned"}),
        ("Are you working towards SOC 2 Type 2?", {"planned"}),
        ("Did you use to hold ISO 27001 certification?", {"past"}),
        ("Can deleted conversations be recovered after 30 days?", {"recovered"}),
        ("Are inputs deleted after 30 days even if the law requires retention?", {"override"}),
        ("Do you provide your SOC 2 Type 2 report to customers?", {"handed"}),
        ("Is your ISO certificate available upon request?", {"handed"}),
        # the passive "used to train" is no past, a plan document is no plan
        ("Is our data used to train your models?", set()),
        ("Do you have a documented incident response plan?", set()),
        ("Do you have a SOC 2 Type 2 report?", set()),
    ],
)
def test_what_a_question_asks_of_a_practice(question: str, status: set[str]) -> None:
    assert read_question(question).status == status


def test_where_the_data_is_and_what_narrows_it() -> None:
    assert read_question("Is data at rest encrypted with TLS 1.2?").states == {"rest"}
    assert read_question("Do you use TLS 1.2 or higher?").states == {"transit"}  # TLS says transit
    assert read_question("Is data encrypted at rest and in transit?").states == {"rest", "transit"}
    assert read_question("Are deleted ChatGPT Team conversations purged within 30 days?").narrowed == {"deleted"}
    assert read_question("Any deleted or unsaved conversations are removed").narrowed == {"deleted", "unsaved"}
    # the verb is no narrowing: these speak of all conversations
    assert read_question("Are ChatGPT Enterprise conversations deleted after 30 days?").narrowed == frozenset()
    assert read_question("Are conversations deleted automatically?").narrowed == frozenset()


def test_one_list_of_contrasts_says_why_and_caps_the_same_way() -> None:
    # what the matcher caps on, a review note and the answer library read from one list of rules
    model, data = "Is a fine-tuned model retained after deletion?", "Is fine-tuning data retained after deletion?"
    assert differences(model, data) == ["the question's subject (model) is not the claim's (data)"]
    # the words an "only" applies to are compared where a caller says which words weigh
    asked, said = read_question("Can only administrators export data?"), read_question("Can only auditors export data?")
    assert list(contrasts(asked, said)) == []
    assert list(contrasts(asked, said, telling=lambda word: word != "export")) == [
        "the claim's 'only' is said of auditors export data, the question's of administrators export data"
    ]


def test_the_vendors_employees_are_not_the_contractors_it_hires() -> None:
    # round 51: "bound by confidentiality" is said of the contractors; the employees are another group
    staff = read_question("Are your staff who access our data bound by confidentiality obligations?")
    hired = read_question("Are contractors with access to API data bound by confidentiality and security obligations?")
    both = read_question("Are employees and contractors bound by confidentiality obligations?")
    assert "the question is about employees, the claim about contractors" in list(contrasts(staff, hired))
    assert not any("contractors" in why for why in contrasts(both, hired))


def test_a_statement_about_a_party_is_one_to_attest() -> None:
    assert read_question("The vendor encrypts all customer data at rest.").kind == "closed"
    assert read_question("The Supplier maintains a current SOC 2 Type 2 report.").kind == "closed"
    assert read_question("Vendor contacts").kind == "label"  # a field to fill in, as before


@pytest.mark.parametrize(
    "text",
    [
        "The provider maintains a 24/7 security incident response capability.",
        "The provider holds an ISO/IEC 27701 certification.",
        "The service provider operates a bug bounty programme.",
        "The vendor encrypts all customer data at rest.",
    ],
)
def test_a_sentence_of_what_the_vendor_does_is_a_statement_to_attest(text: str) -> None:
    # round 30: "The provider ..." was read as a label, so a Compliant list got nothing
    reading = read_question(text)
    assert (reading.kind, reading.statement, reading.party) == ("closed", True, "vendor")
    assert read_question("The provider name").kind == "label"


@pytest.mark.parametrize(
    ("text", "kind"),
    [("A security on-call function provides 24x7x365 incident coverage.", "closed"),
     ("Changes to production infrastructure follow a formal change management process.", "closed"),
     ("The SOC 2 examination includes the Availability trust services criterion.", "closed"),
     # a verb of a relative clause, or a word as often a noun, makes no statement of a field
     ("Name of the provider that hosts your data", "open"), ("Third party that operates the data centre", "label"),
     ("Frequency of penetration tests performed by third parties", "label"),
     ("Rate limits applied to the API", "label")],
)  # fmt: skip
def test_a_statement_of_a_thing_and_a_practice_is_one_to_attest(text: str, kind: str) -> None:
    # round 75: a bank's control statements with a thing for subject read as fields to fill in
    assert read_question(text).kind == kind


@pytest.mark.parametrize(
    "title",
    ["Riverside Health - AI product matrix (clinical staff use)", "AI tools for staff use only",
     "Assessment of AI tools for student use", "Vendor review - employee use of generative AI"],
)  # fmt: skip
def test_who_will_use_the_service_narrows_no_row(title: str) -> None:
    # round 98: "(clinical staff use)" left a hospital's 60 rows as about the vendor's employees
    assert section_scope(title) == set()
    assert section_scope("Personnel security") == section_scope("Staff") == {"the vendor's employees"}


def test_the_vendors_own_providers_and_parent_narrow_their_rows() -> None:
    # round 41: "Your cloud provider", "Parent company" narrowed nothing
    for heading in ("D. Your cloud provider", "Your cloud provider (AWS / Azure / GCP)", "Parent company",
                    "Cloud service provider", "Vendors you rely on",
                    # round 42
                    "Infrastructure (AWS)", "Group companies", "Sister companies", "Outsourcing partners",
                    "Managed service provider", "Data centre operator"):  # fmt: skip
        assert section_scope(heading) == {"third party"}, heading
    # as a form's title, the cloud service provider is the vendor answering (CAIQ's CSP)
    assert section_scope("Cloud Service Provider Questionnaire", whole_form=True) == set()
    for heading in ("About your company", "Your organisation", "Company overview", "Cloud services"):
        assert section_scope(heading) == set(), heading
    # round 45: the vendor's own program of checking others is no part about third parties; the
    # customer's configuration and duties are the customer's part
    for heading in ("Third-party risk management program", "Third-party audits", "Vendor management"):
        assert section_scope(heading) == set(), heading
    assert section_scope("Customer configuration") == {"the customer"}
    assert section_scope("The customer's duties") == {"the customer"}
    assert not reads_as_heading("Enable MFA for all users.", "Do you operate a bug bounty program?", [])
    assert scope_unsaid("Is OpenAI employee access to conversations limited?", "Personnel security") is None


def test_a_row_naming_another_party_is_not_about_the_vendors_people() -> None:
    # round 38: "Does the customer decide who ... has access?" under "Personnel and customer access"
    section = "D. Personnel and customer access"
    assert scope_unsaid("Does the customer decide who within its organization has access?", section) is None
    assert scope_unsaid("Do a subprocessor's employees have access?", "Personnel security") is None
    assert scope_unsaid("Do you encrypt laptops?", "Personnel security") is not None


def test_a_heading_listing_topics_narrows_to_third_parties_only_when_they_are_most_of_it() -> None:
    # round 32: "Data location, security and subprocessors" sent its AES-256 and SOC 2 rows to review
    assert "third party" not in section_scope("Data location, security and subprocessors")
    assert "third party" in section_scope("Subprocessors")
    assert "third party" in section_scope("Subprocessors and fourth parties")
    assert "third party" in section_scope("Third parties, vendors and suppliers")
    assert section_scope("Backups, logs and retention") >= {"backups", "logs"}


@pytest.mark.parametrize(
    ("text", "item", "asked"),
    [
        # round 46: a lead-in the items below complete
        (
            "Do your fourth parties (subcontractors):",
            "(a) encrypt Bank data at rest?",
            "Do your fourth parties (subcontractors) encrypt Bank data at rest?",
        ),
        (
            "Has the Supplier's parent company:",
            "b) completed a SOC 2 audit?",
            "Has the Supplier's parent company completed a SOC 2 audit?",
        ),
        # an item that is a question of its own, or a label's rows, are as written
        ("Do your fourth parties (subcontractors):", "(a) Is data encrypted?", "(a) Is data encrypted?"),
        ("Primary contact:", "name and e-mail", "name and e-mail"),
        ("Encryption", "(a) encrypt data at rest?", "(a) encrypt data at rest?"),
    ],
)
def test_an_item_is_asked_as_its_lead_in_opens_it(text: str, item: str, asked: str) -> None:
    assert completed(item, text) == asked


@pytest.mark.parametrize(
    ("section", "scopes"),
    [
        ("If the Bank opts in to sharing data for model improvement:", {"the case it sets"}),
        ("V80 Following termination of the contract:", {"the case it sets"}),
        ("At least quarterly, does the Supplier:", {"how often it says"}),
        ("Does the Supplier do the following at least monthly?", {"how often it says"}),
        ("Within the last 12 months, has the Supplier:", {"the past", "how often it says"}),
        # a title that is no lead-in narrows by its words only
        ("Annual review", set()),
        # round 49: the customer's part, typed in capitals over a Word table
        ("CLIENT OBLIGATIONS", {"the customer"}),
        # round 94: a name in brackets, the obligations named before their party
        ("Customer (Initech) obligations", {"the customer"}),
        ("Obligations of the Customer (Initech)", {"the customer"}),
        ("Subprocessors (fourth parties)", {"third party"}),
        ("Encryption (at rest)", set()),
        ("If applicable:", set()),
    ],
)
def test_a_lead_ins_case_and_frequency_narrow_its_rows(section: str, scopes: set[str]) -> None:
    assert set(section_scope(section)) == scopes


@pytest.mark.parametrize(
    ("question", "respondent"),
    [
        ("Do we determine how long data is retained?", "Do you determine how long data is retained?"),
        ("Our API is tested by us.", "Your API is tested by you."),
        ("Is our organization ISO 27001 certified?", "Is your organization ISO 27001 certified?"),
        # the first person beside "you" or the vendor is the customer's voice for certain
        ("Do you use our data to train your models?", None),
        ("Does OpenAI use our data for training?", None),
        ("Does the supplier store our data in the EU?", None),
        ("Do we, the customer, own our outputs?", None),
        # "US" is a country; no first person at all
        ("Is data stored in the US?", None),
        ("Is customer data encrypted at rest?", None),
    ],
)
def test_a_row_in_the_first_person_is_read_in_the_respondents_voice_too(question: str, respondent: str | None) -> None:
    assert vendor_voice(question) == respondent


@pytest.mark.parametrize(
    ("text", "voice"),
    [
        ("'We', 'our' and 'us' refer to the supplier; 'customers' means its customers.", "vendor"),
        ('The Vendor (hereinafter "we") attests as follows.', "vendor"),
        ("In this questionnaire 'we', 'us' and 'our' refer to Northbridge Bank.", "customer"),
        ('"We" means the University and "you" means the vendor.', "customer"),
        # a name alone, an unquoted "we", a definition parts may overrule: nothing is said
        ("'We' refers to Harbourline.", None),
        ("Where we refer to the supplier, answer for your whole group.", None),
        ("'We' and 'our' refer to the Hospital unless a part says otherwise.", None),
        # round 53: other ways forms define them
        ('References to "us" and "we" are to the Service Provider.', "vendor"),
        ('OpenAI, L.L.C. ("OpenAI", "we", "us" or "our") completes this assessment.', "vendor"),
        ('Harbourline Bank plc (the "Bank", "we" or "us") asks the supplier to answer.', "customer"),
        ('NHS Foundation Trust (hereinafter the "Trust", "we" or "us")', "customer"),
        ("In this form 'you' and 'your' mean the Customer.", "vendor"),
        ("'You' means the supplier.", "customer"),
        ("We will use your answers to assess the supplier.", None),
        ("What we mean by 'supplier' is the company completing this form.", None),
    ],
)
def test_a_forms_own_definition_says_whom_its_we_means(text: str, voice: str | None) -> None:
    assert declared_voice(text) == voice


@pytest.mark.parametrize(
    ("question", "vendors"),
    [
        # "you" given what only a customer has, or "we" the subject beside a "you": the vendor's voice may be meant
        ("We control how long your data is retained.", "You control how long the customer's data is retained."),
        (
            "You own the models fine-tuned with your data.",
            "Customers own the models fine-tuned with the customer's data.",
        ),
        ("Do we notify you of breaches?", "Do you notify customers of breaches?"),
        # the customer's voice for certain
        ("Do you use our data to train your models?", None),
        ("Is our organization's data used to train your models by default?", None),
        ("Do you take steps to reduce personal information in your training data?", None),
        ("Is data you send to your subprocessors encrypted in transit?", None),
    ],
)
def test_a_row_whose_you_may_be_the_customer_is_read_in_the_vendors_voice_too(
    question: str, vendors: str | None
) -> None:
    assert reader_voice(question) == vendors


def test_the_customers_data_is_not_the_training_data_a_claim_speaks_of() -> None:
    # round 50: "Do your models learn patterns from our data?" was answered Yes from "... from their
    # training data?"; the customer's fine-tuning training file stays the customer's
    asked = read_question("Do your models learn patterns from our data?")
    said = read_question("Do your models learn patterns from their training data?")
    assert (asked.data_of, said.data_of) == ("customer", "other")
    assert "the question is about the customer's data, the claim about data from elsewhere" in list(
        contrasts(asked, said)
    )
    assert read_question("Is your fine-tuning training file used only for your model?").data_of is None


def test_a_concession_is_two_clauses_and_its_main_one_is_asserted() -> None:
    text = "While we retain ownership of fine-tuned models, any organization can access them."
    assert clauses(text) == ["we retain ownership of fine-tuned models", "any organization can access them."]
    assert main_clause(text) == "any organization can access them."
    assert main_clause("Do you encrypt data at rest, and in transit?") is None


def test_a_name_beside_a_definition_changes_nothing_but_two_parties_leave_it_unsaid() -> None:
    # a self-assessment's rows "The Company ('we') controls ..." name the vendor it defined above
    assert one_voice(["vendor", "named", "named"]) == "vendor"
    assert one_voice(["named"]) is None  # "'We' refers to Harbourline" alone
    assert one_voice(["vendor", "customer"]) is None  # a form in two parts


@pytest.mark.parametrize(
    ("line", "scope"),
    [
        # round 58: how to send the form back, and who wrote it, narrow no row of it
        ("Confidential - prepared by the Office of General Counsel. Please answer every question.", set()),
        ("Please return the completed questionnaire by email to vendorrisk@bank.com.", set()),
        ("Email your responses to the procurement team.", set()),
        ("Please attach your backup policy and SOC 2 report.", set()),
        ("Issued by the Office of the Chief Information Security Officer", set()),
        # what the rows are about still narrows them
        ("This questionnaire applies to the mobile app only.", {"the mobile app"}),
        ("Email security", {"email"}),
        ("Questions for our offices and data centres", {"corporate IT"}),
        ("Backups. Please return by email.", {"backups"}),
        # round 60: who prepared the form names a department, not a part of the service
        ("Please answer every control. Prepared by the Office of the CIO, IT Security Office.", set()),
        ("Data managed by subprocessors", {"third party"}),
        # a note's sentence is no heading's list of topics (round 62)
        (
            "Note: the following rows apply to subprocessors; answer for them, not for your own organisation.",
            {"third party"},
        ),
        ("Data location, security and subprocessors", set()),
    ],
)
def test_a_line_above_the_questions_narrows_them_only_by_what_they_ask(line: str, scope: set[str]) -> None:
    assert set(section_scope(line, whole_form=True)) == scope


def test_a_note_among_the_questions_that_says_what_to_send_narrows_nothing() -> None:
    assert section_scope("Note: please attach your backup policy.") == frozenset()
    assert section_scope("Note: the following questions apply to subprocessors") == {"third party"}


def test_a_statement_about_the_service_is_one_to_attest() -> None:
    # round 60 read "The service supports ..." as a field to fill in
    assert read_question("The service supports enterprise SAML single sign-on.").kind == "closed"
    assert read_question("Your solution provides audit logs.").kind == "closed"
    assert read_question("The product roadmap").kind == "label"


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Are your models trained in more than two stages?", {(">", 2, "stage")}),
        ("Is model training done in three or more stages?", {(">=", 3, "stage")}),
        ("Is model training a single-stage process?", {("=", 1, "stage")}),
        ("Are logs kept for 30 days or more?", {(">=", 30, "day")}),
        ("Do you notify customers within 72 hours?", {("<=", 72, "hour")}),
        ("once the 30-day retention period ends", {("=", 30, "day")}),
        ("Are backups kept for 90 calendar days in at least two regions?", {("=", 90, "day"), (">=", 2, "region")}),
        ("Is uptime at least 99.9%?", {(">=", 99.9, "%")}),
        # a standard's number, a version, a date and a rate count nothing
        ("Do you hold an ISO 27001:2022 certificate and a SOC 2 Type 2 report?", set()),
        ("Is TLS 1.2 or higher used for data submitted after March 1, 2023, 24/7?", set()),
    ],
)
def test_the_amounts_a_text_states_and_how_they_compare(text: str, amounts: set[tuple[str, float, str]]) -> None:
    assert quantities(text) == amounts


def test_a_short_name_the_form_says_means_an_organisation_names_the_customer() -> None:
    # rounds 111b and 116a: "'The Credit Union' means Kestrel Valley Credit Union." named no customer
    said = "Please mark the box. 'The Credit Union' means Kestrel Valley Credit Union."
    assert defined_names(said) == {"Kestrel Valley Credit Union"}
    assert defined_names('"the Board" means Fabrikam County School Board') == {"Fabrikam County School Board"}
    # a role or the vendor is no customer; nor is a description
    for line in ('"Auditor" means Tailspin Audit LLP', '"Supplier" means OpenAI',
                 '"Provider" means the Supplier\'s hosting provider'):  # fmt: skip
        assert defined_names(line) == frozenset(), line


def test_an_organisations_name_alone_on_a_line_is_read_as_one() -> None:
    for line in ("Cascade Health Network", "Northbridge Savings Bank", "Contoso Ltd", "State University",
                 "City of Brookfield", "Marlow & Finch LLP", "Halvorsen Pharma", "Riverside Bank, N.A.",
                 "Halvorsen Logistics AS", "Nordvik Shipping ASA", "Kestrel Valley Credit Union"):  # fmt: skip
        assert title_name(line) == line, line
    # the name beside what the form is, either side of the dash (round 111b)
    assert title_name("Halvorsen Logistics AS - AI Platform Supplier Assessment (2025)") == "Halvorsen Logistics AS"
    assert title_name("Vendor Security Review \u2014 Riverside Bank, N.A.") == "Riverside Bank, N.A."
    assert title_name("Department of Digital Government Services") == "Department of Digital Government Services"
    for line in ("OpenAI - Security Questionnaire", "Section 2 - Data Protection", "Part A: Instructions"):
        assert title_name(line) is None, line
    for line in ("Vendor Security Questionnaire", "Information Security Group", "OpenAI Group", "Section 2", "Acme",
                 "Confidential", "Kestrel Rewards App"):  # fmt: skip
        assert title_name(line) is None, line
