"""The canonical model: one id per component, derived from its kind and name when no source
gives one, so two components never share an id by accident."""

from __future__ import annotations

from dataclasses import replace

from builder.model import AppModule, Setting, WebResource, stable_id


def test_components_made_without_an_id_get_one_derived_from_their_name() -> None:
    script = WebResource("enreach_/a.js", "A", "js")
    other = WebResource("enreach_/b.js", "B", "js")
    app = AppModule("enreach_App", "App")
    setting = Setting("CallDurationLimit", "General", "Integer", "60", "limit")
    assert script.id == stable_id("webresource", "enreach_/a.js")
    assert other.id == stable_id("webresource", "enreach_/b.js")
    assert script.id != other.id
    assert app.id == stable_id("appmodule", "enreach_App")
    assert setting.id == stable_id("setting", "CallDurationLimit")


def test_a_given_id_is_kept_and_replace_keeps_it() -> None:
    given = stable_id("anything")
    script = WebResource("enreach_/a.js", "A", "js", id=given)
    assert script.id == given
    assert replace(script, name="enreach_/c.js").id == given
