"""ImportConfig.xml: what Package Deployer imports, and in which order.

Written as UTF-16 LE with a BOM, like Microsoft's Package Deployer boilerplate. Solutions are
listed in their import order (the document order is the import order); existing unmanaged
customizations are kept, and workflows/plug-ins are activated.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import BuildError
from ..model import Project
from .names import config_data_name, ordered_solutions
from .templating import render_text


def render_import_config(
    project: Project, files: Mapping[str, str], config_data_file: str | None = None
) -> bytes:
    """`files` maps each solution's unique name to its zip's file name in the package;
    the CMT data zip is `config_data_file`, by default the package's standard name."""
    ordered = ordered_solutions(project)
    missing = [s.unique_name for s in ordered if s.unique_name not in files]
    if missing:
        raise BuildError.at(
            "BLD401",
            "no package file for solution(s) " + ", ".join(missing),
            hint="build every declared solution into the package",
        )
    text = render_text(
        "ImportConfig.xml.j2",
        solution_files=[files[s.unique_name] for s in ordered],
        config_data_file=config_data_name(project)
        if config_data_file is None
        else config_data_file,
    )
    return "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
