"""Facts of the Dataverse platform, each said once: column types and their ranges, the system
columns a table carries, option and status codes, solution component type codes, language
codes, the standard tables. Every stage that needs one imports it from here.

Nothing here depends on the rest of `builder`: these are the platform's values, cited from
Microsoft's documentation or from real exports (`../shared/reference/`), not choices of ours.
"""
