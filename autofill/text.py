"""Question text normalisation: one vocabulary for questionnaires and claim phrasings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Phrases of the field folded to one token, so "multi-factor authentication", "MFA" and
# "two-factor" meet. Applied in order on lower-case text with single spaces.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bsoc ?(?:2|ii)\b", "soc2"),
    (r"\bsoc ?(?:1|i)\b", "soc1"),
    (r"\bsoc ?(?:3|iii)\b", "soc3"),
    (r"\btype ?(?:2|ii)\b", "type2"),
    (r"\btype ?(?:1|i)\b", "type1"),
    (r"\biso(?: ?/ ?| )?(?:iec )?(\d{4,5})(?: ?: ?\d{4})?\b", r"iso\1"),
    (r"\bpci(?: |-)?dss\b|\bpci\b", "pcidss"),
    (r"\bcsa star\b|\bstar registry\b|\bsecurity trust assurance and risk\b", "csastar"),
    (r"\b(?:multi ?factor|two ?factor|2fa|mfa)(?: authentication| auth)?\b|\bstrong authentication\b", "mfa"),
    (r"\bsingle sign ?-?on\b|\bsso\b", "sso"),
    (r"\bsecurity assertion markup language\b", "saml"),
    (r"\brole ?-?based access( control)?\b|\brbac\b", "rbac"),
    (r"\bat rest\b|\bin storage\b|\bwhile stored\b|\bstored data\b|\bdata stored\b", "atrest"),
    (r"\bin transit\b|\bin motion\b|\bduring transmission\b|\bover (?:public |the )?networks?\b", "intransit"),
    (r"\btransport layer security\b|\bssl\b|\bhttps\b|\btls\b", "tls"),
    (r"\bpenetration test(?:s|ing)?\b|\bpen ?tests?\b|\bpen ?testing\b|\bpentest(?:s|ing)?\b", "pentest"),
    (r"\bbug bount(?:y|ies)\b", "bugbounty"),
    (r"\bvulnerability disclosure\b|\bresponsible disclosure\b", "vulndisclosure"),
    (r"\bdata processing (?:agreement|addendum)\b|\bdpa\b", "dpa"),
    (r"\bbusiness associate (?:agreement|addendum)\b|\bbaa\b", "baa"),
    (r"\bprotected health information\b|\bphi\b|\bephi\b", "phi"),
    (r"\bpersonally identifiable information\b|\bpii\b|\bpersonal (?:data|information)\b", "personaldata"),
    (r"\bzero data retention\b|\bzdr\b", "zdr"),
    (r"\bfine ?-?tun(?:e|ed|ing)\b", "finetune"),
    (r"\bmachine learning\b|\bartificial intelligence\b|\bai\b|\bml\b|\blarge language models?\b|\bllms?\b", "ai"),
    (r"\b24 ?(?:/|x| ) ?7(?: ?(?:/|x| ) ?365)?\b|\baround the clock\b|\bon ?call\b", "24x7"),
    (r"\bthird ?-?part(?:y|ies)\b|\b3rd ?-?part(?:y|ies)\b", "thirdparty"),
    (r"\bsub ?-?processors?\b|\bservice providers?\b", "subprocessor"),
    (r"\baudit (?:logs?|logging|trails?)\b|\bactivity logs?\b", "auditlog"),
    (r"\bdata residency\b|\bdata locali[sz]ation\b|\bdata sovereignty\b", "residency"),
    (r"\bopt(?:s|ed)? ?-?out\b", "optout"),
    (r"\bopt(?:s|ed)? ?-?in\b", "optin"),
    (r"\bchat ?gpt\b", "chatgpt"),
    (r"\bapplication programming interface\b|\bapis?\b", "api"),
    (r"\bgeneral data protection regulation\b", "gdpr"),
    (r"\bcalifornia consumer privacy act\b", "ccpa"),
    (r"\bhealth insurance portability and accountability act\b", "hipaa"),
    (r"\bfamily educational rights and privacy act\b", "ferpa"),
    (
        r"\bcustomers?'? data\b|\bclients?'? data\b|\btenants?'? data\b|\bbusiness data\b|\bcustomer content\b",
        "custdata",
    ),
)


def _starts(pattern: str) -> frozenset[str]:
    """The first two characters any match of `pattern` can begin with (matches start a word)."""
    starts: set[str] = set()
    depth, begin, alternatives = 0, 0, []
    for at, char in enumerate(pattern):  # split on top-level "|"
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            alternatives.append(pattern[begin:at])
            begin = at + 1
    alternatives.append(pattern[begin:])
    for alternative in alternatives:
        alternative = alternative.removeprefix(r"\b")
        if alternative.startswith("(?:"):
            inner, depth = 3, 1
            while depth:
                depth += (alternative[inner] == "(") - (alternative[inner] == ")")
                inner += 1
            starts |= _starts(alternative[3 : inner - 1])
        else:
            starts.add(alternative[:2])
    return frozenset(starts)


# Each phrase pattern runs only when a word of the text begins as one of its matches can:
# forty regex passes over every question cost more than the rest of matching.
_COMPILED = tuple((re.compile(pattern), repl, _starts(pattern)) for pattern, repl in _PHRASES)

# Single words folded to a shared stem or synonym.
_WORDS: dict[str, str] = {
    "encrypted": "encrypt",
    "encryption": "encrypt",
    "encrypts": "encrypt",
    "encrypting": "encrypt",
    "unencrypted": "not encrypt",
    "cryptographic": "encrypt",
    "cryptographically": "encrypt",
    "retention": "retain",
    "retained": "retain",
    "retains": "retain",
    "retaining": "retain",
    "stored": "retain",
    "store": "retain",
    "stores": "retain",
    "storing": "retain",
    "kept": "retain",
    "keep": "retain",
    "deletion": "delete",
    "deleted": "delete",
    "deletes": "delete",
    "deleting": "delete",
    "purge": "delete",
    "purged": "delete",
    "erase": "delete",
    "erased": "delete",
    "erasure": "delete",
    "destroy": "delete",
    "destroyed": "delete",
    "destruction": "delete",
    "removed": "delete",
    "remove": "delete",
    "disposal": "delete",
    "training": "train",
    "trained": "train",
    "trains": "train",
    "retrain": "train",
    "retrained": "train",
    "owns": "own",
    "owned": "own",
    "ownership": "own",
    "owner": "own",
    "certified": "certify",
    "certification": "certify",
    "certifications": "certify",
    "certificate": "certify",
    "audited": "audit",
    "audits": "audit",
    "auditor": "audit",
    "auditors": "audit",
    "examination": "audit",
    "assessed": "audit",
    "assessment": "audit",
    "attestation": "audit",
    "report": "audit",
    "reports": "audit",
    "compliant": "comply",
    "compliance": "comply",
    "complies": "comply",
    "conform": "comply",
    "logs": "log",
    "logging": "log",
    "logged": "log",
    "monitoring": "monitor",
    "monitored": "monitor",
    "monitors": "monitor",
    "employees": "employee",
    "staff": "employee",
    "personnel": "employee",
    "workforce": "employee",
    "contractors": "contractor",
    "vendors": "vendor",
    "suppliers": "vendor",
    "reviewed": "review",
    "reviews": "review",
    "reviewing": "review",
    "reviewers": "reviewer",
    "classifiers": "classifier",
    "models": "model",
    "inputs": "input",
    "outputs": "output",
    "prompts": "input",
    "prompt": "input",
    "responses": "output",
    "completions": "output",
    "access": "access",
    "accessed": "access",
    "accessible": "access",
    "accessing": "access",
    "administrators": "admin",
    "administrator": "admin",
    "admins": "admin",
    "conversations": "conversation",
    "chats": "conversation",
    "chat": "conversation",
    "regions": "region",
    "location": "region",
    "locations": "region",
    "geographic": "region",
    "incidents": "incident",
    "annually": "annual",
    "yearly": "annual",
    "year": "annual",
    "tests": "test",
    "tested": "test",
    "testing": "test",
    "authenticate": "authentication",
    "login": "authentication",
    "logins": "authentication",
    "hosted": "host",
    "hosting": "host",
    "hosts": "host",
    "cloud": "cloud",
    "evaluated": "evaluate",
    "evaluation": "evaluate",
    "evaluations": "evaluate",
    "excluded": "not include",
    "exclude": "not include",
    "excludes": "not include",
    "never": "not",
    "no": "not",
    "without": "not",
    "neither": "not",
    "nor": "not",
    "cannot": "not",
    "prohibited": "not allow",
    "prohibit": "not allow",
    "disallow": "not allow",
}

# Words that carry no meaning in a questionnaire row.
STOPWORDS = frozenset(
    """a an the do does did you your yours we our us is are was were be been being has have had
    having of to in on for by with as at from or and any all this that these those it its their
    they them there here which who whom what when where how can could should would will shall may
    might must if then than such so also into onto per via within upon about please describe
    explain provide list include including included includes detail details state specify confirm
    indicate organization organisation company service services solution solutions
    product products offering system systems application applications platform currently
    applicable appropriate ensure ensures ensured other each following etc e g i e yes n
    use uses used using utilize utilise""".split()
)
# Words kept out of the stopwords because they flip a question's polarity.
NEGATIONS = frozenset({"not"})

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")


_DROP_QUOTES = str.maketrans("", "", "’'`´")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Every ASCII character but letters, digits, "." and "+" (kept for "TLS 1.2+") becomes a space.
_PUNCTUATION_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) in ".+")})


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Lower-case text with the field's phrases folded, punctuation dropped, words stemmed."""
    text = unicodedata.normalize("NFKC", text).lower().replace("&", " and ").translate(_DROP_QUOTES)
    if not text.isascii():
        text = _NON_ASCII.sub(" ", text)
    text = " ".join(text.translate(_PUNCTUATION_TO_SPACE).split())
    starts = {word[:2] for word in text.split()}
    for pattern, repl, begins in _COMPILED:
        if not starts.isdisjoint(begins):
            text, count = pattern.subn(repl, text)
            if count:
                starts = {word[:2] for word in text.split()}
    words = (word if word in STOPWORDS else _WORDS.get(word) or _singular(word) for word in _TOKEN.findall(text))
    return " ".join(words)


def _singular(word: str) -> str:
    """A light plural fold: "customers" -> "customer", "policies" -> "policy"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return _WORDS.get(word[:-1], word[:-1])
    return word


def content_tokens(text: str) -> tuple[str, ...]:
    """The meaningful tokens of `text`, in order: normalised, no stopwords, negations kept."""
    return tuple(
        t for t in normalize(text).split() if t not in STOPWORDS and (len(t) > 1 or t.isdigit()) or t in NEGATIONS
    )


def negated(tokens: tuple[str, ...]) -> bool:
    """True when the tokens carry an odd number of negations."""
    return sum(1 for t in tokens if t in NEGATIONS) % 2 == 1


_LEADING_CONDITION = re.compile(r"^\s*(?:for|if|when|where|unless|in case)\b[^,?]{0,120},\s*", re.IGNORECASE)


def negated_condition(text: str) -> tuple[str, ...]:
    """The tokens of a leading condition that excludes something ("For customers not using
    SSO, ..."): the question is about the case without them."""
    match = _LEADING_CONDITION.match(text)
    if match is None:
        return ()
    tokens = content_tokens(match.group(0))
    return tokens if negated(tokens) else ()


def question_negated(text: str) -> bool:
    """Whether the question itself is negated; a leading condition ("For customers not
    using SSO, ...") does not count."""
    return negated(content_tokens(_LEADING_CONDITION.sub("", text)))


# Words that name a security control of their own. A question using one that the claim never
# mentions asks about something else ("encryption keys", "backups"), so it weighs fully even
# when no claim uses it; other words the knowledge base never uses weigh little.
CONTROL_WORDS = frozenset(
    """key keys rotate rotation kms hsm backup backups restore restoration recovery disaster continuity
    bcp drp rto rpo failover redundancy replication password passwords passphrase credential credentials
    biometric badge badges visitor visitors cctv camera cameras guard guards fire flood power ups
    generator hvac physical facility facilities premise premises background screening hire hiring
    termination onboarding offboarding awareness phishing antivirus malware endpoint endpoints laptop
    laptops mobile byod usb removable media firewall firewalls segmentation vlan dmz intrusion patch
    patches patching vulnerability vulnerabilities scan scans scanning sast dast sdlc coding
    configuration hardening baseline inventory asset assets classification dlp leakage siem insurance
    fourth sla uptime capacity escrow certificate certificates pki fips hash hashed hashing salt
    tokenization masking anonymization anonymize pseudonymization esg carbon diversity bribery
    sanctions accessibility wcag vpat notification notify notified forensic forensics tabletop
    exercise drill drills board insider segregation separation duty duties policy policies procedure
    procedures documented approved accessibility disable disabled bias fairness explainability
    hallucination watermark provenance copyright indemnify indemnification liability vendor vendors
    subcontractor subcontractors offshore export import portability return destroy wipe sanitize
    sanitization shredding cleartext plaintext metadata dpo officer transfer transfers scc sccs
    breach breaches alarm alarms plan plans email emails gps smoke sprinkler suppression
    provider consultant consultants partner partners affiliate affiliates contractor internal
    external environment version""".split()
)
