from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from autofill.errors import AutofillError
from autofill.ingest import clean_text, ingest, source_yaml
from autofill.knowledge import default_kb_dir

HTML = """<!DOCTYPE html><html><head><title>x</title><style>.a{}</style><script>var a=1;</script></head>
<body><nav>Home Products Pricing</nav><main><h1>Security</h1><p>We encrypt data.</p><div>Loading...</div>
<ul><li>SOC 2 Type 2</li><li>Read more(opens in a new window)</li></ul></main><footer>© 2024</footer></body></html>"""


def test_html_is_stripped_to_lines() -> None:
    assert clean_text(HTML) == "Security\nWe encrypt data.\nSOC 2 Type 2\nRead more\n"


def test_mojibake_is_repaired() -> None:
    assert clean_text("We donâ\u0080\u0099t sell data. Â© 2023") == "We don't sell data. © 2023\n"


def test_lost_continuation_bytes_are_repaired() -> None:
    assert clean_text("We donât sell the customersâ data for (b)âour API") == (
        "We don't sell the customers' data for (b)—our API\n"
    )


def test_start_and_end_bound_the_content() -> None:
    raw = "Nav Log in Sign up Our commitment: data is yours. Footer Careers"
    assert clean_text(raw, start="Our commitment", end="Footer") == "Our commitment: data is yours.\n"
    with pytest.raises(AutofillError, match="start phrase 'Nope' not found"):
        clean_text(raw, start="Nope")


def test_ingest_writes_loadable_source(tmp_path: Path) -> None:
    raw = tmp_path / "page.html"
    raw.write_text(HTML)
    source = ingest(raw, source_id="sec-2025", title="Security", url="https://x/s", date="2025-03-01", order=9)
    data = yaml.safe_load(source_yaml(source))
    assert data["id"] == "sec-2025" and data["date"] == "2025-03-01" and data["order"] == 9
    assert data["text"] == "Security\nWe encrypt data.\nSOC 2 Type 2\nRead more\n"


def test_ingest_rejects_bad_date(tmp_path: Path) -> None:
    raw = tmp_path / "p.txt"
    raw.write_text("Some long enough page text about security and privacy commitments.")
    with pytest.raises(AutofillError, match="must be YYYY, YYYY-MM or YYYY-MM-DD"):
        ingest(raw, source_id="p", title="t", url="u", date="31/10/2024", order=1)


def test_shipped_sources_are_reproducible_from_raw() -> None:
    root = default_kb_dir()
    for entry in yaml.safe_load((root / "sources.yaml").read_text()):
        source = ingest(
            root / "raw" / entry["raw"],
            source_id=entry["id"],
            title=entry["title"],
            url=entry["url"],
            date=entry["date"],
            order=entry["order"],
            start=entry.get("start"),
            end=entry.get("end"),
        )
        assert (root / "sources" / f"{entry['id']}.yaml").read_text(encoding="utf-8") == source_yaml(source)
