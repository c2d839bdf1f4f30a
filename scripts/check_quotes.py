"""Quick check used while writing claims: every quote is verbatim in its source.

The full check is `autofill knowledge check`; this script has no dependencies on the package.
"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent / "knowledge"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


sources = {p.stem: norm(yaml.safe_load(p.read_text())["text"]) for p in (ROOT / "sources").glob("*.yaml")}
bad = 0
for path in sorted((ROOT / "claims").glob("*.yaml")):
    for claim in yaml.safe_load(path.read_text())["claims"]:
        cit = claim["citation"]
        if norm(cit["quote"]) not in sources.get(cit["source"], ""):
            bad += 1
            print(f"{path.name}: {claim['id']}: quote not in {cit['source']}: {cit['quote']!r}")
print("ok" if not bad else f"{bad} bad quotes")
sys.exit(1 if bad else 0)
