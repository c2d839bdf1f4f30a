"""Atomic writes never write through a link planted where an output goes, and name what they write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from autofill.atomic import write_bytes_atomic

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "templates" / "samples" / "sample-questionnaire.xlsx"


def test_an_output_that_is_a_link_is_replaced_and_its_target_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "private.txt"
    target.write_text("keep me\n")
    target.chmod(0o600)
    out = tmp_path / "vendor.filled.xlsx"
    out.symlink_to(target)

    done = subprocess.run(
        [sys.executable, "-m", "autofill", "fill", str(SAMPLE), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert target.read_text() == "keep me\n"
    assert not out.is_symlink() and out.stat().st_size > 1000
    assert out.stat().st_mode & 0o777 == 0o644  # the link's target's mode is not copied either


def test_a_missing_folder_is_named_by_the_output_not_the_temp_file(tmp_path: Path) -> None:
    # round 108: "No such file or directory (/nonexistent/dir/.x.xlsx.qc5a_a8z.tmp)"
    dst = tmp_path / "missing" / "out.xlsx"
    with pytest.raises(FileNotFoundError) as raised:
        write_bytes_atomic(dst, b"data")
    assert raised.value.filename == str(dst) and not dst.parent.exists()
