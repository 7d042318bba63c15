"""Reading real Dataverse solutions (../shared/reference/corpus), and their round trip:
read -> unpack -> load -> render -> read again -> no difference.

The corpus stores solutions unpacked, so each test packs its folder to a zip first:
- Tactec `XML_1_1/` holds raw zip contents (solution.xml at the root);
- JRSasing `solution/` and the Microsoft sample are `pac solution unpack` layouts, which
  `read_pac` folds back into customizations.xml the way `pac solution pack` does;
- the ProductivityTools subset is parse-only: it is a fragment of a solution (no
  relationships of its table, a `_managed` form variant, four roles) and the Microsoft
  sample lacks its plug-in DLL, so neither could be imported into Dataverse as packed.
  Both still make the round trip through our model (what is not modelled stays raw).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.archive.writer import zip_bytes
from builder.dataverse.system_columns import NEW_TABLE_COLUMNS as SYSTEM_COLUMNS
from builder.read.solution import SolutionRead, read_entries, read_solution, read_solution_zip
from builder.read.solution_folder import folder_entries
from builder.render import render_solution
from builder.sources.load import load_project
from builder.unpack.run import unpack_read
from builder.unpack.tree import write_tree

SAMPLE = "microsoft+Dynamics365-Apps-Samples/customer-service/omnichannel/alm-template-pipeline"
SOLUTIONS = {
    "tactec": "Tactec-Inc+dev-powerapps/XML_1_1",
    "jrsasing": "JRSasing+crm-dynamics-365/solution",
    "ms-boilerplate": f"{SAMPLE}/solutions/boilerplate/Solution",
    "ms-anchor": f"{SAMPLE}/solutions/boilerplate/Anchor",
    "productivitytools": "MadhaviChidaraboyina+CRM.Omnichannel.ProductivityTools/solutions/"
    "AgentscriptComponent/Solution",
}


def packed(corpus: Path, name: str) -> bytes:
    """The corpus solution `name` as the zip it stands for."""
    return zip_bytes(folder_entries(corpus / SOLUTIONS[name]))


def read(corpus: Path, name: str) -> SolutionRead:
    return read_solution(packed(corpus, name), name)


def test_an_export_reads_into_tables_columns_forms_and_views(corpus: Path) -> None:
    project = read_solution_zip(packed(corpus, "tactec"), "tactec")
    table = project.table("cr97b_project")
    assert table is not None and not table.existing and table.ownership == "user"
    assert table.primary_name is not None
    task = project.table("task")
    assert task is not None and task.existing
    assert {f.type for f in project.forms if f.table == "task"} >= {"main", "quick", "card"}
    assert any(v.type == "quickfind" and v.find_columns for v in project.views)


def test_the_system_columns_of_new_tables_are_dropped(corpus: Path) -> None:
    project = read(corpus, "jrsasing").project
    new_tables = [t for t in project.tables if not t.existing]
    assert len(new_tables) > 10
    for table in new_tables:
        names = {c.logical_name for c in table.columns}
        assert not names & SYSTEM_COLUMNS, table.logical_name
        assert not any(n.endswith("_base") for n in names)  # money twins go too


def test_extended_system_tables_keep_only_the_added_columns(corpus: Path) -> None:
    phonecall = read(corpus, "jrsasing").project.table("phonecall")
    assert phonecall is not None and phonecall.existing
    assert all(c.logical_name.startswith("ract_") for c in phonecall.columns)
    category = phonecall.column("ract_category")
    assert category is not None and category.type == "lookup" and category.targets


def test_roles_choices_env_vars_web_resources_and_apps_are_read(corpus: Path) -> None:
    found = read(corpus, "jrsasing")
    project = found.project
    assert len(project.roles) == 3 and all(r.privileges for r in project.roles)
    assert {c.name for c in project.global_choices} >= {"ract_createdfrom", "ract_title1"}
    assert all(c.options for c in project.global_choices)
    assert len(project.environment_variables) == 6
    assert all(w.content for w in project.web_resources) and len(project.web_resources) == 3
    assert [a.unique_name for a in project.apps] == ["msdyn_CustomerServiceWorkspace"]
    assert project.apps[0].areas  # its site map


def test_what_the_model_does_not_cover_travels_as_raw_parts(corpus: Path) -> None:
    project = read(corpus, "jrsasing").project
    raw = {(p.section, p.path.split("/")[0]) for p in project.raw_parts}
    assert ("Workflows", "Clear_Preference_Opt_In_Modified.xml") in raw or any(
        section == "Workflows" for section, _ in raw
    )
    assert any(path == "Workflows" for section, path in raw if section == "")  # payloads
    assert any(section == "connectionreferences" for section, _ in raw)
    assert any(path == "duplicaterules" for section, path in raw if section == "")


def test_components_modelled_in_part_are_kept_whole_with_a_reason(corpus: Path) -> None:
    found = read(corpus, "tactec")
    kept = {f.key: f for f in found.fallbacks}
    assert "cr97b_project" in kept and kept["cr97b_project"].reasons
    assert any(p.section == "Entities" for p in kept["cr97b_project"].parts)
    assert any(w.code == "RD100" for w in found.warnings)


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_a_corpus_solution_survives_read_unpack_load_render_read(
    corpus: Path, tmp_path: Path, name: str
) -> None:
    first = read(corpus, name)
    unpacked = unpack_read(first)
    write_tree(tmp_path / "src", unpacked.files, force=False)
    loaded = load_project(tmp_path / "src")
    solution = first.project.solutions[0].unique_name
    again = read_entries(render_solution(loaded, solution, first.managed), "rendered")
    assert again.project == first.project


def test_corpus_components_the_sources_cannot_rebuild_are_kept_as_exported_and_named(
    corpus: Path,
) -> None:
    unpacked = unpack_read(read(corpus, "jrsasing"))
    files = unpacked.files
    assert "raw/RACTD365CustomerService/sections/Roles/RACT-CSR_Manager.xml" in files
    assert any(p.startswith("raw/RACTD365CustomerService/sections/optionsets/") for p in files)
    assert "raw/RACTD365CustomerService/entries/solution.xml" in files  # the frame
    named = {w.message for w in unpacked.warnings if w.code == "UNP010"}
    assert (
        "role RACT-CSR Manager is kept as exported: the sources would not rebuild "
        "Roles/RACT-CSR_Manager.xml as exported" in named
    )
