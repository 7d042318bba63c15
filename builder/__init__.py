"""voicepkg: build, validate, diff and deploy the Voice for Dynamics 365 solutions.

The library API. Names are imported on first use, so `import builder` stays cheap and the
CLI starts fast:

    from builder import load_project, build_package, validate_path, diff_projects
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module that defines it
_API = {
    "BuildError": "builder.errors",
    "Diagnostic": "builder.errors",
    "load_project": "builder.sources.load",
    "collect_project": "builder.sources.load",
    "build_solutions": "builder.build",
    "build_package": "builder.build",
    "validate_path": "builder.validate",
    "check_project": "builder.validate",
    "read_solution_zip": "builder.read.solution",
    "read_package": "builder.read.package_project",
    "diff_projects": "builder.diff.projects",
    "unpack_path": "builder.unpack.run",
    "write_outputs": "builder.archive.writer",
}

__all__ = list(_API)


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'builder' has no attribute {name!r}")
    return getattr(importlib.import_module(_API[name]), name)
