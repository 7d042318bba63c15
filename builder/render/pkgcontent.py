"""The pages Package Deployer shows before and after the import: the package folder's
`Content/en-us/WelcomeHtml/HTML/Default.htm` and `Content/en-us/EndHtml/HTML/Default.htm`,
where a real Package Deployer package keeps them (corpus2 pd-package-CRMP2C/ENTRIES.tsv).
Ours need no style sheet or image, so the CSS/ and Images/ folders beside them are left out."""

from __future__ import annotations

from ..model import Project
from .names import base_solution, ordered_solutions
from .templating import render_xml

CONTENT = "Content/en-us"
WELCOME = f"{CONTENT}/WelcomeHtml/HTML/Default.htm"
END = f"{CONTENT}/EndHtml/HTML/Default.htm"


def render_content_pages(project: Project) -> dict[str, bytes]:
    """{path in the package folder: page} for the welcome and the end page."""
    names = [s.unique_name for s in ordered_solutions(project)]
    product = base_solution(project).display_name
    pages = {
        WELCOME: (
            f"{product} {project.version}",
            "This package installs or upgrades these solutions, in this order, and the "
            "default settings:",
        ),
        END: (
            f"{product} {project.version} is installed",
            "Next: give the environment variables their values and check the settings "
            "(the installation guide's chapter 1.5), or run voicepkg doctor.",
        ),
    }
    return {
        path: render_xml(
            "package/page.htm.j2", title=title, text=text, solutions=names, version=project.version
        )
        for path, (title, text) in pages.items()
    }
