"""The floor process of the whole-process build benchmark: a fresh Python that writes the
same outputs from already-rendered entries, with zipfile alone (no voicepkg import).

    python benchmarks/zip_floor.py SPEC.pickle OUT
SPEC is {relative output path: bytes, or {entry: bytes or nested {...}} for a zip}.
"""

from __future__ import annotations

import io
import pickle
import sys
import zipfile
from pathlib import Path
from typing import Any


def zipped(entries: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(entries):
            data = entries[name]
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(
                info, zipped(data) if isinstance(data, dict) else data, compresslevel=6
            )
    return buffer.getvalue()


def main() -> None:
    spec, out = pickle.loads(Path(sys.argv[1]).read_bytes()), Path(sys.argv[2])
    for name, data in spec.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(zipped(data) if isinstance(data, dict) else data)


if __name__ == "__main__":
    main()
