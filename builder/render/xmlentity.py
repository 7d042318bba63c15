"""Plain Python writers for an `<Entity>` of customizations.xml (names, `EntityInfo` with
keys and flags, forms, views, ribbon diff) and for an `<EntityRelationship>`.

A table of 200 is one such element of ~1,000 lines: as jinja2 macros most of a large
render went into macro calls, autoescape and re-indenting each line once per enclosing
macro. Here every line is written once at its final indentation, each value escaped once
(`esc`, exactly as the templates escaped), into one list of lines. The shapes are those of
the real exports; what each element means is said where its view model is built
(cz_entities.py, cz_forms.py, cz_views.py, cz_ribbon.py, cz_relationships.py).
"""

from __future__ import annotations

from ..dataverse.languages import ENGLISH as LANG
from .cz_entities import EntityVM
from .cz_forms import CellVM, FormVM, TabVM
from .cz_relationships import RelationshipVM
from .cz_ribbon import CommandVM
from .cz_views import ConditionVM, ViewVM
from .xmlwrite import attribute, bit, esc, labels


def lower(value: bool) -> str:
    """A boolean as the templates' `|lower` wrote it."""
    return "true" if value else "false"


def entity(out: list[str], pad: str, e: EntityVM) -> None:
    p = pad + "  "
    out.append(f"{pad}<Entity>")
    out.append(
        f'{p}<Name LocalizedName="{esc(e.display_name)}" '
        f'OriginalName="{esc(e.original_name)}">{esc(e.schema_name)}</Name>'
    )
    if e.has_info:
        entity_info(out, p, e)
    if e.forms:
        out.append(f"{p}<FormXml>")
        for kind, forms in e.forms:
            out.append(f'{p}  <forms type="{esc(kind)}">')
            for form in forms:
                systemform(out, p + "    ", form)
            out.append(f"{p}  </forms>")
        out.append(f"{p}</FormXml>")
    else:
        out.append(f"{p}<FormXml />")
    out.append(f"{p}<SavedQueries>")
    out.append(f"{p}  <savedqueries>")
    for v in e.views:
        savedquery(out, p + "    ", v)
    out.append(f"{p}  </savedqueries>")
    out.append(f"{p}</SavedQueries>")
    ribbon(out, p, e.commands)
    out.append(f"{pad}</Entity>")


def entity_info(out: list[str], pad: str, e: EntityVM) -> None:
    p = pad + "    "
    out.append(f"{pad}<EntityInfo>")
    out.append(f'{pad}  <entity Name="{esc(e.schema_name)}">')
    if not e.existing:
        labels(out, p, "LocalizedNames", "LocalizedName", e.display_name)
        labels(out, p, "LocalizedCollectionNames", "LocalizedCollectionName", e.plural_name)
        labels(out, p, "Descriptions", "Description", e.description)
    out.append(f"{p}<attributes>")
    for a in e.attributes:
        attribute(out, p + "  ", a)
    out.append(f"{p}</attributes>")
    if e.keys:
        keys(out, p, e)
    if not e.existing:
        entity_flags(out, p, e)
    out.append(f"{pad}  </entity>")
    out.append(f"{pad}</EntityInfo>")


def keys(out: list[str], pad: str, e: EntityVM) -> None:
    p = pad + "    "
    out.append(f"{pad}<EntityKeys>")
    for k in e.keys:
        out += [
            f"{pad}  <EntityKey>",
            f"{p}<Name>{esc(k.schema_name)}</Name>",
            f"{p}<LogicalName>{esc(k.schema_name.lower())}</LogicalName>",
            f"{p}<IntroducedVersion>{esc(e.version)}</IntroducedVersion>",
            f"{p}<IsCustomizable>1</IsCustomizable>",
            f"{p}<EntityKeyAttributes>",
        ]
        out += [f"{p}  <AttributeName>{esc(c)}</AttributeName>" for c in k.columns]
        out.append(f"{p}</EntityKeyAttributes>")
        labels(out, p, "displaynames", "displayname", k.display_name)
        out.append(f"{pad}  </EntityKey>")
    out.append(f"{pad}</EntityKeys>")


# The entity-level flags in the exports' order: a fixed value, or "new" (1 on a regular
# table, 0 on a virtual one).
_FLAGS_BEFORE_MASK = (
    ("IsDuplicateCheckSupported", "new"),
    ("IsBusinessProcessEnabled", "0"),
    ("IsRequiredOffline", "0"),
    ("IsInteractionCentricEnabled", "0"),
    ("IsCollaboration", "0"),
    ("AutoRouteToOwnerQueue", "0"),
    ("IsConnectionsEnabled", "0"),
    ("IsDocumentManagementEnabled", "0"),
    ("AutoCreateAccessTeams", "0"),
    ("IsOneNoteIntegrationEnabled", "0"),
    ("IsKnowledgeManagementEnabled", "0"),
    ("IsSLAEnabled", "0"),
    ("IsDocumentRecommendationsEnabled", "0"),
    ("IsBPFEntity", "0"),
)
_FLAGS_AFTER_MASK = (
    ("IsAuditEnabled", "0"),
    ("IsActivity", "0"),
    ("ActivityTypeMask", ""),
    ("IsActivityParty", "0"),
    ("IsReplicated", "0"),
    ("IsReplicationUserFiltered", "0"),
    ("IsMailMergeEnabled", "new"),
    ("IsVisibleInMobile", "0"),
    ("IsVisibleInMobileClient", "0"),
    ("IsReadOnlyInMobileClient", "0"),
    ("IsOfflineInMobileClient", "0"),
    ("DaysSinceRecordLastModified", "0"),
    ("MobileOfflineFilters", ""),
    ("IsMapiGridEnabled", "1"),
    ("IsReadingPaneEnabled", "1"),
)
_FLAGS_LAST = (
    ("IsRenameable", "1"),
    ("IsMappable", "1"),
    ("CanModifyAuditSettings", "new"),
    ("CanModifyMobileVisibility", "1"),
    ("CanModifyMobileClientVisibility", "1"),
    ("CanModifyMobileClientReadOnly", "1"),
    ("CanModifyMobileClientOffline", "new"),
    ("CanModifyConnectionSettings", "1"),
    ("CanModifyDuplicateDetectionSettings", "new"),
    ("CanModifyMailMergeSettings", "1"),
    ("CanModifyQueueSettings", "new"),
    ("CanCreateAttributes", "1"),
    ("CanCreateForms", "1"),
    ("CanCreateCharts", "new"),
    ("CanCreateViews", "1"),
    ("CanModifyAdditionalSettings", "1"),
    ("CanEnableSyncToExternalSearchIndex", "new"),
    ("EnforceStateTransitions", "0"),
    ("CanChangeHierarchicalRelationship", "new"),
    ("EntityHelpUrlEnabled", "0"),
    ("ChangeTrackingEnabled", "0"),
    ("CanChangeTrackingBeEnabled", "new"),
    ("IsEnabledForExternalChannels", "0"),
)


def _flags(out: list[str], pad: str, flags: tuple[tuple[str, str], ...], new: str) -> None:
    out += [f"{pad}<{tag}>{new if value == 'new' else value}</{tag}>" for tag, value in flags]


def entity_flags(out: list[str], pad: str, e: EntityVM) -> None:
    new = bit(not e.virtual)
    out.append(f"{pad}<EntitySetName>{esc(e.entity_set)}</EntitySetName>")
    if e.virtual:
        out += [
            f"{pad}<DataProviderId>{esc(e.provider_id)}</DataProviderId>",
            f"{pad}<DataSourceId>{esc(e.source_id)}</DataSourceId>",
            f"{pad}<ExternalName>{esc(e.external_name)}</ExternalName>",
            f"{pad}<ExternalCollectionName>{esc(e.external_name)}</ExternalCollectionName>",
        ]
    _flags(out, pad, _FLAGS_BEFORE_MASK, new)
    out.append(f"{pad}<OwnershipTypeMask>{esc(e.ownership_mask)}</OwnershipTypeMask>")
    _flags(out, pad, _FLAGS_AFTER_MASK, new)
    out += [
        f"{pad}<IsQuickCreateEnabled>{bit(e.quick_create)}</IsQuickCreateEnabled>",
        f"{pad}<SyncToExternalSearchIndex>0</SyncToExternalSearchIndex>",
        f"{pad}<IntroducedVersion>{esc(e.version)}</IntroducedVersion>",
        f"{pad}<IsCustomizable>{bit(e.customizable)}</IsCustomizable>",
    ]
    _flags(out, pad, _FLAGS_LAST, new)


_EMPTY_RIBBON_BODY = (
    "<CustomActions />",
    "<Templates>",
    '  <RibbonTemplates Id="Mscrm.Templates" />',
    "</Templates>",
    "<CommandDefinitions />",
    "<RuleDefinitions>",
    "  <TabDisplayRules />",
    "  <DisplayRules />",
    "  <EnableRules />",
    "</RuleDefinitions>",
    "<LocLabels />",
)


def empty_ribbon_body(width: int) -> str:
    """The body of a `RibbonDiffXml` that changes nothing, each line indented by `width`."""
    pad = " " * width
    return "\n".join(pad + line for line in _EMPTY_RIBBON_BODY)


def ribbon(out: list[str], pad: str, commands: tuple[CommandVM, ...]) -> None:
    out.append(f"{pad}<RibbonDiffXml>")
    p = pad + "  "
    if not commands:
        out += [p + line for line in _EMPTY_RIBBON_BODY]
    else:
        _custom_actions(out, p, commands)
        out += [
            f"{p}<Templates>",
            f'{p}  <RibbonTemplates Id="Mscrm.Templates" />',
            f"{p}</Templates>",
        ]
        _command_definitions(out, p, commands)
        _rule_definitions(out, p, commands)
        _loc_labels(out, p, commands)
    out.append(f"{pad}</RibbonDiffXml>")


def _custom_actions(out: list[str], pad: str, commands: tuple[CommandVM, ...]) -> None:
    out.append(f"{pad}<CustomActions>")
    for c in commands:
        cid, seq = esc(c.id), esc(c.sequence)
        label = f"$LocLabels:{cid}.LabelText"
        icon = esc(c.icon)
        images = (
            f' Image16by16="{icon}" Image32by32="{icon}" ModernImage="{icon}"' if c.icon else ""
        )
        out += [
            f'{pad}  <CustomAction Id="{cid}.CustomAction" Location="{esc(c.location)}" '
            f'Sequence="{seq}">',
            f"{pad}    <CommandUIDefinition>",
            f'{pad}      <Button Id="{cid}.Button" Command="{cid}" Sequence="{seq}" '
            f'TemplateAlias="o1" Alt="{label}" LabelText="{label}" ToolTipTitle="{label}" '
            f'ToolTipDescription="$LocLabels:{cid}.ToolTip"{images} />',
            f"{pad}    </CommandUIDefinition>",
            f"{pad}  </CustomAction>",
        ]
    out.append(f"{pad}</CustomActions>")


def _command_definitions(out: list[str], pad: str, commands: tuple[CommandVM, ...]) -> None:
    p = pad + "    "
    out.append(f"{pad}<CommandDefinitions>")
    for c in commands:
        out.append(f'{pad}  <CommandDefinition Id="{esc(c.id)}">')
        out.append(f"{p}<EnableRules>")
        if c.app_rule:
            out.append(f'{p}  <EnableRule Id="{esc(c.app_rule)}" />')
        out += [
            f"{p}</EnableRules>",
            f"{p}<DisplayRules />",
            f"{p}<Actions>",
            f'{p}  <JavaScriptFunction Library="{esc(c.library)}" '
            f'FunctionName="{esc(c.function)}">',
            f'{p}    <CrmParameter Value="{esc(c.parameter)}" />',
            f"{p}  </JavaScriptFunction>",
            f"{p}</Actions>",
            f"{pad}  </CommandDefinition>",
        ]
    out.append(f"{pad}</CommandDefinitions>")


def _rule_definitions(out: list[str], pad: str, commands: tuple[CommandVM, ...]) -> None:
    p = pad + "    "
    out += [
        f"{pad}<RuleDefinitions>",
        f"{pad}  <TabDisplayRules />",
        f"{pad}  <DisplayRules />",
        f"{pad}  <EnableRules>",
    ]
    for c in commands:
        if c.app_rule:
            out += [
                f'{p}<EnableRule Id="{esc(c.app_rule)}">',
                f'{p}  <CustomRule Library="{esc(c.library)}" '
                f'FunctionName="{esc(c.app_function)}" Default="false">',
                f'{p}    <StringParameter Value="{esc(c.app)}" />',
                f"{p}  </CustomRule>",
                f"{p}</EnableRule>",
            ]
    out += [f"{pad}  </EnableRules>", f"{pad}</RuleDefinitions>"]


def _loc_labels(out: list[str], pad: str, commands: tuple[CommandVM, ...]) -> None:
    p = pad + "    "
    out.append(f"{pad}<LocLabels>")
    for c in commands:
        for suffix, text in (("LabelText", c.label), ("ToolTip", c.tooltip)):
            out += [
                f'{pad}  <LocLabel Id="{esc(c.id)}.{suffix}">',
                f"{p}<Titles>",
                f'{p}  <Title description="{esc(text)}" languagecode="{LANG}" />',
                f"{p}</Titles>",
                f"{pad}  </LocLabel>",
            ]
    out.append(f"{pad}</LocLabels>")


# Forms


def systemform(out: list[str], pad: str, form: FormVM) -> None:
    p = pad + "  "
    out += [
        f"{pad}<systemform>",
        f"{p}<formid>{esc(form.id)}</formid>",
        f"{p}<IntroducedVersion>1.0.0.0</IntroducedVersion>",
        f"{p}<FormPresentation>1</FormPresentation>",
        f"{p}<FormActivationState>1</FormActivationState>",
        f"{p}<form>",
        f"{p}  <tabs>",
    ]
    for t in form.tabs:
        tab(out, p + "    ", t)
    out.append(f"{p}  </tabs>")
    main = form.type == "main"
    if main:
        out.append(
            f'{p}  <header id="{esc(form.header_id)}" celllabelposition="Top" columns="111" '
            'labelwidth="115" celllabelalignment="Left">'
        )
        if form.header:
            out += [f"{p}    <rows>", f"{p}      <row>"]
            for c in form.header:
                cell(out, p + "        ", c)
            out += [f"{p}      </row>", f"{p}    </rows>"]
        else:
            out.append(f"{p}    <rows />")
        out.append(f"{p}  </header>")
    if form.libraries:
        events(out, p + "  ", form)
    if main:
        out.append(f'{p}  <DisplayConditions Order="0" FallbackForm="true" />')
    out += [
        f"{p}</form>",
        f"{p}<IsCustomizable>{bit(form.customizable)}</IsCustomizable>",
        f"{p}<CanBeDeleted>1</CanBeDeleted>",
    ]
    labels(out, p, "LocalizedNames", "LocalizedName", form.name)
    labels(out, p, "Descriptions", "Description", form.description)
    out.append(f"{pad}</systemform>")


def tab(out: list[str], pad: str, t: TabVM) -> None:
    p = pad + "        "
    out.append(
        f'{pad}<tab name="{esc(t.name)}" id="{esc(t.id)}" IsUserDefined="0" '
        'verticallayout="true" showlabel="true" expanded="true">'
    )
    labels(out, pad + "  ", "labels", "label", t.label)
    out += [f"{pad}  <columns>", f'{pad}    <column width="100%">', f"{pad}      <sections>"]
    for s in t.sections:
        out.append(
            f'{p}<section name="{esc(s.name)}" id="{esc(s.id)}" IsUserDefined="0" '
            f'showlabel="{lower(s.show_label)}" showbar="false" columns="1">'
        )
        labels(out, p + "  ", "labels", "label", s.label)
        rows(out, p + "  ", s.cells)
        out.append(f"{p}</section>")
    out += [f"{pad}      </sections>", f"{pad}    </column>", f"{pad}  </columns>", f"{pad}</tab>"]


def rows(out: list[str], pad: str, cells: tuple[CellVM, ...]) -> None:
    out.append(f"{pad}<rows>")
    for c in cells:
        out.append(f"{pad}  <row>")
        cell(out, pad + "    ", c)
        out.append(f"{pad}  </row>")
        if c.subgrid:
            out += [f"{pad}  <row />"] * 3
    out.append(f"{pad}</rows>")


def cell(out: list[str], pad: str, c: CellVM) -> None:
    if c.subgrid:
        out.append(
            f'{pad}<cell id="{esc(c.id)}" showlabel="true" locklevel="0" rowspan="4" '
            'colspan="1" auto="false">'
        )
    else:
        out.append(f'{pad}<cell id="{esc(c.id)}" showlabel="true" locklevel="0">')
    labels(out, pad + "  ", "labels", "label", c.label)
    control(out, pad + "  ", c)
    out.append(f"{pad}</cell>")


def control(out: list[str], pad: str, c: CellVM) -> None:
    if c.subgrid:
        head = (
            f'{pad}<control indicationOfSubgrid="true" id="{esc(c.control_id)}" '
            f'classid="{esc(c.class_id)}"'
        )
    else:
        head = (
            f'{pad}<control id="{esc(c.control_id)}" classid="{esc(c.class_id)}" '
            f'datafieldname="{esc(c.field)}" disabled="{lower(c.disabled)}"'
        )
    if not c.params:
        out.append(head + " />")
        return
    out.append(head + ">")
    out.append(f"{pad}  <parameters>")
    out += [f"{pad}    <{esc(n)}>{esc(v)}</{esc(n)}>" for n, v in c.params]
    out.append(f"{pad}  </parameters>")
    out.append(f"{pad}</control>")


def events(out: list[str], pad: str, form: FormVM) -> None:
    out.append(f"{pad}<formLibraries>")
    out += [
        f'{pad}  <Library name="{esc(n)}" libraryUniqueId="{esc(uid)}" />'
        for n, uid in form.libraries
    ]
    out.append(f"{pad}</formLibraries>")
    if not form.events:
        return
    out.append(f"{pad}<events>")
    for ev in form.events:
        attr = f' attribute="{esc(ev.attribute)}"' if ev.attribute else ""
        out.append(f'{pad}  <event name="{esc(ev.name)}" application="false" active="false"{attr}>')
        out.append(f"{pad}    <Handlers>")
        out += [
            f'{pad}      <Handler functionName="{esc(h.function)}" libraryName="{esc(h.library)}" '
            f'handlerUniqueId="{esc(h.id)}" enabled="true" parameters="" '
            f'passExecutionContext="{lower(h.pass_context)}" />'
            for h in ev.handlers
        ]
        out.append(f"{pad}    </Handlers>")
        out.append(f"{pad}  </event>")
    out.append(f"{pad}</events>")


# Views


def savedquery(out: list[str], pad: str, v: ViewVM) -> None:
    p = pad + "  "
    q = pad + "        "  # inside <entity> of the fetch
    code = f' object="{esc(v.object_code)}"' if v.object_code is not None else ""
    out += [
        f"{pad}<savedquery>",
        f"{p}<IsCustomizable>{bit(v.customizable)}</IsCustomizable>",
        f"{p}<CanBeDeleted>{bit(v.can_be_deleted)}</CanBeDeleted>",
        f"{p}<isquickfindquery>{bit(v.is_quick_find)}</isquickfindquery>",
        f"{p}<isprivate>0</isprivate>",
        f"{p}<isdefault>{bit(v.is_default)}</isdefault>",
        f"{p}<savedqueryid>{esc(v.id)}</savedqueryid>",
        f"{p}<layoutxml>",
        f'{p}  <grid name="{esc(v.grid_name)}" jump="{esc(v.jump)}" select="1" icon="1" '
        f'preview="{bit(v.query_type != 64)}"{code}>',
        f'{p}    <row name="{esc(v.row_name)}" id="{esc(v.primary_id)}">',
    ]
    out += [f'{p}      <cell name="{esc(n)}" width="{esc(w)}" />' for n, w in v.cells]
    out += [
        f"{p}    </row>",
        f"{p}  </grid>",
        f"{p}</layoutxml>",
        f"{p}<querytype>{esc(v.query_type)}</querytype>",
        f"{p}<fetchxml>",
        f'{p}  <fetch version="1.0" mapping="logical">',
        f'{p}    <entity name="{esc(v.entity)}">',
    ]
    out += [f'{q}<attribute name="{esc(n)}" />' for n in v.attributes]
    out += [f'{q}<order attribute="{esc(n)}" descending="{lower(d)}" />' for n, d in v.orders]
    if v.conditions:
        out.append(f'{q}<filter type="and">')
        for c in v.conditions:
            condition(out, q + "  ", c)
        out.append(f"{q}</filter>")
    if v.find_columns:
        out.append(f'{q}<filter type="or" isquickfindfields="1">')
        out += [
            f'{q}  <condition attribute="{esc(n)}" operator="like" value="{{0}}" />'
            for n in v.find_columns
        ]
        out.append(f"{q}</filter>")
    out += [
        f"{p}    </entity>",
        f"{p}  </fetch>",
        f"{p}</fetchxml>",
        f"{p}<IntroducedVersion>1.0.0.0</IntroducedVersion>",
    ]
    labels(out, p, "LocalizedNames", "LocalizedName", v.name)
    if v.description:
        labels(out, p, "Descriptions", "Description", v.description)
    out.append(f"{pad}</savedquery>")


def condition(out: list[str], pad: str, c: ConditionVM) -> None:
    head = f'{pad}<condition attribute="{esc(c.attribute)}" operator="{esc(c.operator)}"'
    if c.values:
        out.append(head + ">")
        out += [f"{pad}  <value>{esc(value)}</value>" for value in c.values]
        out.append(f"{pad}</condition>")
    elif c.value is None:
        out.append(head + " />")
    else:
        out.append(f'{head} value="{esc(c.value)}" />')


# Relationships


def relationship(out: list[str], pad: str, r: RelationshipVM) -> None:
    p = pad + "  "
    out += [
        f'{pad}<EntityRelationship Name="{esc(r.name)}">',
        f"{p}<EntityRelationshipType>OneToMany</EntityRelationshipType>",
        f"{p}<IsCustomizable>1</IsCustomizable>",
        f"{p}<IntroducedVersion>{esc(r.version)}</IntroducedVersion>",
        f"{p}<IsHierarchical>0</IsHierarchical>",
        f"{p}<ReferencingEntityName>{esc(r.referencing)}</ReferencingEntityName>",
        f"{p}<ReferencedEntityName>{esc(r.referenced)}</ReferencedEntityName>",
        f"{p}<CascadeAssign>NoCascade</CascadeAssign>",
        f"{p}<CascadeDelete>{'NoCascade' if r.system else 'RemoveLink'}</CascadeDelete>",
        f"{p}<CascadeReparent>NoCascade</CascadeReparent>",
        f"{p}<CascadeShare>NoCascade</CascadeShare>",
        f"{p}<CascadeUnshare>NoCascade</CascadeUnshare>",
    ]
    if not r.system:
        out += [
            f"{p}<CascadeRollupView>NoCascade</CascadeRollupView>",
            f"{p}<IsValidForAdvancedFind>1</IsValidForAdvancedFind>",
        ]
    out.append(f"{p}<ReferencingAttributeName>{esc(r.attribute)}</ReferencingAttributeName>")
    out.append(f"{p}<RelationshipDescription>")
    labels(out, p + "  ", "Descriptions", "Description", r.description)
    out.append(f"{p}</RelationshipDescription>")
    if not r.system:
        q = p + "    "
        out += [
            f"{p}<EntityRelationshipRoles>",
            f"{p}  <EntityRelationshipRole>",
            f"{q}<NavPaneDisplayOption>UseCollectionName</NavPaneDisplayOption>",
            f"{q}<NavPaneArea>Details</NavPaneArea>",
            f"{q}<NavPaneOrder>10000</NavPaneOrder>",
            f"{q}<NavigationPropertyName>{esc(r.navigation)}</NavigationPropertyName>",
            f"{q}<RelationshipRoleType>1</RelationshipRoleType>",
            f"{p}  </EntityRelationshipRole>",
            f"{p}  <EntityRelationshipRole>",
            f"{q}<NavigationPropertyName>{esc(r.name)}</NavigationPropertyName>",
            f"{q}<RelationshipRoleType>0</RelationshipRoleType>",
            f"{p}  </EntityRelationshipRole>",
            f"{p}</EntityRelationshipRoles>",
        ]
    out.append(f"{pad}</EntityRelationship>")
