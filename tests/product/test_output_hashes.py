"""The Voice build output, byte for byte: sha256 of every file that `build solution --both`
and `build package` write for the Voice sources (the generated 200-table solution's zip, which
owes nothing to solution_src, is pinned apart: tests/render/test_generated_hash.py).

Speed work must not change a byte. When a change of output is intended, update HASHES in the
same commit and say why in its message:
`python tests/product/test_output_hashes.py` prints them.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from builder.build import build_package, build_solutions

SOURCES = Path(__file__).resolve().parents[2] / "solution_src"
VERSION = "1.2.3.4"  # pinned, so a version bump in the sources changes no hash here

HASHES: dict[str, str] = {
    "voice/VoiceForD365Multisession_1_2_3_4_managed.zip": "f558d25222efc8d6597fc5f43cb2d67a629d395dac5890e24e61593809c8fd5c",  # noqa: E501
    "voice/VoiceForD365Multisession_1_2_3_4_unmanaged.zip": "e3d121870379566bdba29f16f4b83534e9e63c97e78dc1c1b92334da74e0d8f5",  # noqa: E501
    "voice/VoiceForD365Package/Content/en-us/EndHtml/HTML/Default.htm": "76128fc483b578b6616fb15d3b47b3a8bb584d60b78b444b6894b3776228b58b",  # noqa: E501
    "voice/VoiceForD365Package/Content/en-us/WelcomeHtml/HTML/Default.htm": "cacb49e15b649441c0baa7e8132ceb46203245ee109fd70d2fc8cee41edde3d1",  # noqa: E501
    "voice/VoiceForD365Package/ImportConfig.xml": "ab54a2237b5dbf106c662e4efebd1272755e2f073fa7515a2bb466c37f5c6697",  # noqa: E501
    "voice/VoiceForD365Package/VoiceForD365ConfigData.zip": "72edcb4118066edf856db42d7ffe873856a4b184b1208dada220e82280193c0a",  # noqa: E501
    "voice/VoiceForD365Package/VoiceForD365Multisession_1_2_3_4_managed.zip": "f558d25222efc8d6597fc5f43cb2d67a629d395dac5890e24e61593809c8fd5c",  # noqa: E501
    "voice/VoiceForD365Package/VoiceForD365_1_2_3_4_managed.zip": "0d2aa8493d794b90c7bc09b6923326946f4066ccce844e00b5437ae79b6d44ac",  # noqa: E501
    "voice/VoiceForD365Package_1_2_3_4.zip": "5d7514551bd0ca9744f61fac043a77b91a5f21a81d99456f63c3f9a0d44ce488",  # noqa: E501
    "voice/VoiceForD365_1_2_3_4_managed.zip": "0d2aa8493d794b90c7bc09b6923326946f4066ccce844e00b5437ae79b6d44ac",  # noqa: E501
    "voice/VoiceForD365_1_2_3_4_unmanaged.zip": "620c3d45474b14af2d890494e2f9be966914b6ee9c3870f950682dfb441ae17e",  # noqa: E501
}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_hashes() -> dict[str, str]:
    """{output name: sha256} of the Voice build (both kinds, package)."""
    files = {
        **build_solutions(SOURCES, version=VERSION, managed=True, unmanaged=True),
        **build_package(SOURCES, version=VERSION),
    }
    return {f"voice/{name}": _sha(data) for name, data in sorted(files.items())}


def test_build_output_is_byte_identical_to_the_recorded_hashes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # the fixed 1980 date
    found = current_hashes()
    assert sorted(found) == sorted(HASHES), "the set of output files changed"
    changed = [name for name in HASHES if found[name] != HASHES[name]]
    assert not changed, (
        f"output bytes changed in {changed}; if intended, record the new hashes "
        "(python tests/product/test_output_hashes.py) in the same commit "
        "and say why"
    )


if __name__ == "__main__":
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    sys.stdout.write("HASHES: dict[str, str] = {\n")
    for name, digest in current_hashes().items():
        sys.stdout.write(f'    "{name}":\n        "{digest}",\n')
    sys.stdout.write("}\n")
