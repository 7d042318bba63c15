"""Compiled templates are kept in the user's cache folder and reused by later runs; a cache
that is off, unwritable, stale or corrupt never changes the output nor fails the render."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from support.voice_sample import voice_project

from builder.cache import cache_root
from builder.render import customizations, render_solution, templating
from builder.render.templating import CompiledTemplates, make_environment, template_cache

NAME = "customizations/customizations.xml.j2"


def compiled(env: jinja2.Environment) -> None:
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


def refuse_compiling(env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch) -> None:
    def compile_(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although the cache holds the template")

    monkeypatch.setattr(env, "compile", compile_)


def test_a_second_run_loads_every_template_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled(make_environment(tmp_path))
    files = list(tmp_path.glob("templates-*/*.j2c"))
    assert len(files) == len(make_environment(None).list_templates(extensions=["j2"]))
    second = make_environment(tmp_path)
    refuse_compiling(second, monkeypatch)
    compiled(second)


@pytest.fixture
def fresh_environments() -> Iterator[None]:
    """The process-wide environments built anew (they read VOICEPKG_CACHE_DIR once)."""

    def clear() -> None:
        templating.environment.cache_clear()
        customizations.environment.cache_clear()

    clear()
    yield
    clear()


@pytest.mark.usefixtures("fresh_environments")
def test_the_output_is_the_same_with_and_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = voice_project()

    def build(cache: str) -> list[dict[str, bytes]]:
        monkeypatch.setenv("VOICEPKG_CACHE_DIR", cache)
        templating.environment.cache_clear()
        customizations.environment.cache_clear()
        return [
            render_solution(project, s.unique_name, m)
            for s in project.solutions
            for m in (True, False)
        ]

    plain = build("")
    assert build(str(tmp_path)) == plain  # the run that fills the cache
    assert list(tmp_path.glob("templates-*/*.j2c"))
    assert build(str(tmp_path)) == plain  # the run that reads it


def test_a_changed_template_is_compiled_anew_not_taken_stale(tmp_path: Path) -> None:
    sources = {"t.j2": "one {{ x }}"}
    cache = CompiledTemplates(tmp_path)

    def env() -> jinja2.Environment:
        return jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache)

    assert env().get_template("t.j2").render(x=1) == "one 1"
    sources["t.j2"] = "two {{ x }}"
    assert env().get_template("t.j2").render(x=1) == "two 1"


def test_corrupt_cache_files_are_compiled_anew(tmp_path: Path) -> None:
    compiled(make_environment(tmp_path))
    for file in tmp_path.glob("templates-*/*.j2c"):
        file.write_bytes(b"j2 not really compiled code")
    compiled(make_environment(tmp_path))
    assert make_environment(tmp_path).get_template("solution.xml.j2") is not None


def test_a_cache_that_cannot_be_made_or_written_is_skipped(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert template_cache(blocked) is None  # mkdir under a file fails: compile in memory
    compiled(make_environment(blocked))
    cache = template_cache(tmp_path / "gone")
    assert cache is not None
    cache.folder.rmdir()  # vanished after start (or read-only): writes fail quietly
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"t.j2": "{{ 1 + 1 }}"}), bytecode_cache=cache
    )
    assert env.get_template("t.j2").render() == "2"


def test_where_the_cache_lives() -> None:
    assert cache_root({"VOICEPKG_CACHE_DIR": "/x/y"}) == Path("/x/y")
    assert cache_root({"VOICEPKG_CACHE_DIR": ""}) is None
    assert cache_root({"XDG_CACHE_HOME": "/c"}) == Path("/c/voicepkg")
    assert cache_root({}) == Path.home() / ".cache" / "voicepkg"
    assert template_cache(None) is None
