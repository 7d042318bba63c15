"""What a Dataverse environment has before any solution arrives: standard tables, their
privilege names and the columns every table carries.

The lists are not exhaustive; they hold what a CRM telephony solution plausibly touches.
A name missing here is reported (lookups, privileges), so adding a table is the fix when a
real standard table is refused.
"""

from __future__ import annotations

from .system_columns import (
    ACTIVITY_COLUMNS,
    AUDIT_COLUMNS,
    OWNER_COLUMNS,
    STANDARD_ACTIVITY_EXTRA,
)

# logical name -> the name Dataverse uses in its privileges (prvRead<name>).
# Activity tables share the Activity privileges; systemuser is "User", annotation "Note".
STANDARD_TABLES: dict[str, str] = {
    "account": "Account",
    "activitypointer": "Activity",
    "annotation": "Note",
    "appointment": "Activity",
    "businessunit": "BusinessUnit",
    "campaign": "Campaign",
    "competitor": "Competitor",
    "connection": "Connection",
    "contact": "Contact",
    "contract": "Contract",
    "entitlement": "Entitlement",
    "invoice": "Invoice",
    "list": "List",
    "product": "Product",
    "quote": "Quote",
    "salesorder": "Order",
    "sla": "SLA",
    "territory": "Territory",
    "email": "Activity",
    "environmentvariabledefinition": "EnvironmentVariableDefinition",
    "environmentvariablevalue": "EnvironmentVariableValue",
    "fax": "Activity",
    "incident": "Incident",
    "knowledgearticle": "KnowledgeArticle",
    "lead": "Lead",
    "letter": "Activity",
    "msdyn_applicationtabtemplate": "msdyn_applicationtabtemplate",
    "msdyn_appconfiguration": "msdyn_appconfiguration",
    "msdyn_channelprovider": "msdyn_channelprovider",
    "msdyn_ciprovider": "msdyn_ciprovider",
    "msdyn_customerasset": "msdyn_customerasset",
    "msdyn_notificationfield": "msdyn_notificationfield",
    "msdyn_notificationtemplate": "msdyn_notificationtemplate",
    "msdyn_ocliveworkitem": "msdyn_ocliveworkitem",
    "msdyn_presence": "msdyn_presence",
    "msdyn_sessiontemplate": "msdyn_sessiontemplate",
    "msdyn_templateparameter": "msdyn_templateparameter",
    "opportunity": "Opportunity",
    "pricelevel": "PriceLevel",
    "recurringappointmentmaster": "Activity",
    "organization": "Organization",
    "phonecall": "Activity",
    "queue": "Queue",
    "queueitem": "QueueItem",
    "role": "Role",
    "savedquery": "SavedQuery",
    "serviceappointment": "Activity",
    "sharepointdocumentlocation": "SharePointDocumentLocation",
    "socialactivity": "Activity",
    "solution": "Solution",
    "systemform": "SystemForm",
    "systemuser": "User",
    "subject": "Subject",
    "task": "Activity",
    "team": "Team",
    "transactioncurrency": "TransactionCurrency",
    "uom": "UoM",
    "uomschedule": "UoMSchedule",
    "userquery": "UserQuery",
    "webresource": "WebResource",
}

# Tables whose privileges have only the organization depth (Global).
ORGANIZATION_OWNED = frozenset(
    {
        "organization",
        "transactioncurrency",
        "webresource",
        "solution",
        "savedquery",
        "systemform",
        "msdyn_ciprovider",
    }
)

# Privileges that name no table (a sample of Dataverse's "miscellaneous privileges").
MISC_PRIVILEGES = frozenset(
    {
        "prvActOnBehalfOfAnotherUser",
        "prvBulkDelete",
        "prvBulkEdit",
        "prvExportToExcel",
        "prvGoOffline",
        "prvMerge",
        "prvPrint",
        "prvPublishCustomization",
        "prvSendAsUser",
        "prvSyncToOutlook",
        "prvUseOfficeApps",
        "prvUseTabletApp",
        "prvWorkflowExecution",
        "prvFlow",
        "prvDocumentGeneration",
        "prvMailMerge",
        "prvWebMailMerge",
    }
)

STANDARD_COLUMNS: dict[str, frozenset[str]] = {
    "phonecall": ACTIVITY_COLUMNS | STANDARD_ACTIVITY_EXTRA | {"phonenumber", "directioncode"},
    "systemuser": frozenset(
        {
            "systemuserid",
            "fullname",
            "firstname",
            "lastname",
            "domainname",
            "internalemailaddress",
            "mobilephone",
            "address1_telephone1",
            "businessunitid",
            "isdisabled",
            "title",
            "applicationid",
            "azureactivedirectoryobjectid",
            "personalemailaddress",
            "positionid",
            "parentsystemuserid",
            "accessmode",
        }
    ),
    "account": frozenset(
        {
            "accountid",
            "name",
            "telephone1",
            "emailaddress1",
            "primarycontactid",
            "parentaccountid",
            "accountnumber",
        }
    ),
    "contact": frozenset(
        {
            "contactid",
            "fullname",
            "firstname",
            "lastname",
            "telephone1",
            "mobilephone",
            "emailaddress1",
            "parentcustomerid",
            "jobtitle",
        }
    ),
    "lead": frozenset(
        {
            "leadid",
            "fullname",
            "firstname",
            "lastname",
            "telephone1",
            "mobilephone",
            "emailaddress1",
            "companyname",
            "subject",
        }
    ),
    "queue": frozenset({"queueid", "name", "emailaddress", "queuetypecode"}),
}


def standard_columns(logical_name: str) -> frozenset[str] | None:
    """Known columns of a standard table, or None when this module does not know them."""
    known = STANDARD_COLUMNS.get(logical_name)
    if known is None:
        return None
    owner = OWNER_COLUMNS if logical_name not in ORGANIZATION_OWNED else frozenset()
    return known | AUDIT_COLUMNS | owner
