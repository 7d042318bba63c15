"""CI-native output: GitHub Actions workflow commands and step summary, Azure DevOps logging
commands and run summary. On by itself when `GITHUB_ACTIONS` (GitHub) or `TF_BUILD` (Azure
Pipelines) is set; `--ci github|azure|none` (or `VOICEPKG_CI`) decides instead.

GitHub: `::error file=F,line=L,col=C,title=CODE::message` (docs.github.com, "Workflow
commands for GitHub Actions"), and Markdown appended to the file `$GITHUB_STEP_SUMMARY` names.
Azure DevOps: `##vso[task.logissue type=error;sourcepath=F;linenumber=L;columnnumber=C;
code=CODE]message` (learn.microsoft.com, "Logging commands")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..errors import Diagnostic


def detect_ci(choice: str, environ: Mapping[str, str]) -> str | None:
    """ "github", "azure" or None (plain output)."""
    choice = environ.get("VOICEPKG_CI", "auto") if choice == "auto" else choice
    if choice in ("github", "azure"):
        return choice
    if choice != "auto":
        return None
    if environ.get("GITHUB_ACTIONS", "").lower() == "true":
        return "github"
    if environ.get("TF_BUILD", "").lower() == "true":
        return "azure"
    return None


def annotation(item: Diagnostic, ci: str) -> str:
    """One diagnostic as the CI's own error or warning line."""
    return _github(item) if ci == "github" else _azure(item)


def _text(item: Diagnostic) -> str:
    return f"{item.code}: {item.message}" + (f" (hint: {item.hint})" if item.hint else "")


def _github(item: Diagnostic) -> str:
    props = [
        ("file", item.file),
        ("line", str(item.line or "")),
        ("col", str(item.column or "")),
        ("title", item.code),
    ]
    shown = ",".join(f"{k}={_gh_property(v)}" for k, v in props if v)
    return f"::{item.severity} {shown}::{_gh_data(_text(item))}"


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def _azure(item: Diagnostic) -> str:
    props = [
        ("type", item.severity),
        ("sourcepath", item.file),
        ("linenumber", str(item.line or "")),
        ("columnnumber", str(item.column or "")),
        ("code", item.code),
    ]
    shown = ";".join(f"{k}={_vso(v)}" for k, v in props if v)
    return f"##vso[task.logissue {shown}]{_vso(_text(item))}"


def _vso(value: str) -> str:
    return (
        value.replace("%", "%AZP25")
        .replace(";", "%3B")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
        .replace("]", "%5D")
    )


def append_step_summary(markdown: str, environ: Mapping[str, str]) -> bool:
    """Append to GitHub's step summary file; False when there is none."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return True


def azure_summary(markdown: str, environ: Mapping[str, str], name: str) -> str | None:
    """Azure DevOps' step summary: the Markdown written to the agent's temp folder (which
    the agent empties after the job) and the logging command that attaches it to the run;
    None when there is no agent folder."""
    folder = environ.get("AGENT_TEMPDIRECTORY")
    if not folder:
        return None
    target = Path(folder) / f"voicepkg-{name}-summary.md"
    with target.open("a", encoding="utf-8") as handle:
        handle.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return f"##vso[task.uploadsummary]{target}"
