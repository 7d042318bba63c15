"""File names of the package: solution zips, the package folder and zip, the CMT data zip.

VoiceForD365_1_2_3_4_managed.zip / _unmanaged.zip     one per solution and kind
VoiceForD365Package/ ... VoiceForD365ConfigData.zip   the package folder, its data zip
VoiceForD365Package_1_2_3_4.zip                       the package zip
"""

from __future__ import annotations

from ..errors import BuildError
from ..model import Project, SolutionDef


def solution_zip_name(solution: SolutionDef, version: str, managed: bool) -> str:
    kind = "managed" if managed else "unmanaged"
    return f"{solution.unique_name}_{underscored(version)}_{kind}.zip"


def package_name(project: Project) -> str:
    return f"{base_solution(project).unique_name}Package"


def package_zip_name(project: Project) -> str:
    return f"{package_name(project)}_{underscored(project.version)}.zip"


def config_data_name(project: Project) -> str:
    return f"{base_solution(project).unique_name}ConfigData.zip"


def ordered_solutions(project: Project) -> list[SolutionDef]:
    """The solutions in import order (ties broken by name, so the order is stable)."""
    return sorted(project.solutions, key=lambda s: (s.import_order, s.unique_name))


def base_solution(project: Project) -> SolutionDef:
    ordered = ordered_solutions(project)
    if not ordered:
        raise BuildError.at(
            "BLD002",
            "the sources declare no solution",
            file=project.root,
            hint="declare at least the base solution",
        )
    return next((s for s in ordered if s.role == "base"), ordered[0])


def underscored(version: str) -> str:
    return version.replace(".", "_")
