"""voicepkg: build, validate, diff and deploy the Voice for Dynamics 365 solutions.

The library API is re-exported here lazily, so importing `builder` stays cheap.
"""

from .errors import BuildError, Diagnostic

__all__ = ["BuildError", "Diagnostic"]
