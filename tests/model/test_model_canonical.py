"""The canonical model: one id per component, derived from its kind and name when no source
gives one, so two components never share an id by accident."""

from __future__ import annotations

from dataclasses import replace

from builder.model import (
    AppModule,
    Column,
    Form,
    FormEvent,
    Setting,
    SiteMapSubArea,
    View,
    WebResource,
    stable_id,
)


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


def test_a_column_holds_the_platform_default_for_what_it_leaves_open() -> None:
    """One spelling for one meaning: the sources may leave a property open or give
    Dataverse's default, an export always gives the default; the model holds the value."""
    text, memo = Column("p_T", "text", "T"), Column("p_M", "memo", "M", format="textarea")
    assert (text.max_length, text.format) == (100, "text")
    assert text == Column("p_T", "text", "T", max_length=100, format="text")
    assert (memo.max_length, memo.format) == (2000, "")
    number = Column("p_N", "integer", "N", format="none")
    assert (number.min_value, number.max_value, number.format) == (
        -2147483648.0,
        2147483647.0,
        "",
    )
    money = Column("p_F", "money", "F")
    assert (money.precision, money.max_value) == (2, 922337203685477.0)
    assert Column("p_D", "datetime", "D").format == "datetime"
    assert Column("p_C", "choice", "C", default_option=-1).default_option is None
    assert Column("p_L", "lookup", "L").max_length is None  # no default: stays open


def test_a_source_says_only_what_differs_from_the_default() -> None:
    column = Column("p_T", "text", "T", max_length=100, format="email")
    assert (column.given("max_length"), column.given("format")) == (None, "email")
    assert Column("p_N", "integer", "N", max_value=10).given("max_value") == 10
    assert Column("p_N", "integer", "N", max_value=10).given("min_value") is None


def test_a_form_loads_the_libraries_its_handlers_name() -> None:
    event = FormEvent("onload", "enreach_/b.js", "init")
    form = Form(stable_id("form", "f"), "phonecall", "main", "F", libraries=("enreach_/a.js",))
    assert replace(form, events=(event,)).libraries == ("enreach_/a.js", "enreach_/b.js")
    assert replace(form, events=(event,)) == replace(
        form, libraries=("enreach_/a.js", "enreach_/b.js"), events=(event,)
    )


def test_only_a_quick_find_view_has_find_columns() -> None:
    view = View(stable_id("view", "v"), "phonecall", "V", find_columns=("subject",))
    assert view.find_columns == ()
    assert replace(view, type="quickfind", find_columns=("subject",)).find_columns == ("subject",)


def test_a_site_map_page_named_by_its_web_resource_is_a_web_resource_url() -> None:
    page = SiteMapSubArea("s", "S", url="enreach_/page.html")
    assert page.url == "$webresource:enreach_/page.html"
    assert page == SiteMapSubArea("s", "S", url="$webresource:enreach_/page.html")
    assert SiteMapSubArea("s", "S", url="https://example.com").url == "https://example.com"
