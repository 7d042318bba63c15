"""Reading the package deploy installs: zip, folder, bare solution zip; typed data; errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fakes.fixtures import *  # noqa: F403
from fakes.fixtures import deploy, report
from fakes.packages import (
    BASE,
    MULTI,
    PROVIDER_ID,
    Spec,
    base_zip,
    package_entries,
    setting_id,
    write_package,
)

from builder.archive.writer import zip_bytes
from builder.deploy.component_keys import installed_components
from builder.deploy.package_contents import (
    package_from_entries,
    read_package_contents,
    read_solution,
)
from builder.errors import BuildError


def test_package_zip_gives_solutions_in_import_order_with_versions(tmp_path: Path) -> None:
    package = read_package_contents(write_package(tmp_path, Spec(version="1.2.3.4")))
    assert [(s.unique_name, s.version, s.managed) for s in package.solutions] == [
        (BASE, "1.2.3.4", True),
        (MULTI, "1.2.3.4", True),
    ]
    assert package.version == "1.2.3.4"
    assert package.solutions[1].multisession and not package.solutions[0].multisession


def test_package_folder_and_a_dist_folder_holding_it_read_the_same(tmp_path: Path) -> None:
    folder = tmp_path / "dist" / "VoiceForD365Package"
    folder.mkdir(parents=True)
    for name, data in package_entries(Spec()).items():
        (folder / name).write_bytes(data)
    assert (
        read_package_contents(folder).solutions
        == read_package_contents(tmp_path / "dist").solutions
    )


def test_a_bare_solution_zip_is_a_one_solution_package(tmp_path: Path) -> None:
    path = tmp_path / "VoiceForD365_1_0_0_0_managed.zip"
    path.write_bytes(base_zip(Spec()))
    package = read_package_contents(path)
    assert [s.unique_name for s in package.solutions] == [BASE]
    assert package.settings == () and package.cif1_provider is None


def test_settings_are_typed_by_the_data_schema(tmp_path: Path) -> None:
    package = read_package_contents(write_package(tmp_path))
    first = package.settings[0]
    assert first.name == "CallDurationLimit" and first.id == setting_id("CallDurationLimit")
    assert (first.value, first.default, first.category) == ("10", "10", 105230000)
    fields = dict(package.cif1_provider.fields)
    assert package.cif1_provider.id == PROVIDER_ID
    assert fields["msdyn_clicktoact"] is True and fields["msdyn_sortorder"] == 0


def test_provider_selectors_are_dropped_even_if_the_data_carries_them() -> None:
    entries = package_entries(Spec())
    import io
    import zipfile

    data = zipfile.ZipFile(io.BytesIO(entries["VoiceForD365ConfigData.zip"]))
    files = {n: data.read(n) for n in data.namelist()}
    files["data.xml"] = files["data.xml"].replace(
        b'<field name="msdyn_sortorder"',
        b'<field name="msdyn_appselector" value="app" /><field name="msdyn_sortorder"',
    )
    entries["VoiceForD365ConfigData.zip"] = zip_bytes(files)
    provider = package_from_entries(entries, "p").cif1_provider
    assert provider is not None and "msdyn_appselector" not in dict(provider.fields)


def test_environment_variables_and_what_they_need() -> None:
    solution = read_solution(base_zip(Spec()), "s.zip")
    needs = {v.schema_name: v.needs_value for v in solution.env_vars}
    assert needs == {
        "enreach_EnreachApiBaseUrl": True,
        "enreach_UserIdSyncUrl": False,
        "enreach_VoiceWidgetUrl": False,
    }


def test_components_are_keyed_like_the_installed_summaries() -> None:
    solution = read_solution(base_zip(Spec()), "s.zip")
    rows = [
        {"msdyn_componenttype": 1, "msdyn_schemaname": "enreach_Setting"},
        {
            "msdyn_componenttype": 2,
            "msdyn_schemaname": "enreach_calltype",
            "msdyn_primaryentityname": "phonecall",
        },
        {"msdyn_componenttype": 61, "msdyn_schemaname": "enreach_/scripts/profile.js"},
    ]
    assert installed_components(rows, "enreach") <= solution.components
    assert (2, "enreach_setting.createdon") not in solution.components  # not the publisher's


@pytest.mark.parametrize(
    "change, code",
    [
        (lambda e: e.pop("ImportConfig.xml"), "DEP002"),
        (lambda e: e.pop(next(k for k in e if k.startswith(MULTI))), "DEP004"),
        (lambda e: e.update({next(k for k in e if k.startswith(BASE)): b"not a zip"}), "ZIP002"),
    ],
)
def test_broken_packages_are_located_errors(tmp_path: Path, change, code: str) -> None:  # noqa: ANN001
    entries = package_entries(Spec())
    change(entries)
    path = tmp_path / "p.zip"
    path.write_bytes(zip_bytes(entries))
    with pytest.raises(BuildError) as caught:
        read_package_contents(path)
    assert caught.value.diagnostics[0].code == code
    assert str(path) in str(caught.value)


def test_a_missing_package_and_a_bad_version_are_errors(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="DEP001"):
        read_package_contents(tmp_path / "nope.zip")
    bad = base_zip(Spec()).replace(b"x", b"x")
    import io
    import zipfile

    files = {
        n: zipfile.ZipFile(io.BytesIO(bad)).read(n)
        for n in zipfile.ZipFile(io.BytesIO(bad)).namelist()
    }
    files["solution.xml"] = files["solution.xml"].replace(b"1.0.0.0", b"1.0.beta")
    with pytest.raises(BuildError, match="DEP006"):
        read_solution(zip_bytes(files), "s.zip")


# --- deploy checks the package before it touches the environment (issue 15 item 9) ----------


def _rewrite(package: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    import io
    import zipfile

    with zipfile.ZipFile(package) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    edit(entries)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    package.write_bytes(buffer.getvalue())
    return package


def _solution_edit(old: bytes, new: bytes) -> Callable[[dict[str, bytes]], None]:
    import io
    import zipfile

    def edit(entries: dict[str, bytes]) -> None:
        name = next(n for n in entries if n.startswith("VoiceForD365_") and n.endswith(".zip"))
        with zipfile.ZipFile(io.BytesIO(entries[name])) as inner:
            files = {n: inner.read(n) for n in inner.namelist()}
        files["solution.xml"] = files["solution.xml"].replace(old, new)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as out:
            for n, data in files.items():
                out.writestr(n, data)
        entries[name] = buffer.getvalue()

    return edit


def _twice(entries: dict[str, bytes]) -> None:
    text = entries["ImportConfig.xml"].decode("utf-16")
    line = next(part for part in text.split("<configsolutionfile ")[1:])
    entry = "<configsolutionfile " + line.split("/>")[0] + "/>"
    entries["ImportConfig.xml"] = text.replace(entry, entry + entry, 1).encode("utf-16")


def _two_packages(entries: dict[str, bytes]) -> None:
    files = dict(entries)
    entries.clear()
    entries.update({f"{folder}/{n}": d for folder in ("A", "B") for n, d in files.items()})


@pytest.mark.parametrize(
    "edit, code",
    [
        (
            _solution_edit(b"<Version>1.0.0.0</Version>", b"<Version>99999999999.0.0.0</Version>"),
            "DEP006",
        ),
        (
            _solution_edit(
                b"<UniqueName>VoiceForD365</UniqueName>", b"<UniqueName>../../evil_un</UniqueName>"
            ),
            "DEP007",
        ),
        (_twice, "DEP008"),
        (_two_packages, "PKG003"),
    ],
    ids=["absurd version", "path as unique name", "solution listed twice", "two packages"],
)
def test_deploy_refuses_a_bad_package_before_any_request(
    fake,
    package,
    clock,
    edit,  # noqa: ANN001
    code: str,
) -> None:
    result = deploy(fake, _rewrite(package, edit), "--json")
    assert result.exit_code == 1, result.output
    assert [d["code"] for d in report(result)["diagnostics"]] == [code]
    assert fake.log == []  # nothing was asked of, or sent to, the environment
