"""Reports as JUnit XML (the de facto schema Azure DevOps' PublishTestResults and GitHub's
test reporters read): one <testsuite> of <testcase>s, a <failure> for each that failed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lxml import etree

DEPLOY_FAILED = frozenset({"failed", "refused", "running"})
DEPLOY_SKIPPED = frozenset({"skipped", "not run", "dry-run", "planned"})


@dataclass(frozen=True)
class Case:
    name: str
    classname: str
    failure: str = ""  # a message: the case failed
    skipped: str = ""  # a reason: the case did not run
    detail: str = ""


def junit_xml(suite: str, cases: Iterable[Case]) -> str:
    items = list(cases)
    root = etree.Element("testsuites")
    node = etree.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(items)),
        failures=str(sum(bool(c.failure) for c in items)),
        errors="0",
        skipped=str(sum(bool(c.skipped and not c.failure) for c in items)),
    )
    for case in items:
        element = etree.SubElement(node, "testcase", name=case.name, classname=case.classname)
        if case.failure:
            failure = etree.SubElement(element, "failure", message=case.failure)
            failure.text = case.detail or case.failure
        elif case.skipped:
            etree.SubElement(element, "skipped", message=case.skipped)
    root.set("tests", node.get("tests", "0"))
    root.set("failures", node.get("failures", "0"))
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data.decode("utf-8")


def deploy_cases(report: dict[str, Any]) -> list[Case]:
    """From deploy's JSON report: a case per solution step, one for the deployment itself."""
    env = str(report.get("environment", ""))
    cases = [_step(step, env) for step in report.get("solutions", [])]
    errors = [_said(d) for d in report.get("diagnostics", []) if d.get("severity") == "error"]
    status = str(report.get("status", ""))
    cases.append(
        Case(
            "deployment",
            f"deploy.{env}",
            failure=f"deploy {status}" if errors or report.get("exit_code") else "",
            detail="\n".join(errors),
        )
    )
    cases += [
        Case(
            f"check: {c.get('name')}",
            f"deploy.{env}.checks",
            skipped="" if c.get("ok") else str(c.get("message")),
        )
        for c in report.get("checks", [])
    ]
    return cases


def _said(item: dict[str, Any]) -> str:
    hint = f" (hint: {item['hint']})" if item.get("hint") else ""
    return f"{item.get('code')}: {item.get('message')}{hint}"


def _step(step: dict[str, Any], env: str) -> Case:
    name = (
        f"{step.get('uniquename')} {step.get('action')} "
        f"{step.get('from') or '-'} -> {step.get('to')}"
    )
    status = str(step.get("status", ""))
    reason = str(step.get("reason") or status)
    if status in DEPLOY_FAILED:
        return Case(name, f"deploy.{env}", failure=f"{status}: {reason}")
    if status in DEPLOY_SKIPPED:
        return Case(name, f"deploy.{env}", skipped=f"{status}: {reason}")
    return Case(name, f"deploy.{env}")


def doctor_cases(report: dict[str, Any]) -> list[Case]:
    """From doctor's JSON report: a case per check, failed when the check is not ok."""
    env = str(report.get("environment", ""))
    cases = [
        Case(
            str(c.get("name")),
            f"doctor.{env}",
            failure="" if c.get("ok") else str(c.get("message")),
            detail=f"{c.get('message')}\n{c.get('instruction') or ''}".strip(),
        )
        for c in report.get("checks", [])
    ]
    if not cases or report.get("exit_code") not in (0, 1):  # doctor could not even look
        errors = [_said(d) for d in report.get("diagnostics", [])]
        cases.append(
            Case(
                "doctor",
                f"doctor.{env}",
                failure=f"doctor {report.get('status')}",
                detail="\n".join(errors),
            )
        )
    return cases
