"""Our build takes the shapes Dataverse itself exports. Each test reads the real export of
../shared/reference/corpus2 that shows a shape, extracts the shape with the same function
from the real zip and from ours, and compares: the expectation is the real export, never a
value written here. docs/verified.md lists which part is verified against which export."""

from __future__ import annotations

import io
import json
import posixpath
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.build import build_solutions

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
DCCP = "DCCPChannelIntegrationFramework_1_0_0_6.zip"
CONTOSO = "ContosoMainSolution_1_0_0_1.zip"
NOTIFICATION_FIELDS = "msdyn_notificationtemplate_notificationfieldset"

Entries = dict[str, bytes]


def _entries(data: bytes) -> Entries:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if not n.endswith("/")}


@pytest.fixture(scope="module")
def real(corpus2: Path) -> dict[str, Entries]:
    return {p.name: _entries(p.read_bytes()) for p in sorted((corpus2 / "zips").glob("*.zip"))}


@pytest.fixture(scope="module")
def ours(sources: Path) -> dict[str, Entries]:
    built = build_solutions(sources, managed=True, unmanaged=True)
    return {name: _entries(data) for name, data in built.items()}


def _ours(ours: dict[str, Entries], solution: str) -> Entries:
    return next(e for n, e in ours.items() if n.startswith(solution + "_") and "managed" in n)


def _customizations(entries: Entries) -> etree._Element:
    return etree.fromstring(entries["customizations.xml"])


# --- N:N intersect sets --------------------------------------------------------------------


def intersect_set_shape(entries: Entries, name: str) -> tuple[object, ...]:
    """Where the set sits and what its rows look like: parent, what follows it, the
    zip entries named after it, row tag, row attribute names in document order, row
    children."""
    root = _customizations(entries)
    found = root.find(name)
    assert found is not None, f"no <{name}> in customizations.xml"
    later = [c.tag for c in found.itersiblings() if not str(c.tag).endswith("set")]
    rows = list(found)
    return (
        found.getparent().tag,
        later,
        sorted(p for p in entries if name in p),
        {r.tag for r in rows},
        {tuple(r.attrib) for r in rows},
        {tuple(c.tag for c in r) for r in rows},
    )


def test_the_notification_field_set_sits_in_customizations_xml_like_the_real_one(
    real: dict[str, Entries], ours: dict[str, Entries]
) -> None:
    expected = intersect_set_shape(real[DCCP], NOTIFICATION_FIELDS)
    assert (
        intersect_set_shape(_ours(ours, "VoiceForD365Multisession"), NOTIFICATION_FIELDS)
        == expected
    )


def test_intersect_sets_come_in_the_real_order_before_languages(
    real: dict[str, Entries], ours: dict[str, Entries]
) -> None:
    for entries in (real[DCCP], real[CONTOSO], _ours(ours, "VoiceForD365Multisession")):
        tags = [str(c.tag) for c in _customizations(entries)]
        sets = [i for i, t in enumerate(tags) if t.startswith("msdyn_") and t.endswith("set")]
        assert sets and tags[sets[-1] + 1] == "Languages"
        assert [tags[i] for i in sets] == sorted(tags[i] for i in sets)


# --- [Content_Types].xml -------------------------------------------------------------------


def content_type_shape(entries: Entries) -> dict[str, object]:
    """How [Content_Types].xml covers the parts: by extension, by part name, and which
    parts have no content type at all."""
    root = etree.fromstring(entries["[Content_Types].xml"])
    defaults = {d.get("Extension") for d in root.iter(f"{CT}Default")}
    overrides = {o.get("PartName") for o in root.iter(f"{CT}Override")}

    def extension(name: str) -> str:
        return posixpath.splitext(name)[1].lstrip(".")

    return {
        "defaults are the extensions": defaults == {extension(p) for p in entries} - {""},
        "overrides are the parts without extension": overrides
        == {"/" + p for p in entries if not extension(p)},
        "content types": {e.get("ContentType") for e in root},
        "parts without a content type": [
            p for p in entries if extension(p) not in defaults and "/" + p not in overrides
        ],
    }


def test_every_part_has_a_content_type_the_way_real_exports_give_it(
    real: dict[str, Entries], ours: dict[str, Entries]
) -> None:
    """DCCP has extension-less web resources and canvas parts, like our web resources."""
    expected = content_type_shape(real[DCCP])
    assert expected["overrides are the parts without extension"] is True
    for name, entries in ours.items():
        assert content_type_shape(entries) == expected, name
    for name, entries in real.items():
        assert content_type_shape(entries) == expected, name


# --- msdyn_templateparameters on application tab templates ---------------------------------


def _rows(entries: Entries, folder: str) -> list[etree._Element]:
    return [
        etree.fromstring(data)
        for path, data in sorted(entries.items())
        if path.startswith(folder + "/") and path.endswith(".xml")
    ]


def tab_parameters_shape(entries: Entries) -> list[tuple[object, ...]]:
    """Per tab template row: where the JSON column sits among the row's columns, whether it
    says what the tab's parameter rows say (null for a row without a value), and whether it
    is written compactly with `/` as `\\/`."""
    parameters: dict[str, dict[str, str | None]] = {}
    for row in _rows(entries, "msdyn_templateparameters"):
        tab = row.findtext("msdyn_applicationtabtemplateid/msdyn_uniquename") or ""
        name = row.find("msdyn_name")
        assert name is not None
        parameters.setdefault(tab, {})[name.get("default") or ""] = row.findtext("msdyn_value")
    shapes = []
    for row in _rows(entries, "msdyn_applicationtabtemplates"):
        text = row.findtext("msdyn_templateparameters")
        assert text is not None, row.get("msdyn_uniquename")
        columns = [str(c.tag) for c in row]
        values = json.loads(text)
        shapes.append(
            (
                columns == sorted(columns, key=lambda c: (c in ("statecode", "statuscode"), c)),
                {k: v["value"] for k, v in values.items()}
                == parameters.get(row.get("msdyn_uniquename") or "", {}),
                frozenset(tuple(v) for v in values.values()),
                text
                == json.dumps(values, separators=(",", ":"), ensure_ascii=False).replace(
                    "/", "\\/"
                ),
            )
        )
    return shapes


def test_tab_templates_carry_their_parameters_as_json_like_the_real_ones(
    real: dict[str, Entries], ours: dict[str, Entries]
) -> None:
    """Every real tab template row of the 2023/2024 exports carries msdyn_templateparameters
    (the 2020 Twilio one predates rows and JSON agreeing)."""
    expected = set(tab_parameters_shape(real[DCCP])) | set(tab_parameters_shape(real[CONTOSO]))
    assert len(expected) == 1
    built = tab_parameters_shape(_ours(ours, "VoiceForD365Multisession"))
    assert built and set(built) == expected


# --- root components -----------------------------------------------------------------------


def root_shape(entries: Entries) -> dict[str, object]:
    """Whether the solution has environment variables, and lists any as root components."""
    manifest = etree.fromstring(entries["solution.xml"])
    types = {r.get("type") for r in manifest.iter("RootComponent")}
    variables = {p for p in entries if p.startswith("environmentvariabledefinitions/")}
    return {"has variables": bool(variables), "variables as roots (380)": "380" in types}


def test_environment_variables_are_no_root_components_as_in_real_exports(
    real: dict[str, Entries], ours: dict[str, Entries]
) -> None:
    with_variables = [n for n, e in real.items() if root_shape(e)["has variables"]]
    assert len(with_variables) >= 3
    expected = {str(root_shape(real[n])) for n in with_variables}
    assert len(expected) == 1
    assert str(root_shape(_ours(ours, "VoiceForD365"))) in expected


def test_deploy_still_counts_the_variables_of_a_package() -> None:
    """Deploy tells an update from an upgrade by the components a solution holds; without
    roots it finds the variables by their folders."""
    from builder.deploy.component_keys import solution_components

    entries = {
        "environmentvariabledefinitions/enreach_X/environmentvariabledefinition.xml": (
            b"<environmentvariabledefinition schemaname='enreach_X'/>"
        )
    }
    manifest = etree.fromstring(
        b"<ImportExportXml><SolutionManifest><RootComponents/></SolutionManifest></ImportExportXml>"
    )
    assert solution_components(manifest, entries, "t") == {(380, "enreach_x")}


def test_the_json_we_derive_from_a_real_tab_s_parameters_is_the_json_it_carries(
    real: dict[str, Entries],
) -> None:
    """Read the real rows into the model, write the JSON from the model: the same text."""
    from builder.archive.writer import zip_bytes
    from builder.read.solution import read_solution
    from builder.render.multisession import template_parameters_json

    for name in (DCCP, CONTOSO):
        tabs = read_solution(zip_bytes(real[name]), name).project.tab_templates
        exported = {
            r.get("msdyn_uniquename"): r.findtext("msdyn_templateparameters")
            for r in _rows(real[name], "msdyn_applicationtabtemplates")
        }
        assert tabs and {t.unique_name: template_parameters_json(t) for t in tabs} == exported


# --- the OData v4 virtual table ------------------------------------------------------------

VE = "VirtualEntityRecordSource_SampleSolution_1_22043_1_managed.zip"


def virtual_table_shape(entries: Entries) -> dict[str, object]:
    """How a virtual table is bound: its provider, its data source in <EntityDataSources>,
    the data source's root component, the ConnectionDefinition's columns."""
    from urllib.parse import unquote_plus

    root = _customizations(entries)
    [entity] = [
        e
        for e in root.iterfind("Entities/Entity/EntityInfo/entity")
        if e.find("DataSourceId") is not None
    ]
    [source] = root.iterfind("EntityDataSources/EntityDataSource")
    manifest = etree.fromstring(entries["solution.xml"])
    [data_root] = [r for r in manifest.iter("RootComponent") if r.get("type") == "183"]
    connection = json.loads(unquote_plus(source.findtext("ConnectionDefinition") or ""))
    tags = [str(c.tag) for c in root]
    return {
        "provider": entity.findtext("DataProviderId"),
        "source bound": entity.findtext("DataSourceId")
        == source.get("EntityDataSourceId")
        == data_root.get("id"),
        "source provider is the table's": source.findtext("EntityDataProviderId")
        == entity.findtext("DataProviderId"),
        "root named after the source": data_root.get("schemaName") == source.findtext("Name"),
        "root attributes": list(data_root.attrib),
        "source children": [c.tag for c in source],
        "section follows": tags[tags.index("EntityDataSources") - 1],
        "connection columns": sorted(connection),
        "connection names the source": connection["odatadatasourceId"]
        == (source.get("EntityDataSourceId") or "").strip("{}"),
        "external names": (
            entity.find("ExternalName") is not None,
            entity.find("ExternalCollectionName") is not None,
        ),
    }


def test_the_virtual_table_is_bound_like_the_real_odata_v4_export(
    real: dict[str, Entries], ours: dict[str, Entries]
) -> None:
    assert virtual_table_shape(_ours(ours, "VoiceForD365")) == virtual_table_shape(real[VE])


def test_our_connection_definition_encoding_reproduces_the_real_one(
    real: dict[str, Entries],
) -> None:
    from urllib.parse import unquote_plus

    from builder.render.cz_datasource import encode_connection

    text = (
        _customizations(real[VE]).findtext(
            "EntityDataSources/EntityDataSource/ConnectionDefinition"
        )
        or ""
    )
    assert encode_connection(json.loads(unquote_plus(text))) == text


# --- the Package Deployer package ----------------------------------------------------------


def package_shape(paths: list[str]) -> dict[str, object]:
    """Where a package zip keeps things: the package folder (the one folder holding
    ImportConfig.xml), what sits at the root besides the assembly, what the folder holds."""
    [config] = [p for p in paths if p.endswith("/ImportConfig.xml")]
    folder = config.split("/")[0] + "/"
    inside = [p[len(folder) :] for p in paths if p.startswith(folder)]
    root = [p for p in paths if "/" not in p and not p.endswith((".dll", ".pdb", ".config"))]
    return {
        "one folder level": config.count("/") == 1,
        "root besides the assembly": sorted(root),
        "everything else in the folder": len(inside) + len(root)
        == len([p for p in paths if not p.endswith((".dll", ".pdb", ".config"))]),
        "solutions in the folder": any(p.endswith("_managed.zip") and "/" not in p for p in inside),
        "pages": sorted(p for p in inside if p.endswith(".htm")),
    }


def test_the_package_zip_is_laid_out_like_a_real_package_deployer_package(
    corpus2: Path, sources: Path
) -> None:
    from builder.build import build_package

    listing = (corpus2 / "pd-package-CRMP2C" / "ENTRIES.tsv").read_text("utf-8").splitlines()
    real_paths = [line.split("\t", 1)[1] for line in listing if "\t" in line]
    built = build_package(sources)
    [zipped] = [n for n in built if n.endswith(".zip") and "/" not in n]
    ours = list(_entries(built[zipped]))
    assert package_shape(ours) == package_shape(real_paths)


def test_deploy_and_validate_read_the_package_zip_in_either_layout(
    sources: Path, tmp_path: Path
) -> None:
    """Ours (the package folder inside, as Package Deployer's) and older builds' (its files
    at the root) read as the same package."""
    from builder.archive.writer import zip_bytes
    from builder.build import build_package
    from builder.deploy.package_contents import read_package_contents
    from builder.validate import validate_path

    built = build_package(sources)
    [zipped] = [n for n in built if n.endswith(".zip") and "/" not in n]
    folder = {k.split("/", 1)[1]: v for k, v in built.items() if "/" in k}
    new, old = tmp_path / "new.zip", tmp_path / "old.zip"
    new.write_bytes(built[zipped])
    old.write_bytes(zip_bytes(folder))
    read = [read_package_contents(p) for p in (new, old)]
    assert [[s.file_name for s in r.solutions] for r in read] == [
        [s.file_name for s in read[0].solutions]
    ] * 2 and len(read[0].solutions) == 2
    assert read[0].settings == read[1].settings and read[0].settings
    for path in (new, old):
        assert [d for d in validate_path(path) if d.severity == "error"] == []


def test_docs_name_every_shape_this_file_verifies() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "verified.md").read_text("utf-8")
    tests = [
        n
        for n in globals()
        if n.startswith("test_")
        and "docs" not in n
        and "either_layout" not in n
        and "deploy_still" not in n
    ]
    assert [n for n in tests if n not in doc] == []
