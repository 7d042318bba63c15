"""What the user named as one side of `voicepkg diff`, read into a project.

A side is `solution_src` sources (a folder with project.xml), a git revision of them
(`git:v1.2.0`: `git archive <rev> solution_src` into a temporary folder, then loaded), a
solution zip or folder (extracted contents or `pac solution unpack` output), or a Package
Deployer package (folder or zip with ImportConfig.xml).
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..archive.package_layout import find_import_config
from ..archive.safezip import read_zip
from ..errors import BuildError
from ..interrupts import temporary_folder
from ..model import Project
from ..read.package_project import read_package_files
from ..read.solution import read_compared, read_entries
from ..read.solution_folder import folder_entries
from ..xmlio.exported import Element, ctext
from ..xmlio.safe import parse_xml
from .scope import SideKind

SOURCE_DIR = "solution_src"
_GIT_TIMEOUT = 120
_REVISION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/~^+-]{0,199}")


@dataclass(frozen=True)
class DiffSide:
    kind: SideKind
    project: Project
    # what it was read from, held as long as the side is (`read_compared`'s `keep`)
    held: tuple[object, ...] = field(default=(), compare=False, repr=False)


def as_built(side: DiffSide) -> DiffSide:
    """Sources seen the way a build shows them: rendered, then read back. Used when sources
    keep components as exported (`raw/`) and are compared with a zip, so both sides show
    those components the same way."""
    from ..read.package_project import merge_reads
    from ..render import render_solution

    project = side.project
    reads = [
        read_entries(
            render_solution(project, s.unique_name, _built_managed(project, s.unique_name)),
            project.root,
        )
        for s in project.solutions
    ]
    merged = merge_reads(reads, project.root).project
    solutions = tuple(
        replace(s, import_order=o.import_order, role=o.role)
        for s, o in zip(merged.solutions, project.solutions, strict=True)
    )
    return DiffSide(
        "package",
        replace(
            merged,
            solutions=solutions,
            settings=project.settings,
            cif1_providers=project.cif1_providers,
        ),
    )


def _built_managed(project: Project, solution: str) -> bool:
    """Build the way the export was (its frame's solution.xml says `<Managed>`); managed when
    there is no frame (our own sources, as `build` makes them by default). A managed build
    locks what an unmanaged export leaves open (web resources' IsCustomizable), which diff
    would report as a difference the sources do not make."""
    frame = next(
        (
            p
            for p in project.raw_parts
            if p.path == "solution.xml" and not p.section and p.solution == solution
        ),
        None,
    )
    if frame is None:
        return True
    return ctext(parse_xml(frame.content, frame.path), "SolutionManifest/Managed") == "1"


def aligned(old: DiffSide, new: DiffSide) -> tuple[DiffSide, DiffSide]:
    """Render sources that hold whole exported components when the other side is built."""

    def kept_whole(side: DiffSide) -> bool:
        """Sources holding exported components, or an exported solution's frame."""
        return side.kind == "sources" and any(
            p.section or p.path == "solution.xml" for p in side.project.raw_parts
        )

    if old.kind != new.kind:
        old = as_built(old) if kept_whole(old) else old
        new = as_built(new) if kept_whole(new) else new
    return old, new


def read_sides(old: str, new: str, cwd: Path | None = None) -> tuple[DiffSide, DiffSide]:
    """The projects both sides name. Two solution zips are read together, leaving out what
    both hold alike (`read_compared`): those projects serve this comparison only."""
    before = _solution_zip(old)
    after = _solution_zip(new) if before is not None else None
    if before is None or after is None:
        return read_side(old, cwd), read_side(new, cwd)
    trees: list[Element] = []
    projects = read_compared(before, after, (old, new), trees)
    return DiffSide("solution", projects[0], tuple(trees)), DiffSide("solution", projects[1])


def _solution_zip(spec: str) -> dict[str, bytes] | None:
    """The entries of the solution zip `spec` names; None for anything else, or when it
    cannot be read (`read_side` then says why, in the sides' order)."""
    path = Path(spec)
    if spec.startswith("git:") or not path.is_file():
        return None
    try:
        files = read_zip(path, spec)
    except (BuildError, OSError):
        return None
    return None if find_import_config(files, spec) is not None else files


def read_side(spec: str, cwd: Path | None = None) -> DiffSide:
    """The project a side names; a `BuildError` says what is wrong with the name."""
    if spec.startswith("git:"):
        return DiffSide("sources", load_git_revision(spec[4:], cwd or Path.cwd()))
    path = Path(spec)
    if path.is_dir():
        return _folder_side(path)
    if path.exists() or path.is_symlink():  # read_zip says what is wrong with a FIFO or device
        files = read_zip(path, spec)
        if find_import_config(files, spec) is not None:
            return DiffSide("package", read_package_files(files, spec).project)
        return DiffSide("solution", read_entries(files, spec).project)
    raise BuildError.at(
        "DIF001",
        "no such file or folder",
        file=spec,
        hint="name a solution zip, a package, a solution_src folder or git:<revision>",
    )


def _folder_side(path: Path) -> DiffSide:
    from ..sources.load import load_project  # the loader compiles the source schemas: load on use

    if (path / "project.xml").is_file():
        return DiffSide("sources", load_project(path))
    if (path / SOURCE_DIR / "project.xml").is_file():
        return DiffSide("sources", load_project(path / SOURCE_DIR))
    files_near = [p.name.lower() for p in path.iterdir()]
    if "importconfig.xml" in files_near:
        from ..read.solution_folder import read_folder

        return DiffSide("package", read_package_files(read_folder(path), str(path)).project)
    return DiffSide("solution", read_entries(folder_entries(path), str(path)).project)


def load_git_revision(rev: str, cwd: Path) -> Project:
    """The sources as they are at git revision `rev` of the repository around `cwd`."""
    from ..sources.load import load_project

    check_revision(rev)
    top = _git(["rev-parse", "--show-toplevel"], cwd).decode().strip()
    commit = (
        _git(["rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}"], Path(top))
        .decode()
        .strip()
    )
    archive = _git(["archive", "--format=tar", commit, "--", SOURCE_DIR], Path(top))
    with temporary_folder("voicepkg-git-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")  # refuses links and paths out of `tmp`
        project = load_project(Path(tmp) / SOURCE_DIR)
    return project


def check_revision(rev: str) -> None:
    """A revision as git names one (a tag, branch, commit, `HEAD~2`, `v1.2.0^`); never
    something git would take as an option or a path."""
    if not _REVISION.fullmatch(rev) or rev.startswith("-") or ".." in rev or "@{" in rev:
        raise BuildError.at(
            "DIF004",
            f"not a git revision: {rev!r}",
            file=f"git:{rev}",
            hint="name a tag, a branch or a commit, e.g. git:v1.2.0 or git:HEAD~1",
            exit_code=2,
        )


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, timeout=_GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError.at(
            "DIF002",
            f"cannot run git: {exc}",
            hint="install git, or compare two folders or zips instead",
        ) from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise BuildError.at(
            "DIF003",
            f"git {' '.join(args[:2])} failed: {message[-1] if message else done.returncode}",
            hint=SHALLOW_HINT
            if _shallow(cwd)
            else "check the revision name (git tag, branch "
            f"or commit) and that it has a {SOURCE_DIR} folder",
        )
    return done.stdout


SHALLOW_HINT = (
    "this is a shallow clone, which may not hold that revision: fetch it (git fetch --tags "
    "--unshallow), or check out with the full history (GitHub Actions: actions/checkout with "
    "fetch-depth: 0; Azure DevOps: checkout: self with fetchDepth: 0)"
)


def _shallow(cwd: Path) -> bool:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"],
            cwd=cwd,
            capture_output=True,
            timeout=_GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.stdout.strip() == b"true"
