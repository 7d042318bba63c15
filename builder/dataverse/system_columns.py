"""The system columns Dataverse gives a table, by what the table is, and the labels forms show
for the standard columns they commonly hold.

The sets are what a real export lists with a table the solution creates
(../shared/reference/corpus/JRSasing+crm-dynamics-365/solution/Entities/: `ract_Alerts` for a
user-owned table, `ract_SMS` for a custom activity table, whose columns are those of
activitypointer: https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/activitypointer).
"""

from __future__ import annotations

# Every table: who created and modified a row and when, import and time-zone bookkeeping,
# the state and status reason, and the row version.
AUDIT_COLUMNS = frozenset(
    {
        "createdby",
        "createdon",
        "createdonbehalfby",
        "importsequencenumber",
        "modifiedby",
        "modifiedon",
        "modifiedonbehalfby",
        "overriddencreatedon",
        "statecode",
        "statuscode",
        "timezoneruleversionnumber",
        "utcconversiontimezonecode",
        "versionnumber",
    }
)
# The columns Dataverse keeps itself on every write of a row: when, by whom and in which
# import it was created or changed, and its row version (read only, "Date and time when the
# record was created", ...:
# https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/environmentvariablevalue).
# They say nothing about what a row holds, so two exports of the same content may differ in
# them: `read` leaves them out of a row's remainder (model/remainder.py).
STAMP_COLUMNS = AUDIT_COLUMNS - {
    "statecode",
    "statuscode",
    "timezoneruleversionnumber",
    "utcconversiontimezonecode",
}
# A user- or team-owned table; an organization-owned one has ORGANIZATION_COLUMNS instead.
OWNER_COLUMNS = frozenset({"ownerid", "owningbusinessunit", "owningteam", "owninguser"})
ORGANIZATION_COLUMNS = frozenset({"organizationid"})
# A table with a currency column: the row's currency and its rate to the base currency.
CURRENCY_COLUMNS = frozenset({"exchangerate", "transactioncurrencyid"})
# A custom activity table (as `ract_SMS` exports them: the activitypointer columns).
ACTIVITY_COLUMNS = frozenset(
    {
        "activityadditionalparams",
        "activityid",
        "activitytypecode",
        "actualdurationminutes",
        "actualend",
        "actualstart",
        "bcc",
        "cc",
        "community",
        "customers",
        "deliverylastattemptedon",
        "deliveryprioritycode",
        "description",
        "exchangeitemid",
        "exchangeweblink",
        "from",
        "instancetypecode",
        "isbilled",
        "ismapiprivate",
        "isregularactivity",
        "isworkflowcreated",
        "lastonholdtime",
        "leftvoicemail",
        "onholdtime",
        "optionalattendees",
        "organizer",
        "partners",
        "postponeactivityprocessinguntil",
        "prioritycode",
        "processid",
        "regardingobjectid",
        "requiredattendees",
        "resources",
        "scheduleddurationminutes",
        "scheduledend",
        "scheduledstart",
        "sendermailboxid",
        "senton",
        "seriesid",
        "serviceid",
        "slaid",
        "slainvokedid",
        "sortdate",
        "stageid",
        "subject",
        "to",
        "traversedpath",
    }
)
# The standard activity tables (phonecall, task, ...) have these beyond ACTIVITY_COLUMNS.
STANDARD_ACTIVITY_EXTRA = frozenset({"category", "subcategory"})
# A table with business process flows.
PROCESS_COLUMNS = frozenset(
    {
        "activestageid",
        "activestagestartedon",
        "businessprocessflowinstanceid",
        "completedon",
        "processid",
        "traversedpath",
    }
)
# Every system column an export may list with a table the solution creates.
NEW_TABLE_COLUMNS = (
    AUDIT_COLUMNS
    | OWNER_COLUMNS
    | ORGANIZATION_COLUMNS
    | CURRENCY_COLUMNS
    | ACTIVITY_COLUMNS
    | PROCESS_COLUMNS
)

# Control kind and label of the standard columns forms commonly show (of new tables, and of
# phonecall and systemuser, which we extend); the labels are Dataverse's display names.
FORM_COLUMNS: dict[str, tuple[str, str]] = {
    "ownerid": ("lookup", "Owner"),
    "createdby": ("lookup", "Created By"),
    "modifiedby": ("lookup", "Modified By"),
    "createdon": ("datetime", "Created On"),
    "modifiedon": ("datetime", "Modified On"),
    "statuscode": ("status", "Status Reason"),
    "statecode": ("status", "Status"),
    "owningbusinessunit": ("lookup", "Owning Business Unit"),
    "transactioncurrencyid": ("lookup", "Currency"),
    # phonecall
    "subject": ("text", "Subject"),
    "phonenumber": ("phone", "Phone Number"),
    "regardingobjectid": ("lookup", "Regarding"),
    "from": ("partylist", "Call From"),
    "to": ("partylist", "Call To"),
    "directioncode": ("boolean", "Direction"),
    "scheduledend": ("datetime", "Due"),
    "scheduledstart": ("datetime", "Start Date"),
    "actualdurationminutes": ("duration", "Duration"),
    "description": ("memo", "Description"),
    "prioritycode": ("choice", "Priority"),
    "actualend": ("datetime", "Actual End"),
    "actualstart": ("datetime", "Actual Start"),
    # systemuser
    "fullname": ("text", "Full Name"),
    "firstname": ("text", "First Name"),
    "lastname": ("text", "Last Name"),
    "domainname": ("text", "User Name"),
    "internalemailaddress": ("email", "Primary Email"),
    "businessunitid": ("lookup", "Business Unit"),
    "title": ("text", "Title"),
    "mobilephone": ("phone", "Mobile Phone"),
    "address1_telephone1": ("phone", "Main Phone"),
    "parentsystemuserid": ("lookup", "Manager"),
}
