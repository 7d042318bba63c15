"""The installable package: every module folder listed, templates carried by wheels."""

from __future__ import annotations

import tomllib

from support.common import ROOT


def test_every_builder_package_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "builder").rglob("__init__.py")
    }
    assert found <= listed, f"add to pyproject [tool.setuptools] packages: {found - listed}"
    assert "builder._templates" in listed


def test_the_library_api_names_resolve_to_the_stage_functions() -> None:
    import builder
    from builder.build import build_package
    from builder.sources.load import load_project

    assert builder.build_package is build_package
    assert builder.load_project is load_project
    not_callable = {
        n: getattr(builder, n) for n in builder.__all__ if not callable(getattr(builder, n))
    }
    assert not not_callable
