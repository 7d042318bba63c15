"""The generated 200-table solution's zip, byte for byte: the render and zip of
tests/support/big_project.py, a project made in code that owes nothing to solution_src (the
Voice build's own hashes: tests/product/test_output_hashes.py).

Speed work must not change a byte. When a change of output is intended, update HASH in the
same commit and say why in its message:
`PYTHONPATH=tests python tests/render/test_generated_hash.py` prints it.
"""

from __future__ import annotations

import hashlib
import os
import sys

import pytest
from support.big_project import SOLUTION, big_project

from builder.archive.writer import zip_bytes
from builder.render import render_solution

TABLES = 200
HASH = "21e1a78aa6c70b4666251c8b1d71a123c5260ead3cd4e1f061a6f2a75b491205"


def current_hash() -> str:
    """sha256 of the managed zip of the generated solution of TABLES tables."""
    return hashlib.sha256(
        zip_bytes(render_solution(big_project(TABLES), SOLUTION, True))
    ).hexdigest()


def test_the_generated_solution_zip_is_byte_identical_to_the_recorded_hash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the fixed 1980 date
    assert current_hash() == HASH, (
        f"the bytes of the generated {TABLES}-table zip changed; if intended, record the new "
        "hash (PYTHONPATH=tests python tests/render/test_generated_hash.py) in the same commit "
        "and say why"
    )


if __name__ == "__main__":
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    sys.stdout.write(f'HASH = "{current_hash()}"\n')
