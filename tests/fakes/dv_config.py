"""The fake Dataverse, extended with the tables and actions `voicepkg configure` touches.

Modelled on Microsoft's documentation (learn.microsoft.com/power-apps/developer/data-platform),
strict where Dataverse is:
- association: "Associate and disassociate table rows using the Web API": `POST
  <set>(<id>)/<navigation>/$ref` with `{"@odata.id": "<absolute URI>"}` (the documented example
  uses the full organization URI), 204; associating a pair twice is an error (a duplicate row in
  the intersect table);
- "Create a table row using the Web API": `POST <set>`, 204 with `OData-EntityId`; the primary
  key may be given; a lookup is set with `<NavigationProperty>@odata.bind` (case-sensitive
  navigation property names, the lookup's schema name for custom lookups);
- "Update and delete table rows using the Web API": `PATCH` with `If-Match: *` updates only;
- security roles are per business unit: a user gets the copy of a role that belongs to the
  user's own business unit ("Assign a security role to a user"); an application user is
  created with `applicationid` and its business unit, and Dataverse refuses an application id
  that is not an app registration of the tenant;
- model-driven apps: the `AddAppComponents` and `RemoveAppComponents` actions (parameters
  `AppId`, `Components`: typed entity references, here `systemform`/`formid` and
  `entity`/`entityid`), components listed in `appmodulecomponent` (componenttype 1 = table,
  60 = form); an app changed is unpublished until `PublishXml` names it under `<appmodules>`;
- forms: `systemform.formxml` written with PATCH stays unpublished (a GET returns the published
  form) until `PublishXml` names the form's table under `<entities>`;
- the custom API `enreach_UpdateEnreachUserIds` (unbound action, no parameters; response
  `UpdatedCount`, `Message`), standing in for the Enreach back end: it looks each enabled user's
  Enreach User Email (else the primary e-mail) up in `enreach_directory`.
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from lxml import etree

from .dataverse import API, FakeDataverse
from .dv_common import HttpError
from .dv_engine import SCHEMAS

BAD = "0x80048d19"
NOT_FOUND = "0x80040217"
GUID = r"[0-9a-fA-F-]{36}"
NS = uuid.UUID("1f6b0c3e-8d2a-4b7f-9e5d-3a2c1b0f9e8d")

USER_COLUMNS = {
    "systemuserid",
    "fullname",
    "domainname",
    "internalemailaddress",
    "applicationid",
    "isdisabled",
    "enreach_enreachuserid",
    "enreach_enreachuseremail",
    "_businessunitid_value",
}
TABLES: dict[str, set[str]] = {
    "businessunits": {"businessunitid", "name", "_parentbusinessunitid_value"},
    "roles": {"roleid", "name", "_businessunitid_value"},
    "teams": {"teamid", "name"},
    "appmodules": {"appmoduleid", "appmoduleidunique", "uniquename", "name"},
    "appmodulecomponents": {
        "appmodulecomponentid",
        "componenttype",
        "objectid",
        "_appmoduleidunique_value",
    },
    "systemforms": {"formid", "name", "type", "objecttypecode", "formxml"},
    "msdyn_appconfigurations": {"msdyn_appconfigurationid", "msdyn_name", "msdyn_uniquename"},
    "enreach_callbackprofiles": {
        "enreach_callbackprofileid",
        "enreach_name",
        "enreach_agetimeunit",
        "enreach_callbackage",
        "enreach_ownershiprule",
        "enreach_phonecallsubject",
        "enreach_duplicatehandlingrule",
        "enreach_synchronizationmethod",
        "_enreach_callbacklistid_value",
        "_enreach_queueid_value",
    },
    "enreach_callbacklists": {"enreach_callbacklistid", "enreach_name"},
    "queues": {"queueid", "name"},
}
GATES = {
    "msdyn_appconfigurations": "msdyn_appconfiguration",
    "enreach_callbackprofiles": "enreach_callbackprofile",
    "enreach_callbacklists": "enreach_callbacklist",
}
# collection-valued navigation properties: (set, navigation) -> the set it points at
LINKS = {
    ("systemusers", "systemuserroles_association"): "roles",
    ("msdyn_appconfigurations", "msdyn_appconfig_msdyn_channelprovider"): "msdyn_channelproviders",
    ("msdyn_appconfigurations", "msdyn_appconfiguration_systemuser"): "systemusers",
}
PROFILE_BINDS = {
    "enreach_CallbackListId@odata.bind": ("enreach_callbacklists", "_enreach_callbacklistid_value"),
    "enreach_QueueId@odata.bind": ("queues", "_enreach_queueid_value"),
}
PROFILE_REQUIRED = ("enreach_name", "_enreach_callbacklistid_value", "_enreach_queueid_value")
COMPONENT_TYPES = {"systemform": ("formid", 60), "entity": ("entityid", 1)}


def _id(name: str) -> str:
    return str(uuid.uuid5(NS, name))


class ConfigDataverse(FakeDataverse):
    """A fake environment with an organization: business units, roles, users, teams, apps,
    forms, app profiles, queues, callback lists and profiles."""

    def __init__(self, token: str = "test-token") -> None:
        super().__init__(token)
        root = _id("bu/root")
        self.root_bu = root
        self.business_units = [
            {"businessunitid": root, "name": "contoso", "_parentbusinessunitid_value": None}
        ]
        self.roles: list[dict[str, Any]] = []
        self.teams: list[dict[str, Any]] = []
        self.apps: list[dict[str, Any]] = []
        self.app_parts: dict[str, list[dict[str, Any]]] = {}  # appmoduleid -> components
        self.forms: list[dict[str, Any]] = []
        self.profiles: list[dict[str, Any]] = []
        self.queues: list[dict[str, Any]] = []
        self.callback_lists: list[dict[str, Any]] = []
        self.callback_profiles: dict[str, dict[str, Any]] = {}
        self.tenant_apps: set[str] = set()  # application ids registered in Entra ID
        self.enreach_directory: dict[str, str] = {}  # Enreach Cloud e-mail -> user id
        self.unpublished_apps: set[str] = set()
        self.update_id_runs = 0
        self.add_role("System Administrator")

    # --- set-up helpers ----------------------------------------------------------------
    def add_business_unit(self, name: str) -> str:
        unit = _id("bu/" + name)
        self.business_units.append(
            {"businessunitid": unit, "name": name, "_parentbusinessunitid_value": self.root_bu}
        )
        for role in [r for r in self.roles if r["_businessunitid_value"] == self.root_bu]:
            self.roles.append(
                {
                    "roleid": _id(f"role/{name}/{role['name']}"),
                    "name": role["name"],
                    "_businessunitid_value": unit,
                }
            )
        return unit

    def add_role(self, name: str) -> str:
        """A role in every business unit (the root's copy keeps the solution's id)."""
        for unit in self.business_units:
            suffix = "" if unit["businessunitid"] == self.root_bu else unit["name"] + "/"
            self.roles.append(
                {
                    "roleid": _id(f"role/{suffix}{name}"),
                    "name": name,
                    "_businessunitid_value": unit["businessunitid"],
                }
            )
        return _id(f"role/{name}")

    def role_id(self, name: str, unit: str = "") -> str:
        unit = unit or self.root_bu
        return next(
            r["roleid"]
            for r in self.roles
            if r["name"] == name and r["_businessunitid_value"] == unit
        )

    def add_user(
        self,
        name: str,
        domain: str,
        roles: tuple[str, ...] = (),
        enreach_id: str = "",
        email: str = "",
        enreach_email: str = "",
        unit: str = "",
        application_id: str | None = None,
    ) -> str:
        user_id = _id("user/" + domain)
        unit = unit or self.root_bu
        self.users.append(
            {
                "systemuserid": user_id,
                "fullname": name,
                "domainname": domain,
                "internalemailaddress": email or domain,
                "applicationid": application_id,
                "isdisabled": False,
                "enreach_enreachuserid": enreach_id or None,
                "enreach_enreachuseremail": enreach_email or None,
                "_businessunitid_value": unit,
                "systemuserroles_association": [
                    {"roleid": self.role_id(r, unit), "name": r} for r in roles
                ],
            }
        )
        return user_id

    def user(self, domain_or_id: str) -> dict[str, Any]:
        return next(
            u for u in self.users if domain_or_id in (u.get("domainname"), u["systemuserid"])
        )

    def add_team(self, name: str, members: list[str]) -> None:
        self.teams.append(
            {
                "teamid": _id("team/" + name),
                "name": name,
                "members": [self.user(m)["systemuserid"] for m in members],
            }
        )

    def add_app(self, unique: str, name: str) -> str:
        app_id = _id("app/" + unique)
        self.apps.append(
            {
                "appmoduleid": app_id,
                "appmoduleidunique": _id("appunique/" + unique),
                "uniquename": unique,
                "name": name,
            }
        )
        self.app_parts[app_id] = []
        return app_id

    def add_form(self, table: str, name: str, kind: int, formxml: str = "") -> str:
        form_id = _id(f"form/{table}/{name}")
        self.tables.add(table)
        self.forms.append(
            {
                "formid": form_id,
                "name": name,
                "type": kind,
                "objecttypecode": table,
                "formxml": formxml,
                "pending": None,
            }
        )
        return form_id

    def add_app_form(self, app_id: str, form_id: str) -> None:
        self._add_part(app_id, 60, form_id)

    def add_profile(self, provider: str, profile: str) -> None:
        """An app profile with the channel provider in it (what an administrator did)."""
        row = self.add_app_profile(profile)
        self.providers[provider]["msdyn_appconfig_msdyn_channelprovider"].append(
            {k: row[k] for k in ("msdyn_appconfigurationid", "msdyn_name", "msdyn_uniquename")}
        )

    def add_app_profile(self, name: str, users: tuple[str, ...] = ()) -> dict[str, Any]:
        self.tables.add("msdyn_appconfiguration")
        row = {
            "msdyn_appconfigurationid": _id("profile/" + name),
            "msdyn_name": name,
            "msdyn_uniquename": "contoso_" + name.lower().replace(" ", ""),
            "users": [self.user(u)["systemuserid"] for u in users],
        }
        self.profiles.append(row)
        return row

    def add_queue(self, name: str) -> str:
        self.queues.append({"queueid": _id("queue/" + name), "name": name})
        return self.queues[-1]["queueid"]

    def add_callback_list(self, name: str) -> str:
        self.callback_lists.append(
            {"enreach_callbacklistid": _id("list/" + name), "enreach_name": name}
        )
        return self.callback_lists[-1]["enreach_callbacklistid"]

    def profile_users(self, name: str) -> list[str]:
        row = next(p for p in self.profiles if p["msdyn_name"] == name)
        return sorted(self.user(u)["domainname"] for u in row["users"])

    def profile_providers(self, name: str) -> list[str]:
        row = next(p for p in self.profiles if p["msdyn_name"] == name)
        return sorted(
            p
            for p, v in self.providers.items()
            if any(
                x["msdyn_appconfigurationid"] == row["msdyn_appconfigurationid"]
                for x in v["msdyn_appconfig_msdyn_channelprovider"]
            )
        )

    def app_forms(self, app_id: str) -> list[str]:
        by_id = {f["formid"]: f["name"] for f in self.forms}
        return sorted(
            by_id[p["objectid"]] for p in self.app_parts[app_id] if p["componenttype"] == 60
        )

    def form(self, table: str, name: str) -> dict[str, Any]:
        return next(f for f in self.forms if f["objecttypecode"] == table and f["name"] == name)

    # --- reading -----------------------------------------------------------------------
    def columns(self, entity_set: str) -> frozenset[str]:
        if entity_set == "systemusers":
            return frozenset(USER_COLUMNS | set(SCHEMAS["systemusers"]))
        if entity_set in TABLES:
            return frozenset(TABLES[entity_set])
        return super().columns(entity_set)

    def rows(self, entity_set: str, params: dict[str, str]) -> list[dict[str, Any]]:
        if entity_set not in TABLES:
            return super().rows(entity_set, params)
        gate = GATES.get(entity_set)
        if gate and gate not in self.tables:
            raise HttpError(
                404, "0x80060888", f"Resource not found for the segment '{entity_set}'."
            )
        with self.lock:
            return copy.deepcopy(self._rows_of(entity_set))

    def _rows_of(self, entity_set: str) -> list[dict[str, Any]]:
        if entity_set == "roles":
            return [
                dict(
                    r,
                    systemuserroles_association=[
                        {"systemuserid": u["systemuserid"]}
                        for u in self.users
                        if r["roleid"]
                        in {x.get("roleid") for x in u["systemuserroles_association"]}
                    ],
                )
                for r in self.roles
            ]
        if entity_set == "teams":
            return [
                {
                    "teamid": t["teamid"],
                    "name": t["name"],
                    "teammembership_association": [{"systemuserid": m} for m in t["members"]],
                }
                for t in self.teams
            ]
        if entity_set == "appmodulecomponents":
            return [
                dict(p, _appmoduleidunique_value=a["appmoduleidunique"])
                for a in self.apps
                for p in self.app_parts[a["appmoduleid"]]
            ]
        if entity_set == "systemforms":
            return [{k: v for k, v in f.items() if k != "pending"} for f in self.forms]
        if entity_set == "msdyn_appconfigurations":
            return [
                {
                    "msdyn_appconfigurationid": p["msdyn_appconfigurationid"],
                    "msdyn_name": p["msdyn_name"],
                    "msdyn_uniquename": p["msdyn_uniquename"],
                    "msdyn_appconfiguration_systemuser": [{"systemuserid": u} for u in p["users"]],
                }
                for p in self.profiles
            ]
        return list(
            {
                "businessunits": self.business_units,
                "appmodules": self.apps,
                "queues": self.queues,
                "enreach_callbacklists": self.callback_lists,
                "enreach_callbackprofiles": list(self.callback_profiles.values()),
            }[entity_set]
        )

    # --- the routes configure uses -----------------------------------------------------
    def extra_route(
        self, method: str, path: str, params: dict[str, str], body: Any, headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]] | None:
        ref = re.fullmatch(rf"([a-z_]+)\(({GUID})\)/([a-z_]+)/\$ref", path)
        keyed = re.fullmatch(rf"([a-z_]+)\(({GUID})\)", path)
        with self.lock:
            if method == "POST" and ref:
                self._associate(ref.group(1), ref.group(2).lower(), ref.group(3), body)
                return 204, None, {}
            if method == "POST" and path in ("systemusers", "enreach_callbackprofiles"):
                new_id = self._create(path, _object(body))
                return 204, None, {"OData-EntityId": f"{self.url}{API}{path}({new_id})"}
            if (
                method == "PATCH"
                and keyed
                and keyed.group(1) in ("systemusers", "systemforms", "enreach_callbackprofiles")
            ):
                self._update(keyed.group(1), keyed.group(2).lower(), _object(body), headers)
                return 204, None, {}
            if method == "POST" and path in ACTIONS:
                answer = getattr(self, ACTIONS[path])(_object(body))
                return (204, None, {}) if answer is None else (200, answer, {})
        return None

    def _target(self, uri: Any) -> tuple[str, str]:
        if not isinstance(uri, str) or not uri.startswith(f"{self.url}{API}"):
            raise HttpError(400, BAD, f"@odata.id must be the absolute URI of a row, got {uri!r}")
        match = re.fullmatch(rf"([a-z_]+)\(({GUID})\)", uri[len(self.url + API) :])
        if not match:
            raise HttpError(400, BAD, f"@odata.id is not a row's URI: {uri!r}")
        return match.group(1), match.group(2).lower()

    def _associate(self, entity_set: str, key: str, nav: str, body: Any) -> None:
        target_set = LINKS.get((entity_set, nav))
        if target_set is None:
            raise HttpError(
                400, BAD, f"'{nav}' is not a collection-valued navigation property of {entity_set}"
            )
        if set(_object(body)) != {"@odata.id"}:
            raise HttpError(400, BAD, "a $ref body holds exactly @odata.id")
        other_set, other = self._target(body["@odata.id"])
        if other_set != target_set:
            raise HttpError(400, BAD, f"{nav} links {target_set}, not {other_set}")
        links = self._links(entity_set, key, nav)
        row = self._row(target_set, other)
        if any(_link_id(x) == other for x in links):
            raise HttpError(
                400, "0x80040237", "Cannot insert duplicate key: the rows are already associated."
            )
        if nav == "systemuserroles_association":
            user = self._row("systemusers", key)
            if row["_businessunitid_value"] != user.get("_businessunitid_value"):
                raise HttpError(
                    400, "0x80040227", "The role and the user must be in the same business unit."
                )
            links.append({"roleid": other, "name": row["name"]})
        elif nav == "msdyn_appconfig_msdyn_channelprovider":
            profile = self._row(entity_set, key)
            row["msdyn_appconfig_msdyn_channelprovider"].append(
                {
                    k: profile[k]
                    for k in ("msdyn_appconfigurationid", "msdyn_name", "msdyn_uniquename")
                }
            )
        else:
            links.append(other)

    def _links(self, entity_set: str, key: str, nav: str) -> list[Any]:
        """The rows linked through `nav` (the live list, except for provider links)."""
        row = self._row(entity_set, key)
        if nav == "systemuserroles_association":
            roles: list[Any] = row[nav]
            return roles
        if nav == "msdyn_appconfiguration_systemuser":
            users: list[Any] = row["users"]
            return users
        return [
            p
            for p in self.providers.values()
            if any(x.get("msdyn_appconfigurationid") == key for x in p[nav])
        ]

    def _row(self, entity_set: str, key: str) -> dict[str, Any]:
        source = {
            "systemusers": self.users,
            "roles": self.roles,
            "msdyn_appconfigurations": self.profiles,
            "msdyn_channelproviders": list(self.providers.values()),
            "enreach_callbacklists": self.callback_lists,
            "queues": self.queues,
        }[entity_set]
        column = (
            "msdyn_appconfigurationid"
            if entity_set == "msdyn_appconfigurations"
            else (entity_set[:-1] + "id")
        )
        for row in source:
            if str(row.get(column)).lower() == key:
                return row
        raise HttpError(404, NOT_FOUND, f"{entity_set[:-1]} With Id = {key} Does Not Exist")

    def _create(self, entity_set: str, body: dict[str, Any]) -> str:
        if entity_set == "systemusers":
            return self._create_app_user(body)
        record = self._profile_columns(body)
        key = str(body.get("enreach_callbackprofileid") or uuid.uuid4()).lower()
        if key in self.callback_profiles:
            raise HttpError(412, "0x80040237", "A record with the same id already exists")
        missing = [c for c in PROFILE_REQUIRED if not record.get(c)]
        if missing:
            raise HttpError(400, "0x80040220", f"{missing[0]} is required")
        self.callback_profiles[key] = {c: None for c in TABLES["enreach_callbackprofiles"]}
        self.callback_profiles[key].update(record, enreach_callbackprofileid=key)
        return key

    def _create_app_user(self, body: dict[str, Any]) -> str:
        allowed = {"systemuserid", "applicationid", "businessunitid@odata.bind"}
        extra = sorted(set(body) - allowed)
        if extra:
            raise HttpError(
                400, BAD, f"Invalid property '{extra[0]}' for an application user in this fake"
            )
        app_id = str(body.get("applicationid") or "").lower()
        if app_id not in self.tenant_apps:
            raise HttpError(
                400,
                "0x80072560",
                f"The application id {app_id} was not found in "
                "the tenant's directory (register the app first, guide 1.2).",
            )
        if any(str(u.get("applicationid")).lower() == app_id for u in self.users):
            raise HttpError(400, "0x80040237", "An application user for this id exists.")
        unit = _bind(body.get("businessunitid@odata.bind"), "businessunits")
        if unit not in {b["businessunitid"] for b in self.business_units}:
            raise HttpError(400, BAD, "businessunitid@odata.bind names no business unit")
        user_id = str(body.get("systemuserid") or uuid.uuid4()).lower()
        self.users.append(
            {
                "systemuserid": user_id,
                "fullname": f"# {app_id[:8]}",
                "domainname": f"{app_id}@contoso.example",
                "internalemailaddress": f"{app_id}@contoso.example",
                "applicationid": app_id,
                "isdisabled": False,
                "enreach_enreachuserid": None,
                "enreach_enreachuseremail": None,
                "_businessunitid_value": unit,
                "systemuserroles_association": [],
            }
        )
        return user_id

    def _profile_columns(self, body: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in body.items():
            if name in PROFILE_BINDS:
                target_set, column = PROFILE_BINDS[name]
                out[column] = self._row(target_set, _bind(value, target_set))[
                    target_set[:-1] + "id"
                ]
            elif name.endswith("@odata.bind"):
                raise HttpError(
                    400,
                    BAD,
                    f"An undeclared property '{name.split('@')[0]}' "
                    "(navigation property names are case-sensitive)",
                )
            elif name in TABLES["enreach_callbackprofiles"] and not name.startswith("_"):
                out[name] = value
            else:
                raise HttpError(
                    400,
                    BAD,
                    f"Invalid property '{name}' was found in entity "
                    "'Microsoft.Dynamics.CRM.enreach_callbackprofile'.",
                )
        return out

    def _update(
        self, entity_set: str, key: str, body: dict[str, Any], headers: dict[str, str]
    ) -> None:
        if {k.lower(): v for k, v in headers.items()}.get("if-match") != "*":
            raise HttpError(
                400,
                BAD,
                "this fake expects If-Match: * on every update (a PATCH "
                "without it would create a row)",
            )
        if entity_set == "systemforms":
            form = next((f for f in self.forms if f["formid"] == key), None)
            if form is None:
                raise HttpError(404, NOT_FOUND, f"systemform {key} Does Not Exist")
            if set(body) != {"formxml"}:
                raise HttpError(400, BAD, "only formxml is written here")
            etree.fromstring(body["formxml"].encode("utf-8"))  # must be XML
            form["pending"] = body["formxml"]
            return
        if entity_set == "systemusers":
            user = self._row("systemusers", key)
            bad = sorted(set(body) - {"enreach_enreachuseremail"})
            if bad:
                raise HttpError(400, BAD, f"Invalid property '{bad[0]}' (not writable here)")
            user.update(body)
            return
        if key not in self.callback_profiles:
            raise HttpError(404, NOT_FOUND, f"enreach_callbackprofile {key} Does Not Exist")
        self.callback_profiles[key].update(self._profile_columns(body))

    # --- actions -----------------------------------------------------------------------
    def add_app_components(self, body: dict[str, Any]) -> None:
        app_id, parts = self._app_action("AddAppComponents", body)
        for kind, object_id in parts:
            if not any(p["objectid"] == object_id for p in self.app_parts[app_id]):
                self._add_part(app_id, COMPONENT_TYPES[kind][1], object_id)
        self.unpublished_apps.add(app_id)

    def remove_app_components(self, body: dict[str, Any]) -> None:
        app_id, parts = self._app_action("RemoveAppComponents", body)
        ids = {object_id for _, object_id in parts}
        self.app_parts[app_id] = [p for p in self.app_parts[app_id] if p["objectid"] not in ids]
        self.unpublished_apps.add(app_id)

    def _app_action(self, action: str, body: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
        if set(body) != {"AppId", "Components"}:
            raise HttpError(400, BAD, f"{action} takes AppId and Components")
        app_id = str(body["AppId"]).lower()
        if app_id not in self.app_parts:
            raise HttpError(404, NOT_FOUND, f"appmodule {app_id} Does Not Exist")
        parts = []
        for item in body["Components"] if isinstance(body["Components"], list) else [None]:
            kind = str((item or {}).get("@odata.type", "")).removeprefix("Microsoft.Dynamics.CRM.")
            if kind not in COMPONENT_TYPES or set(item) != {
                "@odata.type",
                COMPONENT_TYPES[kind][0],
            }:
                raise HttpError(
                    400,
                    BAD,
                    f"{action}: a component is a typed entity reference "
                    f"(@odata.type and its primary key), got {item!r}",
                )
            object_id = str(item[COMPONENT_TYPES[kind][0]]).lower()
            known = (
                {f["formid"] for f in self.forms}
                if kind == "systemform"
                else {self.definition(t)["MetadataId"] for t in self.tables}
            )
            if object_id not in known:
                raise HttpError(404, NOT_FOUND, f"{kind} {object_id} Does Not Exist")
            parts.append((kind, object_id))
        return app_id, parts

    def _add_part(self, app_id: str, kind: int, object_id: str) -> None:
        self.app_parts[app_id].append(
            {
                "appmodulecomponentid": str(uuid.uuid4()),
                "componenttype": kind,
                "objectid": object_id,
            }
        )

    def publish_xml_action(self, body: dict[str, Any]) -> None:
        if set(body) != {"ParameterXml"} or not isinstance(body["ParameterXml"], str):
            raise HttpError(400, BAD, "PublishXml takes exactly one parameter, ParameterXml")
        root = etree.fromstring(body["ParameterXml"].encode("utf-8"))
        apps = [(e.text or "").strip("{}").lower() for e in root.iterfind("appmodules/appmodule")]
        tables = [e.text or "" for e in root.iterfind("entities/entity")]
        if root.tag != "importexportxml" or not (apps or tables):
            raise HttpError(400, BAD, "ParameterXml must be <importexportxml> naming components")
        self._check_lock()
        for app_id in apps:
            if app_id not in self.app_parts:
                raise HttpError(404, NOT_FOUND, f"appmodule {app_id} Does Not Exist")
            self.unpublished_apps.discard(app_id)
        for form in self.forms:
            if form["objecttypecode"] in tables and form["pending"] is not None:
                form["formxml"], form["pending"] = form["pending"], None
        if tables:
            self.publish_xml(
                {
                    "ParameterXml": "<importexportxml><entities>"
                    + "".join(f"<entity>{t}</entity>" for t in tables)
                    + "</entities></importexportxml>"
                }
            )

    def update_enreach_user_ids(self, body: dict[str, Any]) -> dict[str, Any]:
        if "enreach_setting" not in self.tables:
            raise HttpError(
                404,
                "0x80060888",
                "Resource not found for the segment 'enreach_UpdateEnreachUserIds'.",
            )
        if body:
            raise HttpError(400, BAD, "enreach_UpdateEnreachUserIds takes no parameters")
        self.update_id_runs += 1
        count = 0
        for user in self.users:
            email = str(
                user.get("enreach_enreachuseremail") or user.get("internalemailaddress") or ""
            ).lower()
            found = self.enreach_directory.get(email)
            if found and not user.get("isdisabled") and user.get("enreach_enreachuserid") != found:
                user["enreach_enreachuserid"] = found
                count += 1
        return {
            "@odata.context": "$metadata#Microsoft.Dynamics.CRM."
            "enreach_UpdateEnreachUserIdsResponse",
            "UpdatedCount": count,
            "Message": f"{count} Enreach user id(s) updated",
        }


ACTIONS = {
    "AddAppComponents": "add_app_components",
    "RemoveAppComponents": "remove_app_components",
    "PublishXml": "publish_xml_action",
    "enreach_UpdateEnreachUserIds": "update_enreach_user_ids",
}


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise HttpError(400, BAD, "the body must be a JSON object")
    return body


def _bind(value: Any, entity_set: str) -> str:
    match = re.fullmatch(rf"/?{entity_set}\(({GUID})\)", str(value or ""))
    if not match:
        raise HttpError(400, BAD, f"@odata.bind must name a row of {entity_set}, got {value!r}")
    return match.group(1).lower()


def _link_id(item: Any) -> str:
    if isinstance(item, dict):
        return str(item.get("roleid") or item.get("msdyn_channelproviderid") or "").lower()
    return str(item).lower()


__all__ = ["ConfigDataverse"]
