"""Probes built to catch wrong answers: questions that share a claim's words but ask something
else. Each class is filled through the real CLI with the shipped knowledge base, and the cells
written (and the suggestions offered for review) are checked.

A probe names what must never happen: a value written, or a value offered for review. A blank
is always allowed: a blank is work, a wrong answer is a legal problem.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

ROOT = Path(__file__).resolve().parent.parent
NOT_WRITTEN = "nothing"  # the row must stay blank


@dataclass(frozen=True)
class Probe:
    question: str
    never: str  # a value that must never be written or suggested, or NOT_WRITTEN
    why: str


# Whose practice: the claim speaks of the customer owning, the vendor not training, the
# vendor's own report; a question about another party must not take its answer.
PARTIES = [
    Probe("Does OpenAI own the outputs generated from customer inputs?", "Yes", "the customer owns them"),
    Probe("Does the vendor own the outputs generated from customer inputs?", "Yes", "the customer owns them"),
    Probe("As between the parties, does OpenAI own the prompts it receives?", "Yes", "the customer owns them"),
    Probe("Does your company retain ownership of the outputs it generates for customers?", "Yes", "not the vendor's"),
    Probe("Do your subprocessors use customer data to train their models?", NOT_WRITTEN, "another party"),
    # round 27: the claim's phrasing names the product as the one that lets the customer decide
    Probe("Do you control how long ChatGPT Enterprise data is retained?", "Yes", "the customer controls it"),
    Probe("Does the customer's data get used by third parties to train models?", NOT_WRITTEN, "another party"),
    Probe("Do your subprocessors have SOC 2 Type 2 reports?", NOT_WRITTEN, "the report is the vendor's"),
    Probe("Does your cloud hosting provider hold ISO 27001 certification?", NOT_WRITTEN, "the vendor's cert"),
    Probe("Does the hosting provider have a SOC 2 Type 2 report available?", NOT_WRITTEN, "the vendor's report"),
    Probe("Do your third-party vendors encrypt customer data at rest with AES-256?", NOT_WRITTEN, "another party"),
    Probe("Are your sub-processors penetration tested annually?", NOT_WRITTEN, "another party"),
    Probe("Is customer data encrypted at rest by your subprocessors?", NOT_WRITTEN, "a passive agent"),
    Probe("Are our prompts used by third parties to improve their models?", NOT_WRITTEN, "a passive agent"),
    Probe("Is there no way for OpenAI to delete our fine-tuned models?", NOT_WRITTEN, "the customer deletes"),
    Probe("Is it possible for OpenAI to delete our fine-tuned models?", NOT_WRITTEN, "the customer deletes"),
    # round 81: the vendor's own data is not the customer's (OpenAI trains on licensed and its own data)
    Probe("Is OpenAI's data used to train your models?", NOT_WRITTEN, "the vendor's own data"),
    # round 59: the vendor's own suppliers, named through the vendor's possessive or another noun
    Probe(
        "Does the Supplier's cloud hosting provider follow formal change management practices?",
        NOT_WRITTEN,
        "the provider's practice, not the vendor's",
    ),
    Probe("Is change management followed by the Supplier's cloud hosting provider?", "Yes", "a passive agent"),
    Probe("Does your hosting vendor follow formal change management practices?", "Yes", "another company"),
    Probe("Does the vendor's data center provider use strict access controls?", "Yes", "another company"),
    Probe("Does the Supplier's service provider encrypt customer data at rest?", NOT_WRITTEN, "another company"),
    # round 61: another company's thing, the vendor's supplier by another name, a firm it hires
    Probe(
        "Are changes to the IaaS provider's infrastructure subject to the CSP's change control process?",
        NOT_WRITTEN,
        "the provider's infrastructure",
    ),
    Probe(
        "Are changes to the hosting provider's infrastructure governed by formal change management?", "Yes", "theirs"
    ),
    Probe("Does your infrastructure supplier follow formal change management practices?", NOT_WRITTEN, "a supplier"),
    Probe("Does the vendor's penetration testing firm have 24/7 on-call coverage?", "Yes", "the firm's"),
    Probe("Do the companies that resell your services provide a bug bounty program?", "Yes", "the resellers'"),
    Probe(
        "With respect to the vendor's cloud provider: is customer data encrypted in transit within its network?",
        "Yes",
        "the provider's network",
    ),
    Probe("Can CSC workspace admins view conversations and chat history in ChatGPT Enterprise?", "No", "they can"),
    Probe("Does your SOC 2 report include the Processing Integrity criterion?", "Yes", "not among its criteria"),
    # round 68: the customer doing the vendor's testing, an adverb before "by"
    Probe("Is the OpenAI API penetration tested annually by the customer?", NOT_WRITTEN, "the customer tests"),
    # round 62: the vendor's buyers are its customers, who own what they put in and get out
    Probe("Do companies that use your service own their inputs and outputs?", "No", "they do"),
    Probe("Do companies using the API own the outputs they receive?", "No", "they do"),
    Probe("Can the client's admins view chat history in ChatGPT Enterprise workspaces?", "No", "they can"),
]

# Compound questions: one half is what a claim says, the other half nobody covers.
COMPOUND = [
    Probe(
        "Do you encrypt data at rest using AES-256 and support customer-managed encryption keys (BYOK)?",
        NOT_WRITTEN,
        "BYOK is not covered",
    ),
    Probe("Do you encrypt data at rest using AES-256 and store keys in HSMs?", NOT_WRITTEN, "HSMs"),
    Probe("Do you encrypt data at rest using AES-256 and rotate keys annually?", NOT_WRITTEN, "key rotation"),
    Probe("Is data encrypted at rest with AES-256, and are backups tested quarterly?", NOT_WRITTEN, "backups"),
    Probe("Have you completed a SOC 2 Type 2 examination and obtained HITRUST certification?", NOT_WRITTEN, "HITRUST"),
    Probe("Do you offer a DPA and notify customers of breaches within 24 hours?", NOT_WRITTEN, "breach notice"),
    # a claim about data in transit is half of "at rest and in transit", however the words fall
    Probe("Is customer data encrypted at rest (AES-256) and in transit (TLS 1.2+)?", NOT_WRITTEN, "one claim, half"),
]

# Round 111: a Yes needs every part; the half a claim covers is listed, never the suggestion "accept" writes
# (the whole asked of findings, another party, the customer's own keys or rights)
HALF_OFFERED = [
    Probe(
        "Do you have any outstanding audit findings or exceptions from your last SOC 2 examination? Provide details.",
        "Yes",
        "findings are not the report",
    ),
    Probe("Do you hold ISO 27001 certification, and do your sub-processors hold it as well?", "Yes", "theirs"),
    Probe("Is customer data encrypted at rest with AES-256, and will the customer manage the keys?", "Yes", "keys"),
    Probe("Do you retain API data for 30 days or less, and can we reduce that to zero?", "Yes", "zero retention"),
    Probe("Do you encrypt data at rest using AES-256 and support customer-managed encryption keys?", "Yes", "BYOK"),
    Probe("Is data encrypted at rest with AES-256, and are backups tested quarterly?", "Yes", "backups"),
    # round 112a: each part answered by its own claim, one Yes and one No; "No" denied the first part
    Probe(
        "Can the customer fine-tune models on its own data, and are fine-tuned models ever served to other customers?",
        "No",
        "fine-tuning is offered",
    ),
]

# How often: "annually" must not pull the yearly penetration-test claim onto other questions,
# and a claim of one frequency does not answer another.
FREQUENCY = [
    Probe("Do you conduct annual audits of your access control policies?", NOT_WRITTEN, "not a pentest"),
    Probe("Do you review agreements with your subprocessors annually?", NOT_WRITTEN, "not a pentest"),
    Probe("Do you review your product roadmap annually?", NOT_WRITTEN, "not a pentest"),
    Probe("Do you conduct annual disaster recovery tests?", NOT_WRITTEN, "not a pentest"),
    Probe("Do you conduct quarterly penetration testing?", NOT_WRITTEN, "the claim says annual"),
    Probe("Are penetration tests of the API performed monthly?", NOT_WRITTEN, "the claim says annual"),
    Probe("Is your SOC 2 report renewed every six months?", NOT_WRITTEN, "the claim says no cadence"),
]

# The customer's own paper: offering ours is not signing theirs.
PAPERS = [
    Probe("Will you sign our Data Processing Agreement?", NOT_WRITTEN, "the customer's DPA"),
    Probe("Will you sign our Business Associate Agreement?", NOT_WRITTEN, "the customer's BAA"),
    Probe("Will you accept our security addendum?", NOT_WRITTEN, "the customer's addendum"),
    Probe("Will you execute the institution's data protection addendum?", NOT_WRITTEN, "the customer's DPA"),
    Probe("Will you agree to our standard contractual clauses?", NOT_WRITTEN, "the customer's SCCs"),
    Probe("Will you sign the DPA we provide?", NOT_WRITTEN, "the customer's DPA"),
    Probe("Will you sign the data processing agreement attached to this RFP?", NOT_WRITTEN, "the customer's DPA"),
    Probe("Will you sign a DPA drafted by our legal team?", NOT_WRITTEN, "the customer's DPA"),
    Probe("Can the DPA be negotiated on customer paper?", NOT_WRITTEN, "the customer's paper"),
]

# A claim about something else must not offer a harmful No (or Yes) for review.
OFF_TOPIC = [
    Probe("Are datacenter personnel trained to respond to unauthorized access?", "No", "a claim on who reads chats"),
    Probe("Do you limit your solution's LLM privileges by default?", "No", "a claim on training by default"),
    Probe("Can we opt out of all acceptable-use reviews?", "Yes", "a claim on opting out of training"),
    Probe("Are employees trained on secure coding by default?", "No", "a claim on training models"),
    Probe("Do you disable unused network ports by default?", "No", "a claim on training by default"),
]

# Rows that ask for a name, a place, a description or a list never get a Yes / No.
LABELS = [
    Probe("Solution Description", NOT_WRITTEN, "a description"),
    Probe("Country of Company Headquarters", NOT_WRITTEN, "a place"),
    Probe("Website", NOT_WRITTEN, "an address"),
    Probe("Services Provided", NOT_WRITTEN, "a list"),
    Probe("Company Name", NOT_WRITTEN, "a name"),
    Probe("Primary Security Contact Email", NOT_WRITTEN, "an address"),
    Probe("Data Center Locations", NOT_WRITTEN, "a list of places"),
    Probe("Encryption Standards Used", NOT_WRITTEN, "a list"),
    Probe("Cloud Hosting Provider", NOT_WRITTEN, "a name"),
    Probe("ISO 27001 Certificate Number", NOT_WRITTEN, "a number"),
    Probe("Zero Data Retention Eligible Endpoints", NOT_WRITTEN, "a list"),
    Probe("Penetration Test Frequency", NOT_WRITTEN, "a frequency"),
    Probe("If you do not encrypt data at rest, why not?", NOT_WRITTEN, "an explanation"),
    # round 80: a terse row asking for a value, with a question mark
    Probe("SOC2 type?", "Yes", "which type"),
    Probe("TLS version?", "Yes", "which version"),
    Probe("Pen test cadence?", "Yes", "how often"),
    Probe("Hosting region?", "Yes", "a place"),
]

# Negations and antonyms: the claim's phrasing says the opposite of what is asked.
NEGATIONS = [
    # round 112a: "kept out of" is excluded from, not retained
    Probe("When zero data retention is approved, is content also kept out of safety classifiers?", "Yes", "it may run"),
    Probe("Is zero-retention API content kept out of the safety classifiers?", "Yes", "it may still be run through"),
    Probe("Are you unable to sign a BAA?", "Yes", "a BAA is offered"),
    Probe("Are you unable to support SAML single sign-on?", "Yes", "SAML SSO is supported"),
    Probe("Do you lack a SOC 2 Type II report?", "Yes", "there is a report"),
    Probe("Is SAML SSO unavailable for ChatGPT Enterprise?", "Yes", "it is available"),
    Probe("Are audit logs unavailable to business customers?", "Yes", "they are available"),
    Probe("Is training on API data an opt-out arrangement rather than opt-in?", "Yes", "it is opt-in"),
    Probe("Does OpenAI refuse to execute a DPA?", "Yes", "a DPA is offered"),
    Probe("Have you failed to obtain ISO 27001 certification?", "Yes", "it is certified"),
    Probe("Do you use customer data to improve services other than model training?", NOT_WRITTEN, "not covered"),
]

# Qualifiers a claim must state: a time, a scope, a kind of log, a product.
QUALIFIERS = [
    Probe("Are API inputs and outputs deleted immediately after processing?", NOT_WRITTEN, "kept up to 30 days"),
    Probe("Are API inputs and outputs kept indefinitely?", "Yes", "removed after 30 days"),
    Probe("Is the security incident on-call rotation staffed only during business hours?", "Yes", "24x7"),
    Probe("Is customer data encrypted at rest, in transit and in use?", NOT_WRITTEN, "in use is not covered"),
    Probe("Are system logs retained for up to 30 days?", NOT_WRITTEN, "the claim is about API inputs"),
    Probe("Is ChatGPT Team covered by your ISO 27001 certification?", NOT_WRITTEN, "Team is not covered"),
    Probe("Are all OpenAI products covered by your ISO 27001 certification?", NOT_WRITTEN, "three are"),
    Probe("Do you hold a SOC 2 Type 2 report covering ChatGPT for individuals?", NOT_WRITTEN, "business only"),
    Probe("Do you offer zero data retention for all API endpoints and all customers?", NOT_WRITTEN, "eligible"),
    Probe("Does the customer decide who within OpenAI has access to its data?", NOT_WRITTEN, "its own org"),
    Probe("Does OpenAI decide who within our organization has access?", "Yes", "the customer decides"),
]

# A property of something a claim says exists: the claim says there is a DPA, a report, audit
# logs; whether it is in German, unqualified, immutable is something no claim speaks of.
PROPERTIES = [
    Probe("Is your DPA available in German?", NOT_WRITTEN, "no claim speaks of languages"),
    Probe("Is the ChatGPT Security Whitepaper available in Spanish?", NOT_WRITTEN, "languages"),
    Probe("Has your SOC 2 Type 2 report been issued with an unqualified opinion?", NOT_WRITTEN, "the opinion"),
    Probe("Are audit logs immutable and tamper-evident?", NOT_WRITTEN, "log properties"),
    Probe("Are audit logs exportable via an API?", NOT_WRITTEN, "log export"),
    Probe("Does the on-call security team also handle customer support tickets?", NOT_WRITTEN, "support duties"),
    Probe("Is your Business Associate Agreement negotiable?", NOT_WRITTEN, "negotiation"),
    Probe("Can the DPA be signed electronically via DocuSign?", NOT_WRITTEN, "how it is signed"),
    Probe("Has your bug bounty program paid out any rewards in the last year?", NOT_WRITTEN, "payouts"),
    Probe("Is your ISO 27001 certificate issued by an accredited registrar?", NOT_WRITTEN, "the registrar"),
    Probe("Are your data centers located in Canada?", NOT_WRITTEN, "a place no claim names"),
    Probe("Is SAML SSO included at no extra cost?", NOT_WRITTEN, "pricing"),
]

# A claim that says "may", "eligible", "up to" or names an exception does not answer a question
# about all of something, always, or about what certainly happened.
HEDGES = [
    Probe("Are all API endpoints eligible for zero data retention?", NOT_WRITTEN, "eligible endpoints only"),
    Probe("Is every API endpoint eligible for zero data retention?", NOT_WRITTEN, "eligible endpoints only"),
    Probe("Are API inputs and outputs always retained for 30 days?", NOT_WRITTEN, "may, up to 30 days"),
    Probe("Is all business data run through automated content classifiers?", NOT_WRITTEN, "may run"),
    Probe("Was data submitted to the API before March 1, 2023 used to train your models?", "Yes", "may, unless"),
    Probe("Has API data submitted before March 2023 been used to train your models?", "Yes", "may, unless"),
    Probe("Is API data from before March 1, 2023 part of your training data?", "Yes", "may, unless opted out"),
]

# "only" and "unauthorized" narrow a phrasing: its answer is for the narrower question.
NARROWED = [
    Probe("In ChatGPT Team, can workspace admins view end users' conversations?", "Yes", "only end users can"),
    Probe("Can OpenAI employees access ChatGPT Enterprise conversations?", "No", "authorized ones can"),
    Probe("Is API customer data used for model training?", "Yes", "only if the customer opts in"),
    Probe("Is fine-tuning data used for purposes other than the customer's model?", "Yes", "solely theirs"),
]

# Who does it: the claim says the customer (or its admins, or its end users) does what the
# question asks of another; "only" lists; a "may" in the source against a plain "will".
ROLES = [
    Probe("Can OpenAI delete our fine-tuning training files at any time?", NOT_WRITTEN, "the customer deletes them"),
    Probe("Can OpenAI fine-tune models using our prompt-completion pairs?", NOT_WRITTEN, "the customer fine-tunes"),
    Probe("Can OpenAI staff view conversations and chat history in ChatGPT Enterprise workspaces?", "Yes", "admins"),
    Probe("Can ChatGPT Enterprise end users view other users' conversations?", NOT_WRITTEN, "their own only"),
    Probe("Can ChatGPT Enterprise end users view the chat history of the whole workspace?", NOT_WRITTEN, "own only"),
    Probe("Can workspace admins view conversations in other organizations' workspaces?", NOT_WRITTEN, "their own"),
    Probe("Is access to stored API data restricted solely to OpenAI employees?", "Yes", "contractors too"),
    Probe("Is access to stored API data limited to specialized contractors only?", "Yes", "employees too"),
    Probe("Will our business data be run through automated content classifiers?", NOT_WRITTEN, "may run"),
    Probe("Will OpenAI retain our API inputs for 30 days?", NOT_WRITTEN, "may retain, up to 30 days"),
    Probe("Do you support federated SSO (i.e., OpenID Connect)?", NOT_WRITTEN, "OIDC is what is asked"),
    Probe("Will data under zero data retention be run through safety classifiers?", "No", "it may still be"),
    Probe("Can our end users share GPTs with users in other ChatGPT Enterprise workspaces?", NOT_WRITTEN, "within"),
    Probe("Is a fine-tuned model retained until the customer deletes the training files?", NOT_WRITTEN, "the data is"),
    Probe("Are backups of customer data encrypted with customer-managed keys?", NOT_WRITTEN, "backups, BYOK"),
]

# What a question asks of a practice beyond whether it is so: a Yes from "Is data encrypted at
# rest?" would say encryption is optional, planned, lapsed or undone.
STATUS = [
    Probe("Is multi-factor authentication optional for ChatGPT Enterprise users?", NOT_WRITTEN, "optional"),
    Probe("Is encryption of data in transit optional?", NOT_WRITTEN, "always on"),
    Probe("Is the bug bounty program voluntary?", NOT_WRITTEN, "optional"),
    Probe("Do you plan to obtain a SOC 2 Type 2 report?", NOT_WRITTEN, "already has one"),
    Probe("Is ISO 27701 certification on your roadmap?", NOT_WRITTEN, "already certified"),
    Probe("Are you currently working towards ISO/IEC 27001 certification?", NOT_WRITTEN, "already certified"),
    Probe("Did OpenAI previously encrypt data at rest?", NOT_WRITTEN, "says nothing of the past"),
    Probe("Did you use to offer a Data Processing Addendum?", NOT_WRITTEN, "a Yes says it stopped"),
    Probe("Can deleted API inputs be restored after 30 days?", NOT_WRITTEN, "removed, not recoverable"),
    Probe("Are deleted ChatGPT Team chats recoverable by support?", NOT_WRITTEN, "removed"),
    Probe("Are API inputs and outputs deleted after 30 days regardless of legal holds?", NOT_WRITTEN, "unless"),
    Probe(
        "Are deleted Enterprise conversations removed within 30 days even if the law requires retention?",
        NOT_WRITTEN,
        "unless legally required",
    ),  # fmt: skip
    Probe("Will you share your ISO 27001 certificate with us?", NOT_WRITTEN, "the certificate exists"),
    Probe("Can we obtain a copy of your SOC 2 Type 2 report?", NOT_WRITTEN, "the report exists"),
    Probe("Do you encrypt data at rest? If so, is it also re-encrypted monthly?", NOT_WRITTEN, "one part"),
    Probe("Do you perform penetration testing of the API? If so, quarterly?", NOT_WRITTEN, "annual"),
    # round 80: a claim that some of it is so, or that it varies, says nothing of the thing asked
    Probe("Is data sent to the /v1/audio/transcriptions endpoint retained?", "Yes", "some of it is not retained"),
    Probe("Does the audio transcriptions endpoint retain customer audio?", "Yes", "some of it is not retained"),
    Probe("Does the audio transcription endpoint keep the data submitted to it?", "Yes", "some of it is not kept"),
]

# A certificate or an audit of named services is no answer about the whole company; "un-" and
# "free of" negate; a frequency spelt another way is still another frequency.
SCOPE = [
    # round 55: "any model" asks of every one, where the claim says "certain models"
    Probe("Can API customers fine-tune any model?", NOT_WRITTEN, "only certain models"),
    Probe("Is the whole company covered by your SOC 2 report?", NOT_WRITTEN, "named services"),
    Probe("Is your ISO 27701 certificate company-wide?", NOT_WRITTEN, "named services"),
    Probe("Is OpenAI in its entirety certified to ISO/IEC 27001?", NOT_WRITTEN, "named services"),
    Probe("Are penetration tests run every two years?", NOT_WRITTEN, "annual"),
    Probe("Is the API pen tested twice yearly?", NOT_WRITTEN, "annual"),
    Probe("Is your SOC 2 examination repeated bi-annually?", "Yes", "the claim says no frequency"),
    Probe("Is our content stored unencrypted on disk?", "Yes", "encrypted at rest"),
    Probe("Is data sent to subprocessors unprotected?", "Yes", "encrypted in transit"),
    Probe("Are the classifications free from any of the business data itself?", "No", "they hold none"),
    Probe("Is data in the database encrypted with TLS?", NOT_WRITTEN, "at rest: AES-256"),
]

# The vendor's testing and monitoring are of its own models and services, not of what its
# customers build; "your customers" are customers, not the vendor's people.
THEIRS = [
    Probe("Do you red team your clients' applications?", NOT_WRITTEN, "its own models"),
    Probe("Is our AI system monitored by your safety team?", NOT_WRITTEN, "its own systems"),
    Probe("Do you offer a bug bounty program for our products?", NOT_WRITTEN, "its own products"),
    Probe("Do your customers perform penetration testing of your platform?", NOT_WRITTEN, "a third party tests"),
    Probe("Can only OpenAI staff access our fine-tuned models?", "Yes", "only the customer's organization"),
    Probe("Do customers choose which OpenAI employees can see their data?", NOT_WRITTEN, "their own people"),
    Probe("Can any OpenAI engineer read our ChatGPT Enterprise chats at will?", "Yes", "only for incidents"),
    Probe("Can any OpenAI staff member view stored API inputs?", NOT_WRITTEN, "authorized ones only"),
]

# A claim that something is not done is said of what its phrasing names: without that qualifier
# ("in cleartext", "to train models", "other customers'", "inference") its No is no answer.
QUALIFIED_NO = [
    Probe("Do you send customer data to service providers?", NOT_WRITTEN, "it is sent, encrypted"),
    Probe("Do you collect personal information about individuals?", NOT_WRITTEN, "not sought for training"),
    Probe("Do you actively gather PII?", NOT_WRITTEN, "not sought for training"),
    Probe("Are fine-tuning files used to train models?", NOT_WRITTEN, "the customer's own model"),
    Probe("Do fine-tuning inputs become training data for any model?", NOT_WRITTEN, "inference inputs do not"),
    Probe("Does the vendor decide how long API customer data is retained?", NOT_WRITTEN, "Enterprise admins decide"),
]

# Round 71: a No said only of a way of doing a thing ("in cleartext", "hidden from admins") is no
# No to the thing itself, neither written nor offered; seeing, viewing, reading are not "hidden".
MANNERS = [
    Probe("Do you send customer data to service providers?", "No", "it is sent, encrypted"),
    Probe("Is customer data passed to your service providers?", "No", "it is sent, encrypted"),
    Probe("Can administrators view all users' conversations in ChatGPT Enterprise?", "No", "admins can view"),
    Probe("Can admins see the chats of users in our ChatGPT Enterprise workspace?", "No", "admins can view"),
    Probe("Can ChatGPT Enterprise workspace admins read users' chats?", "No", "admins can view"),
    Probe("Can ChatGPT Enterprise admins look at the conversations of their users?", "No", "admins can view"),
    # round 79: "automatically deleted after 30 days?" No says nothing of removal on the customer's deletion
    Probe(
        "When a customer deletes a fine-tuning file, is it removed from your systems within 30 days?",
        "No",
        "not automatic, which says nothing of after deletion",
    ),
    Probe("After a customer deletes a fine-tuned model, is it removed within 30 days?", "No", "not automatic"),
]

# Round 77: another company as a statement's subject, the customers' own controls as the object,
# a field named with a relative clause; round 76: a part's claim for "the entire service"
OTHERS_AND_FIELDS = [
    Probe("Companies that provide infrastructure to OpenAI are evaluated by an independent third-party auditor.",
          NOT_WRITTEN, "the vendor's audit, not its providers'"),
    Probe("Do outside auditors check your customers' security controls?", NOT_WRITTEN, "the vendor's controls"),
    Probe("Do independent auditors check the security controls of your customers?", NOT_WRITTEN, "the vendor's"),
    Probe("Regions where data residency is available for ChatGPT Enterprise", NOT_WRITTEN, "a field: regions"),
    Probe("Products that the SOC 2 Type 2 report covers", NOT_WRITTEN, "a field: products"),
    Probe("Team that is paged in case of a potential security incident", NOT_WRITTEN, "a field: a team"),
    Probe("Vendor maintains PCI DSS compliance for the entire service", "Yes", "delegated payments only"),
]  # fmt: skip

# Prose words the claims need not speak of are no licence for the words that narrow a row
PROSE = [
    Probe("Do you encrypt customer data at rest in the staging environment?", NOT_WRITTEN, "staging unsaid"),
    Probe("Is customer data encrypted at rest on a backup basis?", NOT_WRITTEN, "backups unsaid"),
    Probe("Do you define retention periods for every customer?", NOT_WRITTEN, "every customer unsaid"),
]

# Whether it can be done at all: the opt-in claim's No holds only by default (round 119b wrote it)
COULD = [
    Probe("Can data submitted through the API be used to train your models?", "No", "it can, if the customer opts in"),
    Probe("Can API inputs and outputs be used for model training?", "No", "it can, if the customer opts in"),
    Probe("Are you able to train your models on data submitted through the API?", "No", "with an opt-in, yes"),
    # a No said of less (fine-tuned models' outputs) is no answer to whether it can happen at all (round 120a)
    Probe("Could our prompts be used to improve your models?", "No", "said only of fine-tuned models"),
    Probe("Is it possible for our prompts to be used to improve your models?", "No", "said only of fine-tuned models"),
    Probe("Can our API inputs be used to improve OpenAI's models?", "No", "with an opt-in, yes"),
    # what the vendor can do, asked actively (round 121a wrote the opt-in claim's No)
    Probe("Can OpenAI train on our API inputs and outputs?", "No", "with an opt-in, it can"),
    Probe("Can OpenAI access our API data?", "No", "authorized staff can"),
    # the customer's own model is not OpenAI's own nor other organisations' (round 119b wrote No)
    # (read in the vendor's voice, "the training file you upload ... your own model", its No is still offered for a
    # person: the note says which reading it is)
    Probe(
        "Is the training file we upload used to train our own fine-tuned model?", NOT_WRITTEN, "it is, solely for it"
    ),
]

# A part asking for names no claim gives: a Yes answers only the rest (round 119a wrote both)
NAMES_ASKED = [
    Probe("Do you offer a zero data retention option, and for which endpoints?", "Yes", "no page lists them"),
    Probe("Do you support SAML SSO, and which identity providers are supported?", "Yes", "no page lists them"),
    # round 120a: the names or the value asked another way
    Probe("Do you use third-party cloud providers, and which ones?", "Yes", "no page names them"),
    Probe("Is data encrypted at rest, and with what algorithm?", "Yes", "the sentence names none"),
    Probe("Do you hold certifications (e.g. ISO, SOC)? List them.", "Yes", "a list is asked"),
    Probe("Do you have a bug bounty program, and what platform hosts it?", "Yes", "no page names it"),
    Probe("Is data encrypted in transit? State the protocol.", "Yes", "the sentence names none"),
    Probe("Is customer data encrypted at rest, and what type of encryption is used?", "Yes", "the type is asked"),
    # round 121b: "where" asks for a place, which the residency sentence does not name
    Probe(
        "Where is data stored? (country / region) *", "Yes", "no page names the places"
    ),  # round 121a: a date, a time, a process, a number the sentence does not give
    Probe("Do you have a SOC 2 Type 2 report, and when was it issued?", "Yes", "no page dates it"),
    Probe("Do you have an incident response team, and what is its response time?", "Yes", "coverage is no time"),
    Probe("Do you encrypt data at rest, and how are keys rotated?", "Yes", "no page says how"),
    Probe("Do you hold ISO 27001 certification? Provide the certificate number.", "Yes", "no page gives it"),
    # round 122a: "describe" with an object of its own asks it
    Probe("Do you hold a SOC 2 Type 2 report? If yes, please describe when it was issued.", "Yes", "no date"),
    Probe("Do you encrypt data at rest? If yes, please describe how keys are rotated.", "Yes", "no page says how"),
]

# Rows of questionnaire wording only name nothing a claim is about: nothing is offered (a FedRAMP template's
# per-control prompt was offered the encryption claim's "Have you implemented encryption ...?" 57 times)
HOLLOW = [
    Probe("What is the solution and how is it implemented?", NOT_WRITTEN, "no subject at all"),
    Probe("AC-3 What is the solution and how is it implemented? Part a", NOT_WRITTEN, "a control's id only"),
    Probe("How is this implemented and maintained?", NOT_WRITTEN, "no subject at all"),
]

# A Yes that holds under a condition, as an offer or for some: not mandatory, not for any
# region, not after the exception it names, not after deletion when it says "until".
CONDITIONAL_YES = [
    Probe("Does the API Platform require SSO?", NOT_WRITTEN, "SSO is offered"),
    Probe("Can an administrator pick any country for data storage?", NOT_WRITTEN, "residency is offered"),
    Probe("Are audit logs kept for every user action?", NOT_WRITTEN, "audit logs are supported"),
    Probe("Do you pay bounties for all reported vulnerabilities?", NOT_WRITTEN, "by severity"),
    Probe("Are deleted ChatGPT Team chats kept longer than 30 days?", NOT_WRITTEN, "only if the law requires"),
    Probe("Are deleted ChatGPT Enterprise conversations retained after 30 days?", NOT_WRITTEN, "removed"),
    Probe("Are fine-tuning files kept after the customer deletes them?", NOT_WRITTEN, "until deleted"),
]

# A number, a revision or a state belongs to what it is said of.
NUMBERS = [
    Probe("Do you hold ISO/IEC 27701:2022 certification?", NOT_WRITTEN, "27701 is the 2019 revision"),
    Probe("Is your organization certified to ISO 27001:2013?", NOT_WRITTEN, "the 2022 revision"),
    Probe("Are you certified to the 2019 revision of ISO/IEC 27001?", NOT_WRITTEN, "2019 is 27701's"),
    Probe("Is your SOC 2 report a Type One report?", NOT_WRITTEN, "Type 2"),
    Probe("Is data in storage protected with TLS?", NOT_WRITTEN, "TLS protects data in transit"),
    Probe("Do you use TLS 1.2 to encrypt data at rest?", NOT_WRITTEN, "AES-256 at rest"),
    Probe("Do you encrypt data at rest with Triple-DES (3DES)?", NOT_WRITTEN, "AES-256"),
    Probe("Is stored data encrypted with 2TDEA?", NOT_WRITTEN, "AES-256"),
    Probe("Are deleted ChatGPT Team conversations removed within an hour?", NOT_WRITTEN, "within 30 days"),
    Probe("Are API inputs and outputs deleted after a day?", NOT_WRITTEN, "after 30 days"),
    Probe("Are ChatGPT Team conversations kept for 30 days?", NOT_WRITTEN, "deleted ones are removed"),
    Probe("Are ChatGPT Enterprise conversations deleted after 30 days?", NOT_WRITTEN, "deleted ones only"),
    Probe("Are fine-tuning files kept for 30 days after the customer deletes them?", NOT_WRITTEN, "30: a No"),
    Probe(
        "Is fine-tuning data retained until the customer deletes the files, and at most 90 days?",
        NOT_WRITTEN,
        "no 90-day bound",
    ),  # fmt: skip
]

# "ChatGPT" or "API products" with no plan named still names a product: the API's claim is no
# answer about ChatGPT, nor an Enterprise claim about the API, whatever --product says.
PRODUCT_FAMILIES = [
    Probe("Do ChatGPT products undergo annual third-party penetration testing?", NOT_WRITTEN, "the API's pentest"),
    Probe("Is ChatGPT penetration tested by a third party every year?", NOT_WRITTEN, "the API's pentest"),
    Probe("Will annual penetration testing be extended to ChatGPT products?", NOT_WRITTEN, "the API's, and a plan"),
    Probe("Are ChatGPT's inputs and outputs retained for up to 30 days?", NOT_WRITTEN, "the API's retention"),
    Probe("Do API products let workspace admins control how long data is retained?", NOT_WRITTEN, "Enterprise's"),
    Probe("Are deleted API conversations removed within 30 days?", NOT_WRITTEN, "Enterprise's conversations"),
    Probe("Is consumer ChatGPT data retained for up to 30 days?", NOT_WRITTEN, "the API's retention"),
    # round 79: every product, however the form says so, whatever --product says
    Probe("Is every OpenAI product penetration tested annually by a third party?", NOT_WRITTEN, "the API's only"),
    Probe("Is each of the vendor's services encrypted at rest using AES-256?", NOT_WRITTEN, "not the consumer app"),
    # a claim for every product whose source says "ChatGPT users": not the Enterprise plan's users
    Probe(
        "Do you use data from ChatGPT Enterprise users and human trainers to make sure outputs are safe and accurate?",
        NOT_WRITTEN,
        "business data is not trained on by default",
    ),
]

# Where: a claim that names no place says nothing of one, however the place is written ("US",
# "U.S.", "UK", "in AU", "Australia").
PLACES = [
    Probe("Do you support data residency in the US?", NOT_WRITTEN, "no region is named"),
    Probe("Do you support data residency in the U.S.?", NOT_WRITTEN, "no region is named"),
    Probe("Can we choose the US as the region where our data is stored?", NOT_WRITTEN, "no region is named"),
    Probe("Do you support data residency in the UK?", NOT_WRITTEN, "no region is named"),
    Probe("Is data residency available for ChatGPT Enterprise in AU?", NOT_WRITTEN, "no region is named"),
    Probe("Is data residency available in CA for the API?", NOT_WRITTEN, "no region is named"),
    Probe("Is customer data stored only in Germany?", NOT_WRITTEN, "no country is named"),
    Probe("Are API inputs and outputs retained in the UK for up to 30 days?", NOT_WRITTEN, "how long, not where"),
    Probe("Is the API hosted by trusted cloud providers in the US?", NOT_WRITTEN, "hosting place unstated"),
    Probe("Is your security team on call 24/7/365 from the US?", NOT_WRITTEN, "where the team is unstated"),
]

# A number or standard the claim's own sentence does not say: the quote of the claim about
# transit names AES-256 for data at rest; a phrasing's "SAML 2.0" is not the source's.
SAID_NUMBERS = [
    Probe("Are connections to the service encrypted with TLS using AES-256?", NOT_WRITTEN, "AES-256 is at rest"),
    Probe("Is data sent to subprocessors encrypted with TLS 1.2 and AES-256?", NOT_WRITTEN, "AES-256 is at rest"),
    Probe("Does the service support SAML 2.0 single sign-on?", NOT_WRITTEN, "no SAML version is stated"),
    Probe("Were you certified to ISO/IEC 27001 in 2022?", NOT_WRITTEN, "2022 is the edition, not a date"),
    Probe("Is your SOC 2 Type 2 audit performed under SSAE 18?", NOT_WRITTEN, "SSAE 18 is not stated"),
]

# "Out of scope" says the opposite of "in scope"; "our organization's data" is the customer's.
OPPOSITES = [
    Probe("Is ChatGPT Enterprise out of scope for your SOC 2 Type 2 examination?", NOT_WRITTEN, "it is in scope"),
    Probe("Is the OpenAI API out of scope for your ISO/IEC 27001 certification?", NOT_WRITTEN, "it is in scope"),
    Probe("Are ChatGPT Edu services out of scope for your ISO 27701 certificate?", NOT_WRITTEN, "in scope"),
    Probe("Do your models learn patterns from our organization's data?", NOT_WRITTEN, "business data: not by default"),
    Probe("Do you use RLHF on our company's data?", NOT_WRITTEN, "business data: not by default"),
]

# Round 29: a claim that gives each party its own purposes answers a question about one party
# only with that party's; a claim that lists several sources is no Yes to "all of it is one".
PURPOSES = [
    # round 113: improving the vendor's products or services is no training of models ("products" and
    # "services" are stopwords: the object was lost, and the training No was written)
    Probe(
        "Will customer data be used to train models or to improve the supplier's products and services?",
        "No",
        "product improvement is not settled",
    ),
    Probe("Is customer data used to improve your products and services?", "No", "not what the claims say"),
    Probe(
        "Can third-party contractors access ChatGPT Team conversations for engineering support?",
        NOT_WRITTEN,
        "contractors only review for abuse",
    ),
    Probe(
        "Can specialized third-party contractors access ChatGPT Team conversations for legal compliance?",
        NOT_WRITTEN,
        "contractors only review for abuse",
    ),
    Probe("Is all of your model training data licensed from third parties?", NOT_WRITTEN, "one source of several"),
    Probe("Is all of your model training data created by human reviewers?", NOT_WRITTEN, "one source of several"),
]

# Round 30: a time beyond the claim's bound ("up to 30 days") gets neither its Yes nor a sure No.
BEYOND = [
    Probe("Do you retain API inputs and outputs for longer than 30 days?", "Yes", "up to 30 days"),
    Probe("Are API inputs and outputs kept for more than 30 days?", "Yes", "up to 30 days"),
    Probe("Are API inputs and outputs retained beyond 30 days?", "Yes", "up to 30 days"),
    # round 39: "after" a time, said of keeping
    Probe("Indicate whether the vendor retains API inputs after 30 days", "Yes", "up to 30 days"),
    Probe("Are API inputs kept after 30 days?", "Yes", "up to 30 days"),
]

# Rounds 37-38: a terse statement, a possessive or a workspace's admins name whose practice it is.
STATEMENTS = [
    Probe("Customer owns inputs and outputs", "No", "the customer owns them"),
    Probe("Customer retains ownership of inputs", "No", "the customer owns them"),
    Probe("Vendor owns customer outputs", "Yes", "the customer owns them"),
    Probe("Can the customer's workspace admins view users' chat history in ChatGPT Enterprise?", "No", "they can"),
    Probe("Can ChatGPT Team admins view end users' conversations?", "Yes", "only end users can"),
]

# Round 48: one thing changed in a claim's own phrasing. The customer (or "our auditors") does
# what the claim says the vendor does; "API" as a word names what a ChatGPT claim leaves out;
# "opt-out" for "opt-in".
SWAPPED = [
    Probe("Do you allow customers to red team your AI models?", NOT_WRITTEN, "the vendor red-teams its own"),
    Probe("Do you let customers perform adversarial testing of your AI models?", NOT_WRITTEN, "the vendor's"),
    Probe("Is the API penetration tested by customers at least annually?", NOT_WRITTEN, "third-party testers"),
    Probe("Can customers penetration test the API annually?", NOT_WRITTEN, "third-party testers"),
    Probe("Are your security testing and monitoring validated by our auditors?", NOT_WRITTEN, "its own auditors"),
    Probe("Have our auditors performed a SOC 2 Type II audit of your controls?", NOT_WRITTEN, "its own auditor"),
    Probe("Are your platforms tested by our security team?", NOT_WRITTEN, "its own experts"),
    Probe("Do you maintain PCI DSS compliance for API payment processing components?", NOT_WRITTEN, "ChatGPT's"),
    Probe("Do you publish an API security whitepaper?", NOT_WRITTEN, "the whitepaper is ChatGPT's"),
    Probe("Does OpenAI require an explicit opt-out before using API data for training?", "Yes", "opt-in only"),
    Probe("Is an explicit opt-out required before API data can be used to train models?", "Yes", "opt-in only"),
]

# Round 46: the row's "if X" is the case a claim's "unless X" leaves out; its answer is for the other.
EXCEPTIONS = [
    Probe("Are API inputs and outputs deleted after 30 days if legally required to be retained?", "Yes", "unless"),
    Probe("If legally required, are deleted ChatGPT Enterprise conversations purged within 30 days?", "Yes", "unless"),
    Probe("Will API prompts and outputs be erased after 30 days if a legal hold applies?", "Yes", "unless"),
    Probe(
        "If the organization opted out, could API customer data submitted before March 1, 2023 have been used for "
        "training?",
        "Yes",
        "unless the organization opted out",
    ),
]

# Rounds 49-50: the siblings of the classes above, and one word changed in a claim's phrasing.
SIBLINGS = [
    Probe("Is access to our production infrastructure restricted by strict access controls?", NOT_WRITTEN, "ours"),
    Probe("Is the service hosted on government cloud providers?", NOT_WRITTEN, "no claim says government"),
    Probe("Do you offer fine-grained control over which IP addresses can access the service?", NOT_WRITTEN, "IPs"),
    Probe("Are API inputs made more aligned through human feedback?", NOT_WRITTEN, "RLHF aligns outputs"),
    Probe("In cases where a legal hold applies, are API inputs and outputs deleted after 30 days?", "Yes", "unless"),
    Probe("Should retention be required by law, are API inputs and outputs removed after 30 days?", "Yes", "unless"),
    Probe(
        "For organizations that opted out, was API data submitted before March 1, 2023 used for training?",
        "Yes",
        "unless the organization opted out",
    ),
    Probe("Are your platforms tested by a team of the customer's security experts?", NOT_WRITTEN, "its own"),
    Probe("Is the annual third-party penetration test of the API performed by the customer?", NOT_WRITTEN, "theirs"),
    Probe("Regarding the customer's auditors, do they validate your security testing?", NOT_WRITTEN, "its own"),
]

# Round 51: "we" and "our" are the customer in a form the customer wrote and the vendor in an
# attestation; a row whose answer turns on which, or that asks about the customer's own things
# (its API, its organisation, its data providers, its feedback), takes no claim's answer.
VOICES = [
    Probe("Do we determine how long our customers' ChatGPT Enterprise data is retained?", NOT_WRITTEN, "whose voice"),
    Probe("Will we own the output generated from our customers' prompts?", NOT_WRITTEN, "whose voice"),
    Probe("Do we retain all rights to the inputs our customers provide to our services?", NOT_WRITTEN, "whose voice"),
    Probe("Do we decide which of our customers' employees have access?", NOT_WRITTEN, "whose voice"),
    Probe("Can we delete our customers' fine-tuned models at any time via an API call?", NOT_WRITTEN, "whose voice"),
    Probe("Do we own the fine-tuned models created with our customers' data?", NOT_WRITTEN, "whose voice"),
    Probe("Is our API penetration tested at least annually?", NOT_WRITTEN, "the customer's API, or yours"),
    Probe("Is our organization ISO/IEC 27001 certified?", NOT_WRITTEN, "the customer's organisation, or yours"),
    Probe("Are models deployed to our API statically versioned?", NOT_WRITTEN, "the customer's API, or yours"),
    Probe(
        "Do you conduct penetration tests of our API by an independent third party at least annually?",
        NOT_WRITTEN,
        "the customer's API",
    ),
    Probe("Do you use data licensed from us to train your models?", NOT_WRITTEN, "the customer as the licensor"),
    Probe("Do you use data licensed from our company to train your models?", NOT_WRITTEN, "the customer licenses"),
    Probe(
        "Do you use licensed data from our third-party data providers to train your AI models?",
        NOT_WRITTEN,
        "the customer's providers",
    ),
    Probe("Are your AI models aligned using our human feedback?", NOT_WRITTEN, "the customer's feedback"),
    Probe("Are your staff who access our data bound by confidentiality obligations?", NOT_WRITTEN, "contractors are"),
    # round 54: what a concession leads to is asserted too; "state" auditors are the government's
    Probe(
        "While OpenAI retains ownership of fine-tuned models, any organization can access the models fine-tuned "
        "with our data.",
        NOT_WRITTEN,
        "only the customer's organization can",
    ),
    Probe("Are your security testing and monitoring validated by state auditors?", NOT_WRITTEN, "independent ones"),
    # round 53: a self-assessment's row whose "you" is the customer, in a form that does not say so
    Probe("We control how long your data is retained.", NOT_WRITTEN, "the vendor does not: the customer does"),
    Probe("Can we delete your fine-tuned models at any time via an API call?", NOT_WRITTEN, "the customer deletes"),
    Probe("We retain all rights to the inputs you provide.", NOT_WRITTEN, "the customer keeps them"),
    Probe(
        "Are your employees who can access our API data bound by confidentiality obligations?",
        NOT_WRITTEN,
        "the claim binds contractors",
    ),
]

# Round 86: a row stating what the customer will do is its own undertaking, not a question for the
# vendor (the admins claim's Yes was written into four of them with --product chatgpt-enterprise);
# what the customer can do, owns or is given is still attested (the controls below)
UNDERTAKINGS = [
    Probe("The customer's workspace administrators will control who can view conversations.", NOT_WRITTEN, "theirs"),
    Probe("Customer administrators will control who can view conversations in the workspace.", NOT_WRITTEN, "theirs"),
    Probe("The customer will control who can view conversations and chat history.", NOT_WRITTEN, "theirs"),
    Probe("Customer IT will enable SAML SSO for all users.", NOT_WRITTEN, "the customer's undertaking"),
    Probe("The customer's security team must review the audit logs.", NOT_WRITTEN, "the customer's duty"),
    Probe("The customer is responsible for configuring SAML SSO.", NOT_WRITTEN, "the customer's duty"),
    Probe("Customers should decide how long ChatGPT Enterprise data is retained.", NOT_WRITTEN, "their duty"),
    # round 89: what the customer has done is its own to say
    Probe("The customer has configured SAML SSO for all users.", NOT_WRITTEN, "the customer's own act"),
]
# Round 87: whether something ever happens is not answered No by a claim whose No is said of less
# ("fine-tuned models ... never used to train other models") or only by default; round 86: "> 30
# days" in a terse row is beyond a claim of "up to 30 days"
EVER = [
    Probe("Can API data ever be used to train your models?", "No", "it is, where the customer opts in"),
    Probe("Have you ever trained your models on API data?", "No", "API data before March 2023"),
    Probe("Is API data ever used for model training?", "No", "where the customer opts in"),
    Probe("Is there any case in which you train on business data?", "No", "not by default is not never"),
    Probe("Under any circumstances, is customer data used to train your models?", "No", "only by default"),
    # round 111b: "any rights" asks whether there are rights at all; a No said of ownership is no answer
    Probe("Does OpenAI acquire any rights to our inputs or outputs?", "No", "rights to provide the service"),
    Probe("Does the vendor obtain any license to our inputs?", "No", "a limited license to run the service"),
    Probe("API data kept > 30 days?", "Yes", "up to 30 days"),
    Probe("Enterprise deleted chats kept >30 days?", "Yes", "removed within 30 days"),
    Probe("Are API logs retained over 30 days?", "Yes", "up to 30 days"),
    # round 89: whether it could be, and "at least" a time in other spellings
    Probe("Could our data be used to train your models?", "No", "where the customer opts in"),
    Probe("API inputs and outputs retained >= 30 days?", "Yes", "up to 30 days"),
    Probe("Are API inputs and outputs kept 30+ days?", "Yes", "up to 30 days"),
    Probe("Are API inputs and outputs kept for 30 days or longer?", "Yes", "up to 30 days"),
    # a question that sets the claim's own case aside keeps the claim's No (it must not be turned round)
    Probe("Could API data submitted after March 1, 2023 have been used for training without opting in?", "Yes", "No"),
]
# Round 91: a phrasing's Yes that says a thing is excluded is no Yes to whether it is done ("Does the
# exclusion ... cover uploaded files?" Yes was offered for "Trains on files we upload?")
EXCLUSIONS = [
    Probe("Trains on files we upload?", "Yes", "they are excluded from training"),
    Probe("Uses files we upload for training?", "Yes", "they are excluded from training"),
    Probe("Are files we upload used to train your models?", "Yes", "they are excluded from training"),
]
# Round 87: two claims of other topics that each speak of half of one thing ("data residency" and
# "audit logs") do not together answer "data residency for audit logs"; only a question joining two
# things is settled so
JOINED = [
    Probe("Do you offer data residency for audit logs?", "Yes", "residency is said of ChatGPT and the API"),
    Probe("Do you offer data residency for fine-tuned models?", "Yes", "not said of fine-tuned models"),
]

# Round 94: what the customer must do or have is no practice of the vendor's ("Must our organization
# enable SAML SSO?" was offered the SSO Yes, "Does our company need a SOC 2 report ...?" the SOC 2 Yes)
OBLIGATIONS = [
    Probe("Must our organization enable SAML SSO?", "Yes", "SSO is offered, not required"),
    Probe("Must our users authenticate through SAML SSO?", "Yes", "SSO is offered, not required"),
    Probe("Does our company need a SOC 2 Type 2 report to use the service?", "Yes", "the vendor's report"),
    Probe("Does our company need ISO 27001 certification to use the service?", "Yes", "the vendor's certificate"),
    Probe("Is our institution required to hold ISO 27001?", "Yes", "the vendor's certificate"),
    # round 95: the customer's organization by its possessive, and "our responsibility"
    Probe("Must the customer's organization enable data residency?", "Yes", "residency is offered"),
    Probe("Is it our responsibility to encrypt data at rest?", "Yes", "the vendor encrypts it"),
    # and "our company" as the subject is the customer, as "we" is: it owns its outputs
    Probe("Will our company own the output generated from our prompts?", "No", "the customer owns them"),
    # round 96: the customer's phrasing was beyond the shortlist, which held only the vendor's
    Probe("Will our organization own the outputs the service generates for us?", "No", "the customer owns them"),
]
# Round 94: the consumer app's practice offered for business accounts, and one plan's answer where
# another plan's says otherwise, in a form for no product in particular
BY_PRODUCT = [
    Probe("Are conversations from business users among the sources used to train your models?", "Yes", "consumer"),
    Probe("Are business customers' conversations among the sources of your training data?", "Yes", "consumer"),
    Probe("Do your training data sources include conversations from company accounts?", "Yes", "consumer"),
    Probe("Can workspace admins view member conversations?", "No", "Enterprise admins can"),
    Probe("Can workspace owners see members' chats?", "No", "Enterprise admins can"),
    Probe("Admins can view chats?", "No", "Enterprise admins can"),
]

# Round 95: a limit to one group where the claim's names two, and a question that sets every
# condition aside against a claim's answer that holds under one
LIMITS = [
    Probe("Is access to stored API data limited to OpenAI employees?", "Yes", "contractors too"),
    Probe("Is access to stored API inputs and outputs limited to OpenAI staff?", "Yes", "contractors too"),
    Probe("Can we use API outputs without any restriction at all?", "Yes", "subject to the Usage Policies"),
    Probe("Are there no restrictions at all on how we use outputs from the API?", "Yes", "the Usage Policies"),
]

# Round 98: an amount the question states otherwise than the claim ("more than two stages" took the
# two-stage claim's Yes), and an exception turned round ("kept beyond 30 days unless legally required to
# delete them" took the Yes of "kept beyond 30 days only if legally required")
AMOUNTS = [
    Probe("Are your models trained in more than two stages?", "Yes", "two stages"),
    Probe("Does model training involve more than two stages?", "Yes", "two stages"),
    Probe("Is model training done in three or more stages?", "Yes", "two stages"),
    Probe("Is model training done in more than two stages, starting with a large amount of data?", "Yes", "two"),
    Probe("Are deleted ChatGPT Enterprise conversations removed within 7 days?", "Yes", "within 30 days"),
    Probe("Are API inputs and outputs removed after 90 days?", "Yes", "after 30 days"),
    Probe("Are API inputs and outputs kept for at least 60 days?", "Yes", "up to 30 days"),
]
CONDITIONS = [
    Probe("Do you keep API inputs and outputs beyond 30 days unless legally required to delete them?", "Yes", "No"),
    Probe("Are API inputs and outputs retained after 30 days unless legally required to be deleted?", "Yes", "No"),
    Probe(
        "Are deleted ChatGPT Enterprise conversations retained beyond 30 days unless OpenAI is legally required to "
        "retain them?",
        "Yes",
        "removed within 30 days unless",
    ),
    Probe(
        "Are deleted ChatGPT Team conversations retained beyond 30 days unless legally required to delete them?",
        "Yes",
        "removed within 30 days unless",
    ),
    Probe("Are deleted ChatGPT Enterprise conversations retained within 30 days?", "Yes", "removed within 30 days"),
]

# Round 98: a Yes said of the limits of a practice (or of whether the vendor says when it is done) is no
# Yes to whether it is done; a time before the question is part of it, not the row's number
LIMITED = [
    Probe("Human review of our data?", "Yes", "only as described for each service"),
    Probe("Do humans review customer data?", "Yes", "only as described for each service"),
    Probe("Is customer data subject to human review?", "Yes", "only as described for each service"),
    Probe("Customer data is subject to human review.", "Yes", "only as described for each service"),
    Probe("Pre-2023 API data used for training?", "No", "used unless the organization opted out"),
    # round 99: a time the row names by its year, before the question or as its label
    Probe("Pre-2023: Is API data excluded from model training by default?", "Yes", "used unless opted out"),
    Probe("Before 2023: Is API data excluded from model training by default?", "Yes", "used unless opted out"),
    Probe("PRE 2023 customers: Is API data excluded from model training by default?", "Yes", "opted out"),
    Probe("Pre-2020: Did you operate a Bug Bounty Program?", NOT_WRITTEN, "the pages say nothing of 2019"),
    Probe("Did you hold a SOC 2 Type 2 report in 2019?", NOT_WRITTEN, "the pages say nothing of 2019"),
    Probe("Pre-2023: Are API inputs and outputs used for model training by default?", "No", "they were"),
    # and a Yes for some is not offered for "any" or "all" (round 98 offered residency's Yes at 100)
    Probe("Can customers choose to store their data in any country?", "Yes", "in some regions"),
    Probe("Does OpenAI release new AI systems to all users at once?", "Yes", "to a gradually expanding audience"),
    Probe("Do you pay bounties for all reported vulnerabilities?", "Yes", "by severity"),
]

# Round 99: "Vendor confirms that ..." attests the statement after it, whose subject is its own (the
# vendor was read as the one owning and encrypting); owning is no access
ATTESTED = [
    Probe("Vendor confirms that customers own their fine-tuned models.", "Yes", "OpenAI retains ownership"),
    Probe("Vendor confirms that customers retain ownership of their fine-tuned models.", "Yes", "OpenAI's"),
    Probe("Supplier confirms that customers own the outputs they receive.", "No", "the customer owns them"),
    Probe("The vendor confirms that customers own the outputs they receive.", "No", "the customer owns them"),
    Probe("Vendor confirms that customers encrypt their data at rest using AES-256.", NOT_WRITTEN, "theirs"),
    Probe("Vendor confirms that customers perform annual penetration testing of the API.", NOT_WRITTEN, "theirs"),
    Probe("Vendor confirms that Customer is responsible for encrypting its data at rest.", NOT_WRITTEN, "theirs"),
    Probe("Do customers have exclusive ownership of fine-tuned models?", "Yes", "exclusive access, not ownership"),
]

# Round 100: whose use or permission, information about a thing, an act's effect, what a thing lasts
# until, and a part the chosen claim answers otherwise
WHOSE_USE = [
    Probe("Are custom models OpenAI's alone to use?", "Yes", "the customer's alone"),
    Probe("Are custom models for the exclusive use of OpenAI?", "Yes", "the customer's alone"),
    Probe("Are fine-tuned models for OpenAI's use alone?", "Yes", "for the customer's use alone"),
    Probe("Are fine-tuned models dedicated to OpenAI?", "Yes", "for the customer's use alone"),
    Probe("Is the training file we upload used solely to fine-tune a model for OpenAI's use?", "Yes", "ours"),
    Probe(
        "Will OpenAI recover ChatGPT Enterprise end user conversations only with OpenAI's explicit permission?",
        "Yes",
        "the customer's permission",
    ),
    # round 100b: whose permission, named as a noun before it
    Probe(
        "Is explicit end user permission required before OpenAI recovers ChatGPT Enterprise conversations?",
        "Yes",
        "the customer's permission, not each end user's",
    ),
    Probe("Does OpenAI need user consent before recovering ChatGPT Enterprise conversations?", "Yes", "the customer's"),
    Probe("Is the approval of the end user required before OpenAI recovers deleted chats?", "Yes", "the customer's"),
    Probe("Do content classification results contain metadata about customer business data?", "No", "they do"),
    Probe("Do classifier outputs contain information about our business data?", "No", "metadata about it"),
    Probe("Does deleting a training file also delete the models already fine-tuned from it?", "Yes", "unsaid"),
    Probe("Does deleting a fine-tuned model also delete its training file?", "Yes", "unsaid"),
    Probe("Is fine-tuning data retained until OpenAI deletes the files?", "Yes", "until the customer does"),
    Probe("Is fine-tuning data retained until the fine-tuned model is deleted?", "Yes", "until the files are"),
    Probe(
        "Only the customer's organization can access models fine-tuned with its data, and the customer owns those "
        "models.",
        "Yes",
        "OpenAI retains ownership",
    ),
    Probe(
        "Vendor confirms that customers retain ownership of fine-tuned models, while OpenAI has exclusive access "
        "to them.",
        "Yes",
        "the parties swapped",
    ),
    Probe("Do ChatGPT Enterprise workspace admins own their end users' conversations?", NOT_WRITTEN, "admins view"),
    Probe("Vendor confirms that workspace admins own the conversations of their end users.", NOT_WRITTEN, "view"),
    # the vendor's administrators are not the customer's workspace admins
    Probe("Can OpenAI administrators set how long ChatGPT Enterprise data is retained?", "Yes", "workspace admins"),
    Probe("Do OpenAI workspace admins view conversations?", "Yes", "the customer's workspace admins"),
    # round 101: its siblings ("the vendor's own use", a statement of an act's effect, the customer's word)
    Probe("Are fine-tuned models reserved for the vendor's own use?", "Yes", "for the customer's use alone"),
    Probe("Vendor confirms that deleting a fine-tuning file also deletes the fine-tuned model.", "Yes", "unsaid"),
    Probe("Customer confirms that it owns its inputs and outputs.", "Yes", "the customer's own attestation"),
    # round 101b: what a form lets the customer do is the customer's act; one removal set off by another
    Probe("The Contractor shall permit the State to red team the Contractor's models.", NOT_WRITTEN, "the State's"),
    Probe(
        "The Contractor shall permit the State to perform its own penetration testing of the API at least annually.",
        NOT_WRITTEN,
        "the State's testing",
    ),
    Probe("Fine-tuned models are deleted when the training file is deleted.", "Yes", "unsaid"),
    Probe("Deleting our organization's training file deletes the fine-tuned models.", "Yes", "unsaid"),
    # a row whose own label gives it to the customer
    Probe("Customer to complete: Is your organization subject to HIPAA?", "Yes", "the customer's to answer"),
    Probe("To be completed by the customer: Do you hold a SOC 2 Type 2 report?", "Yes", "the customer's"),
    # round 102: CAIQ's "CSC:" rows, and the customer's bare name as the label
    Probe("CSC: Does the CSC decide which of its own users have access to the service?", "Yes", "the CSC's row"),
    Probe("Client: Can the client decide which of its users have access?", "Yes", "the client's row"),
    # round 103: the tenant by its role, and "to be answered by"
    Probe("Tenant to answer: Is customer data excluded from model training by default?", "Yes", "the tenant's"),
    Probe("To be answered by the tenant: Does your organization hold an ISO/IEC 27001 certificate?", "Yes", "theirs"),
]


# Round 110: a paper a named party owns, whatever script or shape its name has
NAMED_PAPER = [
    Probe("Will you sign \u0645\u0635\u0631\u0641's data processing agreement?", "Yes", "the customer's own paper"),
    Probe("Will you sign 3M's DPA?", "Yes", "the customer's own paper"),
    Probe("Will you sign H&M's standard data processing agreement?", "Yes", "the customer's own paper"),
    Probe("Will you sign the DPA of the Bank?", "Yes", "the customer's own paper"),
]
# Round 104: an adverb between a passive subject and its verb is no subject ("still" took the classifiers' Yes)
ADVERBS = [
    Probe("When zero data retention is approved, are inputs and outputs still stored?", "Yes", "not stored"),
    Probe("Under zero data retention, are API inputs and outputs still retained?", "Yes", "not stored"),
    # round 105: read past "routinely", the access for incidents took it; a habit is how often, which it says not
    Probe("Are ChatGPT Enterprise conversations routinely accessed by OpenAI staff?", "Yes", "only for incidents"),
    Probe("Do OpenAI employees regularly access ChatGPT Enterprise conversations?", "Yes", "only for incidents"),
]
CLASSES = {
    "siblings": SIBLINGS,
    "swapped": SWAPPED,
    "exceptions": EXCEPTIONS,
    "parties": PARTIES,
    "purposes": PURPOSES,
    "beyond": BEYOND,
    "statements": STATEMENTS,
    "compound": COMPOUND,
    "frequency": FREQUENCY,
    "papers": PAPERS,
    "off-topic": OFF_TOPIC,
    "labels": LABELS,
    "hollow": HOLLOW,
    "could": COULD,
    "names asked": NAMES_ASKED,
    "negations": NEGATIONS,
    "qualifiers": QUALIFIERS,
    "properties": PROPERTIES,
    "hedges": HEDGES,
    "narrowed": NARROWED,
    "roles": ROLES,
    "status": STATUS,
    "scope": SCOPE,
    "theirs": THEIRS,
    "qualified no": QUALIFIED_NO,
    "manners": MANNERS,
    "prose": PROSE,
    "others and fields": OTHERS_AND_FIELDS,
    "conditional yes": CONDITIONAL_YES,
    "numbers": NUMBERS,
    "product families": PRODUCT_FAMILIES,
    "places": PLACES,
    "said numbers": SAID_NUMBERS,
    "opposites": OPPOSITES,
    "voices": VOICES,
    "undertakings": UNDERTAKINGS,
    "ever": EVER,
    "joined": JOINED,
    "exclusions": EXCLUSIONS,
    "obligations": OBLIGATIONS,
    "by product": BY_PRODUCT,
    "limits": LIMITS,
    "amounts": AMOUNTS,
    "conditions": CONDITIONS,
    "limited": LIMITED,
    "attested": ATTESTED,
    "whose use": WHOSE_USE,
    "adverbs": ADVERBS,
    "named paper": NAMED_PAPER,
    "half offered": HALF_OFFERED,
}
ALL = [(name, probe) for name, probes in CLASSES.items() for probe in probes]
# Rows the same form answers, so a probe run that writes nothing at all cannot pass.
CONTROLS = {
    # a questionnaire's prose around the control is no part of it (the eval's rows)
    "Do you have the capability to respond to incidents on a 24 x 7 x 365 basis?": "Yes",
    "Do you have an easily discoverable way for external researchers to report security vulnerabilities?": "Yes",
    "Is data encrypted at rest using AES-256?": "Yes",
    # an amount as the claim states it
    "Do you train your models in two stages?": "Yes",
    # a purpose said with "in order to" (round 118a left it blank: "never speaks of: order")
    "Do you use public information on the internet to build profiles about people in order to advertise to them?": "No",
    # a later part asking only for details is answered by the sentence beside the Yes
    "Do you encrypt data at rest? If so, how?": "Yes",
    # a statement the vendor confirms is read as the statement
    "Vendor confirms that it encrypts customer data at rest.": "Yes",
    "Do you offer a Data Processing Agreement?": "Yes",
    "Does the customer own their inputs and outputs?": "Yes",
    # what the customer keeps or is given, in a statement, is still the vendor's to attest
    "The customer shall retain ownership of its inputs and outputs.": "Yes",
    # a row's own number is no part of its question
    "3.2 Is customer data encrypted at rest?": "Yes",
    "DP-01: Do you offer a Data Processing Agreement?": "Yes",
    "7.4(b) Is data encrypted in transit?": "Yes",
    # a revision, or both states, as the claim says them
    "Is data encrypted at rest and in transit?": "Yes",
    # "all" of data is the claims' own generic subject
    "Is all stored customer data encrypted with AES-256?": "Yes",
    # a place or a number the claim does say
    "Is data in transit encrypted with TLS 1.2 or higher?": "Yes",
    # a word the base never uses but offered as another name of one it does
    "Is a Cybersecurity Incident/Event Response team available 24x7x365?": "Yes",
    # a certificate is the organisation's, its scope said beside the answer
    "Are you ISO/IEC 27001:2022 certified?": "Yes",
    # the vendor in the third person asks what "you" asks
    "Does the vendor encrypt customer data at rest?": "Yes",
    "Is the supplier's data encrypted in transit with TLS 1.2 or higher?": "Yes",
    "Vendor encrypts data in transit with TLS 1.2+.": "Yes",
    # a statement of the vendor's practice to attest (round 30)
    "The provider maintains a 24/7 security incident response capability.": "Yes",
    # one of the products a claim covers, named by the row (a claim for "ChatGPT and API")
    "Is data residency available for ChatGPT Enterprise?": "Yes",
    # the first person beside "you" or the vendor's name is the customer for certain (round 51)
    "Is our content encrypted while at rest on OpenAI systems?": "Yes",
    "Do we, the customer, retain ownership of our inputs and outputs?": "Yes",
    # the other party's side of the same claim: the vendor does not own them
    "Does OpenAI own the outputs generated from customer inputs?": "No",
    "Does the vendor own the outputs generated by the service?": "No",
    # a law firm's form names itself "the Firm" (round 82), as a bank's "the Bank"
    "Is Firm data encrypted at rest using AES-256?": "Yes",
    # a report's criterion is what it covers (round 66: "never speaks of: criterion")
    "Does your SOC 2 Type 2 report cover the Availability criterion?": "Yes",
}


# Near a claim's phrasing, with no guard to stop it: left to a person with how near, and why not.
NEAR = "Is the vendor ISO/IEC 27001 certified, with ChatGPT Enterprise in scope?"


def _form(path: Path, questions: list[str], choices: str = "Yes,No,N/A") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(["ID", "Question", "Answer", "Comments"])
    for number, question in enumerate(questions, start=1):
        ws.append([f"P-{number}", question, None, None])
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    validation.add(f"C2:C{len(questions) + 1}")
    ws.add_data_validation(validation)
    wb.save(path)
    return path


def _word_table(document: Any, rows: list[list[str]], cols: int) -> Any:
    """A table of `cols` columns added to a python-docx document, its cells holding `rows`."""
    table = document.add_table(rows=len(rows), cols=cols)
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=False):
            cell.text = text
    return table


def _run_fill(form: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> None:
    """`autofill fill FORM -o OUT ...` through the real CLI, which must succeed."""
    done = subprocess.run(
        [sys.executable, "-m", "autofill", "fill", str(form), "-o", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _fill(
    form: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Fill through the real CLI: the cells written and the report's row for each question."""
    out, report = form.with_name(form.stem + ".filled.xlsx"), form.with_name(form.stem + ".json")
    _run_fill(form, out, "--report", str(report), *extra, env=env)
    ws = openpyxl.load_workbook(out).active
    written = {row[1]: row[2] for row in ws.iter_rows(min_row=2, values_only=True)}
    rows = {item["question"]: item for item in json.loads(report.read_text(encoding="utf-8"))["questions"]}
    return written, rows


# "plain": a plain install's fill, without the optional meaning model that reorders review suggestions (round
# 111b's "any rights" No was offered there only)
@pytest.fixture(
    scope="module",
    params=[None, "api", "chatgpt-enterprise", "plain"],
    ids=["any-product", "api", "enterprise", "plain-install"],
)
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    questions = [probe.question for _, probe in ALL] + list(CONTROLS) + [NEAR]
    form = _form(tmp_path_factory.mktemp("probes") / "probes.xlsx", questions)
    if request.param == "plain":
        return _fill(form, env={"AUTOFILL_MEANING": "0"})
    return _fill(form, *(("--product", request.param) if request.param else ()))


def test_the_controls_are_answered(filled: tuple[dict[str, Any], dict[str, dict[str, Any]]]) -> None:
    written, _ = filled
    for question, value in CONTROLS.items():
        assert written[question] == value, question


def test_both_states_are_answered_by_a_claim_for_each(filled: tuple[dict[str, Any], dict[str, dict[str, Any]]]) -> None:
    # "at rest and in transit": the transit claim says half; the at-rest claim joins it, both cited
    _, rows = filled
    cited = rows["Is data encrypted at rest and in transit?"]["citations"]
    quotes = " ".join(c["quote"] for c in cited)
    assert len(cited) >= 2 and "at rest" in quotes and "in transit" in quotes, cited


@pytest.mark.parametrize(("kind", "probe"), ALL, ids=[f"{k}: {p.question[:50]}" for k, p in ALL])
def test_no_wrong_answer_is_written_or_offered(
    kind: str, probe: Probe, filled: tuple[dict[str, Any], dict[str, dict[str, Any]]]
) -> None:
    written, rows = filled
    row = rows[probe.question]
    value = written[probe.question]
    if probe.never == NOT_WRITTEN:
        assert value in (None, ""), f"{kind}: wrote {value!r} ({probe.why}); {row['note']}"
    else:
        assert value != probe.never, f"{kind}: wrote {value!r} ({probe.why})"
        offered = row["status"] == "review" and row["answer"] == probe.never
        assert not offered, f"{kind}: offered {probe.never} from {row['claim']} ({probe.why})"
    if kind in ("labels", "hollow"):
        assert row["status"] == "unanswered", row


def test_every_row_left_to_a_person_says_why(filled: tuple[dict[str, Any], dict[str, dict[str, Any]]]) -> None:
    # "Review rows show why": a row under review names the guard that fired or, when none did, how
    # near the nearest phrasing is and what differs, in the question's own words (no matcher tokens)
    _, rows = filled
    for question, row in rows.items():
        if row["status"] in ("review", "unanswered"):
            assert row["note"], question
    assert "custdata" not in str([r["note"] for r in rows.values()]), "a matcher token in a note"
    row = rows[NEAR]
    if row["status"] == "review":  # (a product mode may leave it for another reason, also named)
        assert "fits at" in row["note"] and "below 80" in row["note"] and "Enterprise" in row["note"], row["note"]


def test_a_review_row_names_the_part_no_claim_covers(
    filled: tuple[dict[str, Any], dict[str, dict[str, Any]]],
) -> None:
    _, rows = filled
    for question, part in [
        (COMPOUND[0].question, "byok"),
        (COMPOUND[1].question, "hsm"),
        (COMPOUND[2].question, "rotate keys"),
    ]:
        row = rows[question]
        assert row["status"] == "review" and part in (row["note"] or "").lower(), row


def test_a_qualified_no_names_its_qualifier_for_review(
    filled: tuple[dict[str, Any], dict[str, dict[str, Any]]],
) -> None:
    _, rows = filled
    for question, word in [(QUALIFIED_NO[0].question, "cleartext"), (QUALIFIED_NO[3].question, "others")]:
        row = rows[question]
        if row["status"] == "review":  # (a product mode may leave it blank instead)
            assert word in (row["note"] or ""), row


def test_a_no_is_written_only_where_the_list_means_no(tmp_path: Path) -> None:
    # Not training on customer data is the good answer: "Non-compliant" or "Not implemented"
    # would say the opposite, and "No answer" is no answer at all.
    question = "Is customer data used for training by default?"
    for choices in (
        "Compliant,Non-compliant,N/A",
        "Implemented,Partially implemented,Not implemented",
        "Yes,No answer",
    ):
        written, rows = _fill(_form(tmp_path / f"{len(choices)}.xlsx", [question], choices))
        assert written[question] in (None, ""), (choices, written[question])
        assert rows[question]["status"] == "review" and "list" in rows[question]["note"], rows[question]
    written, _ = _fill(_form(tmp_path / "plain.xlsx", [question], "Yes,No,N/A"))
    assert written[question] == "No"
    # a code beside the word means the word (round 46): "0 = No", "N - No", "No (0)"
    for choices, no in (("1 = Yes,0 = No", "0 = No"), ("Y - Yes,N - No", "N - No"), ("Yes (1),No (0)", "No (0)")):
        written, _ = _fill(_form(tmp_path / f"coded{len(choices)}.xlsx", [question], choices))
        assert written[question] == no, (choices, written[question])
    # a letter means its usual word only among the usual letters (round 81: "Y / X / N" with X = No
    # and N = not applicable got "N" for a No)
    for choices in ("Y,X,N", "Y,P,N,X", "1,0,N"):
        written, _ = _fill(_form(tmp_path / f"letters{len(choices)}.xlsx", [question], choices))
        assert written[question] in (None, ""), (choices, written[question])
    # a statement's Agree / Disagree says whether it holds (round 46); a question's does not
    statement = "The Supplier encrypts customer data at rest."
    asked = "Do you encrypt customer data at rest?"
    written, _ = _fill(_form(tmp_path / "agree.xlsx", [statement, asked], "Agree,Disagree"))
    assert (written[statement], written[asked]) == ("Agree", None), written
    # a requirement "Fully met" or "Not met" (round 70: a bank's list had none of Yes / No): a
    # statement's grade, never a question's
    requirement = "Data at rest is encrypted using AES-256."
    met = "Fully met,Partially met,Not met,Not applicable"
    written, _ = _fill(_form(tmp_path / "met.xlsx", [requirement, asked, question], met))
    assert (written[requirement], written[asked], written[question]) == ("Fully met", None, None), written
    # a claim that holds with a limit ("for eligible endpoints") is no full grade where a partial one
    # is offered (round 99 wrote "Fully Met" to "The vendor must offer zero data retention.")
    limited = "The vendor must offer zero data retention."
    written, rows = _fill(_form(tmp_path / "limit.xlsx", [limited, requirement], met), "--product", "api")
    assert (written[limited], written[requirement]) == (None, "Fully met"), written
    assert rows[limited]["status"] == "review" and "'eligible'" in rows[limited]["note"], rows[limited]
    written, _ = _fill(_form(tmp_path / "limit-yes.xlsx", [limited], "Yes,No,N/A"), "--product", "api")
    assert written[limited] == "Yes"  # offered, for eligible endpoints: a plain Yes is true
    # a qualified choice says more than Yes or No: "No - planned" would promise training
    form = tmp_path / "qualified.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "Question", "Answer", "Comments"])
    wb.active.append(["1", question, None, None])
    lists = wb.create_sheet("Lists")
    for number, choice in enumerate(["Yes, with exceptions", "No - planned", "N/A"], start=1):
        lists.cell(row=number, column=1, value=choice)
    validation = DataValidation(type="list", formula1="Lists!$A$1:$A$3", allow_blank=True)
    validation.add("C2")
    wb.active.add_data_validation(validation)
    wb.save(form)
    written, _ = _fill(form)
    assert written[question] in (None, ""), written[question]


def test_a_row_asking_for_a_name_gets_no_sentence_that_names_none(tmp_path: Path) -> None:
    # A free-text answer cell takes the claim's sentence for "How ...?" rows; a row that asks WHO or
    # WHICH firm, provider or region wants a name, which "runs on trusted cloud providers" is not.
    asking = [
        "Which cloud provider hosts the OpenAI API?",
        "Who performs the annual penetration test of the API?",
        "Which independent third-party auditor evaluated your infrastructure?",
        "Which regions does data residency support for the API?",
        "Name your cloud hosting provider.",
        "List the identity providers supported for SAML SSO.",
    ]
    control = "How is customer data encrypted at rest?"
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "Question", "Answer", "Comments"])
    for number, question in enumerate([*asking, control], start=1):
        wb.active.append([f"N-{number}", question, None, None])
    form = tmp_path / "names.xlsx"
    wb.save(form)
    written, rows = _fill(form, "--product", "api")
    for question in asking:
        assert written[question] in (None, ""), (question, written[question])
        assert "asks for a name" in rows[question]["note"] or rows[question]["status"] != "answered", rows[question]
    assert "encrypt" in str(written[control]), written[control]  # an open row is still answered with the sentence


def test_a_claim_leaving_out_chatgpt_team_is_no_answer_for_a_form_naming_no_product(tmp_path: Path) -> None:
    """Rounds 30-33: SAML SSO is the API's and ChatGPT Enterprise's, audit logs theirs and Edu's;
    a form that names no product may be a ChatGPT Team customer's, and would read "Yes" (a
    certificate is the organisation's: "Are you ISO/IEC 27001:2022 certified?" stays a control)."""
    rows = [
        "Do you support SAML single sign-on (SSO)?",
        "Are audit logs available to customer administrators?",
        "Do you support data residency?",
        # rounds 39 and 46: a ChatGPT feature is no answer for a bank buying the API
        "Can end users build and share GPTs internally within the workspace?",
    ]
    plain, _ = _fill(_form(tmp_path / "plain.xlsx", rows))
    assert [plain[q] for q in rows] == [None, None, None, None]
    enterprise, _ = _fill(_form(tmp_path / "enterprise.xlsx", rows), "--product", "chatgpt-enterprise")
    assert [enterprise[q] for q in rows] == ["Yes", "Yes", "Yes", "Yes"]


def test_a_certificate_is_the_organisations_but_the_service_in_its_scope_is_the_products(tmp_path: Path) -> None:
    """Round 42: "Is the service covered by an ISO 27001 certification?" in a form naming no
    product was answered Yes from a certificate whose scope leaves out ChatGPT Team; the
    organisation's own certificate ("Are you ...", "Is your organization ...") stays a Yes, and a
    report that covers every business plan (SOC 2) answers for the service too."""
    service = [
        "Is the service covered by an ISO 27001 certification?",
        "Is your platform within the scope of your ISO/IEC 27001 certificate?",
    ]
    organisation = ["Are you ISO 27001 certified?", "Is your organization ISO/IEC 27001 certified?"]
    every_plan = "Is your solution covered by your SOC 2 Type II report?"
    rows = [*service, *organisation, every_plan]
    plain, report = _fill(_form(tmp_path / "plain.xlsx", rows))
    assert [plain[q] for q in service] == [None, None], [report[q]["note"] for q in service]
    assert all("which product" in report[q]["note"] for q in service), [report[q]["note"] for q in service]
    assert [plain[q] for q in [*organisation, every_plan]] == ["Yes", "Yes", "Yes"]
    enterprise, _ = _fill(_form(tmp_path / "enterprise.xlsx", service), "--product", "chatgpt-enterprise")
    assert [enterprise[q] for q in service] == ["Yes", "Yes"]


def test_a_no_said_beyond_a_bound_is_neither_written_nor_offered_for_any_at_all(tmp_path: Path) -> None:
    """Round 37's leftover: "Does the vendor receive any rights in customer inputs or outputs?" was
    offered the No of "... rights beyond what is necessary?"; the vendor does receive the rights it
    needs, so the honest answer is a limited Yes. The row is left for a person, not highlighted; a
    question that sets the bound itself keeps the claim's No."""
    unbounded = [
        "Does the vendor receive any rights in customer inputs or outputs?",
        "Does the provider take rights in the content customers submit?",
    ]
    bounded = "Does the vendor obtain broad license rights to use customer inputs and outputs for any purpose?"
    written, rows = _fill(_form(tmp_path / "rights.xlsx", [*unbounded, bounded]), "--product", "api")
    for question in unbounded:
        assert written[question] is None, question
        assert rows[question]["status"] == "unanswered", rows[question]
    assert "bound the question does not set" in rows[unbounded[0]]["note"], rows[unbounded[0]]["note"]
    assert written[bounded] == "No"


def test_a_claims_exception_is_its_own_and_the_case_outside_it_is_answered(tmp_path: Path) -> None:
    """The control of the EXCEPTIONS probes: the same claim answers the row that keeps its "unless"."""
    rows = [
        "Are API inputs and outputs deleted after 30 days unless legally required to be retained?",
        "Do you train on data submitted through the API unless the customer opts in?",
    ]
    written, _ = _fill(_form(tmp_path / "unless.xlsx", rows), "--product", "api")
    assert [written[q] for q in rows] == ["Yes", "No"]


def test_a_row_in_the_first_person_offers_the_respondents_reading_to_a_person(tmp_path: Path) -> None:
    """Round 51: "Is our API penetration tested?" is the customer's API in the customer's form and the
    vendor's in a self-assessment; neither is written, the respondent's answer is suggested with
    both readings named. A row that speaks to "you" as well is the customer's voice and answered."""
    ambiguous = "Is our API penetration tested at least annually?"
    customer_voice = "Do you use our data to train your models?"
    written, rows = _fill(_form(tmp_path / "voice.xlsx", [ambiguous, customer_voice]), "--product", "api")
    assert written[ambiguous] is None
    row = rows[ambiguous]
    assert (row["status"], row["answer"], row["claim"]) == ("review", "Yes", "testing-pentest-annual"), row
    assert "may be either party" in row["note"] and "customer's own" in row["note"], row["note"]
    assert written[customer_voice] == "No"


def _declared_form(path: Path, intro: str, questions: list[str]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Supplier security self-assessment"])
    ws.append([intro])
    ws.append(["ID", "Question", "Answer", "Comments"])
    for number, question in enumerate(questions, start=1):
        ws.append([f"S-{number}", question, None, None])
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    validation.add(f"C4:C{len(questions) + 3}")
    ws.add_data_validation(validation)
    wb.save(path)
    return path


def test_a_form_that_says_whom_its_we_means_is_read_in_that_voice(tmp_path: Path) -> None:
    """Round 51: a self-assessment that says "'We', 'our' and 'us' refer to the supplier" asks the
    vendor's practice in the first person: its rows are answered as the vendor's, the answer turning
    where "we" would be the customer. A form that says its "we" is the bank reads "our API" as the
    bank's; one that names only itself ("refer to Harbourline") or allows parts to say otherwise
    leaves each row to the reading of both voices."""
    rows = [
        "Do we decide which of our customers' employees have access?",
        "Is our API penetration tested at least annually?",
        "We encrypt customer data at rest.",
        # its "you" is the customer reading it (round 52 wrote the vendor's No for the first)
        "You own your inputs and outputs.",
        "We control how long your data is retained.",
        # what only a customer has, said by the vendor of itself: no claim speaks of it
        "Our fine-tuned models are served to other customers.",
        "Each of our end users controls whether your ChatGPT Team conversations are retained.",
        # its "your" DPA is the customer's own paper (round 57)
        "We will sign your Data Processing Addendum.",
    ]
    vendor = "'We', 'our' and 'us' refer to the supplier; 'you' means the customer reading this assessment."
    written, report = _fill(_declared_form(tmp_path / "attest.xlsx", vendor, rows), "--product", "api")
    assert [written[q] for q in rows] == ["No", "Yes", "Yes", "Yes", None, None, None, None], [
        report[q]["note"] for q in rows
    ]
    customer = "In this questionnaire 'we', 'us' and 'our' refer to Northbridge Bank; 'you' means the supplier."
    written, report = _fill(_declared_form(tmp_path / "bank.xlsx", customer, rows[1:2]), "--product", "api")
    assert written[rows[1]] is None and report[rows[1]]["status"] == "unanswered", report[rows[1]]
    for intro in ("'We' refers to Harbourline.", "'We' and 'our' refer to the supplier unless a part says otherwise."):
        written, report = _fill(_declared_form(tmp_path / "named.xlsx", intro, rows[:2]), "--product", "api")
        assert [written[q] for q in rows[:2]] == [None, None], intro
        assert report[rows[1]]["status"] == "review" and "may be either party" in report[rows[1]]["note"], report[
            rows[1]
        ]


def test_visible_is_not_answered_by_the_no_of_hidden(tmp_path: Path) -> None:
    """Round 52: "... visible to our workspace admins?" was offered the No of "... hidden from
    workspace admins?"; the claim's own Yes phrasing answers it, and each keeps its own answer."""
    visible = "Are users' conversations in ChatGPT Enterprise visible to workspace admins?"
    hidden = "Are ChatGPT Enterprise users' conversations hidden from workspace admins?"
    written, _ = _fill(_form(tmp_path / "visible.xlsx", [visible, hidden]), "--product", "chatgpt-enterprise")
    assert (written[visible], written[hidden]) == ("Yes", "No")


def test_a_section_about_another_party_offers_none_of_the_vendors_answers(tmp_path: Path) -> None:
    """Rounds 69 and 70: under "Your cloud hosting provider" or "Contractors who review our content",
    "Does it hold a SOC 2 Type 2 report?" was left for review with the vendor's own Yes offered:
    accepting it wrote the vendor's report as the provider's."""
    form = tmp_path / "sections.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Question", "Answer", "Comments"])
    rows = [
        ["F3", "F3. Your cloud hosting provider (answer for that provider, not for your own organization)"],
        ["F3.1", "Does it hold a SOC 2 Type 2 report?"],
        ["F3.2", "Does it operate a bug bounty program?"],
        ["F3.3", "Is our data encrypted at rest?"],
        ["F4", "F4. Contractors who review our content for you"],
        ["F4.1", "Are they ISO/IEC 27001 certified?"],
        ["F4.2", "Will they sign a BAA with us?"],
        ["G", "G. Your own organization"],
        ["G.1", "Do you hold a SOC 2 Type 2 report?"],
    ]
    for row in rows:
        ws.append([*row, None, None])
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    validation.add(f"C2:C{len(rows) + 1}")
    ws.add_data_validation(validation)
    wb.save(form)
    for extra in ((), ("--product", "api")):
        written, report = _fill(form, *extra)
        for _, question in rows[1:4] + rows[5:7]:
            row = report[question]
            assert written[question] in (None, "") and row["status"] == "unanswered", (extra, row)
            assert "asked under" in row["note"], row
        assert written["Do you hold a SOC 2 Type 2 report?"] == "Yes"


def test_a_numbered_heading_in_a_word_table_titles_its_rows(tmp_path: Path) -> None:
    """Writing the workbook test above: in a Word table, 'F3 | Your cloud hosting provider ...'
    over 'F3.1 | Does it hold a SOC 2 Type 2 report?' was a row of its own, and F3.1-F3.3 were
    written Yes, the vendor's answers for its provider."""
    import docx

    rows = [
        ["ID", "Question", "Answer", "Comments"],
        ["F3", "F3. Your cloud hosting provider (answer for that provider, not for your own organization)"],
        ["F3.1", "Does it hold a SOC 2 Type 2 report?"],
        ["F3.2", "Does it operate a bug bounty program?"],
        ["F3.3", "Is our data encrypted at rest?"],
        ["G", "G. Your own organisation"],
        ["G.1", "Do you hold a SOC 2 Type 2 report?"],
    ]
    document = docx.Document()
    _word_table(document, rows, 4)
    form, out = tmp_path / "sections.docx", tmp_path / "sections.filled.docx"
    document.save(str(form))
    _run_fill(form, out)
    filled = docx.Document(str(out)).tables[0]
    written = {row.cells[1].text: row.cells[2].text.strip() for row in filled.rows[1:]}
    assert [written[q] for _, q in rows[2:5]] == ["", "", ""], written
    assert written["Do you hold a SOC 2 Type 2 report?"] == "Yes"


def test_a_numbered_sentence_in_a_word_table_titles_its_rows(tmp_path: Path) -> None:
    """Round 79: "21 | Customer responsibilities - the following rows concern our (the customer's)
    own environment" was read as a question row, and the vendor's TLS Yes written under it."""
    import docx

    rows = [
        ["ID", "Question", "Answer"],
        ["21", "Customer responsibilities - the following rows concern our (the customer's) own environment"],
        ["21.1", "Is data encrypted in transit using TLS 1.2 or higher?"],
        ["21.2", "Is there a bug bounty program?"],
    ]
    document = docx.Document()
    _word_table(document, rows, 3)
    form, out = tmp_path / "sentence.docx", tmp_path / "sentence.filled.docx"
    document.save(str(form))
    _run_fill(form, out, "--product", "api")
    filled = docx.Document(str(out)).tables[0]
    assert [row.cells[2].text.strip() for row in filled.rows[2:]] == ["", ""]


@pytest.mark.parametrize(
    "above",
    ["The following questions concern the customer's own environment.",
     "This section is about the Trust's own IT environment, not the supplier's.", "For Wingtip's use only",
     "Reviewer checklist", "Action plan"],
)  # fmt: skip
def test_a_word_line_saying_whose_the_questions_are_titles_paragraphs_and_tables(tmp_path: Path, above: str) -> None:
    """Round 84: numbered paragraph questions under "The following questions concern the customer's own
    environment." got the vendor's ticks, and so did the customer's own table under "For Wingtip's use
    only" (its Approved box)."""
    import docx

    document = docx.Document()
    document.add_paragraph('Northwind Academy Trust ("the Trust") asks each supplier to answer the questions below.')
    document.add_paragraph("1. Do you hold a SOC 2 Type 2 report?")
    document.add_paragraph("☐ Yes      ☐ No      ☐ N/A")
    document.add_paragraph(above)
    _word_table(document, [["Item", "Response", "Notes"], ["Is data encrypted in transit?"]], 3)
    document.add_paragraph("2. Is data encrypted at rest?")
    document.add_paragraph("☐ Yes      ☐ No      ☐ N/A")
    form, out = tmp_path / "whose.docx", tmp_path / "whose.filled.docx"
    document.save(str(form))
    _run_fill(form, out, "--product", "api")
    filled = docx.Document(str(out))
    lines = [p.text for p in filled.paragraphs]
    assert "☒" in lines[2], lines  # the vendor's own question above the line
    assert "☒" not in "".join(lines[5:]), lines
    assert filled.tables[0].rows[1].cells[1].text.strip() == "", above


# Round 72: whose rows they are is said by the layout above them, in many ways; under each the
# vendor's own answers are neither written nor offered. Each form opens with a numbered section
# about the vendor (answered), whose numbering the heading's rows do not continue.
_VENDOR = [["V1", "V1 | Your organisation"], ["V1.1", "Do you hold a current SOC 2 Type 2 report?"]]
_UNDER = [["H1", "Does it hold a SOC 2 Type 2 report?"], ["H2", "Is our data encrypted at rest?"]]
HEADINGS = {
    "title in the question column": [[None, "Cloud hosting provider"]],
    # round 74: the shapes beyond the word lists
    "another company by what it does": [[None, "Questions about your IaaS/PaaS provider"]],
    "critical suppliers": [[None, "Critical suppliers"]],
    "completed by someone else": [[None, "To be completed by the requesting department"]],
    "internal use": [[None, "Internal use: procurement team"]],
    "long sentence": [[None, "The questions in this section relate to the data centre / cloud infrastructure "
                       "provider(s) that host your service [answer on behalf of the provider, not your own "
                       "organisation; attach their reports where available]"]],
    "customer's part": [[None, "[Bank use only - do not complete] Bank's own control environment relevant to "
                         "this outsourcing arrangement, as assessed by Third Party Risk Management"]],
    "id row not numbering its rows": [["R", "Roadmap"]],
    "in the answer column": [[None, None, "Subcontractors"]],
    "in the id column, in capitals": [["BANK ONLY"]],
    # round 79: a sentence saying whose the rows are, on a numbered row of its own
    "a numbered sentence over its rows": [["H", "Subprocessors - the following rows concern your subprocessors, "
                                           "not your own organisation"]],
    "a sentence numbered like its rows": [["G9", "Customer responsibilities - the following rows concern our "
                                           "(the customer's) own environment, not the vendor's"]],
    "the customer's own environment": [[None, "Customer's own environment"]],
    "controls the customer runs": [[None, "Controls operated by the customer"]],
    "our environment, the customer's": [[None, "Our environment (the customer), not the vendor's"]],
}  # fmt: skip


@pytest.mark.parametrize(
    "heading",
    [
        "Your service provider information",
        "Internal use: vendor's own controls",
        "To be completed by the vendor",
        # round 85: a self-assessment's own sections
        "Our controls",
        "Self-assessment of our environment by OpenAI",
    ],
)
def test_a_heading_naming_the_vendor_itself_keeps_its_rows_the_vendors(tmp_path: Path, heading: str) -> None:
    # round 77: the shapes of another company's or another person's part, said of the vendor itself
    form = tmp_path / "own.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Question", "Answer", "Comments"])
    ws.append([None, heading])
    question = "Do you hold a current SOC 2 Type 2 report?"
    ws.append(["A1", question])
    wb.save(form)
    written, _ = _fill(form)
    assert written[question] == "Yes", heading


@pytest.mark.parametrize("heading", list(HEADINGS))
def test_a_heading_however_written_makes_its_rows_another_partys(tmp_path: Path, heading: str) -> None:
    form = tmp_path / "headed.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Question", "Answer", "Comments"])
    for row in [*_VENDOR, *HEADINGS[heading], *_UNDER]:
        ws.append(row)
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    validation.add(f"C2:C{ws.max_row}")
    ws.add_data_validation(validation)
    wb.save(form)
    written, rows = _fill(form)
    assert written["Do you hold a current SOC 2 Type 2 report?"] == "Yes"
    for _, question in _UNDER:
        assert written[question] in (None, ""), (heading, question)
        assert rows[question]["status"] == "unanswered", rows[question]  # nothing offered either


@pytest.mark.parametrize(
    "above",
    ["Sub-processors", "The following questions concern your cloud hosting provider.", "Roadmap",
     "Please answer the questions in the next table on behalf of your primary data centre operator.",
     "For completion by the customer's security team.",
     # an instruction saying Yes means an exception (round 74: Word paragraphs went unread)
     "Vendors should enter 'Yes' in the Response column only where they take exception to the requirement.",
     "Respond Yes only if you cannot meet the requirement."],
)  # fmt: skip
def test_a_plain_paragraph_above_a_word_table_says_whose_its_rows_are(tmp_path: Path, above: str) -> None:
    import docx

    document = docx.Document()
    _word_table(document, [["ID", "Question", "Answer"], ["V1", "Do you hold a SOC 2 Type 2 report?"]], 3)
    document.add_paragraph(above)
    _word_table(document, [["ID", "Question", "Answer"], *_UNDER], 3)
    form, out = tmp_path / "paragraph.docx", tmp_path / "paragraph.filled.docx"
    document.save(str(form))
    _run_fill(form, out)
    filled = docx.Document(str(out))
    assert filled.tables[0].rows[1].cells[2].text.startswith("Yes")
    assert [row.cells[2].text.strip() for row in filled.tables[1].rows[1:]] == ["", ""]


@pytest.mark.parametrize(
    ("header", "above"),
    [("Exception (Yes/No)", None), ("Exception? (Y/N)", None),
     ("Response (Yes = exception taken, No = fully compliant)", None),
     ("Answer", "Instructions: enter Yes in the Answer column if you take exception to (do not meet) the "
                "requirement; enter No if you meet it in full.")],
)  # fmt: skip
def test_a_column_asking_for_exceptions_gets_no_yes_for_a_requirement_met(
    tmp_path: Path, header: str, above: str | None
) -> None:
    """Round 73: under "Exception (Yes/No)" the claims' Yes (the requirement is met) was written,
    which there says the opposite; nothing is written or offered in such a column."""
    form = tmp_path / "exceptions.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    if above:
        ws.append([above])
        ws.append([])
    ws.append(["ID", "Requirement", header, "Comments"])
    requirements = [
        "Data at rest shall be encrypted with AES-256.",
        "The supplier shall offer a Data Processing Addendum.",
    ]
    for number, requirement in enumerate(requirements, start=1):
        ws.append([f"R{number}", requirement, None, None])
    choices = '"Y,N"' if "Y/N" in header else '"Yes,No"'
    validation = DataValidation(type="list", formula1=choices, allow_blank=True)
    validation.add(f"C{ws.max_row - 1}:C{ws.max_row}")
    ws.add_data_validation(validation)
    wb.save(form)
    # (a workbook's "Exception" column is an answer column only when the user says so, as round 73 did)
    written, rows = _fill(form, *(() if header == "Answer" else ("--answer-col", "C")))
    for requirement in requirements:
        assert written[requirement] in (None, ""), (header, written)
        assert rows[requirement]["status"] == "unanswered" and "departed from" in rows[requirement]["note"]


@pytest.mark.parametrize(
    ("line", "met"),
    [("Select one: Met / Not met / N/A", "Met"), ("Responses allowed: Met, Not Met, Not Applicable", "Met"),
     ("Choose from: Satisfied / Not satisfied / N/A", "Satisfied"),
     ("For each control, state Implemented, Partially implemented or Not implemented.", "Implemented"),
     ("Answer with Met or Not met.", "Met"), ("Allowed values: Adequate / Inadequate", "Adequate")],
)  # fmt: skip
def test_a_line_declaring_the_answers_in_other_words_is_the_forms_list(tmp_path: Path, line: str, met: str) -> None:
    # round 74: the first wording's siblings got a bare Yes
    form = tmp_path / "declared.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([line])
    ws.append([])
    ws.append(["ID", "Control", "Response", "Comments"])
    statement, question = "Data at rest is encrypted using AES-256.", "Is customer data encrypted at rest?"
    ws.append(["C1", statement, None, None])
    ws.append(["C2", question, None, None])
    wb.save(form)
    written, _ = _fill(form)
    assert (written[statement], written[question]) == (met, None), written


@pytest.mark.parametrize(
    ("header", "choices", "met"),
    [("Compliance (C / PC / NC / N/A)", ["C", "PC", "NC", "N/A"], "C"),
     ("Status (C / PC / NC / N/A)", ["C", "PC", "NC", "N/A"], "C"),
     ("Compliance", ["C - Compliant", "PC - Partially compliant", "NC - Non-compliant", "N/A"], "C - Compliant"),
     ("Compliance", ["Compliant", "Partially compliant", "Non-compliant", "Not applicable"], "Compliant")],
)  # fmt: skip
def test_a_graded_list_column_is_the_answer_and_the_response_beside_it_its_details(
    tmp_path: Path, header: str, choices: list[str], met: str
) -> None:
    """Round 80: "Compliance (C / PC / NC / N/A)" with its list on a hidden sheet, beside "Supplier
    response": a bare Yes went into the response column, the list stayed empty, no citation anywhere."""
    form = tmp_path / "graded.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Requirements"
    ws.append(["Req ID", "Requirement", header, "Supplier response", "Reference"])
    met_row = "The supplier shall encrypt customer data at rest using AES-256."
    ws.append(["ENC-01", met_row, None, None, "see policy"])
    ws.append(["ENC-02", "The supplier shall publish its source code under an open-source licence.", None, None, None])
    lists = wb.create_sheet("Lists")
    for value in choices:
        lists.append([value])
    lists.sheet_state = "hidden"
    validation = DataValidation(type="list", formula1=f"=Lists!$A$1:$A${len(choices)}", allow_blank=True)
    validation.add("C2:C3")
    ws.add_data_validation(validation)
    wb.save(form)
    out = tmp_path / "graded.filled.xlsx"
    _run_fill(form, out, "--product", "api")
    filled = openpyxl.load_workbook(out)["Requirements"]
    assert filled["C2"].value == met
    assert "AES-256" in str(filled["D2"].value)  # the details and the citation, beside the grade
    assert filled["E2"].value == "see policy"  # the customer's own column untouched
    assert filled["C3"].value is None and filled["D3"].value is None


@pytest.mark.parametrize(
    "flag",
    ["Applicable to you? (Y/N)", "Evidence provided? (Y/N)", "Mandatory (Y/N)", "In scope (Y/N)",
     "Risk accepted? (Yes/No)", "Critical control? (Y/N)"],
)  # fmt: skip
def test_a_flag_column_with_a_yes_no_list_is_not_the_answer_column(tmp_path: Path, flag: str) -> None:
    """Round 81: "Applicable to you? (Y/N)" beside "Response" took the answers (a training row's No
    read "not applicable"), the Response column stayed empty."""
    form = tmp_path / "flags.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Question", flag, "Response", "Comments"])
    ws.append(["Q1", "Is customer data encrypted at rest using AES-256?", None, None, None])
    validation = DataValidation(type="list", formula1='"Y,N"', allow_blank=True)
    validation.add("C2:C2")
    ws.add_data_validation(validation)
    wb.save(form)
    out = tmp_path / "flags.filled.xlsx"
    _run_fill(form, out, "--product", "api")
    filled = openpyxl.load_workbook(out).active
    assert filled["C2"].value is None and str(filled["D2"].value).startswith("Yes"), flag


def test_a_ratings_list_is_not_the_answer_column(tmp_path: Path) -> None:
    """Round 83: "Risk rating" (High / Medium / Low) before "Status" (Implemented / ...): the rating
    cells were highlighted and offered Yes, the Status column left empty."""
    form = tmp_path / "rated.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["#", "Requirement", "Risk rating", "Status", "Vendor comments"])
    ws.append(["1", "The supplier shall encrypt customer data at rest using AES-256.", None, None, None])
    for cells, values in (
        ("C2:C2", '"High,Medium,Low"'),
        ("D2:D2", '"Implemented,Partially implemented,Not implemented"'),
    ):
        validation = DataValidation(type="list", formula1=values, allow_blank=True)
        validation.add(cells)
        ws.add_data_validation(validation)
    wb.save(form)
    written, rows = _fill(form, "--product", "api")
    filled = openpyxl.load_workbook(tmp_path / "rated.filled.xlsx").active
    assert filled["C2"].value is None and filled["D2"].value == "Implemented", rows


def test_a_questions_no_is_not_written_under_a_column_that_grades(tmp_path: Path) -> None:
    """Round 83: under "Control implemented (Y/N)", "Do you use customer data to train your models?"
    got "N", which the column reads as the control not implemented."""
    form = tmp_path / "graded.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["#", "Question", "Control implemented (Y/N)", "Comments"])
    question = "Do you use customer data to train your models by default?"
    statement = "Customer data is encrypted at rest."
    ws.append(["1", question, None, None])
    ws.append(["2", statement, None, None])
    validation = DataValidation(type="list", formula1='"Y,N"', allow_blank=True)
    validation.add("C2:C3")
    ws.add_data_validation(validation)
    wb.save(form)
    written, _ = _fill(form, "--product", "api")
    assert (written[question], written[statement]) == (None, "Y"), written


def test_the_answers_a_line_above_the_rows_permits_are_the_forms_list(tmp_path: Path) -> None:
    """Round 73: "Permitted responses: Compliant, Partially compliant, Non-compliant, N/A" above a
    sheet with no drop-down got a bare Yes; the line's list is the form's, graded as a drop-down is."""
    form = tmp_path / "permitted.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Permitted responses: Compliant, Partially compliant, Non-compliant, N/A (no other values)"])
    ws.append([])
    ws.append(["ID", "Control", "Response", "Comments"])
    statement, question = "Data at rest is encrypted using AES-256.", "Is customer data encrypted at rest?"
    ws.append(["C1", statement, None, None])
    ws.append(["C2", question, None, None])
    wb.save(form)
    written, _ = _fill(form)
    assert (written[statement], written[question]) == ("Compliant", None), written


def test_the_answers_a_paragraph_above_a_word_table_permits_are_its_list(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Answer each item below with one of: In place / Not in place / Planned.")
    statement, question = "Data at rest is encrypted using AES-256.", "Is customer data encrypted at rest?"
    _word_table(document, [["ID", "Control", "Answer"], ["C1", statement], ["C2", question]], 3)
    form, out = tmp_path / "permitted.docx", tmp_path / "permitted.filled.docx"
    document.save(str(form))
    _run_fill(form, out)
    cells = [row.cells[2].text.strip() for row in docx.Document(str(out)).tables[0].rows[1:]]
    assert cells[0].startswith("In place") and not cells[1], cells


def test_accepting_a_suggestion_writes_the_lists_word_or_nothing(tmp_path: Path) -> None:
    """Round 74: accepting the suggestion for 'The vendor will execute a Data Processing Addendum on
    request.' under 'Permitted responses: Compliant, ...' wrote a bare Yes: the list was read only
    when filling. It is the form's list for the review too: a statement gets 'Compliant', a question
    nothing (the row waits, with the reason)."""
    form = tmp_path / "declared.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Compliance"
    ws.append(["Permitted responses: Compliant, Partially compliant, Non-compliant, N/A"])
    ws.append(["Ref", "Requirement", "Response", "Evidence / Comments"])
    ws.append(["C-1", "The vendor will execute a Data Processing Addendum for a customer on request.", None, None])
    ws.append(["C-2", "Do you hold ISO/IEC 27001 certification?", None, None])
    wb.save(form)
    out = tmp_path / "declared.filled.xlsx"
    env = {**os.environ, "AUTOFILL_LEDGER": "off", "XDG_DATA_HOME": str(tmp_path / "data")}
    run = [sys.executable, "-m", "autofill"]
    done = subprocess.run([*run, "fill", str(form), "-o", str(out)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("sheet,table,row,decision\nCompliance,,3,accept\nCompliance,,4,accept\n", encoding="utf-8")
    done = subprocess.run(
        [*run, "review", str(out), "--decisions", str(decisions)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sheet = openpyxl.load_workbook(out)["Compliance"]
    assert sheet["C4"].value is None and "no choice for 'Yes'" in done.stdout + done.stderr
    assert sheet["C3"].value == "Compliant", sheet["C3"].value


def test_a_plan_whose_claims_agree_is_still_offered(tmp_path: Path) -> None:
    # round 95: Team's "Can OpenAI staff access Team conversations?" No read as a conflict with
    # Enterprise's "Is access restricted to authorized employees?" Yes, and the Yes was no longer offered
    # (round 118b: in a form naming no product, an answer for one plan is a candidate to pick, not the suggestion)
    question = "Is OpenAI's access to customer conversations restricted to authorized personnel?"
    form = _form(tmp_path / "agree.xlsx", [question])
    _, rows = _fill(form)
    row = rows[question]
    assert row["status"] == "review" and row["suggested"] is None, row
    assert (row["candidates"][0]["claim"], row["candidates"][0]["answer"]) == (
        "access-enterprise-conversations-limited",
        "Yes",
    ), row
    written, rows = _fill(form, "--product", "chatgpt-enterprise")
    assert written[question] == "Yes", rows[question]


def test_rows_are_asked_under_every_numbered_title_and_question_above_them(tmp_path: Path) -> None:
    # round 97: "6 | ChatGPT Free and Plus" over "6.1 | Model training" over "6.1.1 | Is conversation data
    # used to train your models by default?" took the business No (the inner title replaced the
    # outer); "7 | Do you offer ChatGPT Team? If yes, answer 7.1-7.2 for ChatGPT Team." and "10 |
    # Which of the following are missing from your service? (Yes = missing)" gave their rows no place
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Question", "Answer", "Comments"])
    for row in [
        ["1", "Vendor"],
        ["1.1", "Is data encrypted at rest?"],
        ["5", "ChatGPT Team"],
        ["5.1", "Access"],
        ["5.1.1", "Can workspace admins view users' conversations?"],
        ["6", "ChatGPT Free and Plus (individual accounts)"],
        ["6.1", "Model training"],
        ["6.1.1", "Is conversation data used to train your models by default?"],
        ["7", "Do you offer ChatGPT Team? If yes, answer 7.1 for ChatGPT Team."],
        ["7.1", "Can workspace admins view users' conversations?"],
        ["10", "Which of the following are missing from your service? (Yes = missing)"],
        ["10.1", "Audit logs?"],
        ["10.2", "Encryption at rest?"],
    ]:
        ws.append([*row, None, None])
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    validation.add("C2:C14")
    ws.add_data_validation(validation)
    form = tmp_path / "nested.xlsx"
    wb.save(form)
    for product in ("chatgpt-enterprise", "api"):
        out = tmp_path / f"nested.{product}.xlsx"
        _run_fill(form, out, "--product", product)
        written = {row[0]: row[2] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=2, values_only=True)}
        assert written["1.1"] == "Yes", written  # the vendor's own row is still answered
        for qid in ("5.1.1", "6.1.1", "7.1", "10.1", "10.2"):
            assert written[qid] is None, (product, qid, written)


def test_a_party_column_right_of_the_answers_says_whose_each_row_is(tmp_path: Path) -> None:
    # round 97: "Ref | Control question | Response | Party | Product": rows marked Sub-processor or Client
    # took the vendor's answers (the Product column was read, the Party column not)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Control question", "Response", "Party", "Product"])
    for ref, party in (("R1", "OpenAI"), ("R2", "Sub-processor"), ("R3", "Client")):
        ws.append([ref, "Is data encrypted at rest?", None, party, "All"])
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    validation.add("C2:C4")
    ws.add_data_validation(validation)
    form = tmp_path / "party.xlsx"
    wb.save(form)
    out = tmp_path / "party.filled.xlsx"
    _run_fill(form, out)
    written = [row[2] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=2, values_only=True)]
    assert written == ["Yes", None, None], written


def test_what_is_not_so_is_no_answer_to_what_is(tmp_path: Path) -> None:
    # round 99: "What data does the vendor use to train its models?" (free text) took "OpenAI does not
    # train its models on your organization's data by default." as its answer
    asked = "What data does the vendor use to train its models?"
    control = "How long are API inputs and outputs retained?"
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "Question", "Response", "Comments"])
    for number, question in enumerate((asked, control), start=1):
        wb.active.append([f"T-{number}", question, None, None])
    form = tmp_path / "open.xlsx"
    wb.save(form)
    written, rows = _fill(form, "--product", "api", "--review-threshold", "20")
    assert written[asked] in (None, "") and "says what is not so" in rows[asked]["note"], rows[asked]
    assert rows[control]["status"] != "unanswered" and rows[control]["answer"] != "No", rows[control]


@pytest.mark.parametrize("mark", ["X", "\u2713"])
def test_a_tick_column_gets_the_mark_its_list_allows(tmp_path: Path, mark: str) -> None:
    """Round 104: columns "Yes | No" whose list allows only "X" got a lowercase "x"."""
    form, out = tmp_path / "ticks.xlsx", tmp_path / "ticks.filled.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ref", "Question", "Yes", "No", "Notes"])
    ws.append(["1", "Is data encrypted at rest using AES-256?", None, None, None])
    validation = DataValidation(type="list", formula1=f'"{mark}"', allow_blank=True)
    validation.add("C2:D2")
    ws.add_data_validation(validation)
    wb.save(form)
    _run_fill(form, out)
    filled = openpyxl.load_workbook(out).active
    assert (filled["C2"].value, filled["D2"].value) == (mark, None)
    assert "AES-256" in filled["E2"].value


def test_a_row_asking_for_words_gets_a_sentence_that_says_them_or_nothing(tmp_path: Path) -> None:
    """Round 105, free-text answer cells: "Within how many days ...?" got "Yes" before its sentence, and
    "Please describe your change management process" a sentence that names the practice and no process."""
    rows = {
        "Within how many days are deleted ChatGPT Enterprise conversations removed from your systems?": "30 days",
        # round 112b: the question word inside the row
        "Deleted ChatGPT Enterprise conversations are purged within how many days?": "30 days",
        "For how long are deleted ChatGPT Enterprise conversations kept before removal?": None,
        "Please describe your change management process for production infrastructure.": None,
        "Explain the steps of your change management procedure for production infrastructure.": None,
        # round 106: a date or a name asked, and a sentence that states neither
        "From what date has API data been excluded from model training by default?": None,
        "On which cloud providers is your infrastructure hosted?": None,
        # round 107: the products asked for, named in the sentence
        "For which products do you hold ISO/IEC 27001 certification?": "ChatGPT Enterprise",
        # round 111a: the places asked for, and a sentence that names none
        "Describe the data residency options and the regions available for ChatGPT Enterprise.": None,
        "Describe the data residency options available for ChatGPT Enterprise.": "data residency",
        # round 112a: what the row asks its answer to include, and a sentence that says none of it
        "Describe your vulnerability disclosure or bug bounty programme, including the platform used to run it.": None,
        # round 116b: a value asked for by "indicate", "provide the list of"
        "Indicate the region(s) in which our ChatGPT Enterprise data will be stored.": None,
        "Provide the list of API endpoints eligible for zero data retention.": None,
    }
    form, out = tmp_path / "words.xlsx", tmp_path / "words.filled.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "Question", "Response", "Comments"])
    for number, question in enumerate(rows, start=1):
        ws.append([f"W-{number}", question, None, None])
    wb.save(form)
    _run_fill(form, out)
    written = {row[1]: row[2] for row in openpyxl.load_workbook(out).active.iter_rows(min_row=2, values_only=True)}
    for question, said in rows.items():
        value = written[question] or ""
        assert not value.startswith(("Yes", "No")), (question, value)
        assert (said or "") in value if said else not value, (question, value)


def test_a_sentence_that_falls_short_of_an_open_row_is_listed_not_suggested(tmp_path: Path) -> None:
    """Round 114a: the residency sentence, no longer written to "... and available regions", was the review
    suggestion, and accepting it sent it as the whole answer."""
    rows = [
        "Describe your data residency options and available regions.",
        "Describe your vulnerability disclosure or bug bounty programme, including the platform used to run it.",
        # round 115a: "at any time via an API call" was the suggestion
        "If you delete fine-tuning files, state the time within which deletion is completed.",
        # round 116b: asked with "indicate", "provide the list of" (written: the residency sentence)
        "Indicate the region(s) in which our data will be stored.",
        "Provide the list of endpoints eligible for zero data retention.",
    ]
    form = tmp_path / "short.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(["ID", "Question", "Response", "Comments"])
    for number, question in enumerate(rows, start=1):
        ws.append([f"S-{number}", question, None, None])
    wb.save(form)
    written, report = _fill(form, "--product", "api")
    for question in rows:
        row = report[question]
        assert written[question] is None and row["answer"] is None and row["claim"] is None, row
        assert row["candidates"], row  # (still listed, for a deliberate pick)
        if row["status"] == "review":
            assert "nothing is suggested" in row["note"], row
        else:  # (a name or a list asked for, which no claim gives: left unflagged)
            assert row["status"] == "unanswered" and "a name or a list" in row["note"], row


def test_review_all_offers_nothing_a_check_held_back(tmp_path: Path) -> None:
    """Round 110: with --all, "Does OpenAI receive any rights in our inputs?" (left blank: the claim's No is
    said only beyond a bound) was offered that No, and "accept" wrote it."""
    form, out = tmp_path / "rights.xlsx", tmp_path / "rights.filled.xlsx"
    _form(form, ["Does OpenAI receive any rights in our inputs?"])
    _run_fill(form, out)
    decisions = tmp_path / "accept.csv"
    decisions.write_text("sheet,table,row,decision\nQuestions,,2,accept\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "autofill", "review", str(out), "--decisions", str(decisions), "--all"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
    )
    assert done.returncode == 2 and "no suggestion to accept" in done.stdout + done.stderr, done.stdout + done.stderr
    assert openpyxl.load_workbook(out).active["C2"].value is None


def test_an_answer_for_one_product_is_listed_not_suggested_where_the_form_names_none(tmp_path: Path) -> None:
    """Round 118b: "The Supplier shall undergo annual penetration testing by an independent third party." in a
    Compliant / Non-compliant list, in a form naming no product, offered "Compliant" from the API's own claim:
    which product the form asks of is a part no claim settles. The claim stays a candidate; with --product api
    the row is answered; a row naming the API in a fill for ChatGPT Enterprise says why it is left."""
    rows = [
        "Do you perform annual third-party penetration testing?",
        "Do you offer zero data retention?",
        "Does the API undergo third-party penetration testing at least once a year?",
        "Is data submitted through the API used to train your models?",
        # "via an API call" in its sentence is no product named (round 122a wrote it in a form naming none)
        "Can customers delete their fine-tuned models?",
    ]
    form = _form(tmp_path / "one-product.xlsx", rows)
    written, report = _fill(form)
    for question in (*rows[:2], rows[4]):
        row = report[question]
        assert written[question] is None and row["status"] == "review", row
        assert row["suggested"] is None and "nothing is suggested" in row["note"], row
        assert "the form does not say which product" in row["note"], row
        assert row["candidates"][0]["claim"] in (
            "testing-pentest-annual",
            "zdr-eligible-endpoints",
            "deletion-finetune-files-and-models",
        ), row
    # a claim joined for another part is checked for its products too (round 121b suggested the API's fine-tuning)
    joined = "Can we fine-tune a model on our own data, and is that model private to us?"
    _, named = _fill(_form(tmp_path / "joined.xlsx", [joined]))
    assert named[joined]["suggested"] is None, named[joined]
    # a row naming the one product its claim is for says which it is (round 119b listed the consumer app's)
    consumer = "Are consumer ChatGPT conversations used to train your models?"
    _, named = _fill(_form(tmp_path / "consumer.xlsx", [consumer]))
    assert named[consumer]["suggested"] == "Yes" and "does not say which product" not in named[consumer]["note"]
    written, report = _fill(form, "--product", "api")
    assert written[rows[0]] == "Yes" and written[rows[2]] == "Yes", written
    # the plain question the opt-in claim answers, its sentence saying "unless the customer explicitly opts in"
    assert written[rows[3]] == "No" and "opts in" in report[rows[3]]["text"], report[rows[3]]
    written, report = _fill(form, "--product", "chatgpt-enterprise")
    row = report[rows[2]]
    assert written[rows[2]] is None and row["status"] == "unanswered", row
    assert "the row asks about API Platform" in row["note"] and "fill with its --product" in row["note"], row
    # no advice where no claim for the product named comes near either (round 119b followed it to nothing)
    written, report = _fill(_form(tmp_path / "team.xlsx", ["Does ChatGPT Team support SAML SSO?"]), "--product", "api")
    row = report["Does ChatGPT Team support SAML SSO?"]
    assert "the row asks about ChatGPT Team" in row["note"] and "--product to see it" not in row["note"], row


@pytest.mark.parametrize(
    ("above", "titled"),
    [
        ("Please answer each question in the Response column and give details in Comments. Questions cover the "
         "kinds of data you process, the third parties involved, and where data is located.", False),
        ("Please answer each question in the Response column. The following questions concern your "
         "subprocessors.", True),
        # round 119b: whose they are said in a sentence of its own
        ("The following questions are about another company. That company is your cloud hosting provider.", True),
        ("Most suppliers host their service with a cloud provider. The rows below ask about that provider.", True),
        ("The questions below are not about you. They are about your subprocessors.", True),
        ("Your subprocessors. The following questions concern them.", True),
        ("Please answer for your subprocessors.", True),
        # round 120a: "address" with one object is whose the rows are; a list of topics is not
        ("The following questions address your subprocessors' security practices.", True),
    ],
)  # fmt: skip
def test_a_paragraph_lists_topics_of_its_rows_but_says_whose_they_are_only_in_one_sentence(
    tmp_path: Path, above: str, titled: bool
) -> None:
    """Round 118b: an instruction over a Word table, whose second sentence listed "the third parties involved"
    among its topics, made every row a third party's: the whole form was left blank. One sentence must say
    both that it is about the rows and whose they are."""
    import docx

    document = docx.Document()
    document.add_heading("Vendor Data Scope Questionnaire", 1)
    document.add_paragraph(above)
    _word_table(
        document,
        [["No.", "Question", "Response", "Comments"], ["1.1", "Is customer data encrypted at rest?", "", ""]],
        4,
    )
    form, out = tmp_path / "intro.docx", tmp_path / "intro.filled.docx"
    document.save(str(form))
    _run_fill(form, out)
    answer = docx.Document(str(out)).tables[0].rows[1].cells[2].text.strip()
    assert answer == ("" if titled else "Yes"), above


def test_a_word_line_or_a_defined_term_naming_the_product_makes_the_rows_about_it(tmp_path: Path) -> None:
    """Round 119b: a Word form whose opening line says it concerns the OpenAI API, filled with --product
    chatgpt-enterprise, took Enterprise's "deleted within 30 days"; a workbook defining "the Service" as ChatGPT
    Enterprise, filled with --product api, took the API's retention and penetration test. The product a form
    names for its rows is read as a workbook's lines above its header are."""
    import docx

    document = docx.Document()
    document.add_heading("Brightwater Housing Trust - AI Supplier Questionnaire", 1)
    document.add_paragraph("This questionnaire concerns the OpenAI API Platform, which Brightwater will use.")
    rows = [
        "Are deleted conversations removed from your systems within 30 days?",
        "Do you conduct annual third-party penetration testing?",
    ]
    _word_table(document, [["No.", "Question", "Response", "Comments"], *(["1", q] for q in rows)], 4)
    form = tmp_path / "api-form.docx"
    document.save(str(form))
    for product, expected in (("chatgpt-enterprise", ["", ""]), ("api", ["", "Yes"]), (None, ["", "Yes"])):
        out = tmp_path / f"api-form.{product}.docx"
        _run_fill(form, out, *(("--product", product) if product else ()))
        table = docx.Document(str(out)).tables[0]
        assert [table.rows[r].cells[2].text.strip() for r in (1, 2)] == expected, product

    book = openpyxl.Workbook()
    intro = book.active
    intro.title = "Instructions"
    intro.append(['In this questionnaire, "the Service" means ChatGPT Enterprise as provided to Kestrel.'])
    sheet = book.create_sheet("Questions")
    sheet.append(["No.", "Question", "Response", "Comments"])
    sheet.append(["1", "Is data in the Service retained for up to 30 days?", None, None])
    sheet.append(["2", "Does the Service undergo annual third-party penetration testing?", None, None])
    sheet.append(["3", "Does the Service support SAML single sign-on?", None, None])
    form = tmp_path / "service.xlsx"
    book.save(form)
    out = tmp_path / "service.filled.xlsx"
    _run_fill(form, out, "--product", "api")
    filled = openpyxl.load_workbook(out)["Questions"]
    assert [filled[f"C{r}"].value for r in (2, 3, 4)] == [None, None, "Yes"]  # SSO is Enterprise's too


def test_a_claim_naming_several_sources_meets_a_requirement_for_one_of_them(tmp_path: Path) -> None:
    """Round 119a: "data from different places including public sources, licensed third-party data ..." was read
    as a limit on "trained on publicly available data" (a person's call, nothing suggested); it limits only a
    requirement about all of it, or only one source."""
    rows = [
        "The vendor's models are trained on publicly available data.",
        "The vendor's models are trained only on publicly available data.",
    ]
    written, report = _fill(_form(tmp_path / "met.xlsx", rows, choices="Met,Partially met,Not met,Not applicable"))
    assert written[rows[0]] == "Met" and report[rows[0]]["claim"] == "training-data-sources", report[rows[0]]
    assert written[rows[1]] in (None, ""), report[rows[1]]


def test_accept_is_refused_where_the_review_sheet_suggested_nothing(tmp_path: Path) -> None:
    """Round 120b: a row listed with nothing suggested (the product unsaid) took "accept" in the review sheet and
    through --decisions, wrote the claim's grade and learned it: the review re-decided the row without the name
    the form gives its writer ("Brightmart users" read as an unknown word), and fell back on the sheet's first
    candidate. What the sheet showed is what "accept" may write: nothing here."""
    form = tmp_path / "brightmart.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Supplier Review"
    sheet.append(['Brightmart Stores Inc. ("Brightmart") - Supplier Review'])
    sheet.append(["ID", "Requirement", "Response", "Evidence"])
    sheet.append(["SEC-05", "Supplier supports SAML-based single sign-on for Brightmart users.", None, None])
    validation = DataValidation(type="list", formula1='"Compliant,Non-compliant,N/A"', allow_blank=True)
    validation.add("C3")
    sheet.add_data_validation(validation)
    book.save(form)
    env = {**os.environ, "AUTOFILL_LEDGER": "off", "XDG_DATA_HOME": str(tmp_path / "data")}
    out = tmp_path / "brightmart.filled.xlsx"
    run = [sys.executable, "-m", "autofill"]
    done = subprocess.run([*run, "fill", str(form), "-o", str(out)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    review = openpyxl.load_workbook(out)["Autofill review"]
    assert review["E2"].value is None and "nothing is suggested" in review["I2"].value  # listed, not suggested
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("sheet,table,row,decision\nSupplier Review,,3,accept\n", encoding="utf-8")
    done = subprocess.run(
        [*run, "review", str(out), "--decisions", str(decisions)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 2 and "no suggestion to accept" in done.stdout + done.stderr, done.stdout + done.stderr
    # (filled for no product, the row was listed: no advice to review with a product the fill never had)
    assert "review with the --product" not in done.stdout + done.stderr
    book = openpyxl.load_workbook(out)
    book["Autofill review"]["J2"] = "accept"
    book.save(out)
    done = subprocess.run([*run, "apply", str(out)], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 2 and "no suggestion to accept" in done.stdout + done.stderr, done.stdout + done.stderr
    assert openpyxl.load_workbook(out)["Supplier Review"]["C3"].value is None
    assert not list((tmp_path / "data").rglob("learned.yaml"))
    # filled for the API the row is suggested; a review naming no product says why it suggests nothing (round 122b)
    out = tmp_path / "brightmart.api.xlsx"
    done = subprocess.run(
        [*run, "fill", str(form), "-o", str(out), "--product", "api", "--auto-threshold", "100"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert openpyxl.load_workbook(out)["Autofill review"]["E2"].value == "Compliant"
    done = subprocess.run(
        [*run, "review", str(out), "--decisions", str(decisions)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert done.returncode == 2 and "review with the --product" in done.stdout + done.stderr, done.stdout + done.stderr
    done = subprocess.run(
        [*run, "review", str(out), "--decisions", str(decisions), "--product", "api"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert openpyxl.load_workbook(out)["Supplier Review"]["C3"].value == "Compliant"


def test_a_line_leaving_a_product_out_or_naming_another_offering_makes_no_rows_about_the_first(
    tmp_path: Path,
) -> None:
    """Round 120a: "Do not answer for consumer ChatGPT." over a Word table made its rows the consumer app's (the
    consumer claims' Yes written), and "Part 2 concerns Codex." under a form about the API took the API's answers."""
    import docx

    document = docx.Document()
    document.add_heading("Northbridge - AI Supplier Questionnaire", 1)
    document.add_paragraph("Do not answer for consumer ChatGPT.")
    row = "Can users delete their memories, conversations and account data whenever they choose?"
    _word_table(document, [["No.", "Question", "Response", "Comments"], ["1", row]], 4)
    form, out = tmp_path / "left-out.docx", tmp_path / "left-out.filled.docx"
    document.save(str(form))
    _run_fill(form, out)
    assert docx.Document(str(out)).tables[0].rows[1].cells[2].text.strip() == ""

    document = docx.Document()
    document.add_heading("Lyra Bank - AI Vendor Review", 1)
    document.add_paragraph("Part 1 concerns the OpenAI API Platform.")
    pentest = "Do you conduct annual third-party penetration testing?"
    _word_table(document, [["No.", "Question", "Response", "Comments"], ["1", pentest]], 4)
    document.add_paragraph("Part 2 concerns Codex.")
    _word_table(document, [["No.", "Question", "Response", "Comments"], ["2", pentest]], 4)
    form, out = tmp_path / "codex.docx", tmp_path / "codex.filled.docx"
    document.save(str(form))
    _run_fill(form, out)
    tables = docx.Document(str(out)).tables
    assert [t.rows[1].cells[2].text.strip() for t in tables] == ["Yes", ""]


def test_a_sheet_title_listing_topics_makes_no_row_another_partys(tmp_path: Path) -> None:
    """Round 120a: "The questions on this sheet cover hosting, subprocessors and encryption." over a header made
    every row a third party's (the Word reading of topic lists did not hold in workbooks)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["The questions on this sheet cover hosting, subprocessors and encryption."])
    sheet.append(["ID", "Question", "Answer", "Comments"])
    sheet.append(["1", "Is customer data encrypted at rest?", None, None])
    form = tmp_path / "topics.xlsx"
    book.save(form)
    written, _ = _fill(form)
    assert written["Is customer data encrypted at rest?"] == "Yes"


@pytest.mark.parametrize(
    "definition",
    [
        'In this questionnaire, "the Platform" means the Customer\'s internal intranet portal.',
        '"the Platform" means our internal HR portal.',
        '"the Platform" means the Bank\'s core banking system.',
    ],
)
def test_a_term_the_form_defines_as_its_own_system_is_the_customers(tmp_path: Path, definition: str) -> None:
    """Round 120a: with '"the Platform" means the Customer's internal intranet portal', "Is the Platform covered by
    your SOC 2 Type 2 report?" took the vendor's Yes in every mode, and so did the rows of a sheet named
    "Platform". Rows saying the term ask of the customer's own system; the vendor's own rows are answered."""
    book = openpyxl.Workbook()
    intro = book.active
    intro.title = "Instructions"
    intro.append([definition])
    sheet = book.create_sheet("Questions")
    sheet.append(["ID", "Question", "Answer", "Comments"])
    rows = [
        "Is the Platform covered by your SOC 2 Type 2 report?",
        "Is data on the Platform encrypted at rest using AES-256?",
        "Is customer data encrypted at rest using AES-256?",
    ]
    for number, question in enumerate(rows, start=1):
        sheet.append([str(number), question, None, None])
    own = book.create_sheet("Platform")
    own.append(["ID", "Question", "Answer", "Comments"])
    own.append(["P1", "Does it support SAML single sign-on?", None, None])
    form, out = tmp_path / "terms.xlsx", tmp_path / "terms.filled.xlsx"
    book.save(form)
    for extra in ((), ("--product", "api")):
        _run_fill(form, out, *extra)
        filled = openpyxl.load_workbook(out)
        assert [filled["Questions"][f"C{r}"].value for r in (2, 3, 4)] == [None, None, "Yes"], (definition, extra)
        assert filled["Platform"]["C2"].value is None, extra


@pytest.mark.parametrize(
    "intro",
    [
        "Answer the questions below as they apply to your data centre operator.",
        "The table below is to be completed by your managed security service provider about its own service.",
        "Questions in this part relate to the company that hosts your infrastructure.",
    ],
)
def test_the_line_under_a_forms_title_saying_whose_the_rows_are_is_no_title(tmp_path: Path, intro: str) -> None:
    """Round 120a: under a Title-styled "Supplier questionnaire", a line saying the rows are the data centre
    operator's took the title's place (speaking for the whole form, it narrowed nothing) and the vendor's SOC 2 Yes
    was written for the operator; "the company that hosts your infrastructure" named no party."""
    import docx

    document = docx.Document()
    document.add_paragraph("Supplier questionnaire", style="Title")
    document.add_paragraph(intro)
    _word_table(
        document,
        [["No.", "Question", "Response", "Comments"], ["1", "Have you completed a SOC 2 Type 2 examination?"]],
        4,
    )
    form, out = tmp_path / "intro.docx", tmp_path / "intro.filled.docx"
    document.save(str(form))
    _run_fill(form, out)
    assert docx.Document(str(out)).tables[0].rows[1].cells[2].text.strip() == "", intro


def test_a_form_saying_its_rows_are_not_about_the_product_gets_none_of_its_answers(tmp_path: Path) -> None:
    """Round 120a: "This questionnaire does not concern the OpenAI API." over a Word table, filled with --product
    api, took the API's penetration test, retention and zero data retention; a workbook title line "This form
    covers the OpenAI API, not ChatGPT." made no row about ChatGPT either way."""
    import docx

    document = docx.Document()
    document.add_heading("Vendor questionnaire", 1)
    document.add_paragraph("This questionnaire does not concern the OpenAI API.")
    pentest = "Do you conduct annual third-party penetration testing?"
    _word_table(document, [["No.", "Question", "Response", "Comments"], ["1", pentest]], 4)
    form, out = tmp_path / "not-api.docx", tmp_path / "not-api.filled.docx"
    document.save(str(form))
    report = tmp_path / "not-api.json"
    _run_fill(form, out, "--product", "api", "--report", str(report))
    assert docx.Document(str(out)).tables[0].rows[1].cells[2].text.strip() == ""
    (row,) = json.loads(report.read_text(encoding="utf-8"))["questions"]
    assert "not about API Platform" in row["note"], row

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["This form covers the OpenAI API, not ChatGPT."])
    sheet.append(["ID", "Question", "Answer", "Comments"])
    sheet.append(["1", pentest, None, None])
    form = tmp_path / "api-not-chatgpt.xlsx"
    book.save(form)
    written, _ = _fill(form)
    assert written[pentest] == "Yes"  # the API's, which the line names
    written, rows = _fill(form, "--product", "chatgpt-enterprise")
    assert written[pentest] in (None, "") and "not about ChatGPT Enterprise" in rows[pentest]["note"], rows[pentest]


def test_a_word_line_defining_a_term_as_a_product_is_no_product_line(tmp_path: Path) -> None:
    """Round 121a: '"the Solution" means OpenAI's ChatGPT Enterprise.' under a Word form's title made every table
    ChatGPT Enterprise's (SAML SSO and audit logs written Yes in a form naming no product), and "Consumer ChatGPT is
    out of scope; this part concerns ChatGPT Enterprise." left Enterprise out. A definition names what its term
    means, for the rows saying the term."""
    import docx

    document = docx.Document()
    document.add_paragraph("Harbour Trust - Supplier questionnaire", style="Title")
    document.add_paragraph('"the Solution" means OpenAI\'s ChatGPT Enterprise.')
    rows = ["Is SAML single sign-on supported?", "Does the Solution support SAML single sign-on?"]
    _word_table(document, [["No.", "Question", "Response", "Comments"], *(["1", q] for q in rows)], 4)
    document.add_paragraph("Consumer ChatGPT is out of scope; this part concerns ChatGPT Enterprise.")
    pentest = "Do you conduct annual third-party penetration testing?"
    _word_table(document, [["No.", "Question", "Response", "Comments"], ["2", pentest]], 4)
    form, out = tmp_path / "solution.docx", tmp_path / "solution.filled.docx"
    document.save(str(form))
    _run_fill(form, out)
    tables = docx.Document(str(out)).tables
    # SSO is the API's and Enterprise's: no answer for a form naming no product, Enterprise's for the Solution
    assert [tables[0].rows[r].cells[2].text.strip() for r in (1, 2)] == ["", "Yes"]
    _run_fill(form, out, "--product", "api")
    assert docx.Document(str(out)).tables[1].rows[1].cells[2].text.strip() == ""  # the part is Enterprise's


def test_a_meets_list_grades_a_requirement(tmp_path: Path) -> None:
    """Round 122b: a telecom's "Meets / Partially meets / Does not meet / N/A" list read as having no choice for
    Yes: every requirement met went to review with a suggestion accept could not write."""
    requirement = "The Supplier shall encrypt customer data at rest."
    written, _ = _fill(_form(tmp_path / "meets.xlsx", [requirement], choices="Meets,Partially meets,Does not meet,N/A"))
    assert written[requirement] == "Meets"
