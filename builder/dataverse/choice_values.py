"""Choice values of the platform's own tables that solution files carry as numbers.

- Custom APIs (`customapi.bindingtype`, `customapi.allowedcustomprocessingsteptype`,
  `customapirequestparameter.type` / `customapiresponseproperty.type`): "Custom API tables",
  https://learn.microsoft.com/power-apps/developer/data-platform/custom-api-tables.
- Application tab templates of the multisession apps (`msdyn_applicationtabtemplate.
  msdyn_pagetype`): https://learn.microsoft.com/dynamics365/developer/reference/entities/msdyn_applicationtabtemplate
  (509180007 = Custom; ../shared/research/real-exports.md).
Keys are the names our sources use.
"""

from __future__ import annotations

CUSTOM_API_BINDING_TYPES: dict[str, int] = {"global": 0, "entity": 1, "entitycollection": 2}
CUSTOM_API_STEP_TYPES: dict[str, int] = {"none": 0, "async": 1, "sync_and_async": 2}
CUSTOM_API_PARAMETER_TYPES: dict[str, int] = {
    "Boolean": 0,
    "DateTime": 1,
    "Decimal": 2,
    "Entity": 3,
    "EntityCollection": 4,
    "EntityReference": 5,
    "Float": 6,
    "Integer": 7,
    "Money": 8,
    "Picklist": 9,
    "String": 10,
    "StringArray": 11,
    "Guid": 12,
}
APP_TAB_PAGE_TYPES: dict[str, int] = {
    "entitylist": 509180000,
    "entityrecord": 509180001,
    "webresource": 509180002,
    "control": 509180003,
    "dashboard": 509180004,
    "search": 509180005,
    "thirdpartywebsite": 509180006,
    "custom": 509180007,
}
